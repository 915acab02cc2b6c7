"""The case-sharing network: flows between agencies, statuses over time, waiting referrals.

Every function takes a connection, a period and a `Scope`, and aggregates in SQL. The
agency-scope metrics themselves (acceptance rate, median days to respond, …) come from
`lib.queries.metrics.compute_metrics(by="agency")`; this module adds what they do not give.

A referral's status is stored as it is today; for a period that ended earlier, the status
it had at the end of the period is rebuilt from its dates (`status_at`), so a report on
last year does not change when a referral is answered this year.

In a partner view (`scope.partner_view`) the frames come out as metrics.md "Small
numbers" says (`lib.suppression`): referral counts from 1 to T − 1 read "<T", a monthly
median over fewer than T answers is withheld, and cells that add up to a number shown
elsewhere hide a second cell. An agency's partner sees the referrals sent by or to it and
the names of the agencies at their other end (`load_agency_names`), nothing else; pending
referrals, case by case, never reach a neighbourhood's partner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from lib import suppression as sup
from lib.enums import ACCEPTED_STATUSES
from lib.models import Agency, Case, Referral
from lib.period import Period
from lib.scope import Scope
from lib.sql import days_between, in_period, median_by, month_start

SENT, ACCEPTED, DECLINED, COMPLETED, FAILED, WITHDRAWN = (
    "의뢰",
    "수락",
    "불수락",
    "연계완료",
    "연계실패",
    "회수",
)
# Display order of statuses: waiting first, then the answers, then the outcomes.
STATUS_ORDER: tuple[str, ...] = (SENT, ACCEPTED, DECLINED, COMPLETED, FAILED, WITHDRAWN)


def status_at(end: dt.date) -> ColumnElement[str]:
    """The status a referral had at the end of day `end`, rebuilt from its dates."""
    closed = Referral.closed_on <= end
    responded = Referral.responded_on <= end
    return sa.case(
        (Referral.status == WITHDRAWN, sa.case((closed, WITHDRAWN), else_=SENT)),
        # 연계완료/연계실패 closed by the end: final. (수락/불수락 never have closed_on.)
        (closed, Referral.status),
        # Answered by the end but closed later: it was accepted at the end.
        (
            responded,
            sa.case((Referral.status.in_((COMPLETED, FAILED)), ACCEPTED), else_=Referral.status),
        ),
        else_=SENT,
    )


def scoped(stmt: sa.Select, scope: Scope) -> sa.Select:
    """`stmt` (over `referral`) restricted to the referrals the scope may see."""
    if scope.neighbourhood_codes is not None:
        # A referral belongs to the neighbourhood of its case (metrics.md "Scope").
        cases = sa.select(Case.case_id).where(
            Case.neighbourhood_code.in_(list(scope.neighbourhood_codes))
        )
        stmt = stmt.where(Referral.case_id.in_(cases))
    if scope.agency_code is not None:
        stmt = stmt.where(
            sa.or_(
                Referral.from_agency_code == scope.agency_code,
                Referral.to_agency_code == scope.agency_code,
            )
        )
    return stmt


def _frame(conn: sa.Connection, stmt: sa.Select) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`frame` sorted by `by`, statuses in workflow order (STATUS_ORDER)."""
    # Sorted here, not in SQL: PostgreSQL's collation may order text unlike SQLite's
    # binary order, and statuses read best in workflow order, not alphabetically.
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}

    def key(col: pd.Series) -> pd.Series:
        return col.map(rank) if col.name == "status" else col

    return frame.sort_values(by, key=key, ignore_index=True)


def _as_date(value: dt.date | str) -> dt.date:
    # SQLite returns computed dates (month_start) as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _raw(scope: Scope) -> Scope:
    """The same rows without suppression: for sums made before the result is protected."""
    return dataclasses.replace(scope, partner_view=False)


def _protected_table(frame: pd.DataFrame, scope: Scope, columns: list[str]) -> pd.DataFrame:
    """A wide table of referral counts as the scope shows it (its rows and its columns)."""
    if not scope.partner_view:
        return frame
    t = sup.threshold()
    return sup.complement_table(sup.small_counts(frame, columns, t), columns, t)


# ---- agencies ----------------------------------------------------------------------------


def load_agency_list(
    conn: sa.Connection,
    scope: Scope = Scope(),
    sectors: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    agency_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Agencies matching the sector and kind filters (None: any) and, given `agency_codes`,
    among them (a district's agencies): code, name, sector, kind."""
    stmt = sa.select(Agency.code, Agency.name, Agency.sector, Agency.kind).order_by(Agency.code)
    if agency_codes is not None:
        stmt = stmt.where(Agency.code.in_(list(agency_codes)))
    if sectors is not None:
        stmt = stmt.where(Agency.sector.in_(list(sectors)))
    if kinds is not None:
        stmt = stmt.where(Agency.kind.in_(list(kinds)))
    if scope.agency_code is not None:
        stmt = stmt.where(Agency.code == scope.agency_code)
    return _frame(conn, stmt)


def load_agency_names(conn: sa.Connection, scope: Scope = Scope()) -> pd.DataFrame:
    """code, name of the agencies whose names the scope may show, by code.

    Every agency for staff and a neighbourhood's view (names of public and private
    agencies, no data about anyone). An agency's view: itself and the agencies it ever
    sent a referral to or received one from, so its tables can name the other end.
    """
    stmt = sa.select(Agency.code, Agency.name).order_by(Agency.code)
    if scope.agency_code is not None:
        agency = scope.agency_code
        counterparts = sa.union(
            sa.select(Referral.to_agency_code).where(Referral.from_agency_code == agency),
            sa.select(Referral.from_agency_code).where(Referral.to_agency_code == agency),
        )
        stmt = stmt.where(sa.or_(Agency.code == agency, Agency.code.in_(counterparts)))
    return _frame(conn, stmt)


def agency_table(
    conn: sa.Connection,
    period: Period,
    scope: Scope = Scope(),
    sectors: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    response_limit_days: int = 7,
    agency_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per agency (filtered; `agency_codes`: among those): code, name, sector, kind
    and its agency-scope metrics."""
    from lib.metric_defs import AGENCY_METRIC_KEYS
    from lib.queries.metrics import compute_metrics

    agencies = load_agency_list(conn, scope, sectors, kinds, agency_codes)
    metrics = compute_metrics(
        conn, period, by="agency", scope=scope, response_limit_days=response_limit_days
    )
    metrics = metrics.reindex(columns=list(AGENCY_METRIC_KEYS))
    return agencies.merge(metrics, left_on="code", right_index=True, how="left")


# ---- flows ------------------------------------------------------------------------------


def load_flow_matrix(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Referrals requested in the period per sender, receiver and status at the period's end.

    Columns: from_code, to_code, status, referrals (one row per non-empty combination).
    """
    inner = scoped(
        sa.select(
            Referral.from_agency_code.label("from_code"),
            Referral.to_agency_code.label("to_code"),
            status_at(period.end).label("status"),
        ).where(in_period(Referral.requested_on, period.start, period.end)),
        scope,
    ).subquery()
    # Group on the subquery's columns: PostgreSQL will not match a CASE with bound
    # parameters in SELECT to the same CASE in GROUP BY.
    stmt = sa.select(
        inner.c.from_code, inner.c.to_code, inner.c.status, sa.func.count().label("n")
    ).group_by(inner.c.from_code, inner.c.to_code, inner.c.status)
    frame = _frame(conn, stmt).rename(columns={"n": "referrals"})
    frame["referrals"] = frame["referrals"].astype("int64")
    frame = _sorted(frame, ["from_code", "to_code", "status"])
    # A cube: a pair's statuses add up to its flow, a sender's receivers (or a receiver's
    # senders) to its referrals of one status.
    return sup.scoped_counts(frame, scope, "referrals", ["from_code", "to_code", "status"])


def flow_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """The flow matrix summed over statuses: from_code, to_code, referrals, accepted.

    Sums of a staff flow matrix; a partner's flows hold hidden cells, so its totals come
    from `load_flow_totals`, which sums before it hides.
    """
    if flows.empty:
        return pd.DataFrame(
            {"from_code": [], "to_code": [], "referrals": [], "accepted": []}
        ).astype({"referrals": "int64", "accepted": "int64"})
    accepted = flows["referrals"].where(flows["status"].isin(ACCEPTED_STATUSES), 0)
    out = (
        flows.assign(accepted=accepted)
        .groupby(["from_code", "to_code"], as_index=False)[["referrals", "accepted"]]
        .sum()
    )
    return out.sort_values(["from_code", "to_code"], ignore_index=True)


def load_flow_totals(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """`flow_totals` of the period's flow matrix, summed before anything is hidden.

    In a partner view the pairs form a table of senders × receivers whose rows and
    columns add up to each agency's referrals sent and received.
    """
    totals = flow_totals(load_flow_matrix(conn, period, _raw(scope)))
    if not scope.partner_view:
        return totals
    t = sup.threshold()
    for column in ("referrals", "accepted"):
        totals = sup.protect_counts(totals, column, ["from_code", "to_code"], t)
    return totals


def load_directions(
    conn: sa.Connection, period: Period, scope: Scope = Scope(), *, agency_code: str
) -> pd.DataFrame:
    """Two rows, what `agency_code` received and what it sent in the period, by status.

    Columns: direction ("received", "sent"), one per status of STATUS_ORDER (its status at
    the period's end), total. A partner sees the table with its rows and columns completed
    (the totals are its `referrals_received` and `referrals_sent`).
    """
    flows = load_flow_matrix(conn, period, _raw(scope))
    rows = []
    for direction, column in (("received", "to_code"), ("sent", "from_code")):
        mine = flows[flows[column] == agency_code].groupby("status")["referrals"].sum()
        row = {"direction": direction, **{s: int(mine.get(s, 0)) for s in STATUS_ORDER}}
        rows.append(row | {"total": int(mine.sum())})
    frame = pd.DataFrame(rows, columns=["direction", *STATUS_ORDER, "total"])
    return _protected_table(frame, scope, [*STATUS_ORDER, "total"])


def load_status_by_month(
    conn: sa.Connection, period: Period, scope: Scope = Scope()
) -> pd.DataFrame:
    """Referrals requested in each month of the period by their status at the period's end.

    Columns: month (first day, date), status, referrals.
    """
    inner = scoped(
        sa.select(
            month_start(Referral.requested_on).label("month"),
            status_at(period.end).label("status"),
        ).where(in_period(Referral.requested_on, period.start, period.end)),
        scope,
    ).subquery()
    stmt = sa.select(inner.c.month, inner.c.status, sa.func.count().label("referrals")).group_by(
        inner.c.month, inner.c.status
    )
    frame = _frame(conn, stmt)
    frame["month"] = frame["month"].map(_as_date)
    frame["referrals"] = frame["referrals"].astype("int64")
    frame = _sorted(frame, ["month", "status"])
    # Months add up to the period's statuses, statuses to the month's referrals.
    return sup.scoped_counts(frame, scope, "referrals", ["month", "status"])


# ---- waiting referrals --------------------------------------------------------------------


def load_pending(
    conn: sa.Connection,
    period: Period,
    scope: Scope = Scope(),
    response_limit_days: int = 7,
    *,
    to_agency: str | None = None,
    from_agency: str | None = None,
    overdue_only: bool = False,
) -> pd.DataFrame:
    """Referrals awaiting a response at the period's end, longest wait first.

    `pending` of metrics.md: requested by the end, not answered by the end, not withdrawn
    by the end. Columns: referral_id, case_id, neighbourhood_code, from_code, to_code,
    requested_on, days_waiting (end − requested_on), overdue (days_waiting > the limit).
    Case-level rows: none in a neighbourhood's partner view (`Scope.shows_case_rows`).
    """
    end = period.end
    waiting = days_between(sa.literal(end, sa.Date), Referral.requested_on)
    inner = scoped(
        sa.select(
            Referral.referral_id,
            Referral.case_id,
            Case.neighbourhood_code,
            Referral.from_agency_code.label("from_code"),
            Referral.to_agency_code.label("to_code"),
            Referral.requested_on,
            waiting.label("days_waiting"),
            status_at(end).label("status"),
        )
        .join(Case, Case.case_id == Referral.case_id)
        .where(Referral.requested_on <= end, *([] if scope.shows_case_rows else [sa.false()])),
        scope,
    )
    if to_agency is not None:
        inner = inner.where(Referral.to_agency_code == to_agency)
    if from_agency is not None:
        inner = inner.where(Referral.from_agency_code == from_agency)
    sub = inner.subquery()
    stmt = sa.select(
        sub.c.referral_id,
        sub.c.case_id,
        sub.c.neighbourhood_code,
        sub.c.from_code,
        sub.c.to_code,
        sub.c.requested_on,
        sub.c.days_waiting,
    ).where(sub.c.status == SENT)
    if overdue_only:
        stmt = stmt.where(sub.c.days_waiting > response_limit_days)
    frame = _frame(conn, stmt)
    frame["requested_on"] = frame["requested_on"].map(_as_date)
    frame["days_waiting"] = frame["days_waiting"].astype("int64")
    frame["overdue"] = frame["days_waiting"] > response_limit_days
    frame = frame.sort_values(["days_waiting", "referral_id"], ascending=[False, True])
    return frame.reset_index(drop=True)


# ---- one agency ---------------------------------------------------------------------------


def load_partners(
    conn: sa.Connection, period: Period, scope: Scope = Scope(), *, agency_code: str
) -> pd.DataFrame:
    """The agencies `agency_code` exchanged referrals with in the period, most first.

    Columns: partner_code, sent (agency → partner), received (partner → agency), total.
    """
    in_p = in_period(Referral.requested_on, period.start, period.end)
    outgoing = scoped(
        sa.select(
            Referral.to_agency_code.label("partner_code"),
            sa.literal(1).label("sent"),
            sa.literal(0).label("received"),
        ).where(in_p, Referral.from_agency_code == agency_code),
        scope,
    )
    incoming = scoped(
        sa.select(
            Referral.from_agency_code.label("partner_code"),
            sa.literal(0).label("sent"),
            sa.literal(1).label("received"),
        ).where(in_p, Referral.to_agency_code == agency_code),
        scope,
    )
    both = sa.union_all(outgoing, incoming).subquery()
    sent = sa.func.sum(both.c.sent)
    received = sa.func.sum(both.c.received)
    stmt = sa.select(
        both.c.partner_code,
        sent.label("sent"),
        received.label("received"),
        sa.func.count().label("total"),
    ).group_by(both.c.partner_code)
    frame = _frame(conn, stmt)
    frame = frame.astype({"sent": "int64", "received": "int64", "total": "int64"})
    frame = frame.sort_values(["total", "partner_code"], ascending=[False, True])
    # Rows: sent + received = total; columns: the agency's referrals sent and received.
    return _protected_table(frame.reset_index(drop=True), scope, ["sent", "received", "total"])


def load_response_days_by_month(
    conn: sa.Connection,
    period: Period,
    scope: Scope = Scope(),
    agency_code: str | None = None,
) -> pd.DataFrame:
    """Median days to respond per month of the period, for one receiving agency or (None) all.

    A month's value is over the referrals requested in that month (within the period) and
    answered by the period's end: together, the months hold exactly the referrals of
    `median_response_days` (metrics.md) for the period, and a referral requested late in a
    month still counts. Columns: month (first day, date), median_days, responses. Months
    without a response are absent. A partner view withholds a month's median over fewer
    than T answers; the responses add up to the period's answered referrals.
    """
    answered = sa.select(
        month_start(Referral.requested_on).label("month"),
        days_between(Referral.responded_on, Referral.requested_on).label("days"),
    ).where(
        in_period(Referral.requested_on, period.start, period.end),
        Referral.responded_on <= period.end,
    )
    if agency_code is not None:
        answered = answered.where(Referral.to_agency_code == agency_code)
    rows = scoped(answered, scope).subquery()
    # The median without a MEDIAN function (SQLite has none): number the values within
    # each month and average the middle one (odd count) or the middle two (even count).
    ranked = sa.select(
        rows.c.month,
        rows.c.days,
        sa.func.row_number().over(partition_by=rows.c.month, order_by=rows.c.days).label("rn"),
        sa.func.count().over(partition_by=rows.c.month).label("n"),
    ).subquery()
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    stmt = (
        sa.select(
            ranked.c.month,
            sa.func.avg(sa.cast(ranked.c.days, sa.Float)).label("median_days"),
            sa.func.max(ranked.c.n).label("responses"),
        )
        .where(middle)
        .group_by(ranked.c.month)
        .order_by(ranked.c.month)
    )
    frame = _frame(conn, stmt)
    frame["month"] = frame["month"].map(_as_date)
    frame["median_days"] = frame["median_days"].astype("float64")
    frame["responses"] = frame["responses"].astype("int64")
    if not scope.partner_view:
        return frame
    t = sup.threshold()
    medians = [
        sup.withheld_below(m, n, t)
        for m, n in zip(frame["median_days"], frame["responses"], strict=True)
    ]
    frame = frame.assign(median_days=pd.Series(medians, dtype=object))
    return sup.protect_counts(frame, "responses", ["month"], t)


# ---- regions (a deployment above one city) ----------------------------------------------

DISTRICT_LENGTH = 5  # a 시·군·구 is the first 5 digits of a 행정동 code (import-format.md)


def _agency_district_stmt() -> sa.Select:
    """(code, district) of every agency: the 시·군·구 of its `neighbourhood_code`; for an
    agency without one, the 시·군·구 of the cases referred to it most often (ties: the
    lowest code); NULL for an agency with neither (it belongs to no district)."""
    district = sa.func.substr(Case.neighbourhood_code, 1, DISTRICT_LENGTH)
    referred = (
        sa.select(Referral.to_agency_code.label("code"), district.label("district"))
        .join_from(Referral, Case, Case.case_id == Referral.case_id)
        .subquery()
    )
    # Grouped on the subquery's columns (PostgreSQL will not match a bound substr twice).
    counted = (
        sa.select(referred.c.code, referred.c.district, sa.func.count().label("n"))
        .group_by(referred.c.code, referred.c.district)
        .subquery()
    )
    ranked = sa.select(
        counted.c.code,
        counted.c.district,
        sa.func.row_number()
        .over(partition_by=counted.c.code, order_by=(counted.c.n.desc(), counted.c.district))
        .label("rn"),
    ).subquery()
    most = sa.select(ranked.c.code, ranked.c.district).where(ranked.c.rn == 1).subquery()
    return sa.select(
        Agency.code.label("code"),
        sa.func.coalesce(
            sa.func.substr(Agency.neighbourhood_code, 1, DISTRICT_LENGTH), most.c.district
        ).label("district"),
    ).join_from(Agency, most, most.c.code == Agency.code, isouter=True)


def load_agency_districts(conn: sa.Connection) -> pd.DataFrame:
    """code, district (None: no district) of every agency, by code (`_agency_district_stmt`).

    A network view of a 시·군·구 draws the agencies of that district only."""
    frame = _frame(conn, _agency_district_stmt().order_by(Agency.code))
    return frame.astype({"district": object}).where(frame.notna(), None)


def load_region_flows(
    conn: sa.Connection, period: Period, scope: Scope, unit_length: int
) -> pd.DataFrame:
    """Referrals requested in the period by the region of their agencies, for the network
    page of a nation or a province (staff only: nothing here is suppressed).

    A region (`unit_length` digits of the agencies' district: 2 for 시·도, 5 for 시·군·구)
    "sent" the referrals of its agencies and "received" those to its agencies; as for an
    agency (metrics.md), the acceptance rate and the median days to respond are about the
    referrals it received: among those answered by the period's end, accepted ÷ (accepted +
    불수락), and the median of responded_on − requested_on. Agencies of no district
    (`load_agency_districts`) count nowhere. Columns: unit, sent, received,
    acceptance_rate (None: nothing answered), median_response_days (None: no answer),
    by unit; only units with a referral.
    """
    if scope.partner_view:
        raise ValueError("region flows are for staff: a partner's view has no regions")
    from lib.queries.metrics_common import count_if

    districts = _agency_district_stmt().subquery()
    unit = sa.func.substr(districts.c.district, 1, unit_length)
    requested = in_period(Referral.requested_on, period.start, period.end)
    answered = Referral.responded_on <= period.end

    def by_agency(column) -> sa.Select:
        return sa.select(unit.label("unit")).join_from(
            Referral, districts, districts.c.code == column
        )

    sent_rows = scoped(by_agency(Referral.from_agency_code).where(requested), scope).subquery()
    sent = dict(
        conn.execute(
            sa.select(sent_rows.c.unit, sa.func.count())
            .where(sent_rows.c.unit.is_not(None))
            .group_by(sent_rows.c.unit)
        ).all()
    )
    received_rows = scoped(
        by_agency(Referral.to_agency_code)
        .add_columns(
            sa.and_(answered, Referral.status.in_(ACCEPTED_STATUSES)).label("accepted"),
            sa.and_(answered, Referral.status == DECLINED).label("declined"),
        )
        .where(requested),
        scope,
    ).subquery()
    received = {
        u: (n, a, d)
        for u, n, a, d in conn.execute(
            sa.select(
                received_rows.c.unit,
                sa.func.count(),
                count_if(received_rows.c.accepted),
                count_if(received_rows.c.declined),
            )
            .where(received_rows.c.unit.is_not(None))
            .group_by(received_rows.c.unit)
        ).all()
    }
    values = scoped(
        by_agency(Referral.to_agency_code)
        .add_columns(days_between(Referral.responded_on, Referral.requested_on).label("value"))
        .where(requested, answered),
        scope,
    ).subquery()
    medians = {
        u: m
        for u, m, _ in conn.execute(
            median_by(
                sa.select(values.c.unit, values.c.value).where(values.c.unit.is_not(None)),
                grouped=True,
            )
        ).all()
    }
    rows = []
    for u in sorted(set(sent) | set(received)):
        n, accepted, declined = received.get(u, (0, 0, 0))
        answered_n = accepted + declined
        rows.append(
            {
                "unit": u,
                "sent": int(sent.get(u, 0)),
                "received": int(n),
                "acceptance_rate": accepted * 100 / answered_n if answered_n else None,
                "median_response_days": medians.get(u),
            }
        )
    columns = ["unit", "sent", "received", "acceptance_rate", "median_response_days"]
    # Object columns for the rates and medians: None ("–"), never NaN.
    return pd.DataFrame(
        {
            c: pd.Series(
                [r[c] for r in rows], dtype="int64" if c in ("sent", "received") else object
            )
            for c in columns
        }
    )
