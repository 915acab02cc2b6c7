"""Large loads: bulk mode (keys and indexes set aside, then restored) and empty tables.

Bulk mode only acts on PostgreSQL and only for sheets of `BulkMode.MIN_ROWS` rows or
more; the tests lower that to 2 so the small BASE workbook takes the same path a
100,000-row workbook does. Each test still runs on both databases: on SQLite the same
import must give the same rows, written row by row.
"""

from __future__ import annotations

import logging
import uuid

import pytest
import sqlalchemy as sa

import lib.ingest.importer as importer
import lib.ingest.validate as validate
from lib.db import make_engine
from lib.ingest.schema import SHEET_BY_NAME
from lib.ingest.write import BulkMode, stored_rows
from lib.models import Neighbourhood
from tests.test_bulk import _schema_shape
from tests.test_import_workbooks import (
    BASE_ROWS,
    D,
    base,
    import_sheets,
    row_counts,
)

_BULK_LOG = "import: bulk mode for "


@pytest.fixture
def bulk_from_two_rows(monkeypatch):
    """Bulk mode for any sheet of 2 rows or more, written in chunks of 2 rows."""
    monkeypatch.setattr(BulkMode, "MIN_ROWS", 2)
    monkeypatch.setattr(validate, "CHUNK_ROWS", 2)


def _bulk_tables(caplog) -> list[str]:
    return [
        r.getMessage().removeprefix(_BULK_LOG)
        for r in caplog.records
        if r.getMessage().startswith(_BULK_LOG)
    ]


def _unvalidated_keys(engine) -> int:
    """Foreign keys PostgreSQL has not checked against every row (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated "
                "AND connamespace = current_schema()::regnamespace"
            )
        ).scalar_one()


def _more_cases(book, numbers) -> None:
    for i in numbers:
        book["사례"].append([f"C{i}", "0042", D(2024, 3, i), "기타", "일반", "기타"] + [None] * 6)


def test_bulk_import_writes_the_rows_and_restores_every_key(
    engine, tmp_path, bulk_from_two_rows, caplog
):
    caplog.set_level(logging.INFO, logger="lib.ingest.write")
    shape = _schema_shape(engine)
    book = base()
    _more_cases(book, range(3, 8))  # 7 cases: chunks of 2, 2, 2 and 1 rows
    result = import_sheets(engine, tmp_path, book)
    assert result.ok, result.problems
    assert result.counts["cases"].new == 7 and result.counts["neighbourhoods"].new == 2
    assert row_counts(engine) == {
        "neighbourhood": 2, "agency": 2, "welfare_case": 7, "service": 1, "donation": 1,
        "disbursement": 1, "referral": 1, "outreach_visit": 1, "ss_participant": 1,
        "target": 1,
    }  # fmt: skip
    assert _schema_shape(engine) == shape
    assert _unvalidated_keys(engine) == 0
    if engine.dialect.name == "postgresql":
        # The sheets of 2 rows or more, in contract order; the 1-row sheets row by row.
        assert _bulk_tables(caplog) == ["neighbourhood", "agency", "welfare_case"]
    else:
        assert _bulk_tables(caplog) == []
    # A second import of the same rows: the tables now hold as many rows as the sheets.
    caplog.clear()
    again = import_sheets(engine, tmp_path, book, "again.xlsx")
    assert again.ok and again.counts["cases"].unchanged == 7
    assert _bulk_tables(caplog) == []


def test_a_rejected_bulk_import_leaves_rows_and_keys_as_they_were(
    engine, tmp_path, bulk_from_two_rows, caplog
):
    caplog.set_level(logging.INFO, logger="lib.ingest.write")
    shape = _schema_shape(engine)
    book = base()
    _more_cases(book, range(3, 6))
    book["사례공유"][1][3] = "AG9"  # the referral's receiving agency does not exist
    result = import_sheets(engine, tmp_path, book)
    assert result.outcome == "rejected", repr(result.failure)  # the failure, should it fail
    assert [(p.spec, p.row, p.code) for p in result.errors] == [("referrals", 2, "unknown_ref")]
    if engine.dialect.name == "postgresql":  # cases were written in bulk before the error
        assert "welfare_case" in _bulk_tables(caplog)
    assert all(n == 0 for n in row_counts(engine).values())
    assert _schema_shape(engine) == shape
    assert _unvalidated_keys(engine) == 0


def test_a_restored_key_catches_a_reference_the_checks_missed(
    engine, tmp_path, bulk_from_two_rows, monkeypatch
):
    # Break the importer's own reference check: the database must still refuse the row,
    # on PostgreSQL when the dropped key is added back, on SQLite at the insert.
    monkeypatch.setattr(importer, "check_references", lambda *args, **kwargs: [])
    shape = _schema_shape(engine)
    book = base()
    book["사례"][2][1] = "9999999999"  # C2's neighbourhood is in neither sheet nor database
    result = import_sheets(engine, tmp_path, book)
    assert result.outcome == "failed"
    assert isinstance(result.failure, sa.exc.IntegrityError)
    assert all(n == 0 for n in row_counts(engine).values())
    assert _schema_shape(engine) == shape


def test_busy_tables_make_the_import_write_row_by_row(
    engine, tmp_path, bulk_from_two_rows, monkeypatch, caplog
):
    monkeypatch.setattr(BulkMode, "LOCK_WAIT_SECONDS", 0.2)
    caplog.set_level(logging.INFO, logger="lib.ingest.write")
    # A viewer in the middle of a transaction that has read the neighbourhoods.
    with engine.connect() as viewer:
        viewer.execute(sa.select(sa.func.count()).select_from(Neighbourhood.__table__))
        result = import_sheets(engine, tmp_path, base())
        viewer.rollback()
    assert result.ok, (result.problems, result.failure)
    assert _bulk_tables(caplog) == []
    if engine.dialect.name == "postgresql":
        assert "import: data tables busy, writing row by row" in caplog.messages
    assert row_counts(engine)["welfare_case"] == 2


def test_a_role_that_does_not_own_the_tables_writes_row_by_row(
    db_url, tmp_path, bulk_from_two_rows, caplog
):
    """A deployment may import with a role that can write the tables but not alter them."""
    caplog.set_level(logging.INFO, logger="lib.ingest.write")
    owner = make_engine(db_url)
    role = f"itda_test_writer_{uuid.uuid4().hex[:8]}"
    writer = make_engine(db_url)
    if owner.dialect.name == "postgresql":
        with owner.begin() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
            conn.exec_driver_sql(f"CREATE ROLE {role}")
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
            for grant in (
                "SELECT, INSERT, UPDATE, DELETE ON ALL TABLES",
                "USAGE, SELECT ON ALL SEQUENCES",
            ):
                conn.exec_driver_sql(f'GRANT {grant} IN SCHEMA "{schema}" TO {role}')

        @sa.event.listens_for(writer, "connect")
        def _as_role(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {role}")

    try:
        shape = _schema_shape(owner)
        result = import_sheets(writer, tmp_path, base())
        assert result.ok, (result.problems, result.failure)
        assert row_counts(owner)["welfare_case"] == 2
        assert _schema_shape(owner) == shape
        if owner.dialect.name == "postgresql":
            # The neighbourhood table has no key or index to drop; the agency table's key
            # may not be dropped by this role, and then no later sheet tries again.
            assert _bulk_tables(caplog) == ["neighbourhood"]
            assert "import: no right to alter agency, writing row by row" in caplog.messages
        else:
            assert _bulk_tables(caplog) == []
    finally:
        writer.dispose()
        if owner.dialect.name == "postgresql":
            with owner.begin() as conn:
                conn.exec_driver_sql(f"DROP OWNED BY {role}")
                conn.exec_driver_sql(f"DROP ROLE {role}")
        owner.dispose()


def test_replace_into_an_empty_database_keeps_every_row(engine, tmp_path):
    # Every table is empty, so every row is new without a comparison, and replace mode
    # must not delete the rows it has just written.
    result = import_sheets(engine, tmp_path, base(), replace=True)
    assert result.ok, result.problems
    assert {k: (c.new, c.changed, c.unchanged, c.deleted) for k, c in result.counts.items()} == {
        k: (n, 0, 0, 0) for k, n in BASE_ROWS.items()
    }
    counts = row_counts(engine)
    assert counts["welfare_case"] == 2 and counts["neighbourhood"] == 2
    assert sum(counts.values()) == sum(BASE_ROWS.values())
    again = import_sheets(engine, tmp_path, base(), "again.xlsx", replace=True)
    assert {k: (c.unchanged, c.deleted) for k, c in again.counts.items()} == {
        k: (n, 0) for k, n in BASE_ROWS.items()
    }


def test_bulk_mode_is_for_large_sheets_that_at_least_double_a_table(engine):
    with engine.connect() as conn:
        wanted = BulkMode().wanted
        on_postgres = engine.dialect.name == "postgresql"
        assert wanted(conn, 10_000, 0) is on_postgres
        assert wanted(conn, 20_000, 19_999) is on_postgres
        assert wanted(conn, 9_999, 0) is False  # too few rows to be worth a rebuild
        assert wanted(conn, 10_000, 10_000) is False  # the table is as large as the sheet


def test_stored_rows_counts_no_further_than_the_limit(engine):
    spec = SHEET_BY_NAME["neighbourhoods"]
    with engine.begin() as conn:
        assert stored_rows(conn, spec, limit=5) == 0
        conn.execute(
            sa.insert(Neighbourhood.__table__),
            [
                {"code": f"{i:04d}", "name": f"동{i}", "kind": "동", "households": 10}
                for i in range(3)
            ],
        )
        assert stored_rows(conn, spec, limit=2) == 2
        assert stored_rows(conn, spec, limit=10) == 3
