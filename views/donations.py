"""후원 · Donations for the city: raised and given by neighbourhood and month, against targets."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from lib import present, regions, ui
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


def fund_name(lang: str) -> str:
    """The row of donations given to no neighbourhood: the city's fund, or above one city
    the top's ("한빛도 공동 모금")."""
    tree = ui.region_tree(lang=lang)
    if tree.is_city:
        return t("donations.city_fund", lang)
    return t("donations.top_fund", lang, name=tree.top.name)


def targets_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`donations_vs_targets` as drawn: the city-wide fund named, money in whole won."""
    shown = frame.copy()
    shown["name"] = shown["name"].fillna(fund_name(lang))
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


def units(lang: str) -> tuple[str, dict[str, str] | None, str]:
    """The units the page compares: (level, {code: name} or None for a city's
    neighbourhoods, their word). Above one city, the level just below the top (the
    provinces of the nation, the districts of a province), each named once: a name two
    units share gets its parent's before it."""
    tree = ui.region_tree(lang=lang)
    if tree.is_city:
        return regions.NEIGHBOURHOOD, None, t("region.unit.neighbourhood", lang)
    level = regions.below(tree.top.level)
    codes = [c.code for c in tree.children_of(tree.top.code)]
    return level, ui.unique_names(tree, codes), t(f"region.unit.{level}", lang)


def _level_kwargs(level: str) -> dict:
    # A city keeps its queries' cache keys as they were (neighbourhood is the default).
    return {} if level == regions.NEIGHBOURHOOD else {"level": level}


def _named(frame: pd.DataFrame, names: dict[str, str] | None, column: str) -> pd.Series:
    """Each row's words, from the tree's names (keyed by code) where it has them."""
    if names is None:
        return frame[column]
    return pd.Series(
        [names.get(c, c) if isinstance(c, str) else None for c in frame["code"]],
        index=frame.index,
        dtype=object,
    )


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
    level, names, word = units(lang)
    heading = (
        t("donations.by_unit", lang, unit=word.lower())
        if names is not None
        else t("donations.by_neighbourhood", lang)
    )
    st.subheader(heading, anchor="by-neighbourhood")
    frame = ui.breakdown(
        "donations_vs_targets", filters.period, filters.scope, **_level_kwargs(level)
    )
    if names is not None:
        frame = frame.assign(name=_named(frame, names, "name"))
    if filters.period.single_year is None:
        st.caption(t("donations.no_target", lang))
    shown = targets_table(frame, lang)
    name = ui.download_name(heading, filters)
    table = targets_table_frame(shown, lang)
    columns = {
        "name": st.column_config.TextColumn(word, pinned=True),
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
        st.caption(
            t("donations.target_mark", lang)
            if names is None
            else t("donations.target_mark.region", lang, unit=word.lower())
        )
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
    unit_word = units(lang)[2]
    by_month = (
        t("donations.by_month", lang)
        if ui.region_tree(lang=lang).is_city
        else t("donations.by_unit_month", lang, unit=unit_word.lower())
    )
    st.subheader(by_month, anchor="by-month")
    measure = st.segmented_control(
        t("donations.measure", lang),
        ["raised_krw", "given_krw"],
        default="raised_krw",
        format_func=lambda m: t(f"column.{m.removesuffix('_krw')}", lang),
        key="donations_heatmap_measure",
    )
    measure = measure or "raised_krw"
    level, names, _ = units(lang)
    frame = ui.breakdown(
        "donations_by_neighbourhood_month", period, filters.scope, **_level_kwargs(level)
    )
    if names is None:
        hoods = ui.neighbourhoods(filters.scope).set_index("code")["name"]
        names = dict(zip(hoods.index, hoods, strict=True))
    # Rows keyed by code (names repeat across a country), drawn with their words.
    words = _named(frame, names, "code").fillna(fund_name(lang))
    cells = frame.assign(name=words)[["name", "month", measure]]
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
            name=ui.download_name(f"{by_month} {words}", filters),
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
    tree = ui.region_tree(lang=lang)
    place = ui.city_name(lang) if tree.is_city else tree.top.name
    toc = (
        t("toc.by_neighbourhood", lang)
        if tree.is_city
        else t("toc.by_unit", lang, unit=units(lang)[2].lower())
    )
    ui.page_header(
        t("donations.title", lang, city=place),
        filters,
        scope=t("city_total", lang) if tree.is_city else t("region.total", lang, name=place),
        report=("city", None, None),
    )
    if ui.show_empty_database(lang):
        return
    with ui.section(lang, "donations.summary"):
        ui.summary(ui.section_summary(ui.review("city", None, filters), "donations"))
    ui.section_links(
        [
            ("by-neighbourhood", toc),
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
