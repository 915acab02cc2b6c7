"""Report downloads in the browser: a page's report button and the report page.

The files are made on the click (deferred downloads) and read back: the PDF with pypdf,
the deck with python-pptx. Numbers worked out by hand from tests/fixture_city.py:
온양1동 (A), 2024 against 2023 (the period's default comparison, 전기): discovered C03–C08
= 6 against C01 C02 = 2 → +4, +200.0 %; the city 13; per 1,000 households A 6.0, B 3.0,
C 2.0 → 1st of 3 (tests/test_review_report.py works out the same).
"""

from __future__ import annotations

import io

import pypdf
import pytest
from playwright.sync_api import Page, expect
from pptx import Presentation

from tests.browser.conftest import open_view, wait_for_app
from tests.fixture_city import A

pytestmark = pytest.mark.browser


def test_a_neighbourhood_page_s_report_button_downloads_its_pdf(page: Page, base_url: str):
    open_view(page, base_url, f"nb-{A}", period="2024")
    page.locator(".st-key-report-button button").first.click()
    button = page.get_by_role("button", name="PDF 내려받기")
    expect(button).to_be_visible()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "잇다_보고서_온양1동_2024.pdf"
    data = open(download.value.path(), "rb").read()  # noqa: SIM115 (Playwright's temp file)
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "온양1동 성과 보고서" in text
    assert "발굴 가구 6 2 +4 +200.0% 13 1위/3*" in text
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)


def test_the_report_page_downloads_a_deck(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "report", period="2024")
    expect(page.get_by_role("heading", name="보고서 내려받기")).to_be_visible()
    page.locator(".st-key-report_kind").get_by_text("읍면동", exact=True).click()
    wait_for_app(page)
    page.locator(".st-key-report_format").get_by_text("파워포인트 (16:9)", exact=True).click()
    wait_for_app(page)
    button = page.get_by_role("button", name="파워포인트 내려받기")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    # The first neighbourhood of the list is chosen: 온양1동.
    assert download.value.suggested_filename == "잇다_보고서_온양1동_2024.pptx"
    deck = Presentation(download.value.path())
    rows = [
        [cell.text for cell in row.cells]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]
    assert ["발굴 가구", "6", "2", "+4", "+200.0%", "13", "1위/3*"] in rows
