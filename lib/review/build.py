"""Building a performance review from the database: `build_review(conn, …) -> Review`.

The numbers come from the same engine calls the pages make (`compute_metrics` by city,
by neighbourhood or by agency, with the viewer's scope; `rank_neighbourhoods` with the
households), so a review can never disagree with the page it summarises:

- the city: `compute_metrics(by="city")` for the period and the comparison period;
- a neighbourhood: `compute_metrics(by="neighbourhood")` with the viewer's scope, its row;
  for staff also the city's value and the neighbourhood's rank among every neighbourhood
  (as `views/neighbourhood.py`); a partner view has neither. Its charts use the viewer's
  scope narrowed to the neighbourhood, never widened;
- an agency: `compute_metrics(by="agency")`, its row (the case-sharing metrics only);
- with region levels (`lib.regions.RegionTree`, a deployment above one city): the top's
  movements and ranking are its provinces (or districts), `compute_metrics(by=…)`; a
  province or district (`kind` "province"/"district") is the scope narrowed to it
  (`Scope.within`), for staff with its parent's value and its rank among its siblings;
  a neighbourhood's "city value" and rank are its district's.

Figures are the charts the pages draw, with the data behind each as a table whose headers
are in the review's language (for CSV/XLSX downloads). A chart with nothing but zeros is
left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lib import enums
from lib.charts import dashboard as charts
from lib.charts import network as network_charts
from lib.charts.months import month_label
from lib.errors import UserError
from lib.formatting import PERCENT_UNITS, metric_title, percent_change
from lib.i18n import enum_label, t
from lib.metric_defs import AGENCY_METRIC_KEYS, AREAS, BY_KEY, HEADLINE_KEYS, metrics_in
from lib.period import Period
from lib.queries import breakdowns, reference
from lib.queries import network as network_queries
from lib.queries.metrics import (
    compute_metrics,
    metric_change,
    rank_neighbourhoods,
    rank_units,
    unit_households,
)
from lib.regions import NEIGHBOURHOOD, Region, RegionTree, below
from lib.review.model import Fact, Figure, Movement, Review, ScopeKind, Section
from lib.review.summary import with_summaries
from lib.scope import Scope
from lib.suppression import Suppressed, is_suppressed, shows_something

KINDS: tuple[str, ...] = ("city", "neighbourhood", "agency", "district", "province")
COMPARES: tuple[str, ...] = ("prev", "yoy")  # as lib.ui.COMPARES (ui imports Streamlit)
# Received referrals are an agency's metric: for the city and a neighbourhood every
# referral is received by some agency, so it would repeat `referrals_sent` (metrics.md).
_NOT_FOR_AREAS = frozenset({"referrals_received"})
# An agency's review: its headline (every case-sharing metric), then what it exchanged
# and how it answered, in the order of its page's two rows of tiles.
AGENCY_SECTIONS: dict[str, tuple[str, ...]] = {
    "referrals": ("referrals_sent", "referrals_received", "pending", "overdue"),
    "responses": ("acceptance_rate", "median_response_days", "completion_rate"),
}
# The overview's ranking chart shows this metric first (views/overview.py DEFAULT_RANKING).
RANKING_KEY = "active_per_1000"


def comparison_period(period: Period, compare: str) -> Period:
    """The period changes are worked out against: 전기 (`prev`) or 전년 동기 (`yoy`)."""
    if compare not in COMPARES:
        raise UserError(
            f"비교 기준 '{compare}'을(를) 알 수 없습니다. prev 또는 yoy를 쓰세요.",
            f"Unknown comparison '{compare}': use prev or yoy.",
        )
    return period.year_earlier() if compare == "yoy" else period.previous()


# ---- values and facts -------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A metric value as the model holds it: int, float, None (undefined) or Suppressed."""
    if value is None or value is pd.NA or is_suppressed(value):
        return value if is_suppressed(value) else None
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    return value


def make_fact(
    key: str,
    value: Any,
    previous: Any,
    *,
    city: Any = None,
    rank: int | None = None,
    ranked: int | None = None,
) -> Fact:
    """One metric's fact: the change by `metric_change`, its per cent by `percent_change`
    (counts and money only: a rate changes in points, metrics.md)."""
    value, previous = plain(value), plain(previous)
    unit = BY_KEY[key].unit
    change = metric_change(value, previous, unit)
    percent = percent_change(change, previous) if unit in PERCENT_UNITS else None
    return Fact(key, value, previous, change, percent, plain(city), rank, ranked)


def _row(frame: pd.DataFrame, unit: str) -> dict[str, Any]:
    return {key: frame.at[unit, key] for key in frame.columns} if unit in frame.index else {}


# ---- tables behind the figures ----------------------------------------------------------


def _cells(values: Sequence[Any]) -> list[Any]:
    """A table column as a reader gets it: numbers as numbers, a hidden one as "<5"/"–"."""
    return [v.text if isinstance(v, Suppressed) else plain(v) for v in values]


def _won(label: str, lang: str) -> str:
    return t("review.table.won", lang, label=label)


def _is_empty(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """True when the columns hold nothing but zeros (a hidden "<5" is something)."""
    return frame.empty or not shows_something(frame[list(columns)].to_numpy().ravel())


def _months_table(frame: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """A monthly frame as a table: 월 then one column per series (money in whole won).

    A month the data does not reach (`recorded` False) has no values: "–", not 0.
    """
    recorded = frame["recorded"] if "recorded" in frame else pd.Series(True, index=frame.index)
    table = {t("chart.month", lang): [month_label(m) for m in frame["month"]]}
    for column in columns:
        label = t(f"series.{column}", lang)
        if column.endswith("_krw"):
            label = _won(label, lang)
        values = _cells(frame[column])
        table[label] = [v if ok else None for v, ok in zip(values, recorded, strict=True)]
    return pd.DataFrame(table)


# ---- figures ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Context:
    conn: sa.Connection
    period: Period
    scope: Scope  # the review's own scope (narrowed to a neighbourhood for its charts)
    lang: str
    limit: int
    monthly: pd.DataFrame | None = None


def _figure(key: str, title_key: str, chart: Any, table: pd.DataFrame, lang: str) -> Figure:
    return Figure(key, t(title_key, lang), chart, table)


def _caseload_trend(ctx: _Context) -> list[Figure]:
    """Cases identified, opened and closed per month (the neighbourhood page's first chart)."""
    columns = ["discovered", "opened", "closed"]
    if _is_empty(ctx.monthly, columns):
        return []
    chart = charts.caseload_trend_chart(ctx.monthly, ctx.lang)
    table = _months_table(ctx.monthly, columns, ctx.lang)
    return [_figure("caseload_trend", "nb.trend", chart, table, ctx.lang)]


def _caseload_figures(ctx: _Context) -> list[Figure]:
    lang, out = ctx.lang, _caseload_trend(ctx)
    cases = t("chart.cases", lang)
    channels = breakdowns.channels(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(channels, ["cases"]):
        table = pd.DataFrame(
            {
                t("chart.channel", lang): [
                    enum_label(enums.CHANNEL, v, lang) for v in channels["channel"]
                ],
                cases: _cells(channels["cases"]),
            }
        )
        out.append(
            _figure("channels", "nb.channels", charts.channels_chart(channels, lang), table, lang)
        )
    profile = breakdowns.active_profile(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(profile, ["cases"]):
        table = pd.DataFrame(
            {
                t("chart.household_type", lang): [
                    enum_label(enums.HOUSEHOLD_TYPE, v, lang) for v in profile["household_type"]
                ],
                t("chart.risk_level", lang): [
                    enum_label(enums.RISK_LEVEL, v, lang) for v in profile["risk_level"]
                ],
                cases: _cells(profile["cases"]),
            }
        )
        out.append(
            _figure("profile", "nb.profile", charts.profile_chart(profile, lang), table, lang)
        )
    stages = breakdowns.cases_by_stage(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(stages, ["cases"]):
        table = pd.DataFrame(
            {
                t("chart.stage", lang): [t(f"stage.{s}", lang) for s in stages["stage"]],
                cases: _cells(stages["cases"]),
            }
        )
        out.append(_figure("stages", "nb.stages", charts.stages_chart(stages, lang), table, lang))
    return out


def _donation_figures(ctx: _Context) -> list[Figure]:
    lang, out = ctx.lang, []
    monthly = ctx.monthly
    if not _is_empty(monthly, ["donations_krw", "disbursed_krw"]):
        out.append(
            _figure(
                "raised_given",
                "nb.raised_given",
                charts.raised_given_chart(monthly, lang),
                _months_table(monthly, ["donations_krw", "disbursed_krw"], lang),
                lang,
            )
        )
    by_type = breakdowns.donations_by_month_type(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(by_type, ["amount_krw"]):
        table = pd.DataFrame(
            {
                t("chart.month", lang): [month_label(m) for m in by_type["month"]],
                t("chart.donor_type", lang): [
                    enum_label(enums.DONOR_TYPE, v, lang) for v in by_type["donor_type"]
                ],
                _won(t("chart.amount", lang), lang): _cells(by_type["amount_krw"]),
                BY_KEY["donation_count"].label(lang): _cells(by_type["donations"]),
            }
        )
        chart = charts.donor_types_chart(by_type, lang, ctx.period.months())
        out.append(_figure("donor_types", "nb.donor_types", chart, table, lang))
    return out


def _sharing_figures(ctx: _Context) -> list[Figure]:
    lang, out = ctx.lang, []
    referrals = t("chart.referrals", lang)
    statuses = breakdowns.referral_statuses(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(statuses, ["referrals"]):
        table = pd.DataFrame(
            {
                t("chart.status", lang): [
                    enum_label(enums.REFERRAL_STATUS, s, lang) for s in statuses["status"]
                ],
                referrals: _cells(statuses["referrals"]),
            }
        )
        chart = charts.statuses_chart(statuses, lang)
        out.append(_figure("statuses", "nb.statuses", chart, table, lang))
    times = breakdowns.response_times(ctx.conn, ctx.period, ctx.scope)
    if not _is_empty(times, ["referrals"]):
        table = pd.DataFrame(
            {
                t("chart.days", lang): [t(f"bucket.{b}", lang) for b in times["bucket"]],
                referrals: _cells(times["referrals"]),
            }
        )
        chart = charts.response_times_chart(times, lang, ctx.limit)
        out.append(_figure("response_times", "nb.response_times", chart, table, lang))
    return out


def _ranking_figure(
    current: pd.DataFrame,
    hoods: pd.DataFrame,
    city_value: Any,
    lang: str,
    level: str = NEIGHBOURHOOD,
) -> Figure | None:
    """The overview's ranking chart (its default metric), the city as a dashed line."""
    key, metric = RANKING_KEY, BY_KEY[RANKING_KEY]
    if key not in current.columns:  # an agency's scope: the case-sharing metrics only
        return None
    frame = charts.ranking_frame(current, hoods, key)
    if frame["value"].dropna().empty or not shows_something(frame["value"]):
        return None
    unit = "per_1000" if key == "active_per_1000" else metric.unit
    title = metric.label(lang)
    if metric.rank_per_1000:
        unit, title = "per_1000", t("column.per_1000", lang, label=title)
        city_value = _per_1000(city_value, hoods["households"].sum())
    city_value = None if is_suppressed(city_value) else plain(city_value)
    chart = charts.ranking_chart(frame, lang, value_title=title, unit=unit, city_value=city_value)
    ranks = rank_neighbourhoods(current, key, hoods.set_index("code")["households"])
    table = pd.DataFrame(
        {
            t(f"chart.{level}", lang): frame["name"],
            metric_title(key, lang, per_1000=metric.rank_per_1000): [
                None if pd.isna(v) else round(float(v), 1) for v in frame["value"]
            ],
            t("map.rank.title", lang): [
                None if pd.isna(r) else int(r) for r in ranks.reindex(hoods["code"])
            ],
        }
    )
    return Figure(
        "ranking",
        t("review.figure.ranking", lang, metric=title),
        chart,
        table.sort_values(t("map.rank.title", lang), na_position="last", kind="stable").reset_index(
            drop=True
        ),
    )


def _per_1000(value: Any, households: Any) -> float | None:
    value = plain(value)
    if value is None or is_suppressed(value) or not households:
        return None
    return float(value) / float(households) * 1000


def _city_trend_figures(ctx: _Context) -> list[Figure]:
    """The overview's three monthly trends (cases, money, referrals)."""
    lang, monthly, out = ctx.lang, ctx.monthly, []
    trends: tuple[tuple[str, str, Callable, list[str]], ...] = (
        ("caseload_trend", "overview.trend.caseload", charts.caseload_trend_chart,
         ["discovered", "opened", "closed"]),
        ("raised_given", "overview.trend.donations", charts.raised_given_chart,
         ["donations_krw", "disbursed_krw"]),
        ("referrals_trend", "overview.trend.referrals", charts.referrals_trend_chart,
         ["referrals_sent"]),
    )  # fmt: skip
    for key, title, draw, columns in trends:
        if not _is_empty(monthly, columns):
            out.append(
                _figure(
                    key, title, draw(monthly, lang), _months_table(monthly, columns, lang), lang
                )
            )
    return out


def _agency_trend_figure(ctx: _Context, code: str, name: str) -> Figure | None:
    """The agency page's chart: its monthly median days to respond, against the network's
    (not in a partner view: the network lies outside an agency's link)."""
    lang, partner = ctx.lang, ctx.scope.partner_view
    mine = network_queries.load_response_days_by_month(
        ctx.conn, ctx.period, ctx.scope, agency_code=code
    )
    if mine.empty:
        return None
    network = (
        None
        if partner
        else network_queries.load_response_days_by_month(ctx.conn, ctx.period, ctx.scope)
    )
    network_label = None if partner else t("agency.network_median", lang)
    parts = [mine.assign(series=name)]
    if network is not None:
        parts.append(network.assign(series=network_label))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.assign(month=frame["month"].map(month_label))
    days_title = metric_title("median_response_days", lang)
    chart = network_charts.response_trend_chart(
        frame,
        agency_label=name,
        network_label=network_label,
        month_title=t("network.month", lang),
        days_title=days_title,
        series_title=t("agency.series", lang),
        months=[month_label(m) for m in ctx.period.months()],
        responses_title=t("agency.responses", lang),
        lang=lang,
    )
    table = pd.DataFrame(
        {
            t("network.month", lang): frame["month"],
            t("agency.series", lang): frame["series"],
            days_title: _cells(frame["median_days"]),
            t("agency.responses", lang): _cells(frame["responses"]),
        }
    )
    return Figure("response_trend", t("agency.response_trend", lang), chart, table)


# ---- the review -------------------------------------------------------------------------


def _section_title(key: str, lang: str) -> str:
    if key == "headline":
        return t("overview.headline", lang)
    if key in AREAS:
        ko, en = AREAS[key]
        return ko if lang == "ko" else en
    return t(f"review.section.{key}", lang)


def _movements(
    key: str, current: pd.DataFrame, previous: pd.DataFrame, hoods: pd.DataFrame
) -> tuple[Movement, ...]:
    """Every neighbourhood's fact on `key`, in code order (a city review's sections)."""
    names = dict(zip(hoods["code"], hoods["name"], strict=True))
    # One column each, not a row per neighbourhood (`.at` per cell: seconds at scale).
    now = current[key].to_dict() if key in current.columns else {}
    before = previous[key].to_dict() if key in previous.columns else {}
    return tuple(
        Movement(code, names[code], make_fact(key, now.get(code), before.get(code)))
        for code in hoods["code"]
        if code in current.index
    )


def region_tree(conn: sa.Connection, top_name: str) -> RegionTree:
    """The deployment's regions, from every neighbourhood (never a viewer's scope: a
    neighbourhood's parent is where it lies, whoever looks)."""
    return RegionTree.from_frame(reference.load_neighbourhoods(conn), top_name)


def _units_frame(conn: sa.Connection, tree: RegionTree, level: str, scope: Scope) -> pd.DataFrame:
    """code, name, households of the scope's units at `level` (the ranking chart's and the
    movements' rows): neighbourhoods as they are, regions with their households summed."""
    if level == NEIGHBOURHOOD:
        return reference.load_neighbourhoods(conn, scope)[["code", "name", "households"]]
    households = unit_households(conn, level, scope)
    names = []
    for code in households.index:
        region = tree.region(code)
        names.append(region.name if region is not None else code)
    return pd.DataFrame(
        {"code": list(households.index), "name": names, "households": households.to_list()}
    )


def _parent_scope(scope: Scope, tree: RegionTree, parent: Region) -> Scope:
    """The viewer's scope over a parent region: as it is for the top (an unrestricted
    scope stays unrestricted, so the top keeps its city-wide donations and target),
    narrowed to the parent's neighbourhoods below it."""
    if parent == tree.top:
        return scope
    return scope.within(parent.code, tree.neighbourhoods_of(parent.code))


def build_review(
    conn: sa.Connection,
    *,
    kind: ScopeKind,
    code: str | None,
    period: Period,
    compare: str,
    scope: Scope,
    lang: str,
    made_by: str,
    made_at: dt.datetime,
    response_limit_days: int,
    city_name: str,
    with_figures: bool = True,
    tree: RegionTree | None = None,
    metrics: Callable[[Period, str, Scope], pd.DataFrame] | None = None,
    as_of: dt.date | None = None,
) -> Review:
    """The review of the top (`kind` "city", `code` None), a province or district (`kind`
    "province"/"district", `code` its 2- or 5-digit code), a neighbourhood or an agency,
    for a period against its comparison (`prev`: the previous period; `yoy`: a year
    earlier).

    `metrics(period, by, scope)`, when given, returns `compute_metrics(conn, period, by=by,
    scope=scope, response_limit_days=response_limit_days)`: the app passes its cached
    results (`lib.ui.metrics`), so a page and its review compute them once; `as_of`, when
    given, is the data's as-of date the caller already read (`lib.ui.reference_facts`).

    `scope` is the viewer's (a partner link's scope, possibly `partner_view`): every number
    is made from it, suppressed as the pages show it, and a region or neighbourhood
    narrows it, never widens it. `tree` is the deployment's regions (`region_tree`, read
    from the database when not given). On a city deployment everything is as it always
    was. With region levels: the top's movements and ranking chart are its provinces (or
    districts); a region's review compares its own value, and for staff its parent's
    value and its rank among its siblings (`Review.parent_name` names the parent); a
    neighbourhood's city value and rank are its district's. An unknown kind or
    comparison, or a code the scope does not hold, raises a `UserError` (Korean and
    English).
    """
    if kind not in KINDS:
        raise UserError(
            f"보고서 대상 '{kind}'을(를) 알 수 없습니다. "
            "city, province, district, neighbourhood, agency 중 하나를 쓰세요.",
            f"Unknown review kind '{kind}': use city, province, district, neighbourhood or agency.",
        )
    comparison = comparison_period(period, compare)
    limit = int(response_limit_days)
    if tree is None and kind != "agency":
        tree = region_tree(conn, city_name)
    leveled = tree is not None and not tree.is_city
    parent_name: str | None = None
    movement_level = NEIGHBOURHOOD

    compute = metrics

    def metrics(p: Period, by: str, within: Scope = scope) -> pd.DataFrame:
        if compute is not None:
            return compute(p, by, within)
        return compute_metrics(conn, p, by=by, scope=within, response_limit_days=limit)

    sections: list[Section] = []
    if kind in ("city", "province", "district"):
        if kind == "city":
            scope_name = _city_scope_name(conn, scope, city_name, lang)
            own = scope
            level = below(tree.top.level) if leveled else NEIGHBOURHOOD
        else:
            region = tree.region(code) if (leveled and code is not None) else None
            if region is None or region.level != kind:
                raise UserError(
                    f"지역 코드 '{code}'을(를) 찾을 수 없습니다.",
                    f"No region has the code '{code}'.",
                )
            own = scope.within(code, tree.neighbourhoods_of(code))
            if not own.neighbourhood_codes:
                raise UserError(
                    f"지역 코드 '{code}'을(를) 찾을 수 없습니다.",
                    f"No region has the code '{code}'.",
                )
            scope_name = region.name
            level = below(kind)
        movement_level = level
        current, previous = metrics(period, "city", own), metrics(comparison, "city", own)
        now, before = _row(current, "city"), _row(previous, "city")
        units = (
            _units_frame(conn, tree, level, own)
            if leveled
            else reference.load_neighbourhoods(conn, own)
        )
        by_unit, by_unit_before = metrics(period, level, own), metrics(comparison, level, own)
        parent_value: dict[str, Any] = {}
        ranks: dict[str, pd.Series] = {}
        if kind != "city" and not scope.partner_view:
            # The parent's value and the rank among its units: a partner has neither.
            parent = tree.parent(code)
            parent_name = parent.name
            wide = _parent_scope(scope, tree, parent)
            parent_value = _row(metrics(period, "city", wide), "city")
            siblings = metrics(period, kind, wide)
            households = unit_households(conn, kind, wide)
            ranks = {k: rank_units(siblings, k, households) for k in siblings.columns}
        fact = _fact_maker(now, before, parent_value, ranks, code)
        ctx = _context(conn, period, own, lang, limit, with_figures)
        for key, keys in _area_plan(now):
            figures: list[Figure] = []
            if with_figures:
                if key == "headline":
                    ranking = _ranking_figure(by_unit, units, now.get(RANKING_KEY), lang, level)
                    figures = ([ranking] if ranking else []) + _city_trend_figures(ctx)
                else:
                    figures = _area_figures(key, ctx)
            sections.append(
                Section(
                    key,
                    _section_title(key, lang),
                    (),
                    tuple(fact(k) for k in keys),
                    tuple(figures),
                    _movements(keys[0], by_unit, by_unit_before, units),
                )
            )
    elif kind == "neighbourhood":
        hoods = reference.load_neighbourhoods(conn, scope)
        found = hoods[hoods["code"] == code]
        if code is None or found.empty:
            raise UserError(
                f"읍면동 코드 '{code}'을(를) 찾을 수 없습니다.",
                f"No neighbourhood has the code '{code}'.",
            )
        scope_name = str(found.iloc[0]["name"])
        # Staff rank a neighbourhood among its district's (with levels) or the city's; a
        # partner's values come from the link's own scope, suppressed as its pages are.
        siblings_scope = scope
        if leveled and not scope.partner_view:
            parent = tree.parent(code)
            parent_name = parent.name
            siblings_scope = _parent_scope(scope, tree, parent)
            hoods = reference.load_neighbourhoods(conn, siblings_scope)
        by_hood = metrics(period, "neighbourhood", siblings_scope)
        now = _row(by_hood, code)
        before = _row(metrics(comparison, "neighbourhood", siblings_scope), code)
        city: dict[str, Any] = {}
        ranks = {}
        if not scope.partner_view:
            # The parent's value and the rank among its neighbourhoods: a partner has neither.
            city = _row(metrics(period, "city", siblings_scope), "city")
            households = hoods.set_index("code")["households"]
            ranks = {k: rank_neighbourhoods(by_hood, k, households) for k in by_hood.columns}
        narrowed = dataclasses.replace(scope, neighbourhood_codes=(code,))
        ctx = _context(conn, period, narrowed, lang, limit, with_figures)
        fact = _fact_maker(now, before, city, ranks, code)
        for key, keys in _area_plan(now):
            figures = []
            if with_figures:
                # The headline's one chart: the monthly caseload trend.
                figures = _caseload_trend(ctx) if key == "headline" else _area_figures(key, ctx)
            sections.append(
                Section(
                    key,
                    _section_title(key, lang),
                    (),
                    tuple(fact(k) for k in keys),
                    tuple(figures),
                )
            )
    else:
        agencies = reference.load_agencies(conn, scope)
        found = agencies[agencies["code"] == code]
        if code is None or found.empty:
            raise UserError(
                f"기관 코드 '{code}'을(를) 찾을 수 없습니다.",
                f"No agency has the code '{code}'.",
            )
        scope_name = str(found.iloc[0]["name"])
        now = _row(metrics(period, "agency"), code)
        before = _row(metrics(comparison, "agency"), code)
        ctx = _context(conn, period, scope, lang, limit, False)
        trend = _agency_trend_figure(ctx, code, scope_name) if with_figures else None
        plan = [("headline", AGENCY_METRIC_KEYS), *AGENCY_SECTIONS.items()]
        for key, keys in plan:
            figures = [trend] if trend is not None and key != "referrals" else []
            sections.append(
                Section(
                    key,
                    _section_title(key, lang),
                    (),
                    tuple(make_fact(k, now.get(k), before.get(k)) for k in keys),
                    tuple(figures),
                )
            )

    review = Review(
        lang=lang,
        city_name=city_name,
        kind=kind,
        code=code,
        scope_name=scope_name,
        period=period,
        compare=compare,
        comparison=comparison,
        as_of=as_of or reference.as_of_date(conn),
        made_by=made_by,
        made_at=made_at,
        partner_view=scope.partner_view,
        summary=(),
        sections=tuple(sections),
        parent_name=parent_name,
        movement_level=movement_level,
    )
    return with_summaries(review)


def _fact_maker(
    now: dict[str, Any],
    before: dict[str, Any],
    parent: dict[str, Any],
    ranks: dict[str, pd.Series],
    code: str | None,
) -> Callable[[str], Fact]:
    """Facts with the parent's value and the unit's rank where there are ranks."""

    def fact(k: str) -> Fact:
        if k not in ranks:
            return make_fact(k, now.get(k), before.get(k))
        rank = ranks[k].get(code)
        return make_fact(
            k,
            now.get(k),
            before.get(k),
            city=parent.get(k),
            rank=None if rank is None or pd.isna(rank) else int(rank),
            ranked=int(ranks[k].notna().sum()),
        )

    return fact


def _city_scope_name(conn: sa.Connection, scope: Scope, city_name: str, lang: str) -> str:
    """Whom a city review is about: the whole city, or what a partner's scope holds (its
    neighbourhoods' names, or its agency's), since that is all its numbers cover."""
    if scope.agency_code is not None:
        names = reference.load_agencies(conn, scope)["name"]
    elif scope.neighbourhood_codes is not None:
        names = reference.load_neighbourhoods(conn, scope)["name"]
    else:
        return t("review.city_scope", lang, city=city_name)
    return "·".join(str(n) for n in names) or t("partner.holder", lang)


def _context(
    conn: sa.Connection, period: Period, scope: Scope, lang: str, limit: int, monthly: bool
) -> _Context:
    frame = breakdowns.monthly_activity(conn, period, scope) if monthly else None
    return _Context(conn, period, scope, lang, limit, frame)


def _area_plan(values: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """("headline", HEADLINE_KEYS), then each area with its metrics that the unit has."""
    plan = [("headline", tuple(k for k in HEADLINE_KEYS if k in values))]
    for area in AREAS:
        keys = tuple(
            m.key for m in metrics_in(area) if m.key not in _NOT_FOR_AREAS and m.key in values
        )
        if keys:
            plan.append((area, keys))
    return plan


def _area_figures(area: str, ctx: _Context) -> list[Figure]:
    if area == "caseload":
        return _caseload_figures(ctx)
    if area == "donations":
        return _donation_figures(ctx)
    if area == "sharing":
        return _sharing_figures(ctx)
    return []  # outreach and self-sufficiency have no charts on the pages
