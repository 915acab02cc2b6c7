"""기관 페이지 · One agency's scorecard: what it received and sent, how fast it answers, its partners."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import ui
from lib.charts import network as charts
from lib.enums import AGENCY_KIND, SECTOR
from lib.formatting import format_count
from lib.i18n import enum_label, t
from lib.metric_defs import AGENCY_METRIC_KEYS, BY_KEY
from views.network import agencies as agency_list
from views.network import agency_names, download_csv, load, pending_table, status_labels


def directions_frame(flows: pd.DataFrame, code: str, lang: str) -> pd.DataFrame:
    """Two rows (received, sent) of the agency's referrals by status, with their total."""
    words = status_labels(lang)
    rows = []
    for direction, column in (("received", "to_code"), ("sent", "from_code")):
        mine = flows[flows[column] == code].groupby("status")["referrals"].sum()
        row = {t("agency.direction", lang): t(f"agency.{direction}", lang)}
        row.update({words[s]: int(mine.get(s, 0)) for s in words})
        row[t("agency.total", lang)] = int(mine.sum())
        rows.append(row)
    return pd.DataFrame(rows)


def trend_frame(mine: pd.DataFrame, network: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """The agency's and the network's monthly medians as one long frame for the chart."""
    frame = pd.concat(
        [mine.assign(series=name), network.assign(series=t("agency.network_median", lang))],
        ignore_index=True,
    )
    return frame.assign(month=frame["month"].map(charts.month_label))


# ---- sections ---------------------------------------------------------------------------


def _metrics(filters: ui.Filters, code: str) -> None:
    lang = filters.lang
    current = ui.metrics(filters.period, "agency", filters.scope)
    previous = ui.metrics(filters.previous, "agency", filters.scope)
    # Two rows (volumes and speed, then what waits and how it ends): seven tiles in one
    # row leave no room for a value like 66.7%.
    for keys in (AGENCY_METRIC_KEYS[:4], AGENCY_METRIC_KEYS[4:]):
        for col, key in zip(st.columns(4), keys, strict=False):
            with col:
                ui.metric_tile(key, current[key].get(code), previous[key].get(code), lang)


def _directions(filters: ui.Filters, flows: pd.DataFrame, code: str) -> None:
    lang = filters.lang
    st.subheader(t("agency.received_sent", lang))
    st.dataframe(directions_frame(flows, code, lang), hide_index=True, width="stretch")


def _trend(filters: ui.Filters, code: str, name: str) -> None:
    lang = filters.lang
    st.subheader(t("agency.response_trend", lang))
    mine = load("response_days", filters.period, filters.scope, agency_code=code)
    network = load("response_days", filters.period, filters.scope)
    if mine.empty:
        st.info(t("agency.no_responses", lang))
        return
    chart = charts.response_trend_chart(
        trend_frame(mine, network, name, lang),
        agency_label=name,
        network_label=t("agency.network_median", lang),
        month_title=t("network.month", lang),
        days_title=BY_KEY["median_response_days"].label(lang),
        series_title=t("agency.series", lang),
        months=[charts.month_label(m) for m in filters.period.months()],
    )
    ui.chart(chart, key="agency_trend")
    st.caption(t("agency.trend_note", lang))


def _pending(filters: ui.Filters, code: str, agencies: pd.DataFrame) -> None:
    lang = filters.lang
    limit = filters.response_limit_days
    pending = load(
        "pending", filters.period, filters.scope, response_limit_days=limit, to_agency=code
    )
    overdue = int(pending["overdue"].sum())
    st.subheader(t("agency.pending", lang, n=format_count(len(pending))))
    st.caption(t("agency.pending_note", lang, days=limit, overdue=format_count(overdue)))
    if pending.empty:
        st.success(t("agency.no_pending", lang))
        return
    st.dataframe(
        pending_table(pending, agencies, lang), hide_index=True, width="stretch", key="pending"
    )


def _partners(filters: ui.Filters, code: str, agencies: pd.DataFrame) -> None:
    lang = filters.lang
    st.subheader(t("agency.partners", lang))
    partners = load("partners", filters.period, filters.scope, agency_code=code)
    if partners.empty:
        st.info(t("network.no_referrals", lang))
        return
    shown = pd.DataFrame(
        {
            t("network.agency_name", lang): partners["partner_code"].map(agency_names(agencies)),
            t("agency.sent", lang): partners["sent"],
            t("agency.received", lang): partners["received"],
            t("agency.total", lang): partners["total"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="partners")
    download_csv(shown, f"partners_{code}_{filters.period.key}.csv", lang, "dl_partners")


# ---- page -------------------------------------------------------------------------------


def render(code: str) -> None:
    """Draw the scorecard of agency `code` for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    agencies = agency_list(filters.scope)
    found = agencies[agencies["code"] == code]
    if found.empty:
        st.error(t("agency.unknown", lang, code=code), icon=":material/error:")
        return
    agency = found.iloc[0]
    subtitle = t(
        "agency.subtitle",
        lang,
        sector=enum_label(SECTOR, agency["sector"], lang),
        kind=enum_label(AGENCY_KIND, agency["kind"], lang),
        days=filters.response_limit_days,
    )
    ui.page_header(agency["name"], filters, subtitle=subtitle)
    if ui.show_empty_database(lang):
        return
    with ui.section(lang, "agency.metrics"):
        _metrics(filters, code)
    with ui.section(lang, "agency.directions"):
        _directions(filters, load("flows", filters.period, filters.scope), code)
    with ui.section(lang, "agency.trend"):
        _trend(filters, code, agency["name"])
    left, right = st.columns(2)
    with left, ui.section(lang, "agency.pending"):
        _pending(filters, code, agencies)
    with right, ui.section(lang, "agency.partners"):
        _partners(filters, code, agencies)
