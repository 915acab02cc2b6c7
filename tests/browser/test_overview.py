"""The city overview in the browser, on SQLite and PostgreSQL: headline numbers of 테스트시.

Expected values are worked out by hand from the tables in tests/fixture_city.py.
P = 2024 (2024-01-01…2024-12-31); the previous period (전기, a chosen year's default
comparison) is 2023. Changes of counts and money also read in per cent of 2023.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors, expect_metric, open_view

pytestmark = pytest.mark.browser


def test_overview_2024_headline(page: Page, base_url: str) -> None:
    open_view(page, base_url, "/", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="테스트시 복지 네트워크 개요")).to_be_visible()
    expect(page.get_by_text("2024년 (2024.01.01–2024.12.31)").first).to_be_visible()
    expect(page.get_by_text("비교 기간 전기 2023년 (2023.01.01–2023.12.31)").first).to_be_visible()
    # discovered_on in 2024: C03 C04 C05 C06 C07 C08 C12 C13 C14 C15 C16 C17 C18 = 13;
    # in 2023: C01 C02 C09 C10 C11 = 5; change 13 − 5 = +8; 8 / 5 = 160.0 %.
    expect_metric(page, "discovered", "13", "+8 (+160.0%)", label="발굴 가구")
    # Open on 2024-12-31: C02 C05 C07 C08 C11 C14 C17 = 7 (C16 closed on the end day);
    # on 2023-12-31: C01 C02 C10 = 3; change +4; 4 / 3 = 133.33… → 133.3 %.
    expect_metric(page, "active", "7", "+4 (+133.3%)", label="진행 중 사례")
    # Services in 2024 → C01 C02 C03 C05 C11 C13 C16; aid paid → C02 C05 C11 C12 C17:
    # distinct 9. 2023: S01 C01, S07 C10, P06 C09 = 3; change +6; 6 / 3 = 200.0 %.
    expect_metric(page, "served_households", "9", "+6 (+200.0%)")
    # Requested in 2024: R02 R03 R04 R05 R06 R08 R09 R10 R11 R12 R13 = 11; 2023: R01 R07 R14;
    # 8 / 3 = 266.66… → 266.7 %.
    expect_metric(page, "referrals_sent", "11", "+8 (+266.7%)")
    # D02 3,000,000 + D03 500,000 + D04 200,000 + D05 2,000,000 + D06 100,000
    # + D07 1,500,000 + D08 5,000,000 + D09 300,000 = 12,600,000 = 1,260만원;
    # 2023: D01 1,000,000 + D10 400,000 = 1,400,000; change 11,200,000 = 1,120만원;
    # 11,200,000 / 1,400,000 = 800.0 %.
    expect_metric(page, "donations_krw", "1,260만원", "+1,120만원 (+800.0%)", label="모금액")
    # P01 300,000 + P02 500,000 + P03 200,000 + P04 400,000 + P05 250,000 + P07 100,000
    # = 1,750,000 = 175만원; 2023: P06 150,000; change 1,600,000 = 160만원;
    # 1,600,000 / 150,000 = 1,066.66… → 1,066.7 %.
    expect_metric(page, "disbursed_krw", "175만원", "+160만원 (+1,066.7%)")
    # Answered by the end: accepted R02 R03 R05 R09 R10 = 5, refused R04 R13 = 2:
    # 5 / 7 = 71.43 %. 2023: R01, R14 accepted, R07 answered only in 2024: 2 / 2 = 100 %;
    # change 71.4 − 100 = −28.6 percentage points (rates: points only, no per cent).
    expect_metric(page, "acceptance_rate", "71.4%", "-28.6%p", label="수락률")
    # Waiting on 2024-12-31: R11 (190 days, overdue) and R12 (7 days, not > 7) → 1;
    # on 2023-12-31: R07 (11 days) → 1; change 0.
    expect_metric(page, "overdue", "1", "0")


def test_overview_in_english(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "/", period="2024", lang="en")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="테스트시: welfare network overview")).to_be_visible()
    expect(page.get_by_text("2024 (2024.01.01–2024.12.31)").first).to_be_visible()
    # The same numbers as above, in English formats (₩ and M, pp for rate changes).
    expect(
        page.get_by_text("Compared with previous period 2023 (2023.01.01–2023.12.31)").first
    ).to_be_visible()
    expect_metric(page, "discovered", "13", "+8 (+160.0%)", label="Households identified")
    expect_metric(page, "active", "7", "+4 (+133.3%)", label="Active cases")
    # 12,600,000 = ₩12.6M; change 11,200,000 = ₩11.2M; 800.0 % of 1,400,000.
    expect_metric(page, "donations_krw", "₩12.6M", "+₩11.2M (+800.0%)", label="Donations raised")
    expect_metric(page, "acceptance_rate", "71.4%", "-28.6 pp", label="Acceptance rate")
    expect(page.get_by_role("heading", name="Headline metrics")).to_be_visible()
    expect(page.get_by_text("주요 지표")).to_have_count(0)


def test_default_period_is_compared_with_the_same_dates_a_year_earlier(
    page: Page, sqlite_base_url: str
) -> None:
    open_view(page, sqlite_base_url, "/")
    assert_no_errors(page)
    # The default period 2024-01-01..2024-12-31 (as of 2024-12-31) against the same dates
    # a year earlier, 2023-01-01..2023-12-31: identified 13 vs 5 → +8, 8 / 5 = 160.0 %.
    expect(page.get_by_text("비교 기간 전년 동기 2023.01.01–2023.12.31").first).to_be_visible()
    expect_metric(page, "discovered", "13", "+8 (+160.0%)")
    expect(page.locator(".st-key-metric-discovered")).to_contain_text("전년 동기 대비")
    # Choosing 전기 대비: the 366 days just before, 2022-12-31..2023-12-31, in the URL too.
    page.get_by_test_id("stSidebar").get_by_text("전기 대비", exact=True).click()
    expect(page.get_by_text("비교 기간 전기 2022.12.31–2023.12.31").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]compare=prev"))
    expect(page.locator(".st-key-metric-discovered")).to_contain_text("전기 대비")
    # the same 5 identified cases lie in those 366 days: +8 (+160.0%) again; active on
    # 2023-12-31 C01 C02 C10 = 3 → +4 (+133.3%)
    expect_metric(page, "active", "7", "+4 (+133.3%)")
