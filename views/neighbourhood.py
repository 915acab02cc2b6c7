"""읍면동 · One neighbourhood: its metrics by area against the previous period and the city.

`render(code)` is registered once per neighbourhood by app.py (`functools.partial`).
Each area of metrics.md is a section: its tiles (change against the previous period,
the city's value and the neighbourhood's rank), then the charts that explain them.
Through a neighbourhood's share link (a partner view) the numbers come suppressed from
the queries; the page leaves out the city's value and rank (the link's scope holds no
city data) and the waiting referrals case by case (a neighbourhood's link has no agency).
"""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd
import streamlit as st

from lib import present, regions, ui
from lib.charts import dashboard as charts
from lib.charts import maps
from lib.charts import tables as chart_tables
from lib.enums import NEIGHBOURHOOD_KIND
from lib.excerpt import literal
from lib.formatting import DASH, format_count, with_unit
from lib.i18n import enum_label, t
from lib.metric_defs import AREAS, metrics_in
from lib.scope import Scope
from lib.suppression import shows_something

_log = logging.getLogger("itda.views.neighbourhood")
# Received referrals are an agency's metric; a neighbourhood has only the sent ones.
_SKIP = {"referrals_received"}


def _is_empty(frame: pd.DataFrame, columns: list[str]) -> bool:
    """True when the columns hold nothing but zeros (a hidden "<5" is something)."""
    return frame.empty or not shows_something(frame[columns].to_numpy().ravel())


def _tiles(area: str, code: str, data: dict, lang: str) -> None:
    keys = [m.key for m in metrics_in(area) if m.key not in _SKIP]
    for key, column in ui.tile_grid(keys):
        with column:
            note = None
            if "city" in data:
                city = data["city"][key]
                note = ui.city_rank_note(
                    key, city, data["ranks"][key], code, lang, True, total=data.get("total")
                )
            ui.metric_tile(
                key,
                data["current"][key],
                data["previous"][key],
                lang,
                short=True,
                note=note,
                compare=data["compare"],
            )


def _chart_or_empty(
    frame: pd.DataFrame, columns: list[str], lang: str, chart, key: str, data, name: str
) -> None:
    """The chart (a `ui.chart_call`) with its downloads (`data()` makes the table on a
    click), or a note that there is nothing to draw."""
    if _is_empty(frame, columns):
        st.info(t("empty.chart", lang), icon=":material/bar_chart_off:")
    else:
        ui.chart(chart, key=key, data=data, name=name)


def _caseload_charts(filters: ui.Filters, scope: Scope, monthly: pd.DataFrame, place: str) -> None:
    lang, period = filters.lang, filters.period
    left, right = st.columns(2)

    def titled(what: str) -> str:
        st.markdown(f"**{t(what, lang)}**")
        return ui.download_name(t(what, lang), filters, place)

    with left:
        name = titled("nb.trend")
        columns = ["discovered", "opened", "closed"]
        _chart_or_empty(
            monthly,
            columns,
            lang,
            ui.chart_call(charts.caseload_trend_chart, monthly, lang),
            "nb_trend",
            lambda: chart_tables.monthly_table(monthly, columns, lang),
            name,
        )
        name = titled("nb.channels")
        channels = ui.breakdown("channels", period, scope)
        _chart_or_empty(
            channels,
            ["cases"],
            lang,
            ui.chart_call(charts.channels_chart, channels, lang),
            "nb_channels",
            lambda: chart_tables.channels_table(channels, lang),
            name,
        )
    with right:
        name = titled("nb.profile")
        profile = ui.breakdown("active_profile", period, scope)
        _chart_or_empty(
            profile,
            ["cases"],
            lang,
            ui.chart_call(charts.profile_chart, profile, lang),
            "nb_profile",
            lambda: chart_tables.profile_table(profile, lang),
            name,
        )
        name = titled("nb.stages")
        stages = ui.breakdown("cases_by_stage", period, scope)
        _chart_or_empty(
            stages,
            ["cases"],
            lang,
            ui.chart_call(charts.stages_chart, stages, lang),
            "nb_stages",
            lambda: chart_tables.stages_table(stages, lang),
            name,
        )


def _donation_charts(filters: ui.Filters, scope: Scope, monthly: pd.DataFrame, place: str) -> None:
    lang, period = filters.lang, filters.period
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('nb.donor_types', lang)}**")
        by_type = ui.breakdown("donations_by_month_type", period, scope)
        _chart_or_empty(
            by_type,
            ["amount_krw"],
            lang,
            ui.chart_call(charts.donor_types_chart, by_type, lang, period.months()),
            "nb_donor_types",
            lambda: chart_tables.donor_types_table(by_type, lang),
            ui.download_name(t("nb.donor_types", lang), filters, place),
        )
    with right:
        st.markdown(f"**{t('nb.raised_given', lang)}**")
        columns = ["donations_krw", "disbursed_krw"]
        _chart_or_empty(
            monthly,
            columns,
            lang,
            ui.chart_call(charts.raised_given_chart, monthly, lang),
            "nb_raised_given",
            lambda: chart_tables.monthly_table(monthly, columns, lang),
            ui.download_name(t("nb.raised_given", lang), filters, place),
        )


def pending_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The pending referrals as shown: case, from → to, requested, days waiting, overdue."""
    return pd.DataFrame(
        {
            "case_id": frame["case_id"],
            "route": frame["from_agency"] + " → " + frame["to_agency"],
            "requested_on": frame["requested_on"],
            "days_waiting": frame["days_waiting"],
            "overdue": [t("pending.overdue_mark", lang) if o else "" for o in frame["overdue"]],
        }
    )


def _sharing_charts(filters: ui.Filters, scope: Scope, place: str) -> None:
    lang, period = filters.lang, filters.period
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('nb.statuses', lang)}**")
        statuses = ui.breakdown("referral_statuses", period, scope)
        _chart_or_empty(
            statuses,
            ["referrals"],
            lang,
            ui.chart_call(charts.statuses_chart, statuses, lang),
            "nb_statuses",
            lambda: chart_tables.statuses_table(statuses, lang),
            ui.download_name(t("nb.statuses", lang), filters, place),
        )
    with right:
        st.markdown(f"**{t('nb.response_times', lang)}**")
        times = ui.breakdown("response_times", period, scope)
        limit = filters.response_limit_days
        _chart_or_empty(
            times,
            ["referrals"],
            lang,
            ui.chart_call(charts.response_times_chart, times, lang, limit),
            "nb_response_times",
            lambda: chart_tables.response_times_table(times, lang, limit),
            ui.download_name(t("nb.response_times", lang), filters, place),
        )
    if not filters.scope.shows_case_rows:
        return  # a neighbourhood's link: no referral case by case
    st.markdown(f"**{t('nb.pending', lang)}**")
    pending = ui.breakdown(
        "pending_referrals", period, scope, response_limit_days=filters.response_limit_days
    )
    if pending.empty:
        st.info(t("empty.pending", lang), icon=":material/done_all:")
        return
    st.caption(t("nb.pending.caption", lang, limit=filters.response_limit_days))
    ui.table(
        pending_table(pending, lang),
        name=ui.download_name(t("nb.pending", lang), filters, place),
        column_config={
            "case_id": st.column_config.TextColumn(t("pending.case", lang)),
            "route": st.column_config.TextColumn(t("pending.route", lang), width="large"),
            "requested_on": st.column_config.DateColumn(
                t("pending.requested", lang), format="YYYY-MM-DD"
            ),
            "days_waiting": st.column_config.NumberColumn(
                with_unit(t("pending.days", lang), "days", lang), format="%d"
            ),
            "overdue": st.column_config.TextColumn(t("pending.overdue", lang)),
        },
        hide_index=True,
        placeholder=DASH,
        width="stretch",
        key="nb_pending_table",
    )


def _header_with_locator(
    code: str, title: str, subtitle: str, filters: ui.Filters, shapes_scope: Scope
) -> None:
    """The page header, with a small map of the city beside it (this neighbourhood in
    orange) when there are boundaries; on a phone the map goes under the header.

    Only the shapes the viewer's scope may see (a partner's link shows its own ones),
    and above one city only its district's (`shapes_scope`), never a nation's.
    """
    lang = filters.lang
    try:
        call = ui.chart_call(maps.locator_chart, ui.known_shapes(shapes_scope), code, lang)
        chart = ui.prepared_chart(call)  # None: no shape for this neighbourhood
    except Exception:  # the map is an extra: the page goes on without it
        _log.exception("locator map of %s", code)
        chart = None
    if chart is None:
        ui.page_header(title, filters, subtitle=subtitle, report=("neighbourhood", code, title))
        return
    left, right = st.columns([5, 2], vertical_alignment="bottom")
    with left:
        ui.page_header(title, filters, subtitle=subtitle, report=("neighbourhood", code, title))
    with right, st.container(key="nb-locator"):
        st.caption(t("map.locator", lang))
        ui.chart(chart, key="nb_locator")


def render(code: str) -> None:
    """Draw the page of neighbourhood `code` for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    # Above one city the neighbourhood is compared with its district (시·군·구), not the
    # nation: its value and rank among that district's neighbourhoods, at a district's cost.
    tree = ui.region_tree(lang=lang)
    compared, total = filters.scope, None
    if not tree.is_city and not filters.scope.partner_view:
        district = tree.region(regions.district_code(code))
        if district is not None and district != tree.top:
            compared = ui.region_scope(filters.scope, tree, district.code)
            total = t("region.total", lang, name=district.name)
    hoods = ui.neighbourhoods(compared)
    found = hoods[hoods["code"] == code]
    if found.empty:
        st.error(t("error.unknown_neighbourhood", lang, code=literal(code)))
        return
    if ui.presenting():  # this neighbourhood's review as slides
        present.show("neighbourhood", code, filters)
        return
    hood = found.iloc[0]
    kind = enum_label(NEIGHBOURHOOD_KIND, hood["kind"], lang)
    subtitle = t(
        "nb.kind_households", lang, kind=kind, households=format_count(hood["households"], lang)
    )
    if total is not None:
        ui.breadcrumb(tree, code, lang)
    _header_with_locator(code, hood["name"], subtitle, filters, compared)
    summaries: dict[str, tuple[str, ...]] = {}
    opening: tuple[str, ...] = ()
    with ui.section(lang, "neighbourhood.summary"):
        # The viewer's scope: above one city the review compares with the district itself.
        review = ui.review("neighbourhood", code, filters)
        opening = review.summary
        ui.summary(opening)
        summaries = {s.key: s.summary for s in review.sections}
    # The neighbourhood narrows the viewer's scope; it never widens it.
    scope = dataclasses.replace(filters.scope, neighbourhood_codes=(code,))
    by_hood = ui.metrics(filters.period, "neighbourhood", compared)
    # Plain dicts: the tiles look up 30-odd values (a Series' first lookup builds its index).
    data = {
        "current": by_hood.loc[code].to_dict(),
        "compare": filters.compare,
        "previous": ui.metrics(filters.comparison, "neighbourhood", compared).loc[code].to_dict(),
        "total": total,
    }
    if not filters.scope.partner_view:
        # The city's (district's) value and the rank among its neighbourhoods: a partner's
        # scope has neither.
        data["city"] = ui.metrics(filters.period, "city", compared).iloc[0].to_dict()
        data["ranks"] = ui.metric_ranks(filters.period, compared)
    if not shows_something(data["current"].values()):
        st.info(
            t("empty.period", lang, period=filters.period.label(lang)), icon=":material/event_busy:"
        )
    monthly = ui.breakdown("monthly_activity", filters.period, scope)
    ui.section_links([(area, ko if lang == "ko" else en) for area, (ko, en) in AREAS.items()], lang)
    for area, (ko, en) in AREAS.items():
        with ui.section(lang, f"neighbourhood.{area}"):
            st.header(ko if lang == "ko" else en, anchor=area, divider="gray")
            # A sentence the page's opening already said (the caseload section starts, as
            # the review does, with discovered households) is not said twice.
            ui.summary([s for s in summaries.get(area, ()) if s not in opening])
            _tiles(area, code, data, lang)
            if area == "caseload":
                _caseload_charts(filters, scope, monthly, hood["name"])
            elif area == "donations":
                _donation_charts(filters, scope, monthly, hood["name"])
            elif area == "sharing":
                _sharing_charts(filters, scope, hood["name"])
