"""The review as one A4 landscape PDF: `review_pdf(review) -> bytes`.

Pages (842 × 595 pt):
1. the title page: city, scope, period, comparison period, as-of date, who made it, when;
2. the summary: the review's opening sentences and the contents (with page numbers);
3. per section, from a new page: its title, summary, the table of its metrics (this period,
   the comparison period, the change absolute and in %, and the city's value and rank where
   the review has them), its charts as vectors, the definitions of its metrics.
Every page carries a footer: scope, period, comparison, as-of date and "3 / 12".

How: fpdf2 lays out the pages in Pretendard GOV (the TrueType of `lib.fonts`, embedded as
a subset) and reserves a box per chart; vl-convert draws each chart as a one-page vector
PDF (its text in the same font, embedded); pypdf then places each chart's page in its box
(`merge_transformed_page`), scaled, never rasterised. fpdf2 cannot read vl-convert's SVG.

Layout rules: a heading is never the last thing on a page (it moves with what follows);
a table that does not fit continues on the next page under its repeated header row; a
chart, its title and a definition are never split.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, WrapMode, XPos, YPos

from lib import fonts
from lib.i18n import t
from lib.review import render
from lib.review.model import Figure, Review, Section

PAGE_W, PAGE_H = 841.89, 595.28  # A4 landscape in points
MARGIN = 36.0
FOOTER_H = 28.0  # room the footer takes above the bottom margin
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = MARGIN + FOOTER_H  # auto page break: content ends here above the page's edge
GAP = 20.0  # between the two charts of a row
CHART_W = (CONTENT_W - GAP) / 2
FAMILY = "PretendardGOV"
MIN_SHRINK = 0.85  # a chart's 12 px text stays above 10 pt

# KRDS colours (DEVELOPERS.md "Design tokens"): text, subtle text, primary, borders, tint.
TEXT = (0x1E, 0x21, 0x24)
SUBTLE = (0x46, 0x4C, 0x53)
PRIMARY = (0x0B, 0x50, 0xD0)
BORDER = (0xCD, 0xD1, 0xD5)
TINT = (0xF4, 0xF5, 0xF6)


@dataclass
class _Placement:
    """A chart's vector page and the box (top-left origin, points) it goes in."""

    page: int  # 1-based page number in fpdf2's document
    x: float
    y: float
    scale: float
    chart: bytes  # a one-page PDF


class _Document(FPDF):
    def __init__(self, review: Review) -> None:
        super().__init__(orientation="L", unit="pt", format="A4")
        self.review = review
        self.footer_line = render.footer_text(review)
        self.placements: list[_Placement] = []
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.add_font(FAMILY, "", str(fonts.ttf_path(400)))
        self.add_font(FAMILY, "B", str(fonts.ttf_path(700)))
        self.set_font(FAMILY, size=11)
        self.set_text_color(*TEXT)
        self.set_lang(review.lang)
        self.set_title(render.title(review))
        self.set_author(review.made_by)
        self.set_creator(t("app.name", review.lang))
        self.set_subject(self.footer_line)
        self.set_creation_date(review.made_at)

    def footer(self) -> None:
        """Scope, period, comparison and as-of on the left, "3 / 12" on the right."""
        self.set_y(-(MARGIN + FOOTER_H) + 10)
        self.set_draw_color(*BORDER)
        self.set_line_width(0.5)
        self.line(MARGIN, self.get_y(), PAGE_W - MARGIN, self.get_y())
        self.set_y(self.get_y() + 4)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*SUBTLE)
        number = t("report.page", self.review.lang, page=self.page_no(), total="{nb}")
        number_w = 60.0
        self.cell(CONTENT_W - number_w, 12, self.footer_line, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(number_w, 12, number, align=Align.R)
        self.set_text_color(*TEXT)

    # ---- small building blocks ---------------------------------------------------------

    def space_left(self) -> float:
        return self.h - BOTTOM - self.get_y()

    def text_height(self, text: str, size: float, width: float, line: float, bold=False) -> float:
        self.set_font(FAMILY, "B" if bold else "", size)
        lines = self.multi_cell(width, line, text, dry_run=True, output="LINES")
        return len(lines) * line

    def paragraph(self, text: str, size: float, line: float, colour=TEXT, bold=False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(
            0, line, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
            wrapmode=WrapMode.WORD,
        )  # fmt: skip
        self.set_text_color(*TEXT)

    def heading(self, text: str, size: float, keep: float, colour=PRIMARY) -> None:
        """A heading that moves to the next page with the `keep` points that follow it."""
        height = self.text_height(text, size, CONTENT_W, size * 1.4, bold=True) + 6
        if self.get_y() > self.t_margin + 1 and height + keep > self.space_left():
            self.add_page()
        self.paragraph(text, size, size * 1.4, colour=colour, bold=True)
        self.ln(6)


# ---- pages --------------------------------------------------------------------------------


def _title_page(doc: _Document) -> None:
    review = doc.review
    lang = review.lang
    doc.add_page()
    doc.set_fill_color(*PRIMARY)
    doc.rect(MARGIN, MARGIN, 6, 150, style="F")
    doc.set_xy(MARGIN + 22, MARGIN + 4)
    doc.set_font(FAMILY, "B", 14)
    doc.set_text_color(*PRIMARY)
    doc.cell(0, 20, t("report.kicker", lang), new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.ln(10)
    doc.set_x(MARGIN + 22)
    doc.set_font(FAMILY, "B", 32)
    doc.set_text_color(*TEXT)
    doc.multi_cell(CONTENT_W - 22, 42, render.title(review), align=Align.L, new_x=XPos.LMARGIN)
    doc.ln(6)
    doc.set_x(MARGIN + 22)
    doc.set_font(FAMILY, "", 16)
    doc.set_text_color(*SUBTLE)
    doc.cell(0, 24, render.period_text(review.period, lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_y(MARGIN + 200)
    label_w = 110.0
    for label, value in render.title_facts(review):
        doc.set_x(MARGIN + 22)
        doc.set_font(FAMILY, "", 12)
        doc.set_text_color(*SUBTLE)
        doc.cell(label_w, 24, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        doc.set_font(FAMILY, "B", 12)
        doc.set_text_color(*TEXT)
        doc.multi_cell(
            CONTENT_W - 22 - label_w, 24, value, align=Align.L, new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )  # fmt: skip
    if (note := render.partner_note(review)) is not None:
        doc.ln(16)
        doc.set_x(MARGIN + 22)
        doc.set_font(FAMILY, "", 10)
        doc.set_text_color(*SUBTLE)
        doc.multi_cell(CONTENT_W - 22, 15, note, align=Align.L, new_x=XPos.LMARGIN)
    doc.set_text_color(*TEXT)


def _summary_page(doc: FPDF, outline: list) -> None:
    """The summary and the contents; drawn last, when every section's page is known."""
    assert isinstance(doc, _Document)
    review = doc.review
    lang = review.lang
    doc.set_y(MARGIN)
    doc.heading(t("report.summary", lang), 20, 0)
    for sentence in review.summary:
        doc.paragraph(sentence, 13, 21)
        doc.ln(4)
    doc.ln(18)
    doc.heading(t("report.contents", lang), 14, 0, colour=TEXT)
    doc.set_font(FAMILY, "", 12)
    for entry in outline:
        if entry.level:
            continue
        doc.cell(CONTENT_W - 60, 22, entry.name, new_x=XPos.RIGHT, new_y=YPos.TOP,
                 link=doc.add_link(page=entry.page_number))  # fmt: skip
        doc.cell(60, 22, str(entry.page_number), align=Align.R, new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)  # fmt: skip


def _table(doc: _Document, section: Section) -> None:
    review = doc.review
    shown = render.columns(review, section)
    metric_w = 210.0 if len(shown) > 5 else 260.0
    other_w = (CONTENT_W - metric_w) / (len(shown) - 1)
    head = FontFace(family=FAMILY, emphasis="BOLD", size_pt=9.5, fill_color=TINT, color=SUBTLE)
    doc.set_font(FAMILY, "", 10.5)
    doc.set_fill_color(255, 255, 255)
    with doc.table(
        col_widths=(metric_w, *[other_w] * (len(shown) - 1)),
        width=CONTENT_W,
        align=Align.L,
        text_align=("LEFT", *["RIGHT"] * (len(shown) - 1)),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=head,
        line_height=15,
        padding=(4, 6, 4, 6),
        repeat_headings=1,
    ) as table:
        doc.set_draw_color(*BORDER)
        row = table.row()
        for text in render.headers(review, shown):
            row.cell(text)
        for fact in section.facts:
            row = table.row()
            for text in render.cells(review, fact, shown):
                row.cell(text)
    notes = render.table_notes(review, section)
    if notes:
        doc.ln(4)
        for note in notes:
            doc.paragraph(note, 8, 11, colour=SUBTLE)


def _render_charts(review: Review) -> dict[int, bytes]:
    """Every figure's chart as a vector PDF, two at a time (vl-convert releases the GIL)."""
    figures = [f for s in review.sections for f in s.figures if f.chart is not None]

    def draw(figure: Figure) -> bytes:
        return render.chart_pdf(figure.chart, CHART_W, review.lang)

    with ThreadPoolExecutor(max_workers=2) as pool:
        drawn = list(pool.map(draw, figures))
    return {id(f): pdf for f, pdf in zip(figures, drawn, strict=True)}


def _chart_size(chart: bytes) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(chart)).pages[0].mediabox
    return float(box.width), float(box.height)


def _figures(doc: _Document, section: Section, charts: dict[int, bytes]) -> None:
    """The section's charts, two in a row, each under its title; a row never split."""
    figures = [f for f in section.figures if id(f) in charts]
    if not figures:
        return
    doc.ln(10)
    title_h = 18.0
    full = doc.h - BOTTOM - doc.t_margin - title_h  # the most a chart may take
    for start in range(0, len(figures), 2):
        row = figures[start : start + 2]
        sized = []
        for figure in row:
            chart = charts[id(figure)]
            width, height = _chart_size(chart)
            scale = min(1.0, CHART_W / width, full / height)
            sized.append((figure, chart, scale, height * scale))
        row_h = title_h + max(h for *_, h in sized)
        if row_h > doc.space_left():
            # A little smaller keeps the charts with their section; much smaller would not
            # be readable, so they go to the next page instead.
            shrink = (doc.space_left() - title_h) / (row_h - title_h)
            if shrink >= MIN_SHRINK:
                sized = [(f, c, s * shrink, h * shrink) for f, c, s, h in sized]
                row_h = title_h + max(h for *_, h in sized)
            else:
                doc.add_page()
        top = doc.get_y()
        for n, (figure, chart, scale, _) in enumerate(sized):
            x = MARGIN + n * (CHART_W + GAP)
            doc.set_xy(x, top)
            doc.set_font(FAMILY, "B", 10.5)
            doc.cell(CHART_W, title_h - 4, figure.title, new_x=XPos.LEFT, new_y=YPos.NEXT)
            doc.placements.append(_Placement(doc.page_no(), x, top + title_h, scale, chart))
        doc.set_xy(MARGIN, top + row_h + 12)


def _definitions(doc: _Document, section: Section) -> None:
    items = render.definitions(doc.review, section)
    if not items:
        return
    lang = doc.review.lang
    doc.ln(6)
    first = doc.text_height(f"{items[0][0]}: {items[0][1]}", 8.5, CONTENT_W, 12)
    doc.heading(t("report.definitions", lang), 10.5, first, colour=SUBTLE)
    for label, definition in items:
        text = f"**{label}**: {definition}"
        height = doc.text_height(f"{label}: {definition}", 8.5, CONTENT_W, 12)
        if height > doc.space_left():
            doc.add_page()
        doc.set_font(FAMILY, "", 8.5)
        doc.set_text_color(*SUBTLE)
        doc.multi_cell(0, 12, text, align=Align.L, markdown=True, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)  # fmt: skip
        doc.ln(1)
    doc.set_text_color(*TEXT)


def _section(doc: _Document, section: Section, charts: dict[int, bytes]) -> None:
    if doc.get_y() > doc.t_margin + 1:  # a section starts a page (the first has a new one)
        doc.add_page()
    doc.start_section(section.title)
    summary = " ".join(section.summary)
    doc.heading(section.title, 20, 0)
    if summary:
        doc.paragraph(summary, 12, 19)
        doc.ln(8)
    if section.facts:
        _table(doc, section)
    _figures(doc, section, charts)
    _definitions(doc, section)


def _place_charts(document: bytes, placements: list[_Placement]) -> bytes:
    """Each chart's vector page merged into its box; returns the finished PDF."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    touched = set()
    for p in placements:
        chart = PdfReader(io.BytesIO(p.chart)).pages[0]
        height = float(chart.mediabox.height) * p.scale
        page = writer.pages[p.page - 1]
        page_h = float(page.mediabox.height)
        # fpdf2 measures from the top, PDF from the bottom.
        move = Transformation().scale(p.scale, p.scale).translate(p.x, page_h - p.y - height)
        page.merge_transformed_page(chart, move, expand=False)
        touched.add(p.page - 1)
    for index in touched:
        writer.pages[index].compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def review_pdf(review: Review) -> bytes:
    """The review as an A4 landscape PDF (bytes); charts as vectors, the font embedded."""
    charts = _render_charts(review)
    doc = _Document(review)
    _title_page(doc)
    doc.add_page()  # the placeholder reserves the page it is called on
    doc.insert_toc_placeholder(_summary_page, pages=1)
    for section in review.sections:
        _section(doc, section, charts)
    document = bytes(doc.output())
    if not doc.placements:
        return document
    return _place_charts(document, doc.placements)
