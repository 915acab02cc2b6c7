"""The network page and an agency page through AppTest, on 테스트시 (SQLite and PostgreSQL).

The app runs from app.py as `streamlit run` does, with the period in the URL. Expected
values are worked out by hand from the referral table in tests/fixture_city.py:

    2024 (period 2024-01-01..2024-12-31): requested in 2024 are R02–R06 and R08–R13 = 11
    (R01 and R14 are from 2023-08, R07 from 2023-12-20).
    Waiting on 2024-12-31: R11 (AG01→AG03 since 06-24: 6+31+31+30+31+30+31 = 190 days) and
    R12 (AG03→AG02 since 12-24: 7 days, not over the 7-day limit). R06 and R08 were
    withdrawn in 2024. So pending 2, overdue 1.
"""

from __future__ import annotations

import pyarrow as pa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.apptest import APP, TIMEOUT, clear_caches


def run_app(page: str, **params: str) -> AppTest:
    """Run app.py on the page with `url_path` `page` and the query parameters."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    # Pages built from the database are partials; AppTest selects them by hash only.
    at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]
    return at


def tiles(at: AppTest) -> dict[str, tuple[str, str]]:
    """{label: (value, delta)} of every metric tile on the page."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def vega_charts(at: AppTest) -> list:
    """The page's Altair charts, in page order."""
    return at.get("vega_lite_chart")


def chart_rows(at: AppTest, index: int) -> list[dict]:
    """The data rows of the `index`-th chart of the page (Streamlit ships them as Arrow)."""
    (dataset,) = vega_charts(at)[index].proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_pandas().to_dict("records")


# ---- network page -------------------------------------------------------------------------


def test_network_page_headline_and_agency_table(city_url):
    at = run_app("case-sharing", period="2024")
    assert at.title[0].value == "사례공유 네트워크"
    assert any("응답 기한 7일" in m.value for m in at.markdown)
    assert tiles(at) == {
        "기간 중 의뢰": ("11", ""),
        "응답 대기": ("2", ""),
        "기한 초과 대기": ("1", ""),
    }
    table = at.dataframe[0].value
    assert len(table) == 5
    row = table[table["link"].str.contains("agency-AG03")].iloc[0]
    # AG03 in 2024: received R02 R05 R11 R13 = 4; sent R10 R12 = 2; answered R02 (수락,
    # 2 days) R05 (연계실패 = accepted, 8 days) R13 (불수락, 7 days) → 2/3 = 66.7 %, median
    # of 2 7 8 = 7; waiting R11 (190 days, overdue); closed after acceptance: R05 연계실패
    # → completion 0 %.
    assert row["link"].endswith("#테스트종합사회복지관")
    assert (row["referrals_sent"], row["referrals_received"]) == (2, 4)
    assert round(row["acceptance_rate"], 1) == 66.7
    assert (row["median_response_days"], row["pending"], row["overdue"]) == (7.0, 1, 1)
    assert row["completion_rate"] == 0.0


def test_network_page_overdue_list_and_limit_setting(city_url, monkeypatch):
    at = run_app("case-sharing", period="2024")
    overdue = at.dataframe[-1].value
    assert list(overdue.iloc[:, 0]) == ["R11"]
    assert list(overdue.iloc[:, -1]) == [190]
    # A 5-day limit makes R12 (7 days) overdue too; the page says which limit it uses.
    monkeypatch.setenv("ITDA_RESPONSE_LIMIT_DAYS", "5")
    clear_caches()
    at = run_app("case-sharing", period="2024")
    assert tiles(at)["기한 초과 대기"] == ("2", "")
    assert list(at.dataframe[-1].value.iloc[:, 0]) == ["R11", "R12"]
    assert any("응답 기한 5일" in m.value for m in at.markdown)


def test_network_page_flow_matrix_chart_data(city_url):
    at = run_app("case-sharing", period="2024")
    flows = {
        (r["from_code"], r["to_code"]): (r["referrals"], r["accepted"]) for r in chart_rows(at, 0)
    }
    # AG01→AG03: R11 (waiting), R13 (declined); AG01→AG04: R08 (withdrawn);
    # AG01→AG05: R03, R09 (both completed); AG02→AG03: R02 (accepted), R05 (failed);
    # AG02→AG04: R04 (declined); AG02→AG05: R06 (withdrawn); AG03→AG02: R12 (waiting);
    # AG03→AG04: R10 (accepted).
    assert flows == {
        ("AG01", "AG03"): (2, 0),
        ("AG01", "AG04"): (1, 0),
        ("AG01", "AG05"): (2, 2),
        ("AG02", "AG03"): (2, 2),
        ("AG02", "AG04"): (1, 0),
        ("AG02", "AG05"): (1, 0),
        ("AG03", "AG02"): (1, 0),
        ("AG03", "AG04"): (1, 1),
    }
    assert len(vega_charts(at)) == 3  # heat map, network graph, statuses by month


def test_network_page_sector_filter_and_neighbourhood_filter(city_url):
    at = run_app("case-sharing", period="2024")
    at.multiselect(key="sector").set_value(["민간"]).run()
    assert not at.exception
    names = [link.split("#")[1] for link in at.dataframe[0].value["link"]]
    assert names == ["테스트종합사회복지관", "테스트지역자활센터"]
    # Neighbourhood 배방읍 (B): its cases' referrals in 2024 are R08 (C11), R09 (C12),
    # R10 (C13), R11 (C14), R12 (C16), R13 (C17) = 6; waiting: R11, R12.
    at.multiselect(key="nb").set_value(["4420025000"]).run()
    assert not at.exception
    assert tiles(at) == {
        "기간 중 의뢰": ("6", ""),
        "응답 대기": ("2", ""),
        "기한 초과 대기": ("1", ""),
    }


def test_network_page_in_english(city_url):
    at = run_app("case-sharing", period="2024", lang="en")
    assert at.title[0].value == "Case-sharing network"
    assert "Overdue" in tiles(at)


# ---- agency page --------------------------------------------------------------------------


def test_agency_page_scorecard(city_url):
    at = run_app("agency-AG03", period="2024")
    assert at.title[0].value == "테스트종합사회복지관"
    # 2024 (see the network test) against 2023: AG03 received R01 (2023-08-15, 3 days,
    # 연계완료 closed 2023-10-01) and R07 (2023-12-20, answered only in 2024) and sent none.
    # sent 2 vs 0 → +2; received 4 vs 2 → +2; acceptance 66.7 % vs 1/1 = 100 % → −33.3 %p;
    # median 7 vs 3 → +4; pending 1 vs R07 (waiting 11 days on 2023-12-31) 1 → 0;
    # overdue 1 vs 1 → 0; completion 0 % vs 100 % → −100 %p.
    values = {label: value for label, (value, _) in tiles(at).items()}
    assert values == {
        "의뢰 건수": "2",
        "수신 건수": "4",
        "수락률": "66.7%",
        "응답 소요일(중앙값)": "7.0일",
        "응답 대기": "1",
        "기한 초과 대기": "1",
        "연계 완료율": "0.0%",
    }
    deltas = {label: delta for label, (_, delta) in tiles(at).items()}
    assert deltas["수신 건수"] == "+2 (+100.0%)"  # 2 / 2
    assert deltas["수락률"] == "-33.3%p"
    assert deltas["응답 소요일(중앙값)"] == "+4.0일"
    assert deltas["연계 완료율"] == "-100.0%p"


def test_agency_page_received_sent_pending_and_partners(city_url):
    at = run_app("agency-AG03", period="2024")
    directions = at.dataframe[0].value.set_index("구분")
    # Received: R02 수락, R05 연계실패, R11 의뢰, R13 불수락. Sent: R10 수락, R12 의뢰.
    assert directions.loc["받은 의뢰", ["의뢰", "수락", "불수락", "연계실패", "합계"]].tolist() == [
        1,
        1,
        1,
        1,
        4,
    ]
    assert directions.loc["보낸 의뢰", ["의뢰", "수락", "합계"]].tolist() == [1, 1, 2]
    pending = at.dataframe[1].value
    assert list(pending.iloc[:, 0]) == ["R11"]
    # Partners: AG02 received R02 R05 from it, sent R12 to it (3); AG01 R11 R13 (2);
    # AG04 R10 (1).
    partners = at.dataframe[2].value
    assert partners.values.tolist() == [
        ["온양1동 행정복지센터", 1, 2, 3],
        ["희망복지지원단", 0, 2, 2],
        ["테스트지역자활센터", 1, 0, 1],
    ]


def test_agency_page_response_trend_against_network(city_url):
    at = run_app("agency-AG03", period="2024")
    rows = chart_rows(at, 0)
    # AG03 by month requested (answered by 2024-12-31): Jan R02 2; Jun R05 8; Nov R13 7.
    # The network: Jan R02 2, R03 (01-20 → 01-25) 5 → 3.5; Feb R09 (02-15 → 02-22) 7;
    # Mar R04 (03-10 → 03-20) 10; Apr R10 (04-05 → 04-12) 7; Jun R05 8; Nov R13 7.
    # Every other month of 2024 is there too, without a median (a gap in the line).
    series = {(r["series"], r["month"]): r["median_days"] for r in rows}
    assert len(series) == 2 * 12
    series = {k: v for k, v in series.items() if v == v}  # NaN: no answers that month
    assert series == {
        ("테스트종합사회복지관", "2024.01"): 2.0,
        ("테스트종합사회복지관", "2024.06"): 8.0,
        ("테스트종합사회복지관", "2024.11"): 7.0,
        ("전체 네트워크", "2024.01"): 3.5,
        ("전체 네트워크", "2024.02"): 7.0,
        ("전체 네트워크", "2024.03"): 10.0,
        ("전체 네트워크", "2024.04"): 7.0,
        ("전체 네트워크", "2024.06"): 8.0,
        ("전체 네트워크", "2024.11"): 7.0,
    }


def test_unknown_agency_is_a_clear_message_not_a_traceback(city_url):
    from views import agency

    at = AppTest.from_string(
        "from views import agency\nagency.render('NOPE')", default_timeout=TIMEOUT
    )
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["기관 `NOPE`을(를) 찾을 수 없습니다."]
    assert agency.render  # the page module imports cleanly on its own
