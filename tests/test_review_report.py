"""Reports made from the database: `python -m lib.cli report` and `make_report`, on
테스트시 (tests/fixture_city.py), SQLite and PostgreSQL.

Expected numbers are worked out by hand from the fixture's tables (2024 values as
tests/test_metrics_fixture.py works them out; the comparison periods below), then read
back out of the files: pypdf's text extraction, python-pptx's tables.

- 온양1동 (A), 2024 against 2023 (prev):
  discovered 2024 C03–C08 = 6; 2023 C01 (08-01), C02 (10-05) = 2 → +4, +200.0 %; city 13;
  per 1,000 households A 6.0, B 3.0, C 2.0 → 1st of 3.
  donations 2024 D02 + D03 + D04 = 3,700,000 (370만원); 2023 D01 1,000,000 (100만원)
  → +270만원, +270.0 %; city 12,600,000 (1,260만원); per 1,000 households A 3,700,000,
  B 1,800,000, C 0 → 1st of 3.
  acceptance 2024 R02 R03 R05 of R02–R05 = 75.0 %; 2023 R01 of R01 = 100.0 % → -25.0 %p;
  city 5/7 = 71.4 %; A 75.0, B 66.7, C none → 1st of 2.
- The city, 2024-H1 against 2023-H2 (prev): discovered 6 against C01 C02 C09 C10 C11 = 5
  → +1, +20.0 %; donations 10,600,000 (1,060만원) against D01 + D10 = 1,400,000 (140만원)
  → +920만원, +657.1 % (9,200,000 / 1,400,000 = 6.5714…).
- AG03 (테스트종합사회복지관), 2024 against 2023: received R02 R05 R11 R13 = 4 against
  R01 R07 = 2 → +2, +100.0 %; sent R10 R12 = 2 against none = 0 → +2, no per cent.
- 송악면 (C) through its own share link, 2024: discovered 1 → "<5"; visited 25;
  found on visits 1 → "<5" (tests/test_app_access.py shows the same on its page).
"""

from __future__ import annotations

import io
import os

import pypdf
import pytest
import sqlalchemy as sa
from pptx import Presentation

from lib.cli import main
from lib.ingest.importer import os_user
from lib.models import AuditEvent
from lib.period import Period
from lib.review import report as report_module
from lib.review.report import ReportRequest, make_report
from lib.scope import Scope
from tests.fixture_city import A, C, load_fixture_city


@pytest.fixture
def url(db_url, engine, monkeypatch):
    """A database holding the fixture city; the settings at their defaults."""
    for setting in ("ITDA_CITY_NAME", "ITDA_RESPONSE_LIMIT_DAYS", "ITDA_SMALL_COUNT_THRESHOLD"):
        monkeypatch.delenv(setting, raising=False)
    with engine.begin() as conn:
        load_fixture_city(conn)
    return db_url


@pytest.fixture
def out(tmp_path):
    """An empty folder for the reports (the SQLite database lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(url, capsys, *args, lang="ko"):
    """(exit code, stderr) of `python -m lib.cli --lang L report ARGS`."""
    code = main(["--database-url", url, "--lang", lang, "report", *args])
    return code, capsys.readouterr().err


def pdf_lines(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [
        line.strip()
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def deck_tables(path) -> list[list[list[str]]]:
    deck = Presentation(str(path))
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
    ]


def test_a_neighbourhood_s_pdf(url, engine, capsys, out):
    target = out / "온양1동.pdf"
    code, err = run(
        url, capsys, "--scope", A, "--period", "2024", "--format", "pdf", "-o", str(target)
    )
    assert code == 0, err
    assert err.startswith(f"보고서를 저장했습니다: {target} (")
    lines = pdf_lines(target)
    assert "온양1동 성과 보고서" in lines
    assert f"작성 명령줄({os_user()})" in lines
    assert "비교 기간 전기 2023년 (2023.01.01–2023.12.31)" in lines
    assert "발굴 가구 6 2 +4 +200.0% 13 1위/3*" in lines
    assert "모금액 370만원 100만원 +270만원 +270.0% 1,260만원 1위/3*" in lines
    assert "수락률 75.0% 100.0% -25.0%p – 71.4% 1위/2" in lines
    # Audited once the file was written, as the operator.
    with engine.connect() as conn:
        event = conn.execute(
            sa.select(AuditEvent.actor, AuditEvent.role, AuditEvent.scope, AuditEvent.detail).where(
                AuditEvent.action == "report"
            )
        ).one()
    assert tuple(event) == (f"cli:{os_user()}", "cli", f"nb:{A}", "pdf 2024 prev")


def test_the_city_s_deck(url, capsys, out):
    target = out / "city.pptx"
    code, err = run(url, capsys, "--scope", "city", "--period", "2024-H1", "-o", str(target))
    assert code == 0, err
    headline = deck_tables(target)[0]
    # The city's own review: no column of the city's value or rank.
    assert headline[0] == ["지표", "2024년 상반기", "2023년 하반기", "증감", "증감률"]
    assert ["발굴 가구", "6", "5", "+1", "+20.0%"] in headline
    assert ["모금액", "1,060만원", "140만원", "+920만원", "+657.1%"] in headline


def test_an_agency_in_english_with_a_year_earlier(url, capsys, out):
    target = out / "ag03.pdf"
    code, err = run(
        url, capsys, "--agency", "AG03", "--period", "2024", "--compare", "yoy", "-o",
        str(target), "--lang", "en", lang="ko",
    )  # fmt: skip
    assert code == 0, err
    assert err.startswith("Report written: ")
    lines = pdf_lines(target)
    assert "Performance review: 테스트종합사회복지관" in lines
    assert "Compared with same period last year 2023 (2023.01.01–2023.12.31)" in lines
    assert "Referrals received 4 2 +2 +100.0%" in lines
    assert "Referrals sent 2 0 +2 –" in lines


def test_scope_and_agency_are_exclusive(url, capsys, out):
    target = out / "x.pdf"
    with pytest.raises(SystemExit) as exit_:
        main(["--database-url", url, "report", "--scope", A, "--agency", "AG03", "-o", str(target)])
    assert exit_.value.code == 2
    assert "--scope 와 --agency 는 함께 쓸 수 없습니다" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "ko", "en"),
    [
        (["--scope", "9999999999"], "알 수 없는 읍면동 코드입니다: '9999999999'.", "Unknown neighbourhood code"),
        (["--agency", "AG99"], "알 수 없는 기관 코드입니다: 'AG99'.", "Unknown agency code: 'AG99'."),
        (["--period", "2024-H3"], "기간을 이해할 수 없습니다: '2024-H3'.", "Invalid period '2024-H3'"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_the_user_s_language(url, capsys, out, args, ko, en):
    target = out / "report.pdf"
    base = ["--period", "2024"] if "--period" not in args else []
    code, err = run(url, capsys, *base, *args, "-o", str(target))
    assert code == 2 and ko in err and "Traceback" not in err
    code, err = run(url, capsys, *base, *args, "-o", str(target), lang="en")
    assert code == 2 and en in err
    assert os.listdir(out) == []  # nothing written, not even a partial file


def test_an_unwritable_target_is_refused_before_any_work(url, capsys, out):
    code, err = run(url, capsys, "--period", "2024", "-o", str(out / "nope" / "r.pdf"))
    assert (code, err.strip()) == (2, f"저장할 폴더가 없습니다: {out / 'nope'}")
    code, err = run(url, capsys, "--period", "2024", "--format", "pdf", "-o", str(out))
    assert (code, err.strip()) == (2, f"-o 에는 파일 이름을 쓰세요. 폴더입니다: {out}")
    code, err = run(url, capsys, "--period", "2024", "--format", "pdf", "-o", str(out / "r.pptx"))
    assert code == 2 and "확장자(.pptx)가 형식(pdf)과 다릅니다" in err
    code, err = run(url, capsys, "--period", "2024", "-o", str(out / "r.txt"))
    assert code == 2 and "--format pdf" in err
    if os.geteuid() != 0:  # root writes anywhere
        locked = out / "locked"
        locked.mkdir(mode=0o500)
        code, err = run(url, capsys, "--period", "2024", "-o", str(locked / "r.pdf"))
        assert code == 2 and "권한" in err
    assert sorted(p.name for p in out.iterdir()) == (["locked"] if os.geteuid() else [])


def test_a_failure_leaves_the_old_file_and_no_partial_one(url, capsys, out, monkeypatch):
    target = out / "report.pdf"
    target.write_bytes(b"the report of last week")

    def broken(review, fmt):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_module, "render_review", broken)
    code, err = run(url, capsys, "--period", "2024", "-o", str(target))
    assert code == 1 and "No space left on device" in err
    assert target.read_bytes() == b"the report of last week"
    assert [p.name for p in out.iterdir()] == ["report.pdf"]


def test_writing_goes_through_a_temporary_file(url, capsys, out, monkeypatch):
    # Interrupted while writing: the target is untouched and the partial file removed.
    from lib.review import command

    target = out / "report.pptx"

    def interrupted(src, dst):
        assert os.path.dirname(src) == str(out) and os.path.getsize(src) > 0
        raise KeyboardInterrupt

    monkeypatch.setattr(command.os, "replace", interrupted)
    code, _ = run(url, capsys, "--period", "2024", "-o", str(target))
    assert code == 130
    assert list(out.iterdir()) == []


def test_a_partner_s_report_is_made_from_its_scope(url, engine):
    request = ReportRequest(
        kind="neighbourhood",
        code=C,
        period=Period.year(2024),
        compare="prev",
        scope=Scope(neighbourhood_codes=(C,), partner_view=True),
        lang="ko",
        made_by="송악면 열람용 · 송악면 추진단",
        response_limit_days=7,
        city_name="테스트시",
        fmt="pdf",
    )
    data = make_report(engine, request, actor="link:abc", role="partner", link_id="abc")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [line.strip() for line in text.splitlines()]
    assert "송악면 성과 보고서" in lines
    assert any(line.startswith("발굴 가구 <5 ") for line in lines)
    assert any(line.startswith("방문 세대 25 ") for line in lines)
    assert any(line.startswith("방문 발굴 세대 <5 ") for line in lines)
    # Nothing of the city: no city column, no rank, no other neighbourhood.
    assert "증감률 시 전체" not in text and "순위" not in text and "위/" not in text
    assert "온양1동" not in text and "배방읍" not in text and "1,260만원" not in text
    # The partner's deck likewise.
    deck = make_report(engine, dataclass_replace(request, fmt="pptx"), actor="link:abc",
                       role="partner", link_id="abc")  # fmt: skip
    cells = [
        cell.text
        for slide in Presentation(io.BytesIO(deck)).slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "<5" in cells and "시 전체" not in cells and "순위" not in cells
    with engine.connect() as conn:
        events = conn.execute(
            sa.select(AuditEvent.actor, AuditEvent.link_id, AuditEvent.scope, AuditEvent.detail)
            .where(AuditEvent.action == "report")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(e) for e in events] == [
        ("link:abc", "abc", f"nb:{C}", "pdf 2024 prev"),
        ("link:abc", "abc", f"nb:{C}", "pptx 2024 prev"),
    ]


def dataclass_replace(request, **changes):
    import dataclasses

    return dataclasses.replace(request, **changes)
