"""The network page and an agency page in real Chromium, on 테스트시 (SQLite and PostgreSQL).

Numbers are the hand-computed ones of tests/test_app_network.py (2024: 11 referrals, 2
waiting, 1 overdue — R11, waiting 190 days; AG03 received 4, acceptance 66.7 %).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors, view_url, wait_for_app

pytestmark = pytest.mark.browser

CHART = "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas"


def open_page(page: Page, base_url: str, path: str, **query: str) -> None:
    """Open a deep link and wait until the page has been drawn."""
    page.goto(view_url(base_url, path, **query))
    # The page's first, uncached run can outlast wait_for_app's 5-second skeleton check
    # on a busy machine: wait for the script to finish first (the context's 30 s).
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached"
    )
    wait_for_app(page)


def _tile(page: Page, label: str):
    """The metric tile whose label is `label`."""
    return page.get_by_test_id("stMetric").filter(has_text=label)


def test_network_page_draws_its_numbers_and_charts(page: Page, base_url: str) -> None:
    open_page(page, base_url, "/case-sharing", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="사례공유 네트워크")).to_be_visible()
    expect(page.get_by_text("응답 기한 7일").first).to_be_visible()
    expect(_tile(page, "기간 중 의뢰").get_by_test_id("stMetricValue")).to_have_text("11")
    expect(_tile(page, "응답 대기").get_by_test_id("stMetricValue")).to_have_text("2")
    expect(_tile(page, "기한 초과 대기").get_by_test_id("stMetricValue")).to_have_text("1")
    # Heat map, network graph and statuses by month all render.
    expect(page.locator(CHART)).to_have_count(3)
    expect(page.get_by_role("heading", name="기한 초과 대기 1건")).to_be_visible()


def test_agency_page_opens_from_its_own_url(page: Page, base_url: str) -> None:
    open_page(page, base_url, "/agency-AG03", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="테스트종합사회복지관")).to_be_visible()
    expect(_tile(page, "수신 건수").get_by_test_id("stMetricValue")).to_have_text("4")
    expect(_tile(page, "수락률").get_by_test_id("stMetricValue")).to_have_text("66.7%")
    expect(page.get_by_role("heading", name="응답 대기 1건")).to_be_visible()
    expect(page.locator(CHART)).to_have_count(1)  # the response-time trend


def test_network_page_in_english(page: Page, sqlite_base_url: str) -> None:
    open_page(page, sqlite_base_url, "/case-sharing", period="2024", lang="en")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="Case-sharing network")).to_be_visible()
    expect(_tile(page, "Overdue").get_by_test_id("stMetricValue")).to_have_text("1")
