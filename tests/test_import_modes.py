"""Import semantics: upsert by id, idempotence, replace mode, dry run, the log, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import openpyxl
import sqlalchemy as sa

import lib.ingest.importer as importer
import lib.ingest.validate as validate
from lib.cli import main
from lib.ingest.importer import import_path
from lib.models import ImportLog
from tests.test_import_workbooks import (
    BASE_ROWS,
    D,
    base,
    import_sheets,
    row_counts,
    snapshot,
    write_csv_folder,
    write_xlsx,
)

TOTAL = sum(BASE_ROWS.values())  # 2+2+2+1+1+1+1+1+1+1 = 13 rows


def _counts(result) -> dict[str, tuple]:
    return {k: (c.new, c.changed, c.unchanged, c.deleted) for k, c in result.counts.items()}


def _log(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(ImportLog).order_by(ImportLog.id)).all()


def test_importing_the_same_workbook_twice_changes_nothing(engine, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", base())
    first = import_path(engine, path)
    before = snapshot(engine)
    second = import_path(engine, path)
    assert second.ok
    assert {k: c[:3] for k, c in _counts(first).items()} == {
        k: (n, 0, 0) for k, n in BASE_ROWS.items()
    }
    assert _counts(second) == {k: (0, 0, n, None) for k, n in BASE_ROWS.items()}
    assert snapshot(engine) == before


def test_upsert_updates_changed_rows_and_keeps_missing_ones(engine, tmp_path):
    import_sheets(engine, tmp_path, base(), "first.xlsx")
    later = base()
    later["사례"][2][4] = "위기"  # C2: 일반 -> 위기
    later["목표"][1][3] = 25000000  # the city's target changes
    later["목표"].append([2024, "0042", "donations_krw", 3000000])  # a new neighbourhood target
    del later["후원"]  # absent sheet: its rows are kept in upsert mode
    result = import_sheets(engine, tmp_path, later, "later.xlsx")
    assert result.ok
    counts = _counts(result)
    assert counts["cases"] == (0, 1, 1, None)
    assert counts["targets"] == (1, 1, 0, None)
    assert "donations" not in counts
    tables = snapshot(engine)
    assert [r[4] for r in tables["welfare_case"]] == ["고위험", "위기"]
    assert sorted(tables["target"], key=str) == sorted(
        [(2024, None, "donations_krw", 25000000.0), (2024, "0042", "donations_krw", 3000000.0)],
        key=str,
    )
    assert len(tables["donation"]) == 1


def test_replace_mode_makes_the_database_equal_to_the_workbook(engine, tmp_path):
    import_sheets(engine, tmp_path, base(), "first.xlsx")
    book = base()
    # Move everything off neighbourhood 1111051500 and drop it: stored rows that pointed
    # at it are updated before it is deleted, so no reference dangles on the way.
    for sheet, column in (
        ("협업기관", 4),
        ("사례", 1),
        ("후원", 1),
        ("찾아가는방문", 1),
        ("자활참여", 1),
    ):
        for row in book[sheet][1:]:
            if row[column] == "1111051500":
                row[column] = "0042"
    del book["읍면동"][1]
    del book["사례"][2]  # C2 is gone
    del book["목표"]  # an absent sheet is emptied in replace mode
    result = import_sheets(engine, tmp_path, book, "replace.xlsx", replace=True)
    assert result.ok, result.problems
    counts = _counts(result)
    assert counts["neighbourhoods"] == (0, 0, 1, 1)
    assert counts["cases"] == (0, 1, 0, 1)  # C1 moved (changed), C2 deleted
    assert counts["agencies"] == (0, 1, 1, 0)
    assert counts["targets"] == (0, 0, 0, 1)
    tables = snapshot(engine)
    assert [r[0] for r in tables["neighbourhood"]] == ["0042"]
    assert [r[0] for r in tables["welfare_case"]] == ["C1"]
    assert tables["target"] == []
    assert row_counts(engine)["service"] == 1


def test_replace_with_the_same_workbook_deletes_nothing(engine, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", base())
    import_path(engine, path)
    result = import_path(engine, path, replace=True)
    assert _counts(result) == {k: (0, 0, n, 0) for k, n in BASE_ROWS.items()}


def test_dry_run_previews_without_writing_or_logging(engine, tmp_path):
    import_sheets(engine, tmp_path, base(), "first.xlsx")
    before = snapshot(engine)
    book = base()
    book["사례"][1][4] = "위기"
    book["사례"].append(
        ["C3", "0042", D(2024, 6, 1), "기타", "일반", "기타", None, None, None, None, None, None]
    )
    del book["목표"]
    result = import_sheets(engine, tmp_path, book, "dry.xlsx", replace=True, dry_run=True)
    assert result.ok
    assert _counts(result)["cases"] == (1, 1, 1, 0)
    assert _counts(result)["targets"] == (0, 0, 0, 1)
    assert snapshot(engine) == before
    assert len(_log(engine)) == 1  # only the first, real import


def test_import_log_records_ok_and_rejected_imports(engine, tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", base())
    import_path(engine, path, user="kim")
    bad = base()
    bad["사례"][1][2] = "어제"
    bad["사례"][2][3] = "전화"
    bad_path = write_xlsx(tmp_path / "bad.xlsx", bad)
    import_path(engine, bad_path, replace=True)
    ok, rejected = _log(engine)
    assert ok.imported_by == "kim" and ok.file_name == "ok.xlsx" and ok.mode == "upsert"
    assert ok.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(ok.rows_per_sheet) == BASE_ROWS
    assert (ok.outcome, ok.problem_count) == ("ok", 0)
    stamp = ok.imported_at  # UTC: naive on SQLite, aware on PostgreSQL
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    assert abs(stamp - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=1)
    assert rejected.imported_by  # the OS user when --user is not given
    assert (rejected.outcome, rejected.problem_count, rejected.mode) == ("rejected", 2, "replace")
    assert rejected.content_hash == hashlib.sha256(bad_path.read_bytes()).hexdigest()


def test_a_failure_while_writing_rolls_everything_back(engine, tmp_path, monkeypatch):
    import_sheets(engine, tmp_path, base(), "first.xlsx")
    before = snapshot(engine)
    book = base()
    book["사례"][2][4] = "위기"

    def half_then_fail(conn, spec, staged, rows, kept=frozenset()):
        conn.execute(sa.text("DELETE FROM disbursement"))  # a partial write …
        raise RuntimeError("disk full")  # … then the failure

    monkeypatch.setattr(importer, "upsert_rows", half_then_fail)
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert result.outcome == "failed"
    assert str(result.failure) == "disk full"
    assert snapshot(engine) == before
    assert [r.outcome for r in _log(engine)] == ["ok", "failed"]


# ---- the CLI --------------------------------------------------------------------------------


def test_cli_rejects_with_every_problem_a_summary_and_a_report(db_url, tmp_path, capsys):
    book = base()
    book["사례"][1][2] = "2024-13-01"
    book["사례사례"] = [["x"]]
    path = write_xlsx(tmp_path / "bad.xlsx", book)
    report = tmp_path / "problems.xlsx"
    code = main(["--database-url", db_url, "import", str(path), "--report", str(report)])
    err = capsys.readouterr().err
    assert code == 1
    assert '오류  [사례] 2행 발굴일 "2024-13-01": 날짜가 아닙니다' in err
    assert "경고  [사례사례]: 알 수 없는 시트라서 무시합니다." in err
    assert err.strip().splitlines()[-1] == (
        "가져오기 거부: 오류 1건, 경고 1건. 아무것도 저장하지 않았습니다. 모든 문제를 고친 뒤 다시 가져오세요."
    )
    rows = list(openpyxl.load_workbook(report).active.values)
    assert rows[0] == ("구분", "시트", "행", "열", "값", "사유", "코드")
    assert rows[1:] == [
        ("경고", "사례사례", None, None, None, "알 수 없는 시트라서 무시합니다.", "unknown_sheet"),
        ("오류", "사례", 2, "발굴일", "2024-13-01",
         "날짜가 아닙니다 (YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD 또는 날짜 셀).", "bad_date"),
    ]  # fmt: skip


def test_cli_in_english_with_dry_run_and_replace(db_url, tmp_path, capsys):
    path = write_xlsx(tmp_path / "b.xlsx", base())
    assert main(["--database-url", db_url, "import", str(path)]) == 0
    capsys.readouterr()
    book = base()
    del book["목표"]
    path = write_xlsx(tmp_path / "c.xlsx", book)
    code = main(
        ["--database-url", db_url, "--lang", "en", "import", str(path), "--replace", "--dry-run"]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "Sheets absent from the workbook are emptied: targets." in out
    assert out.splitlines()[1].split() == [
        "Sheet",
        "Rows",
        "New",
        "Changed",
        "Unchanged",
        "Deleted",
    ]
    assert out.splitlines()[-1].split() == ["targets", "0", "0", "0", "0", "1"]
    assert (
        err.strip()
        == "Dry run (nothing written): 0 new, 0 changed, 12 unchanged, 1 deleted. 0 warning(s)."
    )


def test_cli_report_in_english(db_url, tmp_path):
    book = base()
    book["후원"][1][6] = 0
    report = tmp_path / "p.xlsx"
    path = write_xlsx(tmp_path / "bad.xlsx", book)
    assert (
        main(
            ["--database-url", db_url, "--lang", "en", "import", str(path), "--report", str(report)]
        )
        == 1
    )
    rows = list(openpyxl.load_workbook(report).active.values)
    assert rows == [
        ("Severity", "Sheet", "Row", "Column", "Value", "Reason", "Code"),
        ("error", "후원", 2, "금액", "0", "Must be more than 0.", "not_positive"),
    ]


def test_cli_missing_file_and_csv_folder(db_url, tmp_path, capsys):
    missing = tmp_path / "nothing.xlsx"
    assert main(["--database-url", db_url, "import", str(missing)]) == 2  # the path itself
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"오류  파일을 찾을 수 없습니다: {missing}"
    folder = write_csv_folder(tmp_path / "extract", base(), bom=True)
    assert main(["--database-url", db_url, "import", str(folder), "--user", "park"]) == 0
    out, err = capsys.readouterr()
    assert err.strip() == "가져오기 완료: 새 행 13, 변경 0, 변경 없음 0. 경고 0건."


# ---- large sheets go to the database in chunks ------------------------------------------------


def test_chunked_writing_gives_the_same_counts_and_rows(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "CHUNK_ROWS", 2)  # BASE's 2-row sheets: one full chunk each
    book = base()
    for i in range(3, 8):  # 5 more cases: chunks of 2, 2, 2, 1 rows for the 7 cases
        book["사례"].append([f"C{i}", "0042", D(2024, 3, i), "기타", "일반", "기타"] + [None] * 6)
    first = import_sheets(engine, tmp_path, book, "first.xlsx")
    assert first.ok, first.problems
    assert _counts(first)["cases"] == (7, 0, 0, None)
    book["사례"][7][4] = "위기"  # C6, in the third chunk
    del book["목표"]
    second = import_sheets(engine, tmp_path, book, "second.xlsx", replace=True)
    assert _counts(second)["cases"] == (0, 1, 6, 0)
    assert _counts(second)["targets"] == (0, 0, 0, 1)
    assert row_counts(engine)["welfare_case"] == 7 and row_counts(engine)["target"] == 0


def test_chunked_writing_stops_at_a_repeated_id(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "CHUNK_ROWS", 2)
    import_sheets(engine, tmp_path, base(), "first.xlsx")
    before = snapshot(engine)
    book = base()
    book["사례"].append(["C3", "0042", D(2024, 3, 1), "기타", "일반", "기타"] + [None] * 6)
    book["사례"].append(["C3", "0042", D(2024, 3, 2), "기타", "일반", "기타"] + [None] * 6)
    result = import_sheets(engine, tmp_path, book, "dup.xlsx")
    # Both C3 rows are in the second chunk: a rejection with both rows named, not a failure.
    assert result.outcome == "rejected"
    assert {(p.row, p.code) for p in result.errors} == {(4, "duplicate_id"), (5, "duplicate_id")}
    assert snapshot(engine) == before
