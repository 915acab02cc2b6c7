"""Shared pieces of the metrics engine: the query context and running grouped aggregates.

Each area module (`metrics_caseload`, `metrics_donations`, `metrics_sharing`,
`metrics_activity`) builds one aggregate statement per grouping; `aggregate` adds the
GROUP BY (or none, for the city) and returns raw numbers for every unit of the grouping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from lib.period import Period
from lib.regions import PREFIX
from lib.scope import Scope
from lib.sql import code_prefix, median_by

Grouping = Literal["city", "neighbourhood", "district", "province", "agency"]
GROUPINGS: tuple[str, ...] = ("city", "neighbourhood", "district", "province", "agency")
# Groupings whose units are regions of neighbourhoods (lib.regions): a neighbourhood, its
# 시·군·구 (the code's first 5 digits) or its 시·도 (first 2). Every row of such a grouping
# belongs to the unit of its neighbourhood code.
REGION_GROUPINGS: tuple[str, ...] = ("neighbourhood", "district", "province")
CITY = "city"

# Values per unit: {unit: {metric key: value}}.
Values = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Context:
    """What every area query needs: the period, the grouping, the scope and its units."""

    period: Period
    by: Grouping
    scope: Scope
    units: tuple[str, ...]  # "city", or the neighbourhood, region or agency codes
    response_limit_days: int = 7

    @property
    def by_region(self) -> bool:
        """Whether the rows are neighbourhoods or regions of them (grouped by their code)."""
        return self.by in REGION_GROUPINGS

    def unit(self, code: ColumnElement) -> ColumnElement | None:
        """What a neighbourhood `code` column is grouped by: itself, its region's code
        prefix, or nothing (the city and agencies: no neighbourhood grouping)."""
        return unit_column(code, self.by)

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end


def unit_column(code: ColumnElement, by: str) -> ColumnElement | None:
    """The GROUP BY expression of a neighbourhood `code` column for grouping `by`:
    the code (neighbourhood), `substr(code, 1, 5)` (district), `substr(code, 1, 2)`
    (province); None for the city and agencies. A NULL code (a city-wide donation)
    belongs to no unit."""
    if by == "neighbourhood":
        return code
    if by in PREFIX:
        return code_prefix(code, PREFIX[by])
    return None


def in_scope(column: ColumnElement, scope: Scope) -> list[ColumnElement[bool]]:
    """The WHERE clauses limiting `column` (a neighbourhood code) to the scope's neighbourhoods."""
    if scope.neighbourhood_codes is None:
        return []
    return [column.in_(scope.neighbourhood_codes)]


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """COUNT of the rows meeting `condition` (0, never NULL, on an empty group)."""
    return sa.func.count(sa.case((condition, 1)))


def sum_if(condition: ColumnElement[bool], value: ColumnElement) -> ColumnElement:
    """SUM of `value` over the rows meeting `condition` (NULL on an empty group)."""
    return sa.func.sum(sa.case((condition, value)))


def _whole(value: Any) -> int:
    # Sums come back as Decimal on PostgreSQL (sum of bigint is numeric) and NULL when empty.
    if value is None:
        return 0
    return int(value) if isinstance(value, (int, Decimal)) else int(round(value))


def aggregate(
    conn: sa.Connection, stmt: sa.Select, group: ColumnElement | None, units: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Whole-number aggregates of `stmt` per unit; units without rows get zeros."""
    names = [c.name for c in stmt.selected_columns]
    if group is None:
        found = {CITY: conn.execute(stmt).one()._asdict()}
    else:
        stmt = stmt.add_columns(group.label("unit")).group_by(group)
        found = {row.unit: row._asdict() for row in conn.execute(stmt)}
    zero = dict.fromkeys(names, 0)
    return {u: {n: _whole(found.get(u, zero)[n]) for n in names} for u in units}


def medians(
    conn: sa.Connection, values: sa.Select, group: ColumnElement | None, units: Iterable[str]
) -> dict[str, tuple[float | None, int]]:
    """(median, number of values) of the `value` column of `values` per unit.

    The median is None where a unit has no values (and the number 0).
    """
    if group is None:
        median, n = conn.execute(median_by(values, grouped=False)).one()
        found = {CITY: (median, n)}
    else:
        stmt = median_by(values.add_columns(group.label("unit")), grouped=True)
        found = {unit: (median, n) for unit, median, n in conn.execute(stmt)}
    out = {}
    for u in units:
        median, n = found.get(u, (None, 0))
        out[u] = (None, 0) if median is None else (float(median), int(n))
    return out


def pct(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator as a percentage; None when the denominator is empty."""
    return None if not denominator else numerator * 100 / denominator


def wanted(keys: Sequence[str], provided: Iterable[str]) -> bool:
    """True when any of `provided` is among the requested `keys`."""
    return any(k in keys for k in provided)
