"""Browser checks that a table fits: no sideways scroll, no header cut with "…".

Streamlit's `st.dataframe` is a canvas grid (glide-data-grid). Its scroller's
`scrollWidth` exceeds its `clientWidth` exactly when the table scrolls sideways. Headers
are drawn on the canvas, so their text comes from the grid's accessible table and the
columns' edges from the header's pixels: a column separator is a vertical line running
through the whole header row, above the text.
"""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Locator, expect

# The grid's header: 35 px high, its text in the app's font, normal weight at 14 px, with
# 8 px of padding on each side (glide-data-grid's cellHorizontalPadding).
HEADER_HEIGHT = 35
HEADER_FONT = "400 14px"
CELL_PADDING = 8


def scroll_widths(table: Locator) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the grid's scroller."""
    return table.locator(".dvn-scroller").evaluate("s => [s.scrollWidth, s.clientWidth]")


def header_texts(table: Locator) -> list[str]:
    """The header titles in column order, from the grid's accessible table."""
    return table.locator("th[role=columnheader]").all_inner_texts()


def header_text_widths(table: Locator) -> list[float]:
    """How wide each header title is drawn, measured with the page's own font."""
    return table.evaluate(
        """(el, font) => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = font + ' ' + getComputedStyle(document.body).fontFamily;
          return [...el.querySelectorAll('th[role=columnheader]')]
            .map(th => c.measureText(th.textContent).width);
        }""",
        HEADER_FONT,
    )


def column_edges(table: Locator) -> list[int]:
    """x of every column separator in the header, from the table's left edge."""
    canvas = table.locator("canvas").first
    png = canvas.screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = image.height / canvas.bounding_box()["height"]
    # Rows above and below the text: a separator is a non-background pixel in both.
    top, bottom = round(3 * scale), round((HEADER_HEIGHT - 4) * scale)
    background = image.getpixel((round(2 * scale), top))
    edges = []
    for x in range(image.width):
        if image.getpixel((x, top)) != background and image.getpixel((x, bottom)) != background:
            position = round(x / scale)
            if not edges or position - edges[-1] > 2:
                edges.append(position)
    return edges


def problems_of_fit(table: Locator, attempts: int = 6, pause_ms: int = 500) -> list[str]:
    """Why `table` does not fit (empty when it does): sideways scroll, headers cut.

    The grid redraws in steps after a run (header texts first, column widths a moment
    later), so a read under load can catch it half-way: a layout is judged on reads that
    agree with themselves, up to `attempts` reads `pause_ms` apart. A real misfit fails on
    every read and is reported from the last one."""
    problems: list[str] = []
    for attempt in range(attempts):
        if attempt:
            table.page.wait_for_timeout(pause_ms)
        try:
            problems = _problems_of_fit_once(table)
        except _HalfDrawn as exc:
            problems = [str(exc)]
            continue
        if not problems:
            return []
    return problems


class _HalfDrawn(Exception):
    """The headers and their widths were read from two different drawings of the grid."""


def _problems_of_fit_once(table: Locator) -> list[str]:
    table.scroll_into_view_if_needed()
    # The grid fills its accessible table after drawing: without headers nothing is checked.
    expect(table.locator("th[role=columnheader]").first).to_be_attached()
    problems = []
    scroll, client = scroll_widths(table)
    if scroll > client + 1:
        problems.append(f"scrolls sideways: {scroll} px of content in {client} px")
    titles, widths = header_texts(table), header_text_widths(table)
    # The last column ends at the grid's right edge, where no separator is drawn.
    edges = [0, *(x for x in column_edges(table) if x > 2)]
    if len(edges) == len(titles):
        edges.append(client)
    if len(titles) != len(widths):
        raise _HalfDrawn(f"{len(titles)} headers but {len(widths)} header widths read")
    for i, (title, width) in enumerate(zip(titles, widths, strict=True)):
        if i + 1 >= len(edges):
            problems.append(f"no column edge found for {title!r}")
            continue
        column = edges[i + 1] - edges[i]
        if width + 2 * CELL_PADDING > column + 1:
            problems.append(f"header {title!r} cut: {width:.0f} px of text in {column} px")
    return problems
