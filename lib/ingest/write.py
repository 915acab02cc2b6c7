"""Writing a validated workbook: staging tables, the preview counts, upsert and replace.

Each sheet is copied into a temporary staging table (PostgreSQL COPY through `lib.bulk`).
The preview counts and the write are then set-based SQL between the staging table and
the real one, so nothing large is held in Python and the database compares the rows
itself. The caller owns the transaction: all of an import happens inside one.
"""

from __future__ import annotations

import logging
import operator
import time
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lib.bulk import LoadKeys, insert_rows
from lib.ingest.messages import Problem
from lib.ingest.schema import SHEET_BY_NAME, SHEETS, SheetSpec
from lib.ingest.validate import SheetData, Validated
from lib.models import DATA_TABLES

_ROW = "_row"  # the staging column holding the Excel row number
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SheetCounts:
    """What an import does to one table: rows in the sheet, new, changed, unchanged, deleted."""

    rows: int
    new: int
    changed: int
    unchanged: int
    deleted: int | None = None  # None unless replace mode

    def __add__(self, other: SheetCounts) -> SheetCounts:
        """The counts of two chunks of the same sheet (deleted is counted once per sheet)."""
        return SheetCounts(
            self.rows + other.rows,
            self.new + other.new,
            self.changed + other.changed,
            self.unchanged + other.unchanged,
            self.deleted,
        )


def _columns(spec: SheetSpec) -> list[str]:
    """The table columns an import writes (the sheet's fields)."""
    return list(spec.field_names)


@dataclass
class Staging:
    """The staging tables of one import, by English sheet name."""

    tables: dict[str, sa.Table] = field(default_factory=dict)
    # Sheets whose table was empty when the import reached them: every row is new, so they
    # go straight into the table and their staging table stays empty.
    fresh: set[str] = field(default_factory=set)
    metadata: sa.MetaData = field(default_factory=sa.MetaData)
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def drop(self, conn: sa.Connection) -> None:
        """Drop the staging tables (SQLite keeps temporary tables after a rollback)."""
        for table in self.tables.values():
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table.name}"))


def create_staging(conn: sa.Connection, staging: Staging, spec: SheetSpec) -> sa.Table:
    """A new, empty temporary table for one sheet's rows (with their Excel row numbers)."""
    table = sa.Table(
        f"itda_stage_{spec.name}_{staging.suffix}",
        staging.metadata,
        *(sa.Column(c, spec.table.c[c].type) for c in _columns(spec)),
        sa.Column(_ROW, sa.Integer),
        prefixes=["TEMPORARY"],
    )
    table.create(conn)
    staging.tables[spec.name] = table
    return table


def copy_rows(
    conn: sa.Connection, table: sa.Table, data: SheetData, rows: range, *, staged: bool = True
) -> None:
    """Copy `data.rows[rows]` (COPY on PostgreSQL) into a staging table with their Excel row
    numbers, or (`staged=False`) into the sheet's own table."""
    if not rows:
        return
    names = _columns(data.spec)
    values = operator.itemgetter(*names)  # every sheet has several columns: a tuple
    if not staged:
        insert_rows(conn, table, [values(data.rows[i]) for i in rows], columns=names)
        return
    numbers = data.row_numbers
    batch = [(*values(data.rows[i]), numbers[i]) for i in rows]
    insert_rows(conn, table, batch, columns=[*names, _ROW])


def _match(spec: SheetSpec, target: sa.Table, staged: sa.Table) -> sa.ColumnElement[bool]:
    """Rows that are the same record: same id, or for targets the same (year, code, metric)."""
    parts = []
    for k in spec.key:
        if spec.field(k).required:
            parts.append(target.c[k] == staged.c[k])
        else:  # an empty neighbourhood code is the city: '' = '' where NULL = NULL is not true
            parts.append(sa.func.coalesce(target.c[k], "") == sa.func.coalesce(staged.c[k], ""))
    return sa.and_(*parts)


def _differs(
    spec: SheetSpec, target: sa.Table, other, kept: frozenset[str] = frozenset()
) -> sa.ColumnElement[bool]:
    """Any non-key column differs (NULL-safe); `kept` columns (absent from the sheet, their
    stored values stay) are not compared."""
    columns = [c for c in _columns(spec) if c not in spec.key and c not in kept]
    return sa.or_(*(target.c[c].is_distinct_from(other[c]) for c in columns))


def _count(conn: sa.Connection, stmt: sa.Select) -> int:
    return int(conn.execute(stmt).scalar_one())


def _rows_between(staged: sa.Table, rows: tuple[int, int] | None) -> sa.ColumnElement[bool]:
    """The staged rows whose Excel row numbers lie in `rows` (all when None)."""
    return sa.true() if rows is None else staged.c[_ROW].between(*rows)


def count_rows(
    conn: sa.Connection,
    spec: SheetSpec,
    staged: sa.Table,
    rows: tuple[int, int] | None = None,
    kept: frozenset[str] = frozenset(),
) -> SheetCounts:
    """How many staged rows (Excel rows `rows`, or all) are new, changed and unchanged
    (`kept`: columns not compared, see `_differs`)."""
    target = spec.table
    match = _match(spec, target, staged)
    # One pass: a staged row without a partner is new; with a differing partner, changed.
    (stored,) = target.primary_key.columns
    is_new = stored.is_(None)
    is_changed = sa.and_(stored.is_not(None), _differs(spec, target, staged.c, kept))
    stmt = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(sa.case((is_new, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((is_changed, 1), else_=0)), 0),
    ).select_from(staged.outerjoin(target, match))
    total, new, changed = (
        int(n) for n in conn.execute(stmt.where(_rows_between(staged, rows))).one()
    )
    return SheetCounts(total, new, changed, total - new - changed)


def stored_rows(conn: sa.Connection, spec: SheetSpec, limit: int) -> int:
    """How many rows `spec`'s table holds, counting no further than `limit` (cheap on any size)."""
    held = sa.select(sa.literal(1)).select_from(spec.table).limit(max(limit, 1)).subquery()
    return _count(conn, sa.select(sa.func.count()).select_from(held))


def count_deleted(conn: sa.Connection, spec: SheetSpec, staged: sa.Table) -> int:
    """Replace mode: how many stored rows the workbook's sheet does not have."""
    match = _match(spec, spec.table, staged)
    stmt = sa.select(sa.func.count()).select_from(spec.table).where(~sa.exists().where(match))
    return _count(conn, stmt)


def _upsert_by_id(
    conn: sa.Connection, spec: SheetSpec, staged: sa.Table, rows, kept: frozenset[str]
) -> None:
    columns = _columns(spec)
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    # SQLite needs a WHERE on INSERT … SELECT … ON CONFLICT to parse it unambiguously.
    source = sa.select(*(staged.c[c] for c in columns)).where(_rows_between(staged, rows))
    stmt = insert(spec.table).from_select(columns, source)
    (key,) = spec.key
    stmt = stmt.on_conflict_do_update(
        index_elements=[spec.table.c[key]],
        set_={c: stmt.excluded[c] for c in columns if c != key and c not in kept},
        # unchanged rows are not rewritten
        where=_differs(spec, spec.table, stmt.excluded, kept),
    )
    conn.execute(stmt)


def _upsert_by_match(
    conn: sa.Connection, spec: SheetSpec, staged: sa.Table, rows, kept: frozenset[str]
) -> None:
    """Upsert for a table keyed by an expression (targets): update changed, insert new."""
    target = spec.table
    in_range = _rows_between(staged, rows)
    match = _match(spec, target, staged)
    values = {
        c: sa.select(staged.c[c]).where(match, in_range).scalar_subquery()
        for c in _columns(spec)
        if c not in spec.key and c not in kept
    }
    changed = sa.exists().where(match, in_range, _differs(spec, target, staged.c, kept))
    conn.execute(sa.update(target).values(values).where(changed))
    columns = _columns(spec)
    new = sa.select(*(staged.c[c] for c in columns)).where(in_range, ~sa.exists().where(match))
    conn.execute(sa.insert(target).from_select(columns, new))


def upsert_rows(
    conn: sa.Connection,
    spec: SheetSpec,
    staged: sa.Table,
    rows: tuple[int, int] | None = None,
    kept: frozenset[str] = frozenset(),
) -> None:
    """Insert the new staged rows (Excel rows `rows`, or all) and update the changed ones;
    `kept` columns keep their stored values (a new row gets them empty)."""
    if len(spec.key) == 1:
        _upsert_by_id(conn, spec, staged, rows, kept)
    else:
        _upsert_by_match(conn, spec, staged, rows, kept)


def delete_missing(conn: sa.Connection, staging: Staging) -> None:
    """Replace mode: delete every stored row not in the workbook, children first.

    Run after all upserts: every kept row then points at kept parents, so no delete
    leaves a dangling reference (a case moved off a deleted neighbourhood is updated first).
    """
    for spec in reversed(SHEETS):
        if spec.name in staging.fresh:  # holds only the rows this import wrote
            continue
        staged = staging.tables[spec.name]
        match = _match(spec, spec.table, staged)
        conn.execute(sa.delete(spec.table).where(~sa.exists().where(match)))


def check_existing_services(
    conn: sa.Connection, checked: Validated, staging: Staging
) -> list[Problem]:
    """Upsert mode: services already stored (and not re-imported) now before their case's new discovery date."""
    cases = staging.tables.get("cases")
    if cases is None:
        return []
    service = SHEET_BY_NAME["services"].table
    stmt = (
        sa.select(cases.c[_ROW], cases.c.discovered_on, service.c.service_id, service.c.provided_on)
        .join(service, service.c.case_id == cases.c.case_id)
        .where(service.c.provided_on < cases.c.discovered_on)
        .order_by(cases.c[_ROW], service.c.service_id)
    )
    services = staging.tables.get("services")
    if services is not None:
        stmt = stmt.where(~sa.exists().where(services.c.service_id == service.c.service_id))
    data = checked.sheets["cases"]
    problems = []
    for row, discovered, service_id, provided in conn.execute(stmt):
        problems.append(
            Problem(
                "service_before_discovery",
                sheet=data.title,
                spec="cases",
                row=row,
                column=data.columns.get("discovered_on"),
                field="discovered_on",
                value=str(discovered),
                params=(("service_id", service_id), ("other_value", str(provided))),
            )
        )
    return problems


class BulkMode:
    """Large loads on PostgreSQL: a sheet's table loses its foreign keys and non-unique
    indexes while its rows go in, and gets them back, checked, before the commit.

    Row-by-row key checks and index updates are most of PostgreSQL's work in an import
    (measured: 3 s of 4 for 100,000 new rows); rebuilding them once is 3x cheaper. It is
    worth it only when the sheet brings at least `MIN_ROWS` rows and at least as many as
    the table holds (a first load, or one that doubles the table): rebuilding the indexes
    of a large table for a small import would cost more than it saves.

    Everything happens inside the import's one transaction, so a failed import rolls the
    keys back too. The price is an exclusive lock on the data tables until the commit:
    viewers wait for the import instead of reading around it. The locks are taken all at
    once, without waiting (a viewer's open transaction could otherwise deadlock with the
    import); when they cannot be had within `LOCK_WAIT_SECONDS`, the import goes on row by
    row. The restored foreign keys are checked against every row, so the database never
    holds a reference the import's own checks missed.
    """

    MIN_ROWS = 10_000
    LOCK_WAIT_SECONDS = 3.0

    def __init__(self) -> None:
        self.relaxed: list[tuple[str, LoadKeys]] = []  # (table name, what was dropped)
        self.locked: bool | None = None  # None until a sheet first asks for bulk mode

    def wanted(self, conn: sa.Connection, rows: int, held: int) -> bool:
        """True if a sheet of `rows` rows for a table holding `held` is a bulk load."""
        return conn.dialect.name == "postgresql" and rows >= self.MIN_ROWS and held < rows

    def relax(self, conn: sa.Connection, spec: SheetSpec) -> bool:
        """Drop `spec`'s table's keys and indexes for a bulk load; False if the tables cannot
        be locked, or the import's database role may not alter them (it does not own them)."""
        if self.locked is None:
            self.locked = _lock_data_tables(conn, self.LOCK_WAIT_SECONDS)
        if not self.locked:
            return False
        name = spec.table.name
        savepoint = conn.begin_nested()
        try:
            keys = LoadKeys.of(conn, [name])
            keys.drop(conn)
        except sa.exc.DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            savepoint.rollback()
            self.locked = False  # no bulk mode for this import's other sheets either
            log.info("import: no right to alter %s, writing row by row", name)
            return False
        savepoint.commit()
        self.relaxed.append((name, keys))
        log.info("import: bulk mode for %s", name)
        return True

    def restore(self, conn: sa.Connection, spec: SheetSpec | None = None) -> None:
        """Recreate the indexes of `spec`'s table (or of every relaxed table) and add its
        keys back, checking every row."""
        for name, keys in list(self.relaxed):
            if spec is None or name == spec.table.name:
                # No ANALYZE here: autovacuum analyses a table that grew this much within
                # a minute, and here it would hold the import up (a quarter second a table).
                keys.restore(conn, validate=True)
                self.relaxed.remove((name, keys))


def _lock_data_tables(conn: sa.Connection, wait_seconds: float) -> bool:
    """Lock every data table exclusively (all or none), retrying until `wait_seconds` pass."""
    quote = conn.dialect.identifier_preparer.quote
    statement = sa.text(
        f"LOCK TABLE {', '.join(quote(t.name) for t in DATA_TABLES)} "
        "IN ACCESS EXCLUSIVE MODE NOWAIT"
    )
    deadline = time.monotonic() + wait_seconds
    while True:
        savepoint = conn.begin_nested()
        try:
            conn.execute(statement)
        except sa.exc.DBAPIError as exc:
            state = getattr(exc.orig, "sqlstate", None)
            if state not in ("55P03", "42501"):  # lock_not_available, insufficient_privilege
                raise
            savepoint.rollback()  # releases the locks taken before the busy one
            if state == "42501":
                log.info("import: no right to lock the data tables, writing row by row")
                return False
            if time.monotonic() >= deadline:
                log.info("import: data tables busy, writing row by row")
                return False
            time.sleep(0.05)
            continue
        savepoint.commit()
        return True
