"""Fast bulk inserts: PostgreSQL's COPY through psycopg 3, SQLite's executemany.

`insert_rows` writes inside the caller's transaction and never commits: the demo builder
and the importer decide when their work becomes visible.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

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
