"""A tiny nation of two provinces and three districts, every regional value worked by hand.

`load_fixture_regions(conn)` inserts it (SQLAlchemy core: SQLite and PostgreSQL); call it
inside a transaction. The codes' first 2 digits are the 시·도, the first 5 the 시·군·구.
Two neighbourhoods in different districts are both called 가동 (names repeat; codes key).

Neighbourhoods::

    code        name     households  district        province
    1111051500  가동     1,000       11110 가구       11 가나특별시
    1111052000  나동     3,000       11110 가구       11
    1114055000  가동     2,000       11140 나구       11
    4420011000  온양1동    500       44200 다라시     44 다라도
    4420025000  배방읍   1,500       44200 다라시     44

    households: 11110 = 4,000 · 11140 = 2,000 · 44200 = 2,000 · 11 = 6,000 · 44 = 2,000 ·
    all = 8,000

Cases (days = closed − opened; "active" = open at 2024-12-31)::

    id  nb  discovered  opened      plan        closed      risk   note
    K1  N1  2024-01-05  2024-01-10  2024-01-20  2024-03-01  고위험  closed, 51 days (21+29+1)
    K2  N1  2024-02-01  2024-02-05  -           -           위기    active
    K3  N2  2024-03-01  2024-03-02  2024-03-10  2024-03-12  일반    closed, 10 days
    K4  N2  2024-04-01  2024-04-01  -           -           고위험  active
    K5  N3  2024-05-01  2024-05-03  -           2024-05-23  위기    closed, 20 days
    K6  N3  2024-06-01  -           -           -           일반    never opened
    K7  N4  2024-01-10  2024-01-10  -           2024-01-14  일반    closed, 4 days
    K8  N4  2023-06-01  2023-06-02  -           -           고위험  active (discovered 2023)
    K9  N5  2024-07-01  2024-07-01  -           2024-07-31  위기    closed, 30 days
    K10 N5  2024-08-01  2024-08-02  -           -           위기    active

Services: V1 K1 2024-01-15 · V2 K1 2024-02-15 · V3 K3 2024-03-05 · V4 K5 2024-05-10 ·
V5 K8 2023-12-01 (before 2024) · V6 K10 2024-09-01.
Disbursements (won): P1 K2 2024-03-01 200,000 · P2 K2 2024-04-01 100,000 · P3 K4
2024-05-01 300,000 · P4 K8 2024-06-01 400,000 · P5 K9 2024-07-15 50,000.
Donations: G1 N1 2024-02-01 DN1 현금 1,000,000 · G2 N2 2024-03-01 DN1 현물 500,000 ·
G3 N3 2024-04-01 DN1 현금 2,000,000 · G4 N4 2024-05-01 (no donor) 현금 300,000 ·
G5 city-wide 2024-06-01 DN2 현금 5,000,000 · G6 N5 2023-12-01 DN3 현금 700,000.
Targets 2024 donations_krw: the whole deployment 10,000,000; N1 2,000,000.
Referrals (response = responded − requested)::

    F1 K1  AG1→AG2 2024-01-12 연계완료 2024-01-15 closed 2024-02-01   3 days
    F2 K2  AG1→AG3 2024-02-10 불수락   2024-02-20                   10 days
    F3 K4  AG2→AG1 2024-04-05 수락     2024-04-06                    1 day
    F4 K5  AG2→AG3 2024-05-05 수락     2024-05-12                    7 days
    F5 K10 AG3→AG2 2024-08-05 의뢰     (pending and overdue at 2024-12-31)
    F6 K8  AG3→AG1 2024-06-10 연계실패 2024-06-14 closed 2024-07-01   4 days

Visits (visited/found): O1 N1 2024-03-10 40/2 · O2 N3 2024-04-10 30/1 · O3 N5 2024-05-10 20/3.
Self-sufficiency: S1 N2 세차사업단 from 2024-01-01 (active) · S2 N4 카페잇다 2023-05-01 to
2024-06-30, 취업.

Hand values for 2024 (`YEAR_2024`, below) per district and province; the arithmetic is
beside each value.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lib.models import (
    Agency,
    Case,
    Neighbourhood,
)
from lib.queries.reference import set_dataset_info
from tests.fixture_city import insert_activity

N1, N2, N3, N4, N5 = "1111051500", "1111052000", "1114055000", "4420011000", "4420025000"
D1, D2, D3 = "11110", "11140", "44200"
P1, P2 = "11", "44"
CODES = (N1, N2, N3, N4, N5)
TOP_NAME = "테스트나라"

# code, name, kind, households, province name, district name
NEIGHBOURHOODS = [
    (N1, "가동", "동", 1000, "가나특별시", "가구"),
    (N2, "나동", "동", 3000, "가나특별시", "가구"),
    (N3, "가동", "동", 2000, "가나특별시", "나구"),
    (N4, "온양1동", "동", 500, "다라도", "다라시"),
    (N5, "배방읍", "읍", 1500, "다라도", "다라시"),
]
AGENCIES = [
    ("AG1", "가동 행정복지센터", "공공", "행정복지센터", N1),
    ("AG2", "가나종합사회복지관", "민간", "종합사회복지관", None),
    ("AG3", "다라시 희망복지지원단", "공공", "희망복지지원단", N4),
]
# id, nb, discovered, opened, plan, closed, close reason, risk
CASES = [
    ("K1", N1, "2024-01-05", "2024-01-10", "2024-01-20", "2024-03-01", "목표달성", "고위험"),
    ("K2", N1, "2024-02-01", "2024-02-05", None, None, None, "위기"),
    ("K3", N2, "2024-03-01", "2024-03-02", "2024-03-10", "2024-03-12", "목표달성", "일반"),
    ("K4", N2, "2024-04-01", "2024-04-01", None, None, None, "고위험"),
    ("K5", N3, "2024-05-01", "2024-05-03", None, "2024-05-23", "목표달성", "위기"),
    ("K6", N3, "2024-06-01", None, None, None, None, "일반"),
    ("K7", N4, "2024-01-10", "2024-01-10", None, "2024-01-14", "이사", "일반"),
    ("K8", N4, "2023-06-01", "2023-06-02", None, None, None, "고위험"),
    ("K9", N5, "2024-07-01", "2024-07-01", None, "2024-07-31", "목표달성", "위기"),
    ("K10", N5, "2024-08-01", "2024-08-02", None, None, None, "위기"),
]
SERVICES = [
    ("V1", "K1", "AG1", "2024-01-15", "생계"),
    ("V2", "K1", "AG1", "2024-02-15", "의료"),
    ("V3", "K3", "AG2", "2024-03-05", "돌봄"),
    ("V4", "K5", "AG2", "2024-05-10", "주거"),
    ("V5", "K8", "AG3", "2023-12-01", "생계"),
    ("V6", "K10", "AG3", "2024-09-01", "교육"),
]
DISBURSEMENTS = [
    ("P1", "K2", "2024-03-01", "생계", 200_000),
    ("P2", "K2", "2024-04-01", "생계", 100_000),
    ("P3", "K4", "2024-05-01", "의료", 300_000),
    ("P4", "K8", "2024-06-01", "주거", 400_000),
    ("P5", "K9", "2024-07-15", "생계", 50_000),
]
DONATIONS = [
    ("G1", N1, "2024-02-01", "개인", "DN1", "현금", 1_000_000),
    ("G2", N2, "2024-03-01", "개인", "DN1", "현물", 500_000),
    ("G3", N3, "2024-04-01", "기업", "DN1", "현금", 2_000_000),
    ("G4", N4, "2024-05-01", "개인", None, "현금", 300_000),
    ("G5", None, "2024-06-01", "기업", "DN2", "현금", 5_000_000),
    ("G6", N5, "2023-12-01", "개인", "DN3", "현금", 700_000),
]
TARGETS = [(2024, None, "donations_krw", 10_000_000), (2024, N1, "donations_krw", 2_000_000)]
REFERRALS = [
    ("F1", "K1", "AG1", "AG2", "2024-01-12", "연계완료", "2024-01-15", "2024-02-01", None),
    ("F2", "K2", "AG1", "AG3", "2024-02-10", "불수락", "2024-02-20", None, "대상아님"),
    ("F3", "K4", "AG2", "AG1", "2024-04-05", "수락", "2024-04-06", None, None),
    ("F4", "K5", "AG2", "AG3", "2024-05-05", "수락", "2024-05-12", None, None),
    ("F5", "K10", "AG3", "AG2", "2024-08-05", "의뢰", None, None, None),
    ("F6", "K8", "AG3", "AG1", "2024-06-10", "연계실패", "2024-06-14", "2024-07-01", "연락불가"),
]
VISITS = [
    ("O1", N1, "2024-03-10", 40, 2),
    ("O2", N3, "2024-04-10", 30, 1),
    ("O3", N5, "2024-05-10", 20, 3),
]
PARTICIPANTS = [
    ("S1", N2, "세차사업단", "자활사업단", "2024-01-01", None, None),
    ("S2", N4, "카페잇다", "자활기업", "2023-05-01", "2024-06-30", "취업"),
]

# Hand values for the year 2024 by unit (districts, then provinces).
YEAR_2024: dict[str, dict[str, object]] = {
    # discovered in 2024: 11110 K1–K4 = 4 · 11140 K5, K6 = 2 · 44200 K7, K9, K10 = 3 (K8: 2023)
    "discovered": {D1: 4, D2: 2, D3: 3, P1: 6, P2: 3},
    # active at 2024-12-31: K2, K4 (11110) · none (11140) · K8, K10 (44200)
    "active": {D1: 2, D2: 0, D3: 2, P1: 2, P2: 2},
    # active ÷ households × 1000: 2/4000 = 0.5 · 0/2000 = 0 · 2/2000 = 1.0 · 2/6000 = 1/3
    "active_per_1000": {D1: 0.5, D2: 0.0, D3: 1.0, P1: 1000 * 2 / 6000, P2: 1.0},
    # high-risk among active: K4 of K2, K4 = 50 % · none active: undefined · K8 of K8, K10
    "high_risk_share": {D1: 50.0, D2: None, D3: 50.0, P1: 50.0, P2: 50.0},
    # median days to close: (10, 51) → 30.5 · (20) → 20 · (4, 30) → 17 · (10, 20, 51) → 20
    "median_days_open": {D1: 30.5, D2: 20.0, D3: 17.0, P1: 20.0, P2: 17.0},
    # services in 2024: V1, V2, V3 · V4 · V6 (V5 is 2023)
    "services": {D1: 3, D2: 1, D3: 1, P1: 4, P2: 1},
    # cases with a service or money in 2024: K1, K3 (services), K2, K4 (money) · K5 ·
    # K10 (service), K8, K9 (money)
    "served_households": {D1: 4, D2: 1, D3: 3, P1: 5, P2: 3},
    # P1 + P2 + P3 = 600,000 · 0 · P4 + P5 = 450,000
    "disbursed_krw": {D1: 600_000, D2: 0, D3: 450_000, P1: 600_000, P2: 450_000},
    # cases given money: K2, K4 · none · K8, K9
    "supported_households": {D1: 2, D2: 0, D3: 2, P1: 2, P2: 2},
    # G1 + G2 = 1,500,000 · G3 2,000,000 · G4 300,000 (G5 is city-wide, G6 is 2023)
    "donations_krw": {D1: 1_500_000, D2: 2_000_000, D3: 300_000, P1: 3_500_000, P2: 300_000},
    # DN1 (G1, G2) = 1 · DN1 = 1 · one anonymous = 1 · DN1 across 11110 and 11140 = 1, not 2
    "donors": {D1: 1, D2: 1, D3: 1, P1: 1, P2: 1},
    # no target is set for a region
    "donation_target_rate": {D1: None, D2: None, D3: None, P1: None, P2: None},
    # F1, F2, F3 · F4 · F5, F6
    "referrals_sent": {D1: 3, D2: 1, D3: 2, P1: 4, P2: 2},
    # accepted ÷ answered: (F1, F3) / (F1, F2, F3) = 2/3 · F4 1/1 · F6 (연계실패 is accepted) 1/1
    "acceptance_rate": {D1: 200 / 3, D2: 100.0, D3: 100.0, P1: 75.0, P2: 100.0},
    # responses (3, 10, 1) → 3 · (7) → 7 · (4) → 4 · (1, 3, 7, 10) → (3 + 7) / 2 = 5
    "median_response_days": {D1: 3.0, D2: 7.0, D3: 4.0, P1: 5.0, P2: 4.0},
    # F5 waits from 2024-08-05: 26 + 30 + 31 + 30 + 31 = 148 days > 7
    "pending": {D1: 0, D2: 0, D3: 1, P1: 0, P2: 1},
    "overdue": {D1: 0, D2: 0, D3: 1, P1: 0, P2: 1},
    # O1 40 · O2 30 · O3 20
    "households_visited": {D1: 40, D2: 30, D3: 20, P1: 70, P2: 20},
    # S1 active at the end; S2 left in June for work: 1 exit, 100 %
    "ss_active": {D1: 1, D2: 0, D3: 0, P1: 1, P2: 0},
    "ss_exits": {D1: 0, D2: 0, D3: 1, P1: 0, P2: 1},
    "ss_success_rate": {D1: None, D2: None, D3: 100.0, P1: None, P2: 100.0},
}


def _d(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def load_fixture_regions(conn: sa.Connection) -> None:
    """Insert the two provinces (see the module docstring) into an empty, migrated database."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {
                "code": c,
                "name": n,
                "kind": k,
                "households": h,
                "population": None,
                "province_name": p,
                "district_name": d,
            }
            for c, n, k, h, p, d in NEIGHBOURHOODS
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
                "isolated": False,
                "channel": "이웃신고",
                "household_type": "독거노인",
                "lead_agency_code": None,
            }
            for cid, nb, disc, opened, plan, closed, reason, risk in CASES
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
    set_dataset_info(conn, city_name=TOP_NAME, is_demo="0")


def moved_case_workbook(engine, path):
    """The fixture exported to `path` and changed there, ready to import: K5 moves from N3
    (11140, province 11) to N5 (44200, province 44), with its service V4, its referral F4
    and its 20 days to close; P5 becomes 150,000."""
    import openpyxl

    from lib.ingest import schema
    from lib.ingest.export import export_workbook

    with engine.connect() as conn:
        export_workbook(conn, path)
    book = openpyxl.load_workbook(path)
    for spec, row_id, field, value in (
        (schema.CASES, "K5", "neighbourhood_code", N5),
        (schema.DISBURSEMENTS, "P5", "amount_krw", 150_000),
    ):
        sheet = book[spec.ko]
        key = spec.field_names.index(spec.key[0]) + 1
        column = spec.field_names.index(field) + 1
        rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, key).value == row_id]
        assert rows, f"{row_id} not in {spec.ko}"
        sheet.cell(rows[0], column).value = value
    book.save(path)
    return path
