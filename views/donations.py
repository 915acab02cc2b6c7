"""후원 · Donations for the city: raised and given by neighbourhood and month, against targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import ui
from lib.charts import dashboard as charts
from lib.formatting import DASH
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
    """`donations_vs_targets` as shown: the city-wide fund named, money in whole won."""
    shown = frame.copy()
    shown["name"] = shown["name"].fillna(t("donations.city_fund", lang))
    return shown[["name", "raised_krw", "given_krw", "target_krw", "target_rate"]]


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
    left, right = st.columns([3, 2])
    with left:
        ui.chart(charts.targets_chart(shown, lang), key="donations_targets_chart")
        st.caption(t("donations.target_mark", lang))
    with right:
        st.dataframe(
            shown,
            column_config={
                "name": st.column_config.TextColumn(t("column.neighbourhood", lang), pinned=True),
                "raised_krw": st.column_config.NumberColumn(t("column.raised", lang), format="%,d"),
                "given_krw": st.column_config.NumberColumn(t("column.given", lang), format="%,d"),
                "target_krw": st.column_config.NumberColumn(t("column.target", lang), format="%,d"),
                "target_rate": st.column_config.NumberColumn(
                    t("column.target_rate", lang), format="%.1f%%"
                ),
            },
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
        chart = charts.donations_heatmap_chart(cells, lang, period.months(), measure=measure)
        ui.chart(chart, key="donations_heatmap")
    monthly = ui.breakdown("monthly_activity", period, filters.scope)
    by_type = ui.breakdown("donations_by_month_type", period, filters.scope)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('nb.raised_given', lang)}**")
        ui.chart(charts.raised_given_chart(monthly, lang), key="donations_raised_given")
    with right:
        st.markdown(f"**{t('nb.donor_types', lang)}**")
        if by_type.empty:
            st.info(t("empty.chart", lang))
        else:
            chart = charts.donor_types_chart(by_type, lang, period.months())
            ui.chart(chart, key="donations_donor_types")


def render() -> None:
    """Draw the city's donations page for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    ui.page_header(t("donations.title", lang, city=ui.city_name(lang)), filters)
    if ui.show_empty_database(lang):
        return
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
