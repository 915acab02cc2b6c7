"""Outreach (찾아가는 방문) and self-sufficiency (자활) metrics of metrics.md, in the database."""

from __future__ import annotations

import sqlalchemy as sa

from lib.enums import SS_SUCCESS_OUTCOMES
from lib.models import OutreachVisit, SelfSufficiencyParticipant
from lib.queries.metrics_common import Context, Values, aggregate, count_if, in_scope, pct

OUTREACH_KEYS = ("households_visited", "households_found")
SS_KEYS = ("ss_active", "ss_started", "ss_exits", "ss_success_rate", "ss_programmes")
# What each rate rests on (metrics.md "Small numbers"): partner views withhold the rate
# when that number is from 1 to T − 1.
BASES = {"ss_success_rate": "ss_exits"}

Visit = OutreachVisit
Participant = SelfSufficiencyParticipant


def outreach(conn: sa.Connection, ctx: Context) -> Values:
    """Households visited and found on visits in P, per unit."""
    stmt = sa.select(
        sa.func.sum(Visit.households_visited).label("households_visited"),
        sa.func.sum(Visit.households_found).label("households_found"),
    ).where(
        Visit.visited_on.between(ctx.start, ctx.end),
        *in_scope(Visit.neighbourhood_code, ctx.scope),
    )
    group = ctx.unit(Visit.neighbourhood_code)
    return aggregate(conn, stmt, group, ctx.units)


def self_sufficiency(conn: sa.Connection, ctx: Context) -> Values:
    """Participants active at the end, started and left in P, success rate, programmes."""
    s, e = ctx.start, ctx.end
    active = sa.and_(
        Participant.started_on <= e,
        sa.or_(Participant.ended_on.is_(None), Participant.ended_on > e),
    )
    exits = Participant.ended_on.between(s, e)
    stmt = sa.select(
        count_if(active).label("ss_active"),
        count_if(Participant.started_on.between(s, e)).label("ss_started"),
        count_if(exits).label("ss_exits"),
        count_if(sa.and_(exits, Participant.outcome.in_(SS_SUCCESS_OUTCOMES))).label("success"),
        sa.func.count(sa.distinct(sa.case((active, Participant.programme)))).label("ss_programmes"),
    ).where(
        # Everyone counted started by the end and had not left before the start.
        Participant.started_on <= e,
        sa.or_(Participant.ended_on.is_(None), Participant.ended_on >= s),
        *in_scope(Participant.neighbourhood_code, ctx.scope),
    )
    group = ctx.unit(Participant.neighbourhood_code)
    raw = aggregate(conn, stmt, group, ctx.units)
    return {
        unit: {
            "ss_active": r["ss_active"],
            "ss_started": r["ss_started"],
            "ss_exits": r["ss_exits"],
            "ss_success_rate": pct(r["success"], r["ss_exits"]),
            "ss_programmes": r["ss_programmes"],
        }
        for unit, r in raw.items()
    }


def monthly_sources(ctx: Context) -> list[sa.Select]:
    """Rows (event_on, unit, <metric key>…) whose metric columns are summed per month."""
    visits = sa.select(
        Visit.visited_on.label("event_on"),
        Visit.neighbourhood_code.label("unit"),
        Visit.households_visited.label("households_visited"),
        Visit.households_found.label("households_found"),
    ).where(
        Visit.visited_on.between(ctx.start, ctx.end),
        *in_scope(Visit.neighbourhood_code, ctx.scope),
    )
    scope = in_scope(Participant.neighbourhood_code, ctx.scope)
    one, zero = sa.literal_column("1"), sa.literal_column("0")
    started = sa.select(
        Participant.started_on.label("event_on"),
        Participant.neighbourhood_code.label("unit"),
        one.label("ss_started"),
        zero.label("ss_exits"),
    ).where(Participant.started_on.between(ctx.start, ctx.end), *scope)
    ended = sa.select(
        Participant.ended_on.label("event_on"),
        Participant.neighbourhood_code.label("unit"),
        zero.label("ss_started"),
        one.label("ss_exits"),
    ).where(Participant.ended_on.between(ctx.start, ctx.end), *scope)
    participants = sa.union_all(started, ended).subquery()
    return [visits, sa.select(*participants.c)]
