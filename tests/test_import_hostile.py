"""Hostile import files: not a workbook, zip bombs, far cells, a 10 MB sheet name or cell,
a million empty rows, macros and external links (tests/hostile_files.py builds them).

Each is refused with a clear message (sheet, row and column where there are such) in
bounded time and memory, and nothing is written. The imports run in a child process
(tests/hostile_import_run.py) whose address space is capped: a guard that failed would
let calamine ask for gigabytes (a Rust allocation failure aborts the whole process), and
the child's peak resident memory counts what Rust allocates. The refusals happen before
any query, so SQLite alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib.excerpt import LIMIT
from lib.ingest import guard
from lib.ingest.importer import import_bytes
from lib.ingest.messages import VALUE_LIMIT
from tests import hostile_files as hf
from tests.test_import_workbooks import BASE_ROWS, base, row_counts, snapshot, write_xlsx

SQLITE = pytest.mark.parametrize("empty_db_url", ["sqlite"], indirect=True)

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 10  # per file, on a loaded 2-core machine
MEMORY_MB = 200  # growth of the child's peak resident memory, all files together


def _run_child(db_url: str, files: list[tuple[str, bytes]], folder: Path) -> dict[str, dict]:
    paths = []
    for name, data in files:
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile_import_run", db_url, *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for line in lines[1:]:  # the figures, for -s
        print(line["file"], line["outcome"], line["seconds"], "s", line["growth_mb"], "MB")
    assert "baseline_mb" in lines[0]
    return {line["file"]: line for line in lines[1:]}


def _error(line: dict) -> dict:
    errors = [p for p in line["problems"] if p["severity"] == "error"]
    assert line["outcome"] == "rejected" and errors, line
    return errors[0]


@pytest.mark.slow
@SQLITE
def test_hostile_workbooks_are_refused_in_bounded_time_and_memory(db_url, engine, tmp_path):
    # A database holding the base workbook: a refusal must leave it exactly as it is.
    write_xlsx(tmp_path / "base.xlsx", base())
    first = import_bytes(engine, "base.xlsx", (tmp_path / "base.xlsx").read_bytes())
    assert first.ok, first.problems
    before, counts = snapshot(engine), row_counts(engine)
    assert counts["welfare_case"] == BASE_ROWS["cases"]

    files = [
        *hf.not_zip(),
        hf.bomb_ratio(tmp_path),
        hf.bomb_declared(tmp_path),
        hf.liar(tmp_path),
        hf.far_cell(tmp_path),
        hf.far_row(tmp_path),
        hf.far_cell_elsewhere(tmp_path),
        hf.far_without_references(tmp_path),
        hf.long_sheet_name(tmp_path),
        hf.huge_cell(tmp_path),
        hf.with_macro(tmp_path),
        hf.with_external_link(tmp_path),
        hf.empty_rows(tmp_path),
        hf.empty_cells(tmp_path),
        hf.csv_bomb(),
        ("book.xlsm", hf.base_bytes(tmp_path)),
    ]
    assert max(len(data) for _, data in files) < 12 * 2**20  # small on disk
    out = _run_child(db_url, files, tmp_path)
    assert set(out) == {name for name, _ in files}

    for name in ("random.xlsx", "report.xlsx", "notes.xlsx", "empty.xlsx"):
        assert _error(out[name])["ko"] == (
            f"{name}: 엑셀 통합문서(.xlsx)가 아닙니다. 엑셀에서 'Excel 통합 문서(*.xlsx)'로 "
            "저장한 파일을 올리세요."
        )
    for name in ("bomb.xlsx", "bomb-4gb.xlsx"):
        assert _error(out[name])["en"] == (
            f"{name}: the file unpacks to far too much data and is not imported (at most 256 MB)."
        )
    assert _error(out["csvs.zip"])["en"].startswith("csvs.zip: the file unpacks to far too much")
    assert _error(out["liar.xlsx"])["ko"] == "liar.xlsx: 시트 '사례'의 압축이 손상되었습니다."
    # The far cells: refused naming the sheet, the row and the column
    far = _error(out["far.xlsx"])
    assert (far["sheet"], far["row"], far["column"]) == ("사례", 1_048_576, "XFD")
    # cells: the header's 12, C1's 12, C2's 7 (openpyxl writes no empty cell) and the far one
    assert far["ko"] == (
        "시트 '사례'의 셀이 1,048,576행 XFD열(XFD1048576)까지 퍼져 있지만 셀은 32개뿐입니다. "
        "데이터 아래와 오른쪽의 빈 행과 열을 지우고 다시 저장하세요."
    )
    elsewhere = _error(out["far-elsewhere.xlsx"])
    assert (elsewhere["sheet"], elsewhere["row"], elsewhere["column"]) == ("사례", 1_048_576, "XFD")
    row = _error(out["far-row.xlsx"])
    assert (row["sheet"], row["row"], row["column"]) == ("사례", 1_048_576, "L")
    by_order = _error(out["far-by-order.xlsx"])
    assert (by_order["sheet"], by_order["row"], by_order["column"]) == ("사례", 1_048_000, "AD")
    # a 10 MB sheet name: refused, and quoted as 40 characters at most
    long = _error(out["long-name.xlsx"])
    assert long["en"].startswith("long-name.xlsx: a sheet name is too long (10,485,760 characters")
    assert len(long["sheet"]) <= LIMIT + 1 and len(long["en"]) < 200
    # a 10 MB cell: the cell rules refuse it; the problem quotes 200 characters of it
    cell = _error(out["huge-cell.xlsx"])
    assert (cell["sheet"], cell["row"], cell["column"]) == ("사례", 2, "사례번호")
    assert cell["code"] == "too_long" and len(cell["value"]) == VALUE_LIMIT + 1
    assert _error(out["macro.xlsx"])["en"].startswith("macro.xlsx: workbooks with macros are not")
    assert _error(out["links.xlsx"])["en"].startswith("links.xlsx: the workbook links to other")
    assert _error(out["book.xlsm"])["en"].startswith("book.xlsm: only a .xlsx workbook")
    # A million empty rows: refused, whether row elements without cells (1,048,573 rows
    # after the base sheet's 3) or rows of empty cells (1,000,000 rows, row 1,000,003); the
    # base sheet 사례 holds 31 cells with a value (its header and two cases: 26 texts, 5
    # numbers and dates).
    rows = _error(out["empty-rows.xlsx"])
    assert (rows["sheet"], rows["row"]) == ("사례", 1_048_573 + 3)
    assert rows["ko"].startswith("시트 '사례'가 1,048,576행(")
    assert "값이 든 셀은 31개뿐입니다: 대부분 빈 행입니다" in rows["ko"]
    cells = _error(out["empty-cells.xlsx"])
    assert (cells["sheet"], cells["row"], cells["column"]) == ("사례", 1_000_003, "L")
    assert cells["en"] == (
        "Sheet '사례' runs to row 1,000,003 (L1000003) but only 31 cells hold a value: most "
        "rows are empty. Delete the empty rows below the data and save it again."
    )

    for name, line in out.items():
        assert line["seconds"] < SECONDS, (name, line["seconds"])
        assert line["growth_mb"] < MEMORY_MB, (name, line["growth_mb"])
    assert max(line["peak_mb"] for line in out.values()) < MEMORY_MB
    assert snapshot(engine) == before and row_counts(engine) == counts


def test_grid_of_an_ordinary_sheet_is_found_by_bounds(tmp_path):
    # 12 columns × 30,000 rows: the first pass's bound (99,999 × 26) is small enough
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r) for c in "ABCDEFGHIJKL")
        + b"</row>"
        for r in range(1, 30_001)
    )
    data = hf.rezip(
        {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"}
    )
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.infolist()[0]
        rows_, columns, cells = guard._grid(archive, info)
        assert cells == 360_000 and rows_ * columns <= 99_999 * 26
        assert guard._grid_slow(archive, info) == (30_000, 12, 360_000)


def test_column_letters():
    assert [guard.column_letters(n) for n in (1, 26, 27, 702, 703, 16_384)] == [
        "A", "Z", "AA", "ZZ", "AAA", "XFD",
    ]  # fmt: skip
