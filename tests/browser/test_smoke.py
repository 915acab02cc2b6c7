"""Smoke test: the overview opens on both databases without any error element."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_no_errors, open_view
from tests.fixture_city import CITY_NAME

pytestmark = pytest.mark.browser


def test_overview_opens_without_errors(page: Page, base_url: str) -> None:
    open_view(page, base_url, "/")
    assert_no_errors(page)
    # The city's name comes from the dataset info the fixture stored, not from a setting.
    # (In the title: the print-only line above it names the city too, hidden on screen.)
    expect(page.locator("h1").filter(has_text=CITY_NAME).first).to_be_visible()
