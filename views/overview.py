"""시 전체 개요 · City overview: headline metrics, every neighbourhood compared, trends."""

from __future__ import annotations

import functools
import math
import unicodedata

import pandas as pd
import streamlit as st

from lib import present, ui
from lib.charts import dashboard as charts
from lib.charts import maps
from lib.charts import tables as chart_tables
from lib.charts.dashboard import ranking_frame
from lib.enums import NEIGHBOURHOOD_KIND
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
) -> pd.DataFrame:
    """One row per neighbourhood: link, kind, households and every metric; with `city`
    (the city's own metrics), a first row for the whole city.

    Money is in the tables' unit (만원; thousands of won in English). With `per_1000`,
    counts and money that rank per 1,000 households are divided by the neighbourhood's
    households (× 1,000); rates and medians are left as they are. The city row holds the
    city's own values (a rate of the city, never a sum or mean of the rows), per 1,000
    of the city's households (the sum over neighbourhoods, as metrics.md defines them).
    """
    frame = hoods.set_index("code")[["name", "kind", "households"]].copy()
    frame["link"] = [
        f"{ui.page_href(ui.neighbourhood_path(code))}#{name}"
        for code, name in zip(frame.index, frame["name"], strict=True)
    ]
    frame["kind"] = [enum_label(NEIGHBOURHOOD_KIND, k, lang) for k in frame["kind"]]
    values = current.reindex(frame.index)
    if city is not None:
        total = pd.DataFrame(
            {
                "name": [t("city_total", lang)],
                "kind": [""],
                "households": [frame["households"].sum()],
                "link": [f"{ui.page_href('')}#{t('city_total', lang)}"],
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


def _column_config(lang: str) -> dict:
    """Column titles with their units, and definitions (help), for the comparison table."""
    config = {
        "link": st.column_config.LinkColumn(
            t("column.neighbourhood", lang), display_text=r"#(.+)$", pinned=True
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


def _headline(filters: ui.Filters, current: pd.Series, previous: pd.Series) -> None:
    lang = filters.lang
    st.subheader(t("overview.headline", lang), anchor="headline")
    for key, column in ui.tile_grid(HEADLINE):
        with column:
            ui.metric_tile(
                key, current[key], previous[key], lang, short=True, compare=filters.compare
            )


def _comparison(
    filters: ui.Filters, current: pd.DataFrame, hoods: pd.DataFrame, city: pd.Series
) -> None:
    lang = filters.lang
    st.subheader(t("overview.table", lang), anchor="table")
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
    frame = comparison_frame(current, hoods, lang, per_1000, city)
    if per_1000:
        st.caption(t("overview.table.per_1000_note", lang))
    styled = frame.style.format(_formatters(lang, per_1000), na_rep=DASH).apply(
        _shade_city_row, axis=1
    )
    what = t("overview.table", lang) + " " + t(f"overview.table.group.{group}", lang)
    if per_1000:
        what += " " + t("overview.table.mode.per_1000", lang)
    ui.table(
        styled,
        name=ui.download_name(what, filters),
        units=cell_units(per_1000),
        column_config=_column_config(lang),
        column_order=["link", "kind", "households", *table_keys(group, per_1000)],
        hide_index=True,
        placeholder=DASH,
        width="stretch",
        # Every neighbourhood visible without scrolling (a city has at most about 30).
        height=min(35 * (len(frame) + 1) + 3, 1100),
        key="overview_table",
    )
    st.caption(t("overview.table.caption", lang))


def _ranking(
    filters: ui.Filters, current: pd.DataFrame, city: pd.Series, hoods: pd.DataFrame
) -> None:
    lang = filters.lang
    st.subheader(t("overview.ranking", lang), anchor="ranking")
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
    chart = ui.chart_call(
        charts.ranking_chart, frame, lang, value_title=title, unit=unit, city_value=city_value
    )
    data = functools.partial(
        chart_tables.ranking_table, frame, lang, value_title=title, unit=unit, city_value=city_value
    )
    ui.chart(
        chart,
        key="overview_ranking_chart",
        data=data,
        name=ui.download_name(f"{t('download.rank', lang)} {metric.label(lang)}", filters),
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


def _map_clicked() -> None:
    """The map's selection changed: remember which neighbourhood to open."""
    event = st.session_state.get(_MAP_KEY) or {}
    picked = (event.get("selection") or {}).get(maps.PICK) or []
    code = picked[0].get("code") if picked and isinstance(picked[0], dict) else None
    if code:
        st.session_state[_MAP_GOTO] = str(code)


def _follow_map_click(hoods: pd.DataFrame) -> None:
    """Open the neighbourhood clicked on the map, keeping the filters."""
    code = st.session_state.pop(_MAP_GOTO, None)
    if code is None or code not in set(hoods["code"]):
        return
    name = hoods.loc[hoods["code"] == code, "name"].iloc[0]
    target = st.Page(lambda: None, title=str(name), url_path=ui.neighbourhood_path(code))
    query = {k: v for k, v in ui.filter_query().items() if k not in _BOUND_KEYS}
    st.switch_page(target, query_params=query or None)


def _map(filters: ui.Filters, current: pd.DataFrame, hoods: pd.DataFrame) -> None:
    """The neighbourhoods coloured by the ranking's metric; nothing without boundaries."""
    shapes = ui.neighbourhood_shapes(filters.scope)
    if not shapes:
        return
    lang = filters.lang
    key = st.session_state.get("overview_ranking_metric") or DEFAULT_RANKING
    if key not in TABLE_KEYS:
        key = DEFAULT_RANKING
    metric = BY_KEY[key]
    unit, title = metric_unit(key), metric.label(lang)
    if metric.rank_per_1000:
        unit, title = "per_1000", t("column.per_1000", lang, label=title)
    values = map_values(current, hoods, key)
    chart = ui.prepared_chart(
        ui.chart_call(
            maps.choropleth_chart,
            ui.known_shapes(filters.scope),
            values,
            lang,
            value_title=title,
            unit=unit,
        )
    )
    if chart is None:
        return
    st.subheader(t("map.title", lang), anchor="map")
    st.caption(f"{title} · {t('map.caption', lang)}")
    st.html(maps.CSS)
    ui.chart(
        chart,
        key=_MAP_KEY,
        data=functools.partial(chart_tables.map_table, values, lang, value_title=title, unit=unit),
        name=ui.download_name(f"{t('map.title', lang)} {metric.label(lang)}", filters),
        on_select=_map_clicked,
        selection_mode=maps.PICK,
    )


def _trends(filters: ui.Filters) -> None:
    lang = filters.lang
    st.subheader(t("overview.trends", lang), anchor="trends")
    monthly = ui.breakdown("monthly_activity", filters.period, filters.scope)
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
                name=ui.download_name(f"{t('overview.trends', lang)} {what}", filters),
            )


def render() -> None:
    """Draw the city overview for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    if ui.presenting():  # the city's review as slides
        if not ui.show_empty_database(lang):
            present.show("city", None, filters)
        return
    ui.page_header(
        t("overview.title", lang, city=ui.city_name(lang)),
        filters,
        scope=t("city_total", lang),
        report=("city", None, None),
    )
    if ui.show_empty_database(lang):
        return
    _follow_map_click(ui.neighbourhoods(filters.scope))
    with ui.section(lang, "overview.summary"):
        ui.summary(ui.review("city", None, filters).summary)
    city = ui.metrics(filters.period, "city", filters.scope).iloc[0]
    previous = ui.metrics(filters.comparison, "city", filters.scope).iloc[0]
    if ui.has_activity(city):  # an empty period shows the tiles only
        ui.section_links(
            [
                ("headline", t("toc.headline", lang)),
                ("table", t("toc.table", lang)),
                ("ranking", t("toc.ranking", lang)),
                *([("map", t("toc.map", lang))] if ui.neighbourhood_shapes(filters.scope) else []),
                ("trends", t("toc.trends", lang)),
            ],
            lang,
        )
    with ui.section(lang, "overview.headline"):
        _headline(filters, city, previous)
    if not ui.has_activity(city):
        st.info(t("empty.period", lang, period=filters.period.label(lang)))
        return
    hoods = ui.neighbourhoods(filters.scope)
    by_hood = ui.metrics(filters.period, "neighbourhood", filters.scope)
    with ui.section(lang, "overview.table"):
        _comparison(filters, by_hood, hoods, city)
    with ui.section(lang, "overview.ranking"):
        _ranking(filters, by_hood, city, hoods)
    with ui.section(lang, "overview.map"):
        _map(filters, by_hood, hoods)
    with ui.section(lang, "overview.trends"):
        _trends(filters)
