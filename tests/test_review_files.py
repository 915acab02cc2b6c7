"""The PDF report and the PowerPoint deck of a hand-made review (tests/review_sample.py).

The numbers are 테스트시's 온양1동 for 2024 against 2023, worked out by hand in
review_sample.py's docstring; these tests read them back out of the files (pypdf's text
extraction, python-pptx's shapes) in the pages' formats: 1,260만원, +200.0%, -25.0%p.
No database: the renderers draw whatever `Review` they are given.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from lib.review.deck import review_pptx
from lib.review.pdf import review_pdf
from lib.review.render import file_name
from tests.review_sample import sample_review

PERIOD = "2024년 (2024.01.01–2024.12.31)"
COMPARISON = "전기 2023년 (2023.01.01–2023.12.31)"


@pytest.fixture(scope="module")
def staff_pdf() -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(review_pdf(sample_review())))


@pytest.fixture(scope="module")
def partner_pdf() -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(review_pdf(sample_review(partner=True))))


@pytest.fixture(scope="module")
def staff_deck():
    return Presentation(io.BytesIO(review_pptx(sample_review())))


@pytest.fixture(scope="module")
def partner_deck():
    return Presentation(io.BytesIO(review_pptx(sample_review(partner=True))))


def lines(page: pypdf.PageObject) -> list[str]:
    return [line.strip() for line in page.extract_text().splitlines() if line.strip()]


def page_of(reader: pypdf.PdfReader, heading: str) -> pypdf.PageObject:
    """The page whose first line is `heading` (a section starts a page)."""
    for page in reader.pages:
        found = lines(page)
        if found and found[0] == heading:
            return page
    raise AssertionError(f"no page starts with {heading!r}")


# ---- PDF ------------------------------------------------------------------------------------


def test_every_page_is_a4_landscape(staff_pdf):
    # Title, summary, one page per section (사례관리, 후원, 사례공유).
    assert len(staff_pdf.pages) == 5
    for page in staff_pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(841.89, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(595.28, abs=0.5)


def _fonts(resources, found: list) -> None:
    """Every font of a resource dictionary and of the forms it draws, recursively."""
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        found.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts(xobject.get("/Resources"), found)


def test_pretendard_gov_is_the_one_font_and_it_is_embedded(staff_pdf):
    for number, page in enumerate(staff_pdf.pages, start=1):
        fonts: list = []
        _fonts(page.get("/Resources"), fonts)
        assert fonts, f"page {number} has no font"
        for font in fonts:
            assert "PretendardGOV" in str(font["/BaseFont"]), (number, font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, (number, font["/BaseFont"])  # TrueType, embedded


def test_the_title_page_says_what_the_report_is_about(staff_pdf):
    text = staff_pdf.pages[0].extract_text()
    for expected in (
        "온양1동 성과 보고서",
        "시 테스트시",
        "범위 온양1동",
        f"기간 {PERIOD}",
        f"비교 기간 {COMPARISON}",
        "기준일 2024.12.31",
        "작성 명령줄(tester)",
        "작성 시각 2025-01-06 09:30 KST",
    ):
        assert expected in text


def test_the_summary_page_has_the_sentences_and_the_contents(staff_pdf):
    found = lines(staff_pdf.pages[1])
    assert "요약" in found
    assert "2024년 온양1동의 발굴 가구는 6가구로 전기보다 4가구(200.0%) 늘었습니다." in found
    # The contents give each section's page: title page 1, summary 2, then 3, 4, 5.
    assert ["사례관리 3", "후원 4", "사례공유 5"] == [x for x in found if x[-1:].isdigit()][-3:]


def test_every_page_has_the_footer(staff_pdf):
    total = len(staff_pdf.pages)
    for number, page in enumerate(staff_pdf.pages, start=1):
        footer = [x for x in lines(page) if x.startswith("테스트시 · 온양1동 · ")]
        assert footer == [
            f"테스트시 · 온양1동 · 기간 {PERIOD} · 비교 {COMPARISON} · 기준일 2024.12.31 "
            f"{number} / {total}"
        ]


def test_the_metric_tables_hold_the_hand_worked_numbers(staff_pdf):
    caseload = lines(page_of(staff_pdf, "사례관리"))
    assert "지표 2024년 2023년 증감 증감률 시 전체 순위" in caseload
    # 6 against 2: +4, +200.0 %; the city 13; 1st of 3 per 1,000 households (*).
    assert "발굴 가구 6 2 +4 +200.0% 13 1위/3*" in caseload
    # No neighbourhood case closed in 2023: the median is undefined, "–", never 0.
    assert "종결 사례 관리기간(중앙값) 189.0일 – – – 167.0일 –" in caseload
    donations = lines(page_of(staff_pdf, "후원"))
    assert "모금액 370만원 100만원 +270만원 +270.0% 1,260만원 1위/3*" in donations
    sharing = lines(page_of(staff_pdf, "사례공유"))
    # A rate changes in percentage points and has no per cent; the city 5/7 = 71.4 %.
    assert "수락률 75.0% 100.0% -25.0%p – 71.4% 1위/2" in sharing


def test_each_section_has_its_summary_and_definitions(staff_pdf):
    caseload = lines(page_of(staff_pdf, "사례관리"))
    assert caseload[1] == "2024년 온양1동의 발굴 가구는 6가구로 전기보다 4가구(200.0%) 늘었습니다."
    assert "지표 정의" in caseload
    assert "발굴 가구: 기간 중 발굴일이 있는 사례 수" in caseload
    # The definitions come after the table on the same page, never before the heading.
    assert caseload.index("지표 정의") > caseload.index("발굴 가구 6 2 +4 +200.0% 13 1위/3*")


def test_charts_are_vectors_with_their_text(staff_pdf):
    page = page_of(staff_pdf, "사례관리")
    text = lines(page)
    # Both charts' titles and their axis texts are text in the PDF, not pixels.
    assert "월별 발굴 단계" in text
    assert text.count("사례(건)") == 2
    assert "1월 2월 3월" in text
    xobjects = page["/Resources"].get("/XObject") or {}
    assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]


def test_a_partner_report_hides_small_numbers_and_the_city(partner_pdf):
    caseload = lines(page_of(partner_pdf, "사례관리"))
    assert "지표 2024년 2023년 증감 증감률" in caseload
    assert "발굴 가구 6 <5 – –" in caseload  # no change worked out from a hidden number
    text = "\n".join(page.extract_text() for page in partner_pdf.pages)
    # No column of the city's values or ranks (the donations' definition says "시 전체에는").
    assert "증감률 시 전체" not in text and "순위" not in text and "위/" not in text
    assert "1,260만원" not in text and "71.4%" not in text
    assert "수락률 – 100.0% – –" in lines(page_of(partner_pdf, "사례공유"))
    assert "공유 링크 열람용: 1~4인 수는 '<5'로" in partner_pdf.pages[0].extract_text()


# ---- PowerPoint --------------------------------------------------------------------------------


def _table(slide):
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].table.rows]


def _slide(deck, title: str):
    for slide in deck.slides:
        if any(s.name == "title" and s.text_frame.text == title for s in slide.shapes):
            return slide
    raise AssertionError(f"no slide titled {title!r}")


def test_the_deck_is_16_9_with_a_slide_per_section(staff_deck):
    assert staff_deck.slide_width == Inches(13.333)
    assert staff_deck.slide_height == Inches(7.5)
    # Title, summary, 사례관리, 후원, 사례공유.
    assert len(staff_deck.slides) == 5


def test_the_tables_are_real_tables_with_the_numbers(staff_deck):
    assert _table(_slide(staff_deck, "사례관리")) == [
        ["지표", "2024년", "2023년", "증감", "증감률", "시 전체", "순위"],
        ["발굴 가구", "6", "2", "+4", "+200.0%", "13", "1위/3*"],
        ["종결 사례 관리기간(중앙값)", "189.0일", "–", "–", "–", "167.0일", "–"],
    ]
    assert _table(_slide(staff_deck, "후원"))[1] == [
        "모금액", "370만원", "100만원", "+270만원", "+270.0%", "1,260만원", "1위/3*",
    ]  # fmt: skip
    assert _table(_slide(staff_deck, "사례공유"))[1] == [
        "수락률", "75.0%", "100.0%", "-25.0%p", "–", "71.4%", "1위/2",
    ]  # fmt: skip


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_slides_have_summary_chart_definitions_and_footer(staff_deck):
    total = len(staff_deck.slides)
    for number, slide in enumerate(staff_deck.slides, start=1):
        texts = _texts(slide)
        assert (
            f"테스트시 · 온양1동 · 기간 {PERIOD} · 비교 {COMPARISON} · 기준일 2024.12.31" in texts
        )
        assert f"{number} / {total}" in texts
    caseload = _slide(staff_deck, "사례관리")
    texts = _texts(caseload)
    assert "2024년 온양1동의 발굴 가구는 6가구로 전기보다 4가구(200.0%) 늘었습니다." in texts
    assert "월별 발굴" in texts  # the first chart's title, and the chart as a picture
    pictures = [s for s in caseload.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert any("발굴 가구: 기간 중 발굴일이 있는 사례 수" in text for text in texts)
    # A section without a chart has none.
    sharing = _slide(staff_deck, "사례공유")
    assert not [s for s in sharing.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    title = _texts(staff_deck.slides[0])
    for expected in ("온양1동 성과 보고서", "테스트시", PERIOD, COMPARISON, "2024.12.31"):
        assert expected in title
    assert "명령줄(tester)" in title and "2025-01-06 09:30 KST" in title


def _runs(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    yield from paragraph.runs


def test_every_run_is_set_in_pretendard_gov(staff_deck):
    runs = list(_runs(staff_deck))
    assert len(runs) > 50
    for run in runs:
        r_pr = run._r.find(qn("a:rPr"))
        assert run.font.name == "Pretendard GOV", run.text
        assert r_pr.find(qn("a:ea")).get("typeface") == "Pretendard GOV", run.text


def _box(shape) -> tuple[float, float, float, float]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def test_nothing_leaves_the_slide_or_overlaps(staff_deck, partner_deck):
    for deck in (staff_deck, partner_deck):
        for number, slide in enumerate(deck.slides, start=1):
            boxes = []
            for shape in slide.shapes:
                left, top, right, bottom = _box(shape)
                assert left >= 0 and top >= 0, (number, shape.name)
                assert right <= deck.slide_width and bottom <= deck.slide_height, (
                    number,
                    shape.name,
                )
                if shape.shape_type != MSO_SHAPE_TYPE.LINE and shape.name != "Rectangle 1":
                    boxes.append((shape.name, (left, top, right, bottom)))
            for i, (name, a) in enumerate(boxes):
                for other, b in boxes[i + 1 :]:
                    apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                    assert apart, (number, name, other)


def test_a_partner_deck_hides_small_numbers_and_the_city(partner_deck):
    assert _table(_slide(partner_deck, "사례관리"))[:2] == [
        ["지표", "2024년", "2023년", "증감", "증감률"],
        ["발굴 가구", "6", "<5", "–", "–"],
    ]
    every = " ".join(run.text for run in _runs(partner_deck))
    assert "순위" not in every and "위/" not in every and "1,260만원" not in every


def test_the_file_name_names_scope_and_period():
    review = sample_review()
    assert file_name(review, "pdf") == "잇다_보고서_온양1동_2024.pdf"
    assert file_name(sample_review(lang="en"), "pptx") == "Itda_report_온양1동_2024.pptx"
    assert re.fullmatch(r"[^/\\:*?\"<>| ]+", file_name(review, "pptx"))
