"""The review as an editable PowerPoint deck (16:9): `review_pptx(review) -> bytes`.

Slides: a title slide (city, scope, period, comparison, as-of date, who made it and when),
a summary slide, then one slide per section: its title, its summary (real text), a real
table of its metrics (this period, the comparison period, the change absolute and in %,
and the city's value and rank where the review has them), its first chart as a PNG
(vl-convert at 2×, Pretendard GOV), the definitions of its metrics in small print, and a
footer with city, scope, period, comparison and as-of date.

Every text run is set in "Pretendard GOV" (Latin and East Asian typeface). No font is
embedded: PowerPoint substitutes another font where Pretendard GOV is not installed; the
font's files are in static/fonts/ (README). The layout measures the texts with that font
(Pillow) and sizes boxes and type so that nothing leaves the slide or overlaps.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from lib import fonts
from lib.i18n import t
from lib.review import render
from lib.review.model import Review, Section

FONT = fonts.FAMILY  # "Pretendard GOV"
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches (16:9)
MARGIN = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN
FOOTER_TOP = 7.0
CONTENT_BOTTOM = 6.85  # everything but the footer ends above this
TABLE_W = (5.4, 7.3)  # a table is as wide as its texts need, within these; the chart beside
GUTTER = 0.3

TEXT = RGBColor(0x1E, 0x21, 0x24)
SUBTLE = RGBColor(0x46, 0x4C, 0x53)
PRIMARY = RGBColor(0x0B, 0x50, 0xD0)
TINT = RGBColor(0xF4, 0xF5, 0xF6)
BORDER = RGBColor(0xCD, 0xD1, 0xD5)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LINE = 1.25  # line height in multiples of the font size, as measured and as set
# Where Pretendard GOV is not installed PowerPoint draws another font, up to about a tenth
# wider (LibreOffice's fallback measured here, which also spaces Korean from digits): texts are measured with this much room.
SLACK = 1.2


# ---- measuring text ------------------------------------------------------------------------


@functools.cache
def _face(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(fonts.ttf_path(700 if bold else 400)), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` set in Pretendard GOV at `size` points, in inches, with `SLACK`."""
    return _face(bold).getlength(text) * size / 100 / 72 * SLACK


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines `text` takes in a box `width` inches wide (word wrap, as PowerPoint does)."""
    lines, current = 0, ""
    for paragraph in text.split("\n"):
        lines += 1
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if text_width(trial, size, bold) <= width:
                current = trial
                continue
            if current:
                lines += 1
            current = word
            # A word longer than the line breaks inside itself.
            while text_width(current, size, bold) > width and len(current) > 1:
                cut = len(current)
                while cut > 1 and text_width(current[:cut], size, bold) > width:
                    cut -= 1
                current = current[cut:]
                lines += 1
    return lines


def text_height(lines: int, size: float) -> float:
    return lines * size * LINE / 72


# ---- text boxes ------------------------------------------------------------------------------


def _set_font(run, size: float, bold: bool = False, colour: RGBColor = TEXT) -> None:
    """Pretendard GOV for Latin and Korean (East Asian) text, the size, weight, colour."""
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    r_pr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = r_pr.find(qn(tag))
        if element is None:
            element = etree.SubElement(r_pr, qn(tag))
        element.set("typeface", FONT)
    # a:latin, a:ea, a:cs must follow a:solidFill in the schema's order.
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = r_pr.find(qn(tag))
        r_pr.remove(element)
        r_pr.append(element)


def _frame(box, anchor=MSO_ANCHOR.TOP) -> object:
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = None
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Emu(0)
    frame.margin_top = frame.margin_bottom = Emu(0)
    return frame


def _paragraph(frame, first: bool):
    return frame.paragraphs[0] if first else frame.add_paragraph()


def _runs(paragraph, parts: Sequence[tuple[str, bool]], size: float, colour=TEXT) -> None:
    paragraph.line_spacing = LINE
    for text, bold in parts:
        run = paragraph.add_run()
        run.text = text
        _set_font(run, size, bold, colour)


def add_text(
    slide,
    left: float,
    top: float,
    width: float,
    height: float,
    paragraphs: Sequence[str | Sequence[tuple[str, bool]]],
    size: float,
    *,
    bold: bool = False,
    colour: RGBColor = TEXT,
    align=PP_ALIGN.LEFT,
    space_after: float = 0,
    anchor=MSO_ANCHOR.TOP,
    name: str | None = None,
):
    """A text box; each paragraph a string or (text, bold) runs."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        box.name = name
    frame = _frame(box, anchor)
    for n, item in enumerate(paragraphs):
        paragraph = _paragraph(frame, n == 0)
        paragraph.alignment = align
        if space_after:
            paragraph.space_after = Pt(space_after)
        parts = [(item, bold)] if isinstance(item, str) else list(item)
        _runs(paragraph, parts, size, colour)
    return box


def fit_size(
    texts: Sequence[str], width: float, height: float, sizes: Sequence[float], gap: float = 0
) -> tuple[float, float]:
    """The largest of `sizes` at which `texts` (paragraphs, `gap` points apart) fit
    `height`; returns (size, height they take). The smallest size if none fits."""
    for size in sizes:
        lines = sum(line_count(text, size, width) for text in texts)
        used = text_height(lines, size) + gap * max(len(texts) - 1, 0) / 72
        if used <= height:
            return size, used
    return size, used


# ---- slides ----------------------------------------------------------------------------------


def _footer(slide, review: Review, number: int, total: int) -> None:
    size = 9.0
    page = t("report.page", review.lang, page=number, total=total)
    page_w = 0.8
    text = render.footer_text(review)
    width = CONTENT_W - page_w - 0.2
    if line_count(text, size, width) > 1:
        size = 8.0
    add_text(slide, MARGIN, FOOTER_TOP, width, 0.3, [text], size, colour=SUBTLE, name="footer")
    add_text(
        slide, SLIDE_W - MARGIN - page_w, FOOTER_TOP, page_w, 0.3, [page], size,
        colour=SUBTLE, align=PP_ALIGN.RIGHT, name="page number",
    )  # fmt: skip
    line = slide.shapes.add_connector(
        1, Inches(MARGIN), Inches(FOOTER_TOP - 0.08), Inches(SLIDE_W - MARGIN),
        Inches(FOOTER_TOP - 0.08),
    )  # fmt: skip
    line.line.color.rgb = BORDER
    line.line.width = Pt(0.75)


def _title_slide(prs, review: Review) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    lang = review.lang
    bar = slide.shapes.add_shape(1, Inches(MARGIN), Inches(0.9), Inches(0.08), Inches(1.9))
    bar.fill.solid()
    bar.fill.fore_color.rgb = PRIMARY
    bar.line.fill.background()
    left = MARGIN + 0.35
    width = CONTENT_W - 0.35
    add_text(slide, left, 0.9, width, 0.4, [t("report.kicker", lang)], 16, bold=True,
             colour=PRIMARY)  # fmt: skip
    title = render.title(review)
    size, used = fit_size([title], width, 1.2, (40, 36, 32, 28, 24))
    add_text(slide, left, 1.35, width, used + 0.05, [title], size, bold=True, name="title")
    add_text(slide, left, 1.45 + used, width, 0.45, [render.period_text(review.period, lang)],
             20, colour=SUBTLE)  # fmt: skip
    facts = render.title_facts(review)
    label_w = 1.6
    top = 3.3
    for label, value in facts:
        add_text(slide, left, top, label_w, 0.4, [label], 15, colour=SUBTLE)
        add_text(slide, left + label_w, top, width - label_w, 0.4, [value], 15, bold=True)
        top += 0.45
    if (note := render.partner_note(review)) is not None:
        size, used = fit_size([note], width, CONTENT_BOTTOM - top - 0.2, (12, 11, 10, 9))
        add_text(slide, left, top + 0.2, width, used, [note], size, colour=SUBTLE)


def _summary_slide(prs, review: Review) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    lang = review.lang
    add_text(slide, MARGIN, 0.45, CONTENT_W, 0.7, [t("report.summary", lang)], 30, bold=True,
             colour=PRIMARY, name="title")  # fmt: skip
    sentences = list(review.summary)
    contents = [s.title for s in review.sections]
    top = 1.4
    if sentences:
        size, used = fit_size(sentences, CONTENT_W, 3.2, (24, 22, 20, 18, 16, 14), gap=12)
        add_text(slide, MARGIN, top, CONTENT_W, used, sentences, size, space_after=12,
                 name="summary")  # fmt: skip
        top += used + 0.5
    if contents:
        add_text(slide, MARGIN, top, CONTENT_W, 0.4, [t("report.contents", lang)], 16, bold=True)
        top += 0.5
        room = CONTENT_BOTTOM - top
        size, used = fit_size(contents, CONTENT_W, room, (16, 14, 12, 11, 10))
        add_text(slide, MARGIN, top, CONTENT_W, used, contents, size, colour=SUBTLE)


def _table(
    slide, review: Review, section: Section, top: float, height: float, widest: float
) -> float:
    """The section's metrics as a real table, at most `widest` inches wide; returns its
    width. Rows are sized so that all of them fit `height` (text never wraps in a cell)."""
    shown = render.columns(review, section)
    rows = [render.headers(review, shown)]
    rows += [render.cells(review, fact, shown) for fact in section.facts]
    row_h = min(0.42, height / len(rows))
    size = max(8.0, min(13.0, row_h * 72 / 2.2))
    pad = 0.06
    # Column widths from the widest text of each column, the room left shared by the
    # number columns; a table too wide for its place gets smaller type instead.
    widths = [max(text_width(r[c], size, bold=(i == 0)) for i, r in enumerate(rows)) + 2 * pad
              for c in range(len(shown))]  # fmt: skip
    table_w = widest if widest <= TABLE_W[1] else min(widest, max(TABLE_W[0], sum(widths) * 1.3))
    scale = min(1.0, table_w / (sum(widths) * 1.15))  # a sixth to spare for another font
    if scale < 1.0:
        size *= scale
        widths = [w * scale for w in widths]
    # The room left goes to the number columns in proportion to their texts: the widest
    # (a rank "13위/17*", a change "+44.5일") need it most where another font is wider.
    numbers = sum(widths[1:])
    spare = table_w - sum(widths)
    widths = [widths[0], *(w + spare * w / numbers for w in widths[1:])]
    shape = slide.shapes.add_table(
        len(rows), len(shown), Inches(MARGIN), Inches(top), Inches(table_w),
        Inches(row_h * len(rows)),
    )  # fmt: skip
    shape.name = "metrics table"
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for c, width in enumerate(widths):
        table.columns[c].width = Inches(width)
    for r, values in enumerate(rows):
        table.rows[r].height = Inches(row_h)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(pad)
            cell.margin_top = cell.margin_bottom = Emu(0)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = TINT if r == 0 else WHITE
            frame = cell.text_frame
            frame.word_wrap = False
            paragraph = frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = value
            _set_font(run, size, bold=(r == 0), colour=SUBTLE if r == 0 else TEXT)
    return table_w


def _definitions(slide, review: Review, section: Section, bottom: float) -> float:
    """The definitions in small print, two columns, ending at `bottom`; returns its top."""
    items = render.definitions(review, section)
    notes = render.table_notes(review, section)
    if not items and not notes:
        return bottom
    column_w = (CONTENT_W - 0.3) / 2
    half = (len(items) + 1) // 2
    columns = [items[:half], items[half:]]
    texts = [[f"{label}: {definition}" for label, definition in col] for col in columns]
    note_text = " ".join(notes)
    # Measured narrower, with a line to spare: small print wraps where a renderer spaces
    # Korean from digits and Latin letters (LibreOffice does), and must not reach the footer.
    fit = 0.9
    for size in (10, 9.5, 9, 8.5, 8, 7.5, 7):
        used = max(
            text_height(sum(line_count(x, size, column_w * fit) for x in col) + 1, size)
            for col in texts
        )
        note_h = text_height(line_count(note_text, size, CONTENT_W * fit), size) if notes else 0
        total = used + note_h + (0.08 if notes else 0)
        if total <= 1.5:
            break
    top = bottom - total
    if notes:
        add_text(slide, MARGIN, top, CONTENT_W, note_h, [note_text], size, colour=SUBTLE,
                 name="table notes")  # fmt: skip
    for n, col in enumerate(columns):
        if not col:
            continue
        paragraphs = [[(f"{label}: ", True), (definition, False)] for label, definition in col]
        add_text(
            slide, MARGIN + n * (column_w + 0.3), bottom - used, column_w, used, paragraphs,
            size, colour=SUBTLE, name="definitions",
        )  # fmt: skip
    return top


def _first_figure(section: Section):
    return next((f for f in section.figures if f.chart is not None), None)


def _picture(slide, review: Review, figure, left: float, top: float, height: float) -> None:
    """The chart as a PNG filling the room right of the table (at most 4:3 in height)."""
    width = SLIDE_W - MARGIN - left
    title_h = 0.4
    if height - title_h < 1.0:
        return
    add_text(slide, left, top, width, title_h, [figure.title], 13, bold=True,
             name="chart title")  # fmt: skip
    room_h = min(height - title_h, width * 0.75)
    png = render.chart_png(figure.chart, width * 96, review.lang, scale=2, height=room_h * 96)
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        px_w, px_h = image.size
    shown_w = min(width, room_h * px_w / px_h)
    picture = slide.shapes.add_picture(
        io.BytesIO(png), Inches(left), Inches(top + title_h), Inches(shown_w),
        Inches(shown_w * px_h / px_w),
    )  # fmt: skip
    picture.name = "chart"


def _section_slide(prs, review: Review, section: Section) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_text(slide, MARGIN, 0.35, CONTENT_W, 0.6, [section.title], 28, bold=True,
             colour=PRIMARY, name="title")  # fmt: skip
    top = 1.1
    sentences = list(section.summary)
    if sentences:
        size, used = fit_size(sentences, CONTENT_W, 1.3, (18, 17, 16, 15, 14, 13, 12), gap=4)
        add_text(slide, MARGIN, top, CONTENT_W, used, sentences, size, space_after=4,
                 name="summary")  # fmt: skip
        top += used + 0.25
    defs_top = _definitions(slide, review, section, CONTENT_BOTTOM)
    room = defs_top - 0.2 - top
    figure = _first_figure(section)
    widest = TABLE_W[1] if figure is not None else CONTENT_W * 0.7
    table_w = _table(slide, review, section, top, room, widest) if section.facts else 0.0
    if figure is not None:
        left = MARGIN + table_w + GUTTER if table_w else MARGIN
        _picture(slide, review, figure, left, top, room)


def review_pptx(review: Review) -> bytes:
    """The review as a 16:9 PowerPoint deck (bytes): real text and tables, charts as PNG."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    props = prs.core_properties
    props.title = render.title(review)
    props.author = review.made_by
    props.subject = render.footer_text(review)
    props.language = review.lang
    props.created = review.made_at.astimezone(dt.UTC).replace(tzinfo=None)
    _title_slide(prs, review)
    _summary_slide(prs, review)
    for section in review.sections:
        _section_slide(prs, review, section)
    total = len(prs.slides)
    for number, slide in enumerate(prs.slides, start=1):
        _footer(slide, review, number, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
