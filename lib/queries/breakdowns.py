"""The data behind the dashboard's charts: small frames aggregated in SQL.

Every function takes a connection, a `Period` and a `Scope`, groups in the database and
returns a frame of at most a few hundred rows (one per month, category or neighbourhood),
so a page never loads raw rows it does not show. Definitions follow metrics.md: a case,
its services, disbursements and referrals belong to the case's neighbourhood; a donation
to its own neighbourhood, and a city-wide donation (no neighbourhood) to the city only.

A referral's status is stored as it is today; for a period that ended earlier the status
it had at the period's end is rebuilt from its dates (`_status_at`), so last year's
report does not change when a referral is answered this year.

In a partner view (`scope.partner_view`) every frame comes out as metrics.md "Small
numbers" says (`lib.suppression`): counts from 1 to T − 1 read "<T", money given to fewer
than T households is withheld, and cells that add up to a number shown elsewhere (the
months of a period, the parts of a tile's count) hide a second cell. Pending referrals,
case by case, only reach an agency's partner (its own referrals), never a neighbourhood's.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement

from lib import suppression as sup
from lib.enums import ACCEPTED_STATUSES, CHANNEL, DONOR_TYPE, HOUSEHOLD_TYPE, RISK_LEVEL
from lib.enums import REFERRAL_STATUS as _REFERRAL_STATUS
from lib.models import (
    Agency,
    Case,
    Disbursement,
    Donation,
    Neighbourhood,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
    Target,
)
from lib.period import Period
from lib.queries.metrics_common import unit_column
from lib.queries.reference import as_of_date
from lib.regions import DISTRICT, NEIGHBOURHOOD, PROVINCE
from lib.scope import Scope
from lib.sql import days_between, in_period, month_start

# Stages of the case-management workflow, in order (DOMAIN.md): identified → opened →
# planned → closed. Keys are English; the UI names them through lib.i18n ("stage.<key>").
STAGES: tuple[str, ...] = ("identified", "opened", "planned", "closed")
# Response-time buckets in whole days (upper bound included; None = no bound). The 7-day
# boundary is the default response limit, so "overdue" answers start in the 8–14 bucket.
RESPONSE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0", 0),
    ("1-3", 3),
    ("4-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31+", None),
)
REFERRAL_STATUSES: tuple[str, ...] = tuple(_REFERRAL_STATUS)
WITHDRAWN = "회수"
SENT = "의뢰"
ACCEPTED = "수락"


# ---- scope helpers ------------------------------------------------------------------


def _case_filter(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on `welfare_case` for the cases a scope may see."""
    conds: list[ColumnElement[bool]] = []
    if scope.neighbourhood_codes is not None:
        conds.append(Case.neighbourhood_code.in_(list(scope.neighbourhood_codes)))
    if scope.agency_code is not None:
        agency = scope.agency_code
        # A partner sees the cases it leads, serves, or sent or received a referral for.
        referred = sa.select(Referral.case_id).where(
            sa.or_(Referral.from_agency_code == agency, Referral.to_agency_code == agency)
        )
        served = sa.select(Service.case_id).where(Service.agency_code == agency)
        conds.append(
            sa.or_(
                Case.lead_agency_code == agency,
                Case.case_id.in_(referred),
                Case.case_id.in_(served),
            )
        )
    return conds


def _scoped_cases(scope: Scope) -> sa.Select:
    """The ids of the cases a scope may see."""
    return sa.select(Case.case_id).where(*_case_filter(scope))


def _referral_filter(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on `referral` for the referrals a scope may see."""
    conds: list[ColumnElement[bool]] = []
    if scope.neighbourhood_codes is not None:
        cases = sa.select(Case.case_id).where(
            Case.neighbourhood_code.in_(list(scope.neighbourhood_codes))
        )
        conds.append(Referral.case_id.in_(cases))
    if scope.agency_code is not None:
        conds.append(
            sa.or_(
                Referral.from_agency_code == scope.agency_code,
                Referral.to_agency_code == scope.agency_code,
            )
        )
    return conds


def _donation_filter(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on `donation`: a neighbourhood scope excludes city-wide donations.

    A donation involves no agency, so an agency's scope has none (not the city's).
    """
    if scope.agency_code is not None:
        return [sa.false()]
    if scope.neighbourhood_codes is None:
        return []
    return [Donation.neighbourhood_code.in_(list(scope.neighbourhood_codes))]


# ---- region units -------------------------------------------------------------------

# The levels a per-neighbourhood breakdown can be grouped at (lib.regions): its rows are the
# neighbourhoods, or the 시·군·구 / 시·도 of their codes (the code's first 5 / 2 digits).
UNIT_LEVELS: tuple[str, ...] = (NEIGHBOURHOOD, DISTRICT, PROVINCE)
_REGION_NAME = {DISTRICT: Neighbourhood.district_name, PROVINCE: Neighbourhood.province_name}


def _unit(code: ColumnElement, level: str) -> ColumnElement:
    """The unit a neighbourhood `code` column belongs to at `level` (NULL stays NULL)."""
    if level not in UNIT_LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(UNIT_LEVELS)}")
    return unit_column(code, level)


def _units_in_scope(conn: sa.Connection, scope: Scope, level: str) -> list[tuple]:
    """(code, name, households) of every unit at `level` with neighbourhoods in the scope,
    by code: a neighbourhood's own, a region's name as the data gives it (its code where
    none) and its neighbourhoods' households summed."""
    where = []
    if scope.neighbourhood_codes is not None:
        where.append(Neighbourhood.code.in_(list(scope.neighbourhood_codes)))
    if level == NEIGHBOURHOOD:
        stmt = sa.select(Neighbourhood.code, Neighbourhood.name, Neighbourhood.households)
        return list(conn.execute(stmt.where(*where).order_by(Neighbourhood.code)).all())
    unit = _unit(Neighbourhood.code, level)
    stmt = (
        sa.select(
            unit.label("code"),
            sa.func.max(_REGION_NAME[level]).label("name"),
            sa.func.sum(Neighbourhood.households).label("households"),
        )
        .where(*where)
        .group_by(unit)
        .order_by(unit)
    )
    return [(code, name or code, int(h or 0)) for code, name, h in conn.execute(stmt).all()]


def _with_code_alias(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """A neighbourhood-level frame keeps its first key column `neighbourhood_code` beside
    `code` (the same values) for callers written before region levels."""
    if level == NEIGHBOURHOOD:
        frame.insert(1, "neighbourhood_code", frame["code"])
    return frame


# ---- small helpers ------------------------------------------------------------------


def _frame(conn: sa.Connection, stmt: sa.Select) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))


def _as_date(value: dt.date | str) -> dt.date:
    # month_start() is text on both databases ('YYYY-MM-01').
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _ordered(frame: pd.DataFrame, orders: dict[str, tuple]) -> pd.DataFrame:
    """Rows sorted by each column in turn, in the given value order; unknown values last."""
    keys = {}
    for i, (column, order) in enumerate(orders.items()):
        rank = {v: n for n, v in enumerate(order)}
        keys[f"_o{i}"] = frame[column].map(lambda v, rank=rank: rank.get(v, len(rank)))
    by = list(keys) + list(orders)
    return frame.assign(**keys).sort_values(by).drop(columns=list(keys)).reset_index(drop=True)


def _active_at(end: dt.date) -> ColumnElement[bool]:
    """metrics.md `active`: opened by the end and not closed by the end."""
    return sa.and_(
        Case.opened_on <= end,
        sa.or_(Case.closed_on.is_(None), Case.closed_on > end),
    )


def _status_at(end: dt.date) -> ColumnElement[str]:
    """The status a referral had at the end of day `end`, rebuilt from its dates."""
    closed = Referral.closed_on <= end
    responded = Referral.responded_on <= end
    return sa.case(
        (Referral.status == WITHDRAWN, sa.case((closed, WITHDRAWN), else_=SENT)),
        # 연계완료/연계실패 closed by the end are final (수락/불수락 never have closed_on).
        (closed, Referral.status),
        # Answered by the end but closed later: at the end it was accepted and open.
        (
            responded,
            sa.case(
                (Referral.status.in_(list(ACCEPTED_STATUSES)), ACCEPTED),
                else_=Referral.status,
            ),
        ),
        else_=SENT,
    )


def _households_given() -> ColumnElement[int]:
    """The households given money (`supported_households`) among grouped disbursements."""
    return sa.func.count(sa.distinct(Disbursement.case_id)).label("households")


def _given_protected(
    frame: pd.DataFrame, scope: Scope, households: list[int], axes: list[str]
) -> pd.DataFrame:
    """`given_krw` as the scope shows it: withheld where it went to 1 to T − 1 households."""
    if not scope.partner_view:
        return frame
    t = sup.threshold()
    given = [
        sup.withheld_below(v, n, t) for v, n in zip(frame["given_krw"], households, strict=True)
    ]
    out = frame.assign(given_krw=pd.Series(given, index=frame.index, dtype=object))
    return sup.complement_long(out, "given_krw", axes, t)


# ---- data span ----------------------------------------------------------------------


def first_date(conn: sa.Connection) -> dt.date | None:
    """The earliest date of a case, donation, payment, referral, visit or participant."""
    parts = [
        sa.select(sa.func.min(col).label("d"))
        for col in (
            Case.discovered_on,
            Donation.received_on,
            Disbursement.paid_on,
            Referral.requested_on,
            OutreachVisit.visited_on,
            SelfSufficiencyParticipant.started_on,
        )
    ]
    value = conn.execute(sa.select(sa.func.min(sa.union_all(*parts).subquery().c.d))).scalar()
    if isinstance(value, str):  # SQLite's min() over a union loses the column type
        value = dt.date.fromisoformat(value)
    return value


# ---- monthly series -----------------------------------------------------------------


def _monthly(conn: sa.Connection, stmt_col: ColumnElement, value, *where) -> pd.Series:
    """A series month → value for one grouped statement."""
    month = month_start(stmt_col).label("month")
    stmt = sa.select(month, value.label("value")).where(*where).group_by(month)
    rows = conn.execute(stmt).all()
    return pd.Series({_as_date(m): v for m, v in rows}, dtype="float64")


def _recorded_months(conn: sa.Connection, months: list[dt.date]) -> list[bool]:
    """Whether each month lies (at least partly) between the data's first date and its
    as-of date: a month outside has no records at all, so its counts are unknown rather
    than 0, and a chart leaves a gap there."""
    first, last = first_date(conn), as_of_date(conn)
    if first is None or last is None:
        return [False] * len(months)
    first_month = first.replace(day=1)
    return [first_month <= m <= last for m in months]


def monthly_activity(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per month of the period (months without data are 0).

    Columns: month (date, first day), discovered, opened, closed (cases; `closed` as in
    metrics.md: opened and closed that month), services, donations_krw, disbursed_krw,
    referrals_sent. Each month is clipped to the period, so the rows add up to the
    period's metric values. `recorded` is False for a month wholly before the data's first
    date or after its as-of date: its 0s mean "no data yet", which charts draw as a gap.
    """
    start, end = period.start, period.end
    cases = _case_filter(scope)
    in_cases = Service.case_id.in_(_scoped_cases(scope)) if cases else sa.true()
    paid_cases = Disbursement.case_id.in_(_scoped_cases(scope)) if cases else sa.true()
    series = {
        "discovered": _monthly(
            conn,
            Case.discovered_on,
            sa.func.count(),
            in_period(Case.discovered_on, start, end),
            *cases,
        ),
        "opened": _monthly(
            conn, Case.opened_on, sa.func.count(), in_period(Case.opened_on, start, end), *cases
        ),
        "closed": _monthly(
            conn,
            Case.closed_on,
            sa.func.count(),
            Case.opened_on.is_not(None),
            in_period(Case.closed_on, start, end),
            *cases,
        ),
        "services": _monthly(
            conn,
            Service.provided_on,
            sa.func.count(),
            in_period(Service.provided_on, start, end),
            in_cases,
        ),
        "donations_krw": _monthly(
            conn,
            Donation.received_on,
            sa.func.sum(Donation.amount_krw),
            in_period(Donation.received_on, start, end),
            *_donation_filter(scope),
        ),
        "disbursed_krw": _monthly(
            conn,
            Disbursement.paid_on,
            sa.func.sum(Disbursement.amount_krw),
            in_period(Disbursement.paid_on, start, end),
            paid_cases,
        ),
        "referrals_sent": _monthly(
            conn,
            Referral.requested_on,
            sa.func.count(),
            in_period(Referral.requested_on, start, end),
            *_referral_filter(scope),
        ),
    }
    months = period.months()
    out = pd.DataFrame({"month": months})
    for name, values in series.items():
        out[name] = [int(values.get(m, 0) or 0) for m in months]
    out["recorded"] = _recorded_months(conn, months)
    if scope.partner_view:
        households = _monthly(
            conn,
            Disbursement.paid_on,
            sa.func.count(sa.distinct(Disbursement.case_id)),
            in_period(Disbursement.paid_on, start, end),
            paid_cases,
        )
        out = _partner_months(out, [int(households.get(m, 0)) for m in months])
    return out


_MONTHLY_COUNTS = ("discovered", "opened", "closed", "services", "referrals_sent")


def _partner_months(frame: pd.DataFrame, households_given: list[int]) -> pd.DataFrame:
    """`monthly_activity` as a partner sees it; the months add up to the period's tiles."""
    t = sup.threshold()
    out = sup.small_counts(frame, _MONTHLY_COUNTS, t)
    out["disbursed_krw"] = [
        sup.withheld_below(v, n, t)
        for v, n in zip(out["disbursed_krw"], households_given, strict=True)
    ]
    for column in (*_MONTHLY_COUNTS, "disbursed_krw"):
        out[column] = pd.Series(sup.complement_line(list(out[column]), t), dtype=object)
    return out


# ---- cases --------------------------------------------------------------------------


def channels(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Cases identified in the period by channel. Columns: channel (Korean value), cases."""
    stmt = (
        sa.select(Case.channel.label("channel"), sa.func.count().label("cases"))
        .where(in_period(Case.discovered_on, period.start, period.end), *_case_filter(scope))
        .group_by(Case.channel)
    )
    frame = _ordered(_frame(conn, stmt), {"channel": tuple(CHANNEL)})
    # The channels add up to the `discovered` tile.
    return sup.scoped_counts(frame, scope, "cases", ["channel"])


def active_profile(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Active cases at the period's end by household type and risk level.

    Columns: household_type, risk_level (Korean values), cases. Only combinations that
    occur; ordered by household type, then risk level, in the contract's order.
    """
    stmt = (
        sa.select(
            Case.household_type.label("household_type"),
            Case.risk_level.label("risk_level"),
            sa.func.count().label("cases"),
        )
        .where(_active_at(period.end), *_case_filter(scope))
        .group_by(Case.household_type, Case.risk_level)
    )
    orders = {"household_type": tuple(HOUSEHOLD_TYPE), "risk_level": tuple(RISK_LEVEL)}
    frame = _ordered(_frame(conn, stmt), orders)
    # A table: each type's bar adds up its risk levels, each level (high_risk_share × the
    # `active` tile) its types.
    return sup.scoped_counts(frame, scope, "cases", ["household_type", "risk_level"])


def cases_by_stage(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Cases open at some time in the period, by the stage they reached at its end.

    A case counts when identified by the end and not closed before the start. Its stage
    at the end: `closed` (closed by the end), else `planned` (plan by the end), else
    `opened` (case management started by the end), else `identified`.
    Columns: stage (one of STAGES, all present, in order), cases.
    """
    end = period.end
    stage = sa.case(
        (Case.closed_on <= end, "closed"),
        (Case.plan_on <= end, "planned"),
        (Case.opened_on <= end, "opened"),
        else_="identified",
    ).label("stage")
    stmt = (
        sa.select(stage, sa.func.count().label("cases"))
        .where(
            Case.discovered_on <= end,
            sa.or_(Case.closed_on.is_(None), Case.closed_on >= period.start),
            *_case_filter(scope),
        )
        .group_by(stage)
    )
    counts = dict(conn.execute(stmt).all())
    frame = pd.DataFrame({"stage": list(STAGES), "cases": [int(counts.get(s, 0)) for s in STAGES]})
    if scope.partner_view:
        t = sup.threshold()
        frame = sup.small_counts(frame, ["cases"], t)
        # Cases opened or planned at the end are the `active` tile, so those two stages are
        # a line. The four stages together add up to no number shown anywhere.
        pair = frame["stage"].isin(("opened", "planned")).to_numpy()
        frame.loc[pair, "cases"] = sup.complement_line(frame.loc[pair, "cases"].tolist(), t)
    return frame


# ---- donations ----------------------------------------------------------------------


def donations_by_month_type(
    conn: sa.Connection, period: Period, scope: Scope = Scope()
) -> pd.DataFrame:
    """Donations received in the period by month and donor type.

    Columns: month (date, first day), donor_type (Korean value), amount_krw, donations.
    Only months and types with donations; ordered by month, then donor type.
    """
    month = month_start(Donation.received_on).label("month")
    stmt = (
        sa.select(
            month,
            Donation.donor_type.label("donor_type"),
            sa.func.sum(Donation.amount_krw).label("amount_krw"),
            sa.func.count().label("donations"),
        )
        .where(in_period(Donation.received_on, period.start, period.end), *_donation_filter(scope))
        .group_by(month, Donation.donor_type)
    )
    frame = _frame(conn, stmt)
    frame["month"] = frame["month"].map(_as_date)
    frame["amount_krw"] = frame["amount_krw"].astype("int64")
    months = tuple(sorted(set(frame["month"])))
    frame = _ordered(frame, {"month": months, "donor_type": tuple(DONOR_TYPE)})
    # Money raised is always shown; the number of donations is a table of months (each
    # adds up to the month's `donation_count`) by donor type.
    return sup.scoped_counts(frame, scope, "donations", ["month", "donor_type"])


def donations_by_neighbourhood_month(
    conn: sa.Connection, period: Period, scope: Scope = Scope(), level: str = NEIGHBOURHOOD
) -> pd.DataFrame:
    """Money raised and given in the period by unit (neighbourhood, district or province)
    and month.

    Columns: code (the unit's code: a neighbourhood's, or its region's 5- or 2-digit
    prefix; missing for city-wide donations, unrestricted scope only), neighbourhood_code
    (the same, neighbourhood level only), month (date), raised_krw, given_krw. Given
    money belongs to the unit of its case's neighbourhood. Only (unit, month) pairs with
    money; ordered by code (None last), month. Charts key by `code`: names repeat.
    """
    start, end = period.start, period.end
    d_month = month_start(Donation.received_on).label("month")
    d_unit = _unit(Donation.neighbourhood_code, level)
    raised = (
        sa.select(d_unit.label("code"), d_month, sa.func.sum(Donation.amount_krw).label("amount"))
        .where(in_period(Donation.received_on, start, end), *_donation_filter(scope))
        .group_by(d_unit, d_month)
    )
    p_month = month_start(Disbursement.paid_on).label("month")
    p_unit = _unit(Case.neighbourhood_code, level)
    given = (
        sa.select(
            p_unit.label("code"),
            p_month,
            sa.func.sum(Disbursement.amount_krw).label("amount"),
            _households_given(),
        )
        .join(Case, Case.case_id == Disbursement.case_id)
        .where(in_period(Disbursement.paid_on, start, end), *_case_filter(scope))
        .group_by(p_unit, p_month)
    )
    # Per (unit, month): raised, given, households given to.
    rows: dict[tuple[str | None, dt.date], list[int]] = {}
    for code, month, amount in conn.execute(raised).all():
        rows.setdefault((code, _as_date(month)), [0, 0, 0])[0] = int(amount or 0)
    for code, month, amount, households in conn.execute(given).all():
        rows.setdefault((code, _as_date(month)), [0, 0, 0])[1:] = [int(amount or 0), households]
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or "", kv[0][1]))
    frame = pd.DataFrame(
        [(code, month, r, g) for (code, month), (r, g, _) in ordered],
        columns=["code", "month", "raised_krw", "given_krw"],
    )
    frame = _with_code_alias(frame, level)
    # Each unit's months add up to its money given, each month's units to the month's.
    households = [h for _, (_, _, h) in ordered]
    return _given_protected(frame, scope, households, ["code", "month"])


def donations_vs_targets(
    conn: sa.Connection, period: Period, scope: Scope = Scope(), level: str = NEIGHBOURHOOD
) -> pd.DataFrame:
    """Per unit (neighbourhood, district or province): money raised and given in the
    period, against its target.

    Columns: code, neighbourhood_code (the same, neighbourhood level only), name (the
    neighbourhood's, or the region's as the data names it, else its code), households
    (summed over a region's neighbourhoods in the scope), raised_krw, given_krw,
    target_krw (the `donations_krw` target of the period's year; NaN when none, the
    period spans years, or for a region: targets are set per neighbourhood and for the
    whole deployment), target_rate (raised ÷ target × 100; NaN without a target). Every
    unit in scope, by code; in an unrestricted scope a last row with a missing code holds
    the city-wide fund (raised only, no target: the city's target covers the whole city).
    Charts key by `code`: names repeat across the country.
    """
    start, end = period.start, period.end
    d_unit = _unit(Donation.neighbourhood_code, level)
    raised = (
        sa.select(d_unit.label("code"), sa.func.sum(Donation.amount_krw).label("amount"))
        .where(in_period(Donation.received_on, start, end), *_donation_filter(scope))
        .group_by(d_unit)
    )
    p_unit = _unit(Case.neighbourhood_code, level)
    given = (
        sa.select(
            p_unit.label("code"),
            sa.func.sum(Disbursement.amount_krw).label("amount"),
            _households_given(),
        )
        .join(Case, Case.case_id == Disbursement.case_id)
        .where(in_period(Disbursement.paid_on, start, end), *_case_filter(scope))
        .group_by(p_unit)
    )
    raised_by = {code: int(v or 0) for code, v in conn.execute(raised).all()}
    given_rows = conn.execute(given).all()
    given_by = {code: int(v or 0) for code, v, _ in given_rows}
    households_by = {code: n for code, _, n in given_rows}
    targets: dict[str | None, float] = {}
    if period.single_year is not None and level == NEIGHBOURHOOD:
        stmt = sa.select(Target.neighbourhood_code, Target.value).where(
            Target.year == period.single_year,
            Target.metric == "donations_krw",
            Target.neighbourhood_code.is_not(None),
        )
        targets = {code: float(v) for code, v in conn.execute(stmt).all()}
    rows = [
        (code, name, households, raised_by.get(code, 0), given_by.get(code, 0), targets.get(code))
        for code, name, households in _units_in_scope(conn, scope, level)
    ]
    if scope.neighbourhood_codes is None and raised_by.get(None):
        rows.append((None, None, None, raised_by[None], 0, None))
    frame = pd.DataFrame(
        rows,
        columns=["code", "name", "households", "raised_krw", "given_krw", "target_krw"],
    )
    frame = _with_code_alias(frame, level)
    frame["target_krw"] = frame["target_krw"].astype("float64")
    frame["target_rate"] = frame["raised_krw"] / frame["target_krw"] * 100
    # The units' money given adds up to the scope's `disbursed_krw` tile.
    households = [households_by.get(code, 0) for code in frame["code"]]
    return _given_protected(frame, scope, households, ["code"])


# ---- case-sharing -------------------------------------------------------------------


def referral_statuses(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """Referrals requested in the period by the status they had at its end.

    Columns: status (Korean value, every status in contract order), referrals.
    """
    status = _status_at(period.end).label("status")
    stmt = (
        sa.select(status, sa.func.count().label("referrals"))
        .where(in_period(Referral.requested_on, period.start, period.end), *_referral_filter(scope))
        .group_by(status)
    )
    counts = dict(conn.execute(stmt).all())
    frame = pd.DataFrame(
        {
            "status": list(REFERRAL_STATUSES),
            "referrals": [int(counts.get(s, 0)) for s in REFERRAL_STATUSES],
        }
    )
    # The statuses add up to the `referrals_sent` tile.
    return sup.scoped_counts(frame, scope, "referrals", ["status"])


def response_times(conn: sa.Connection, period: Period, scope: Scope = Scope()) -> pd.DataFrame:
    """How long answers took: referrals requested in the period and answered by its end.

    The same referrals as metrics.md `median_response_days`, bucketed by whole days
    (`responded_on − requested_on`). Columns: bucket (RESPONSE_BUCKETS keys, all present,
    in order), referrals.
    """
    days = days_between(Referral.responded_on, Referral.requested_on)
    whens = [(days <= upper, key) for key, upper in RESPONSE_BUCKETS if upper is not None]
    bucket = sa.case(*whens, else_=RESPONSE_BUCKETS[-1][0]).label("bucket")
    stmt = (
        sa.select(bucket, sa.func.count().label("referrals"))
        .where(
            in_period(Referral.requested_on, period.start, period.end),
            Referral.responded_on <= period.end,
            *_referral_filter(scope),
        )
        .group_by(bucket)
    )
    counts = dict(conn.execute(stmt).all())
    keys = [key for key, _ in RESPONSE_BUCKETS]
    frame = pd.DataFrame({"bucket": keys, "referrals": [int(counts.get(k, 0)) for k in keys]})
    # The buckets add up to the answered referrals: the answered statuses of
    # `referral_statuses` (수락, 불수락, 연계완료, 연계실패).
    return sup.scoped_counts(frame, scope, "referrals", ["bucket"])


def pending_referrals(
    conn: sa.Connection,
    period: Period,
    scope: Scope = Scope(),
    response_limit_days: int = 7,
    limit: int | None = 500,
) -> pd.DataFrame:
    """Referrals awaiting an answer at the period's end (metrics.md `pending`), longest first.

    Columns: referral_id, case_id, from_agency, to_agency (agency names), requested_on
    (date), days_waiting (end − requested_on), overdue (days_waiting > the response limit).
    At most `limit` rows (None: all), ordered by days_waiting descending, then id.
    Case-level rows: none in a neighbourhood's partner view (`Scope.shows_case_rows`).
    """
    end = period.end
    sender = aliased(Agency)
    receiver = aliased(Agency)
    waiting = days_between(sa.literal(end, sa.Date), Referral.requested_on)
    # Not withdrawn by the end (written without NOT, which NULLs would turn unknown).
    not_withdrawn = sa.or_(
        Referral.status != WITHDRAWN, Referral.closed_on.is_(None), Referral.closed_on > end
    )
    stmt = (
        sa.select(
            Referral.referral_id,
            Referral.case_id,
            sender.name.label("from_agency"),
            receiver.name.label("to_agency"),
            Referral.requested_on,
            waiting.label("days_waiting"),
        )
        .join(sender, sender.code == Referral.from_agency_code)
        .join(receiver, receiver.code == Referral.to_agency_code)
        .where(
            Referral.requested_on <= end,
            sa.or_(Referral.responded_on.is_(None), Referral.responded_on > end),
            not_withdrawn,
            *_referral_filter(scope),
            *([] if scope.shows_case_rows else [sa.false()]),
        )
        .order_by(waiting.desc(), Referral.referral_id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    frame = _frame(conn, stmt)
    frame["requested_on"] = frame["requested_on"].map(_as_date)
    frame["days_waiting"] = frame["days_waiting"].astype("int64")
    frame["overdue"] = frame["days_waiting"] > response_limit_days
    return frame
