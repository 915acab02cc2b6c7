"""Monthly flows, changes against the previous period and neighbourhood ranks (fixture city)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.period import Period
from lib.queries.metrics import (
    MONTHLY_KEYS,
    compute_metrics,
    metric_change,
    monthly_metric_frame,
    rank_neighbourhoods,
)
from tests.fixture_city import NEIGHBOURHOODS, A, B, C, load_fixture_city

H1_MONTHS = [dt.date(2024, m, 1) for m in range(1, 7)]


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_fixture_city(c)
    with engine.connect() as c:
        yield c


def _series(frame: pd.DataFrame, scope: str, key: str) -> list[int]:
    rows = frame[(frame.scope == scope) & (frame.key == key)].sort_values("month")
    return rows.value.tolist()


def test_monthly_city_flows_of_2024_h1(conn):
    keys = ["discovered", "donations_krw", "closed"]
    frame = monthly_metric_frame(conn, Period.parse("2024-H1"), keys)
    assert list(frame.columns) == ["month", "scope", "key", "value"]
    assert len(frame) == 6 * 1 * 3  # months × units × keys, zeros included
    months = sorted(set(frame.month))
    assert months == H1_MONTHS and all(type(m) is dt.date for m in months)
    # C03 (Jan) C12 (Feb) C04 (Mar) C13 (Apr) C05 (May) C14 (Jun)
    assert _series(frame, "city", "discovered") == [1, 1, 1, 1, 1, 1]
    # Jan D02 3M; Feb D05 2M + D06 0.1M; Mar D08 5M (city-wide); May D03 0.5M
    assert _series(frame, "city", "donations_krw") == [
        3_000_000,
        2_100_000,
        5_000_000,
        0,
        500_000,
        0,
    ]
    # Feb C01, Mar C10, May C12, Jun C03
    assert _series(frame, "city", "closed") == [0, 1, 1, 0, 1, 1]


def test_monthly_by_neighbourhood_and_by_agency(conn):
    period = Period.parse("2024-H1")
    frame = monthly_metric_frame(conn, period, ["referrals_sent"], by="neighbourhood")
    assert len(frame) == 6 * 3
    assert _series(frame, A, "referrals_sent") == [2, 0, 1, 0, 0, 1]  # R02 R03 | R04 | R05
    assert _series(frame, B, "referrals_sent") == [0, 2, 0, 1, 0, 1]  # R08 R09 | R10 | R11
    assert _series(frame, C, "referrals_sent") == [0] * 6
    agencies = monthly_metric_frame(
        conn, period, ["referrals_sent", "referrals_received"], by="agency"
    )
    assert _series(agencies, "AG01", "referrals_sent") == [1, 2, 0, 0, 0, 1]  # R03 | R08 R09 | R11
    assert _series(agencies, "AG03", "referrals_received") == [1, 0, 0, 0, 0, 2]  # R02 | R05 R11
    assert _series(agencies, "AG03", "referrals_sent") == [0, 0, 0, 1, 0, 0]  # R10


def test_monthly_closed_excludes_cases_never_opened(conn):
    frame = monthly_metric_frame(conn, Period.parse("2024-H2"), ["closed"])
    # Sep C04, Oct C13, Dec C16; July's C06 was closed without being opened.
    assert _series(frame, "city", "closed") == [0, 0, 1, 1, 0, 1]


def test_monthly_custom_range_counts_only_days_inside(conn):
    frame = monthly_metric_frame(conn, Period.parse("2024-01-15..2024-03-10"), ["discovered"])
    # C03 was found 01-10 (before the start), C12 02-01, C04 03-01.
    assert _series(frame, "city", "discovered") == [0, 1, 1]


def test_monthly_sums_add_up_to_the_period_value(conn):
    period = Period.parse("2024")
    frame = monthly_metric_frame(conn, period, MONTHLY_KEYS, by="neighbourhood")
    totals = frame.groupby(["scope", "key"]).value.sum()
    metrics = compute_metrics(conn, period, by="neighbourhood", keys=MONTHLY_KEYS)
    for code in (A, B, C):
        for key in MONTHLY_KEYS:
            assert totals[(code, key)] == metrics.loc[code, key], (code, key)


def test_monthly_refuses_stock_metrics(conn):
    with pytest.raises(ValueError):
        monthly_metric_frame(conn, Period.parse("2024"), ["active"])
    with pytest.raises(ValueError):
        monthly_metric_frame(conn, Period.parse("2024"), ["discovered"], by="agency")


def test_metric_change():
    assert metric_change(10, 7, "count") == 3.0
    assert metric_change(1_000_000, 1_500_000, "krw") == -500_000.0
    assert metric_change(50.0, 62.5, "rate") == -12.5  # percentage points
    assert metric_change(7.5, 7.0, "days") == 0.5
    assert metric_change(None, 3, "count") is None
    assert metric_change(3, float("nan"), "rate") is None
    assert metric_change(0, 0, "count") == 0.0
    with pytest.raises(ValueError):
        metric_change(1, 2, "percent")


def test_rank_neighbourhoods_on_the_fixture(conn):
    frame = compute_metrics(conn, Period.parse("2024"), by="neighbourhood")
    households = pd.Series({code: h for code, _, _, h, _ in NEIGHBOURHOODS})
    # active per 1,000: A 4/1,000 → 4.0, B 3/2,000 → 1.5, C 0/500 → 0 (B has fewer per 1,000
    # although its count is close to A's).
    assert rank_neighbourhoods(frame, "active", households).tolist() == [1, 2, 3]
    # discovered: A 6, B 6 → per 1,000: A 6.0, B 3.0, C 1/500 → 2.0
    assert rank_neighbourhoods(frame, "discovered", households).tolist() == [1, 2, 3]
    # acceptance_rate is ranked as is: A 75 %, B 66.7 %, C undefined → unranked
    ranks = rank_neighbourhoods(frame, "acceptance_rate", households)
    assert ranks[A] == 1 and ranks[B] == 2 and ranks[C] is pd.NA
    assert ranks.index.tolist() == [A, B, C]


def test_rank_ties_share_the_best_rank_and_city_is_ignored():
    frame = pd.DataFrame(
        {"discovered": [10, 20, 20, None, 99], "acceptance_rate": [50.0, 80.0, 80.0, 10.0, 1.0]},
        index=pd.Index(["n1", "n2", "n3", "n4", "city"], name="scope"),
        dtype=object,
    )
    households = pd.Series({"n1": 1000, "n2": 4000, "n3": 2000, "n4": 1000})
    # per 1,000: n1 10, n2 5, n3 10, n4 undefined → n1 and n3 share rank 1, n2 third
    assert rank_neighbourhoods(frame, "discovered", households).tolist() == [1, 3, 1, pd.NA]
    # rates: 80, 80 share rank 1; 50 third; 10 fourth
    assert rank_neighbourhoods(frame, "acceptance_rate", households).tolist() == [3, 1, 1, 4]
