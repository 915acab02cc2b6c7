"""The written summaries on the pages (AppTest on 테스트시, SQLite and PostgreSQL).

Every expected sentence is written by hand from tests/fixture_city.py; 2024-H1 is compared
with 2023-H2 (전기). The arithmetic of the 2023-H2 values is in the comments.
"""

from __future__ import annotations

import html
import re

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import access
from lib.db import engine_for
from tests.apptest import APP, TIMEOUT
from tests.fixture_city import A

SECRET = "s" * 40
_SUMMARY = re.compile(r'^<p class="itda-summary">(.*)</p>$', re.S)


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [e.value for e in at.warning]  # no section failed
    return at


def summaries(at: AppTest) -> list[str]:
    """The text of every summary paragraph on the page, in order."""
    found = [_SUMMARY.match(m.value) for m in at.markdown]
    return [html.unescape(m.group(1)) for m in found if m]


# 2024-H1 against 2023-H2, the whole city:
#  discovered 6 vs C01 C02 C09 C10 C11 = 5 → +1 (20.0 %)
#  active at the end: 6 vs C01 C02 C10 = 3 → +3 (100.0 %)
#  served 6 vs S01 C01, S07 C10, P06 C09 = 3 → +3 (100.0 %)
#  by neighbourhood, discovered: 온양1동 3 vs C01 C02 = 2 (+1), 배방읍 3 vs 3, 송악면 0 vs 0
CITY_KO = (
    "2024년 상반기 테스트시 전체의 발굴 가구는 6가구로 전기보다 1가구(20.0%) 늘었습니다. "
    "진행 중 사례는 6건으로 3건(100.0%) 늘었고, 서비스 지원 가구는 6가구로 3가구(100.0%) "
    "늘었습니다. "
    "읍면동 가운데 변화가 가장 큰 곳은 온양1동으로, 발굴 가구가 1가구(50.0%) 늘었습니다."
)
CITY_EN = (
    "In H1 2024, households identified in 테스트시 stood at 6, up 1 (20.0%) on the previous "
    "period. Active cases stood at 6, up 3 (100.0%); households served stood at 6, up 3 "
    "(100.0%). Among the neighbourhoods, 온양1동 changed most, with households identified up "
    "1 (50.0%)."
)


def test_the_overview_opens_with_the_city_s_summary(city_url):
    assert summaries(run(period="2024-H1", compare="prev")) == [CITY_KO]
    assert summaries(run(period="2024-H1", compare="prev", lang="en")) == [CITY_EN]


def test_the_neighbourhood_page_opens_with_its_summary_and_each_area_with_its_own(city_url):
    at = run(f"nb-{A}", period="2024-H1", compare="prev")
    shown = summaries(at)
    # 온양1동 against 2023-H2: discovered C01 C02 = 2 → 3; active C01 C02 = 2 → 3; served
    # S01 C01 = 1 → 3; of the other headline metrics, referrals (R01 = 1 → 4) rose most.
    assert shown[0] == (
        "2024년 상반기 온양1동의 발굴 가구는 3가구로 전기보다 1가구(50.0%) 늘었고, "
        "1천 세대당 3개 읍면동 중 1위입니다. "
        "진행 중 사례는 3건으로 1건(50.0%) 늘었고, 서비스 지원 가구는 3가구로 "
        "2가구(200.0%) 늘었습니다. "
        "가장 크게 변한 지표는 의뢰 건수로, 전기보다 3건(300.0%) 늘었습니다."
    )
    assert len(shown) == 6  # the page's and one for each of the five areas
    # 사례관리: opened C03 C04 C05 = 3 vs C01 C02 = 2; the rest: served +200 % is largest
    assert shown[1].startswith(
        "2024년 상반기 온양1동의 발굴 가구는 3가구로 전기보다 1가구(50.0%) 늘었고, "
        "1천 세대당 3개 읍면동 중 1위입니다. 신규 사례관리는 3건으로 1건(50.0%) 늘었고,"
    )
    # 찾아가는 방문: V02 50 vs V01 40 → +10 (25.0 %); found 4 vs 3 → +1 (33.3 %)
    assert shown[4] == (
        "2024년 상반기 온양1동의 방문 세대는 50세대로 전기보다 10세대(25.0%) 늘었고, "
        "1천 세대당 3개 읍면동 중 1위입니다. 방문 발굴 세대는 4세대로 1세대(33.3%) 늘었습니다."
    )


def test_the_agency_page_opens_with_its_summary(city_url):
    at = run("agency-AG03", period="2024", compare="prev")
    # 2023: AG03 sent nothing; received R01 and R07 (2) → 4; answered R01 accepted → 100 %
    assert summaries(at) == [
        "2024년 테스트종합사회복지관의 의뢰 건수는 2건으로 전기보다 2건 늘었습니다. "
        "수신 건수는 4건으로 2건(100.0%) 늘었고, 수락률은 66.7%로 33.3%p 낮아졌습니다."
    ]  # pending 1 vs 1, overdue 1 vs 1 and the rest in %p or days: no further movement


def test_the_donations_page_opens_with_the_donations_sentences(city_url):
    at = run("city-donations", period="2024-H1", compare="prev")
    # raised 10,600,000 vs D01 1,000,000 + D10 400,000; cash 10,100,000 vs 1,400,000;
    # in kind 500,000 vs 0; by neighbourhood 온양1동 3,500,000 vs 1,000,000 (+2,500,000) is
    # more than 배방읍 2,100,000 vs 400,000 (+1,700,000)
    assert summaries(at) == [
        "2024년 상반기 테스트시 전체의 모금액은 1,060만원으로 전기보다 920만원(657.1%) 늘었습니다. "
        "현금 모금액은 1,010만원으로 870만원(621.4%) 늘었고, 현물 모금액은 50.0만원으로 "
        "50.0만원 늘었습니다. "
        "읍면동 가운데 변화가 가장 큰 곳은 온양1동으로, 모금액이 250만원(250.0%) 늘었습니다."
    ]


def test_the_network_page_opens_with_the_case_sharing_sentences(city_url):
    at = run("case-sharing", period="2024-H1", compare="prev", lang="en")
    # referrals 8 vs R01 R07 R14 = 3; acceptance 80.0 % vs R01 R14 = 100 %; median days
    # 7.0 vs R01 3, R14 4 → 3.5; by neighbourhood 온양1동 4 vs 1 (+3), 배방읍 4 vs 2 (+2)
    assert summaries(at) == [
        "In H1 2024, referrals sent in 테스트시 stood at 8, up 5 (166.7%) on the previous "
        "period. Acceptance rate stood at 80.0%, down 20.0 pp; median days to respond stood "
        "at 7.0 days, up 3.5 days. Among the neighbourhoods, 온양1동 changed most, with "
        "referrals sent up 3 (300.0%)."
    ]


@pytest.fixture
def link_token(city_url, monkeypatch):
    monkeypatch.setenv("ITDA_SHARE_SECRET", SECRET)
    for name in ("ITDA_ACCESS_MODE", "ITDA_SMALL_COUNT_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    _, url = access.create_link(
        engine_for(city_url), created_by="kim@city.kr", neighbourhood_codes=[A], label="추진단"
    )
    return url.rsplit("/", 1)[1]


def test_a_partner_link_s_summary_has_no_city_value_rank_or_hidden_number(link_token):
    at = run(share=link_token, period="2024-H1", compare="prev")
    shown = summaries(at)
    # discovered 3, active 3, served 3 and referrals 4 are "<5"; money given to one
    # household is withheld: the sentences skip them, and name no rank and no city.
    assert shown[0] == (
        "2024년 상반기 온양1동의 모금액은 350만원으로 전기보다 250만원(250.0%) 늘었습니다. "
        "기한 초과 대기는 0건으로 변동이 없습니다."
    )
    text = " ".join(shown)
    for word in ("위입니다", "읍면동 중", "시 전체", "테스트시", "배방읍", "송악면", "<5"):
        assert word not in text, word
    at = run(share=link_token, period="2024-H1", compare="prev", lang="en")
    text = " ".join(summaries(at))
    assert text.startswith("In H1 2024, donations raised in 온양1동 stood at ₩3.5M")
    assert "ranking" not in text and "neighbourhoods" not in text
