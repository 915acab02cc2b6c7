"""The metric cube: `compute_metrics`' values kept in the database per period, grouping and unit.

Why. A region overview at national scale aggregates a year of every table of its region
(the top overview: the whole country): seconds of SQL for figures that only change when
data is imported. The cube keeps what `compute_metrics` computed from the rows, so every
later page of that period, in any process or replica and after a restart, reads a few
hundred small rows instead.

What is kept. The raw values of `lib.queries.metrics.metric_values` (each metric and what
its rates and medians rest on), one row per (data version, period, grouping, response
limit, unit), as JSON: ints stay ints and floats round-trip exactly, so a value read back
is the value computed. Only staff scopes are kept (a partner's scope is its own, and its
suppression is applied on reading anyway), for standard periods (year, half, quarter,
month) and year-to-date ranges (the default period and its comparison a year earlier);
any other range is computed from the rows every time.

Which rows answer which question. A neighbourhood's, district's or province's values do
not depend on the scope that asked for them as long as the scope holds the whole unit
(every row of a unit is its own neighbourhoods' rows), so the units are kept under their
grouping and shared: a district page's neighbourhoods are the same rows as the top's. The
"city" row of a region's scope (a 시·도 or 시·군·구 page) is that region's row of its own
grouping. The unrestricted "city" row is the deployment's (with the city-wide donations);
the agencies are kept for the unrestricted scope only (an agency page ranks every agency).

When it is right. Rows are keyed by the data's version (`reference.data_version`), and
every writer of data (the importer, the demo builder) empties the table in its own
transaction (`clear`): a kept value is never read for other rows than it was computed
from. Rows written by other means than the import need `python -m lib.cli rollup`.
`tests/test_rollup.py` checks every metric read from the cube against the rows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.models import MetricCube
from lib.period import Period
from lib.queries import reference
from lib.queries.metrics import metric_columns, metric_values, metrics_frame, scope_units
from lib.queries.metrics_common import CITY, Values
from lib.regions import DISTRICT, NEIGHBOURHOOD, PREFIX, PROVINCE, level_of
from lib.scope import Scope

_log = logging.getLogger("itda.rollup")

KEPT_KINDS = ("year", "half", "quarter", "month")
# The groupings a unit is kept under, and the length of their codes.
_CODE_LENGTH = {PROVINCE: PREFIX[PROVINCE], DISTRICT: PREFIX[DISTRICT]}


def kept(period: Period) -> bool:
    """Whether a period's values are kept: a standard period, or a range from 1 January
    within one year (the default year to date and its comparison a year earlier)."""
    if period.kind in KEPT_KINDS:
        return True
    return (period.start.month, period.start.day) == (1, 1) and period.end.year == period.start.year


def kept_grouping(by: str, scope: Scope) -> str | None:
    """The grouping under which `compute_metrics(by=by, scope=scope)`'s rows are kept, or
    None when they are not (a partner's scope, an arbitrary set of codes, agencies
    within a region).

    An unrestricted scope keeps each grouping as itself. A region's scope (staff: it holds
    the region's every neighbourhood) keeps its units when they lie inside the region (its
    neighbourhoods; a province's districts), and its "city" row as the region's own row.
    """
    if scope.partner_view or scope.agency_code is not None:
        return None
    if by == "agency":  # every agency's referrals: the whole deployment's only
        return by if scope.neighbourhood_codes is None else None
    if scope.neighbourhood_codes is None:
        return by
    if scope.region is None:
        return None
    level = level_of(scope.region)
    if level not in _CODE_LENGTH:  # a single neighbourhood's "city" row has no target rate
        return by if by == NEIGHBOURHOOD else None
    if by == CITY:
        return level
    if by == NEIGHBOURHOOD or (by in _CODE_LENGTH and _CODE_LENGTH[by] >= _CODE_LENGTH[level]):
        return by
    return None


def _stored_units(by: str, scope: Scope, units: tuple[str, ...]) -> tuple[str, ...]:
    """The kept units that answer `units` (a region's "city" row is the region's row)."""
    if by == CITY and scope.neighbourhood_codes is not None:
        return (str(scope.region),)
    return units


def _where(version: str, period: Period, grouping: str, limit: int):
    return (
        MetricCube.version == version,
        MetricCube.period_start == period.start,
        MetricCube.period_end == period.end,
        MetricCube.grouping == grouping,
        MetricCube.limit_days == limit,
    )


def read(
    conn: sa.Connection,
    version: str,
    period: Period,
    grouping: str,
    limit: int,
    units: Sequence[str],
) -> Values | None:
    """The kept values of `units`, or None unless every one of them is kept."""
    if not units:
        return {}
    stmt = sa.select(MetricCube.unit, MetricCube.data).where(
        *_where(version, period, grouping, limit)
    )
    # A few units: ask for them; many (every neighbourhood of the country): read the lot.
    if len(units) <= 500:
        stmt = stmt.where(MetricCube.unit.in_(list(units)))
    found = {unit: data for unit, data in conn.execute(stmt)}
    if any(u not in found for u in units):
        return None
    return {u: json.loads(found[u]) for u in units}


def _jsonable(value):
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def write(
    engine: Engine,
    version: str,
    period: Period,
    grouping: str,
    limit: int,
    values: Values,
) -> None:
    """Keep `values` (units → raw values) in a transaction of its own. Units already kept
    (another session, another replica) are left as they are: they hold the same values.

    A database that refuses the write (a read-only replica, a full disk) costs the next
    page its speed, never its figures: the failure is logged and the values returned all
    the same by the caller.
    """
    rows = [
        {
            "version": version,
            "period_start": period.start,
            "period_end": period.end,
            "grouping": grouping,
            "limit_days": limit,
            "unit": unit,
            "data": json.dumps({k: _jsonable(v) for k, v in data.items()}),
        }
        for unit, data in values.items()
    ]
    if not rows:
        return
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            conn.execute(insert(MetricCube).on_conflict_do_nothing(), rows)
    except sa.exc.DBAPIError as exc:
        _log.warning("metric cube not written (%s): pages compute from the rows", exc.orig)


def clear(conn: sa.Connection) -> None:
    """Forget every kept value: the caller is about to change the data, in this transaction."""
    conn.execute(sa.delete(MetricCube))


def compute_metrics_kept(
    engine: Engine,
    period: Period,
    by: str = CITY,
    scope: Scope = Scope(),
    response_limit_days: int = 7,
    version: str | None = None,
    conn: sa.Connection | None = None,
) -> pd.DataFrame:
    """`compute_metrics(conn, period, by, scope, response_limit_days)`, read from the cube
    where it keeps the answer, else computed from the rows (and kept when it may be).

    `conn`, when given, is where the values are read and computed (the pages pass their
    snapshot of `version`, `lib.ui.snapshot`); kept values are written through `engine`
    in a transaction of their own afterwards.
    """
    if conn is None:
        with engine.connect() as own:
            return compute_metrics_kept(
                engine, period, by, scope, response_limit_days, version, conn=own
            )
    columns = metric_columns(by, scope)
    units = scope_units(conn, by, scope)
    grouping = kept_grouping(by, scope) if kept(period) else None
    if grouping is None:
        values = metric_values(conn, period, by, scope, units, response_limit_days, columns)
        return metrics_frame(values, units, columns, scope)
    version = version if version is not None else reference.data_version(conn)
    stored = _stored_units(by, scope, units)
    found = read(conn, version, period, grouping, response_limit_days, stored)
    if found is None:
        values = metric_values(conn, period, by, scope, units, response_limit_days, columns)
        found = dict(zip(stored, (values[u] for u in units), strict=True))
        write(engine, version, period, grouping, response_limit_days, found)
    values = {u: found[s] for u, s in zip(units, stored, strict=True)}
    return metrics_frame(values, units, columns, scope)


def warm(
    engine: Engine,
    periods: Iterable[Period] | None = None,
    groupings: Sequence[str] | None = None,
    response_limit_days: int | None = None,
) -> dict[str, float]:
    """Compute and keep the unrestricted values of `periods` (default: the default period,
    the data's year to date, and its comparison a year earlier; the last whole year and
    the year before it) for every grouping the
    data has (default: the city, and its provinces, districts and neighbourhoods where the
    codes carry those levels). Returns the seconds per grouping."""
    import time

    from lib import config
    from lib.regions import has_levels

    limit = (
        int(config.get("ITDA_RESPONSE_LIMIT_DAYS"))
        if response_limit_days is None
        else response_limit_days
    )
    with engine.connect() as conn:
        as_of = reference.as_of_date(conn)
        codes = scope_units(conn, NEIGHBOURHOOD, Scope())
    if as_of is None:
        return {}
    if periods is None:
        # The default period (the year to date) with its comparison a year earlier, and
        # the last whole year (its comparisons: the year before).
        default = Period.year_to_date(as_of)
        last_year = Period.year(as_of.year - 1)
        periods = (default, default.year_earlier(), last_year, last_year.previous())
    if groupings is None:
        levelled = bool(codes) and all(has_levels(c) for c in codes)
        groupings = (CITY, PROVINCE, DISTRICT, NEIGHBOURHOOD) if levelled else (CITY, NEIGHBOURHOOD)
    seconds: dict[str, float] = {}
    for period in periods:
        for grouping in groupings:
            started = time.perf_counter()
            compute_metrics_kept(engine, period, grouping, Scope(), limit)
            seconds[grouping] = seconds.get(grouping, 0.0) + time.perf_counter() - started
    return seconds


def kept_rows(conn: sa.Connection) -> int:
    """How many unit rows the cube holds (all versions)."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(MetricCube)).scalar_one())


__all__ = [
    "KEPT_KINDS",
    "clear",
    "compute_metrics_kept",
    "kept",
    "kept_grouping",
    "kept_rows",
    "read",
    "warm",
    "write",
]
