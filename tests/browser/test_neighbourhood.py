"""Neighbourhood pages in the browser: numbers of every area for 온양1동, 배방읍 and 송악면.

Expected values are worked out by hand from the tables in tests/fixture_city.py.
P = 2024-H1 (2024-01-01…2024-06-30) unless a test says otherwise; the previous period
is then 2023-H2 (2023-07-01…2023-12-31), 전기 (a chosen period's default comparison).
Changes of counts and money also read in per cent of the previous value where it is not 0.
Pages live at /nb-<neighbourhood code>.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors, expect_metric, open_view
from tests.fixture_city import A, B, C

pytestmark = pytest.mark.browser

SECTIONS_EN = ("Caseload", "Donations", "Case-sharing", "Outreach", "Self-sufficiency")
SECTIONS_KO = ("사례관리", "후원", "사례공유", "찾아가는 방문", "자활")


def test_onyang1_first_half_in_english(page: Page, base_url: str) -> None:
    open_view(page, base_url, f"nb-{A}", period="2024-H1", lang="en")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="온양1동", exact=True)).to_be_visible()
    expect(page.get_by_text("H1 2024 (2024.01.01–2024.06.30)").first).to_be_visible()
    expect(
        page.get_by_text("Compared with previous period H2 2023 (2023.07.01–2023.12.31)").first
    ).to_be_visible()
    for section in SECTIONS_EN:
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()

    # -- Caseload. Discovered in P: C03 C04 C05 = 3; in 2023-H2: C01 C02 = 2 → +1,
    # 1 / 2 = 50.0 %. City: A 3 + B (C12 C13 C14) 3 + C 0 = 6; per 1,000 households
    # A 3.0, B 1.5, C 0 → 1st, highest first.
    expect_metric(
        page,
        "discovered",
        "3",
        "+1 (+50.0%)",
        label="Households identified",
        note="City 6 · rank 1 of 3 per 1,000 households, highest first",
    )
    # Opened in P: C03 C04 C05 = 3; in 2023-H2: C01 C02 = 2 → +1 (1 / 2 = 50.0 %).
    expect_metric(page, "opened", "3", "+1 (+50.0%)", label="New cases")
    # Open on 06-30: C02 C04 C05 = 3 (C03 closed on the end day); on 2023-12-31: C01 C02
    # → +1, 50.0 %.
    expect_metric(page, "active", "3", "+1 (+50.0%)")
    # Closed in P: C01 (02-15), C03 (06-30) = 2; none in 2023-H2: a base of 0, no per cent.
    expect_metric(page, "closed", "2", "+2")
    # 3 ÷ 1,000 households × 1000 = 3.0; before 2 → 2.0; change +1.0.
    expect_metric(page, "active_per_1000", "3.0", "+1.0")
    # High risk among C02 위기, C04 일반, C05 고위험: 1/3 = 33.3 %; before C01 고, C02 위:
    # 1/2 = 50 %; change −16.7 percentage points.
    expect_metric(page, "high_risk_share", "33.3%", "-16.7 pp")
    # Isolated among the active: C04, C05 = 2; before C01 = 1 → +1, 1 / 1 = 100.0 %.
    expect_metric(page, "isolated_active", "2", "+1 (+100.0%)")
    # Services S02 (C01), S03 (C02), S05 (C03) and aid P01 (C02) → C01 C02 C03 = 3;
    # before S01 (C01) = 1 → +2, 2 / 1 = 200.0 %.
    expect_metric(page, "served_households", "3", "+2 (+200.0%)")
    # Opened with opened+30 ≤ 06-30: C03 (plan 02-10 ≤ 02-14, on time), C04 (no plan);
    # C05 (06-10 + 30 > end) is not counted yet: 1/2 = 50.0 %. Before: C01 on time,
    # C02 late: 1/2 → change 0 (the app shows a change that rounds to nothing as a grey 0).
    expect_metric(page, "plan_on_time_rate", "50.0%", "0")
    # C01: 2023-08-10 → 2024-02-15 = 21+30+31+30+31+31+15 = 189 days;
    # C03: 2024-01-15 → 06-30 = 16+29+31+30+31+30 = 167 days; median (167+189)/2 = 178.
    # Nothing closed before, so there is no change to show.
    expect_metric(page, "median_days_open", "178.0 days")
    expect(
        page.locator(".st-key-metric-median_days_open [data-testid=stMetricDelta]")
    ).to_have_count(0)

    # -- Donations. D02 3,000,000 + D03 500,000 = ₩3.5M; before D01 1,000,000 → +₩2.5M,
    # 2,500,000 / 1,000,000 = 250.0 %.
    expect_metric(page, "donations_krw", "₩3.5M", "+₩2.5M (+250.0%)", label="Donations raised")
    # 3,500,000 ÷ the 2024 target of 5,000,000 = 70.0 %.
    expect_metric(page, "donation_target_rate", "70.0%")
    # P01 300,000 (C02); nothing paid to A's cases in 2023-H2 (a base of 0: no per cent).
    expect_metric(page, "disbursed_krw", "₩300K", "+₩300K")
    # DN02 (D02) and DN01 (D03).
    expect_metric(page, "donors", "2")

    # -- Case-sharing. Requested in P: R02 R03 R04 R05 = 4; before R01 = 1 → +3, 300.0 %.
    expect_metric(page, "referrals_sent", "4", "+3 (+300.0%)", label="Referrals sent")
    # Answered by 06-30: R02 수락, R03 연계완료 accepted, R04 불수락 (R05 answered 07-03):
    # 2 / 3 = 66.7 %.
    expect_metric(page, "acceptance_rate", "66.7%")
    # R02 2, R03 5, R04 10 days → median 5.0.
    expect_metric(page, "median_response_days", "5.0 days")
    # Waiting on 06-30: R05 (5 days, within the 7-day limit) → 1 pending, 0 overdue.
    expect_metric(page, "pending", "1")
    expect_metric(page, "overdue", "0")
    # Accepted and closed by 06-30: R03 연계완료 (R05 closed only 08-01) → 1/1 = 100 %.
    expect_metric(page, "completion_rate", "100.0%")

    # -- Outreach. V02: 50 visited, 4 found; before V01: 40, 3 → +10 (10 / 40 = 25.0 %),
    # +1 (1 / 3 = 33.33… → 33.3 %).
    expect_metric(page, "households_visited", "50", "+10 (+25.0%)", label="Households visited")
    expect_metric(page, "households_found", "4", "+1 (+33.3%)")

    # -- Self-sufficiency. On 06-30: SS02 (from 02-01) and SS03 (until 08-31) = 2;
    # SS01 left on 04-30 for a job: 1 exit, 1/1 = 100 % success; programmes 세차사업단, 카페잇다.
    expect_metric(page, "ss_active", "2", label="In self-sufficiency work")
    expect_metric(page, "ss_started", "1")
    expect_metric(page, "ss_exits", "1")
    expect_metric(page, "ss_success_rate", "100.0%")
    expect_metric(page, "ss_programmes", "2")


def test_baebang_first_half_in_korean(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, f"nb-{B}", period="2024-H1")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="배방읍", exact=True)).to_be_visible()
    expect(page.get_by_text("읍 · 2,000세대")).to_be_visible()
    expect(page.get_by_text("2024년 상반기 (2024.01.01–2024.06.30)").first).to_be_visible()
    expect(
        page.get_by_text("비교 기간 전기 2023년 하반기 (2023.07.01–2023.12.31)").first
    ).to_be_visible()
    for section in SECTIONS_KO:
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    # Discovered in P: C12 C13 C14 = 3; in 2023-H2: C09 C10 C11 = 3 → no change.
    # City 6; per 1,000 households A 3.0 > B 1.5 > C 0 → 2nd, highest first.
    expect_metric(
        page,
        "discovered",
        "3",
        "0",
        label="발굴 가구",
        note="시 전체 6 · 3개 읍면동 중 2위(1천 세대당, 높은 순)",
    )
    # Opened: C11 C12 C13 C14 = 4; before C09 C10 = 2 → +2, 2 / 2 = 100.0 %.
    expect_metric(page, "opened", "4", "+2 (+100.0%)")
    # Open on 06-30: C11 C13 C14 = 3; on 2023-12-31: C10 = 1 → +2, 2 / 1 = 200.0 %.
    expect_metric(page, "active", "3", "+2 (+200.0%)")
    # 3 ÷ 2,000 × 1000 = 1.5; before 1 ÷ 2,000 × 1000 = 0.5.
    expect_metric(page, "active_per_1000", "1.5", "+1.0")
    # No 고위험 among C11 일반, C13 위기, C14 위기: 0.0 %; before C10 고위험: 100 %.
    expect_metric(page, "high_risk_share", "0.0%", "-100.0%p")
    # D05 2,000,000 + D06 100,000 = 210만원; before D10 400,000 → +170만원,
    # 1,700,000 / 400,000 = 425.0 %.
    expect_metric(page, "donations_krw", "210만원", "+170만원 (+425.0%)")
    # 배방읍 has no donation target: the rate has no value.
    expect_metric(page, "donation_target_rate", "–")


def test_songak_nearly_empty_year(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, f"nb-{C}", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="송악면", exact=True)).to_be_visible()
    # C18 discovered 2024-11-01 and never opened; nothing in 2023 (a base of 0: no per cent).
    expect_metric(page, "discovered", "1", "+1")
    expect_metric(page, "active", "0")
    expect_metric(page, "active_per_1000", "0.0")
    # No active case: the share has no value, shown as "–" (never 0 %).
    expect_metric(page, "high_risk_share", "–")
    # V06: 25 visited, 1 found.
    expect_metric(page, "households_visited", "25", "+25")
    expect_metric(page, "households_found", "1", "+1")
