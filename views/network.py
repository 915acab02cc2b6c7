"""사례공유 네트워크 · The case-sharing network: every agency, the flows between them, the waits."""

from __future__ import annotations

import dataclasses
import functools
import re
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lib import present, ui
from lib.charts import network as charts
from lib.charts import tables as chart_tables
from lib.enums import AGENCY_KIND, REFERRAL_STATUS, SECTOR
from lib.formatting import DASH, format_count, format_metric, with_unit
from lib.i18n import enum_label, t
from lib.metric_defs import AGENCY_METRIC_KEYS, BY_KEY
from lib.network_layout import graph_frames
from lib.period import Period
from lib.queries import network as q
from lib.regions import DISTRICT, NATION, PREFIX, PROVINCE, Region, RegionTree
from lib.scope import Scope
from lib.suppression import as_float

# The network queries a page may ask for, by name (a whitelist: names come from code).
_LOADERS = {
    "agency_table": q.agency_table,
    "flows": q.load_flow_matrix,
    "flow_totals": q.load_flow_totals,
    "directions": q.load_directions,
    "status_by_month": q.load_status_by_month,
    "pending": q.load_pending,
    "partners": q.load_partners,
    "response_days": q.load_response_days_by_month,
    "region_flows": q.load_region_flows,
}


@ui.cached(1024)
def _load(
    url: str, version: str, name: str, period: Period, scope: Scope, kwargs: tuple
) -> pd.DataFrame:
    # Keyed like lib.ui's loaders: database, data version, period and scope, never a frame.
    with ui.snapshot(url, version) as conn:  # one state, the version's
        return _LOADERS[name](conn, period, scope, **dict(kwargs))


def load(name: str, period: Period, scope: Scope, **kwargs) -> pd.DataFrame:
    """The frame of the network query `name` for the period and scope (cached)."""
    url = ui.database_url()
    return _load(url, ui.data_version(url), name, period, scope, tuple(sorted(kwargs.items())))


def agencies(scope: Scope) -> pd.DataFrame:
    """The agencies the scope may see: code, name, sector, kind, neighbourhood_code (cached)."""
    return ui.agencies(scope)


def agency_url_path(code: str) -> str:
    """The URL path of an agency's page: `agency-` and its code (URL-safe characters)."""
    return "agency-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(code))


def agency_names(agencies: pd.DataFrame) -> dict[str, str]:
    """Agency code → name."""
    return dict(zip(agencies["code"], agencies["name"], strict=True))


@ui.cached(64)
def _names(url: str, version: str, scope: Scope) -> dict[str, str]:
    with ui.snapshot(url, version) as conn:  # one state, the version's
        return agency_names(q.load_agency_names(conn, scope))


def names(scope: Scope) -> dict[str, str]:
    """Agency code → name for every agency the scope may name (cached).

    An agency's link may name its counterparts (`load_agency_names`), though its agency
    list holds only itself.
    """
    url = ui.database_url()
    return _names(url, ui.data_version(url), scope)


def status_labels(lang: str) -> dict[str, str]:
    """Each stored status → the word shown, in workflow order."""
    return {s: enum_label(REFERRAL_STATUS, s, lang) for s in q.STATUS_ORDER}


def pending_table(
    pending: pd.DataFrame, names: dict[str, str], lang: str, with_to: bool = True
) -> pd.DataFrame:
    """Waiting referrals as shown: referral, case, who sent, who must answer (unless
    `with_to` is False: on that agency's own page), since, days (with the unit)."""
    columns = {
        t("network.referral_id", lang): pending["referral_id"],
        t("network.case_id", lang): pending["case_id"],
        t("network.from", lang): pending["from_code"].map(names),
    }
    if with_to:
        columns[t("network.to", lang)] = pending["to_code"].map(names)
    columns[t("network.requested_on", lang)] = pending["requested_on"].map(str)
    columns[with_unit(t("network.days_waiting", lang), "days", lang)] = pending["days_waiting"]
    return pd.DataFrame(columns)


def agency_frame(table: pd.DataFrame, filters: ui.Filters) -> pd.DataFrame:
    """The agency table as shown: link (page URL#name), sector, kind and every metric."""
    lang = filters.lang
    frame = pd.DataFrame(
        {
            "link": [
                f"{ui.page_href(agency_url_path(code), filters)}#{name}"
                for code, name in zip(table["code"], table["name"], strict=True)
            ],
            "sector": [enum_label(SECTOR, s, lang) for s in table["sector"]],
            "kind": [enum_label(AGENCY_KIND, k, lang) for k in table["kind"]],
        }
    )
    for key in AGENCY_METRIC_KEYS:
        if filters.scope.partner_view:
            # "<5" cannot sit in a number column: a partner's table shows the words.
            frame[key] = [format_metric(key, v, lang) for v in table[key]]
        else:
            frame[key] = pd.to_numeric(table[key], errors="coerce").astype("float64").to_numpy()
    return frame


# ---- sections ---------------------------------------------------------------------------


def _agency_table(
    filters: ui.Filters,
    scope: Scope,
    agencies: pd.DataFrame,
    district: tuple[str, ...] | None = None,
) -> None:
    lang = filters.lang
    st.subheader(t("network.agencies", lang), anchor="agencies")
    left, right = st.columns(2)
    sectors = left.multiselect(
        t("network.sector", lang),
        list(SECTOR),
        format_func=lambda s: enum_label(SECTOR, s, lang),
        key="sector",
        bind="query-params",
        placeholder=t("network.all", lang),
    )
    kinds = right.multiselect(
        t("network.kind", lang),
        list(AGENCY_KIND),
        format_func=lambda k: enum_label(AGENCY_KIND, k, lang),
        key="kind",
        bind="query-params",
        placeholder=t("network.all", lang),
    )
    table = load(
        "agency_table",
        filters.period,
        scope,
        sectors=tuple(sectors) or None,
        kinds=tuple(kinds) or None,
        response_limit_days=filters.response_limit_days,
        agency_codes=district,
    )
    shown = agency_frame(table, filters)
    columns = {
        "link": st.column_config.LinkColumn(
            t("network.agency_name", lang), display_text=r"#(.*)$", width="medium"
        ),
        "sector": st.column_config.TextColumn(t("network.sector", lang), width="small"),
        "kind": st.column_config.TextColumn(t("network.kind", lang)),
    }
    formats = {"count": "%d", "rate": "%.1f%%", "days": "%.1f"}
    for key in AGENCY_METRIC_KEYS:
        metric = BY_KEY[key]
        column = (
            st.column_config.TextColumn if scope.partner_view else st.column_config.NumberColumn
        )
        shown_as = {} if scope.partner_view else {"format": formats[metric.unit]}
        columns[key] = column(metric.label(lang), help=metric.definition(lang), **shown_as)
    # metrics.md: a metric without a value is "–", never 0 (nor Streamlit's "None").
    ui.table(
        shown,
        name=ui.download_name(t("network.agencies", lang), filters),
        column_config=columns,
        hide_index=True,
        width="stretch",
        key="agencies",
        placeholder=DASH,
    )
    st.caption(t("network.table_note", lang, n=len(shown), total=len(agencies)))


def _flows(filters: ui.Filters, totals: pd.DataFrame, known: dict[str, str]) -> None:
    lang = filters.lang
    st.subheader(t("network.flows", lang), anchor="flows")
    if totals.empty:
        st.info(t("network.no_referrals", lang))
        return
    totals = totals.assign(
        from_name=totals["from_code"].map(known), to_name=totals["to_code"].map(known)
    )
    chart = ui.chart_call(
        charts.flow_heatmap_chart,
        totals,
        list(known.values()),
        from_title=t("network.from", lang),
        to_title=t("network.to", lang),
        count_title=t("network.referrals", lang),
        accepted_title=t("network.accepted", lang),
    )
    ui.chart(
        chart,
        key="network_heatmap",
        width="content",
        data=functools.partial(chart_tables.flows_table, totals, lang),
        name=ui.download_name(t("network.flows", lang), filters),
    )


def graph_layout(
    totals: pd.DataFrame, agencies: pd.DataFrame, known: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The graph's points and lines laid out (`graph_frames`): a point for every agency the
    page may name (an agency's link: its counterparts too, by name only); a partner's
    hidden flows are left out of the lines and the volumes."""
    points = pd.DataFrame({"code": list(known), "name": list(known.values())})
    points = points.merge(agencies[["code", "sector"]], on="code", how="left")
    shown = totals.assign(referrals=as_float(totals["referrals"])).dropna(subset=["referrals"])
    return graph_frames(points.fillna({"sector": ""}), shown)


@ui.cached(64)
def _layout(
    url: str,
    version: str,
    period: Period,
    scope: Scope,
    names_scope: Scope,
    district: tuple[str, ...] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    # The layout costs O(agencies² × 300 iterations): made once per data version, period,
    # scope and district, so a warm run (another section's widget, a language switch)
    # reuses it; a district's layout holds that district's agencies only.
    totals = _load(url, version, "flow_totals", period, scope, ())
    known = _names(url, version, names_scope)
    if district is not None:
        inside = set(district)
        known = {c: n for c, n in known.items() if c in inside}
        totals = totals[totals["from_code"].isin(inside) & totals["to_code"].isin(inside)]
    return graph_layout(totals.reset_index(drop=True), ui.agencies(names_scope), known)


def _graph(
    filters: ui.Filters,
    scope: Scope,
    totals: pd.DataFrame,
    known: dict[str, str],
    district: tuple[str, ...] | None = None,
) -> None:
    lang = filters.lang
    st.subheader(t("network.graph", lang), anchor="graph")
    if totals.empty:
        st.info(t("network.no_referrals", lang))
        return
    url = ui.database_url()
    nodes, segments = _layout(
        url, ui.data_version(url), filters.period, scope, filters.scope, district
    )
    shown = totals.assign(referrals=as_float(totals["referrals"])).dropna(subset=["referrals"])
    nodes["sector"] = [enum_label(SECTOR, s, lang) for s in nodes["sector"]]
    chart = ui.chart_call(
        charts.network_graph_chart,
        nodes,
        segments,
        volume_title=t("network.volume", lang),
        sector_title=t("network.sector", lang),
        from_title=t("network.from", lang),
        to_title=t("network.to", lang),
        count_title=t("network.referrals", lang),
        sector_labels={s: enum_label(SECTOR, s, lang) for s in SECTOR},
    )
    ui.chart(chart, key="network_graph")
    st.caption(t("network.graph_note", lang))
    flows = shown.assign(
        from_name=shown["from_code"].map(known), to_name=shown["to_code"].map(known)
    )
    ui.downloads(
        ui.download_name(t("network.graph", lang), filters),
        "network_graph",
        chart=chart,
        data=functools.partial(chart_tables.flows_table, flows, lang),
    )


def _statuses(filters: ui.Filters, scope: Scope) -> None:
    lang = filters.lang
    st.subheader(t("network.statuses", lang), anchor="statuses")
    monthly = load("status_by_month", filters.period, scope)
    if monthly.empty:
        st.info(t("network.no_referrals", lang))
        return
    chart = ui.chart_call(
        charts.status_over_time_chart,
        monthly.assign(month=monthly["month"].map(charts.month_label)),
        status_labels(lang),
        month_title=t("network.month", lang),
        count_title=t("chart.axis.referrals", lang),
        status_title=t("network.status", lang),
        months=[charts.month_label(m) for m in filters.period.months()],
        lang=lang,
    )
    ui.chart(chart, key="network_statuses")
    st.caption(t("network.statuses_note", lang))
    ui.downloads(
        ui.download_name(t("network.statuses", lang), filters),
        "network_statuses",
        chart=chart,
        data=functools.partial(
            chart_tables.status_months_table, monthly, status_labels(lang), lang
        ),
    )


def _overdue(filters: ui.Filters, overdue: pd.DataFrame, count: object, known: dict) -> None:
    lang = filters.lang
    st.subheader(t("network.overdue", lang, n=format_count(count)), anchor="overdue")
    st.caption(t("network.overdue_note", lang, days=filters.response_limit_days))
    if overdue.empty:
        if filters.scope.shows_case_rows:
            st.success(t("network.no_overdue", lang))
        return
    shown = pending_table(overdue, known, lang)
    ui.table(
        shown,
        name=ui.download_name(t("toc.overdue", lang), filters),
        units={with_unit(t("network.days_waiting", lang), "days", lang): "count"},
        hide_index=True,
        width="stretch",
        key="overdue",
    )


# ---- page -------------------------------------------------------------------------------


# The page's own URL path (dashboard.NETWORK) and its region parameter (`?region=44200`).
PATH, REGION_KEY = "case-sharing", "region"


@ui.cached(64)
def _region_tree(url: str, version: str, scope: Scope, top_name: str) -> RegionTree:
    return RegionTree.from_frame(ui.neighbourhoods(scope), top_name)


def region_tree(filters: ui.Filters) -> RegionTree:
    """The deployment's regions the viewer may see (cached per data version)."""
    url = ui.database_url()
    return _region_tree(url, ui.data_version(url), filters.scope, ui.city_name(filters.lang))


@ui.cached(16)
def _agency_districts(url: str, version: str) -> dict[str, str | None]:
    with ui.snapshot(url, version) as conn:  # one state, the version's
        frame = q.load_agency_districts(conn)
    return dict(zip(frame["code"], frame["district"], strict=True))


def district_agencies(district: str) -> tuple[str, ...]:
    """The codes of the agencies of a 시·군·구 (`lib.queries.network.load_agency_districts`)."""
    url = ui.database_url()
    found = _agency_districts(url, ui.data_version(url))
    return tuple(sorted(c for c, d in found.items() if d == district))


def agency_district(code: str) -> str | None:
    """The 시·군·구 an agency belongs to (`load_agency_districts`), None for none."""
    url = ui.database_url()
    return _agency_districts(url, ui.data_version(url)).get(code)


def chosen_region(tree: RegionTree) -> Region:
    """The region of `?region=` (a 시·도 or 시·군·구 of the tree), else the deployment's top."""
    code = str(st.query_params.get(REGION_KEY) or "")
    region = tree.region(code) if code else None
    if region is None or region.level not in (PROVINCE, DISTRICT):
        return tree.top
    return region


def region_href(code: str, filters: ui.Filters) -> str:
    """A link to this page for region `code` (the nation's "": no region), keeping the
    filters."""
    href = ui.page_href(PATH, filters)
    if not code:
        return href
    return href + ("&" if "?" in href else "?") + urlencode({REGION_KEY: code})


def _pick_district() -> None:
    code = st.session_state.get("network_region")
    if code:
        st.query_params[REGION_KEY] = code


def _region_picker(tree: RegionTree, region: Region, filters: ui.Filters) -> None:
    """Where the page is (links up to the top) and a searchable choice of 시·군·구."""
    lang = filters.lang
    up = [*tree.ancestors(region.code)] if region != tree.top else []
    if up:
        links = " › ".join(f"[{r.name}]({region_href(r.code, filters)})" for r in up)
        st.markdown(f"{t('network.region.up', lang)}: {links} › **{region.name}**")
    districts = [c for c, r in tree.regions.items() if r.level == DISTRICT]
    st.session_state["network_region"] = region.code if region.level == DISTRICT else None
    st.selectbox(
        t("network.region.pick", lang),
        sorted(districts),
        index=None,
        format_func=tree.label,
        key="network_region",
        on_change=_pick_district,
        placeholder=t("network.region.pick", lang),
        help=t("network.region.pick.help", lang),
    )


def _region_summary(filters: ui.Filters, tree: RegionTree, region: Region) -> None:
    """The nation's or a province's flows by the regions one level below, each a link."""
    lang = filters.lang
    st.subheader(t("network.region.summary", lang), anchor="regions")
    scope = filters.scope
    if region != tree.top:
        scope = scope.within(region.code, tree.neighbourhoods_of(region.code))
    length = PREFIX[PROVINCE if region.level == NATION else DISTRICT]
    flows = load("region_flows", filters.period, scope, unit_length=length).set_index("unit")
    children = tree.children_of(region.code)
    shown = pd.DataFrame(
        {
            "link": [f"{region_href(c.code, filters)}#{c.name}" for c in children],
            "sent": [int(flows["sent"].get(c.code, 0)) for c in children],
            "received": [int(flows["received"].get(c.code, 0)) for c in children],
            "acceptance_rate": [
                pd.to_numeric(flows["acceptance_rate"].get(c.code), errors="coerce")
                for c in children
            ],
            "median_response_days": [
                pd.to_numeric(flows["median_response_days"].get(c.code), errors="coerce")
                for c in children
            ],
        }
    )
    acceptance, median = BY_KEY["acceptance_rate"], BY_KEY["median_response_days"]
    ui.table(
        shown,
        name=ui.download_name(t("network.region.summary", lang), filters, region.name),
        column_config={
            "link": st.column_config.LinkColumn(
                t("network.region.name", lang), display_text=r"#(.*)$"
            ),
            "sent": st.column_config.NumberColumn(
                with_unit(t("network.region.sent", lang), "count", lang), format="%d"
            ),
            "received": st.column_config.NumberColumn(
                with_unit(t("network.region.received", lang), "count", lang), format="%d"
            ),
            "acceptance_rate": st.column_config.NumberColumn(
                acceptance.label(lang), help=acceptance.definition(lang), format="%.1f%%"
            ),
            "median_response_days": st.column_config.NumberColumn(
                median.label(lang), help=median.definition(lang), format="%.1f"
            ),
        },
        hide_index=True,
        width="stretch",
        placeholder=DASH,
        key="network_regions",
    )
    st.caption(t("network.region.summary_note", lang))


def render() -> None:
    """Draw the network page for the current filters.

    A city deployment: the city's network. Above one city (several 시·군·구): the network
    of the 시·군·구 of `?region=`; without one (or a 시·도), the referral flows by the
    regions below, each linking to its own view. A drawing never holds more than one
    district's agencies.
    """
    filters = ui.current_filters()
    lang = filters.lang
    if ui.presenting():  # the case-sharing section of the city's review
        if not ui.show_empty_database(lang):
            present.show("city", None, filters, only=("sharing",))
        return
    tree = region_tree(filters)
    region = None if tree.is_city else chosen_region(tree)
    ui.page_header(
        t("network.title", lang),
        filters,
        subtitle=t("network.limit", lang, days=filters.response_limit_days),
        scope=t("city_total", lang) if region is None else tree.label(region.code),
        report=("city", None, None),
    )
    if ui.show_empty_database(lang):
        return
    with ui.section(lang, "network.summary"):
        # The case-sharing sentences of the viewer's whole scope (above the neighbourhood
        # filter, which narrows the tables and charts below only).
        ui.summary(ui.section_summary(ui.review("city", None, filters), "sharing"))
    district: tuple[str, ...] | None = None
    base = filters.scope
    if region is not None:
        _region_picker(tree, region, filters)
        if region.level != DISTRICT:
            with ui.section(lang, "network.regions"):
                _region_summary(filters, tree, region)
            return
        base = base.within(region.code, tree.neighbourhoods_of(region.code))
        district = district_agencies(region.code)
        st.caption(
            t("network.region.district_note", lang, region=tree.label(region.code), n=len(district))
        )
    _network(filters, base, district)


def _network(filters: ui.Filters, base: Scope, district: tuple[str, ...] | None) -> None:
    """The network of `base` (the viewer's scope, or its part in one district); with
    `district`, only those agencies are listed and drawn."""
    lang = filters.lang
    ui.section_links(
        [
            ("agencies", t("toc.agencies", lang)),
            ("flows", t("toc.flows", lang)),
            ("graph", t("toc.graph", lang)),
            ("statuses", t("toc.statuses", lang)),
            ("overdue", t("toc.overdue", lang)),
        ],
        lang,
    )
    hoods = ui.neighbourhoods(base)
    chosen = st.multiselect(
        t("network.neighbourhoods", lang),
        list(hoods["code"]),
        format_func=dict(zip(hoods["code"], hoods["name"], strict=True)).get,
        key="nb",
        bind="query-params",
        placeholder=t("network.all_neighbourhoods", lang),
    )
    # The neighbourhood filter narrows the viewer's scope; it never widens it.
    scope = base
    if chosen:
        scope = dataclasses.replace(scope, neighbourhood_codes=tuple(chosen))
    agency_list = agencies(filters.scope)
    every_name = names(filters.scope)  # the tables name agencies of other districts too
    known, totals = every_name, load("flow_totals", filters.period, scope)
    if district is not None:  # drawn: the district's agencies and the flows between them
        agency_list = agency_list[agency_list["code"].isin(district)]
        known = {c: n for c, n in every_name.items() if c in set(district)}
        totals = totals[totals["from_code"].isin(district) & totals["to_code"].isin(district)]
        totals = totals.reset_index(drop=True)
    pending = load(
        "pending", filters.period, scope, response_limit_days=filters.response_limit_days
    )
    overdue = pending[pending["overdue"]]
    # The headline numbers come from the metrics engine, so a partner's read as its tiles
    # do (and a neighbourhood's link, which lists no waiting referral, still counts them).
    headline = ui.metrics(filters.period, "city", scope).iloc[0]

    with ui.section(lang, "network.headline"):
        cols = st.columns(3)
        cols[0].metric(
            t("network.referrals_in_period", lang),
            format_count(headline["referrals_sent"]),
            border=True,
        )
        for col, key in ((cols[1], "pending"), (cols[2], "overdue")):
            metric = BY_KEY[key]
            col.metric(
                metric.label(lang),
                format_count(headline[key]),
                help=metric.definition(lang),
                border=True,
            )
    with ui.section(lang, "network.agencies"):
        _agency_table(filters, scope, agency_list, district)
    with ui.section(lang, "network.flows"):
        _flows(filters, totals, known)
    with ui.section(lang, "network.graph"):
        _graph(filters, scope, totals, known, district)
    with ui.section(lang, "network.statuses"):
        _statuses(filters, scope)
    with ui.section(lang, "network.overdue"):
        _overdue(filters, overdue, headline["overdue"], every_name)
