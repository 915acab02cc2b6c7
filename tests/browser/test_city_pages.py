"""The city-wide donations and definitions pages in the browser (SQLite).

Numbers are worked out by hand from the tables in tests/fixture_city.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors, expect_metric, open_view

pytestmark = pytest.mark.browser


def test_donations_page_2024(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "city-donations", period="2024")
    assert_no_errors(page)
    # 2024: D02 D03 D04 D05 D06 D07 D08 D09 = 8 donations, 12,600,000 won (1,260만원);
    # 2023: D01 + D10 = 2 donations, 1,400,000 → +1,120만원 (11,200,000 / 1,400,000 =
    # 800.0 %), +6 (6 / 2 = 300.0 %).
    expect_metric(page, "donations_krw", "1,260만원", "+1,120만원 (+800.0%)")
    expect_metric(page, "donation_count", "8", "+6 (+300.0%)")
    # 12,600,000 ÷ the city's 2024 target 20,000,000 = 63.0 %; no 2023 target, no change.
    expect_metric(page, "donation_target_rate", "63.0%")
    # Cash: D02 3,000,000 + D04 200,000 + D05 2,000,000 + D06 100,000 + D08 5,000,000
    # = 10,300,000 (1,030만원); 2023 cash D01 + D10 = 1,400,000 → +890만원;
    # 8,900,000 / 1,400,000 = 635.714… % → 635.7 %.
    expect_metric(page, "donations_cash_krw", "1,030만원", "+890만원 (+635.7%)")
    # In kind: D03 500,000 + D07 1,500,000 + D09 300,000 = 2,300,000; none in 2023 (a base
    # of 0: no per cent).
    expect_metric(page, "donations_inkind_krw", "230만원", "+230만원")
    # Donor ids DN01 DN02 DN03 DN04 (DN02 twice) = 4, plus D04 D06 D09 without an id = 7;
    # 2023: DN01, DN05 = 2 → +5, 5 / 2 = 250.0 %.
    expect_metric(page, "donors", "7", "+5 (+250.0%)")
    # Aid paid in 2024 to C02 C05 C11 C12 (twice) C17 = 5 households; 2023: C09 → +4,
    # 4 / 1 = 400.0 %; 1,600,000 on P06's 150,000 = 1,066.66… → 1,066.7 %.
    expect_metric(page, "supported_households", "5", "+4 (+400.0%)")
    expect_metric(page, "disbursed_krw", "175만원", "+160만원 (+1,066.7%)")


def test_definitions_page_lists_every_metric_in_english(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "metric-definitions", lang="en")
    assert_no_errors(page)
    for area in ("Caseload", "Donations", "Case-sharing", "Outreach", "Self-sufficiency"):
        expect(page.get_by_role("heading", name=area, exact=True)).to_be_visible()
    # metrics.md defines 11 + 8 + 7 + 2 + 5 = 33 metrics, one row each.
    expect(page.locator("[data-testid=stTable] tbody tr")).to_have_count(33)
    row = page.locator("[data-testid=stTable] tbody tr").filter(has_text="Households identified")
    expect(row).to_contain_text("cases with discovered_on in P")
