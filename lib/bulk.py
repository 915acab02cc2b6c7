"""Fast bulk inserts: PostgreSQL's COPY through psycopg 3, SQLite's executemany.

`insert_rows` writes inside the caller's transaction and never commits: the demo builder
and the importer decide when their work becomes visible.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# Rows handed to the driver at once on SQLite: large enough to amortise the call,
# small enough that a generator of millions of rows never sits in memory.
_SQLITE_CHUNK = 10_000


def insert_rows(
    conn: sa.Connection,
    table: sa.Table,
    rows: Iterable[dict] | Iterable[tuple],
    columns: Sequence[str] | None = None,
) -> int:
    """The number of rows written to `table` from `rows` (dicts, or tuples in `columns` order).

    Dict rows are read by `columns`, or by the first row's keys when `columns` is None;
    tuple rows follow `columns`, or every column of the table in order. Dates are
    `datetime.date`, None is NULL. Rows are streamed: any iterable of any length works.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    if columns is None:
        columns = list(first) if isinstance(first, dict) else [c.name for c in table.columns]
    columns = list(columns)
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    tuples = _as_tuples(itertools.chain([first], iterator), columns, isinstance(first, dict))
    if not conn.in_transaction():
        conn.begin()  # the raw writes below must belong to the caller's transaction
    if conn.dialect.name == "postgresql":
        return _copy_postgres(conn, table, columns, tuples)
    return _executemany(conn, table, columns, tuples)


def _as_tuples(rows: Iterator, columns: list[str], dicts: bool) -> Iterator[tuple]:
    """Each row as a tuple in `columns` order."""
    if not dicts:
        return (tuple(row) for row in rows)
    if len(columns) == 1:  # itemgetter with one key returns the bare value, not a tuple
        (key,) = columns
        return ((row[key],) for row in rows)
    getter = operator.itemgetter(*columns)
    return (getter(row) for row in rows)


def _copy_postgres(conn: sa.Connection, table: sa.Table, columns: list[str], rows) -> int:
    """Rows written with COPY … FROM STDIN on the connection's own psycopg connection."""
    from psycopg import sql

    name = sql.Identifier(table.schema, table.name) if table.schema else sql.Identifier(table.name)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        name, sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    count = 0
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)
            count += 1
    return count


def _executemany(conn: sa.Connection, table: sa.Table, columns: list[str], rows) -> int:
    """Rows written by the driver's executemany of one bound INSERT, in chunks."""
    compiled = sa.insert(table).compile(dialect=conn.dialect, column_keys=columns)
    order = list(compiled.positiontup or [])
    if sorted(order) != sorted(columns):  # only a positional paramstyle maps tuples directly
        raise RuntimeError(f"unexpected parameters for {table.name}: {order}")
    position = [columns.index(name) for name in order]
    # The column types' own conversions (e.g. date -> ISO text on SQLite), as SQLAlchemy
    # would apply them in a normal execute.
    processors: list[Callable[[Any], Any] | None] = [
        table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in order
    ]
    plain = all(p is None for p in processors) and position == list(range(len(columns)))

    def prepared(row: tuple) -> tuple:
        values = [row[i] for i in position]
        return tuple(
            p(v) if p is not None and v is not None else v
            for p, v in zip(processors, values, strict=True)
        )

    count = 0
    while True:
        chunk = list(itertools.islice(rows, _SQLITE_CHUNK))
        if not chunk:
            return count
        conn.exec_driver_sql(compiled.string, chunk if plain else [prepared(r) for r in chunk])
        count += len(chunk)


@dataclass(frozen=True)
class LoadKeys:
    """The foreign keys and non-unique indexes of some tables, as the catalog defines them.

    These are what make bulk loads slow on PostgreSQL: a foreign key is checked row by row
    (a lookup and a row lock on the parent per child row) and every index is updated row
    by row. Dropped for a load and restored after it, they cost one sort per index and
    one join per key instead (3-8x faster on 2 cores). Primary keys and unique indexes
    are never dropped: upserts and the load's own checks need them.
    """

    foreign_keys: tuple[tuple[str, str, str], ...]  # (table, constraint name, definition)
    indexes: tuple[tuple[str, str], ...]  # (index name, CREATE INDEX statement)

    @classmethod
    def of(cls, conn: sa.Connection, tables: Sequence[str]) -> LoadKeys:
        """The keys and indexes of `tables` (names in the current schema)."""
        keys = conn.execute(
            sa.text(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid "
                "WHERE c.contype = 'f' AND r.relnamespace = current_schema()::regnamespace "
                "AND r.relname = ANY(:tables) ORDER BY 1, 2"
            ),
            {"tables": list(tables)},
        ).all()
        indexes = conn.execute(
            sa.text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = ANY(:tables) "
                "AND indexdef NOT LIKE 'CREATE UNIQUE %' ORDER BY 1"
            ),
            {"tables": list(tables)},
        ).all()
        return cls(tuple(tuple(k) for k in keys), tuple(tuple(i) for i in indexes))

    def drop(self, conn: sa.Connection) -> None:
        quote = conn.dialect.identifier_preparer.quote
        for table, name, _ in self.foreign_keys:
            conn.execute(sa.text(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}"))
        for name, _ in self.indexes:
            conn.execute(sa.text(f"DROP INDEX {quote(name)}"))

    def restore(self, conn: sa.Connection, *, validate: bool) -> None:
        """Recreate the indexes and add the keys back: checked now (`validate`), or NOT VALID
        (later writes are checked; `validate_keys` checks the rows already there)."""
        quote = conn.dialect.identifier_preparer.quote
        # More sort memory than the default 64 MB: each index is one in-memory sort.
        conn.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
        for _, definition in self.indexes:
            conn.execute(sa.text(definition))
        suffix = "" if validate else " NOT VALID"
        for table, name, definition in self.foreign_keys:
            conn.execute(
                sa.text(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}{suffix}")
            )

    def validate_keys(self, conn: sa.Connection) -> None:
        quote = conn.dialect.identifier_preparer.quote
        for table, name, _ in self.foreign_keys:
            conn.execute(sa.text(f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote(name)}"))


def analyze(conn: sa.Connection, tables: Sequence[str]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; autovacuum would be late)."""
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        conn.execute(sa.text(f"ANALYZE {quote(table)}"))


@contextlib.contextmanager
def relaxed_for_load(engine: Engine, tables: Sequence[sa.Table]) -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys and non-unique indexes of `tables` (`LoadKeys`)
    for a load of millions of rows, and restore them afterwards, also when the load fails.

    Each step commits on its own, so the load itself can commit in parts. Restored keys
    are checked once, in one join per key; a violation raises, and the key is still
    restored (NOT VALID) so that later writes are checked. Meant for bulk builds with no
    other writers (the demo); the importer relaxes keys inside its one transaction
    instead (`lib.ingest.write.BulkMode`). On SQLite it does nothing.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    names = [t.name for t in tables]
    with engine.begin() as conn:
        keys = LoadKeys.of(conn, names)
        keys.drop(conn)
    try:
        yield
    finally:
        with engine.begin() as conn:
            keys.restore(conn, validate=False)
        with engine.begin() as conn:
            keys.validate_keys(conn)
            analyze(conn, names)
