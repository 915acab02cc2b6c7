"""Presentation mode through the app (AppTest on 테스트시, SQLite and PostgreSQL): the URL.

`?present=1` turns a page into slides of its review, `?slide=N` picks the slide (garbage
or out of range: slide 1), the buttons move between slides and write the URL, the mode
survives a page switch and ends with its exit button. A partner's presentation is made
from the link's scope, suppressed, with no city value or rank.

Numbers are worked out by hand from tests/fixture_city.py (comments below).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.apptest import APP, TIMEOUT
from tests.fixture_city import A, C
from tests.test_app_access import SECRET, make_link, page_text

# overview, 2024: a title slide, the headline, then the five areas of metrics.md
CITY_SLIDES = 7


def run(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def html(at: AppTest) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


def slide_of(at: AppTest) -> str:
    """The "3 / 7" the footer shows."""
    found = [b for b in html(at).split('class="itda-slide-number"')[1:]]
    assert len(found) == 1, "one slide number"
    return found[0].split(">", 1)[1].split("<", 1)[0]


def query(at: AppTest, key: str) -> str | None:
    values = at.query_params.get(key)
    return values[-1] if values else None


@pytest.fixture
def app_db(city_url, monkeypatch):
    monkeypatch.setenv("ITDA_SHARE_SECRET", SECRET)
    for name in ("ITDA_ACCESS_MODE", "ITDA_CONTACT", "ITDA_SMALL_COUNT_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    from lib.db import engine_for

    return engine_for(city_url)


def test_present_turns_the_overview_into_slides(city_url):
    at = run(period="2024", present="1")
    assert slide_of(at) == f"1 / {CITY_SLIDES}"
    body = html(at)
    assert 'data-slide="title"' in body
    assert "<h1>테스트시 전체</h1>" in body
    # no page header, tiles or section links of the page itself, and no page header button
    assert not at.title and not at.metric
    assert '<nav class="itda-section-links"' not in body
    assert not [b for b in at.button if b.key == "present-enter"]
    # the footer: city and scope, period, comparison (전기 for a chosen year), as-of date
    assert "<strong>테스트시 · 테스트시 전체</strong>" in body
    assert (
        "기간 2024년 (2024.01.01–2024.12.31) · 비교 기간 전기 2023년 (2023.01.01–2023.12.31)"
        " · 기준일 2024.12.31"
    ) in body


def test_the_slide_in_the_url_and_bad_values_fall_back_to_the_first(city_url):
    at = run(period="2024", present="1", slide="2")
    assert slide_of(at) == f"2 / {CITY_SLIDES}"
    assert 'data-slide="headline"' in html(at)
    for bad in ("abc", "0", "-1", "99", "2.5", ""):
        at = run(period="2024", present="1", slide=bad)
        assert slide_of(at) == f"1 / {CITY_SLIDES}", bad
        assert 'data-slide="title"' in html(at)
        assert query(at, "slide") is None, bad  # the URL no longer says what it did not show


def test_the_buttons_move_between_slides_and_write_the_url(city_url):
    at = run(period="2024", present="1")
    previous = at.button(key="present-previous")
    assert previous.disabled  # nothing before the first slide
    at.button(key="present-next").click().run()
    assert slide_of(at) == f"2 / {CITY_SLIDES}"
    assert query(at, "slide") == "2"
    at.button(key="present-next").click().run()
    assert query(at, "slide") == "3"
    assert 'data-slide="caseload"' in html(at)
    at.button(key="present-previous").click().run()
    assert query(at, "slide") == "2"
    at = run(period="2024", present="1", slide=str(CITY_SLIDES))
    assert at.button(key="present-next").disabled  # nothing after the last


def test_the_headline_slide_holds_the_city_s_numbers(city_url):
    at = run(period="2024", present="1", slide="2")
    body = html(at)
    # discovered 2024: 13 (C03…C08, C12…C18); 2023: 5 (C01 C02 C09 C10 C11) → +8, 160.0 %
    assert (
        '<div class="itda-fact-value">13</div><div class="itda-fact-change bad">▲ +8 (+160.0%)'
    ) not in body  # more households identified is good news, never red
    assert (
        '<div class="itda-fact-label">발굴 가구</div><div class="itda-fact-value">13</div>'
        '<div class="itda-fact-change good">▲ +8 (+160.0%)</div>'
    ) in body
    # donations 12,600,000 = 1,260만원 against 1,400,000 → +1,120만원 (+800.0%)
    assert '<div class="itda-fact-value">1,260만원</div>' in body
    assert "▲ +1,120만원 (+800.0%)" in body
    # acceptance 5 / 7 = 71.4 % against 2 / 2 = 100 % → −28.6 points, down (bad)
    assert '<div class="itda-fact-change bad">▼ -28.6%p</div>' in body
    # overdue on 2024-12-31 R11 = 1, on 2023-12-31 R07 = 1: no change, no arrow
    assert '<div class="itda-fact-value">1</div><div class="itda-fact-change flat">0</div>' in body
    # the definitions in small print
    assert "<dt>발굴 가구</dt><dd>기간 중 발굴일이 있는 사례 수</dd>" in body


def test_a_neighbourhood_s_slide_has_the_city_value_and_the_rank(city_url):
    # 온양1동, 2024-H1: discovered C03 C04 C05 = 3; 2023-H2 C01 C02 = 2 → +1 (+50.0%);
    # city 6; per 1,000 households A 3.0, B 1.5, C 0 → 1st of 3.
    at = run(page=f"nb-{A}", period="2024-H1", present="1", slide="3")
    body = html(at)
    assert 'data-slide="caseload"' in body
    assert (
        '<div class="itda-fact-label">발굴 가구</div><div class="itda-fact-value">3</div>'
        '<div class="itda-fact-change good">▲ +1 (+50.0%)</div>'
        '<div class="itda-fact-rank">시 전체 6 · 3개 읍면동 중 1위(1천 세대당, 높은 순)</div>'
    ) in body
    assert "<strong>테스트시 · 온양1동</strong>" in body


@pytest.mark.parametrize("value", ["0", "yes", "true"])
def test_any_other_present_value_shows_the_page(city_url, value):
    at = run(period="2024", present=value)
    assert [e.value for e in at.title] == ["테스트시 복지 네트워크 개요"]
    assert "itda-slide" not in html(at)


def test_the_mode_survives_a_page_switch_and_ends_with_its_button(city_url):
    at = run(period="2024", present="1")
    # a page switch (the corner menu's links, st.navigation) keeps the bound `present`
    # (the browser drops the unbound `slide` then: tests/browser/test_present.py)
    at._page_hash = calc_hash(f"nb-{A}")
    at.run()
    assert "<h1>온양1동</h1>" in html(at)
    at.button(key="present-leave").click().run()
    assert query(at, "present") is None and query(at, "slide") is None
    assert [e.value for e in at.title] == ["온양1동"]


def test_the_page_header_button_enters_presentation_mode(city_url):
    at = run(period="2024")
    at.button(key="present-enter").click().run()
    assert slide_of(at) == f"1 / {CITY_SLIDES}"


def test_the_donations_and_network_pages_present_their_section(city_url):
    at = run(page="city-donations", period="2024", present="1")
    assert slide_of(at) == "1 / 1"
    assert 'data-slide="donations"' in html(at)
    at = run(page="case-sharing", period="2024", present="1")
    assert slide_of(at) == "1 / 1"
    assert 'data-slide="sharing"' in html(at)


def test_pages_without_numbers_only_lose_their_chrome(city_url):
    at = run(page="metric-definitions", present="1")
    assert at.title  # the page itself
    assert 'class="itda-slide-number"' not in html(at)
    assert at.button(key="present-leave")


def test_a_partner_s_presentation_is_suppressed_without_city_or_rank(app_db):
    # 송악면 (C) in 2024: C18 identified (1 → "<5"), nothing active (0).
    _, token = make_link(app_db, neighbourhood_codes=[C], label="송악면 추진단")
    at = run(share=token, period="2024", present="1", slide="2")
    body = html(at)
    assert 'data-slide="headline"' in body
    assert (
        '<div class="itda-fact-label">발굴 가구</div><div class="itda-fact-value">&lt;5</div>'
        in (body)
    )
    text = page_text(at)
    # (the definition of 모금액 speaks of 시 전체; a tile's note never does here)
    assert 'class="itda-fact-rank">시 전체' not in body
    for word in ("테스트시 전체", "개 읍면동 중", "온양1동", "배방읍"):
        assert word not in text, word
    assert "송악면 열람용 · 송악면 추진단 · " in body  # the watermark, in the footer
