"""Donation metrics (후원) of metrics.md, aggregated in the database.

A donation belongs to its own neighbourhood; city-wide donations (no neighbourhood) count
for the city only. `disbursed_krw` and `supported_households` follow the case of each
disbursement and are computed with the case activity (`metrics_caseload.case_activity`).
"""

from __future__ import annotations

import sqlalchemy as sa

from lib.models import Donation, Target
from lib.queries.metrics_common import Context, Values, aggregate, count_if, in_scope, sum_if

DONATION_KEYS = (
    "donations_krw",
    "donations_cash_krw",
    "donations_inkind_krw",
    "donation_count",
    "donors",
    "donation_target_rate",
)
# What a value rests on (metrics.md "Small numbers"): partner views withhold money given
# to fewer than T households (both numbers come from metrics_caseload.case_activity).
# Money raised and its target rate (money ÷ money) name no one and are always shown.
BASES = {"disbursed_krw": "supported_households"}
CASH, IN_KIND = "현금", "현물"
TARGET_METRIC = "donations_krw"


def _targets(conn: sa.Connection, ctx: Context) -> dict[str, float]:
    """The donations_krw target of the period's year per unit ({} when P spans years)."""
    year = ctx.period.single_year
    if year is None:
        return {}
    stmt = sa.select(Target.neighbourhood_code, Target.value).where(
        Target.year == year, Target.metric == TARGET_METRIC
    )
    if ctx.by == "neighbourhood":
        stmt = stmt.where(Target.neighbourhood_code.is_not(None))
        stmt = stmt.where(*in_scope(Target.neighbourhood_code, ctx.scope))
    elif ctx.by == "city" and ctx.scope.neighbourhood_codes is None:
        stmt = stmt.where(Target.neighbourhood_code.is_(None))
    else:
        # A viewer limited to some neighbourhoods, or a region (a district or province:
        # targets are set for neighbourhoods and the whole deployment only), sees a total
        # that no target describes: no target rate.
        return {}
    return {code or "city": float(value) for code, value in conn.execute(stmt)}


def donations(conn: sa.Connection, ctx: Context) -> Values:
    """Amounts, counts, donors and the target rate of donations received in P, per unit."""
    stmt = sa.select(
        sa.func.sum(Donation.amount_krw).label("donations_krw"),
        sum_if(Donation.form == CASH, Donation.amount_krw).label("donations_cash_krw"),
        sum_if(Donation.form == IN_KIND, Donation.amount_krw).label("donations_inkind_krw"),
        sa.func.count().label("donation_count"),
        # Each donation without a donor_id is a donor of its own (metrics.md).
        sa.func.count(sa.distinct(Donation.donor_id)).label("known_donors"),
        count_if(Donation.donor_id.is_(None)).label("anonymous"),
    ).where(
        Donation.received_on.between(ctx.start, ctx.end),
        *in_scope(Donation.neighbourhood_code, ctx.scope),
    )
    # A city-wide donation (no neighbourhood) has a NULL unit: it belongs to no region.
    group = ctx.unit(Donation.neighbourhood_code)
    raw = aggregate(conn, stmt, group, ctx.units)
    targets = _targets(conn, ctx)
    out: Values = {}
    for unit, r in raw.items():
        target = targets.get(unit)
        out[unit] = {
            "donations_krw": r["donations_krw"],
            "donations_cash_krw": r["donations_cash_krw"],
            "donations_inkind_krw": r["donations_inkind_krw"],
            "donation_count": r["donation_count"],
            "donors": r["known_donors"] + r["anonymous"],
            "donation_target_rate": r["donations_krw"] * 100 / target if target else None,
        }
    return out


def monthly_sources(ctx: Context) -> list[sa.Select]:
    """Rows (event_on, unit, <metric key>…) whose metric columns are summed per month."""
    amount = Donation.amount_krw
    stmt = sa.select(
        Donation.received_on.label("event_on"),
        Donation.neighbourhood_code.label("unit"),
        amount.label("donations_krw"),
        sa.case((Donation.form == CASH, amount), else_=0).label("donations_cash_krw"),
        sa.case((Donation.form == IN_KIND, amount), else_=0).label("donations_inkind_krw"),
        sa.literal_column("1").label("donation_count"),
    ).where(
        Donation.received_on.between(ctx.start, ctx.end),
        *in_scope(Donation.neighbourhood_code, ctx.scope),
    )
    return [stmt]
