"""시 전체 개요 · City overview: headline metrics, every neighbourhood compared, trends."""

from __future__ import annotations

import dataclasses
import functools
import math
import unicodedata
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib import present, regions, ui
from lib.charts import dashboard as charts
from lib.charts import maps
from lib.charts import tables as chart_tables
from lib.charts.dashboard import ranking_frame
from lib.enums import NEIGHBOURHOOD_KIND
from lib.excerpt import literal
from lib.formatting import (
    DASH,
    MONEY_UNIT_SIZE,
    format_value,
    metric_title,
    metric_unit,
)
from lib.i18n import enum_label, t
from lib.metric_defs import BY_KEY, HEADLINE_KEYS, METRICS
from lib.queries.metrics import rank_neighbourhoods
from lib.regions import RegionTree
from lib.scope import Scope

# Every metric a neighbourhood has (received referrals are an agency's metric).
# The eight numbers a department head reads first (shared with the performance review).
HEADLINE: tuple[str, ...] = HEADLINE_KEYS
TABLE_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS if m.key != "referrals_received")
DEFAULT_RANKING = "active_per_1000"
# The comparison table shows one group of metrics at a time: all 32 side by side need
# three screens' width at 1440 px. Each group fits beside the names at 1440×900 with the
# sidebar open (tests/browser/test_tables_fit.py); together they hold every metric once.
TABLE_GROUPS: dict[str, tuple[str, ...]] = {
    "headline": HEADLINE,
    "caseload": (
        "discovered",
        "opened",
        "active",
        "closed",
        "active_per_1000",
        "high_risk_share",
        "isolated_active",
    ),
    "services": (
        "served_households",
        "services",
        "plan_on_time_rate",
        "median_days_open",
        "disbursed_krw",
        "supported_households",
    ),
    "donations": (
        "donations_krw",
        "donations_cash_krw",
        "donations_inkind_krw",
        "donation_count",
        "donors",
        "donation_target_rate",
    ),
    "sharing": (
        "referrals_sent",
        "acceptance_rate",
        "median_response_days",
        "pending",
        "overdue",
        "completion_rate",
    ),
    "community": (
        "households_visited",
        "households_found",
        "ss_active",
        "ss_started",
        "ss_exits",
        "ss_success_rate",
        "ss_programmes",
    ),
}
CITY_ROW = "city"  # the `code` of the city total row


def _scaled(key: str, per_1000: bool) -> bool:
    return per_1000 and BY_KEY[key].rank_per_1000


def table_keys(group: str, per_1000: bool) -> list[str]:
    """The metric columns of `group`; per 1,000 households, active_per_1000 is left out,
    since the active column already is that number."""
    keys = TABLE_GROUPS[group]
    return [k for k in keys if not (per_1000 and k == "active_per_1000")]


def comparison_frame(
    current: pd.DataFrame,
    hoods: pd.DataFrame,
    lang: str,
    per_1000: bool,
    city: pd.Series | None = None,
    total_word: str | None = None,
    total_path: str = "",
) -> pd.DataFrame:
    """One row per neighbourhood: link, kind, households and every metric; with `city`
    (the city's own metrics), a first row for the whole city.

    On a region page the rows are the units one level down (`hoods` then has a `path`
    column: each row's page, and `kind` already in words) and the first row is the
    region (`total_word`, "한빛도 전체"; `total_path` its page).

    Money is in the tables' unit (만원; thousands of won in English). With `per_1000`,
    counts and money that rank per 1,000 households are divided by the neighbourhood's
    households (× 1,000); rates and medians are left as they are. The city row holds the
    city's own values (a rate of the city, never a sum or mean of the rows), per 1,000
    of the city's households (the sum over neighbourhoods, as metrics.md defines them).
    """
    frame = hoods.set_index("code")[["name", "kind", "households"]].copy()
    # Region pages give each row's page (a district's or province's); else a neighbourhood's.
    paths = (
        hoods.set_index("code")["path"]
        if "path" in hoods
        else pd.Series([ui.neighbourhood_path(c) for c in frame.index], index=frame.index)
    )
    frame["link"] = [
        f"{ui.page_href(paths[code])}#{name}"
        for code, name in zip(frame.index, frame["name"], strict=True)
    ]
    if "path" not in hoods:
        frame["kind"] = [enum_label(NEIGHBOURHOOD_KIND, k, lang) for k in frame["kind"]]
    values = current.reindex(frame.index)
    if city is not None:
        total_name = total_word or t("city_total", lang)
        total = pd.DataFrame(
            {
                "name": [total_name],
                "kind": [""],
                "households": [frame["households"].sum()],
                "link": [f"{ui.page_href(total_path)}#{total_name}"],
            },
            index=[CITY_ROW],
        )
        frame = pd.concat([total, frame])
        values = pd.concat([pd.DataFrame([city], index=[CITY_ROW]), values])
    for key in TABLE_KEYS:
        column = pd.to_numeric(values[key], errors="coerce").astype("float64")
        if BY_KEY[key].unit == "krw":
            column = column / MONEY_UNIT_SIZE["ko" if lang == "ko" else "en"]
        if _scaled(key, per_1000):
            households = frame["households"].astype("float64")
            column = column / households.where(households > 0) * 1000
        frame[key] = column
    return frame.reset_index(drop=True)


def cell_units(per_1000: bool) -> dict[str, str]:
    """The unit each metric column is shown in: per 1,000 households where scaled, money
    as whole numbers (already in 만원), else the metric's own."""
    units = {"households": "count"}
    for key in TABLE_KEYS:
        if _scaled(key, per_1000):
            units[key] = "per_1000"
        elif BY_KEY[key].unit == "krw":
            units[key] = "count"
        else:
            units[key] = metric_unit(key)
    return units


def _formatters(lang: str, per_1000: bool) -> dict:
    """How each metric column reads: the dashboard's number formats, "–" for no value.

    Formatting through a Styler keeps the numbers underneath, so columns sort numerically.
    Money is already in 만원 (the header says so): whole, or to 1 decimal per 1,000.
    """
    units = cell_units(per_1000)
    return {key: functools.partial(_format_cell, unit=units[key], lang=lang) for key in TABLE_KEYS}


def _format_cell(value: object, unit: str, lang: str) -> str:
    # The header carries the unit, so days read as plain numbers like every other column.
    if unit == "days":
        unit = "per_1000"  # one decimal, no suffix
    return format_value(value, unit, lang)


def _shade_city_row(row: pd.Series) -> list[str]:
    """The city row in a grey band, so it stands apart wherever a sort puts it."""
    shade = "background-color: #eef1f5" if row.name == 0 else ""
    return [shade] * len(row)


def _column_config(lang: str, unit_word: str | None = None) -> dict:
    """Column titles with their units, and definitions (help), for the comparison table."""
    config = {
        "link": st.column_config.LinkColumn(
            unit_word or t("column.neighbourhood", lang), display_text=r"#(.+)$", pinned=True
        ),
        "kind": st.column_config.TextColumn(t("column.kind", lang), width=44),
        "households": st.column_config.NumberColumn(t("column.households", lang), format="%,d"),
    }
    for key in TABLE_KEYS:
        # Per 1,000 households the view's name says so once, above the table: the suffix
        # on every header would make the groups too wide for 1440 px.
        # English headers are the short column labels; the tooltip names the metric whole.
        title = metric_title(key, lang, short=True)
        config[key] = st.column_config.NumberColumn(
            title, help=column_help(key, lang), width=header_width(title)
        )
    return config


def column_help(key: str, lang: str) -> str:
    """A metric column's tooltip: its definition, after its full title where the header
    shows a short label."""
    metric = BY_KEY[key]
    definition = metric.definition(lang)
    if metric.column_label(lang) == metric.label(lang):
        return definition
    return f"{metric_title(key, lang)}: {definition}"


def header_width(title: str) -> int:
    """Pixels a column needs to show `title` whole: the grid never wraps a header and cuts
    it with "…" when its column is narrower. Character widths are those of the app's font
    at the header's 14 px (measured in Chromium), plus the cell's padding; the grid still
    widens columns to fill the table."""
    text = sum(_char_width(ch) for ch in title)
    return math.ceil(text) + 20


def _char_width(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WF":
        return 12.4
    if ch in " ,.":
        return 4.0
    if ch in "()/":
        return 5.6
    if ch == "%":
        return 11.0
    return 9.0 if ch.isupper() else 7.6


@dataclass(frozen=True)
class Place:
    """What an overview shows: the city (a city deployment), or a region (the top at `/`,
    a 시·도 or 시·군·구 page), compared over the units one level down."""

    code: str | None  # the region's code; None: the city of a city deployment
    name: str
    title: str
    total: str  # the first row and the ranking's line: "시 전체", "한빛도 전체"
    scope: Scope  # the viewer's, narrowed to the region
    by: str  # the units compared: neighbourhood, district or province
    children: pd.DataFrame  # code, name, kind (in words on region pages), households[, path]
    unit_word: str  # "읍면동", "시군구", "시도"
    path: str = ""  # the place's own page ("" the overview at `/`)

    @property
    def is_region(self) -> bool:
        return self.code is not None


def city_place(filters: ui.Filters) -> Place:
    """The city overview of a city deployment (as it has always been)."""
    lang = filters.lang
    return Place(
        code=None,
        name=ui.city_name(lang),
        title=t("overview.title", lang, city=ui.city_name(lang)),
        total=t("city_total", lang),
        scope=filters.scope,
        by="neighbourhood",
        children=ui.neighbourhoods(filters.scope),
        unit_word=t("column.neighbourhood", lang),
    )


def region_place(filters: ui.Filters, tree: RegionTree, code: str | None) -> Place | None:
    """A region's overview (None: no such region): its scope, and its children as rows
    keyed by code, with their pages and households (the sum of their neighbourhoods')."""
    lang = filters.lang
    region = tree.top if code is None else tree.region(code)
    if region is None or region.level == regions.NEIGHBOURHOOD:
        return None
    scope = ui.region_scope(filters.scope, tree, region.code)
    by = regions.below(region.level)
    hoods = ui.neighbourhoods(scope)
    children = [c for c in tree.children_of(region.code)]
    codes = [c.code for c in children]
    names = ui.unique_names(tree, codes)
    if by == regions.NEIGHBOURHOOD:
        frame = hoods[hoods["code"].isin(codes)][["code", "kind", "households"]].copy()
        frame["kind"] = [enum_label(NEIGHBOURHOOD_KIND, k, lang) for k in frame["kind"]]
    else:
        units = hoods["code"].map(lambda c: regions.unit_of(str(c), by))
        households = hoods.groupby(units)["households"].sum()
        frame = pd.DataFrame(
            {
                "code": codes,
                "kind": [t(f"region.kind.{by}", lang)] * len(codes),
                "households": [households.get(c, 0) for c in codes],
            }
        )
    frame = frame[frame["code"].isin(codes)]
    frame["name"] = [names[c] for c in frame["code"]]
    frame["path"] = [ui.region_page_path(tree.region(c), tree) for c in frame["code"]]
    frame = frame.sort_values("code").reset_index(drop=True)
    is_top = region == tree.top
    return Place(
        code=region.code,
        name=region.name,
        title=t("overview.region_title", lang, name=region.name),
        # The nation is already a whole: "전국", not "전국 전체".
        total=(
            region.name
            if region.level == regions.NATION
            else t("region.total", lang, name=region.name)
        ),
        scope=scope,
        by=by,
        children=frame,
        unit_word=t(f"region.unit.{by}", lang),
        path="" if is_top else regions.region_path(region.code),
    )


def _headline(filters: ui.Filters, current: pd.Series, previous: pd.Series) -> None:
    lang = filters.lang
    st.subheader(t("overview.headline", lang), anchor="headline")
    for key, column in ui.tile_grid(HEADLINE):
        with column:
            ui.metric_tile(
                key, current[key], previous[key], lang, short=True, compare=filters.compare
            )


def _comparison(filters: ui.Filters, place: Place, current: pd.DataFrame, city: pd.Series) -> None:
    lang = filters.lang
    heading = (
        t("overview.table.region", lang, unit=place.unit_word)
        if place.is_region
        else t("overview.table", lang)
    )
    st.subheader(heading, anchor="table")
    left, right = st.columns([3, 1])
    with left:
        group = st.segmented_control(
            t("overview.table.group", lang),
            list(TABLE_GROUPS),
            default="headline",
            format_func=lambda g: t(f"overview.table.group.{g}", lang),
            key="overview_table_group",
        )
    with right:
        mode = st.segmented_control(
            t("overview.table.mode", lang),
            ["values", "per_1000"],
            default="values",
            format_func=lambda m: t(f"overview.table.mode.{m}", lang),
            key="overview_table_mode",
        )
    group = group or "headline"
    per_1000 = mode == "per_1000"
    frame = comparison_frame(
        current, place.children, lang, per_1000, city, total_word=place.total, total_path=place.path
    )
    if per_1000:
        st.caption(t("overview.table.per_1000_note", lang))
    styled = frame.style.format(_formatters(lang, per_1000), na_rep=DASH).apply(
        _shade_city_row, axis=1
    )
    what = heading + " " + t(f"overview.table.group.{group}", lang)
    if per_1000:
        what += " " + t("overview.table.mode.per_1000", lang)
    ui.table(
        styled,
        name=ui.download_name(what, filters, place.name if place.is_region else None),
        units=cell_units(per_1000),
        column_config=_column_config(lang, place.unit_word),
        column_order=["link", "kind", "households", *table_keys(group, per_1000)],
        hide_index=True,
        placeholder=DASH,
        width="stretch",
        # Every row visible without scrolling (a city has at most about 30; a region page
        # shows its children only, at most a few dozen).
        height=min(35 * (len(frame) + 1) + 3, 1100),
        key="overview_table",
    )
    if place.is_region:
        st.caption(
            t(
                "overview.table.region_caption",
                lang,
                total=place.total,
                unit=place.unit_word.lower(),
            )
        )
    else:
        st.caption(t("overview.table.caption", lang))


def _ranking(filters: ui.Filters, place: Place, current: pd.DataFrame, city: pd.Series) -> None:
    lang = filters.lang
    hoods = place.children
    heading = (
        t("overview.ranking.region", lang, unit=place.unit_word)
        if place.is_region
        else t("overview.ranking", lang)
    )
    st.subheader(heading, anchor="ranking")
    key = st.selectbox(
        t("overview.ranking.metric", lang),
        list(TABLE_KEYS),
        index=TABLE_KEYS.index(DEFAULT_RANKING),
        format_func=lambda k: BY_KEY[k].label(lang),
        key="overview_ranking_metric",
    )
    metric = BY_KEY[key]
    st.caption(metric.definition(lang))
    frame = ranking_frame(current, hoods, key)
    if frame["value"].dropna().empty:
        st.info(t("empty.chart", lang))
        return
    unit = metric_unit(key)
    city_value = city[key]
    title = metric.label(lang)
    if metric.rank_per_1000:
        unit, title = "per_1000", t("column.per_1000", lang, label=title)
        city_value = ui.per_1000(city_value, hoods["households"].sum())
    words = {}
    if place.is_region:
        words = {"unit_word": place.unit_word, "total_word": place.total}
    chart = ui.chart_call(
        charts.ranking_chart,
        frame,
        lang,
        value_title=title,
        unit=unit,
        city_value=city_value,
        **words,
    )
    data = functools.partial(
        chart_tables.ranking_table,
        frame,
        lang,
        value_title=title,
        unit=unit,
        city_value=city_value,
        **words,
    )
    ui.chart(
        chart,
        key="overview_ranking_chart",
        data=data,
        name=ui.download_name(
            f"{t('download.rank', lang)} {metric.label(lang)}",
            filters,
            place.name if place.is_region else None,
        ),
    )


# The map's click: the neighbourhood to open on the next run (set by the chart's callback).
_MAP_KEY, _MAP_GOTO = "overview_map", "_overview_map_goto"
# Filters bound to the URL travel with st.switch_page by themselves; passing them again
# would duplicate them (DEVELOPERS.md "URL is the state").
_BOUND_KEYS = (ui.PERIOD_KEY, ui.FROM_KEY, ui.TO_KEY, ui.LANG_KEY)


def map_values(current: pd.DataFrame, hoods: pd.DataFrame, key: str) -> pd.DataFrame:
    """name, value and rank by code: the ranking's values (per 1,000 households where
    metrics.md ranks so, `ranking_frame`) and each neighbourhood's rank on them."""
    frame = ranking_frame(current, hoods, key)
    frame.index = pd.Index(hoods["code"], name="code")
    households = hoods.set_index("code")["households"]
    frame["rank"] = rank_neighbourhoods(current, key, households).reindex(frame.index)
    return frame


def region_map_values(
    current: pd.DataFrame, children: pd.DataFrame, hoods: pd.DataFrame, key: str, by: str
) -> tuple[pd.DataFrame, int]:
    """A 시·도's map: each of its neighbourhoods (`hoods`) with its 시·군·구's name, value
    (as the ranking gives it) and rank among the 시·군·구 (`children`); and how many were
    ranked."""
    units = map_values(current, children, key)
    codes = [str(c) for c in hoods["code"]]
    of = [regions.unit_of(c, by) for c in codes]
    frame = units.reindex(of)
    frame.index = pd.Index(codes, name="code")
    return frame, int(units["rank"].notna().sum())


def _map_clicked() -> None:
    """The map's selection changed: remember which neighbourhood to open."""
    event = st.session_state.get(_MAP_KEY) or {}
    picked = (event.get("selection") or {}).get(maps.PICK) or []
    code = picked[0].get("code") if picked and isinstance(picked[0], dict) else None
    if code:
        st.session_state[_MAP_GOTO] = str(code)


def _follow_map_click(hoods: pd.DataFrame, by: str = regions.NEIGHBOURHOOD) -> None:
    """Open the neighbourhood clicked on the map, keeping the filters; on a 시·도's map
    (`by` district), the 시·군·구 the neighbourhood lies in."""
    code = st.session_state.pop(_MAP_GOTO, None)
    if code is None or code not in set(hoods["code"]):
        return
    if by != regions.NEIGHBOURHOOD:
        # Region pages open by the picker's way (dashboard.py, after the navigation).
        st.session_state[ui.PICK_GOTO] = regions.unit_of(code, by)
        st.rerun()
    name = hoods.loc[hoods["code"] == code, "name"].iloc[0]
    target = st.Page(lambda: None, title=str(name), url_path=ui.neighbourhood_path(code))
    query = {k: v for k, v in ui.filter_query().items() if k not in _BOUND_KEYS}
    if ui.region_tree(lang=ui.current_lang()).is_city:
        st.switch_page(target, query_params=query or None)
    # A region deployment registers the neighbourhood's page when it is asked for:
    # the picker's way (dashboard.py opens it after building the navigation).
    st.session_state[ui.PICK_GOTO] = code
    st.rerun()


# The units a map can colour: neighbourhoods (a city, a 시·군·구 page) and a 시·도's
# districts (its neighbourhoods' shapes, each in its district's colour: a few hundred). The
# nation's page would send every neighbourhood of the country (≈ 1 MB): no map there.
MAP_UNITS = (regions.NEIGHBOURHOOD, regions.DISTRICT)


def has_map(place: Place) -> bool:
    """Whether the place's overview draws a map: units a map can colour, and shapes."""
    return place.by in MAP_UNITS and bool(ui.neighbourhood_shapes(place.scope))


def _map(filters: ui.Filters, place: Place, current: pd.DataFrame) -> None:
    """The units compared coloured by the ranking's metric; nothing without boundaries."""
    if not has_map(place):
        return
    lang = filters.lang
    key = st.session_state.get("overview_ranking_metric") or DEFAULT_RANKING
    if key not in TABLE_KEYS:
        key = DEFAULT_RANKING
    metric = BY_KEY[key]
    unit, title = metric_unit(key), metric.label(lang)
    if metric.rank_per_1000:
        unit, title = "per_1000", t("column.per_1000", lang, label=title)
    units = map_values(current, place.children, key)  # the download's rows: the units
    if place.by == regions.NEIGHBOURHOOD:
        values, ranked, look, caption = units, None, {}, t("map.caption", lang)
    else:
        hoods = ui.neighbourhoods(place.scope)
        values, ranked = region_map_values(current, place.children, hoods, key, place.by)
        look = {"labels": False, "area_title": place.unit_word, "stroke_width": 0.4}
        caption = t("map.caption.district", lang)
    chart = ui.prepared_chart(
        ui.chart_call(
            maps.choropleth_chart,
            ui.known_shapes(place.scope, coarse=place.by != regions.NEIGHBOURHOOD),
            values,
            lang,
            value_title=title,
            unit=unit,
            ranked=ranked,
            **look,
        )
    )
    if chart is None:
        return
    st.subheader(t("map.title", lang), anchor="map")
    st.caption(f"{title} · {caption}")
    st.html(maps.CSS)
    ui.chart(
        chart,
        key=_MAP_KEY,
        data=functools.partial(
            chart_tables.map_table,
            units,
            lang,
            value_title=title,
            unit=unit,
            name_header=place.unit_word if place.by != regions.NEIGHBOURHOOD else None,
        ),
        name=ui.download_name(
            f"{t('map.title', lang)} {metric.label(lang)}",
            filters,
            place.name if place.is_region else None,
        ),
        on_select=_map_clicked,
        selection_mode=maps.PICK,
    )


def _trends(filters: ui.Filters, place: Place) -> None:
    lang = filters.lang
    st.subheader(t("overview.trends", lang), anchor="trends")
    monthly = ui.breakdown("monthly_activity", filters.period, place.scope)
    trends = (
        ("caseload", charts.caseload_trend_chart, ["discovered", "opened", "closed"]),
        ("donations", charts.raised_given_chart, ["donations_krw", "disbursed_krw"]),
        ("referrals", charts.referrals_trend_chart, ["referrals_sent"]),
    )
    for column, (kind, draw, series) in zip(st.columns(3), trends, strict=True):
        with column:
            what = t(f"overview.trend.{kind}", lang)
            st.markdown(f"**{what}**")
            ui.chart(
                ui.chart_call(draw, monthly, lang),
                key=f"overview_trend_{kind}",
                data=functools.partial(chart_tables.monthly_table, monthly, series, lang),
                name=ui.download_name(
                    f"{t('overview.trends', lang)} {what}",
                    filters,
                    place.name if place.is_region else None,
                ),
            )


def render(region: str | None = None) -> None:
    """Draw the overview for the current filters: the city's (a city deployment), or a
    region's (`region`: a 시·도 or 시·군·구 code; None the deployment's top)."""
    filters = ui.current_filters()
    lang = filters.lang
    tree = ui.region_tree(lang=lang)
    if tree.is_city:
        place = city_place(filters)
    else:
        found = region_place(filters, tree, region)
        if found is None:
            st.error(t("error.unknown_region", lang, code=literal(region or "")))
            return
        place = found
    # The region's own filters: its tiles and charts use the narrowed scope. Its review
    # is asked for by kind (province, district) with the viewer's scope: it narrows itself
    # and compares the region with its parent (lib.review.build).
    local = dataclasses.replace(filters, scope=place.scope)
    kind, code = ("city", None)
    if place.is_region and place.path:
        kind, code = tree.region(place.code).level, place.code
    if ui.presenting():  # the city's (region's) review as slides
        if not ui.show_empty_database(lang):
            present.show(kind, code, filters)
        return
    if code is not None:
        ui.breadcrumb(tree, code, lang)
    ui.page_header(
        place.title,
        filters,
        scope=place.total,
        report=(kind, code, place.name if code is not None else None),
    )
    if ui.show_empty_database(lang):
        return
    _follow_map_click(
        place.children if place.by == regions.NEIGHBOURHOOD else ui.neighbourhoods(local.scope),
        place.by,
    )
    with ui.section(lang, "overview.summary"):
        ui.summary(ui.review(kind, code, filters).summary)
    city = ui.metrics(filters.period, "city", place.scope).iloc[0]
    previous = ui.metrics(filters.comparison, "city", place.scope).iloc[0]
    with_map = has_map(place)
    if ui.has_activity(city):  # an empty period shows the tiles only
        ui.section_links(
            [
                ("headline", t("toc.headline", lang)),
                (
                    "table",
                    t("overview.table.region", lang, unit=place.unit_word)
                    if place.is_region
                    else t("toc.table", lang),
                ),
                ("ranking", t("toc.ranking", lang)),
                *([("map", t("toc.map", lang))] if with_map else []),
                ("trends", t("toc.trends", lang)),
            ],
            lang,
        )
    with ui.section(lang, "overview.headline"):
        _headline(filters, city, previous)
    if not ui.has_activity(city):
        st.info(t("empty.period", lang, period=filters.period.label(lang)))
        return
    by_unit = ui.metrics(filters.period, place.by, place.scope)
    with ui.section(lang, "overview.table"):
        _comparison(filters, place, by_unit, city)
    with ui.section(lang, "overview.ranking"):
        _ranking(filters, place, by_unit, city)
    with ui.section(lang, "overview.map"):
        _map(filters, place, by_unit)
    with ui.section(lang, "overview.trends"):
        _trends(local, place)
