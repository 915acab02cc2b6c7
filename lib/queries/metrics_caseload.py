"""Caseload metrics (사례관리) of metrics.md, aggregated in the database.

Three statements per grouping: the case counts, the median days to close, and the case
activity (services and disbursements in one union, which also yields `disbursed_krw`
and `supported_households` of the donations area).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lib.models import Case, Disbursement, Neighbourhood, Service
from lib.queries.metrics_common import (
    CITY,
    Context,
    Values,
    aggregate,
    count_if,
    in_scope,
    medians,
    pct,
)
from lib.sql import days_between, month_start

COUNT_KEYS = (
    "discovered",
    "opened",
    "active",
    "closed",
    "active_per_1000",
    "high_risk_share",
    "isolated_active",
    "plan_on_time_rate",
)
MEDIAN_KEYS = ("median_days_open",)
ACTIVITY_KEYS = ("served_households", "services", "disbursed_krw", "supported_households")

# What each rate and median rests on (metrics.md "Small numbers"): partner views withhold
# the value when that number is from 1 to T − 1. Each is a metric key or an extra number
# the statements below return beside the metrics (compute_metrics never shows it).
BASES = {
    "high_risk_share": "active",
    "plan_on_time_rate": "plan_due",
    "median_days_open": "days_open_values",
}
# A rate per 1,000 households is withheld whenever its count is not shown: the households
# are public, so the rate would give the count back.
PER_1000 = {"active_per_1000": "active"}

HIGH_RISK = "고위험"
PLAN_DAYS = 30  # intake → plan within 30 days (DOMAIN.md, metrics.md)


def _group(ctx: Context):
    return ctx.unit(Case.neighbourhood_code)


def households(conn: sa.Connection, ctx: Context) -> dict[str, int]:
    """Households per unit: the sum over the unit's neighbourhoods in the scope (a
    neighbourhood's own; a region's or the city's, summed in SQL)."""
    where = in_scope(Neighbourhood.code, ctx.scope)
    total = sa.func.sum(Neighbourhood.households)
    unit = ctx.unit(Neighbourhood.code)
    if unit is not None:
        stmt = sa.select(unit.label("unit"), total).where(*where).group_by(unit)
        return {code: int(h or 0) for code, h in conn.execute(stmt)}
    return {CITY: int(conn.execute(sa.select(total).where(*where)).scalar() or 0)}


def case_counts(conn: sa.Connection, ctx: Context) -> Values:
    """discovered, opened, active, closed and the rates built on them, per unit."""
    s, e = ctx.start, ctx.end
    active = sa.and_(Case.opened_on <= e, sa.or_(Case.closed_on.is_(None), Case.closed_on > e))
    # opened_on + 30 ≤ end  ⇔  opened_on ≤ end − 30 (a bound date, so the index still helps).
    plan_due = sa.and_(
        Case.opened_on.between(s, e), Case.opened_on <= e - dt.timedelta(days=PLAN_DAYS)
    )
    stmt = sa.select(
        count_if(Case.discovered_on.between(s, e)).label("discovered"),
        count_if(Case.opened_on.between(s, e)).label("opened"),
        count_if(active).label("active"),
        count_if(sa.and_(Case.opened_on.is_not(None), Case.closed_on.between(s, e))).label(
            "closed"
        ),
        count_if(sa.and_(active, Case.risk_level == HIGH_RISK)).label("high_risk"),
        count_if(sa.and_(active, Case.isolated == sa.true())).label("isolated_active"),
        count_if(plan_due).label("plan_due"),
        count_if(
            sa.and_(
                plan_due,
                Case.plan_on.is_not(None),
                days_between(Case.plan_on, Case.opened_on) <= PLAN_DAYS,
            )
        ).label("plan_on_time"),
    ).where(
        # Every counted case was discovered by the end and not closed before the start
        # (discovered ≤ opened ≤ closed), so older history is never scanned.
        Case.discovered_on <= e,
        sa.or_(Case.closed_on.is_(None), Case.closed_on >= s),
        *in_scope(Case.neighbourhood_code, ctx.scope),
    )
    raw = aggregate(conn, stmt, _group(ctx), ctx.units)
    per_unit = households(conn, ctx)
    out: Values = {}
    for unit, r in raw.items():
        h = per_unit.get(unit, 0)
        out[unit] = {
            "discovered": r["discovered"],
            "opened": r["opened"],
            "active": r["active"],
            "closed": r["closed"],
            "active_per_1000": r["active"] * 1000 / h if h else None,
            "high_risk_share": pct(r["high_risk"], r["active"]),
            "isolated_active": r["isolated_active"],
            "plan_on_time_rate": pct(r["plan_on_time"], r["plan_due"]),
            "plan_due": r["plan_due"],
        }
    return out


def median_days_open(conn: sa.Connection, ctx: Context) -> Values:
    """The median of closed_on − opened_on over the closed cases, per unit."""
    group = _group(ctx)
    values = sa.select(days_between(Case.closed_on, Case.opened_on).label("value")).where(
        Case.opened_on.is_not(None),
        Case.closed_on.between(ctx.start, ctx.end),
        *in_scope(Case.neighbourhood_code, ctx.scope),
    )
    found = medians(conn, values, group, ctx.units)
    return {u: {"median_days_open": m, "days_open_values": n} for u, (m, n) in found.items()}


def _activity_rows(ctx: Context, *, with_code: bool) -> sa.Subquery:
    """Services and disbursements in P as rows (case_id, [code,] services, amount, given).

    With `with_code` each row carries its case's neighbourhood code, joined row by row
    and limited to the scope: the planner then starts from the scope's cases (an index
    on welfare_case.neighbourhood_code, then service.case_id / disbursement.case_id) for
    a narrow scope, and hashes the two sides for a wide one. Aggregating per case first
    and joining afterwards hid the row count from the planner (a GROUP BY over a UNION
    is estimated at 200 rows), which chose a nested loop over 200,000 cases.
    """
    s, e = ctx.start, ctx.end
    one, zero = sa.literal_column("1"), sa.literal_column("0")
    code = [Case.neighbourhood_code.label("code")] if with_code else []
    where = in_scope(Case.neighbourhood_code, ctx.scope) if with_code else []
    services = sa.select(
        Service.case_id, *code, one.label("services"), zero.label("amount"), zero.label("given")
    ).where(Service.provided_on.between(s, e), *where)
    disbursements = sa.select(
        Disbursement.case_id, *code, zero, Disbursement.amount_krw, one
    ).where(Disbursement.paid_on.between(s, e), *where)
    if with_code:
        services = services.join_from(Service, Case, Case.case_id == Service.case_id)
        disbursements = disbursements.join_from(
            Disbursement, Case, Case.case_id == Disbursement.case_id
        )
    return sa.union_all(services, disbursements).subquery("activity")


def case_activity(conn: sa.Connection, ctx: Context) -> Values:
    """services, served_households, disbursed_krw and supported_households, per unit."""
    # Rows of a neighbourhood or region, or of a restricted scope, need their case's code.
    with_code = ctx.by_region or ctx.scope.neighbourhood_codes is not None
    act = _activity_rows(ctx, with_code=with_code)
    keys = [act.c.case_id, act.c.code] if with_code else [act.c.case_id]
    # One row per case first: the outer query then needs no COUNT(DISTINCT) (no big sort).
    per_case = (
        sa.select(
            *keys,
            sa.func.sum(act.c.services).label("services"),
            sa.func.sum(act.c.amount).label("amount"),
            sa.func.max(act.c.given).label("given"),
        )
        .group_by(*keys)
        .subquery("per_case")
    )
    stmt = sa.select(
        sa.func.sum(per_case.c.services).label("services"),
        sa.func.count().label("served_households"),
        sa.func.sum(per_case.c.amount).label("disbursed_krw"),
        sa.func.sum(per_case.c.given).label("supported_households"),
    ).select_from(per_case)
    group = ctx.unit(per_case.c.code) if with_code else None
    return aggregate(conn, stmt, group, ctx.units)


def households_given_by_month(conn: sa.Connection, ctx: Context) -> dict[tuple[str, dt.date], int]:
    """`supported_households` per (unit, first day of the month) of the period.

    Distinct cases cannot be summed month by month, so this is a query of its own; partner
    views need it to withhold a month's money given to fewer than T households.
    """
    month = month_start(Disbursement.paid_on).label("month")
    stmt = (
        sa.select(month, sa.func.count(sa.distinct(Disbursement.case_id)).label("households"))
        .join_from(Disbursement, Case, Case.case_id == Disbursement.case_id)
        .where(
            Disbursement.paid_on.between(ctx.start, ctx.end),
            *in_scope(Case.neighbourhood_code, ctx.scope),
        )
    )
    unit = ctx.unit(Case.neighbourhood_code)
    if unit is not None:
        stmt = stmt.add_columns(unit).group_by(month, unit)
        rows = conn.execute(stmt).all()
    else:
        rows = [(m, n, CITY) for m, n in conn.execute(stmt.group_by(month)).all()]
    return {(unit, dt.date.fromisoformat(str(m)[:10])): int(n) for m, n, unit in rows}


def monthly_sources(ctx: Context) -> list[sa.Select]:
    """Rows (event_on, unit, <metric key>…) whose metric columns are summed per month."""
    s, e = ctx.start, ctx.end
    scope = in_scope(Case.neighbourhood_code, ctx.scope)
    nb = Case.neighbourhood_code.label("unit")

    def case_rows(on, key: str, *where) -> sa.Select:
        flags = [_flag(k == key).label(k) for k in ("discovered", "opened", "closed")]
        return sa.select(on.label("event_on"), nb, *flags).where(on.between(s, e), *where, *scope)

    # One statement over the case table: a case counts once per date it has in P.
    cases = sa.union_all(
        case_rows(Case.discovered_on, "discovered"),
        case_rows(Case.opened_on, "opened"),
        case_rows(Case.closed_on, "closed", Case.opened_on.is_not(None)),
    )
    # Services and disbursements take their neighbourhood from the case: one join for both.
    activity = sa.union_all(
        sa.select(
            Service.provided_on.label("event_on"),
            Service.case_id,
            _flag(True).label("services"),
            _flag(False).label("disbursed_krw"),
        ).where(Service.provided_on.between(s, e)),
        sa.select(
            Disbursement.paid_on, Disbursement.case_id, _flag(False), Disbursement.amount_krw
        ).where(Disbursement.paid_on.between(s, e)),
    ).subquery("activity")
    given = (
        sa.select(activity.c.event_on, nb, activity.c.services, activity.c.disbursed_krw)
        .join_from(activity, Case, Case.case_id == activity.c.case_id)
        .where(*scope)
    )
    return [sa.select(*cases.subquery().c), given]


def _flag(on: bool):
    return sa.literal_column("1" if on else "0")
