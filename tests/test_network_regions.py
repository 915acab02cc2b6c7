"""The network by region (a deployment above one city), on both databases.

A tiny country, period 2024-Q1 (2024-01-01..2024-03-31):

    neighbourhoods  4420051000, 4420052000 (시·군·구 44200) · 4413051000 (44130) ·
                    1111051000 (11110, another 시·도)
    agencies        P1 in 4420051000 · P2 in 4413051000 · P3 in 1111051000 ·
                    X, Y, Z without a neighbourhood
    cases           C1 4420051000 · C2 4420052000 · C3 4413051000 · C4 1111051000

    id  from→to case requested   status   responded        days
    R1  P1→X    C3   2024-01-05  수락     01-08            3
    R2  P2→X    C3   2024-01-10  불수락   01-12            2
    R3  P1→X    C1   2024-02-01  의뢰     –
    R4  P3→Y    C2   2024-02-03  연계완료 02-10 (closed 02-20) 7
    R5  P2→Y    C3   2024-02-05  수락     2024-04-02 (after the end)
    R6  Z→P1    C1   2024-03-01  불수락   03-02            1
    R7  P1→P2   C4   2023-12-20  수락     12-21 (requested before P)
    R8  X→P3    C4   2024-03-10  수락     03-15            5

Districts of the agencies without a neighbourhood, by the cases referred to them:
X: C3, C3, C1 → 44130 (2 against 1); Y: C2, C3 → a tie, the lowest code 44130; Z: never
referred to → no district.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from lib.models import Agency, Case, Neighbourhood, Referral
from lib.period import Period
from lib.queries import network as q
from lib.scope import Scope

D = dt.date
Q1 = Period.quarter(2024, 1)
HOODS = ["4420051000", "4420052000", "4413051000", "1111051000"]
AGENCIES = [
    ("P1", "4420051000"),
    ("P2", "4413051000"),
    ("P3", "1111051000"),
    ("X", None),
    ("Y", None),
    ("Z", None),
]
CASES = [("C1", HOODS[0]), ("C2", HOODS[1]), ("C3", HOODS[2]), ("C4", HOODS[3])]
REFERRALS = [
    ("R1", "P1", "X", "C3", D(2024, 1, 5), "수락", D(2024, 1, 8), None),
    ("R2", "P2", "X", "C3", D(2024, 1, 10), "불수락", D(2024, 1, 12), None),
    ("R3", "P1", "X", "C1", D(2024, 2, 1), "의뢰", None, None),
    ("R4", "P3", "Y", "C2", D(2024, 2, 3), "연계완료", D(2024, 2, 10), D(2024, 2, 20)),
    ("R5", "P2", "Y", "C3", D(2024, 2, 5), "수락", D(2024, 4, 2), None),
    ("R6", "Z", "P1", "C1", D(2024, 3, 1), "불수락", D(2024, 3, 2), None),
    ("R7", "P1", "P2", "C4", D(2023, 12, 20), "수락", D(2023, 12, 21), None),
    ("R8", "X", "P3", "C4", D(2024, 3, 10), "수락", D(2024, 3, 15), None),
]
_REASON = {"불수락": "정원초과"}


def load_tiny_country(c: sa.Connection) -> None:
    """Insert the country of this module's docstring."""
    c.execute(
        sa.insert(Neighbourhood),
        [
            {"code": h, "name": f"동{i}", "kind": "동", "households": 100}
            for i, h in enumerate(HOODS)
        ],
    )
    c.execute(
        sa.insert(Agency),
        [
            {
                "code": a,
                "name": f"기관{a}",
                "sector": "공공",
                "kind": "행정복지센터",
                "neighbourhood_code": nb,
            }
            for a, nb in AGENCIES
        ],
    )
    c.execute(
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
            for cid, nb in CASES
        ],
    )
    c.execute(
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
        load_tiny_country(c)
    with engine.connect() as c:
        yield c


def test_an_agency_belongs_to_its_neighbourhoods_district_or_its_cases(conn):
    frame = q.load_agency_districts(conn)
    assert dict(zip(frame["code"], frame["district"], strict=True)) == {
        "P1": "44200",
        "P2": "44130",
        "P3": "11110",
        "X": "44130",  # C3 twice, C1 once
        "Y": "44130",  # C2 and C3 once each: the lower code
        "Z": None,  # never referred to
    }


def _rows(frame):
    return {
        r.unit: (r.sent, r.received, r.acceptance_rate, r.median_response_days)
        for r in frame.itertuples()
    }


def test_flows_by_district(conn):
    rows = _rows(q.load_region_flows(conn, Q1, Scope(), 5))
    # sent: 44200 R1 R3 · 44130 R2 R5 R8 · 11110 R4 (R6 from Z counts nowhere, R7 before P)
    # received: 44130 R1 R2 R3 R4 R5 · 44200 R6 · 11110 R8
    # 44130 answered by 03-31: R1 수락, R2 불수락, R4 연계완료 → 2 ÷ 3; days 3, 2, 7 → 3
    assert rows["44130"][:2] == (3, 5)
    assert rows["44130"][2] == pytest.approx(200 / 3)
    assert rows["44130"][3] == 3.0
    assert rows["44200"] == (2, 1, 0.0, 1.0)  # R6 불수락 after 1 day
    assert rows["11110"] == (1, 1, 100.0, 5.0)  # R8 수락 after 5 days
    assert set(rows) == {"44130", "44200", "11110"}


def test_flows_by_province(conn):
    rows = _rows(q.load_region_flows(conn, Q1, Scope(), 2))
    # 44: sent 2 + 3, received 5 + 1; answered R1 R2 R4 R6: 2 accepted of 4;
    # days 1, 2, 3, 7 → (2 + 3) ÷ 2
    assert rows["44"] == (5, 6, 50.0, 2.5)
    assert rows["11"] == (1, 1, 100.0, 5.0)


def test_a_province_scope_counts_its_cases_only(conn):
    scope = Scope().within("44", tuple(HOODS[:3]))
    rows = _rows(q.load_region_flows(conn, Q1, scope, 5))
    # Cases in 44 only: R8 (C4) drops out; P3 (11110) still sent R4 for case C2.
    assert rows["11110"] == (1, 0, None, None)
    assert rows["44200"] == (2, 1, 0.0, 1.0)
    assert rows["44130"][:2] == (2, 5)


def test_partners_have_no_region_flows(conn):
    with pytest.raises(ValueError):
        q.load_region_flows(conn, Q1, Scope(agency_code="P1", partner_view=True), 5)
