"""The worst addresses in Chromium (테스트시, SQLite): script and image-onerror fragments in
parameters and in the path, a Markdown javascript: link, a 100 KB parameter, repeated and
binary parameters. Nothing of the visitor's becomes an element or runs, no traceback, and
the notices quote at most 40 characters as code (tests/test_app_hostile.py checks every
value in AppTest; this checks what the browser makes of them).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lib.excerpt import LIMIT
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

PWN = "window.__pwned=1"
URLS = [
    # (address, notices expected)
    (f"/?period=<script>{PWN}</script>&compare=<img src=x onerror={PWN}>", 2),
    (f"/?period=[home](javascript:{PWN})&lang=<b>en</b>", 2),
    ("/?period=2024&period=2024-H1&from=%00%1b%5B31m&to=2024-13-45", 3),
    ("/?period=" + "A" * 100_000, 1),
    (f"/nb-<img src=x onerror={PWN}>" + "9" * 300, 0),
]


@pytest.mark.parametrize(
    ("address", "notices"), URLS, ids=["script", "md-link", "repeated", "100kb", "path"]
)
def test_the_worst_addresses(page: Page, sqlite_base_url: str, address: str, notices: int):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(sqlite_base_url.rstrip("/") + address)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    # nothing typed became an element, an attribute or a script that ran
    assert page.locator("[onerror]").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("script", has_text="__pwned").count() == 0
    assert page.evaluate("() => window.__pwned") is None and not dialogs
    warnings = page.get_by_test_id("stAlertContentWarning")
    expect(warnings).to_have_count(notices)
    for i in range(notices):
        box = warnings.nth(i)
        codes = box.locator("code")
        assert codes.count() >= 1
        for text in codes.all_inner_texts():
            assert len(text.strip()) <= LIMIT + 1, text
            assert not any(ord(c) < 32 for c in text), repr(text)
    if notices == 0:  # the unknown address: the not-found page quotes 40 characters
        expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
        shown = page.get_by_test_id("stText").inner_text()
        assert shown.startswith("/nb-") and len(shown) <= LIMIT + 2, shown
    if "script" in address and "period=<" in address:
        # shown as the text it is
        expect(warnings.first.locator("code")).to_have_text(f"<script>{PWN}</script>")
