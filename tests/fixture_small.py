"""작은시, a city of small numbers, for the partner-view rules of metrics.md "Small numbers".

`load_small_city(conn)` inserts it (call inside a transaction). Its numbers sit on the
edges of the threshold T = 5: neighbourhood P has 4 of most things (T − 1), Q has 5 (T).

Neighbourhoods: P 3300010000 (1,000 households), Q 3300020000 (2,000 households).
Agencies: X, Y, Z (X sends every referral).

Cases (all risk 일반 and not isolated unless noted; no plan unless noted)::

    id       nb discovered  opened          closed      channel     type      notes
    P1       P  2023-06-01  2023-07-01      -           이웃신고    독거노인  고위험, isolated
    P2, P3   P  2023-06-01  2023-07-01      -           이웃신고    독거노인
    P4       P  2023-06-01  2023-07-01      -           이웃신고    한부모
    P5..P7   P  2023-12-01  06-20 06-10 05-31 2024-06-30 이웃신고  기타      10, 20, 30 days
    P8       P  2023-12-01  2024-05-21      2024-06-30  본인신청    기타      40 days
    Q1       Q  2024-01-10  2024-02-01      -           사각지대…   한부모    고위험, plan 02-20
    Q2       Q  2024-01-10  2024-02-01      -           사각지대…   한부모
    Q3       Q  2024-01-10  2024-02-01      -           사각지대…   한부모    고위험
    Q4, Q5   Q  2024-01-10  2024-02-01      -           사각지대…   기타
    Q6..Q10  Q  2023-12-01  06-20 06-10 05-31 05-21 05-11, closed 2024-06-30
                                                        찾아가는방문 기타     10 … 50 days

Services: S1 Q1 2024-05-01; S2..S7 Q2 2024-01-15 (six).
Disbursements: P1..P4 and Q1..Q5 100,000 each on 2024-03-15; Q1 again 50,000 on 2024-04-10.
Donations: D1 P 2024-04-01 개인 DN1 현금 1,000,000. Target: 2024 P donations_krw 2,000,000.

Referrals (X → Y unless noted; requested 2024-03-01, answered after the days shown)::

    RP1..RP4  case P1  1 2 3 4 days   수락 수락 수락 불수락
    RQ1..RQ5  case Q1  1 2 3 4 5 days 수락 수락 수락 수락 불수락
    RQ6       case Q1  X → Z, requested 2024-12-20, 의뢰 (waiting at 2024-12-31: 11 days)

Outreach: V1 P 2024-04-01 4 visited / 0 found; V2 Q 2024-04-01 5 / 1.
Self-sufficiency (programme 가): SP1..SP4 in P and SQ1..SQ5 in Q from 2023-01-01 to
2024-06-30 (SP1, SP2 and all SQ 취업; SP3, SP4 중도포기); SP5 in P from 2024-02-01, active.
"""

from __future__ import annotations

import datetime as dt

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

P, Q = "3300010000", "3300020000"
D = dt.date.fromisoformat


def _case(cid, nb, discovered, opened, closed=None, channel="이웃신고", htype="기타", **extra):
    row = {
        "case_id": cid,
        "neighbourhood_code": nb,
        "discovered_on": D(discovered),
        "opened_on": D(opened),
        "plan_on": None,
        "closed_on": D(closed) if closed else None,
        "close_reason": "목표달성" if closed else None,
        "risk_level": "일반",
        "isolated": False,
        "channel": channel,
        "household_type": htype,
        "lead_agency_code": None,
    }
    return row | extra


CLOSED_OPENED = ("2024-06-20", "2024-06-10", "2024-05-31", "2024-05-21", "2024-05-11")
CASES = [
    _case("P1", P, "2023-06-01", "2023-07-01", htype="독거노인", risk_level="고위험", isolated=True),
    _case("P2", P, "2023-06-01", "2023-07-01", htype="독거노인"),
    _case("P3", P, "2023-06-01", "2023-07-01", htype="독거노인"),
    _case("P4", P, "2023-06-01", "2023-07-01", htype="한부모"),
    *[_case(f"P{5 + i}", P, "2023-12-01", CLOSED_OPENED[i], "2024-06-30") for i in range(3)],
    _case("P8", P, "2023-12-01", CLOSED_OPENED[3], "2024-06-30", channel="본인신청"),
    _case("Q1", Q, "2024-01-10", "2024-02-01", channel="사각지대발굴시스템", htype="한부모",
          risk_level="고위험", plan_on=D("2024-02-20")),
    _case("Q2", Q, "2024-01-10", "2024-02-01", channel="사각지대발굴시스템", htype="한부모"),
    _case("Q3", Q, "2024-01-10", "2024-02-01", channel="사각지대발굴시스템", htype="한부모",
          risk_level="고위험"),
    _case("Q4", Q, "2024-01-10", "2024-02-01", channel="사각지대발굴시스템"),
    _case("Q5", Q, "2024-01-10", "2024-02-01", channel="사각지대발굴시스템"),
    *[
        _case(f"Q{6 + i}", Q, "2023-12-01", opened, "2024-06-30", channel="찾아가는방문")
        for i, opened in enumerate(CLOSED_OPENED)
    ],
]  # fmt: skip

SERVICES = [("S1", "Q1", "2024-05-01")] + [(f"S{n}", "Q2", "2024-01-15") for n in range(2, 8)]
DISBURSEMENTS = [
    *[(f"G{c}", c, "2024-03-15", 100_000) for c in ("P1", "P2", "P3", "P4")],
    *[(f"G{c}", c, "2024-03-15", 100_000) for c in ("Q1", "Q2", "Q3", "Q4", "Q5")],
    ("GQ1b", "Q1", "2024-04-10", 50_000),
]


def _referral(rid, case_id, days, status, to="Y", requested="2024-03-01"):
    asked = D(requested)
    return {
        "referral_id": rid,
        "case_id": case_id,
        "from_agency_code": "X",
        "to_agency_code": to,
        "requested_on": asked,
        "status": status,
        "responded_on": None if days is None else asked + dt.timedelta(days=days),
        "closed_on": None,
        "reason": "정원초과" if status == "불수락" else None,
    }


REFERRALS = [
    *[_referral(f"RP{n}", "P1", n, "불수락" if n == 4 else "수락") for n in range(1, 5)],
    *[_referral(f"RQ{n}", "Q1", n, "불수락" if n == 5 else "수락") for n in range(1, 6)],
    _referral("RQ6", "Q1", None, "의뢰", to="Z", requested="2024-12-20"),
]


def _participant(pid, nb, started, ended, outcome):
    return {
        "participant_id": pid,
        "neighbourhood_code": nb,
        "programme": "가",
        "programme_kind": "자활사업단",
        "started_on": D(started),
        "ended_on": D(ended) if ended else None,
        "outcome": outcome,
    }


PARTICIPANTS = [
    *[
        _participant(f"SP{n}", P, "2023-01-01", "2024-06-30", "취업" if n <= 2 else "중도포기")
        for n in range(1, 5)
    ],
    _participant("SP5", P, "2024-02-01", None, None),
    *[_participant(f"SQ{n}", Q, "2023-01-01", "2024-06-30", "취업") for n in range(1, 6)],
]


def load_small_city(conn: sa.Connection) -> None:
    """Insert 작은시 (see the module docstring) into an empty, migrated database."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {"code": P, "name": "피동", "kind": "동", "households": 1000},
            {"code": Q, "name": "큐읍", "kind": "읍", "households": 2000},
        ],
    )
    conn.execute(
        sa.insert(Agency),
        [{"code": c, "name": f"{c}기관", "sector": "공공", "kind": "기타"} for c in "XYZ"],
    )
    conn.execute(sa.insert(Case), CASES)
    conn.execute(
        sa.insert(Service),
        [
            {"service_id": sid, "case_id": cid, "agency_code": "X", "provided_on": D(on),
             "category": "돌봄", "amount_krw": None}
            for sid, cid, on in SERVICES
        ],
    )  # fmt: skip
    conn.execute(
        sa.insert(Disbursement),
        [
            {"disbursement_id": did, "case_id": cid, "paid_on": D(on), "purpose": "생계",
             "amount_krw": amount}
            for did, cid, on, amount in DISBURSEMENTS
        ],
    )  # fmt: skip
    conn.execute(
        sa.insert(Donation),
        [
            {"donation_id": "D1", "neighbourhood_code": P, "received_on": D("2024-04-01"),
             "donor_type": "개인", "donor_id": "DN1", "form": "현금", "amount_krw": 1_000_000}
        ],
    )  # fmt: skip
    conn.execute(
        sa.insert(Target),
        [{"year": 2024, "neighbourhood_code": P, "metric": "donations_krw", "value": 2_000_000}],
    )
    conn.execute(sa.insert(Referral), REFERRALS)
    conn.execute(
        sa.insert(OutreachVisit),
        [
            {"visit_id": "V1", "neighbourhood_code": P, "visited_on": D("2024-04-01"),
             "households_visited": 4, "households_found": 0},
            {"visit_id": "V2", "neighbourhood_code": Q, "visited_on": D("2024-04-01"),
             "households_visited": 5, "households_found": 1},
        ],
    )  # fmt: skip
    conn.execute(sa.insert(SelfSufficiencyParticipant), PARTICIPANTS)
