"""Every metric of the fixture city 테스트시, worked out by hand from tests/fixture_city.py.

Each expected value carries its arithmetic. A = 4420011000 (1,000 households),
B = 4420025000 (2,000), C = 4420031000 (500); the city has 3,500 households.
"""

from __future__ import annotations

import math

import pytest

from lib.metric_defs import AGENCY_METRIC_KEYS, METRIC_KEYS
from lib.period import Period
from lib.queries.metrics import compute_metrics
from tests.fixture_city import A, B, C, load_fixture_city

N = None  # undefined: the denominator is empty

# ---- 2024 (2024-01-01 … 2024-12-31) ---------------------------------------------------
EXPECTED_2024 = {
    "city": {
        "discovered": 13,  # A 6 + B 6 + C 1
        "opened": 11,  # A 5 + B 6
        "active": 7,  # A 4 + B 3
        "closed": 7,  # A 3 + B 4 (C06 closed but never opened: not counted)
        "active_per_1000": 2.0,  # 7 / 3,500 × 1000
        "high_risk_share": 200 / 7,  # C05, C17 of 7 active = 28.57 %
        "isolated_active": 2,  # C05, C14
        "served_households": 9,  # A 4 + B 5
        "services": 9,  # S02 S03 S04 S05 S06 S08 S09 S10 S11 (S01, S07 in 2023)
        "plan_on_time_rate": 60.0,  # (2 + 4) / (4 + 6)
        "median_days_open": 167.0,  # 87 90 121 [167] 183 189 189
        "donations_krw": 12_600_000,  # A 3.7M + B 3.6M + city-wide D08 5M + D09 0.3M
        "donations_cash_krw": 10_300_000,  # A 3.2M + B 2.1M + D08 5M
        "donations_inkind_krw": 2_300_000,  # D03 0.5M + D07 1.5M + D09 0.3M
        "donation_count": 8,  # D02–D09
        "donors": 7,  # DN01 DN02 DN03 DN04 (DN02 gave twice) + 3 without id (D04 D06 D09)
        "disbursed_krw": 1_750_000,  # A 800,000 + B 950,000
        "supported_households": 5,  # C02 C05 C11 C12 C17
        "donation_target_rate": 63.0,  # 12,600,000 / 20,000,000
        "referrals_sent": 11,  # R02–R06, R08–R13
        "referrals_received": 11,  # every referral is received by some agency
        "acceptance_rate": 500 / 7,  # accepted R02 R03 R05 R09 R10; declined R04 R13 → 5/7
        "median_response_days": 7.0,  # 2 5 7 [7] 7 8 10
        "pending": 2,  # R11, R12 (R06, R08 withdrawn by the end)
        "overdue": 1,  # R11: 190 days; R12: 12-31 − 12-24 = 7, not > 7
        "completion_rate": 200 / 3,  # completed R03 R09, failed R05 → 2/3
        "households_visited": 245,  # 50 + 30 + 80 + 60 + 25
        "households_found": 13,  # 4 + 2 + 5 + 1 + 1
        "ss_active": 3,  # SS02 SS04 SS07
        "ss_started": 4,  # SS02 SS04 SS06 SS07
        "ss_exits": 4,  # SS01 SS03 SS05 SS06 (SS08 left 2023-12-31)
        "ss_success_rate": 50.0,  # SS01 취업, SS05 창업 of 4
        "ss_programmes": 2,  # 세차사업단 (SS02, SS07), 카페잇다 (SS04)
    },
    A: {
        "discovered": 6,  # C03 C04 C05 C06 C07 C08
        "opened": 5,  # C03 C04 C05 C07 C08
        "active": 4,  # C02 C05 C07 C08
        "closed": 3,  # C01 C03 C04 (C06 never opened)
        "active_per_1000": 4.0,  # 4 / 1,000 × 1000
        "high_risk_share": 25.0,  # C05 of 4
        "isolated_active": 1,  # C05
        "served_households": 4,  # services C01 C02 C03 C05; disbursements C02 C05
        "services": 5,  # S02 S03 S04 S05 S06
        "plan_on_time_rate": 50.0,  # due: C03 ✓ C04 ✗ C05 ✓ C07 ✗ (C08 opened 12-20 > 12-01)
        "median_days_open": 189.0,  # C03 167, C01 189, C04 189
        "donations_krw": 3_700_000,  # D02 3M + D03 0.5M + D04 0.2M
        "donations_cash_krw": 3_200_000,  # D02 + D04
        "donations_inkind_krw": 500_000,  # D03
        "donation_count": 3,
        "donors": 3,  # DN02, DN01, and D04 without id
        "disbursed_krw": 800_000,  # P01 300,000 + P02 500,000
        "supported_households": 2,  # C02 C05
        "donation_target_rate": 74.0,  # 3,700,000 / 5,000,000
        "referrals_sent": 5,  # R02 R03 R04 R05 R06
        "referrals_received": 5,
        "acceptance_rate": 75.0,  # R02 R03 R05 accepted, R04 declined → 3/4
        "median_response_days": 6.5,  # 2 [5 8] 10 (R05: 06-25 → 07-03 = 8)
        "pending": 0,  # R06 withdrawn 10-05
        "overdue": 0,
        "completion_rate": 50.0,  # R03 completed, R05 failed
        "households_visited": 80,  # V02 50 + V03 30
        "households_found": 6,  # 4 + 2
        "ss_active": 1,  # SS02
        "ss_started": 1,  # SS02
        "ss_exits": 2,  # SS01 취업, SS03 중도포기
        "ss_success_rate": 50.0,  # 1/2
        "ss_programmes": 1,  # 세차사업단
    },
    B: {
        "discovered": 6,  # C12 C13 C14 C15 C16 C17
        "opened": 6,  # C11 (2024-01-05) C12 C13 C14 C16 C17
        "active": 3,  # C11 C14 C17 (C16 closed 12-31, not > end)
        "closed": 4,  # C10 C12 C13 C16
        "active_per_1000": 1.5,  # 3 / 2,000 × 1000
        "high_risk_share": 100 / 3,  # C17 of 3
        "isolated_active": 1,  # C14
        "served_households": 5,  # services C11 C13 C16; disbursements C11 C12 C17
        "services": 4,  # S08 S09 S10 S11
        "plan_on_time_rate": 400 / 6,  # C11 ✓ C12 ✗ C13 ✓ C14 ✓ C16 ✓ C17 ✗ (due 12-20)
        "median_days_open": 105.5,  # 87 [90 121] 183 → (90 + 121) / 2
        "donations_krw": 3_600_000,  # D05 2M + D06 0.1M + D07 1.5M
        "donations_cash_krw": 2_100_000,  # D05 + D06
        "donations_inkind_krw": 1_500_000,  # D07
        "donation_count": 3,
        "donors": 3,  # DN03, DN04, and D06 without id
        "disbursed_krw": 950_000,  # P03 200,000 + P04 400,000 + P05 250,000 + P07 100,000
        "supported_households": 3,  # C11 C12 C17
        "donation_target_rate": N,  # no target for B
        "referrals_sent": 6,  # R08 R09 R10 R11 R12 R13
        "referrals_received": 6,
        "acceptance_rate": 200 / 3,  # R09 R10 accepted, R13 declined
        "median_response_days": 7.0,  # R09 7, R10 7, R13 7
        "pending": 2,  # R11, R12
        "overdue": 1,  # R11
        "completion_rate": 100.0,  # R09 completed (R10 accepted, not closed)
        "households_visited": 140,  # V04 80 + V05 60
        "households_found": 6,  # 5 + 1
        "ss_active": 2,  # SS04 SS07
        "ss_started": 3,  # SS04 SS06 SS07
        "ss_exits": 2,  # SS05 창업, SS06 기타
        "ss_success_rate": 50.0,  # 1/2
        "ss_programmes": 2,  # 카페잇다, 세차사업단
    },
    C: {
        "discovered": 1,  # C18
        "opened": 0,
        "active": 0,
        "closed": 0,
        "active_per_1000": 0.0,  # 0 / 500 × 1000: the denominator (households) exists
        "high_risk_share": N,
        "isolated_active": 0,
        "served_households": 0,
        "services": 0,
        "plan_on_time_rate": N,
        "median_days_open": N,
        "donations_krw": 0,
        "donations_cash_krw": 0,
        "donations_inkind_krw": 0,
        "donation_count": 0,
        "donors": 0,
        "disbursed_krw": 0,
        "supported_households": 0,
        "donation_target_rate": N,
        "referrals_sent": 0,
        "referrals_received": 0,
        "acceptance_rate": N,
        "median_response_days": N,
        "pending": 0,
        "overdue": 0,
        "completion_rate": N,
        "households_visited": 25,  # V06
        "households_found": 1,
        "ss_active": 0,
        "ss_started": 0,
        "ss_exits": 0,
        "ss_success_rate": N,
        "ss_programmes": 0,
    },
}

# ---- 2024-H1 (2024-01-01 … 2024-06-30) ------------------------------------------------
EXPECTED_2024_H1 = {
    "city": {
        "discovered": 6,  # A 3 + B 3
        "opened": 7,  # A 3 + B 4
        "active": 6,  # A 3 + B 3
        "closed": 4,  # C01 C03 C10 C12
        "active_per_1000": 6 / 3.5,  # 6 / 3,500 × 1000 = 1.714…
        "high_risk_share": 100 / 6,  # C05 of 6
        "isolated_active": 3,  # C04 C05 C14
        "served_households": 6,  # A 3 + B 3
        "services": 6,  # S02 S03 S05 S08 S09 S10
        "plan_on_time_rate": 60.0,  # (1 + 2) / (2 + 3)
        "median_days_open": 144.0,  # 90 [121 167] 189 → (121 + 167) / 2
        "donations_krw": 10_600_000,  # A 3.5M + B 2.1M + D08 5M
        "donations_cash_krw": 10_100_000,  # D02 3M + D05 2M + D06 0.1M + D08 5M
        "donations_inkind_krw": 500_000,  # D03
        "donation_count": 5,  # D02 D03 D05 D06 D08
        "donors": 4,  # DN02 (D02, D08) DN01 DN03 + D06 without id
        "disbursed_krw": 1_150_000,  # P01 0.3M + P03 0.2M + P04 0.4M + P05 0.25M
        "supported_households": 3,  # C02 C11 C12
        "donation_target_rate": 53.0,  # 10,600,000 / 20,000,000 (2024's target, P within 2024)
        "referrals_sent": 8,  # R02 R03 R04 R05 R08 R09 R10 R11
        "referrals_received": 8,
        "acceptance_rate": 80.0,  # accepted R02 R03 R09 R10, declined R04 (R05 answered 07-03)
        "median_response_days": 7.0,  # 2 5 [7] 7 10
        "pending": 3,  # R05 (answered 07-03), R08 (withdrawn 07-15), R11
        "overdue": 1,  # R08: 06-30 − 02-01 = 150; R05: 5; R11: 6
        "completion_rate": 100.0,  # R03, R09 completed; R05 closed 08-01 > end
        "households_visited": 130,  # V02 50 + V04 80
        "households_found": 9,  # 4 + 5
        "ss_active": 4,  # SS02 SS03 SS04 SS06
        "ss_started": 3,  # SS02 SS04 SS06
        "ss_exits": 2,  # SS01 취업, SS05 창업
        "ss_success_rate": 100.0,  # 2/2
        "ss_programmes": 3,  # 세차사업단, 카페잇다, 집수리사업단
    },
    A: {
        "discovered": 3,  # C03 C04 C05
        "opened": 3,  # C03 C04 C05
        "active": 3,  # C02 C04 (closes 09-10) C05 (C03 closed 06-30, not > end)
        "closed": 2,  # C01 C03
        "active_per_1000": 3.0,  # 3 / 1,000 × 1000
        "high_risk_share": 100 / 3,  # C05 of 3
        "isolated_active": 2,  # C04 C05
        "served_households": 3,  # services C01 C02 C03; disbursement C02
        "services": 3,  # S02 S03 S05
        "plan_on_time_rate": 50.0,  # due by 05-31: C03 ✓ C04 ✗ (C05 opened 06-10: not due)
        "median_days_open": 178.0,  # (167 + 189) / 2
        "donations_krw": 3_500_000,  # D02 3M + D03 0.5M
        "donations_cash_krw": 3_000_000,  # D02
        "donations_inkind_krw": 500_000,  # D03
        "donation_count": 2,
        "donors": 2,  # DN02, DN01
        "disbursed_krw": 300_000,  # P01
        "supported_households": 1,  # C02
        "donation_target_rate": 70.0,  # 3,500,000 / 5,000,000
        "referrals_sent": 4,  # R02 R03 R04 R05
        "referrals_received": 4,
        "acceptance_rate": 200 / 3,  # R02 R03 accepted, R04 declined (R05 not yet answered)
        "median_response_days": 5.0,  # 2 [5] 10
        "pending": 1,  # R05
        "overdue": 0,  # R05: 06-30 − 06-25 = 5
        "completion_rate": 100.0,  # R03
        "households_visited": 50,  # V02
        "households_found": 4,
        "ss_active": 2,  # SS02, SS03 (leaves 08-31)
        "ss_started": 1,  # SS02
        "ss_exits": 1,  # SS01 취업
        "ss_success_rate": 100.0,
        "ss_programmes": 2,  # 세차사업단, 카페잇다
    },
    B: {
        "discovered": 3,  # C12 C13 C14
        "opened": 4,  # C11 C12 C13 C14
        "active": 3,  # C11 C13 C14
        "closed": 2,  # C10 C12
        "active_per_1000": 1.5,  # 3 / 2,000 × 1000
        "high_risk_share": 0.0,  # none of C11 일반, C13 위기, C14 위기
        "isolated_active": 1,  # C14
        "served_households": 3,  # services C11 C13; disbursements C11 C12
        "services": 3,  # S08 S09 S10
        "plan_on_time_rate": 200 / 3,  # due by 05-31: C11 ✓ C12 ✗ C13 ✓ (C14 not due)
        "median_days_open": 105.5,  # C12 90, C10 121
        "donations_krw": 2_100_000,  # D05 2M + D06 0.1M
        "donations_cash_krw": 2_100_000,
        "donations_inkind_krw": 0,
        "donation_count": 2,
        "donors": 2,  # DN03 + D06 without id
        "disbursed_krw": 850_000,  # P03 0.2M + P04 0.4M + P05 0.25M
        "supported_households": 2,  # C11 C12
        "donation_target_rate": N,
        "referrals_sent": 4,  # R08 R09 R10 R11
        "referrals_received": 4,
        "acceptance_rate": 100.0,  # R09, R10 accepted
        "median_response_days": 7.0,  # 7, 7
        "pending": 2,  # R08 (withdrawn after the end), R11
        "overdue": 1,  # R08
        "completion_rate": 100.0,  # R09
        "households_visited": 80,  # V04
        "households_found": 5,
        "ss_active": 2,  # SS04, SS06
        "ss_started": 2,  # SS04 SS06
        "ss_exits": 1,  # SS05 창업
        "ss_success_rate": 100.0,
        "ss_programmes": 2,  # 카페잇다, 집수리사업단
    },
    C: {
        **{k: 0 for k in METRIC_KEYS},  # nothing happens in C before November
        "active_per_1000": 0.0,
        "high_risk_share": N,
        "plan_on_time_rate": N,
        "median_days_open": N,
        "donation_target_rate": N,
        "acceptance_rate": N,
        "median_response_days": N,
        "completion_rate": N,
        "ss_success_rate": N,
    },
}

# ---- agencies, 2024: sent = from it; everything else about referrals to it --------------
EXPECTED_AGENCIES_2024 = {
    "AG01": {
        "referrals_sent": 5,  # R03 R08 R09 R11 R13
        "referrals_received": 0,
        "acceptance_rate": N,
        "median_response_days": N,
        "pending": 0,
        "overdue": 0,
        "completion_rate": N,
    },
    "AG02": {
        "referrals_sent": 4,  # R02 R04 R05 R06
        "referrals_received": 1,  # R12
        "acceptance_rate": N,  # R12 unanswered
        "median_response_days": N,
        "pending": 1,  # R12
        "overdue": 0,  # exactly 7 days
        "completion_rate": N,
    },
    "AG03": {
        "referrals_sent": 2,  # R10 R12
        "referrals_received": 4,  # R02 R05 R11 R13
        "acceptance_rate": 200 / 3,  # R02 R05 accepted, R13 declined
        "median_response_days": 7.0,  # 2 [7] 8
        "pending": 1,  # R11
        "overdue": 1,  # R11
        "completion_rate": 0.0,  # R05 failed (R02 accepted, never closed)
    },
    "AG04": {
        "referrals_sent": 0,
        "referrals_received": 3,  # R04 R08 R10
        "acceptance_rate": 50.0,  # R10 accepted, R04 declined
        "median_response_days": 8.5,  # (7 + 10) / 2
        "pending": 0,  # R08 withdrawn 07-15
        "overdue": 0,
        "completion_rate": N,  # R10 accepted, never closed
    },
    "AG05": {
        "referrals_sent": 0,
        "referrals_received": 3,  # R03 R06 R09
        "acceptance_rate": 100.0,  # R03 R09
        "median_response_days": 6.0,  # (5 + 7) / 2
        "pending": 0,  # R06 withdrawn 10-05
        "overdue": 0,
        "completion_rate": 100.0,  # R03 R09 completed
    },
}


@pytest.fixture
def conn(engine):
    """A connection to a database holding the fixture city."""
    with engine.begin() as c:
        load_fixture_city(c)
    with engine.connect() as c:
        yield c


def assert_values(actual: dict, expected: dict, where: str) -> None:
    """Exact counts (as ints), rates and medians to 1e-9, None for undefined."""
    assert list(actual) == list(expected), where
    for key, want in expected.items():
        got = actual[key]
        if want is None:
            assert got is None or (isinstance(got, float) and math.isnan(got)), (where, key, got)
        elif isinstance(want, int):
            assert got == want and not isinstance(got, float), (where, key, got, want)
        else:
            assert isinstance(got, float) and got == pytest.approx(want, abs=1e-9), (
                where,
                key,
                got,
                want,
            )


@pytest.mark.parametrize(
    "period, expected", [("2024", EXPECTED_2024), ("2024-H1", EXPECTED_2024_H1)]
)
def test_every_metric_for_city_and_neighbourhoods(conn, period, expected):
    p = Period.parse(period)
    city = compute_metrics(conn, p)
    hoods = compute_metrics(conn, p, by="neighbourhood")
    assert list(city.index) == ["city"] and city.index.name == "scope"
    assert list(hoods.index) == [A, B, C] and hoods.index.name == "scope"
    assert list(city.columns) == list(METRIC_KEYS) == list(hoods.columns)
    assert_values(city.loc["city"].to_dict(), expected["city"], f"{period} city")
    for code in (A, B, C):
        assert_values(hoods.loc[code].to_dict(), expected[code], f"{period} {code}")


def test_every_agency_metric_for_each_agency(conn):
    frame = compute_metrics(conn, Period.parse("2024"), by="agency")
    assert list(frame.index) == list(EXPECTED_AGENCIES_2024)
    assert list(frame.columns) == list(AGENCY_METRIC_KEYS)
    for code, expected in EXPECTED_AGENCIES_2024.items():
        assert_values(frame.loc[code].to_dict(), expected, f"2024 {code}")


def test_keys_narrow_the_columns_in_registry_order(conn):
    frame = compute_metrics(conn, Period.parse("2024"), keys=["donors", "active", "pending"])
    assert list(frame.columns) == ["active", "donors", "pending"]
    # active 7, donors 7, pending 2 (see EXPECTED_2024)
    assert frame.loc["city"].tolist() == [7, 7, 2]


def test_unknown_or_non_agency_keys_are_refused(conn):
    with pytest.raises(ValueError):
        compute_metrics(conn, Period.parse("2024"), keys=["no_such_metric"])
    with pytest.raises(ValueError):
        compute_metrics(conn, Period.parse("2024"), by="agency", keys=["active"])


def test_previous_period_of_2024_h1_is_2023_h2(conn):
    # 2023-H2 (07-01 … 12-31): discovered C01 C02 C09 C10 C11 = 5; opened C01 C02 C09 C10 = 4;
    # closed C09 (2023-07-20 → 12-20 = 153 days); donations D01 1M + D10 0.4M = 1.4M.
    prev = compute_metrics(
        conn,
        Period.parse("2024-H1").previous(),
        keys=["discovered", "opened", "closed", "median_days_open", "donations_krw"],
    )
    assert prev.loc["city"].tolist() == [5, 4, 1, 153.0, 1_400_000]
