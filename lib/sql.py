"""Portable SQL pieces that SQLite and PostgreSQL spell differently.

Queries build on these so that one statement runs unchanged on both databases.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class days_between(FunctionElement):
    """Whole days from `earlier` to `later` (later − earlier), as an integer."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class add_days(FunctionElement):
    """`date` plus a whole number of days, as a date."""

    type = sa.Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days)
def _add_days_default(element, compiler, **kw):
    date, days = list(element.clauses)
    return f"({compiler.process(date, **kw)} + {compiler.process(days, **kw)})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    date, days = list(element.clauses)
    return f"date({compiler.process(date, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


class month_start(FunctionElement):
    """The first day of the date's month, as `YYYY-MM-01` text (sorts and groups alike)."""

    type = sa.String()
    inherit_cache = True
    name = "month_start"


@compiles(month_start)
def _month_start_default(element, compiler, **kw):
    (date,) = list(element.clauses)
    return f"to_char(date_trunc('month', {compiler.process(date, **kw)}), 'YYYY-MM-DD')"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    (date,) = list(element.clauses)
    return f"strftime('%Y-%m-01', {compiler.process(date, **kw)})"


def in_period(column: ColumnElement, start, end) -> ColumnElement[bool]:
    """start ≤ column ≤ end, both days included (metrics.md: "in P")."""
    return column.between(start, end)


def median_by(values: sa.Select, *, grouped: bool) -> sa.Select:
    """(unit, median, n) rows: the middle `value`, or the mean of the two middle ones, and
    the number of values n, per `unit` (partner views withhold a median over too few).

    `values` selects a column `value` (and `unit` when `grouped`). Window functions run on
    SQLite and PostgreSQL alike: a row is a middle one when 2·rank lies in [n, n + 2]
    (n odd: rank (n+1)/2; n even: ranks n/2 and n/2 + 1), which needs no integer division.
    """
    sub = values.subquery()
    partition = [sub.c.unit] if grouped else None
    ranked = sa.select(
        *([sub.c.unit] if grouped else []),
        sub.c.value,
        sa.func.row_number().over(partition_by=partition, order_by=sub.c.value).label("rn"),
        sa.func.count().over(partition_by=partition).label("n"),
    ).subquery()
    median = sa.cast(sa.func.avg(ranked.c.value), sa.Float).label("median")
    n = sa.func.max(ranked.c.n).label("n")
    stmt = sa.select(*([ranked.c.unit] if grouped else []), median, n).where(
        (ranked.c.rn * 2).between(ranked.c.n, ranked.c.n + 2)
    )
    return stmt.group_by(ranked.c.unit) if grouped else stmt


def code_prefix(column: ColumnElement, length: int) -> ColumnElement[str]:
    """The first `length` characters of a code (`substr(code, 1, n)`, spelled alike on
    SQLite and PostgreSQL): a neighbourhood's 시·도 (2) or 시·군·구 (5). NULL stays NULL."""
    return sa.func.substr(column, 1, length)
