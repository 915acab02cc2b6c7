"""Importer fuzzing (hypothesis): generated workbooks, from the valid tiny BASE changed by
a few mutations (tests/import_strategies.py), imported into a database holding BASE.

For every example:
- the importer never fails unexpectedly (outcome "failed" is an exception it caught);
- a refusal writes nothing: every data table's rows (a content hash) are unchanged;
- every refusal names its sheet, row and column (or as much as the problem has: a missing
  sheet has no row);
- an accepted import leaves the database equal to the workbook: importing the same file
  again as a dry run finds every row unchanged (and, in replace mode, nothing to delete).

Deterministic (`derandomize=True`: the same examples every run, no database of examples)
and small: 150 examples on SQLite (~10 s), 30 on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.ingest.importer import import_bytes
from tests import import_strategies as strategies
from tests.test_import_workbooks import base, snapshot

EXAMPLES = {"sqlite": 150, "postgresql": 30}


def _xlsx(sheets: strategies.Sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _digest(engine) -> str:
    return hashlib.sha256(repr(snapshot(engine)).encode()).hexdigest()


def _check_places(result) -> None:
    for p in result.errors:
        where = (p.sheet_label("ko"), p.row, p.column_label("ko"))
        if p.code in strategies.WORKBOOK_CODES:
            continue
        assert where[0], (p.code, where)
        if p.code in strategies.SHEET_CODES:
            continue
        assert where[2], (p.code, where)
        if p.code in strategies.COLUMN_CODES | strategies.SHEET_WIDE_CODES:
            continue
        assert isinstance(where[1], int) and where[1] >= 2, (p.code, where)


@pytest.fixture
def loaded(engine):
    first = import_bytes(engine, "base.xlsx", _xlsx(base()))
    assert first.ok, first.problems
    return engine


def test_generated_workbooks(loaded, empty_db_url):
    kind = "postgresql" if empty_db_url.startswith("postgresql") else "sqlite"
    engine = loaded

    @settings(
        max_examples=EXAMPLES[kind],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(sheets=strategies.workbooks(), replace=st.booleans())
    def check(sheets, replace):
        data = _xlsx(sheets)
        before = _digest(engine)
        result = import_bytes(engine, "fuzz.xlsx", data, replace=replace, user="fuzz")
        assert result.outcome in ("ok", "rejected"), (result.outcome, result.failure)
        if not result.ok:
            assert result.errors
            assert _digest(engine) == before  # nothing written, not even in part
            _check_places(result)
            return
        again = import_bytes(engine, "fuzz.xlsx", data, replace=replace, dry_run=True)
        assert again.ok, [p.reason("en") for p in again.errors]
        for sheet, counts in again.counts.items():
            assert (counts.new, counts.changed) == (0, 0), (sheet, counts)
            assert counts.deleted in (None, 0), (sheet, counts)

    check()
