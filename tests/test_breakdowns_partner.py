"""Chart data (lib.queries.breakdowns) in partner views, on 작은시 (tests/fixture_small.py).

T = 5 unless a test sets the threshold. S = "<T", W = withheld, X = hidden with it so that
a small one cannot be worked out by subtraction; the arithmetic is in the comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib.period import Period
from lib.queries import breakdowns as bd
from lib.scope import Scope
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed
from tests.fixture_small import P, Q, load_small_city

S, W, X = Suppressed(SMALL, 5), Suppressed(WITHHELD, 5), Suppressed(COMPLEMENTARY, 5)
Y2024, H1 = Period.year(2024), Period.half(2024, 1)
ONLY_P = Scope(neighbourhood_codes=(P,), partner_view=True)
ONLY_Q = Scope(neighbourhood_codes=(Q,), partner_view=True)
BOTH = Scope(neighbourhood_codes=(P, Q), partner_view=True)


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_small_city(c)
    with engine.connect() as c:
        yield c


def _columns(frame, *names) -> dict:
    return {n: frame[n].tolist() for n in names}


def test_monthly_activity_of_q(conn):
    columns = ("discovered", "opened", "closed", "services", "disbursed_krw", "referrals_sent")
    staff = bd.monthly_activity(conn, H1, Scope(neighbourhood_codes=(Q,)))
    # Jan … Jun. discovered Q1–Q5 (01-10); opened Q1–Q5 (02-01), Q8–Q10 (May), Q6–Q7
    # (June); closed Q6–Q10 (06-30); services S2–S7 (01-15), S1 (05-01); money 5 × 100,000
    # (03-15) and 50,000 to Q1 (04-10); referrals RQ1–RQ5 (03-01).
    assert _columns(staff, *columns) == {
        "discovered": [5, 0, 0, 0, 0, 0],
        "opened": [0, 5, 0, 0, 3, 2],
        "closed": [0, 0, 0, 0, 0, 5],
        "services": [6, 0, 0, 0, 1, 0],
        "disbursed_krw": [0, 0, 500_000, 50_000, 0, 0],
        "referrals_sent": [0, 0, 5, 0, 0, 0],
    }
    partner = bd.monthly_activity(conn, H1, ONLY_Q)
    assert _columns(partner, *columns) == {
        "discovered": [5, 0, 0, 0, 0, 0],
        "opened": [0, 5, 0, 0, S, S],  # two small months: nothing more
        "closed": [0, 0, 0, 0, 0, 5],
        "services": [X, 0, 0, 0, S, 0],  # May's 1 hidden → January's 6 (the period's 7)
        "disbursed_krw": [0, 0, X, W, 0, 0],  # April: 1 household → March hidden with it
        "referrals_sent": [0, 0, 5, 0, 0, 0],
    }
    assert partner["month"].tolist() == [dt.date(2024, m, 1) for m in range(1, 7)]


def test_monthly_activity_of_p(conn):
    partner = bd.monthly_activity(conn, H1, ONLY_P)
    # opened P7 P8 in May, P5 P6 in June; money 4 × 100,000 in March (4 households);
    # D1 1,000,000 in April (money raised: always shown).
    assert _columns(partner, "opened", "disbursed_krw", "donations_krw") == {
        "opened": [0, 0, 0, 0, S, S],
        "disbursed_krw": [0, 0, W, 0, 0, 0],  # the other months are 0: nothing to add
        "donations_krw": [0, 0, 0, 1_000_000, 0, 0],
    }


def test_channels_add_up_to_the_discovered_tile(conn):
    # Discovered in 2023: 이웃신고 P1–P7 (7), 찾아가는방문 Q6–Q10 (5), 본인신청 P8 (1).
    frame = bd.channels(conn, Period.year(2023), BOTH)
    assert _columns(frame, "channel", "cases") == {
        "channel": ["이웃신고", "찾아가는방문", "본인신청"],
        "cases": [7, X, S],  # 1 hidden → the next-smallest, 5, hidden too
    }


def test_active_profile_is_completed_along_rows_and_columns(conn, monkeypatch):
    # T = 2, so that only the 1 is small. Active at the end of 2024 (P1–P4, Q1–Q5):
    #             일반          고위험
    #   독거노인   2 (P2 P3)    1 (P1)       column 고위험: 1 hidden → 한부모's 2 (its row
    #   한부모     2 (P4 Q2)    2 (Q1 Q3)    can pair it); rows: 독거노인 hides its 2,
    #   기타       2 (Q4 Q5)    -            한부모 its other 2; 기타 keeps its 2.
    monkeypatch.setenv("ITDA_SMALL_COUNT_THRESHOLD", "2")
    frame = bd.active_profile(conn, Y2024, BOTH)
    small, other = Suppressed(SMALL, 2), Suppressed(COMPLEMENTARY, 2)
    assert list(frame.itertuples(index=False, name=None)) == [
        ("독거노인", "일반", other),
        ("독거노인", "고위험", small),
        ("한부모", "일반", other),
        ("한부모", "고위험", other),
        ("기타", "일반", 2),
    ]


def test_active_profile_at_the_default_threshold_hides_every_small_cell(conn):
    frame = bd.active_profile(conn, Y2024, BOTH)
    assert frame["cases"].tolist() == [S] * 5  # every cell is 1 or 2


def test_stages_opened_and_planned_add_up_to_the_active_tile(conn):
    # 2024: closed P5–P8, Q6–Q10 (9); planned Q1 (1); opened P1–P4, Q2–Q5 (8).
    staff = bd.cases_by_stage(conn, Y2024, Scope(neighbourhood_codes=(P, Q)))
    assert staff["cases"].tolist() == [0, 8, 1, 9]
    partner = bd.cases_by_stage(conn, Y2024, BOTH)
    assert partner["stage"].tolist() == ["identified", "opened", "planned", "closed"]
    assert partner["cases"].tolist() == [0, X, S, 9]  # 8 + 1 = active (9): 8 hidden too


def test_donations_by_month_and_type_show_money_and_hide_few_donations(conn):
    frame = bd.donations_by_month_type(conn, Y2024, ONLY_P)
    assert list(frame.itertuples(index=False, name=None)) == [
        (dt.date(2024, 4, 1), "개인", 1_000_000, S)  # D1: one donation
    ]


def test_money_given_by_neighbourhood_and_month(conn):
    frame = bd.donations_by_neighbourhood_month(conn, Y2024, BOTH).drop(columns="code")
    # P March 400,000 to 4 households → withheld; Q March 500,000 to 5 → hidden with it
    # (March's two cells add up to the month); Q April 50,000 to 1 → withheld; P April:
    # raised 1,000,000, given 0.
    assert list(frame.itertuples(index=False, name=None)) == [
        (P, dt.date(2024, 3, 1), 0, W),
        (P, dt.date(2024, 4, 1), 1_000_000, 0),
        (Q, dt.date(2024, 3, 1), 0, X),
        (Q, dt.date(2024, 4, 1), 0, W),
    ]


def test_money_given_against_targets(conn):
    frame = bd.donations_vs_targets(conn, Y2024, BOTH)
    # P given 400,000 to 4 → withheld; Q 550,000 to 5, hidden with it (they add up to the
    # scope's money given). Raised and the target rate are always shown.
    assert _columns(frame, "neighbourhood_code", "raised_krw", "given_krw") == {
        "neighbourhood_code": [P, Q],
        "raised_krw": [1_000_000, 0],
        "given_krw": [W, X],
    }
    assert frame["target_rate"].iloc[0] == 50.0  # 1,000,000 / 2,000,000


def test_referral_statuses_and_response_times(conn):
    # H1: RP1–RP4, RQ1–RQ5 at 06-30: 수락 7 (RP1–3, RQ1–4), 불수락 2 (RP4, RQ5).
    statuses = bd.referral_statuses(conn, H1, BOTH)
    assert statuses["referrals"].tolist() == [0, X, S, 0, 0, 0]
    # Answered after 1, 2, 3, 4 (P) and 1, 2, 3, 4, 5 days (Q): "1-3" 6, "4-7" 3.
    times = bd.response_times(conn, Y2024, BOTH)
    assert times["referrals"].tolist() == [0, X, S, 0, 0, 0]


def test_case_level_rows_only_for_an_agencys_own_referrals(conn):
    # RQ6 (X → Z, case Q1) waits at 2024-12-31.
    def ids(scope):
        return bd.pending_referrals(conn, Y2024, scope)["referral_id"].tolist()

    assert ids(Scope(neighbourhood_codes=(Q,))) == ["RQ6"]  # staff
    assert ids(ONLY_Q) == []  # a neighbourhood's link: never case by case
    assert ids(Scope(agency_code="X", partner_view=True)) == ["RQ6"]  # sent by X
    assert ids(Scope(agency_code="Z", partner_view=True)) == ["RQ6"]  # sent to Z
    assert ids(Scope(agency_code="Y", partner_view=True)) == []  # not Y's
    frame = bd.pending_referrals(conn, Y2024, ONLY_Q)
    assert list(frame.columns) == [
        "referral_id", "case_id", "from_agency", "to_agency", "requested_on", "days_waiting",
        "overdue",
    ]  # fmt: skip


def test_an_agency_scope_has_no_donations(conn):
    # A donation involves no agency: an agency's scope must not get the city's.
    assert bd.donations_by_month_type(conn, Y2024, Scope(agency_code="X", partner_view=True)).empty
    monthly = bd.monthly_activity(conn, Y2024, Scope(agency_code="X", partner_view=True))
    assert monthly["donations_krw"].tolist() == [0] * 12
