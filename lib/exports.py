"""Files of what a page shows: a chart as PNG or SVG, a table as CSV or XLSX. Pure functions.

- Charts are drawn by vl-convert in Pretendard GOV (`lib.fonts`), the app's own font, so
  Korean reads right on a server with no Korean system font. A chart the app draws at its
  column's width (`width="container"`) is drawn `FILE_WIDTH` (800) px wide in a file:
  wide enough for twelve month labels, narrow enough for an A4 page or a slide; one with
  a width of its own (the referral matrix) keeps it. The file's size is the chart's whole
  size (Vega's `fit`: axes, legends and title inside it), a PNG twice that in pixels. The
  background is white: a transparent PNG turns black in some viewers. The SVG carries the
  glyphs it uses (a subset of Pretendard GOV as WOFF2 in an `@font-face`), so it reads the
  same on a machine without the font, and its text stays text (searchable, editable).
- Tables: CSV in UTF-8 with a BOM (Excel then reads Korean), XLSX with number formats, a
  bold frozen header row and widths that fit Korean. Both guard against formula injection
  (OWASP "CSV injection"): a text cell that starts with = + - @, a tab or a carriage
  return is text, never a formula (CSV: prefixed with '; XLSX: a string cell). Numbers
  stay numbers: -2 is a number, the text "-2" is text.
- `note` (a partner's watermark line) goes first: the CSV's first line, the sheet's first
  row (the header is then row 2, frozen below it), a line under the chart.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import functools
import io
import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from html import escape

import altair as alt
import pandas as pd

from lib import fonts
from lib.suppression import Suppressed

FILE_WIDTH = 800  # px of a chart drawn at its container's width in the app
FILE_PADDING = 12  # px around the chart, inside its size
BACKGROUND = "#ffffff"
NOTE_HEIGHT = 22  # px added under a chart for its note
NOTE_COLOUR = "#464c53"  # KRDS text-subtle, as the charts' own text (lib.charts.theme)
LOCALE = "ko-KR"  # numbers and dates in vl-convert: 1,234 and 1월 … 12월

PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel number formats by the dashboard's units (lib.formatting): counts and money in
# whole numbers with separators, rates, days and rates per 1,000 to one decimal.
UNIT_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "krw": "#,##0",
    "rate": "0.0",
    "days": "0.0",
    "per_1000": "0.0",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",  # a month, as its first day
}
# Decimals shown by each unit (metrics.md): what a file rounds a value to.
UNIT_DECIMALS: dict[str, int] = {"count": 0, "krw": 0, "rate": 1, "days": 1, "per_1000": 1}

# OWASP: a cell starting with one of these may be read as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# Characters a file name cannot hold on Windows (and control characters anywhere).
_FILE_NAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_SVG_NS = "http://www.w3.org/2000/svg"


# ---- charts -------------------------------------------------------------------------------


def chart_spec(chart: alt.TopLevelMixin, width: int = FILE_WIDTH) -> dict:
    """The chart's Vega-Lite spec as a file draws it: `width` px wide unless the chart has
    its own width, its whole size fitted (`fit`, padding inside), on white."""
    # Outside Streamlit, Altair refuses data over 5,000 rows; charts here are aggregated,
    # but a long period's heat map may come near it.
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    own_width = isinstance(spec.get("width"), int | float)
    if not own_width:
        spec["width"] = width
        spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec["background"] = BACKGROUND
    spec["padding"] = FILE_PADDING
    return spec


def _svg(chart: alt.TopLevelMixin, width: int) -> str:
    import vl_convert as vlc

    fonts.register_with_vl_convert()
    return vlc.vegalite_to_svg(
        json.dumps(chart_spec(chart, width)),
        format_locale=LOCALE,
        time_format_locale=LOCALE,
    )


def _with_note(svg: str, note: str | None) -> str:
    """The SVG with `note` written on a line of its own under the chart."""
    if not note:
        return svg
    match = re.match(
        r'<svg[^>]*?width="([\d.]+)" height="([\d.]+)" viewBox="0 0 [\d.]+ [\d.]+"', svg
    )
    if match is None:
        raise ValueError("unexpected SVG from vl-convert: no width, height and viewBox")
    width, height = float(match.group(1)), float(match.group(2))
    total = height + NOTE_HEIGHT
    head = match.group(0)
    new_head = head.replace(f'height="{match.group(2)}"', f'height="{total:g}"', 1).replace(
        f'viewBox="0 0 {match.group(1)} {match.group(2)}"', f'viewBox="0 0 {width:g} {total:g}"'
    )
    line = (
        f'<rect x="0" y="{height:g}" width="{width:g}" height="{NOTE_HEIGHT}" fill="{BACKGROUND}"/>'
        f'<text x="{FILE_PADDING}" y="{height + NOTE_HEIGHT - 7:g}" '
        f'font-family="\'{fonts.FAMILY}\', sans-serif" font-size="11px" '
        f'fill="{NOTE_COLOUR}">{escape(note)}</text>'
    )
    body = new_head + svg[len(head) :]
    return body[: body.rindex("</svg>")] + line + "</svg>"


def svg_text(svg: str) -> str:
    """Every character written in the SVG's text elements."""
    root = ET.fromstring(svg)
    return "".join("".join(el.itertext()) for el in root.iter(f"{{{_SVG_NS}}}text"))


def _weights(svg: str) -> set[int]:
    """The font weights the SVG's text asks for (400 always, for text that names none)."""
    weights = {400}
    for value in re.findall(r'font-weight="([^"]+)"', svg):
        if value in ("bold", "bolder") or (value.isdigit() and int(value) >= 700):
            weights.add(700)
        elif value.isdigit() and int(value) >= 550:
            weights.add(600)
    return weights


@functools.lru_cache(maxsize=256)
def font_subset(weight: int, characters: str) -> bytes:
    """Pretendard GOV of `weight` holding only `characters` (and what shaping needs), as
    WOFF2. Names (with the copyright and licence) are kept, as the OFL asks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(str(fonts.ttf_path(weight)))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def _embed_font(svg: str) -> str:
    """The SVG with the glyphs of its text as an `@font-face` of Pretendard GOV."""
    characters = "".join(sorted(set(svg_text(svg)) - {" "}))
    if not characters:
        return svg
    faces = "".join(
        f"@font-face{{font-family:'{fonts.FAMILY}';font-weight:{weight};"
        "src:url(data:font/woff2;base64,"
        f"{base64.b64encode(font_subset(weight, characters)).decode('ascii')}) format('woff2')}}"
        for weight in sorted(_weights(svg))
    )
    end = svg.index(">", svg.index("<svg")) + 1
    return svg[:end] + f"<defs><style>{faces}</style></defs>" + svg[end:]


def chart_svg(
    chart: alt.TopLevelMixin, *, width: int = FILE_WIDTH, note: str | None = None
) -> bytes:
    """The chart as an SVG file (UTF-8), its font's glyphs inside it."""
    return _embed_font(_with_note(_svg(chart, width), note)).encode("utf-8")


def chart_png(
    chart: alt.TopLevelMixin, scale: float = 2, *, width: int = FILE_WIDTH, note: str | None = None
) -> bytes:
    """The chart as a PNG file, `scale` pixels per CSS pixel (2: sharp on a slide)."""
    import vl_convert as vlc

    fonts.register_with_vl_convert()
    if note:  # drawn from the SVG with the note, as the SVG file shows it
        return vlc.svg_to_png(_with_note(_svg(chart, width), note), scale=scale)
    return vlc.vegalite_to_png(
        json.dumps(chart_spec(chart, width)),
        scale=scale,
        format_locale=LOCALE,
        time_format_locale=LOCALE,
    )


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# ---- tables -------------------------------------------------------------------------------


def is_number(value: object) -> bool:
    """True for a real number a spreadsheet should keep as a number (not bool, not NaN)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | decimal.Decimal):
        return True
    if isinstance(value, float):
        return not math.isnan(value)
    try:  # numpy scalars
        import numpy as np

        return isinstance(value, np.integer | np.floating) and not np.isnan(value)
    except TypeError:
        return False


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def guard_text(text: str) -> str:
    """A text cell for a CSV: one that a spreadsheet would read as a formula gets a '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_text(value: object, dash: str) -> str | object:
    """What a table cell holds in a file: numbers and dates as they are, a suppressed
    value as its text ("<5", "–"), nothing as `dash`."""
    if isinstance(value, Suppressed):
        return value.text
    if is_missing(value):
        return dash
    if isinstance(value, str | dt.date):
        return value
    if hasattr(value, "item"):  # a numpy scalar: the Python number
        return value.item()
    return value


def _plain_number(value: object) -> str:
    """A number as a CSV writes it: no exponent, no trailing .0 on a whole number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def table_csv(
    frame: pd.DataFrame,
    *,
    note: str | None = None,
    dash: str = "–",
    months: Sequence[str] = (),
) -> bytes:
    """The frame as CSV for Excel: UTF-8 with a BOM, its column names as the header row,
    text guarded against formulas, numbers as numbers, dates as 2024-06-24 (a column of
    `months` as 2024-06); `note` as a first line."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if note:
        writer.writerow([guard_text(note)])
    writer.writerow([guard_text(str(c)) for c in frame.columns])
    month_columns = [str(c) in set(months) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value, is_month in zip(row, month_columns, strict=True):
            value = _cell_text(value, dash)
            if is_number(value):
                cells.append(_plain_number(value))
            elif isinstance(value, dt.date) and is_month:
                cells.append(f"{value:%Y-%m}")
            elif isinstance(value, dt.datetime):
                cells.append(value.isoformat(sep=" "))
            elif isinstance(value, dt.date):
                cells.append(value.isoformat())
            else:
                cells.append(guard_text(str(value)))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8-sig")


def sheet_title(name: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, not blank."""
    title = re.sub(r"\s+", " ", _SHEET_NAME_BAD.sub(" ", name)).strip().strip("'")[:31].strip()
    return title or "Sheet1"


def display_width(text: str) -> int:
    """Columns `text` takes: Korean (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _default_format(values: pd.Series) -> str | None:
    numbers = [v for v in values if is_number(v)]
    if any(isinstance(v, dt.date) for v in values):
        return UNIT_FORMATS["date"]
    if not numbers:
        return None
    if all(float(v).is_integer() for v in numbers):
        return "#,##0"
    return "#,##0.0##"


def _shown_text(value: object, fmt: str | None) -> str:
    """Roughly what a cell reads in Excel, to size its column."""
    if is_number(value):
        decimals = 1 if fmt and "0.0" in fmt else 0
        return f"{float(value):,.{decimals}f}"
    if isinstance(value, dt.date):
        return "2024-12-31"
    return str(value)


def table_xlsx(
    frame: pd.DataFrame,
    *,
    sheet_name: str = "Sheet1",
    number_formats: Mapping[str, str] | None = None,
    note: str | None = None,
    dash: str = "–",
) -> bytes:
    """The frame as an Excel workbook of one sheet.

    The header row is bold and frozen; each column takes `number_formats[column]` (an
    Excel format; by default whole numbers `#,##0`, dates `yyyy-mm-dd`); text is always a
    string cell (never a formula); a suppressed value or nothing is text ("<5", "–").
    With `note`, the note is row 1 and the header row 2.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = dict(number_formats or {})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(sheet_name)
    header_row = 2 if note else 1
    if note:
        cell = sheet.cell(row=1, column=1, value=note)
        cell.data_type = "s"
        cell.font = Font(italic=True, color="464C53")
    columns = [str(c) for c in frame.columns]
    widths = [display_width(c) for c in columns]
    cells = [[_cell_text(v, dash) for v in frame[c]] for c in frame.columns]
    column_formats = [
        formats.get(name) or _default_format(pd.Series(values, dtype=object))
        for name, values in zip(columns, cells, strict=True)
    ]
    for j, name in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=j, value=name)
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for j, (values, fmt) in enumerate(zip(cells, column_formats, strict=True), start=1):
        for i, value in enumerate(values, start=header_row + 1):
            if isinstance(value, dt.datetime):
                cell = sheet.cell(row=i, column=j, value=value.replace(tzinfo=None))
            elif isinstance(value, dt.date) or is_number(value):
                cell = sheet.cell(row=i, column=j, value=value)
            else:
                # openpyxl takes a str starting with "=" for a formula: force a string.
                cell = sheet.cell(row=i, column=j, value=str(value))
                cell.data_type = "s"
                widths[j - 1] = max(widths[j - 1], display_width(str(value)))
                continue
            if fmt:
                cell.number_format = fmt
            widths[j - 1] = max(widths[j - 1], display_width(_shown_text(value, fmt)))
    for j, width in enumerate(widths, start=1):
        # Excel's width unit is about one Latin digit; a Korean character takes two.
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 6), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def round_as_shown(value: object, unit: str) -> object:
    """A number rounded as the dashboard shows it in `unit` (half up, metrics.md); other
    values (text, a suppressed value, nothing) as they are."""
    if not is_number(value) or unit not in UNIT_DECIMALS:
        return value
    places = UNIT_DECIMALS[unit]
    rounded = decimal.Decimal(str(float(value))).quantize(
        decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP
    )
    return int(rounded) if places == 0 else float(rounded)


# ---- file names ---------------------------------------------------------------------------


def file_stem(parts: list[str]) -> str:
    """`잇다_중앙동_사례추이_2025-H1`: the parts without spaces (Korean) or with hyphens
    (Latin), joined by "_", with nothing Windows refuses in a name."""
    cleaned = []
    for part in parts:
        text = _FILE_NAME_BAD.sub("", str(part)).strip()
        text = text.replace("_", "-")  # "_" separates the parts
        text = re.sub(r"\.\.", "~", text)  # a period range 2024-01-01..2024-03-31
        text = re.sub(r"\s+", functools.partial(_space, text), text)
        if text:
            cleaned.append(text)
    return ("_".join(cleaned).strip(". ") or "itda")[:150]


def file_name(parts: list[str], extension: str) -> str:
    """`file_stem(parts)` with its extension: `잇다_중앙동_사례추이_2025-H1.png`."""
    return f"{file_stem(parts)}.{extension}"


def _space(text: str, match: re.Match) -> str:
    """Spaces go between Korean words (사례 추이 → 사례추이), become "-" between Latin ones."""
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    wide = any(unicodedata.east_asian_width(ch) in "WF" for ch in (before, after) if ch)
    return "" if wide else "-"
