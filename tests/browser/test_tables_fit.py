"""Every table fits at 1440×900 with the sidebar open: no sideways scroll, no header cut.

The overview's comparison table in every group of metrics and both views, in Korean and
in English (whose short column labels must fit as the Korean ones do), the donations
table, an agency's pending list and a neighbourhood's pending list, on 테스트시 (SQLite and
PostgreSQL). The data page's problem list is checked in test_data_page.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from lib.i18n import t
from tests.browser.conftest import assert_no_errors, open_view, wait_for_app
from tests.browser.tables import header_texts, problems_of_fit
from tests.fixture_city import B
from views.overview import TABLE_GROUPS

pytestmark = pytest.mark.browser


def _sidebar_is_open(page: Page) -> None:
    """The tables are measured beside the open sidebar, the narrower main column."""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_be_visible()
    box = sidebar.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] >= 200, box


def _table_with_header(page: Page, title: str) -> Locator:
    """The one table with a column titled `title` (a grid's key is not in the page)."""
    header = page.locator("th[role=columnheader]", has_text=title)
    table = page.get_by_test_id("stDataFrame").filter(has=header)
    expect(table).to_have_count(1)
    return table


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_overview_table_fits_in_every_group_and_view(page: Page, base_url: str, lang: str) -> None:
    query = {"period": "2024", **({"lang": lang} if lang != "ko" else {})}
    open_view(page, base_url, "/", **query)
    assert_no_errors(page)
    _sidebar_is_open(page)
    table = page.get_by_test_id("stDataFrame").first
    groups = page.locator(".st-key-overview_table_group button")
    modes = page.locator(".st-key-overview_table_mode button")
    expect(groups).to_have_count(len(TABLE_GROUPS))
    headers = table.locator("th[role=columnheader]")
    failures, shown = {}, 0  # the first group is shown at first
    for mode in range(modes.count()):
        modes.nth(mode).click()
        wait_for_app(page)
        for group in range(groups.count()):
            before = header_texts(table)
            groups.nth(group).click()
            wait_for_app(page)
            if group != shown:  # the grid redraws its headers a moment after the run
                expect(headers).not_to_have_text(before)
                shown = group
            # The city row first, then the three neighbourhoods.
            expect(table.locator("td[aria-colindex='1']").first).to_contain_text(
                t("city_total", lang)
            )
            if problems := problems_of_fit(table):
                failures[(modes.nth(mode).inner_text(), groups.nth(group).inner_text())] = problems
    assert failures == {}


def test_donations_table_fits(page: Page, base_url: str) -> None:
    open_view(page, base_url, "/city-donations", period="2024")
    assert_no_errors(page)
    _sidebar_is_open(page)
    table = _table_with_header(page, "모금액(만원)")
    expect(table.locator("th[role=columnheader]")).to_have_text(
        ["읍면동", "모금액(만원)", "지원액(만원)", "목표액(만원)", "달성률(%)"]
    )
    assert problems_of_fit(table) == []


def test_agency_pending_list_shows_days_waiting(page: Page, base_url: str) -> None:
    # AG03 must answer R11 (requested 2024-06-24, waiting on 2024-12-31: 190 days).
    open_view(page, base_url, "/agency-AG03", period="2024")
    assert_no_errors(page)
    table = _table_with_header(page, "대기일수(일)")
    expect(table.locator("th[role=columnheader]")).to_have_text(
        ["의뢰번호", "사례번호", "의뢰기관", "의뢰일", "대기일수(일)"]
    )
    expect(table.locator("td[aria-colindex='5']").first).to_have_text("190")
    assert problems_of_fit(table) == []


def test_neighbourhood_pending_list_fits(page: Page, base_url: str) -> None:
    # 배방읍 (B): R11 (C14, 190 days) and R12 (C16, requested 2024-12-24: 7 days).
    open_view(page, base_url, f"/nb-{B}", period="2024")
    assert_no_errors(page)
    table = _table_with_header(page, "대기일(일)")
    expect(table.locator("td[aria-colindex='4']")).to_have_text(["190", "7"])
    assert problems_of_fit(table) == []
