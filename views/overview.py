"""시 전체 개요 · City overview: headline metrics, every neighbourhood compared, trends."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from lib import ui
from lib.charts import dashboard as charts
from lib.enums import NEIGHBOURHOOD_KIND
from lib.formatting import DASH, format_value, metric_unit
from lib.i18n import enum_label, t
from lib.metric_defs import BY_KEY, METRICS

# The eight numbers a department head reads first.
HEADLINE: tuple[str, ...] = (
    "discovered",
    "active",
    "served_households",
    "referrals_sent",
    "donations_krw",
    "disbursed_krw",
    "acceptance_rate",
    "overdue",
)
# Every metric a neighbourhood has (received referrals are an agency's metric).
TABLE_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS if m.key != "referrals_received")
DEFAULT_RANKING = "active_per_1000"


def comparison_frame(
    current: pd.DataFrame, hoods: pd.DataFrame, lang: str, per_1000: bool
) -> pd.DataFrame:
    """One row per neighbourhood: link, kind, households and every metric.

    With `per_1000`, counts and money that rank per 1,000 households are divided by the
    neighbourhood's households (× 1,000); rates and medians are left as they are.
    """
    frame = hoods.set_index("code")[["name", "kind", "households"]].copy()
    frame["link"] = [
        f"{ui.page_href(ui.neighbourhood_path(code))}#{name}"
        for code, name in zip(frame.index, frame["name"], strict=True)
    ]
    frame["kind"] = [enum_label(NEIGHBOURHOOD_KIND, k, lang) for k in frame["kind"]]
    values = current.reindex(frame.index)
    for key in TABLE_KEYS:
        column = pd.to_numeric(values[key], errors="coerce").astype("float64")
        if per_1000 and BY_KEY[key].rank_per_1000:
            households = frame["households"].astype("float64")
            column = column / households.where(households > 0) * 1000
        frame[key] = column
    return frame.reset_index(drop=True)


def _formatters(lang: str, per_1000: bool) -> dict:
    """How each metric column reads: the dashboard's number formats, "–" for no value.

    Formatting through a Styler keeps the numbers underneath, so columns sort numerically.
    """
    formatters = {}
    for key in TABLE_KEYS:
        unit = "per_1000" if per_1000 and BY_KEY[key].rank_per_1000 else metric_unit(key)
        formatters[key] = functools.partial(_format_cell, unit=unit, lang=lang)
    return formatters


def _format_cell(value: object, unit: str, lang: str) -> str:
    return format_value(value, unit, lang)


def _column_config(lang: str, per_1000: bool) -> dict:
    """Column titles and definitions (help) for the comparison table."""
    config = {
        "link": st.column_config.LinkColumn(
            t("column.neighbourhood", lang), display_text=r"#(.+)$", pinned=True
        ),
        "kind": st.column_config.TextColumn(t("column.kind", lang), width="small"),
        "households": st.column_config.NumberColumn(t("column.households", lang), format="%,d"),
    }
    for key in TABLE_KEYS:
        metric = BY_KEY[key]
        scaled = per_1000 and metric.rank_per_1000
        label = metric.label(lang)
        if scaled:
            label = t("column.per_1000", lang, label=label)
        config[key] = st.column_config.NumberColumn(label, help=metric.definition(lang))
    return config


def _headline(filters: ui.Filters, current: pd.Series, previous: pd.Series) -> None:
    lang = filters.lang
    st.subheader(t("overview.headline", lang), anchor="headline")
    for key, column in ui.tile_grid(HEADLINE):
        with column:
            ui.metric_tile(
                key, current[key], previous[key], lang, short=True, compare=filters.compare
            )


def _comparison(filters: ui.Filters, current: pd.DataFrame, hoods: pd.DataFrame) -> None:
    lang = filters.lang
    st.subheader(t("overview.table", lang), anchor="table")
    mode = st.segmented_control(
        t("overview.table.mode", lang),
        ["values", "per_1000"],
        default="values",
        format_func=lambda m: t(f"overview.table.mode.{m}", lang),
        key="overview_table_mode",
    )
    per_1000 = mode == "per_1000"
    frame = comparison_frame(current, hoods, lang, per_1000)
    styled = frame.style.format(_formatters(lang, per_1000), na_rep=DASH)
    st.dataframe(
        styled,
        column_config=_column_config(lang, per_1000),
        column_order=["link", "kind", "households", *TABLE_KEYS],
        hide_index=True,
        placeholder=DASH,
        width="stretch",
        # Every neighbourhood visible without scrolling (a city has at most about 30).
        height=min(36 * (len(frame) + 1) + 3, 1100),
        key="overview_table",
    )
    st.caption(t("overview.table.caption", lang))


def ranking_frame(current: pd.DataFrame, hoods: pd.DataFrame, key: str) -> pd.DataFrame:
    """name, value for the ranking chart: per 1,000 households where metrics.md ranks so."""
    frame = hoods.set_index("code")[["name", "households"]]
    values = pd.to_numeric(current[key].reindex(frame.index), errors="coerce").astype("float64")
    if BY_KEY[key].rank_per_1000:
        households = frame["households"].astype("float64")
        values = values / households.where(households > 0) * 1000
    return pd.DataFrame({"name": frame["name"].to_numpy(), "value": values.to_numpy()})


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
    chart = charts.ranking_chart(frame, lang, value_title=title, unit=unit, city_value=city_value)
    ui.chart(chart, key="overview_ranking_chart")


def _trends(filters: ui.Filters) -> None:
    lang = filters.lang
    st.subheader(t("overview.trends", lang), anchor="trends")
    monthly = ui.breakdown("monthly_activity", filters.period, filters.scope)
    left, middle, right = st.columns(3)
    with left:
        st.markdown(f"**{t('overview.trend.caseload', lang)}**")
        ui.chart(charts.caseload_trend_chart(monthly, lang), key="overview_trend_caseload")
    with middle:
        st.markdown(f"**{t('overview.trend.donations', lang)}**")
        ui.chart(charts.raised_given_chart(monthly, lang), key="overview_trend_donations")
    with right:
        st.markdown(f"**{t('overview.trend.referrals', lang)}**")
        ui.chart(charts.referrals_trend_chart(monthly, lang), key="overview_trend_referrals")


def render() -> None:
    """Draw the city overview for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    ui.page_header(t("overview.title", lang, city=ui.city_name(lang)), filters)
    if ui.show_empty_database(lang):
        return
    city = ui.metrics(filters.period, "city", filters.scope).iloc[0]
    previous = ui.metrics(filters.comparison, "city", filters.scope).iloc[0]
    if ui.has_activity(city):  # an empty period shows the tiles only
        ui.section_links(
            [
                ("headline", t("toc.headline", lang)),
                ("table", t("toc.table", lang)),
                ("ranking", t("toc.ranking", lang)),
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
        _comparison(filters, by_hood, hoods)
    with ui.section(lang, "overview.ranking"):
        _ranking(filters, by_hood, city, hoods)
    with ui.section(lang, "overview.trends"):
        _trends(filters)
