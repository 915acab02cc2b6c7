"""후원 · Donations for the city: raised and given by neighbourhood and month, against targets."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from lib import present, ui
from lib.charts import dashboard as charts
from lib.charts import tables as chart_tables
from lib.formatting import DASH, krw_in_table_unit, with_unit
from lib.i18n import t

HEADLINE: tuple[str, ...] = (
    "donations_krw",
    "disbursed_krw",
    "supported_households",
    "donation_target_rate",
    "donors",
    "donation_count",
    "donations_cash_krw",
    "donations_inkind_krw",
)


def targets_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`donations_vs_targets` as drawn: the city-wide fund named, money in whole won."""
    shown = frame.copy()
    shown["name"] = shown["name"].fillna(t("donations.city_fund", lang))
    return shown[["name", "raised_krw", "given_krw", "target_krw", "target_rate"]]


def targets_table_frame(shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table beside the chart: money in the tables' unit (만원; ₩ thousands)."""
    table = shown.copy()
    for column in ("raised_krw", "given_krw", "target_krw"):
        table[column] = [krw_in_table_unit(v, lang) for v in table[column]]
        table[column] = table[column].astype("float64")
    return table


def _money_column(key: str, lang: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(with_unit(t(key, lang), "krw", lang), format="%,d")


def _headline(filters: ui.Filters) -> None:
    lang = filters.lang
    current = ui.metrics(filters.period, "city", filters.scope).iloc[0]
    previous = ui.metrics(filters.comparison, "city", filters.scope).iloc[0]
    for key, column in ui.tile_grid(HEADLINE):
        with column:
            ui.metric_tile(
                key, current[key], previous[key], lang, short=True, compare=filters.compare
            )


def _by_neighbourhood(filters: ui.Filters) -> None:
    lang = filters.lang
    st.subheader(t("donations.by_neighbourhood", lang), anchor="by-neighbourhood")
    frame = ui.breakdown("donations_vs_targets", filters.period, filters.scope)
    if filters.period.single_year is None:
        st.caption(t("donations.no_target", lang))
    shown = targets_table(frame, lang)
    name = ui.download_name(t("donations.by_neighbourhood", lang), filters)
    table = targets_table_frame(shown, lang)
    columns = {
        "name": st.column_config.TextColumn(t("column.neighbourhood", lang), pinned=True),
        "raised_krw": _money_column("column.raised", lang),
        "given_krw": _money_column("column.given", lang),
        "target_krw": _money_column("column.target", lang),
        "target_rate": st.column_config.NumberColumn(
            with_unit(t("column.target_rate", lang), "rate", lang), format="%.1f%%"
        ),
    }
    # Half and half: the table's five columns need about 440 px to show whole headers.
    left, right = st.columns(2)
    with left:
        chart = ui.chart_call(charts.targets_chart, shown, lang)
        ui.chart(chart, key="donations_targets_chart")
        st.caption(t("donations.target_mark", lang))
        # The chart's data is the table beside it.
        ui.downloads(
            name,
            "donations_targets_chart",
            chart=chart,
            data=functools.partial(ui.shown_table, table, columns),
        )
    with right:
        ui.table(
            table,
            name=name,
            column_config=columns,
            hide_index=True,
            placeholder=DASH,
            width="stretch",
            key="donations_targets_table",
        )


def _by_month(filters: ui.Filters) -> None:
    lang, period = filters.lang, filters.period
    st.subheader(t("donations.by_month", lang), anchor="by-month")
    measure = st.segmented_control(
        t("donations.measure", lang),
        ["raised_krw", "given_krw"],
        default="raised_krw",
        format_func=lambda m: t(f"column.{m.removesuffix('_krw')}", lang),
        key="donations_heatmap_measure",
    )
    measure = measure or "raised_krw"
    frame = ui.breakdown("donations_by_neighbourhood_month", period, filters.scope)
    hoods = ui.neighbourhoods(filters.scope).set_index("code")["name"]
    names = frame["neighbourhood_code"].map(hoods).fillna(t("donations.city_fund", lang))
    cells = frame.assign(name=names)[["name", "month", measure]]
    cells = cells[cells[measure] > 0]
    if cells.empty:
        st.info(t("empty.chart", lang))
    else:
        chart = ui.chart_call(
            charts.donations_heatmap_chart, cells, lang, period.months(), measure=measure
        )
        words = t(f"column.{measure.removesuffix('_krw')}", lang)
        ui.chart(
            chart,
            key="donations_heatmap",
            data=functools.partial(chart_tables.heatmap_table, cells, lang, measure),
            name=ui.download_name(f"{t('donations.by_month', lang)} {words}", filters),
        )
    monthly = ui.breakdown("monthly_activity", period, filters.scope)
    by_type = ui.breakdown("donations_by_month_type", period, filters.scope)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('nb.raised_given', lang)}**")
        ui.chart(
            ui.chart_call(charts.raised_given_chart, monthly, lang),
            key="donations_raised_given",
            data=functools.partial(
                chart_tables.monthly_table, monthly, ["donations_krw", "disbursed_krw"], lang
            ),
            name=ui.download_name(t("nb.raised_given", lang), filters),
        )
    with right:
        st.markdown(f"**{t('nb.donor_types', lang)}**")
        if by_type.empty:
            st.info(t("empty.chart", lang))
        else:
            chart = ui.chart_call(charts.donor_types_chart, by_type, lang, period.months())
            ui.chart(
                chart,
                key="donations_donor_types",
                data=functools.partial(chart_tables.donor_types_table, by_type, lang),
                name=ui.download_name(t("nb.donor_types", lang), filters),
            )


def render() -> None:
    """Draw the city's donations page for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    if ui.presenting():  # the donations section of the city's review
        if not ui.show_empty_database(lang):
            present.show("city", None, filters, only=("donations",))
        return
    ui.page_header(
        t("donations.title", lang, city=ui.city_name(lang)),
        filters,
        scope=t("city_total", lang),
        report=("city", None, None),
    )
    if ui.show_empty_database(lang):
        return
    with ui.section(lang, "donations.summary"):
        ui.summary(ui.section_summary(ui.review("city", None, filters), "donations"))
    ui.section_links(
        [
            ("by-neighbourhood", t("toc.by_neighbourhood", lang)),
            ("by-month", t("toc.by_month", lang)),
        ],
        lang,
    )
    with ui.section(lang, "donations.headline"):
        _headline(filters)
    with ui.section(lang, "donations.by_neighbourhood"):
        _by_neighbourhood(filters)
    with ui.section(lang, "donations.by_month"):
        _by_month(filters)
