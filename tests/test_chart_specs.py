"""lib.chart_specs: a chart's spec is Streamlit's own, made once per content of its inputs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from lib import chart_specs
from lib.charts import dashboard as charts
from lib.suppression import SMALL, Suppressed

MONTHLY = pd.DataFrame(
    {
        "month": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
        "discovered": [3, 1],
        "opened": [2, 0],
        "closed": [0, 1],
        "services": [4, 2],
        "donations_krw": [3_000_000, 2_100_000],
        "disbursed_krw": [300_000, 200_000],
        "referrals_sent": [2, 2],
    }
)


def test_the_spec_is_what_st_altair_chart_would_send():
    chart = charts.caseload_trend_chart(MONTHLY, "ko")
    made = chart_specs.prepare(chart_specs.call(charts.caseload_trend_chart, MONTHLY, "ko"))
    assert made.spec == _convert_altair_to_vega_lite_spec(chart)
    # Tables travel as Arrow bytes (nothing left to convert, cheap to cache).
    assert all(isinstance(v, bytes) for v in made.spec["datasets"].values())


def test_the_fingerprint_follows_the_content_not_the_object():
    one = chart_specs.call(charts.caseload_trend_chart, MONTHLY, "ko")
    same = chart_specs.call(charts.caseload_trend_chart, MONTHLY.copy(), "ko")
    assert chart_specs.fingerprint(one) == chart_specs.fingerprint(same)
    changed = MONTHLY.assign(opened=[2, 1])
    others = [
        chart_specs.call(charts.caseload_trend_chart, changed, "ko"),
        chart_specs.call(charts.caseload_trend_chart, MONTHLY, "en"),
        chart_specs.call(charts.raised_given_chart, MONTHLY, "ko"),
        chart_specs.call(
            charts.caseload_trend_chart, MONTHLY.rename(columns={"opened": "x"}), "ko"
        ),
    ]
    prints = {chart_specs.fingerprint(c) for c in [one, *others]}
    assert len(prints) == 5


def test_suppressed_cells_count_by_what_they_are():
    small = pd.DataFrame({"cases": [Suppressed(SMALL, 5)]})
    other = pd.DataFrame({"cases": [Suppressed(SMALL, 10)]})
    assert chart_specs.fingerprint(chart_specs.call(len, small)) != chart_specs.fingerprint(
        chart_specs.call(len, other)
    )


def test_an_argument_known_only_by_its_address_is_never_cached():
    assert chart_specs.fingerprint(chart_specs.call(len, object())) is None
    # A lambda or a closure may draw more than its arguments say.
    assert chart_specs.fingerprint(chart_specs.call(lambda f: f, MONTHLY)) is None


MADE: list[str] = []


def build(frame, lang):
    MADE.append(lang)
    return charts.caseload_trend_chart(frame, lang)


def test_a_chart_is_made_once_per_content():
    st.cache_data.clear()
    made = MADE
    made.clear()
    first = chart_specs.prepare(chart_specs.call(build, MONTHLY, "ko"))
    again = chart_specs.prepare(chart_specs.call(build, MONTHLY.copy(), "ko"))
    assert made == ["ko"] and first.spec == again.spec
    chart_specs.prepare(chart_specs.call(build, MONTHLY, "en"))
    assert made == ["ko", "en"]


def test_nothing_to_draw_is_none():
    assert chart_specs.prepare(chart_specs.call(lambda: None)) is None


def test_a_known_argument_is_loaded_only_to_make_the_chart():
    st.cache_data.clear()
    loads = []

    def load():
        loads.append(1)
        return MONTHLY

    call = chart_specs.call(charts.caseload_trend_chart, chart_specs.Known(("k", 1), load), "ko")
    chart_specs.prepare(call)
    chart_specs.prepare(call)
    assert loads == [1]
