"""The metrics engine: every metric of shared/spec/metrics.md, aggregated in the database.

`compute_metrics` returns one row per scope unit (the city, every neighbourhood, every
시·군·구 or 시·도 with neighbourhoods in the scope, or every agency) and one column per
metric key. Each area runs about one statement per grouping (GROUP BY the neighbourhood
code, its region prefix `substr(code, 1, 5)` / `substr(code, 1, 2)`, or the agency; the
city from its own ungrouped statement, since rates and medians cannot be summed). A
region's row is exactly the city row of the scope narrowed to that region's
neighbourhoods (`Scope.within`): the same statements, grouped. `monthly_metric_frame`
gives the flow metrics per calendar month; `metric_change` and `rank_units` serve the
comparison of metrics.md.

In a partner view (`scope.partner_view`) both apply metrics.md "Small numbers" before
returning (`lib.suppression`): small counts read "<T", rates, medians and money given
that rest on too few are withheld, and cells that add up to a total shown elsewhere
(neighbourhoods to the scope's value, months to the period's) are completed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lib import suppression as sup
from lib.metric_defs import AGENCY_METRIC_KEYS, BY_KEY, METRIC_KEYS
from lib.models import Agency, Neighbourhood
from lib.period import Period
from lib.queries import metrics_activity as activity
from lib.queries import metrics_caseload as caseload
from lib.queries import metrics_donations as donations
from lib.queries import metrics_sharing as sharing
from lib.queries.metrics_common import (
    CITY,
    GROUPINGS,
    REGION_GROUPINGS,
    Context,
    Grouping,
    Values,
    in_scope,
    unit_column,
)
from lib.regions import unit_of
from lib.scope import Scope
from lib.sql import month_start

__all__ = [
    "Grouping",
    "MONTHLY_KEYS",
    "compute_metrics",
    "metric_change",
    "metric_columns",
    "metric_values",
    "metrics_frame",
    "scope_units",
    "monthly_metric_frame",
    "rank_neighbourhoods",
    "rank_units",
    "unit_households",
]

# Each statement group: the keys it yields and the function that computes them.
_GROUPS: tuple[tuple[tuple[str, ...], Callable[[sa.Connection, Context], Values]], ...] = (
    (caseload.COUNT_KEYS, caseload.case_counts),
    (caseload.MEDIAN_KEYS, caseload.median_days_open),
    (caseload.ACTIVITY_KEYS, caseload.case_activity),
    (donations.DONATION_KEYS, donations.donations),
    (sharing.COUNT_KEYS, sharing.referral_counts),
    (sharing.MEDIAN_KEYS, sharing.median_response_days),
    (activity.OUTREACH_KEYS, activity.outreach),
    (activity.SS_KEYS, activity.self_sufficiency),
)

# Flow metrics: sums over events dated in the period, so each month's value adds up.
MONTHLY_KEYS: tuple[str, ...] = (
    "discovered",
    "opened",
    "closed",
    "services",
    "donations_krw",
    "donations_cash_krw",
    "donations_inkind_krw",
    "donation_count",
    "disbursed_krw",
    "referrals_sent",
    "referrals_received",
    "households_visited",
    "households_found",
    "ss_started",
    "ss_exits",
)
_AGENCY_MONTHLY_KEYS = ("referrals_sent", "referrals_received")

# What each rate, median and money value given rests on (the area modules' BASES).
_BASES: dict[str, str] = {**caseload.BASES, **donations.BASES, **sharing.BASES, **activity.BASES}
# Values that add up over neighbourhoods (or agencies) to the scope's value, and over
# months to the period's: a partner view completes them (complementary suppression).
_ADDITIVE: tuple[str, ...] = (*sup.COUNT_KEYS, "disbursed_krw")


def _allowed(by: Grouping, scope: Scope, agency: Sequence[str], every: Sequence[str]):
    """The keys a grouping and scope may ask for.

    metrics.md: an agency is a scope of the case-sharing metrics only. The other areas do
    not follow `agency_code` (they would give the whole city), so an agency's partner view
    gets the case-sharing metrics whatever the grouping.
    """
    if by == "agency" or (scope.partner_view and scope.agency_code is not None):
        return agency
    return every


def _units(conn: sa.Connection, by: Grouping, scope: Scope) -> tuple[str, ...]:
    """The rows of the result: "city", or every neighbourhood, region or agency code in
    the scope (a region: the code prefix of `lib.regions.unit_of` of its neighbourhoods)."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(GROUPINGS)}")
    if by == "city":
        return (CITY,)
    if by in REGION_GROUPINGS:
        stmt = sa.select(Neighbourhood.code).where(*in_scope(Neighbourhood.code, scope))
        codes = conn.execute(stmt.order_by(Neighbourhood.code)).scalars()
        # Codes sorted, so their prefixes come sorted too: dict keeps the first of each.
        return tuple(dict.fromkeys(unit_of(code, by) for code in codes))
    stmt = sa.select(Agency.code).order_by(Agency.code)
    if scope.agency_code is not None:
        stmt = stmt.where(Agency.code == scope.agency_code)
    return tuple(conn.execute(stmt).scalars())


def _checked_keys(keys: Sequence[str] | None, allowed: Sequence[str]) -> tuple[str, ...]:
    """The requested keys in registry order; every one must be allowed."""
    if keys is None:
        return tuple(allowed)
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValueError(f"metrics {unknown} are not available here; choose from {list(allowed)}")
    return tuple(k for k in allowed if k in keys)


def compute_metrics(
    conn: sa.Connection,
    period: Period,
    by: Grouping = "city",
    scope: Scope = Scope(),
    response_limit_days: int = 7,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Metric values for one period: one row per scope unit, one column per metric key.

    `by`: "city" (one row, the scope's value), "neighbourhood", "district" (시·군·구: the
    code's first 5 digits), "province" (시·도: first 2) or "agency". A district's or
    province's row equals the "city" row of the scope narrowed to its neighbourhoods
    (households summed over them, medians over their values, no donation target), the
    index its code. City-wide donations (no neighbourhood) count only in the "city" row
    of an unrestricted scope, as for neighbourhoods.
    """
    columns = metric_columns(by, scope, keys)
    units = scope_units(conn, by, scope)
    values = metric_values(conn, period, by, scope, units, response_limit_days, columns)
    return metrics_frame(values, units, columns, scope)


def metric_columns(
    by: Grouping, scope: Scope, keys: Sequence[str] | None = None
) -> tuple[str, ...]:
    """The metric keys `compute_metrics` returns for a grouping and scope (all it may, or
    the allowed ones among `keys`, in registry order)."""
    return _checked_keys(keys, _allowed(by, scope, AGENCY_METRIC_KEYS, METRIC_KEYS))


def scope_units(conn: sa.Connection, by: Grouping, scope: Scope) -> tuple[str, ...]:
    """The rows `compute_metrics` returns: "city", or the scope's neighbourhood, region or
    agency codes."""
    return _units(conn, by, scope)


def metric_values(
    conn: sa.Connection,
    period: Period,
    by: Grouping,
    scope: Scope,
    units: tuple[str, ...],
    response_limit_days: int,
    columns: Sequence[str],
) -> Values:
    """The raw values behind `compute_metrics`: {unit: {key: value}} for every key the
    statements providing `columns` return (the metrics and what their rates and medians
    rest on), before any suppression. `lib.rollup` keeps these."""
    ctx = Context(period, by, scope, units, response_limit_days)
    values: Values = {unit: {} for unit in ctx.units}
    for provided, compute in _GROUPS:
        if any(k in columns for k in provided):
            for unit, metrics in compute(conn, ctx).items():
                values[unit].update(metrics)
    return values


def metrics_frame(
    values: Values, units: Sequence[str], columns: Sequence[str], scope: Scope
) -> pd.DataFrame:
    """`compute_metrics`' frame of raw `values`: a partner view's suppression applied, one
    row per unit, one column per key of `columns`."""
    if scope.partner_view:
        values = _partner_values(values, units, sup.threshold())
    # Object columns keep counts as ints and undefined values as None.
    frame = pd.DataFrame(
        {k: pd.Series([values[u][k] for u in units], dtype=object) for k in columns},
        columns=list(columns),
    )
    frame.index = pd.Index(list(units), name="scope", dtype=object)
    return frame


def _partner_values(values: Values, units: Sequence[str], t: int) -> Values:
    """What a partner view shows of `values` (every key the statements returned), per unit.

    Bases are read before anything is hidden: a rate is withheld for its denominator, not
    for how the denominator is shown.
    """
    out: Values = {}
    for unit in units:
        raw = values[unit]
        out[unit] = {
            key: (
                sup.small_count(value, t)
                if key in sup.COUNT_KEYS
                else sup.withheld_below(value, raw[_BASES[key]], t)
                if key in _BASES
                else value
            )
            for key, value in raw.items()
        }
    # Several rows add up to the scope's own value (shown as its city row elsewhere).
    if len(units) > 1:
        for key in (k for k in _ADDITIVE if k in out[units[0]]):
            column = sup.complement_line([out[u][key] for u in units], t)
            for unit, value in zip(units, column, strict=True):
                out[unit][key] = value
    for key, count in caseload.PER_1000.items():
        for unit in (u for u in units if key in out[u]):
            out[unit][key] = sup.withheld_with(out[unit][key], out[unit][count], t)
    return out


def _monthly_sums(
    conn: sa.Connection, source: sa.Select, keys: Sequence[str], by: Grouping
) -> pd.DataFrame:
    """Columns month (`YYYY-MM-01`), unit and one sum per key: one GROUP BY month query."""
    sub = source.subquery()
    month = month_start(sub.c.event_on).label("month")
    # Sources give each row's neighbourhood (or agency) as `unit`; a region groups its prefix.
    unit = sa.literal_column(f"'{CITY}'") if by == "city" else sub.c.unit
    if by in REGION_GROUPINGS:
        unit = unit_column(sub.c.unit, by)
    group = [month] if by == "city" else [month, unit]
    sums = (sa.func.coalesce(sa.func.sum(sub.c[k]), 0).label(k) for k in keys)
    stmt = sa.select(month, unit.label("unit"), *sums).group_by(*group)
    # Plain tuples: pandas probes Row objects attribute by attribute, which is slow.
    rows = [tuple(row) for row in conn.execute(stmt).all()]
    return pd.DataFrame(rows, columns=["month", "unit", *keys])


def monthly_metric_frame(
    conn: sa.Connection,
    period: Period,
    keys: Sequence[str],
    by: Grouping = "city",
    scope: Scope = Scope(),
    response_limit_days: int = 7,
) -> pd.DataFrame:
    """Long rows (month, scope, key, value) of flow metrics per calendar month of the period.

    Every month of the period appears for every unit and key (0 when nothing happened);
    `month` is the month's first day. `response_limit_days` is accepted for symmetry with
    `compute_metrics` (no flow metric depends on it).
    """
    wanted = _checked_keys(keys, _allowed(by, scope, _AGENCY_MONTHLY_KEYS, MONTHLY_KEYS))
    ctx = Context(period, by, scope, _units(conn, by, scope), response_limit_days)
    months, units = period.months(), ctx.units
    # One flat array holds every key × unit × month, so that months without events are 0
    # (charts need no gaps): position = (key · len(units) + unit) · len(months) + month.
    block = len(units) * len(months)
    values = np.zeros(len(wanted) * block, dtype=np.int64)
    month_pos = {m.isoformat(): i for i, m in enumerate(months)}
    unit_pos = {u: i for i, u in enumerate(units)}
    sources = [
        *caseload.monthly_sources(ctx),
        *donations.monthly_sources(ctx),
        *sharing.monthly_sources(ctx),
        *activity.monthly_sources(ctx),
    ]
    for source in sources:
        present = [k for k in wanted if k in source.selected_columns]
        if not present:
            continue
        sums = _monthly_sums(conn, source, present, by)
        if sums.empty:  # nothing happened: the zeros stay (an empty frame has no dtypes)
            continue
        at = sums["unit"].map(unit_pos) * len(months) + sums["month"].astype(str).map(month_pos)
        # Rows outside the units (city-wide donations, by neighbourhood) have no position.
        known = at.notna().to_numpy()
        at = at[known].astype(np.int64).to_numpy()
        for k in present:
            values[wanted.index(k) * block + at] = sums[k][known].astype(np.int64)
    frame = pd.DataFrame(
        {
            "month": pd.Series(months * (len(wanted) * len(units)), dtype=object),
            "scope": pd.Series(
                np.tile(np.repeat(list(units), len(months)), len(wanted)), dtype=object
            ),
            "key": pd.Series(np.repeat(list(wanted), block), dtype=object),
            "value": values,
        }
    )
    return _partner_monthly(conn, ctx, frame) if scope.partner_view else frame


def _partner_monthly(conn: sa.Connection, ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """What a partner view shows of the monthly rows (a value column of objects).

    Each key is a table of months × units whose rows add up to each unit's value for the
    period and whose columns add up to the scope's month: both are completed.
    """
    t = sup.threshold()
    parts = []
    for key, part in frame.groupby("key", sort=False):
        part = part.assign(value=part["value"].astype(object))
        if key in sup.COUNT_KEYS:
            part = sup.small_counts(part, ["value"], t)
        elif key == "disbursed_krw":
            given = caseload.households_given_by_month(conn, ctx)
            part["value"] = [
                sup.withheld_below(v, given.get((u, m), 0), t)
                for v, u, m in zip(part["value"], part["scope"], part["month"], strict=True)
            ]
        if key in _ADDITIVE:
            part = sup.complement_long(part, "value", ["month", "scope"], t)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else frame


def _undefined(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def metric_change(current: Any, previous: Any, unit: str) -> float | None:
    """The change from the previous period: absolute for counts, won and days, points for rates.

    Rates are stored as percentages, so their difference is already in percentage points.
    None when either value is undefined, or suppressed in a partner view: the change and
    the other value would give the hidden one back.
    """
    if unit not in ("count", "krw", "rate", "days"):
        raise ValueError(f"unknown unit {unit!r}")
    if any(_undefined(v) or sup.is_suppressed(v) for v in (current, previous)):
        return None
    return float(current) - float(previous)


def rank_units(frame: pd.DataFrame, key: str, households: pd.Series) -> pd.Series:
    """Each unit's rank on `key` among the rows of `frame` (1 = highest; ties share the
    best rank). The rows are whatever `compute_metrics` grouped by (neighbourhoods,
    districts or provinces; a "city" row is left out): rank among siblings by passing
    the siblings' frame.

    Where the metric ranks per 1,000 households (`Metric.rank_per_1000`), the value is
    divided by the unit's households first (`households` indexed by unit code, e.g.
    `unit_households`); units without a value (or without households, then) are
    unranked (<NA>).
    """
    values = pd.to_numeric(frame[key].drop(index=CITY, errors="ignore"), errors="coerce")
    values = values.astype("float64")
    if BY_KEY[key].rank_per_1000:
        per = households.reindex(values.index).astype("float64")
        values = (values / per.where(per > 0)) * 1000
    ranks = values.rank(method="min", ascending=False, na_option="keep")
    return ranks.astype("Int64").rename(key)


# The neighbourhood case of `rank_units` (its first name; the pages and reviews call it).
rank_neighbourhoods = rank_units


def unit_households(conn: sa.Connection, by: Grouping, scope: Scope = Scope()) -> pd.Series:
    """Households per unit of a grouping (neighbourhood, district, province or city),
    summed in SQL over the scope's neighbourhoods: what `rank_units` divides by."""
    if by == "agency":
        raise ValueError("agencies have no households")
    ctx = Context(Period.parse("2000"), by, scope, _units(conn, by, scope))
    found = caseload.households(conn, ctx)
    return pd.Series(
        [found.get(u, 0) for u in ctx.units],
        index=pd.Index(list(ctx.units), name="scope", dtype=object),
        dtype="int64",
        name="households",
    )
