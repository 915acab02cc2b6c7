"""The dashboard through Streamlit's AppTest, on the fixture city 테스트시 (SQLite and PostgreSQL).

Expected tiles are worked out by hand from the tables in tests/fixture_city.py (the
arithmetic is in the comments); the app runs from app.py exactly as `streamlit run` does,
with the period and language in the URL.
"""

from __future__ import annotations

import json
import time

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import ui
from lib.db import engine_for, make_engine
from lib.formatting import metric_unit
from lib.metric_defs import BY_KEY
from lib.models import Neighbourhood
from tests.apptest import APP, TIMEOUT, clear_caches, run_page
from tests.fixture_city import A, B, C

run_app = run_page  # app.py with query parameters, on url_path `page` (None: overview)


def tiles(at: AppTest) -> dict[str, tuple[str, str]]:
    """{label: (value, delta)} of every metric tile on the page."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


# ---- overview ---------------------------------------------------------------------------

# 2024 against 2023, city scope:
#  discovered: 13 in 2024 (C03–C08, C12–C18) vs 5 in 2023 (C01 C02 C09 C10 C11) → +8
#  active on 12-31: C02 C05 C07 C08 C11 C14 C17 = 7 vs C01 C02 C10 = 3 → +4
#  served: services or money in 2024 to C01 C02 C03 C05 C11 C13 C16 C12 C17 = 9
#          vs C01 C10 (services) C09 (money) = 3 → +6
#  referrals requested: 11 vs R01 R07 R14 = 3 → +8
#  donations: 3,000,000+2,100,000+5,000,000+500,000+200,000+1,500,000+300,000 = 12,600,000
#             vs D01 1,000,000 + D10 400,000 = 1,400,000 → +11,200,000
#  given: 1,750,000 vs P06 150,000 → +1,600,000
#  acceptance: R02 R03 R05 R09 R10 accepted, R04 R13 declined → 5/7 = 71.4 %
#             vs R01 R14 accepted (R07 answered only in 2024) → 100 % → −28.6 pp
#  overdue: R11 waits 190 days (> 7) vs R07 waits 11 days on 2023-12-31 → 1 vs 1 → 0
# Counts and money also in per cent of 2023 (1 decimal, half away from zero):
#  8 / 5 = 160.0 %; 4 / 3 = 133.33… → 133.3 %; 6 / 3 = 200.0 %; 8 / 3 = 266.66… → 266.7 %;
#  11,200,000 / 1,400,000 = 800.0 %; 1,600,000 / 150,000 = 1,066.66… → 1,066.7 %;
#  rates in points only; overdue: no change, no per cent
OVERVIEW_2024_KO = {
    "발굴 가구": ("13", "+8 (+160.0%)"),
    "진행 중 사례": ("7", "+4 (+133.3%)"),
    "서비스 지원 가구": ("9", "+6 (+200.0%)"),
    "의뢰 건수": ("11", "+8 (+266.7%)"),
    "모금액": ("1,260만원", "+1,120만원 (+800.0%)"),
    "지원액": ("175만원", "+160만원 (+1,066.7%)"),
    "수락률": ("71.4%", "-28.6%p"),
    "기한 초과 대기": ("1", "0"),
}
OVERVIEW_2024_EN = {
    "Households identified": ("13", "+8 (+160.0%)"),
    "Active cases": ("7", "+4 (+133.3%)"),
    "Households served": ("9", "+6 (+200.0%)"),
    "Referrals sent": ("11", "+8 (+266.7%)"),
    "Donations raised": ("₩12.6M", "+₩11.2M (+800.0%)"),
    "Amount given": ("₩1.8M", "+₩1.6M (+1,066.7%)"),
    "Acceptance rate": ("71.4%", "-28.6 pp"),
    "Overdue": ("1", "0"),
}


def test_overview_2024_in_korean(city_url):
    at = run_app(period="2024")
    assert at.title[0].value == "테스트시 복지 네트워크 개요"
    assert tiles(at) == OVERVIEW_2024_KO
    assert captions(at)[0] == (
        "기간 2024년 (2024.01.01–2024.12.31) · 비교 기간 전기 2023년 (2023.01.01–2023.12.31) "
        "· 기준일 2024.12.31"
    )
    # every tile's help text is the metric's definition
    help_by_label = {m.label: m.proto.help for m in at.metric}
    assert help_by_label["진행 중 사례"].startswith("기간 말일까지 사례관리를 시작했고")


def test_overview_2024_in_english(city_url):
    at = run_app(period="2024", lang="en")
    assert at.title[0].value == "테스트시: welfare network overview"
    assert tiles(at) == OVERVIEW_2024_EN
    assert captions(at)[0] == (
        "Period 2024 (2024.01.01–2024.12.31) · Compared with previous period 2023 "
        "(2023.01.01–2023.12.31) · As of 2024.12.31"
    )


def test_overview_comparison_table_links_every_neighbourhood(city_url):
    at = run_app(period="2024-H1")
    table = at.dataframe[0].value
    # first the whole city, then names that link to their pages and keep the period;
    # discovered in 2024-H1: A C03 C04 C05 = 3 · B C12 C13 C14 = 3 · C none = 0;
    # the city: the same six (every case has a neighbourhood) = 6
    assert list(table["link"]) == [
        "./?period=2024-H1#시 전체",
        f"./nb-{A}?period=2024-H1#온양1동",
        f"./nb-{B}?period=2024-H1#배방읍",
        f"./nb-{C}?period=2024-H1#송악면",
    ]
    assert list(table["discovered"]) == [6, 3, 3, 0]
    assert list(table["households"]) == [3500, 1000, 2000, 500]


def test_overview_city_row_is_the_citys_own_value_not_a_sum(city_url):
    at = run_app(period="2024-H1")
    table = at.dataframe[0].value
    # money in 만원. Received in 2024-H1: A D02 3,000,000 + D03 500,000 = 350만원;
    # B D05 2,000,000 + D06 100,000 = 210만원; C none = 0; the city adds the city-wide
    # D08 5,000,000: 3,500,000 + 2,100,000 + 5,000,000 = 1,060만원 (not 350 + 210 = 560)
    assert list(table["donations_krw"]) == [1060, 350, 210, 0]
    # high-risk share of cases active on 06-30 — city C02 C04 C05 C11 C13 C14, 고위험 C05:
    # 1 / 6 = 16.67 %; A C02 C04 C05 → 1 / 3; B C11 C13 C14 → 0 / 3; C none → no value
    assert table["high_risk_share"][0] == pytest.approx(100 / 6)
    assert table["high_risk_share"][1] == pytest.approx(100 / 3)
    assert table["high_risk_share"][2] == 0
    assert pd.isna(table["high_risk_share"][3])


def test_overview_comparison_table_per_1000_households(city_url):
    at = run_app(period="2024-H1")
    at.button_group(key="overview_table_mode").set_value("per_1000").run()
    table = at.dataframe[0].value
    # discovered per 1,000 households: city 6 / 3,500 × 1,000 = 1.714… · A 3 / 1,000
    # × 1,000 = 3.0 · B 3 / 2,000 × 1,000 = 1.5 · C 0 / 500 × 1,000 = 0.0; rates stay
    # rates: A's high-risk share on 06-30 is 1/3 = 33.3 % (no per-household scaling)
    assert list(table["discovered"]) == pytest.approx([6 / 3.5, 3.0, 1.5, 0.0])
    assert table["high_risk_share"][1] == pytest.approx(100 / 3)
    # money per 1,000 households in 만원: city 1,060 / 3,500 × 1,000 = 302.857…;
    # A 350 / 1,000 × 1,000 = 350.0
    assert table["donations_krw"][0] == pytest.approx(1060 / 3.5)
    assert table["donations_krw"][1] == pytest.approx(350.0)


@pytest.mark.parametrize("group", ["headline", "caseload", "services", "donations", "sharing"])
@pytest.mark.parametrize("mode", ["values", "per_1000"])
def test_overview_table_shows_each_column_once_with_its_unit(city_url, group, mode):
    at = run_app(period="2024-H1")
    at.button_group(key="overview_table_group").set_value(group).run()
    at.button_group(key="overview_table_mode").set_value(mode).run()
    element = at.dataframe[0]
    shown = list(element.proto.column_order)
    titles = json.loads(element.proto.columns)
    headers = [titles[c]["label"] for c in shown]
    assert len(headers) == len(set(headers)), headers
    # per 1,000 households, "진행 중 사례" is itself "1천 세대당 진행 사례": not twice
    if mode == "per_1000":
        assert "active_per_1000" not in shown
    for key in shown:
        if key in BY_KEY and metric_unit(key) in ("krw", "rate"):
            suffix = "(만원)" if metric_unit(key) == "krw" else "(%)"
            assert titles[key]["label"].endswith(suffix), titles[key]["label"]


def test_overview_default_period_is_year_to_date_of_the_as_of_date(city_url):
    at = run_app()
    # as-of 2024-12-31 → 2024-01-01..2024-12-31, compared (metrics.md: the default period's
    # default is 전년 동기) with the same dates a year earlier, 2023-01-01..2023-12-31:
    # identified C01 C02 C09 C10 C11 = 5 → 13 − 5 = +8
    assert captions(at)[0].startswith(
        "기간 2024.01.01–2024.12.31 · 비교 기간 전년 동기 2023.01.01–2023.12.31"
    )
    assert tiles(at)["발굴 가구"] == ("13", "+8 (+160.0%)")
    assert {m.proto.delta_description for m in at.metric} == {"전년 동기 대비"}
    assert at.radio(key=ui._COMPARE_WIDGET).value == "yoy"


def test_default_period_compared_with_the_previous_period_on_request(city_url):
    at = run_app(compare="prev")
    # the 366 days just before 2024-01-01..12-31: 2022-12-31..2023-12-31, the same 5 cases
    # (C01 08-01, C02 10-05, C09 07-15, C10 11-01, C11 12-15) → +8; active on 2023-12-31:
    # C01 C02 C10 = 3 (C09 closed 12-20, C11 opened 2024-01-05) → 7 − 3 = +4
    assert captions(at)[0].startswith(
        "기간 2024.01.01–2024.12.31 · 비교 기간 전기 2022.12.31–2023.12.31"
    )
    assert tiles(at)["발굴 가구"] == ("13", "+8 (+160.0%)")
    assert tiles(at)["진행 중 사례"] == ("7", "+4 (+133.3%)")  # 4 / 3
    assert {m.proto.delta_description for m in at.metric} == {"전기 대비"}
    assert at.radio(key=ui._COMPARE_WIDGET).value == "prev"
    assert [c.value for c in at.code] == ["?compare=prev"]


def test_a_half_year_compared_with_the_same_half_a_year_earlier(city_url):
    at = run_app(period="2024-H1", compare="yoy")
    # 2024-H1 identified C03 C04 C05 C12 C13 C14 = 6; 2023-H1 (01-01..06-30): none (the
    # first case, C09, is identified on 2023-07-15) → +6 (against 2023-H2's 5 it is +1)
    assert captions(at)[0] == (
        "기간 2024년 상반기 (2024.01.01–2024.06.30) · 비교 기간 전년 동기 2023년 상반기 "
        "(2023.01.01–2023.06.30) · 기준일 2024.12.31"
    )
    assert tiles(at)["발굴 가구"][1] == "+6"  # a base of 0: no per cent
    assert [c.value for c in at.code] == ["?period=2024-H1&compare=yoy"]
    at = run_app(period="2024-H1", compare="yoy", lang="en")
    assert captions(at)[0] == (
        "Period H1 2024 (2024.01.01–2024.06.30) · Compared with same period last year "
        "H1 2023 (2023.01.01–2023.06.30) · As of 2024.12.31"
    )
    # every change says what it is against (acceptance in 2023-H1 has no value: no change)
    assert {m.proto.delta_description for m in at.metric if m.delta} == {"vs same period last year"}


def test_an_unknown_comparison_in_the_url_falls_back_to_the_default(city_url):
    at = run_app(period="2024-H1", compare="lastweek")
    # not prev or yoy: 2024-H1's default, the previous period 2023-H2 (5 identified) → +1
    assert "비교 기간 전기 2023년 하반기 (2023.07.01–2023.12.31)" in captions(at)[0]
    assert tiles(at)["발굴 가구"][1] == "+1 (+20.0%)"  # 1 / 5


def test_choosing_the_comparison_in_the_sidebar_puts_it_in_the_url(city_url):
    at = run_app(period="2024-Q1")
    # 2024-Q1 identified C03 (01-10) C12 (02-01) C04 (03-01) = 3; 2023-Q4: C02 C10 C11 = 3 → 0
    assert tiles(at)["발굴 가구"] == ("3", "0")
    at.radio(key=ui._COMPARE_WIDGET).set_value("yoy").run()
    # 2023-Q1: nothing identified → +3
    assert at.query_params["compare"] == "yoy"
    assert tiles(at)["발굴 가구"][1] == "+3"  # a base of 0: no per cent
    assert "비교 기간 전년 동기 2023년 1분기 (2023.01.01–2023.03.31)" in captions(at)[0]
    # the links to other pages keep it (row 0 is the whole city)
    table = at.dataframe[0].value
    assert table["link"][0] == "./?period=2024-Q1&compare=yoy#시 전체"
    assert table["link"][1] == f"./nb-{A}?period=2024-Q1&compare=yoy#온양1동"


def test_overview_explicit_dates(city_url):
    at = run_app(**{"from": "2024-01-01", "to": "2024-03-31"})
    # discovered 2024-01-01..03-31: C03 C12 C04 = 3; the 91 days before (2023-10-02..12-31):
    # C02 (10-05) C10 (11-01) C11 (12-15) = 3 → 0
    assert tiles(at)["발굴 가구"] == ("3", "0")


def test_bad_period_in_the_url_is_explained_not_a_traceback(city_url):
    at = run_app(period="2024-H3")
    assert [w.value for w in at.warning] == [
        "기간 `2024-H3`을(를) 이해할 수 없어 기본 기간을 보여 줍니다. "
        "2024, 2024-H1, 2024-Q3, 2024-05 형식으로 쓰세요."
    ]
    # the default period instead, against 2023-01-01..12-31: 8 / 5 = 160.0 %
    assert tiles(at)["발굴 가구"] == ("13", "+8 (+160.0%)")


def test_lower_case_period_is_accepted(city_url):
    at = run_app(period="2024-h1")
    assert not at.warning
    # 2024-H1 discovered: C03 C04 C05 C12 C13 C14 = 6; 2023-H2: C01 C02 C09 C10 C11 = 5
    # → +1, 1 / 5 = 20.0 %
    assert tiles(at)["발굴 가구"] == ("6", "+1 (+20.0%)")


def test_copy_link_reproduces_the_view(city_url):
    at = run_app(period="2024-H1", lang="en")
    assert [c.value for c in at.code] == ["?period=2024-H1&lang=en"]
    at = run_app(**{"from": "2024-02-01", "to": "2024-03-31"})
    assert [c.value for c in at.code] == ["?from=2024-02-01&to=2024-03-31"]


def test_changing_the_period_and_language_widgets(city_url):
    at = run_app(period="2024")
    at.selectbox(key="period").set_value("2024-Q1").run()
    # 2024-Q1 discovered: C03 (01-10) C12 (02-01) C04 (03-01) = 3; 2023-Q4: C02 C10 C11 = 3
    assert tiles(at)["발굴 가구"] == ("3", "0")
    at.button_group(key="lang").set_value("en").run()
    assert tiles(at)["Households identified"] == ("3", "0")
    assert at.title[0].value == "테스트시: welfare network overview"


def test_period_without_data_shows_an_empty_state(city_url):
    # the earliest date is SS08's start, 2022-05-01; 2021 is offered and holds nothing
    at = run_app(period="2021")
    assert [i.value for i in at.info] == [
        "2021년에는 기록된 활동이 없습니다. 다른 기간을 고르세요."
    ]
    assert tiles(at)["발굴 가구"] == ("0", "0")
    assert not at.dataframe


def _dataset_rows(element) -> list[int]:
    """The number of rows of each dataset a chart element sends to the browser."""
    sizes = []
    for dataset in element.proto.datasets:
        with pa.ipc.open_stream(dataset.data.data) as reader:
            sizes.append(reader.read_all().num_rows)
    return sizes


def test_overview_charts_get_aggregated_frames_only(city_url):
    at = run_app(period="2024")
    charts = at.get("vega_lite_chart")
    # the ranking (3 neighbourhoods + the city line) and three monthly trends
    sizes = sorted(n for el in charts for n in _dataset_rows(el))
    # ranking: 3 bars, 1 city line; trends: 12 months × 3 series (cases), × 2 (money),
    # × 1 (referrals) — never a row per case, donation or referral
    assert sizes == [1, 3, 12, 24, 36]
    for el in charts:
        spec = json.loads(el.proto.spec)
        assert spec["config"]["axisX"]["labelAngle"] == 0
        assert "Noto Sans" in spec["config"]["font"]


def test_an_error_in_a_section_is_one_sentence_and_the_rest_still_shows(city_url, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setitem(ui._BREAKDOWNS, "channels", broken)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["period"] = "2024"
    at._page_hash = calc_hash(f"nb-{A}")
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert warnings == [
        "이 화면을 그리는 중 문제가 생겼습니다. 잠시 후 다시 시도하거나 관리자에게 알려 주세요."
    ]
    assert not any("secret" in w for w in warnings)
    # the other areas are drawn
    assert tiles(at)["모금액"] == ("370만원", "+270만원 (+270.0%)")  # 2,700,000 / 1,000,000


def test_an_error_in_a_page_is_caught_by_the_boundary(city_url, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ui, "metrics", broken)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Something went wrong while drawing this view. Try again shortly or tell the administrator."
    ]


# ---- neighbourhood page -----------------------------------------------------------------

# 온양1동 (A, 1,000 households), 2024 against 2023:
#  discovered C03–C08 = 6 vs C01 C02 = 2 → +4;  opened C03 C04 C05 C07 C08 = 5 vs 2 → +3
#  active C02 C05 C07 C08 = 4 vs C01 C02 = 2 → +2;  closed C01 C03 C04 = 3 vs 0 → +3
#  per 1,000: 4 / 1,000 × 1,000 = 4.0 vs 2.0 → +2.0; city 7 / 3,500 × 1,000 = 2.0;
#    rank: A 4.0, B 3/2,000 × 1,000 = 1.5, C 0 → 1st of 3
#  high-risk share: C05 of C02 C05 C07 C08 = 25.0 % vs C01 of C01 C02 = 50 % → −25.0 pp
#  raised D02 + D03 + D04 = 3,700,000 vs D01 1,000,000 → +2,700,000; per 1,000 households
#    A 3,700 > B 1,800 > C 0 → 1st; city 12,600,000
#  target 3,700,000 / 5,000,000 = 74.0 % (no 2023 target: no change); city 63.0 %
#  referrals R02–R06 = 5 vs R01 → +4; accepted R02 R03 R05 of those answered (R04
#    declined) → 3/4 = 75.0 % vs 100 % → −25.0 pp; response days 2, 5, 10, 8 → median
#    (5 + 8) / 2 = 6.5 vs R01 3 → +3.5; nothing pending (R06 withdrawn)
#  visits V02 50 + V03 30 = 80 vs V01 40 → +40;  in self-sufficiency SS02 = 1 vs SS01 SS03 → −1
# In per cent of 2023: 4 / 2 = 200.0 %, 3 / 2 = 150.0 %, 2 / 2 = 100.0 %; closed on a base
#  of 0: none; 2,700,000 / 1,000,000 = 270.0 %; 4 / 1 = 400.0 %; 40 / 40 = 100.0 %;
#  −1 / 2 = −50.0 %; per 1,000, rates and days: their own unit only
NEIGHBOURHOOD_A_KO = {
    "발굴 가구": ("6", "+4 (+200.0%)"),
    "신규 사례관리": ("5", "+3 (+150.0%)"),
    "진행 중 사례": ("4", "+2 (+100.0%)"),
    "종결 사례": ("3", "+3"),
    "1천 세대당 진행 사례": ("4.0", "+2.0"),
    "고위험 비율": ("25.0%", "-25.0%p"),
    "모금액": ("370만원", "+270만원 (+270.0%)"),
    "모금 목표 달성률": ("74.0%", ""),
    "의뢰 건수": ("5", "+4 (+400.0%)"),
    "수락률": ("75.0%", "-25.0%p"),
    "응답 소요일(중앙값)": ("6.5일", "+3.5일"),
    "응답 대기": ("0", "0"),
    "방문 세대": ("80", "+40 (+100.0%)"),
    "자활 참여 중": ("1", "-1 (-50.0%)"),
}
NEIGHBOURHOOD_A_EN = {
    "Households identified": ("6", "+4 (+200.0%)"),
    "New cases": ("5", "+3 (+150.0%)"),
    "Active cases": ("4", "+2 (+100.0%)"),
    "Closed cases": ("3", "+3"),
    "Active per 1,000 households": ("4.0", "+2.0"),
    "High-risk share": ("25.0%", "-25.0 pp"),
    "Donations raised": ("₩3.7M", "+₩2.7M (+270.0%)"),
    "Donation target reached": ("74.0%", ""),
    "Referrals sent": ("5", "+4 (+400.0%)"),
    "Acceptance rate": ("75.0%", "-25.0 pp"),
    "Median days to respond": ("6.5 days", "+3.5 days"),
    "Awaiting response": ("0", "0"),
    "Households visited": ("80", "+40 (+100.0%)"),
    "In self-sufficiency work": ("1", "-1 (-50.0%)"),
}


@pytest.mark.parametrize("lang,expected", [("ko", NEIGHBOURHOOD_A_KO), ("en", NEIGHBOURHOOD_A_EN)])
def test_neighbourhood_page(city_url, lang, expected):
    params = {"period": "2024"} | ({"lang": "en"} if lang == "en" else {})
    at = run_app(f"nb-{A}", **params)
    assert at.title[0].value == "온양1동"
    shown = tiles(at)
    assert {label: shown[label] for label in expected} == expected
    # 32 metrics: all but received referrals (an agency's metric)
    assert len(shown) == 32
    heads = [h.value for h in at.header]
    if lang == "ko":
        assert heads == ["사례관리", "후원", "사례공유", "찾아가는 방문", "자활"]
        assert at.markdown[0].value == "동 · 1,000세대"
        assert "시 전체 2.0 · 3개 읍면동 중 1위(높은 순)" in captions(at)
        assert "시 전체 1,260만원 · 3개 읍면동 중 1위(1천 세대당, 높은 순)" in captions(at)
    else:
        assert heads == ["Caseload", "Donations", "Case-sharing", "Outreach", "Self-sufficiency"]
        assert at.markdown[0].value == "Dong · 1,000 households"
        assert "City 2.0 · rank 1 of 3, highest first" in captions(at)
        assert "City ₩12.6M · rank 1 of 3 per 1,000 households, highest first" in captions(at)


def test_neighbourhood_pending_referrals(city_url):
    # 배방읍 (B) on 2024-12-31: R11 (C14) waits 190 days → overdue; R12 (C16) 7 days → not
    at = run_app(f"nb-{B}", period="2024")
    table = at.dataframe[0].value
    assert list(table["case_id"]) == ["C14", "C16"]
    assert list(table["route"]) == [
        "희망복지지원단 → 테스트종합사회복지관",
        "테스트종합사회복지관 → 온양1동 행정복지센터",
    ]
    assert list(table["days_waiting"]) == [190, 7]
    assert list(table["overdue"]) == ["⚠ 기한 초과", ""]
    assert tiles(at)["기한 초과 대기"][0] == "1"


def test_nearly_empty_neighbourhood_shows_empty_states(city_url):
    # 송악면 (C) in 2024-H1: nothing happened (C18 is identified only in November)
    at = run_app(f"nb-{C}", period="2024-H1")
    assert at.info[0].value == "2024년 상반기에는 기록된 활동이 없습니다. 다른 기간을 고르세요."
    assert tiles(at)["발굴 가구"] == ("0", "0")
    assert tiles(at)["수락률"] == ("–", "")
    assert "이 기간에는 표시할 자료가 없습니다." in [i.value for i in at.info]
    assert "응답을 기다리는 의뢰가 없습니다." in [i.value for i in at.info]


def test_every_neighbourhood_has_its_page(city_url):
    for code, name in ((A, "온양1동"), (B, "배방읍"), (C, "송악면")):
        assert run_app(f"nb-{code}").title[0].value == name


def test_a_neighbourhood_added_by_an_import_gets_a_page_on_rerun(city_url):
    at = run_app()
    engine = make_engine(city_url)
    with engine.begin() as conn:
        conn.execute(
            Neighbourhood.__table__.insert().values(
                code="4420099000", name="새동", kind="동", households=100, population=200
            )
        )
    engine.dispose()
    time.sleep(2.1)  # the data-version token is kept for two seconds
    at._page_hash = calc_hash("nb-4420099000")
    at.run()
    assert not at.exception
    assert at.title[0].value == "새동"


# ---- other pages ------------------------------------------------------------------------


def test_donations_page(city_url):
    at = run_app("city-donations", period="2024")
    shown = tiles(at)
    # raised 12,600,000; target 20,000,000 → 63.0 %; donors DN02 DN03 DN04 DN01 + D04 D06 D09
    # without donor id = 7 (2023: DN01 DN05 = 2 → +5); households given aid C02 C05 C11 C12
    # C17 = 5 (2023: C09 → +4); in per cent: 11,200,000 / 1,400,000 = 800.0 %,
    # 5 / 2 = 250.0 %, 4 / 1 = 400.0 %
    assert shown["모금액"] == ("1,260만원", "+1,120만원 (+800.0%)")
    assert shown["모금 목표 달성률"] == ("63.0%", "")
    assert shown["후원자 수"] == ("7", "+5 (+250.0%)")
    assert shown["후원금 지원 가구"] == ("5", "+4 (+400.0%)")
    table = at.dataframe[0].value
    assert list(table["name"]) == ["온양1동", "배방읍", "송악면", "시 공동 모금"]
    # in 만원: 3,700,000 → 370 · 3,600,000 → 360 · 0 · 5,300,000 → 530
    assert list(table["raised_krw"]) == [370, 360, 0, 530]


def test_definitions_page_in_both_languages(city_url):
    at = run_app("metric-definitions")
    assert at.title[0].value == "지표 정의"
    assert [s.value for s in at.subheader] == [
        "사례관리",
        "후원",
        "사례공유",
        "찾아가는 방문",
        "자활",
    ]
    at = run_app("metric-definitions", lang="en")
    assert at.title[0].value == "Metric definitions"
    first = at.table[0].value
    assert first.loc["Households identified", "Key"] == "discovered"
    assert first.loc["Households identified", "Definition"] == "cases with discovered_on in P"


def test_empty_database_shows_how_to_start(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    clear_caches()
    try:
        at = run_app()
        assert at.info[0].value.startswith("아직 데이터가 없습니다.")
        assert not at.metric
    finally:
        clear_caches()
        engine_for(db_url).dispose()


def test_empty_database_builds_the_demo_city_when_enabled(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "1")
    monkeypatch.delenv("ITDA_CITY_NAME", raising=False)
    clear_caches()
    try:
        at = run_app()
        assert at.title[0].value == "한빛시 복지 네트워크 개요"
        assert (
            "데모 데이터 — 실제 주민 정보가 아닌, 시연용으로 만든 가상의 도시입니다."
            in captions(at)
        )
        assert len(at.metric) == 8
    finally:
        clear_caches()
        engine_for(db_url).dispose()


def test_unreachable_database_is_one_sentence(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    clear_caches()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 알려 주세요."
    ]
    assert at.button(key=ui.RETRY_KEY).label == "다시 시도"  # a click runs the page again
    clear_caches()


def test_data_import_page_is_registered_under_admin(city_url):
    assert run_app("data-import", lang="en").title[0].value == "Data import"
    assert run_app("data-import").title[0].value == "데이터 가져오기"
