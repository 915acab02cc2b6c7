"""The report page and the pages' report buttons (AppTest on 테스트시, SQLite and PostgreSQL).

The downloads are deferred (made when clicked); AppTest cannot click them, so these
tests catch the callables Streamlit registers (`MediaFileManager.add_deferred`) and run
them, as Streamlit's server does on a click, then read the files.

Hand-worked numbers: the city, 2024 against 2023 (prev): discovered 13 (test_metrics_fixture)
against C01 C02 C09 C10 C11 = 5 → +8, +160.0 %. 송악면 (C) under its own link, 2024:
discovered 1 → "<5", as its page shows (tests/test_app_access.py).
"""

from __future__ import annotations

import io

import pypdf
import pytest
import sqlalchemy as sa
from pptx import Presentation
from streamlit.runtime.media_file_manager import MediaFileManager

from lib.models import AuditEvent
from tests.fixture_city import A, C
from tests.test_app_access import make_link, page_text, run


@pytest.fixture
def app_db(city_url, monkeypatch):
    from lib.db import engine_for

    monkeypatch.setenv("ITDA_SHARE_SECRET", "t" * 40)
    for name in ("ITDA_ACCESS_MODE", "ITDA_SMALL_COUNT_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    return engine_for(city_url)


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """file name → the deferred callable the last run registered for it (reports only: the
    charts' and tables' own downloads are tests/browser/test_downloads.py's)."""
    found: dict = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, callable_, mimetype, coordinates, file_name=None, **kw):
        if file_name and ("_보고서_" in file_name or "_report_" in file_name):
            found[file_name] = (callable_, mimetype)
        return original(self, callable_, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


REPORT_LABELS = ("PDF 내려받기", "파워포인트 내려받기", "Download PDF", "Download PowerPoint")


def labels(at) -> list[str]:
    """The report downloads' labels (every chart and table has downloads of its own)."""
    return [b.label for b in at.get("download_button") if b.label in REPORT_LABELS]


def report_events(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(AuditEvent.actor, AuditEvent.link_id, AuditEvent.scope, AuditEvent.detail)
            .where(AuditEvent.action == "report")
            .order_by(AuditEvent.id)
        ).all()
    return [tuple(row) for row in rows]


def test_staff_choose_the_city_a_neighbourhood_or_an_agency(app_db, downloads):
    at = run("report", period="2024")
    assert [e.value for e in at.title] == ["보고서 내려받기"]
    kind = at.radio(key="report_kind")
    assert kind.options == ["시 전체", "읍면동", "기관"]
    assert at.radio(key="report_format").options == ["PDF (A4 가로)", "파워포인트 (16:9)"]
    assert labels(at) == ["PDF 내려받기"]
    make, mime = downloads["잇다_보고서_테스트시_전체_2024.pdf"]
    assert mime == "application/pdf"
    text = pdf_text(make())
    assert "테스트시 전체 성과 보고서" in text
    assert "발굴 가구 13 5 +8 +160.0%" in text
    assert report_events(app_db) == [("open-mode visitor", None, "city", "pdf 2024 prev")]

    kind.set_value("neighbourhood").run()
    hoods = at.selectbox(key="report_neighbourhood")
    assert hoods.options == ["온양1동", "배방읍", "송악면"]
    at.radio(key="report_format").set_value("pptx").run()
    assert labels(at) == ["파워포인트 내려받기"]
    make, _ = downloads["잇다_보고서_온양1동_2024.pptx"]
    deck = Presentation(io.BytesIO(make()))
    cells = [c.text for s in deck.slides for sh in s.shapes if sh.has_table
             for r in sh.table.rows for c in r.cells]  # fmt: skip
    assert "온양1동" not in cells  # the deck's tables hold metrics, not names
    assert {"발굴 가구", "6", "2", "+4", "+200.0%", "13", "1위/3*"} <= set(cells)

    at.radio(key="report_kind").set_value("agency").run()
    assert at.selectbox(key="report_agency").options[:2] == [
        "희망복지지원단",
        "온양1동 행정복지센터",
    ]


def test_pages_have_a_report_button_for_their_scope(app_db, downloads):
    at = run(f"nb-{A}", period="2024")
    assert labels(at) == ["PDF 내려받기", "파워포인트 내려받기"]
    assert {"잇다_보고서_온양1동_2024.pdf", "잇다_보고서_온양1동_2024.pptx"} <= set(downloads)
    downloads.clear()
    run("city-overview", period="2024-H1")
    assert set(downloads) == {
        "잇다_보고서_테스트시_전체_2024-H1.pdf",
        "잇다_보고서_테스트시_전체_2024-H1.pptx",
    }
    downloads.clear()
    run("agency-AG03", period="2024", lang="en")
    assert "Itda_report_테스트종합사회복지관_2024.pdf" in downloads
    for page in ("case-sharing", "city-donations"):
        downloads.clear()
        run(page, period="2024")
        assert "잇다_보고서_테스트시_전체_2024.pdf" in downloads, page


def test_a_partner_reports_on_its_own_scope_only(app_db, downloads):
    link, token = make_link(app_db, neighbourhood_codes=[C], label="송악면 추진단")
    at = run("report", share=token, period="2024")
    assert [e.value for e in at.title] == ["보고서 내려받기"]
    assert at.radio(key="report_kind").options == ["읍면동"]
    assert at.selectbox(key="report_neighbourhood").options == ["송악면"]
    text = page_text(at)
    assert "온양1동" not in text and "배방읍" not in text and "시 전체" not in text
    assert list(downloads) == ["잇다_보고서_송악면_2024.pdf"]
    make, _ = downloads["잇다_보고서_송악면_2024.pdf"]
    report = pdf_text(make())
    assert "송악면 성과 보고서" in report
    assert "작성 송악면 열람용 · 송악면 추진단 · " in report  # the partner's watermark
    assert "발굴 가구 <5 " in report
    assert "위/" not in report and "온양1동" not in report and "1,260만원" not in report
    assert report_events(app_db) == [(f"link:{link.id}", link.id, f"nb:{C}", "pdf 2024 prev")]
    # Its own page's button makes the same report.
    downloads.clear()
    run(share=token, period="2024")
    assert set(downloads) == {"잇다_보고서_송악면_2024.pdf", "잇다_보고서_송악면_2024.pptx"}


def test_an_agency_link_reports_on_its_agency(app_db, downloads):
    _, token = make_link(app_db, agency_code="AG05", label="정신건강 공유")
    at = run("report", share=token, period="2024")
    assert at.radio(key="report_kind").options == ["기관"]
    assert at.selectbox(key="report_agency").options == ["테스트정신건강복지센터"]
    make, _ = downloads["잇다_보고서_테스트정신건강복지센터_2024.pdf"]
    report = pdf_text(make())
    # Received R03 R06 R09 = 3 → "<5"; its acceptance over 2 answers is withheld.
    assert "수신 건수 <5 " in report
    assert "수락률 – " in report
