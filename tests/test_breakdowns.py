"""Chart data (lib.queries.breakdowns) on the fixture city 테스트시, on SQLite and PostgreSQL.

Every expected number is worked out by hand from the tables in tests/fixture_city.py;
the arithmetic is in the comments.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.period import Period
from lib.queries import breakdowns as bd
from lib.scope import Scope
from tests.fixture_city import A, B, C, load_fixture_city

Y2024 = Period.year(2024)
H1 = Period.half(2024, 1)
ONLY_A = Scope(neighbourhood_codes=(A,))


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_fixture_city(c)
    with engine.connect() as c:
        yield c


def months(*ymd: tuple[int, int]) -> list[dt.date]:
    return [dt.date(y, m, 1) for y, m in ymd]


def test_first_date(conn):
    # min(discovered C09 2023-07-15, received D10 2023-08-15, paid P06 2023-09-10,
    #     requested R14 2023-08-01, visited V01 2023-11-10, started SS08 2022-05-01)
    assert bd.first_date(conn) == dt.date(2022, 5, 1)


def test_monthly_activity_city_2024(conn):
    frame = bd.monthly_activity(conn, Y2024)
    assert list(frame["month"]) == months(*[(2024, m) for m in range(1, 13)])
    # discovered: C03 Jan, C12 Feb, C04 Mar, C13 Apr, C05 May, C14 Jun, C06 Jul, C15 Aug,
    # C07 Sep, C16 Oct, C17+C18 Nov, C08 Dec  (13 = cases discovered in 2024)
    assert list(frame["discovered"]) == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1]
    # opened: C03+C11 Jan, C12 Feb, C04 Mar, C13 Apr, C05+C14 Jun, C07 Sep, C16 Oct,
    # C17 Nov, C08 Dec  (11)
    assert list(frame["opened"]) == [2, 1, 1, 1, 0, 2, 0, 0, 1, 1, 1, 1]
    # closed (opened, closed in P): C01 Feb, C10 Mar, C12 May, C03 Jun, C04 Sep, C13 Oct,
    # C16 Dec; C06 closed in Jul but was never opened, so it does not count  (7)
    assert list(frame["closed"]) == [0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1]
    # services: S02+S08 Jan, S03 Feb, S05 Mar, S09+S10 May, S06 Jul, S04 Aug, S11 Nov  (9)
    assert list(frame["services"]) == [2, 1, 1, 0, 2, 0, 1, 1, 0, 0, 1, 0]
    # donations incl. city-wide: D02 3,000,000 Jan; D05+D06 2,100,000 Feb; D08 5,000,000
    # Mar; D03 500,000 May; D04 200,000 Sep; D07 1,500,000 Nov; D09 300,000 Dec (12,600,000)
    assert list(frame["donations_krw"]) == [
        3_000_000, 2_100_000, 5_000_000, 0, 500_000, 0, 0, 0, 200_000, 0, 1_500_000, 300_000
    ]  # fmt: skip
    # given: P01 300,000 Jan; P03 200,000 Feb; P04 400,000 Mar; P05 250,000 Apr;
    # P02 500,000 Sep; P07 100,000 Dec  (1,750,000)
    assert list(frame["disbursed_krw"]) == [
        300_000, 200_000, 400_000, 250_000, 0, 0, 0, 0, 500_000, 0, 0, 100_000
    ]  # fmt: skip
    # referrals requested: R02+R03 Jan, R08+R09 Feb, R04 Mar, R10 Apr, R05+R11 Jun,
    # R06 Sep, R13 Nov, R12 Dec  (11)
    assert list(frame["referrals_sent"]) == [2, 2, 1, 1, 0, 2, 0, 0, 1, 0, 1, 1]


def test_monthly_activity_neighbourhood_scope(conn):
    frame = bd.monthly_activity(conn, Y2024, ONLY_A).set_index("month")
    # A's cases discovered in 2024: C03, C04, C05, C06, C07, C08
    assert frame["discovered"].sum() == 6
    # A's donations (city-wide ones excluded): D02 3,000,000 + D03 500,000 + D04 200,000
    assert frame["donations_krw"].sum() == 3_700_000
    assert frame.loc[dt.date(2024, 3, 1), "donations_krw"] == 0  # D08 is city-wide
    # money given to A's cases: P01 300,000 (C02) + P02 500,000 (C05)
    assert frame["disbursed_krw"].sum() == 800_000
    # referrals of A's cases requested in 2024: R02, R03, R04, R05, R06
    assert frame["referrals_sent"].sum() == 5


def test_monthly_activity_month_period_has_one_row(conn):
    frame = bd.monthly_activity(conn, Period.month(2024, 2))
    # February 2024: discovered C12; opened C12; closed C01; services S03; donations D05+D06
    # = 2,100,000; given P03 200,000; referrals R08, R09
    assert frame.to_dict("records") == [
        {
            "month": dt.date(2024, 2, 1),
            "discovered": 1,
            "opened": 1,
            "closed": 1,
            "services": 1,
            "donations_krw": 2_100_000,
            "disbursed_krw": 200_000,
            "referrals_sent": 2,
            # between the first date (SS08 started 2022-05-01) and the as-of date
            # 2024-12-31: a month with records
            "recorded": True,
        }
    ]


def test_monthly_activity_marks_months_outside_the_data_as_not_recorded(conn):
    # The data run from SS08 started 2022-05-01 (the earliest date of any table) to the
    # as-of date 2024-12-31 (C16 closed): 2022-04 is before, 2025-01 after; 2022-05 and
    # 2024-12 are inside. Their counts stay 0, but a chart knows they are not data.
    early = bd.monthly_activity(conn, Period.between("2022-04-01", "2022-05-31"))
    assert early["recorded"].tolist() == [False, True]
    assert early["discovered"].tolist() == [0, 0]
    late = bd.monthly_activity(conn, Period.between("2024-12-01", "2025-01-31"))
    assert late["recorded"].tolist() == [True, False]


def test_channels_2024(conn):
    frame = bd.channels(conn, Y2024)
    # discovered in 2024 by channel, in the contract's order:
    # 이웃신고 C06 C15 · 행복키움추진단 C05 C12 · 찾아가는방문 C04 C14 C18 ·
    # 사각지대발굴시스템 C08 C17 · 기관의뢰 C07 C13 · 본인신청 C03 C16
    assert frame.to_dict("list") == {
        "channel": ["이웃신고", "행복키움추진단", "찾아가는방문", "사각지대발굴시스템", "기관의뢰", "본인신청"],
        "cases": [2, 2, 3, 2, 2, 2],
    }  # fmt: skip


def test_active_profile_end_of_2024(conn):
    frame = bd.active_profile(conn, Y2024)
    # active on 2024-12-31: C02 C05 C07 C08 C11 C14 C17 (C16 closed on the last day)
    # 노인부부: C14 위기, C05 고위험 · 한부모: C11 일반, C02 위기 ·
    # 장애인: C07 위기, C17 고위험 · 다문화: C08 일반
    assert list(frame.itertuples(index=False, name=None)) == [
        ("노인부부", "위기", 1),
        ("노인부부", "고위험", 1),
        ("한부모", "일반", 1),
        ("한부모", "위기", 1),
        ("장애인", "위기", 1),
        ("장애인", "고위험", 1),
        ("다문화", "일반", 1),
    ]
    # A only: C02 한부모 위기, C05 노인부부 고위험, C07 장애인 위기, C08 다문화 일반
    assert bd.active_profile(conn, Y2024, ONLY_A)["cases"].sum() == 4


def test_cases_by_stage(conn):
    # 2024: cases identified by 2024-12-31 and not closed before 2024-01-01 (all but C09)
    # closed: C01 C03 C04 C06 C10 C12 C13 C16 · planned: C02 C05 C07 C11 C14 ·
    # opened (no plan): C08 C17 · identified only: C15 C18
    frame = bd.cases_by_stage(conn, Y2024)
    assert frame.to_dict("list") == {
        "stage": ["identified", "opened", "planned", "closed"],
        "cases": [2, 2, 5, 8],
    }
    # 2024-H1, stage at 2024-06-30: closed C01 C03 C10 C12 · planned C02 C11 C13 (C13 closes
    # in Oct) · opened C04 (no plan) C05 (plan 07-01) C14 (plan 07-15) · identified none
    frame = bd.cases_by_stage(conn, H1)
    assert list(frame["cases"]) == [0, 3, 3, 4]


def test_cases_by_stage_empty_neighbourhood_period(conn):
    # 송악면 (C) has one case, C18, identified 2024-11-01: nothing in 2024-H1
    frame = bd.cases_by_stage(conn, H1, Scope(neighbourhood_codes=(C,)))
    assert list(frame["cases"]) == [0, 0, 0, 0]


def test_donations_by_month_type(conn):
    frame = bd.donations_by_month_type(conn, Y2024)
    # D02 Jan 기업 · D06 Feb 개인, D05 Feb 종교단체 · D08 Mar 기업 (city-wide) ·
    # D03 May 개인 · D04 Sep 개인 · D07 Nov 단체 · D09 Dec 개인 (city-wide)
    assert list(frame.itertuples(index=False, name=None)) == [
        (dt.date(2024, 1, 1), "기업", 3_000_000, 1),
        (dt.date(2024, 2, 1), "개인", 100_000, 1),
        (dt.date(2024, 2, 1), "종교단체", 2_000_000, 1),
        (dt.date(2024, 3, 1), "기업", 5_000_000, 1),
        (dt.date(2024, 5, 1), "개인", 500_000, 1),
        (dt.date(2024, 9, 1), "개인", 200_000, 1),
        (dt.date(2024, 11, 1), "단체", 1_500_000, 1),
        (dt.date(2024, 12, 1), "개인", 300_000, 1),
    ]
    # 2023-12-01..2024-01-31: D01 Dec 개인 1,000,000 (DN01) and D02 Jan 기업 3,000,000
    frame = bd.donations_by_month_type(conn, Period.between("2023-12-01", "2024-01-31"))
    assert list(frame["amount_krw"]) == [1_000_000, 3_000_000]


def test_donations_by_neighbourhood_month(conn):
    frame = bd.donations_by_neighbourhood_month(conn, Y2024)
    assert (frame["code"].isna() | (frame["code"] == frame["neighbourhood_code"])).all()
    frame = frame.drop(columns="code")
    frame["neighbourhood_code"] = frame["neighbourhood_code"].fillna("city")
    # raised: A D02 Jan, D03 May, D04 Sep · B D05+D06 Feb 2,100,000, D07 Nov · city-wide
    # D08 Mar, D09 Dec. given by the case's neighbourhood: A P01 Jan (C02), P02 Sep (C05) ·
    # B P03 Feb (C11), P04 Mar, P05 Apr (C12), P07 Dec (C17)
    assert list(frame.itertuples(index=False, name=None)) == [
        (A, dt.date(2024, 1, 1), 3_000_000, 300_000),
        (A, dt.date(2024, 5, 1), 500_000, 0),
        (A, dt.date(2024, 9, 1), 200_000, 500_000),
        (B, dt.date(2024, 2, 1), 2_100_000, 200_000),
        (B, dt.date(2024, 3, 1), 0, 400_000),
        (B, dt.date(2024, 4, 1), 0, 250_000),
        (B, dt.date(2024, 11, 1), 1_500_000, 0),
        (B, dt.date(2024, 12, 1), 0, 100_000),
        ("city", dt.date(2024, 3, 1), 5_000_000, 0),
        ("city", dt.date(2024, 12, 1), 300_000, 0),
    ]
    # a neighbourhood scope never sees city-wide donations
    scoped = bd.donations_by_neighbourhood_month(conn, Y2024, Scope(neighbourhood_codes=(B,)))
    assert set(scoped["neighbourhood_code"]) == {B}


def test_donations_vs_targets(conn):
    frame = bd.donations_vs_targets(conn, Y2024)
    # A raised 3,700,000 (D02+D03+D04), given 800,000 (P01+P02), target 5,000,000:
    #   3,700,000 / 5,000,000 = 74.0 %
    # B raised 3,600,000 (D05+D06+D07), given 950,000 (P03+P04+P05+P07), no target
    # C nothing; city-wide fund 5,300,000 (D08+D09)
    rows = frame.set_index(frame["neighbourhood_code"].fillna("city"))
    assert list(rows.index) == [A, B, C, "city"]
    assert list(rows["raised_krw"]) == [3_700_000, 3_600_000, 0, 5_300_000]
    assert list(rows["given_krw"]) == [800_000, 950_000, 0, 0]
    assert rows.loc[A, "target_krw"] == 5_000_000
    assert rows.loc[A, "target_rate"] == pytest.approx(74.0)
    assert rows[["target_krw", "target_rate"]].drop(index=A).isna().all().all()
    # a period across two years has no target
    spanning = bd.donations_vs_targets(conn, Period.between("2023-07-01", "2024-06-30"))
    assert spanning["target_krw"].isna().all()


def test_referral_statuses_rebuilt_at_period_end(conn):
    # 2024: R11 R12 의뢰 · R02 R10 수락 · R04 R13 불수락 · R03 R09 연계완료 · R05 연계실패 ·
    # R06 R08 회수
    frame = bd.referral_statuses(conn, Y2024)
    assert frame.to_dict("list") == {
        "status": ["의뢰", "수락", "불수락", "연계완료", "연계실패", "회수"],
        "referrals": [2, 2, 1 + 1, 2, 1, 2],
    }
    # 2024-Q1 (end 03-31): R08 withdrawn only on 07-15, so still 의뢰 · R02 수락 and R09
    # (answered 02-22, completed only 04-30) 수락 · R04 불수락 · R03 연계완료 (closed 03-01)
    frame = bd.referral_statuses(conn, Period.quarter(2024, 1))
    assert list(frame["referrals"]) == [1, 2, 1, 1, 0, 0]


def test_response_times(conn):
    # requested in 2024 and answered by 2024-12-31: R02 2 days, R03 5, R09 7, R10 7, R13 7,
    # R05 8, R04 10  → 1-3: 1 · 4-7: 4 · 8-14: 2
    frame = bd.response_times(conn, Y2024)
    assert frame.to_dict("list") == {
        "bucket": ["0", "1-3", "4-7", "8-14", "15-30", "31+"],
        "referrals": [0, 1, 4, 2, 0, 0],
    }


def test_pending_referrals_end_of_2024(conn):
    frame = bd.pending_referrals(conn, Y2024, response_limit_days=7)
    # R11 waits 2024-06-24 → 12-31: 6+31+31+30+31+30+31 = 190 days (> 7: overdue)
    # R12 waits 12-24 → 12-31: 7 days (not > 7). R06, R08 were withdrawn before the end.
    assert frame.to_dict("records") == [
        {
            "referral_id": "R11",
            "case_id": "C14",
            "from_agency": "희망복지지원단",
            "to_agency": "테스트종합사회복지관",
            "requested_on": dt.date(2024, 6, 24),
            "days_waiting": 190,
            "overdue": True,
        },
        {
            "referral_id": "R12",
            "case_id": "C16",
            "from_agency": "테스트종합사회복지관",
            "to_agency": "온양1동 행정복지센터",
            "requested_on": dt.date(2024, 12, 24),
            "days_waiting": 7,
            "overdue": False,
        },
    ]


def test_pending_referrals_at_an_earlier_end(conn):
    frame = bd.pending_referrals(conn, H1)
    # at 2024-06-30: R08 (withdrawn only 07-15) waits Feb 1 → Jun 30 = 29+31+30+31+29 = 150
    # days; R11 06-24 → 6 days; R05 06-25 (answered 07-03) → 5 days
    assert list(frame[["referral_id", "days_waiting", "overdue"]].itertuples(False, None)) == [
        ("R08", 150, True),
        ("R11", 6, False),
        ("R05", 5, False),
    ]
    # A's cases only: R05 (C05)
    assert list(bd.pending_referrals(conn, H1, ONLY_A)["referral_id"]) == ["R05"]
    assert len(bd.pending_referrals(conn, H1, limit=1)) == 1


def test_agency_scope_limits_referrals(conn):
    # AG04 received R04 (2024-03-10, 불수락), R08 (회수), R10 (수락) in 2024
    frame = bd.referral_statuses(conn, Y2024, Scope(agency_code="AG04"))
    assert dict(zip(frame["status"], frame["referrals"], strict=True)) == {
        "의뢰": 0, "수락": 1, "불수락": 1, "연계완료": 0, "연계실패": 0, "회수": 1
    }  # fmt: skip


def test_empty_database_gives_empty_frames(engine):
    with engine.connect() as conn:
        assert bd.first_date(conn) is None
        assert bd.channels(conn, Y2024).empty
        assert bd.monthly_activity(conn, H1)["discovered"].tolist() == [0] * 6
        assert bd.pending_referrals(conn, Y2024).empty
        assert isinstance(bd.donations_vs_targets(conn, Y2024), pd.DataFrame)
