"""The network queries (lib.queries.network) in partner views, on 작은시 (tests/fixture_small.py).

작은시's referrals, all sent by X: RP1–RP4 (case P1) and RQ1–RQ5 (case Q1) to Y, requested
2024-03-01 and answered after 1–4 and 1–5 days (수락 but RP4 and RQ5, 불수락); RQ6 (Q1) to
Z, 2024-12-20, still waiting at the end of 2024. T = 5; S = "<5", W = withheld, X = hidden
with a small one so that it cannot be worked out by subtraction.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib.period import Period
from lib.queries import network as q
from lib.scope import Scope
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed
from tests.fixture_small import P, Q, load_small_city

S, W, X = Suppressed(SMALL, 5), Suppressed(WITHHELD, 5), Suppressed(COMPLEMENTARY, 5)
Y2024 = Period.year(2024)
MARCH, DECEMBER = dt.date(2024, 3, 1), dt.date(2024, 12, 1)


def partner(agency: str) -> Scope:
    return Scope(agency_code=agency, partner_view=True)


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_small_city(c)
    with engine.connect() as c:
        yield c


def _records(frame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_flows_of_an_agency_partner(conn):
    # At 2024-12-31: X→Y 수락 7 (RP1–3, RQ1–4), 불수락 2 (RP4, RQ5); X→Z 의뢰 1 (RQ6).
    assert _records(q.load_flow_matrix(conn, Y2024, Scope(agency_code="X"))) == [
        ("X", "Y", "수락", 7),
        ("X", "Y", "불수락", 2),
        ("X", "Z", "의뢰", 1),
    ]
    # X→Y's statuses add up to its flow: 2 hidden → 7 hidden with it.
    assert _records(q.load_flow_matrix(conn, Y2024, partner("X"))) == [
        ("X", "Y", "수락", X),
        ("X", "Y", "불수락", S),
        ("X", "Z", "의뢰", S),
    ]


def test_flow_totals_are_summed_before_they_are_hidden(conn):
    # Staff: X→Y 9 referrals, 7 accepted; X→Z 1, 0 accepted.
    assert _records(q.load_flow_totals(conn, Y2024, Scope(agency_code="X"))) == [
        ("X", "Y", 9, 7),
        ("X", "Z", 1, 0),
    ]
    # Partner: X's receivers add up to X's referrals sent (10): Z's 1 hidden → Y's 9 too.
    assert _records(q.load_flow_totals(conn, Y2024, partner("X"))) == [
        ("X", "Y", X, 7),
        ("X", "Z", S, 0),
    ]


def test_statuses_by_month(conn):
    # March: 수락 7, 불수락 2 → 7 hidden with the 2; December: 의뢰 1 (RQ6).
    assert _records(q.load_status_by_month(conn, Y2024, partner("X"))) == [
        (MARCH, "수락", X),
        (MARCH, "불수락", S),
        (DECEMBER, "의뢰", S),
    ]


def test_directions_of_an_agency(conn):
    statuses = ("의뢰", "수락", "불수락", "연계완료", "연계실패", "회수")
    frame = q.load_directions(conn, Y2024, Scope(agency_code="X"), agency_code="X")
    assert list(frame.columns) == ["direction", *statuses, "total"]
    # X received nothing; sent 의뢰 1 (RQ6), 수락 7, 불수락 2: 10.
    assert _records(frame) == [("received", 0, 0, 0, 0, 0, 0, 0), ("sent", 1, 7, 2, 0, 0, 0, 10)]
    mine = q.load_directions(conn, Y2024, partner("X"), agency_code="X")
    # Two small cells in the sent row, and the received row's cells are 0: nothing more.
    assert _records(mine) == [("received", 0, 0, 0, 0, 0, 0, 0), ("sent", S, 7, S, 0, 0, 0, 10)]
    y = q.load_directions(conn, Y2024, partner("Y"), agency_code="Y")
    # Y received 수락 7, 불수락 2 (total 9): the 2 hidden → the smallest other, 7, too.
    assert _records(y) == [("received", 0, X, S, 0, 0, 0, 9), ("sent", 0, 0, 0, 0, 0, 0, 0)]


def test_partners_of_an_agency(conn):
    assert _records(q.load_partners(conn, Y2024, Scope(agency_code="X"), agency_code="X")) == [
        ("Y", 9, 0, 9),
        ("Z", 1, 0, 1),
    ]
    # Z's 1 is small (sent and total); columns add up to X's sent (10) and total: Y's 9s
    # are hidden with them. Row Y then hides two cells; its 0 stays 0.
    assert _records(q.load_partners(conn, Y2024, partner("X"), agency_code="X")) == [
        ("Y", X, 0, X),
        ("Z", S, 0, S),
    ]


def test_monthly_median_days_to_respond(conn):
    # Involving X: March 9 answers 1 1 2 2 [3] 3 4 4 5 → 3.0, shown (9 ≥ 5).
    assert _records(q.load_response_days_by_month(conn, Y2024, partner("X"))) == [(MARCH, 3.0, 9)]
    # P's referrals: 4 answers (1 [2 3] 4 → 2.5): the median and the count are hidden.
    p = Scope(neighbourhood_codes=(P,), partner_view=True)
    assert _records(q.load_response_days_by_month(conn, Y2024, p)) == [(MARCH, W, S)]


def test_waiting_referrals_case_by_case_only_for_the_agencys_own(conn):
    def ids(scope):
        return q.load_pending(conn, Y2024, scope)["referral_id"].tolist()

    assert ids(Scope(neighbourhood_codes=(Q,))) == ["RQ6"]  # staff
    assert ids(Scope(neighbourhood_codes=(Q,), partner_view=True)) == []
    assert ids(partner("Z")) == ["RQ6"]  # received by Z
    assert ids(partner("Y")) == []


def test_an_agency_partner_may_name_its_counterparts_only(conn):
    def codes(scope):
        return q.load_agency_names(conn, scope)["code"].tolist()

    assert codes(Scope()) == ["X", "Y", "Z"]
    assert codes(partner("Y")) == ["X", "Y"]  # Y only ever heard from X
    assert codes(partner("Z")) == ["X", "Z"]
    assert list(q.load_agency_names(conn, partner("Z")).columns) == ["code", "name"]
    # The agency list (navigation, the agency table) holds the partner's own agency only.
    assert q.load_agency_list(conn, partner("Z"))["code"].tolist() == ["Z"]


def test_the_agency_table_of_a_partner(conn):
    table = q.agency_table(conn, Y2024, partner("Z"))
    assert table["code"].tolist() == ["Z"]
    row = table.iloc[0]
    assert (row["referrals_sent"], row["referrals_received"], row["pending"]) == (0, S, S)
