"""Korean throughout (AppTest on 테스트시): the period selector's names and URL keys, the
page title of the browser tab, and the page for an unknown address.

테스트시's as-of date is 2024-12-31 (the last date in tests/fixture_city.py); its first
data date is 2022-05-01, so the selector offers 2024 back to 2021.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import APP, TIMEOUT


def _run(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _period_box(at: AppTest):
    return at.selectbox(key="period")


def test_period_names_are_korean_and_the_value_is_the_key(city_url):
    at = _run(period="2024-H1")
    box = _period_box(at)
    # Newest first: the year 2024, H2, H1, Q4 … ; on 2024-12-31 every 2024 period is over
    assert box.options[:4] == ["2024년", "2024년 하반기", "2024년 상반기", "2024년 4분기"]
    assert "2024년 5월" in box.options and "2021년 1월" in box.options
    assert not any("진행 중" in o for o in box.options)
    assert box.value == "2024-H1"
    assert at.query_params["period"] == "2024-H1"


def test_english_names(city_url):
    at = _run(period="2024-05", lang="en")
    box = _period_box(at)
    assert box.options[:3] == ["2024", "H2 2024", "H1 2024"]
    assert "May 2024" in box.options and "Q1 2024" in box.options
    assert box.value == "2024-05"


def test_choosing_a_period_writes_its_key_to_the_url(city_url):
    at = _run(period="2024")
    _period_box(at).set_value("2024-Q1").run()
    assert at.query_params["period"] == "2024-Q1"
    assert _period_box(at).value == "2024-Q1"
    # a second run (a reload, or another page) keeps it: the URL holds the key
    at.run()
    assert _period_box(at).value == "2024-Q1"


def test_clearing_the_period_removes_it_from_the_url(city_url):
    at = _run(period="2024")
    _period_box(at).set_value(None).run()
    assert "period" not in at.query_params
    assert _period_box(at).value is None


def test_a_loose_period_is_read_and_the_url_corrected(city_url):
    at = _run(period="2024-h1")
    assert _period_box(at).value == "2024-H1"
    assert at.query_params["period"] == "2024-H1"


def test_a_bad_period_leaves_a_notice_and_leaves_the_url(city_url):
    at = _run(period="2024-H3")
    assert _period_box(at).value is None
    assert "period" not in at.query_params
    assert [w.value for w in at.warning][0].startswith("기간 `2024-H3`")


def test_a_range_in_the_period_parameter_fills_the_dates(city_url):
    at = _run(period="2024-02-01..2024-03-31")
    assert "period" not in at.query_params
    assert [str(d.value) for d in at.date_input] == ["2024-02-01", "2024-03-31"]
