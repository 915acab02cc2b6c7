"""The browser's own print of a page (Chromium's `page.pdf`, A4) on 테스트시, read back with pypdf.

What dashboard.py's `@media print` and `lib.ui.print_preparation` promise: A4 pages; the
city, scope, period, comparison and as-of date on the first page; none of the sidebar's,
navigation's or page actions' words; a heading never the last thing on a page; charts
inside the page's width, and (after the Ctrl+P preparation) chart text as large as on
screen rather than shrunk with a chart drawn for a wide screen.
"""

from __future__ import annotations

import io
import math
import re

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.browser.conftest import assert_no_errors, open_view
from tests.fixture_city import A

pytestmark = pytest.mark.browser

A4 = (595.92, 842.88)  # points
MARGIN_SIDE = 12 / 25.4 * 72  # @page's 12mm
READABLE_PT = 7.0  # chart labels are 11–12px (8.25–9pt) when printed at their own size
# Words only the sidebar, the navigation or the page actions show.
NOT_ON_PAPER = ("링크 복사", "Language", "시 전체 개요", "협업 네트워크", "발표 모드", "기간 선택")


def _print(page: Page, base_url: str, path: str, prepare: bool = True, **query: str) -> bytes:
    open_view(page, base_url, path, **query)
    assert_no_errors(page)
    page.wait_for_load_state("networkidle")  # charts draw after the script
    if prepare:  # what Ctrl+P does before the print dialog opens
        page.evaluate("window.itdaPreparePrint()")
    return page.pdf(format="A4", print_background=True)


def _compact(text: str) -> str:
    """Text without white space: pypdf breaks lines where the paper did."""
    return re.sub(r"\s+", "", text)


def _runs(reader: PdfReader) -> list[tuple[int, float, float, str]]:
    """(page, font size in points, x, text) of every piece of text drawn."""
    runs = []
    for number, pdf_page in enumerate(reader.pages):

        def visit(text, cm, tm, _font, size, number=number):
            if not text.strip():
                return
            # the text matrix times the current transformation: x, and the length of the
            # text's upward vector (its size, also for a rotated axis title)
            c = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            runs.append((number, size * math.hypot(c, d), x, text.strip()))

        pdf_page.extract_text(visitor_text=visit)
    return runs


def _headings(page: Page) -> set[str]:
    """The texts of the page's headings and of its charts' bold titles."""
    return set(
        page.evaluate(
            """() => [...document.querySelectorAll(
                '[data-testid=stMain] [data-testid=stHeading] :is(h1,h2,h3,h4),'
                + ' [data-testid=stMain] [data-testid=stMarkdownContainer] > p:only-child'
                + ' > strong:only-child')].map((e) => e.innerText.trim()).filter(Boolean)"""
        )
    )


def test_a_neighbourhood_prints_on_a4_with_its_context_first(
    page: Page, sqlite_base_url: str
) -> None:
    pdf = _print(page, sqlite_base_url, f"nb-{A}", period="2024-H1")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3  # every area of the page, not one screenful
    for pdf_page in reader.pages:
        size = (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height))
        assert size == pytest.approx(A4, abs=1), size
    first = _compact(reader.pages[0].extract_text())
    for expected in (
        "테스트시 · 온양1동 · 인쇄 ",  # the print-only line: city, scope, print date
        "온양1동",
        "기간 2024년 상반기 (2024.01.01–2024.06.30)",
        "비교 기간 전기 2023년 하반기 (2023.07.01–2023.12.31)",
        "기준일 2024.12.31",
    ):
        assert _compact(expected) in first, expected
    everything = _compact("".join(p.extract_text() for p in reader.pages))
    for word in NOT_ON_PAPER:
        assert _compact(word) not in everything, word
    # the numbers are on paper: 온양1동 identified C03 C04 C05 = 3, +1 (+50.0%)
    assert _compact("발굴 가구 3 +1 (+50.0%)") in everything

    # A heading (an area's, or a chart's title) is never the last line of a page.
    headings = _headings(page)
    assert {"사례관리", "후원", "사례공유", "찾아가는 방문", "자활"} <= headings
    for number, pdf_page in enumerate(reader.pages[:-1], start=1):
        lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, (number, lines[-3:])


def test_print_styles_hide_the_chrome_and_keep_headings_with_what_follows(
    page: Page, sqlite_base_url: str
) -> None:
    open_view(page, sqlite_base_url, f"nb-{A}", period="2024-H1")
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => {
          const display = (sel) => [...document.querySelectorAll(sel)]
            .map((e) => getComputedStyle(e).display);
          const after = [...document.querySelectorAll('[data-testid=stElementContainer]')]
            .filter((e) => e.querySelector('[data-testid=stHeading]'))
            .map((e) => getComputedStyle(e).breakAfter);
          const inside = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
            .map((e) => getComputedStyle(e).breakInside);
          return {
            sidebar: display('[data-testid=stSidebar]'),
            header: display('[data-testid=stHeader]'),
            toolbar: display('[data-testid=stElementToolbar]'),
            links: display('.itda-section-links'),
            actions: display('.st-key-page-actions'),
            printLine: display('.itda-print-line'),
            after, inside,
          };
        }"""
    )
    for part in ("sidebar", "header", "toolbar", "links", "actions"):
        assert styles[part] and set(styles[part]) == {"none"}, (part, styles[part])
    assert styles["printLine"] == ["block"]
    assert styles["after"] and set(styles["after"]) == {"avoid"}
    assert styles["inside"] and set(styles["inside"]) == {"avoid"}
    page.emulate_media(media="screen")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.itda-print-line')).display"
    ) == ("block")  # the line itself; its box is hidden on screen
    assert not page.locator(".itda-print-line").is_visible()


@pytest.mark.parametrize("prepare", [True, False], ids=["ctrl-p", "browser-menu"])
def test_the_overview_s_charts_fit_the_paper(
    page: Page, sqlite_base_url: str, prepare: bool
) -> None:
    # The ranking chart is about 1,060px wide on a 1440px screen with the sidebar open.
    pdf = _print(page, sqlite_base_url, "/", prepare=prepare, period="2024")
    reader = PdfReader(io.BytesIO(pdf))
    first = _compact(reader.pages[0].extract_text())
    for expected in ("테스트시 · 시 전체 · 인쇄 ", "기간 2024년", "기준일 2024.12.31"):
        assert _compact(expected) in first, expected
    runs = _runs(reader)
    assert runs
    # Nothing is drawn past the page's right margin: a chart is scaled, never cut.
    right = A4[0] - MARGIN_SIDE + 1
    beyond = [r for r in runs if r[2] > right]
    assert beyond == [], beyond[:5]
    if prepare:
        # Laid out at the paper's width first, every chart keeps its own text size. (From
        # the browser's menu the ranking chart is scaled to 0.66: its labels print at 5.5pt.)
        smallest = min(runs, key=lambda r: r[1])
        assert smallest[1] >= READABLE_PT, smallest
