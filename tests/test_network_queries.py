"""The case-sharing network queries, against a tiny hand-made network on both databases.

The network (period 2024-Q1 = 2024-01-01..2024-03-31 unless a test says otherwise):

    agencies  A1 공공 행정복지센터 · A2 공공 희망복지지원단 · B1 민간 종합사회복지관 · B2 민간 노인복지관
    cases     C1 in N1 · C2 in N2

    id   from→to  case requested    status   responded   closed      status at 03-31
    R1   A1→B1    C1   2024-01-05   연계완료  01-08 (3d)  02-10       연계완료
    R2   A1→B1    C2   2024-01-20   불수락    01-30 (10d)             불수락
    R3   A1→B2    C1   2024-02-01   의뢰                              의뢰
    R4   B1→A2    C2   2024-02-15   수락      02-16 (1d)              수락
    R5   A2→B1    C1   2024-03-25   의뢰                              의뢰
    R6   A1→B1    C1   2024-03-01   연계실패  03-05 (4d)  2024-04-10  수락 (closed after the end)
    R7   B2→B1    C2   2024-03-10   회수                  03-12       회수
    R8   A1→B1    C2   2024-03-20   수락      2024-04-02              의뢰 (answered after the end)
    R9   A1→B1    C1   2023-12-20   의뢰                              의뢰 (requested before P)
    R10  B2→A1    C1   2024-01-10   회수                  2024-04-05  의뢰 (withdrawn after the end)
    R11  A2→B2    C2   2024-01-15   불수락    01-16 (1d)              불수락
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.models import Agency, Case, Neighbourhood, Referral
from lib.period import Period
from lib.queries import network as q
from lib.scope import Scope

D = dt.date
Q1 = Period.quarter(2024, 1)

AGENCIES = [
    ("A1", "가온행정복지센터", "공공", "행정복지센터"),
    ("A2", "희망복지지원단", "공공", "희망복지지원단"),
    ("B1", "한빛종합사회복지관", "민간", "종합사회복지관"),
    ("B2", "늘봄노인복지관", "민간", "노인복지관"),
]
REFERRALS = [
    ("R1", "A1", "B1", "C1", D(2024, 1, 5), "연계완료", D(2024, 1, 8), D(2024, 2, 10)),
    ("R2", "A1", "B1", "C2", D(2024, 1, 20), "불수락", D(2024, 1, 30), None),
    ("R3", "A1", "B2", "C1", D(2024, 2, 1), "의뢰", None, None),
    ("R4", "B1", "A2", "C2", D(2024, 2, 15), "수락", D(2024, 2, 16), None),
    ("R5", "A2", "B1", "C1", D(2024, 3, 25), "의뢰", None, None),
    ("R6", "A1", "B1", "C1", D(2024, 3, 1), "연계실패", D(2024, 3, 5), D(2024, 4, 10)),
    ("R7", "B2", "B1", "C2", D(2024, 3, 10), "회수", None, D(2024, 3, 12)),
    ("R8", "A1", "B1", "C2", D(2024, 3, 20), "수락", D(2024, 4, 2), None),
    ("R9", "A1", "B1", "C1", D(2023, 12, 20), "의뢰", None, None),
    ("R10", "B2", "A1", "C1", D(2024, 1, 10), "회수", None, D(2024, 4, 5)),
    ("R11", "A2", "B2", "C2", D(2024, 1, 15), "불수락", D(2024, 1, 16), None),
]
_REASON = {"불수락": "정원초과", "연계실패": "연락불가"}


def load_tiny_network(conn: sa.Connection) -> None:
    """Insert the network of this module's docstring."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {"code": "N1", "name": "가온동", "kind": "동", "households": 1000},
            {"code": "N2", "name": "나래동", "kind": "동", "households": 2000},
        ],
    )
    conn.execute(
        sa.insert(Agency),
        [{"code": c, "name": n, "sector": s, "kind": k} for c, n, s, k in AGENCIES],
    )
    conn.execute(
        sa.insert(Case),
        [
            {
                "case_id": cid,
                "neighbourhood_code": nb,
                "discovered_on": D(2023, 11, 1),
                "channel": "이웃신고",
                "risk_level": "위기",
                "household_type": "독거노인",
            }
            for cid, nb in (("C1", "N1"), ("C2", "N2"))
        ],
    )
    conn.execute(
        sa.insert(Referral),
        [
            {
                "referral_id": rid,
                "from_agency_code": src,
                "to_agency_code": dst,
                "case_id": case,
                "requested_on": req,
                "status": status,
                "responded_on": resp,
                "closed_on": closed,
                "reason": _REASON.get(status),
            }
            for rid, src, dst, case, req, status, resp, closed in REFERRALS
        ],
    )


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_tiny_network(c)
    with engine.connect() as c:
        yield c


def _records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


# ---- flows ------------------------------------------------------------------------------


def test_flow_matrix_counts_each_pair_by_status_at_the_end(conn):
    flows = q.load_flow_matrix(conn, Q1)
    # Requested in Q1: every referral but R9 (2023-12-20); statuses as of 2024-03-31:
    # R6 was only 수락 then (closed 04-10), R8 still 의뢰 (answered 04-02).
    assert _records(flows) == [
        ("A1", "B1", "의뢰", 1),  # R8
        ("A1", "B1", "수락", 1),  # R6
        ("A1", "B1", "불수락", 1),  # R2
        ("A1", "B1", "연계완료", 1),  # R1
        ("A1", "B2", "의뢰", 1),  # R3
        ("A2", "B1", "의뢰", 1),  # R5
        ("A2", "B2", "불수락", 1),  # R11
        ("B1", "A2", "수락", 1),  # R4
        ("B2", "A1", "의뢰", 1),  # R10 (withdrawn only on 04-05)
        ("B2", "B1", "회수", 1),  # R7
    ]
    assert flows["referrals"].sum() == 10


def test_flow_matrix_uses_todays_status_for_a_period_that_has_ended_since(conn):
    flows = q.load_flow_matrix(conn, Period.year(2024))
    a1_b1 = flows[(flows.from_code == "A1") & (flows.to_code == "B1")]
    # By 2024-12-31: R1 연계완료, R2 불수락, R6 연계실패, R8 수락 (workflow order).
    assert _records(a1_b1[["status", "referrals"]]) == [
        ("수락", 1),
        ("불수락", 1),
        ("연계완료", 1),
        ("연계실패", 1),
    ]
    assert _records(flows[flows.from_code == "B2"][["to_code", "status"]]) == [
        ("A1", "회수"),  # R10 withdrawn 04-05
        ("B1", "회수"),  # R7
    ]


def test_flow_totals_sum_statuses_and_count_accepted(conn):
    totals = q.flow_totals(q.load_flow_matrix(conn, Q1))
    # A1→B1: R1, R2, R6, R8 = 4; accepted at 03-31 (수락/연계완료/연계실패): R1, R6 = 2.
    # B1→A2: R4 수락 = 1 accepted. Everything else: nothing accepted.
    assert _records(totals) == [
        ("A1", "B1", 4, 2),
        ("A1", "B2", 1, 0),
        ("A2", "B1", 1, 0),
        ("A2", "B2", 1, 0),
        ("B1", "A2", 1, 1),
        ("B2", "A1", 1, 0),
        ("B2", "B1", 1, 0),
    ]


def test_flow_matrix_neighbourhood_filter_keeps_referrals_of_its_cases(conn):
    flows = q.load_flow_matrix(conn, Q1, Scope(neighbourhood_codes=("N1",)))
    # C1 (N1) referrals in Q1: R1, R3, R5, R6, R10.
    assert _records(flows) == [
        ("A1", "B1", "수락", 1),  # R6
        ("A1", "B1", "연계완료", 1),  # R1
        ("A1", "B2", "의뢰", 1),  # R3
        ("A2", "B1", "의뢰", 1),  # R5
        ("B2", "A1", "의뢰", 1),  # R10
    ]


def test_flow_matrix_agency_scope_keeps_referrals_involving_the_agency(conn):
    flows = q.load_flow_matrix(conn, Q1, Scope(agency_code="A2"))
    # A2 sent R5, R11 and received R4.
    assert _records(flows) == [
        ("A2", "B1", "의뢰", 1),
        ("A2", "B2", "불수락", 1),
        ("B1", "A2", "수락", 1),
    ]


def test_flow_matrix_of_an_empty_period_is_empty(conn):
    flows = q.load_flow_matrix(conn, Period.year(2020))
    assert flows.empty
    assert list(flows.columns) == ["from_code", "to_code", "status", "referrals"]
    assert q.flow_totals(flows).empty


# ---- statuses over time ---------------------------------------------------------------------


def test_status_by_month(conn):
    frame = q.load_status_by_month(conn, Q1)
    assert _records(frame) == [
        (D(2024, 1, 1), "의뢰", 1),  # R10
        (D(2024, 1, 1), "불수락", 2),  # R2, R11
        (D(2024, 1, 1), "연계완료", 1),  # R1
        (D(2024, 2, 1), "의뢰", 1),  # R3
        (D(2024, 2, 1), "수락", 1),  # R4
        (D(2024, 3, 1), "의뢰", 2),  # R5, R8
        (D(2024, 3, 1), "수락", 1),  # R6
        (D(2024, 3, 1), "회수", 1),  # R7
    ]


def test_status_by_month_with_neighbourhood_filter(conn):
    frame = q.load_status_by_month(conn, Period.year(2024), Scope(neighbourhood_codes=("N2",)))
    # C2 (N2): R2 Jan 불수락, R11 Jan 불수락, R4 Feb 수락, R7 Mar 회수, R8 Mar 수락 (by 12-31).
    assert _records(frame) == [
        (D(2024, 1, 1), "불수락", 2),
        (D(2024, 2, 1), "수락", 1),
        (D(2024, 3, 1), "수락", 1),
        (D(2024, 3, 1), "회수", 1),
    ]


# ---- waiting referrals ------------------------------------------------------------------------


def test_pending_lists_every_waiting_referral_longest_first(conn):
    frame = q.load_pending(conn, Q1, response_limit_days=7)
    # Waiting at 2024-03-31: R9 since 2023-12-20 (11+31+29+31 = 102 days), R10 since 01-10
    # (21+29+31 = 81), R3 since 02-01 (28+31 = 59), R8 since 03-20 (11), R5 since 03-25 (6).
    assert _records(frame[["referral_id", "days_waiting", "overdue"]]) == [
        ("R9", 102, True),
        ("R10", 81, True),
        ("R3", 59, True),
        ("R8", 11, True),
        ("R5", 6, False),  # 6 ≤ 7: waiting, not overdue
    ]
    first = frame.iloc[0]
    assert (first.case_id, first.neighbourhood_code, first.from_code, first.to_code) == (
        "C1",
        "N1",
        "A1",
        "B1",
    )
    assert first.requested_on == D(2023, 12, 20)


def test_overdue_only_and_the_limit_is_a_parameter(conn):
    overdue = q.load_pending(conn, Q1, response_limit_days=7, overdue_only=True)
    assert list(overdue["referral_id"]) == ["R9", "R10", "R3", "R8"]
    # With a 60-day limit only the waits of 102 and 81 days are over it.
    overdue = q.load_pending(conn, Q1, response_limit_days=60, overdue_only=True)
    assert list(overdue["referral_id"]) == ["R9", "R10"]


def test_pending_for_one_receiver_and_one_sender(conn):
    to_b1 = q.load_pending(conn, Q1, to_agency="B1")
    assert list(to_b1["referral_id"]) == ["R9", "R8", "R5"]
    from_b2 = q.load_pending(conn, Q1, from_agency="B2")
    assert list(from_b2["referral_id"]) == ["R10"]


def test_pending_with_neighbourhood_filter(conn):
    frame = q.load_pending(conn, Q1, Scope(neighbourhood_codes=("N2",)))
    # Of the five waiting, only R8 is about a case of N2.
    assert list(frame["referral_id"]) == ["R8"]


# ---- one agency -------------------------------------------------------------------------------


def test_partners_of_an_agency_most_exchanged_first(conn):
    frame = q.load_partners(conn, Q1, agency_code="B1")
    # B1 received R1, R2, R6, R8 from A1 (4); sent R4 to A2 and received R5 from A2 (2);
    # received R7 from B2 (1). R9 (2023) is outside the period.
    assert _records(frame) == [("A1", 0, 4, 4), ("A2", 1, 1, 2), ("B2", 0, 1, 1)]


def test_partners_ties_are_ordered_by_code(conn):
    frame = q.load_partners(conn, Q1, agency_code="A2")
    # A2: received R4 from B1; sent R5 to B1; sent R11 to B2 → B1 2, B2 1.
    assert _records(frame) == [("B1", 1, 1, 2), ("B2", 1, 0, 1)]
    assert q.load_partners(conn, Period.year(2020), agency_code="A2").empty


def test_response_days_by_month_for_the_network(conn):
    frame = q.load_response_days_by_month(conn, Q1)
    # Jan: R1 3, R2 10, R11 1 → 1, 3, 10 → median 3 (R10 never answered).
    # Feb: R4 1. Mar: R6 4; R8 answered 04-02, after the period's end.
    assert _records(frame) == [
        (D(2024, 1, 1), 3.0, 3),
        (D(2024, 2, 1), 1.0, 1),
        (D(2024, 3, 1), 4.0, 1),
    ]


def test_response_days_by_month_for_one_agency_even_count(conn):
    frame = q.load_response_days_by_month(conn, Period.year(2024), agency_code="B1")
    # To B1 — Jan: R1 3, R2 10 → (3 + 10) / 2 = 6.5. Feb: nothing.
    # Mar: R6 4 and R8 (03-20 → 04-02 = 13 days, answered before the year's end, so it
    # counts under the month it was requested in) → (4 + 13) / 2 = 8.5.
    assert _records(frame) == [(D(2024, 1, 1), 6.5, 2), (D(2024, 3, 1), 8.5, 2)]


def test_response_days_by_month_respects_a_period_cut_inside_a_month(conn):
    period = Period.between("2024-01-01", "2024-01-20")
    frame = q.load_response_days_by_month(conn, period)
    # Requested 01-01..01-20 and answered by 01-20: R1 (3), R11 (1); R2 requested on 01-20
    # but answered 01-30 → median (1 + 3) / 2 = 2.
    assert _records(frame) == [(D(2024, 1, 1), 2.0, 2)]


def test_response_days_with_neighbourhood_filter(conn):
    frame = q.load_response_days_by_month(conn, Q1, Scope(neighbourhood_codes=("N1",)))
    # C1: Jan R1 3; Mar R6 4.
    assert _records(frame) == [(D(2024, 1, 1), 3.0, 1), (D(2024, 3, 1), 4.0, 1)]


# ---- agency list ----------------------------------------------------------------------------


def test_agency_list_filters_by_sector_and_kind(conn):
    assert list(q.load_agency_list(conn)["code"]) == ["A1", "A2", "B1", "B2"]
    assert list(q.load_agency_list(conn, sectors=["민간"])["code"]) == ["B1", "B2"]
    assert list(q.load_agency_list(conn, kinds=["노인복지관", "행정복지센터"])["code"]) == [
        "A1",
        "B2",
    ]
    assert q.load_agency_list(conn, sectors=["공공"], kinds=["노인복지관"]).empty
    assert list(q.load_agency_list(conn, Scope(agency_code="B1"))["code"]) == ["B1"]


# ---- agency table (metrics from lib.queries.metrics) -------------------------------------------

KEYS = [
    "referrals_sent",
    "referrals_received",
    "acceptance_rate",
    "median_response_days",
    "pending",
    "overdue",
    "completion_rate",
]


def _metric_rows(table: pd.DataFrame) -> dict[str, list]:
    def plain(v):
        return None if v is None or v != v else round(float(v), 4)

    return {row.code: [plain(row[k]) for k in KEYS] for _, row in table.iterrows()}


def test_agency_table_metrics_worked_out_by_hand(conn):
    table = q.agency_table(conn, Q1, response_limit_days=7)
    assert list(table.columns[:4]) == ["code", "name", "sector", "kind"]
    assert _metric_rows(table) == {
        # A1 sent R1 R2 R3 R6 R8 (R9 is 2023) = 5, received R10 = 1 (never answered:
        # no rate, no median); R10 waits 81 days at 03-31 → pending 1, overdue 1.
        "A1": [5, 1, None, None, 1, 1, None],
        # A2 sent R5 R11 = 2, received R4 (accepted after 1 day): 1/1 = 100 %; R4 is not
        # closed, so no completion rate.
        "A2": [2, 1, 100.0, 1.0, 0, 0, None],
        # B1 sent R4; received R1 R2 R5 R6 R7 R8 = 6. Answered by 03-31: R1 (accepted, 3 d),
        # R2 (declined, 10 d), R6 (accepted, 4 d): 2 / 3 = 66.6667 %, median of 3 4 10 = 4.
        # Waiting: R9 (102 d), R8 (11 d), R5 (6 d) → 3 pending, 2 over 7 days.
        # Closed by 03-31 after acceptance: R1 연계완료 only (R6 closes 04-10) → 100 %.
        "B1": [1, 6, 66.6667, 4.0, 3, 2, 100.0],
        # B2 sent R7 R10, received R3 R11; R11 declined after 1 day → 0 %; R3 waits 59 d.
        "B2": [2, 2, 0.0, 1.0, 1, 1, None],
    }


def test_agency_table_filters_and_neighbourhood_scope(conn):
    table = q.agency_table(conn, Q1, Scope(neighbourhood_codes=("N1",)), sectors=["민간"])
    # Only C1's referrals (R1 R3 R5 R6 R9 R10), only private agencies.
    assert _metric_rows(table) == {
        # B1 received R1 R5 R6; answered R1 (3 d) R6 (4 d), both accepted → 100 %, median
        # 3.5; waiting R9 (102 d, overdue) and R5 (6 d); closed by the end: R1 연계완료.
        "B1": [0, 3, 100.0, 3.5, 2, 1, 100.0],
        # B2 sent R10, received R3 (waiting 59 d).
        "B2": [1, 1, None, None, 1, 1, None],
    }
    table = q.agency_table(conn, Q1, kinds=["희망복지지원단"])
    assert list(table["code"]) == ["A2"]
