"""A small hand-made city, 테스트시, whose every metric can be recomputed by hand.

`load_fixture_city(conn)` inserts it (SQLAlchemy core, so it runs on SQLite and
PostgreSQL); call it inside a transaction, e.g. `with engine.begin() as conn: …`.
The as-of date is 2024-12-31 (C16's closing date is the latest date in the data).

Neighbourhoods (codes sort in this order)::

    code        name     kind  households
    4420011000  온양1동   동    1,000     (A)
    4420025000  배방읍    읍    2,000     (B)
    4420031000  송악면    면      500     (C: nearly empty, one unopened case and a visit)

Agencies::

    AG01 희망복지지원단            공공 희망복지지원단   (no neighbourhood)
    AG02 온양1동 행정복지센터       공공 행정복지센터     A
    AG03 테스트종합사회복지관       민간 종합사회복지관   B
    AG04 테스트지역자활센터         민간 지역자활센터     (none)
    AG05 테스트정신건강복지센터     공공 정신건강복지센터 (none)

Cases (risk: 일=일반 위=위기 고=고위험; iso = isolated; plan "late" means after opened+30)::

    id   nb discovered  opened      plan        closed      reason    risk iso
    C01  A  2023-08-01  2023-08-10  2023-08-30  2024-02-15  목표달성  고   Y
    C02  A  2023-10-05  2023-10-20  2023-12-01  -           -         위   N   plan late
    C03  A  2024-01-10  2024-01-15  2024-02-10  2024-06-30  목표달성  고   N
    C04  A  2024-03-01  2024-03-05  -           2024-09-10  이사      일   Y   no plan
    C05  A  2024-05-20  2024-06-10  2024-07-01  -           -         고   Y
    C06  A  2024-07-01  -           -           2024-07-20  거부      일   N   closed, never opened
    C07  A  2024-09-01  2024-09-15  2024-10-30  -           -         위   N   plan late
    C08  A  2024-12-10  2024-12-20  -           -           -         일   N
    C09  B  2023-07-15  2023-07-20  2023-08-10  2023-12-20  목표달성  위   N
    C10  B  2023-11-01  2023-11-10  2023-11-30  2024-03-10  타기관이관 고  Y
    C11  B  2023-12-15  2024-01-05  2024-01-25  -           -         일   N
    C12  B  2024-02-01  2024-02-10  2024-03-20  2024-05-10  사망      고   Y   plan late
    C13  B  2024-04-01  2024-04-03  2024-04-20  2024-10-03  목표달성  위   N
    C14  B  2024-06-01  2024-06-20  2024-07-15  -           -         위   Y
    C15  B  2024-08-01  -           -           -           -         일   N   never opened
    C16  B  2024-10-01  2024-10-05  2024-10-25  2024-12-31  목표달성  일   N
    C17  B  2024-11-15  2024-11-20  -           -           -         고   N   no plan
    C18  C  2024-11-01  -           -           -           -         일   Y   never opened

Services::

    S01 C01 AG02 2023-09-01 생계      S07 C10 AG01 2023-12-01 생계
    S02 C01 AG03 2024-01-20 정서지원  S08 C11 AG03 2024-01-30 생계
    S03 C02 AG03 2024-02-05 돌봄      S09 C11 AG03 2024-05-30 교육
    S04 C02 AG03 2024-08-10 돌봄      S10 C13 AG04 2024-05-01 일자리
    S05 C03 AG05 2024-03-01 의료      S11 C16 AG03 2024-11-01 돌봄
    S06 C05 AG03 2024-07-05 주거

Disbursements (won)::

    P01 C02 2024-01-10 공과금   300,000    P05 C12 2024-04-15 의료     250,000
    P02 C05 2024-09-20 주거     500,000    P06 C09 2023-09-10 생계     150,000
    P03 C11 2024-02-01 명절지원 200,000    P07 C17 2024-12-20 명절지원 100,000
    P04 C12 2024-03-15 의료     400,000

Donations (nb "-" = city-wide; donor "-" = no donor_id)::

    id  nb received    donor_type donor form amount
    D01 A  2023-12-10  개인       DN01  현금  1,000,000
    D02 A  2024-01-15  기업       DN02  현금  3,000,000
    D03 A  2024-05-05  개인       DN01  현물    500,000
    D04 A  2024-09-01  개인       -     현금    200,000
    D05 B  2024-02-20  종교단체   DN03  현금  2,000,000
    D06 B  2024-02-25  개인       -     현금    100,000
    D07 B  2024-11-30  단체       DN04  현물  1,500,000
    D08 -  2024-03-01  기업       DN02  현금  5,000,000
    D09 -  2024-12-24  개인       -     현물    300,000
    D10 B  2023-08-15  개인       DN05  현금    400,000

Targets: 2024 city (no neighbourhood) donations_krw 20,000,000; 2024 A donations_krw 5,000,000.

Referrals (responded/closed "-" = empty)::

    id  case from→to     requested   status   responded   closed      reason
    R01 C01  AG02→AG03   2023-08-15  연계완료 2023-08-18  2023-10-01  -
    R02 C02  AG02→AG03   2024-01-08  수락     2024-01-10  -           -
    R03 C03  AG01→AG05   2024-01-20  연계완료 2024-01-25  2024-03-01  -
    R04 C04  AG02→AG04   2024-03-10  불수락   2024-03-20  -           대상아님
    R05 C05  AG02→AG03   2024-06-25  연계실패 2024-07-03  2024-08-01  연락불가
    R06 C07  AG02→AG05   2024-09-20  회수     -           2024-10-05  -
    R07 C10  AG01→AG03   2023-12-20  연계완료 2024-01-04  2024-02-20  -
    R08 C11  AG01→AG04   2024-02-01  회수     -           2024-07-15  -
    R09 C12  AG01→AG05   2024-02-15  연계완료 2024-02-22  2024-04-30  -
    R10 C13  AG03→AG04   2024-04-05  수락     2024-04-12  -           -
    R11 C14  AG01→AG03   2024-06-24  의뢰     -           -           -
    R12 C16  AG03→AG02   2024-12-24  의뢰     -           -           -
    R13 C17  AG01→AG03   2024-11-25  불수락   2024-12-02  -           정원초과
    R14 C09  AG01→AG04   2023-08-01  연계실패 2023-08-05  2023-09-15  본인거부

Outreach visits (visited / found)::

    V01 A 2023-11-10 40/3   V03 A 2024-08-20 30/2   V05 B 2024-10-22 60/1
    V02 A 2024-03-12 50/4   V04 B 2024-04-18 80/5   V06 C 2024-10-30 25/1

Self-sufficiency participants::

    id   nb programme     kind        started     ended       outcome
    SS01 A  세차사업단     자활사업단  2023-03-01  2024-04-30  취업
    SS02 A  세차사업단     자활사업단  2024-02-01  -           -
    SS03 A  카페잇다       자활기업    2023-09-01  2024-08-31  중도포기
    SS04 B  카페잇다       자활기업    2024-01-15  -           -
    SS05 B  집수리사업단   자활사업단  2023-06-01  2024-03-15  창업
    SS06 B  집수리사업단   자활사업단  2024-05-01  2024-11-30  기타
    SS07 B  세차사업단     자활사업단  2024-07-01  -           -
    SS08 B  집수리사업단   자활사업단  2022-05-01  2023-12-31  탈수급
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
from lib.queries.reference import set_dataset_info

CITY_NAME = "테스트시"
AS_OF = dt.date(2024, 12, 31)
A, B, C = "4420011000", "4420025000", "4420031000"
NEIGHBOURHOOD_CODES = (A, B, C)
AGENCY_CODES = ("AG01", "AG02", "AG03", "AG04", "AG05")

NEIGHBOURHOODS = [
    (A, "온양1동", "동", 1000, 2300),
    (B, "배방읍", "읍", 2000, 4800),
    (C, "송악면", "면", 500, 900),
]

AGENCIES = [
    ("AG01", "희망복지지원단", "공공", "희망복지지원단", None),
    ("AG02", "온양1동 행정복지센터", "공공", "행정복지센터", A),
    ("AG03", "테스트종합사회복지관", "민간", "종합사회복지관", B),
    ("AG04", "테스트지역자활센터", "민간", "지역자활센터", None),
    ("AG05", "테스트정신건강복지센터", "공공", "정신건강복지센터", None),
]

# id, nb, discovered, opened, plan, closed, close_reason, risk, isolated, channel, type, lead
CASES = [
    ("C01", A, "2023-08-01", "2023-08-10", "2023-08-30", "2024-02-15", "목표달성", "고위험", True, "이웃신고", "독거노인", "AG02"),
    ("C02", A, "2023-10-05", "2023-10-20", "2023-12-01", None, None, "위기", False, "사각지대발굴시스템", "한부모", "AG02"),
    ("C03", A, "2024-01-10", "2024-01-15", "2024-02-10", "2024-06-30", "목표달성", "고위험", False, "본인신청", "1인청장년", "AG01"),
    ("C04", A, "2024-03-01", "2024-03-05", None, "2024-09-10", "이사", "일반", True, "찾아가는방문", "독거노인", "AG02"),
    ("C05", A, "2024-05-20", "2024-06-10", "2024-07-01", None, None, "고위험", True, "행복키움추진단", "노인부부", "AG02"),
    ("C06", A, "2024-07-01", None, None, "2024-07-20", "거부", "일반", False, "이웃신고", "기타", None),
    ("C07", A, "2024-09-01", "2024-09-15", "2024-10-30", None, None, "위기", False, "기관의뢰", "장애인", "AG02"),
    ("C08", A, "2024-12-10", "2024-12-20", None, None, None, "일반", False, "사각지대발굴시스템", "다문화", None),
    ("C09", B, "2023-07-15", "2023-07-20", "2023-08-10", "2023-12-20", "목표달성", "위기", False, "본인신청", "조손", "AG03"),
    ("C10", B, "2023-11-01", "2023-11-10", "2023-11-30", "2024-03-10", "타기관이관", "고위험", True, "이웃신고", "독거노인", "AG01"),
    ("C11", B, "2023-12-15", "2024-01-05", "2024-01-25", None, None, "일반", False, "사각지대발굴시스템", "한부모", "AG03"),
    ("C12", B, "2024-02-01", "2024-02-10", "2024-03-20", "2024-05-10", "사망", "고위험", True, "행복키움추진단", "독거노인", "AG01"),
    ("C13", B, "2024-04-01", "2024-04-03", "2024-04-20", "2024-10-03", "목표달성", "위기", False, "기관의뢰", "1인청장년", "AG03"),
    ("C14", B, "2024-06-01", "2024-06-20", "2024-07-15", None, None, "위기", True, "찾아가는방문", "노인부부", "AG03"),
    ("C15", B, "2024-08-01", None, None, None, None, "일반", False, "이웃신고", "기타", None),
    ("C16", B, "2024-10-01", "2024-10-05", "2024-10-25", "2024-12-31", "목표달성", "일반", False, "본인신청", "다문화", "AG03"),
    ("C17", B, "2024-11-15", "2024-11-20", None, None, None, "고위험", False, "사각지대발굴시스템", "장애인", "AG01"),
    ("C18", C, "2024-11-01", None, None, None, None, "일반", True, "찾아가는방문", "독거노인", None),
]  # fmt: skip

# id, case, agency, provided_on, category
SERVICES = [
    ("S01", "C01", "AG02", "2023-09-01", "생계"),
    ("S02", "C01", "AG03", "2024-01-20", "정서지원"),
    ("S03", "C02", "AG03", "2024-02-05", "돌봄"),
    ("S04", "C02", "AG03", "2024-08-10", "돌봄"),
    ("S05", "C03", "AG05", "2024-03-01", "의료"),
    ("S06", "C05", "AG03", "2024-07-05", "주거"),
    ("S07", "C10", "AG01", "2023-12-01", "생계"),
    ("S08", "C11", "AG03", "2024-01-30", "생계"),
    ("S09", "C11", "AG03", "2024-05-30", "교육"),
    ("S10", "C13", "AG04", "2024-05-01", "일자리"),
    ("S11", "C16", "AG03", "2024-11-01", "돌봄"),
]

# id, case, paid_on, purpose, amount
DISBURSEMENTS = [
    ("P01", "C02", "2024-01-10", "공과금", 300_000),
    ("P02", "C05", "2024-09-20", "주거", 500_000),
    ("P03", "C11", "2024-02-01", "명절지원", 200_000),
    ("P04", "C12", "2024-03-15", "의료", 400_000),
    ("P05", "C12", "2024-04-15", "의료", 250_000),
    ("P06", "C09", "2023-09-10", "생계", 150_000),
    ("P07", "C17", "2024-12-20", "명절지원", 100_000),
]

# id, nb (None: city-wide), received_on, donor_type, donor_id, form, amount
DONATIONS = [
    ("D01", A, "2023-12-10", "개인", "DN01", "현금", 1_000_000),
    ("D02", A, "2024-01-15", "기업", "DN02", "현금", 3_000_000),
    ("D03", A, "2024-05-05", "개인", "DN01", "현물", 500_000),
    ("D04", A, "2024-09-01", "개인", None, "현금", 200_000),
    ("D05", B, "2024-02-20", "종교단체", "DN03", "현금", 2_000_000),
    ("D06", B, "2024-02-25", "개인", None, "현금", 100_000),
    ("D07", B, "2024-11-30", "단체", "DN04", "현물", 1_500_000),
    ("D08", None, "2024-03-01", "기업", "DN02", "현금", 5_000_000),
    ("D09", None, "2024-12-24", "개인", None, "현물", 300_000),
    ("D10", B, "2023-08-15", "개인", "DN05", "현금", 400_000),
]

# year, nb (None: the city), metric, value
TARGETS = [
    (2024, None, "donations_krw", 20_000_000),
    (2024, A, "donations_krw", 5_000_000),
]

# id, case, from, to, requested, status, responded, closed, reason
REFERRALS = [
    ("R01", "C01", "AG02", "AG03", "2023-08-15", "연계완료", "2023-08-18", "2023-10-01", None),
    ("R02", "C02", "AG02", "AG03", "2024-01-08", "수락", "2024-01-10", None, None),
    ("R03", "C03", "AG01", "AG05", "2024-01-20", "연계완료", "2024-01-25", "2024-03-01", None),
    ("R04", "C04", "AG02", "AG04", "2024-03-10", "불수락", "2024-03-20", None, "대상아님"),
    ("R05", "C05", "AG02", "AG03", "2024-06-25", "연계실패", "2024-07-03", "2024-08-01", "연락불가"),
    ("R06", "C07", "AG02", "AG05", "2024-09-20", "회수", None, "2024-10-05", None),
    ("R07", "C10", "AG01", "AG03", "2023-12-20", "연계완료", "2024-01-04", "2024-02-20", None),
    ("R08", "C11", "AG01", "AG04", "2024-02-01", "회수", None, "2024-07-15", None),
    ("R09", "C12", "AG01", "AG05", "2024-02-15", "연계완료", "2024-02-22", "2024-04-30", None),
    ("R10", "C13", "AG03", "AG04", "2024-04-05", "수락", "2024-04-12", None, None),
    ("R11", "C14", "AG01", "AG03", "2024-06-24", "의뢰", None, None, None),
    ("R12", "C16", "AG03", "AG02", "2024-12-24", "의뢰", None, None, None),
    ("R13", "C17", "AG01", "AG03", "2024-11-25", "불수락", "2024-12-02", None, "정원초과"),
    ("R14", "C09", "AG01", "AG04", "2023-08-01", "연계실패", "2023-08-05", "2023-09-15", "본인거부"),
]  # fmt: skip

# id, nb, visited_on, households_visited, households_found
VISITS = [
    ("V01", A, "2023-11-10", 40, 3),
    ("V02", A, "2024-03-12", 50, 4),
    ("V03", A, "2024-08-20", 30, 2),
    ("V04", B, "2024-04-18", 80, 5),
    ("V05", B, "2024-10-22", 60, 1),
    ("V06", C, "2024-10-30", 25, 1),
]

# id, nb, programme, programme_kind, started_on, ended_on, outcome
PARTICIPANTS = [
    ("SS01", A, "세차사업단", "자활사업단", "2023-03-01", "2024-04-30", "취업"),
    ("SS02", A, "세차사업단", "자활사업단", "2024-02-01", None, None),
    ("SS03", A, "카페잇다", "자활기업", "2023-09-01", "2024-08-31", "중도포기"),
    ("SS04", B, "카페잇다", "자활기업", "2024-01-15", None, None),
    ("SS05", B, "집수리사업단", "자활사업단", "2023-06-01", "2024-03-15", "창업"),
    ("SS06", B, "집수리사업단", "자활사업단", "2024-05-01", "2024-11-30", "기타"),
    ("SS07", B, "세차사업단", "자활사업단", "2024-07-01", None, None),
    ("SS08", B, "집수리사업단", "자활사업단", "2022-05-01", "2023-12-31", "탈수급"),
]


def _d(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def load_fixture_city(conn: sa.Connection) -> None:
    """Insert 테스트시 (see the module docstring) into an empty, migrated database."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {"code": c, "name": n, "kind": k, "households": h, "population": p}
            for c, n, k, h, p in NEIGHBOURHOODS
        ],
    )
    conn.execute(
        sa.insert(Agency),
        [
            {"code": c, "name": n, "sector": s, "kind": k, "neighbourhood_code": nb}
            for c, n, s, k, nb in AGENCIES
        ],
    )
    conn.execute(
        sa.insert(Case),
        [
            {
                "case_id": cid,
                "neighbourhood_code": nb,
                "discovered_on": _d(disc),
                "opened_on": _d(opened),
                "plan_on": _d(plan),
                "closed_on": _d(closed),
                "close_reason": reason,
                "risk_level": risk,
                "isolated": iso,
                "channel": channel,
                "household_type": htype,
                "lead_agency_code": lead,
            }
            for cid, nb, disc, opened, plan, closed, reason, risk, iso, channel, htype, lead in CASES
        ],
    )
    insert_activity(
        conn,
        services=SERVICES,
        donations=DONATIONS,
        disbursements=DISBURSEMENTS,
        referrals=REFERRALS,
        visits=VISITS,
        participants=PARTICIPANTS,
        targets=TARGETS,
    )
    set_dataset_info(conn, city_name=CITY_NAME, is_demo="0")


def insert_activity(
    conn: sa.Connection,
    *,
    services: list,
    donations: list,
    disbursements: list,
    referrals: list,
    visits: list,
    participants: list,
    targets: list,
) -> None:
    """Insert services, donations, disbursements, referrals, visits, self-sufficiency
    participants and targets given as this module's tuples (shared by the test fixtures)."""
    conn.execute(
        sa.insert(Service),
        [
            {
                "service_id": sid,
                "case_id": cid,
                "agency_code": ag,
                "provided_on": _d(on),
                "category": cat,
                "amount_krw": None,
            }
            for sid, cid, ag, on, cat in services
        ],
    )
    conn.execute(
        sa.insert(Donation),
        [
            {
                "donation_id": did,
                "neighbourhood_code": nb,
                "received_on": _d(on),
                "donor_type": dtype,
                "donor_id": donor,
                "form": form,
                "amount_krw": amount,
            }
            for did, nb, on, dtype, donor, form, amount in donations
        ],
    )
    conn.execute(
        sa.insert(Disbursement),
        [
            {
                "disbursement_id": pid,
                "case_id": cid,
                "paid_on": _d(on),
                "purpose": purpose,
                "amount_krw": amount,
            }
            for pid, cid, on, purpose, amount in disbursements
        ],
    )
    conn.execute(
        sa.insert(Referral),
        [
            {
                "referral_id": rid,
                "case_id": cid,
                "from_agency_code": src,
                "to_agency_code": dst,
                "requested_on": _d(req),
                "status": status,
                "responded_on": _d(resp),
                "closed_on": _d(closed),
                "reason": reason,
            }
            for rid, cid, src, dst, req, status, resp, closed, reason in referrals
        ],
    )
    conn.execute(
        sa.insert(OutreachVisit),
        [
            {
                "visit_id": vid,
                "neighbourhood_code": nb,
                "visited_on": _d(on),
                "households_visited": visited,
                "households_found": found,
            }
            for vid, nb, on, visited, found in visits
        ],
    )
    conn.execute(
        sa.insert(SelfSufficiencyParticipant),
        [
            {
                "participant_id": pid,
                "neighbourhood_code": nb,
                "programme": prog,
                "programme_kind": kind,
                "started_on": _d(start),
                "ended_on": _d(end),
                "outcome": outcome,
            }
            for pid, nb, prog, kind, start, end, outcome in participants
        ],
    )
    conn.execute(
        sa.insert(Target),
        [{"year": y, "neighbourhood_code": nb, "metric": m, "value": v} for y, nb, m, v in targets],
    )
