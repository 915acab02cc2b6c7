"""The metrics engine in partner views (metrics.md "Small numbers"), on 작은시, both databases.

Every expected value is worked out by hand from tests/fixture_small.py (T = 5): the raw
number first, then what a partner sees. S = "<5" (a small count), W = withheld ("–", too
small to show), X = hidden so that a small one cannot be worked out by subtraction.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib.metric_defs import AGENCY_METRIC_KEYS, METRIC_KEYS
from lib.period import Period
from lib.queries.metrics import compute_metrics, metric_change, monthly_metric_frame
from lib.scope import Scope
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed
from tests.fixture_small import P, Q, load_small_city
from tests.test_metrics_fixture import assert_values

S, W, X = Suppressed(SMALL, 5), Suppressed(WITHHELD, 5), Suppressed(COMPLEMENTARY, 5)
N = None  # undefined: the denominator is empty
Y2024 = Period.year(2024)
ONLY_P = Scope(neighbourhood_codes=(P,), partner_view=True)
ONLY_Q = Scope(neighbourhood_codes=(Q,), partner_view=True)
BOTH = Scope(neighbourhood_codes=(P, Q), partner_view=True)

# ---- 2024, neighbourhood P alone: mostly T − 1 = 4 ----------------------------------------
P_RAW = {
    "discovered": 0,  # P1–P4 in 2023-06, P5–P8 in 2023-12
    "opened": 4,  # P5–P8 (05-21 … 06-20)
    "active": 4,  # P1–P4 (P5–P8 closed 06-30)
    "closed": 4,  # P5–P8
    "active_per_1000": 4.0,  # 4 / 1,000 × 1000
    "high_risk_share": 25.0,  # P1 of 4
    "isolated_active": 1,  # P1
    "served_households": 4,  # P1–P4 given money in March
    "services": 0,
    "plan_on_time_rate": 0.0,  # due P5–P8 (4), none planned
    "median_days_open": 25.0,  # 10 [20 30] 40
    "donations_krw": 1_000_000,  # D1
    "donations_cash_krw": 1_000_000,
    "donations_inkind_krw": 0,
    "donation_count": 1,
    "donors": 1,  # DN1
    "disbursed_krw": 400_000,  # 4 × 100,000
    "supported_households": 4,
    "donation_target_rate": 50.0,  # 1,000,000 / 2,000,000
    "referrals_sent": 4,  # RP1–RP4
    "referrals_received": 4,
    "acceptance_rate": 75.0,  # 3 accepted, 1 declined
    "median_response_days": 2.5,  # 1 [2 3] 4
    "pending": 0,
    "overdue": 0,
    "completion_rate": N,  # nothing accepted was closed
    "households_visited": 4,  # V1
    "households_found": 0,
    "ss_active": 1,  # SP5
    "ss_started": 1,  # SP5
    "ss_exits": 4,  # SP1–SP4
    "ss_success_rate": 50.0,  # SP1, SP2 employed of 4
    "ss_programmes": 1,  # 가
}
P_PARTNER = P_RAW | {
    "opened": S,  # 4
    "active": S,  # 4
    "closed": S,  # 4
    "active_per_1000": W,  # its count (4) is not shown
    "high_risk_share": W,  # denominator 4
    "isolated_active": S,  # 1
    "served_households": S,
    "plan_on_time_rate": W,  # denominator 4 (a rate of 0.0 is withheld all the same)
    "median_days_open": W,  # over 4 values
    "donation_count": S,
    "donors": S,
    "disbursed_krw": W,  # given to 4 households
    "supported_households": S,
    "referrals_sent": S,
    "referrals_received": S,
    "acceptance_rate": W,  # 4 answered
    "median_response_days": W,  # over 4 values
    "households_visited": S,
    "ss_active": S,
    "ss_started": S,
    "ss_exits": S,
    "ss_success_rate": W,  # 4 exits
    # shown: counts of 0, money raised (1,000,000), its target rate, programmes (1)
}

# ---- 2024, neighbourhood Q alone: mostly T = 5 ---------------------------------------------
Q_RAW = {
    "discovered": 5,  # Q1–Q5 (01-10)
    "opened": 10,  # Q1–Q5 (02-01), Q6–Q10 (May, June)
    "active": 5,  # Q1–Q5
    "closed": 5,  # Q6–Q10
    "active_per_1000": 2.5,  # 5 / 2,000 × 1000
    "high_risk_share": 40.0,  # Q1, Q3 of 5
    "isolated_active": 0,
    "served_households": 5,  # Q1–Q5 (money); Q1, Q2 also served
    "services": 7,  # S1–S7
    "plan_on_time_rate": 10.0,  # due Q1–Q10; Q1 planned 02-20 ≤ 02-01 + 30
    "median_days_open": 30.0,  # 10 20 [30] 40 50
    "donations_krw": 0,
    "donations_cash_krw": 0,
    "donations_inkind_krw": 0,
    "donation_count": 0,
    "donors": 0,
    "disbursed_krw": 550_000,  # 5 × 100,000 + 50,000
    "supported_households": 5,  # Q1 twice
    "donation_target_rate": N,  # no target for Q
    "referrals_sent": 6,  # RQ1–RQ6
    "referrals_received": 6,
    "acceptance_rate": 80.0,  # 4 accepted, 1 declined
    "median_response_days": 3.0,  # 1 2 [3] 4 5
    "pending": 1,  # RQ6
    "overdue": 1,  # RQ6: 12-31 − 12-20 = 11 > 7
    "completion_rate": N,
    "households_visited": 5,  # V2
    "households_found": 1,
    "ss_active": 0,
    "ss_started": 0,
    "ss_exits": 5,  # SQ1–SQ5
    "ss_success_rate": 100.0,
    "ss_programmes": 0,
}
Q_PARTNER = Q_RAW | {
    "pending": S,  # 1
    "overdue": S,  # 1
    "households_found": S,  # 1
    # everything at T (5) or over, and every rate over 5 or more, is shown
}


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_small_city(c)
    with engine.connect() as c:
        yield c


def _row(conn, scope: Scope, by="city", unit="city") -> dict:
    return compute_metrics(conn, Y2024, by=by, scope=scope).loc[unit].to_dict()


def test_staff_see_every_number_as_it_is(conn):
    frame = compute_metrics(conn, Y2024, by="neighbourhood")
    assert_values(frame.loc[P].to_dict(), P_RAW, "staff P")
    assert_values(frame.loc[Q].to_dict(), Q_RAW, "staff Q")


def test_a_partner_of_p_sees_counts_of_1_to_4_as_less_than_5(conn):
    # As one row (the scope's total), a scope of some neighbourhoods has no target rate:
    # the city's target does not describe it (metrics_donations._targets).
    assert _row(conn, ONLY_P) == P_PARTNER | {"donation_target_rate": N}


def test_a_partner_of_q_sees_counts_and_rates_at_5(conn):
    assert _row(conn, ONLY_Q) == Q_PARTNER


def test_the_neighbourhood_grouping_of_one_neighbourhood(conn):
    assert _row(conn, ONLY_P, by="neighbourhood", unit=P) == P_PARTNER


def test_neighbourhoods_that_add_up_to_the_scope_hide_a_second_cell(conn):
    # The scope's own row (P + Q) is shown elsewhere, so in each column where P alone is
    # hidden, Q's value would give it back: Q's is hidden too (X), unless P's is 0 or the
    # only other cell is 0.
    frame = compute_metrics(conn, Y2024, by="neighbourhood", scope=BOTH)
    got = {key: frame[key].tolist() for key in frame.columns}
    assert got["discovered"] == [0, 5]  # nothing hidden
    assert got["opened"] == [S, X]  # 4 hidden → 10 hidden
    assert got["active"] == [S, X]  # 4 → 5
    assert got["active_per_1000"] == [W, W]  # follows active, hidden in both
    assert got["isolated_active"] == [S, 0]  # the other cell is 0: the total is 1, "<5" too
    assert got["services"] == [0, 7]
    assert got["disbursed_krw"] == [W, X]  # money given: 400,000 withheld → 550,000 hidden
    assert got["supported_households"] == [S, X]
    assert got["referrals_sent"] == [S, X]
    assert got["pending"] == [0, S]
    assert got["households_found"] == [0, S]
    assert got["ss_exits"] == [S, X]
    # Rates and medians do not add up: each is shown on its own basis.
    assert got["high_risk_share"] == [W, 40.0]
    assert got["median_days_open"] == [W, 30.0]
    # Money raised and programmes are always shown.
    assert got["donations_krw"] == [1_000_000, 0]
    assert got["ss_programmes"] == [1, 0]


def test_the_scope_of_two_neighbourhoods_as_a_whole(conn):
    city = _row(conn, BOTH)
    assert city["active"] == 9  # P1–P4, Q1–Q5
    assert city["active_per_1000"] == pytest.approx(3.0)  # 9 / 3,000 × 1000
    assert city["isolated_active"] == S  # P1
    assert city["median_days_open"] == 30.0  # 10 10 20 20 [30] 30 40 40 50
    assert city["disbursed_krw"] == 950_000  # 9 households
    assert city["donation_target_rate"] is None  # some neighbourhoods: no city target
    assert city["pending"] == S  # RQ6


def test_the_threshold_is_the_setting(conn, monkeypatch):
    monkeypatch.setenv("ITDA_SMALL_COUNT_THRESHOLD", "6")
    row = _row(conn, ONLY_Q)
    six = Suppressed(SMALL, 6)
    assert row["active"] == six  # 5 < 6
    assert row["referrals_sent"] == 6  # 6 is shown
    assert row["acceptance_rate"] == Suppressed(WITHHELD, 6)  # 5 answered < 6


def test_an_agency_partner_gets_case_sharing_metrics_only(conn):
    # Caseload, donations and the other areas do not follow an agency: they would be the
    # whole city's, so an agency's partner view never gets them.
    frame = compute_metrics(conn, Y2024, scope=Scope(agency_code="Z", partner_view=True))
    assert list(frame.columns) == list(AGENCY_METRIC_KEYS)
    with pytest.raises(ValueError):
        compute_metrics(
            conn, Y2024, scope=Scope(agency_code="Z", partner_view=True), keys=["active"]
        )
    # Staff may still ask an agency scope for anything (the CLI does).
    staff = compute_metrics(conn, Y2024, scope=Scope(agency_code="Z"))
    assert list(staff.columns) == list(METRIC_KEYS)


def test_agency_metrics_in_partner_views(conn):
    z = compute_metrics(conn, Y2024, by="agency", scope=Scope(agency_code="Z", partner_view=True))
    assert z.loc["Z"].to_dict() == {
        "referrals_sent": 0,
        "referrals_received": S,  # RQ6
        "acceptance_rate": N,  # nothing answered
        "median_response_days": N,
        "pending": S,  # RQ6
        "overdue": S,
        "completion_rate": N,
    }
    y = compute_metrics(conn, Y2024, by="agency", scope=Scope(agency_code="Y", partner_view=True))
    row = y.loc["Y"].to_dict()
    assert row["referrals_received"] == 9  # RP1–RP4, RQ1–RQ5
    assert row["acceptance_rate"] == pytest.approx(700 / 9)  # 7 accepted of 9 answered
    assert row["median_response_days"] == 3.0  # 1 1 2 2 [3] 3 4 4 5


def test_monthly_values_in_a_partner_view(conn):
    h1 = Period.half(2024, 1)
    keys = ["opened", "services", "disbursed_krw"]

    def series(scope):
        frame = monthly_metric_frame(conn, h1, keys, scope=scope)
        return {k: frame[frame["key"] == k]["value"].tolist() for k in keys}

    # Staff: Q opened Q1–Q5 in Feb, Q8–Q10 in May, Q6–Q7 in June; services S2–S7 in Jan,
    # S1 in May; money 5 × 100,000 in March, 50,000 (Q1 again) in April.
    assert series(Scope(neighbourhood_codes=(Q,))) == {
        "opened": [0, 5, 0, 0, 3, 2],
        "services": [6, 0, 0, 0, 1, 0],
        "disbursed_krw": [0, 0, 500_000, 50_000, 0, 0],
    }
    # Partner: May 3 and June 2 both "<5"; services' May 1 hidden → January's 6 too (the
    # months add up to the period's 7); April's 50,000 went to 1 household → withheld,
    # so March's 500,000 is hidden with it (the period's 550,000 is shown).
    assert series(ONLY_Q) == {
        "opened": [0, 5, 0, 0, S, S],
        "services": [X, 0, 0, 0, S, 0],
        "disbursed_krw": [0, 0, X, W, 0, 0],
    }


def test_monthly_values_by_neighbourhood_form_a_table(conn):
    frame = monthly_metric_frame(
        conn, Period.month(2024, 3), ["disbursed_krw"], by="neighbourhood", scope=BOTH
    )
    # March: P 400,000 to 4 households (withheld); Q 500,000 to 5, hidden with it because
    # the month's two cells add up to the scope's March.
    assert frame["value"].tolist() == [W, X]
    assert frame["month"].tolist() == [dt.date(2024, 3, 1)] * 2


@pytest.mark.parametrize(
    "current, previous, change",
    [
        (7, 4, 3.0),
        (S, 4, None),  # the change and 4 would give the hidden value back
        (7, S, None),
        (W, 50.0, None),
        (None, 4, None),
    ],
)
def test_no_change_is_worked_out_from_a_suppressed_value(current, previous, change):
    assert metric_change(current, previous, "count") == change
