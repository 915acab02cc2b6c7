"""The edge cases of metrics.md, each on a tiny hand-made database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import sqlalchemy as sa

from lib.models import (
    Agency,
    Case,
    Disbursement,
    Donation,
    Neighbourhood,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
    Target,
)
from lib.period import Period
from lib.queries.metrics import compute_metrics
from lib.scope import Scope

NB1, NB2 = "1111000000", "2222000000"
D = dt.date.fromisoformat


def _undefined(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _setup(conn, households=(1000, 3000)) -> None:
    """Two neighbourhoods and three agencies, nothing else."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {"code": NB1, "name": "가동", "kind": "동", "households": households[0]},
            {"code": NB2, "name": "나면", "kind": "면", "households": households[1]},
        ],
    )
    conn.execute(
        sa.insert(Agency),
        [
            {"code": code, "name": code, "sector": "공공", "kind": "기타"}
            for code in ("X", "Y", "Z")
        ],
    )


def _case(case_id, nb=NB1, discovered="2024-01-01", opened=None, closed=None, **extra) -> dict:
    row = {
        "case_id": case_id,
        "neighbourhood_code": nb,
        "discovered_on": D(discovered),
        "channel": "기타",
        "risk_level": "일반",
        "household_type": "기타",
        "isolated": False,
        "lead_agency_code": None,
        "opened_on": D(opened) if opened else None,
        "plan_on": None,
        "closed_on": D(closed) if closed else None,
        "close_reason": "기타" if closed else None,
    }
    row.update(extra)
    return row


def _referral(rid, requested, status="의뢰", responded=None, closed=None, **extra) -> dict:
    row = {
        "referral_id": rid,
        "case_id": "K1",
        "from_agency_code": "X",
        "to_agency_code": "Y",
        "requested_on": D(requested),
        "status": status,
        "responded_on": D(responded) if responded else None,
        "closed_on": D(closed) if closed else None,
        "reason": None,
    }
    row.update(extra)
    return row


def _donation(did, received, amount, nb=NB1, donor=None, form="현금") -> dict:
    return {
        "donation_id": did,
        "neighbourhood_code": nb,
        "received_on": D(received),
        "donor_type": "개인",
        "donor_id": donor,
        "form": form,
        "amount_krw": amount,
    }


@pytest.fixture
def conn(engine):
    with engine.connect() as c:
        with c.begin():
            _setup(c)
        yield c


def _with_referred_case(conn) -> None:
    """Case K1 in NB1, which the referrals of a test refer to."""
    _insert(conn, Case, [_case("K1", opened="2023-12-01")])


def _insert(conn, model, rows) -> None:
    with conn.begin():
        conn.execute(sa.insert(model), rows)


def _city(conn, period, **kw) -> dict:
    return compute_metrics(conn, Period.parse(period), **kw).loc["city"].to_dict()


def test_empty_database_counts_zero_and_every_rate_is_undefined(conn):
    city = _city(conn, "2024")
    rates = {
        "high_risk_share",
        "plan_on_time_rate",
        "median_days_open",
        "donation_target_rate",
        "acceptance_rate",
        "median_response_days",
        "completion_rate",
        "ss_success_rate",
    }
    for key, value in city.items():
        if key in rates:
            assert _undefined(value), key
        elif key == "active_per_1000":
            assert value == 0.0  # 0 active / 4,000 households: defined, zero
        else:
            assert value == 0 and isinstance(value, int), key


def test_no_households_means_no_active_per_1000(engine):
    with engine.begin() as c:
        _setup(c, households=(0, 0))
        c.execute(sa.insert(Case), [_case("K1", opened="2024-01-02")])
    with engine.connect() as c:
        frame = compute_metrics(
            c, Period.parse("2024"), by="neighbourhood", keys=["active", "active_per_1000"]
        )
    assert frame.loc[NB1, "active"] == 1
    assert _undefined(frame.loc[NB1, "active_per_1000"])  # 1 ÷ 0 households
    assert _undefined(frame.loc[NB2, "active_per_1000"])


def test_case_closed_without_being_opened_is_not_closed(conn):
    _insert(
        conn,
        Case,
        [
            _case("K1", discovered="2024-02-01", closed="2024-02-10"),  # never opened
            _case("K2", discovered="2024-02-01", opened="2024-02-05", closed="2024-02-15"),
        ],
    )
    city = _city(
        conn, "2024", keys=["discovered", "opened", "active", "closed", "median_days_open"]
    )
    # discovered K1 K2; opened K2; closed only K2 (02-05 → 02-15 = 10 days)
    assert city == {
        "discovered": 2,
        "opened": 1,
        "active": 0,
        "closed": 1,
        "median_days_open": 10.0,
    }


def test_medians_of_even_and_odd_counts(conn):
    _insert(
        conn,
        Case,
        [
            _case("K1", opened="2024-03-01", closed="2024-03-11"),  # 10 days, NB1
            _case("K2", opened="2024-03-01", closed="2024-03-16"),  # 15 days, NB1
            _case("K3", nb=NB2, opened="2024-03-01", closed="2024-03-04"),  # 3 days, NB2
            _case("K4", nb=NB2, opened="2024-03-01", closed="2024-03-02"),  # 1 day
            _case("K5", nb=NB2, opened="2024-03-01", closed="2024-03-31"),  # 30 days
        ],
    )
    # Responses of 1, 2, 4 and 9 days: median (2 + 4) / 2 = 3.0.
    _insert(
        conn,
        Referral,
        [
            _referral("R1", "2024-04-01", "수락", responded="2024-04-02"),
            _referral("R2", "2024-04-01", "수락", responded="2024-04-03"),
            _referral("R3", "2024-04-01", "불수락", responded="2024-04-05", reason="기타"),
            _referral("R4", "2024-04-01", "수락", responded="2024-04-10"),
        ],
    )
    period = Period.parse("2024")
    keys = ["median_days_open", "median_response_days"]
    hoods = compute_metrics(conn, period, by="neighbourhood", keys=keys)
    assert hoods.loc[NB1, "median_days_open"] == 12.5  # (10 + 15) / 2
    assert hoods.loc[NB2, "median_days_open"] == 3.0  # 1 [3] 30
    city = compute_metrics(conn, period, keys=keys).loc["city"]
    assert city["median_days_open"] == 10.0  # 1 3 [10] 15 30
    assert city["median_response_days"] == 3.0
    assert hoods.loc[NB1, "median_response_days"] == 3.0  # all referrals are of K1 (NB1)
    assert _undefined(hoods.loc[NB2, "median_response_days"])


def test_pending_across_a_period_end_and_withdrawals_before_and_after_it(conn):
    _with_referred_case(conn)
    _insert(
        conn,
        Referral,
        [
            # Answered 04-02: waiting at the end of Q1, answered by the end of April.
            _referral("R1", "2024-03-28", "수락", responded="2024-04-02"),
            # Withdrawn 03-20, before the end of Q1: never pending at 03-31.
            _referral("R2", "2024-03-01", "회수", closed="2024-03-20"),
            # Withdrawn 04-10, after the end of Q1: still pending (and overdue) at 03-31.
            _referral("R3", "2024-03-01", "회수", closed="2024-04-10"),
            # Requested before Q1 and never answered: pending at every later end.
            _referral("R4", "2023-12-20"),
        ],
    )
    keys = ["referrals_sent", "acceptance_rate", "pending", "overdue"]
    q1 = _city(conn, "2024-Q1", keys=keys)
    # sent R1 R2 R3; nothing answered by 03-31; pending R1 R3 R4;
    # overdue R3 (03-31 − 03-01 = 30) and R4 (102 days); R1: 3 days.
    assert q1["referrals_sent"] == 3
    assert _undefined(q1["acceptance_rate"])
    assert (q1["pending"], q1["overdue"]) == (3, 2)
    april = _city(conn, "2024-04", keys=keys)
    # nothing requested in April; at 04-30 R1 is answered, R3 withdrawn: pending R4 only.
    assert april["referrals_sent"] == 0
    assert _undefined(april["acceptance_rate"])  # R1 was requested in March, not in P
    assert (april["pending"], april["overdue"]) == (1, 1)
    # 2024: R1 answered (accepted) → acceptance 1/1.
    assert _city(conn, "2024", keys=["acceptance_rate"])["acceptance_rate"] == 100.0


def test_overdue_boundary_exactly_the_limit_is_not_overdue(conn):
    _with_referred_case(conn)
    _insert(
        conn,
        Referral,
        [
            _referral("R1", "2024-01-24"),  # 01-31 − 01-24 = 7: not > 7
            _referral("R2", "2024-01-23"),  # 8 days: overdue
        ],
    )
    assert _city(conn, "2024-01", keys=["pending", "overdue"]) == {"pending": 2, "overdue": 1}
    # With a 6-day limit both are overdue (7 > 6, 8 > 6).
    assert _city(conn, "2024-01", keys=["overdue"], response_limit_days=6) == {"overdue": 2}


def test_completion_counts_only_accepted_referrals_closed_by_the_end(conn):
    _with_referred_case(conn)
    _insert(
        conn,
        Referral,
        [
            _referral("R1", "2024-05-01", "연계완료", responded="2024-05-02", closed="2024-05-20"),
            _referral("R2", "2024-05-01", "연계실패", responded="2024-05-02", closed="2024-06-05"),
            _referral("R3", "2024-05-01", "연계실패", responded="2024-05-02", closed="2024-05-25", reason="연락불가"),
            _referral("R4", "2024-05-01", "회수", closed="2024-05-03"),
        ],
    )  # fmt: skip
    # May: R1 completed, R3 failed (R2 closes in June) → 1 / 2 = 50 %.
    assert _city(conn, "2024-05", keys=["completion_rate"]) == {"completion_rate": 50.0}
    # Q2: R1 completed, R2 R3 failed → 1 / 3.
    rate = _city(conn, "2024-Q2", keys=["completion_rate"])["completion_rate"]
    assert rate == pytest.approx(100 / 3)


def test_city_wide_donations_count_for_the_city_only(conn):
    _insert(
        conn,
        Donation,
        [
            _donation("D1", "2024-02-01", 1_000_000, nb=NB1, donor="P1"),
            _donation("D2", "2024-02-02", 300_000, nb=None, donor="P1", form="현물"),
            _donation("D3", "2024-02-03", 50_000, nb=None),
        ],
    )
    keys = ["donations_krw", "donations_inkind_krw", "donation_count", "donors"]
    period = Period.parse("2024")
    # city: 1,000,000 + 300,000 + 50,000; in-kind D2; 3 donations; donors P1 + D3 (no id).
    assert compute_metrics(conn, period, keys=keys).loc["city"].tolist() == [
        1_350_000,
        300_000,
        3,
        2,
    ]
    hoods = compute_metrics(conn, period, by="neighbourhood", keys=keys)
    assert hoods.loc[NB1].tolist() == [1_000_000, 0, 1, 1]
    assert hoods.loc[NB2].tolist() == [0, 0, 0, 0]
    # A viewer limited to NB1 sees NB1's donations only, not the city-wide fund.
    limited = compute_metrics(conn, period, scope=Scope(neighbourhood_codes=(NB1,)), keys=keys)
    assert limited.loc["city"].tolist() == [1_000_000, 0, 1, 1]


def test_each_donation_without_donor_id_is_one_donor(conn):
    _insert(
        conn,
        Donation,
        [
            _donation("D1", "2024-02-01", 10_000, donor="P1"),
            _donation("D2", "2024-03-01", 10_000, donor="P1"),
            _donation("D3", "2024-03-02", 10_000, donor="P2"),
            _donation("D4", "2024-03-03", 10_000),
            _donation("D5", "2024-03-04", 10_000),
        ],
    )
    # P1 (twice) + P2 + two donations without an id = 4 donors.
    assert _city(conn, "2024", keys=["donors"]) == {"donors": 4}


def test_target_rate_only_for_a_period_within_one_year_with_a_target(conn):
    _insert(
        conn,
        Donation,
        [
            _donation("D1", "2024-11-15", 2_000_000),
            _donation("D2", "2025-01-10", 1_000_000),
        ],
    )
    _insert(
        conn,
        Target,
        [
            {"year": 2024, "neighbourhood_code": None, "metric": "donations_krw", "value": 8e6},
            {"year": 2025, "neighbourhood_code": NB1, "metric": "donations_krw", "value": 4e6},
        ],
    )
    key = ["donation_target_rate"]
    assert _city(conn, "2024-Q4", keys=key) == {"donation_target_rate": 25.0}  # 2M / 8M
    # Spans 2024 and 2025: no single year's target applies.
    spanning = _city(conn, "2024-11-01..2025-01-31", keys=key)
    assert _undefined(spanning["donation_target_rate"])
    # 2025: the city has no target; NB1 has one (1M / 4M), NB2 none.
    assert _undefined(_city(conn, "2025", keys=key)["donation_target_rate"])
    hoods = compute_metrics(conn, Period.parse("2025"), by="neighbourhood", keys=key)
    assert hoods.loc[NB1, "donation_target_rate"] == 25.0
    assert _undefined(hoods.loc[NB2, "donation_target_rate"])


def test_plan_on_time_boundary_of_30_days(conn):
    _insert(
        conn,
        Case,
        [
            _case("K1", opened="2024-01-01", plan_on=D("2024-01-31")),  # +30: on time
            _case("K2", opened="2024-01-01", plan_on=D("2024-02-01")),  # +31: late
            _case("K3", opened="2024-01-02"),  # due 02-01 > 01-31: not yet counted
        ],
    )
    # January: due K1 K2 (opened + 30 = 01-31 ≤ end), K1 on time → 50 %.
    assert _city(conn, "2024-01", keys=["plan_on_time_rate"]) == {"plan_on_time_rate": 50.0}
    # Q1: K3 is due too and has no plan → 1 / 3.
    rate = _city(conn, "2024-Q1", keys=["plan_on_time_rate"])["plan_on_time_rate"]
    assert rate == pytest.approx(100 / 3)


def test_served_households_are_distinct_across_services_and_disbursements(conn):
    _insert(
        conn, Case, [_case("K1", opened="2024-01-02"), _case("K2", nb=NB2, opened="2024-01-02")]
    )
    _insert(
        conn,
        Service,
        [
            {"service_id": "S1", "case_id": "K1", "agency_code": "X", "provided_on": D("2024-02-01"), "category": "생계"},
            {"service_id": "S2", "case_id": "K1", "agency_code": "X", "provided_on": D("2024-03-01"), "category": "생계"},
        ],
    )  # fmt: skip
    _insert(
        conn,
        Disbursement,
        [
            {"disbursement_id": "P1", "case_id": "K1", "paid_on": D("2024-02-01"), "purpose": "생계", "amount_krw": 100_000},
            {"disbursement_id": "P2", "case_id": "K2", "paid_on": D("2024-02-01"), "purpose": "생계", "amount_krw": 50_000},
            {"disbursement_id": "P3", "case_id": "K2", "paid_on": D("2023-12-01"), "purpose": "생계", "amount_krw": 70_000},
        ],
    )  # fmt: skip
    keys = ["served_households", "services", "disbursed_krw", "supported_households"]
    # K1 (2 services + P1) and K2 (P2) → 2 served; 2 services; 150,000 won to K1, K2.
    assert _city(conn, "2024", keys=keys) == {
        "served_households": 2,
        "services": 2,
        "disbursed_krw": 150_000,
        "supported_households": 2,
    }
    hoods = compute_metrics(conn, Period.parse("2024"), by="neighbourhood", keys=keys)
    assert hoods.loc[NB2].tolist() == [1, 0, 50_000, 1]  # P3 was paid in 2023


def test_outreach_and_self_sufficiency_edges(conn):
    _insert(
        conn,
        OutreachVisit,
        [
            {"visit_id": "V1", "neighbourhood_code": NB1, "visited_on": D("2024-01-31"), "households_visited": 10, "households_found": 2},
            {"visit_id": "V2", "neighbourhood_code": NB1, "visited_on": D("2024-02-01"), "households_visited": 5, "households_found": 0},
        ],
    )  # fmt: skip
    _insert(
        conn,
        SelfSufficiencyParticipant,
        [
            # Leaves on the last day of January: not active at 01-31, an exit of January.
            {"participant_id": "P1", "neighbourhood_code": NB1, "programme": "가", "programme_kind": "기타", "started_on": D("2023-05-01"), "ended_on": D("2024-01-31"), "outcome": "중도포기"},
            {"participant_id": "P2", "neighbourhood_code": NB1, "programme": "가", "programme_kind": "기타", "started_on": D("2024-01-31"), "ended_on": None, "outcome": None},
            {"participant_id": "P3", "neighbourhood_code": NB2, "programme": "나", "programme_kind": "기타", "started_on": D("2024-02-01"), "ended_on": None, "outcome": None},
        ],
    )  # fmt: skip
    january = _city(conn, "2024-01", keys=["households_visited", "households_found", "ss_active", "ss_started", "ss_exits", "ss_success_rate", "ss_programmes"])  # fmt: skip
    assert january == {
        "households_visited": 10,  # V1 only (V2 is in February)
        "households_found": 2,
        "ss_active": 1,  # P2 (P1 ended 01-31, not > end; P3 starts in February)
        "ss_started": 1,  # P2
        "ss_exits": 1,  # P1
        "ss_success_rate": 0.0,  # P1 dropped out: 0 / 1
        "ss_programmes": 1,  # 가
    }


def test_scope_limits_every_query_in_sql(conn):
    _insert(
        conn, Case, [_case("K1", opened="2024-01-02"), _case("K2", nb=NB2, opened="2024-01-02")]
    )
    _insert(
        conn,
        Referral,
        [
            _referral("R1", "2024-02-01"),  # X → Y, case K1 (NB1)
            _referral("R2", "2024-02-01", case_id="K2", from_agency_code="Z", to_agency_code="Y"),
            _referral("R3", "2024-02-01", from_agency_code="Z", to_agency_code="X"),
        ],
    )
    period = Period.parse("2024")
    keys = ["active", "referrals_sent", "pending"]
    only_nb2 = Scope(neighbourhood_codes=(NB2,))
    # NB2 holds K2 and R2 only.
    assert compute_metrics(conn, period, scope=only_nb2, keys=keys).loc["city"].tolist() == [
        1,
        1,
        1,
    ]
    assert list(compute_metrics(conn, period, by="neighbourhood", scope=only_nb2).index) == [NB2]
    # Partner X sees the referrals it sent or received: R1 and R3.
    partner = Scope(agency_code="X")
    assert compute_metrics(conn, period, scope=partner, keys=keys).loc["city"].tolist() == [2, 2, 2]
    agencies = compute_metrics(
        conn, period, by="agency", scope=partner, keys=["referrals_sent", "referrals_received"]
    )
    assert agencies.to_dict("index") == {"X": {"referrals_sent": 1, "referrals_received": 1}}
