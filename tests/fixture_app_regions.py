"""A small hand-made province, 한빛도, for the app's region levels (navigation, picker,
region pages): two districts, five neighbourhoods, and cases whose counts are easy to add.

`load_fixture_regions(conn)` inserts it into an empty, migrated database (SQLAlchemy core:
SQLite and PostgreSQL). The as-of date is 2024-12-31 (the latest date in the data).

Neighbourhoods (codes sort in this order; the name 중앙동 repeats on purpose)::

    code        name    district       households   discovered 2024   discovered 2023
    4420051000  중앙동   44200 한빛시    1,000        3 (H01–H03)       1 (H10)
    4420052000  한빛1동  44200 한빛시    2,000        1 (H04)           0
    4420053000  한빛2동  44200 한빛시      500        2 (H05 H06)       0
    4421051000  중앙동   44210 누리시    1,000        4 (H07–H09, H11)  0
    4421052000  누리1동  44210 누리시    1,500        0                 2 (H12 H13)

Sums (discovered, 2024 vs 2023): 한빛시 3 + 1 + 2 = 6 vs 1; 누리시 4 + 0 = 4 vs 2;
한빛도 6 + 4 = 10 vs 3.

Donations (2024; "-" = province-wide)::

    G01 중앙동 (한빛시) 2024-03-01 1,000,000     G03 누리1동 2024-03-20 300,000
    G02 한빛2동         2024-03-10   500,000     G04 -       2024-04-01 200,000

By district, 2024: 한빛시 1,500,000 (all in March), 누리시 300,000 (March); the
province-wide 200,000 (April) belongs to no district; 한빛도 2,000,000.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lib.models import Case, Donation, Neighbourhood
from lib.queries.reference import set_dataset_info

PROVINCE, PROVINCE_NAME = "44", "한빛도"
HANBIT, NURI = "44200", "44210"
H_CENTRAL, H1, H2 = "4420051000", "4420052000", "4420053000"
N_CENTRAL, N1 = "4421051000", "4421052000"

NEIGHBOURHOODS = [
    (H_CENTRAL, "중앙동", "동", 1000, "한빛시"),
    (H1, "한빛1동", "동", 2000, "한빛시"),
    (H2, "한빛2동", "동", 500, "한빛시"),
    (N_CENTRAL, "중앙동", "동", 1000, "누리시"),
    (N1, "누리1동", "동", 1500, "누리시"),
]

# id, neighbourhood, discovered (never opened: only discovered counts are checked here)
CASES = [
    ("H01", H_CENTRAL, "2024-02-01"),
    ("H02", H_CENTRAL, "2024-05-01"),
    ("H03", H_CENTRAL, "2024-09-01"),
    ("H04", H1, "2024-03-01"),
    ("H05", H2, "2024-04-01"),
    ("H06", H2, "2024-12-31"),
    ("H07", N_CENTRAL, "2024-01-10"),
    ("H08", N_CENTRAL, "2024-06-10"),
    ("H09", N_CENTRAL, "2024-07-10"),
    ("H10", H_CENTRAL, "2023-06-01"),
    ("H11", N_CENTRAL, "2024-08-10"),
    ("H12", N1, "2023-03-01"),
    ("H13", N1, "2023-10-01"),
]

# id, neighbourhood (None: province-wide), received, amount (won)
DONATIONS = [
    ("G01", H_CENTRAL, "2024-03-01", 1_000_000),
    ("G02", H2, "2024-03-10", 500_000),
    ("G03", N1, "2024-03-20", 300_000),
    ("G04", None, "2024-04-01", 200_000),
]


def load_fixture_regions(conn: sa.Connection) -> None:
    """Insert 한빛도 (see the module docstring) into an empty, migrated database."""
    conn.execute(
        sa.insert(Neighbourhood),
        [
            {
                "code": code,
                "name": name,
                "kind": kind,
                "households": households,
                "population": households * 2,
                "province_name": PROVINCE_NAME,
                "district_name": district,
            }
            for code, name, kind, households, district in NEIGHBOURHOODS
        ],
    )
    conn.execute(
        sa.insert(Case),
        [
            {
                "case_id": case_id,
                "neighbourhood_code": code,
                "discovered_on": dt.date.fromisoformat(day),
                "risk_level": "일반",
                "isolated": False,
                "channel": "이웃신고",
                "household_type": "기타",
            }
            for case_id, code, day in CASES
        ],
    )
    conn.execute(
        sa.insert(Donation),
        [
            {
                "donation_id": did,
                "neighbourhood_code": code,
                "received_on": dt.date.fromisoformat(day),
                "donor_type": "개인",
                "donor_id": None,
                "form": "현금",
                "amount_krw": amount,
            }
            for did, code, day, amount in DONATIONS
        ],
    )
    set_dataset_info(conn, city_name=PROVINCE_NAME, is_demo="0")
