"""Case-sharing metrics (사례공유) of metrics.md, aggregated in the database.

For the city and a neighbourhood a referral counts where its case belongs, and every
referral is received by some agency, so `referrals_received` equals `referrals_sent`.
For an agency, "sent" counts referrals from it and every other metric is about the
referrals it received (to it).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from lib.enums import ACCEPTED_STATUSES
from lib.models import Case, Referral
from lib.queries.metrics_common import Context, Values, aggregate, count_if, in_scope, medians, pct
from lib.sql import days_between

COUNT_KEYS = (
    "referrals_sent",
    "referrals_received",
    "acceptance_rate",
    "pending",
    "overdue",
    "completion_rate",
)
MEDIAN_KEYS = ("median_response_days",)
# What each rate and median rests on (metrics.md "Small numbers"): partner views withhold
# the value when that number is from 1 to T − 1 (extra numbers beside the metrics).
BASES = {
    "acceptance_rate": "answered",
    "completion_rate": "finished",
    "median_response_days": "response_values",
}

DECLINED, COMPLETED, FAILED, WITHDRAWN = "불수락", "연계완료", "연계실패", "회수"


def _restrict(stmt: sa.Select, ctx: Context) -> sa.Select:
    """`stmt` limited to the scope: the case's neighbourhood and the partner agency."""
    if ctx.by_region or ctx.scope.neighbourhood_codes is not None:
        stmt = stmt.join_from(Referral, Case, Case.case_id == Referral.case_id).where(
            *in_scope(Case.neighbourhood_code, ctx.scope)
        )
    else:
        stmt = stmt.select_from(Referral)
    if ctx.scope.agency_code is not None:
        agency = ctx.scope.agency_code
        stmt = stmt.where(
            sa.or_(Referral.from_agency_code == agency, Referral.to_agency_code == agency)
        )
    return stmt


def _receiver_group(ctx: Context):
    """The column a referral is counted under for every metric but `referrals_sent`."""
    if ctx.by_region:
        return ctx.unit(Case.neighbourhood_code)
    if ctx.by == "agency":
        return Referral.to_agency_code
    return None


def referral_counts(conn: sa.Connection, ctx: Context) -> Values:
    """Referral counts, pending and overdue, and acceptance and completion rates, per unit."""
    s, e = ctx.start, ctx.end
    requested = Referral.requested_on.between(s, e)
    responded = sa.and_(requested, Referral.responded_on <= e)
    accepted = Referral.status.in_(ACCEPTED_STATUSES)
    finished = sa.and_(requested, accepted, Referral.closed_on <= e)
    pending = sa.and_(
        Referral.requested_on <= e,
        sa.or_(Referral.responded_on.is_(None), Referral.responded_on > e),
        # Withdrawn by the end (회수 with closed_on ≤ end) no longer waits for an answer.
        sa.or_(Referral.status != WITHDRAWN, Referral.closed_on.is_(None), Referral.closed_on > e),
    )
    # end − requested_on > limit  ⇔  requested_on < end − limit
    overdue_before = e - dt.timedelta(days=ctx.response_limit_days)
    stmt = sa.select(
        count_if(requested).label("received"),
        count_if(sa.and_(responded, accepted)).label("accepted"),
        count_if(sa.and_(responded, Referral.status == DECLINED)).label("declined"),
        count_if(pending).label("pending"),
        count_if(sa.and_(pending, Referral.requested_on < overdue_before)).label("overdue"),
        count_if(sa.and_(finished, Referral.status == COMPLETED)).label("completed"),
        count_if(sa.and_(finished, Referral.status == FAILED)).label("failed"),
    ).where(
        # Only referrals requested in P or possibly still waiting at the end matter.
        Referral.requested_on <= e,
        sa.or_(
            Referral.requested_on >= s,
            Referral.responded_on.is_(None),
            Referral.responded_on > e,
        ),
    )
    raw = aggregate(conn, _restrict(stmt, ctx), _receiver_group(ctx), ctx.units)
    sent = _sent_by_agency(conn, ctx) if ctx.by == "agency" else None
    out: Values = {}
    for unit, r in raw.items():
        answered, finished = r["accepted"] + r["declined"], r["completed"] + r["failed"]
        out[unit] = {
            "referrals_sent": sent[unit] if sent is not None else r["received"],
            "referrals_received": r["received"],
            "acceptance_rate": pct(r["accepted"], answered),
            "pending": r["pending"],
            "overdue": r["overdue"],
            "completion_rate": pct(r["completed"], finished),
            "answered": answered,
            "finished": finished,
        }
    return out


def _sent_by_agency(conn: sa.Connection, ctx: Context) -> dict[str, int]:
    """Referrals requested in P per sending agency."""
    stmt = sa.select(sa.func.count().label("sent")).where(
        Referral.requested_on.between(ctx.start, ctx.end)
    )
    raw = aggregate(conn, _restrict(stmt, ctx), Referral.from_agency_code, ctx.units)
    return {unit: r["sent"] for unit, r in raw.items()}


def median_response_days(conn: sa.Connection, ctx: Context) -> Values:
    """The median of responded_on − requested_on over referrals answered by the end."""
    values = sa.select(
        days_between(Referral.responded_on, Referral.requested_on).label("value")
    ).where(
        Referral.requested_on.between(ctx.start, ctx.end),
        Referral.responded_on <= ctx.end,
    )
    found = medians(conn, _restrict(values, ctx), _receiver_group(ctx), ctx.units)
    return {u: {"median_response_days": m, "response_values": n} for u, (m, n) in found.items()}


def monthly_sources(ctx: Context) -> list[sa.Select]:
    """Rows (event_on, unit, <metric key>…) whose metric columns are summed per month."""
    in_p = Referral.requested_on.between(ctx.start, ctx.end)
    one = sa.literal_column("1")
    if ctx.by != "agency":
        # The city ignores the unit column; a neighbourhood counts its cases' referrals.
        unit = Case.neighbourhood_code if ctx.by_region else Referral.to_agency_code
        stmt = sa.select(
            Referral.requested_on.label("event_on"),
            unit.label("unit"),
            one.label("referrals_sent"),
            one.label("referrals_received"),
        ).where(in_p)
        return [_restrict(stmt, ctx)]
    # An agency sends and receives different referrals: one row per role.
    zero = sa.literal_column("0")
    sent = sa.select(
        Referral.requested_on.label("event_on"),
        Referral.from_agency_code.label("unit"),
        one.label("referrals_sent"),
        zero.label("referrals_received"),
    ).where(in_p)
    received = sa.select(
        Referral.requested_on.label("event_on"),
        Referral.to_agency_code.label("unit"),
        zero.label("referrals_sent"),
        one.label("referrals_received"),
    ).where(in_p)
    both = sa.union_all(_restrict(sent, ctx), _restrict(received, ctx)).subquery()
    return [sa.select(*both.c)]
