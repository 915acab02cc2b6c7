"""기관 페이지 · One agency's scorecard: what it received and sent, how fast it answers, its partners.

Through an agency's share link (a partner view) the page shows what the queries return
for that scope: small numbers read "<5", and the network's median, which lies outside
the agency's referrals, is left out.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from lib import present, ui
from lib.charts import network as charts
from lib.charts import tables as chart_tables
from lib.enums import AGENCY_KIND, SECTOR
from lib.excerpt import literal
from lib.formatting import format_count, metric_title, table_counts, with_unit
from lib.i18n import enum_label, t
from lib.metric_defs import AGENCY_METRIC_KEYS
from lib.scope import Scope
from lib.suppression import small_count, threshold
from views import network as network_view
from views.network import agencies as agency_list
from views.network import load, names, pending_table, status_labels


def directions_frame(directions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`load_directions` as shown: received and sent, by status in words, with the total."""
    words = status_labels(lang)
    frame = directions.assign(direction=[t(f"agency.{d}", lang) for d in directions["direction"]])
    frame = table_counts(frame, [*words, "total"], lang)
    return frame.rename(
        columns={
            "direction": t("agency.direction", lang),
            **words,
            "total": t("agency.total", lang),
        }
    )


def trend_frame(
    mine: pd.DataFrame, network: pd.DataFrame | None, name: str, lang: str
) -> pd.DataFrame:
    """The agency's (and, unless None, the network's) monthly medians as one long frame."""
    parts = [mine.assign(series=name)]
    if network is not None:
        parts.append(network.assign(series=t("agency.network_median", lang)))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(month=frame["month"].map(charts.month_label))


# ---- sections ---------------------------------------------------------------------------


def _small_numbers_note(filters: ui.Filters) -> None:
    """Under a partner's table: what "<5" and "–" mean there."""
    if filters.scope.partner_view:
        st.caption(t("suppressed.table_note", filters.lang, threshold=threshold()))


def _metrics(filters: ui.Filters, code: str) -> None:
    lang = filters.lang
    current = ui.metrics(filters.period, "agency", filters.scope)
    previous = ui.metrics(filters.comparison, "agency", filters.scope)
    # Two rows (volumes and speed, then what waits and how it ends): seven tiles in one
    # row leave no room for a value like 66.7%.
    for keys in (AGENCY_METRIC_KEYS[:4], AGENCY_METRIC_KEYS[4:]):
        for col, key in zip(st.columns(4), keys, strict=False):
            with col:
                ui.metric_tile(
                    key,
                    current[key].get(code),
                    previous[key].get(code),
                    lang,
                    compare=filters.compare,
                )


def _directions(filters: ui.Filters, code: str, name: str) -> None:
    lang = filters.lang
    st.subheader(t("agency.received_sent", lang), anchor="directions")
    directions = load("directions", filters.period, filters.scope, agency_code=code)
    ui.table(
        directions_frame(directions, lang),
        key="directions",
        name=ui.download_name(t("agency.received_sent", lang), filters, name),
        hide_index=True,
        width="stretch",
    )
    _small_numbers_note(filters)


def _district(filters: ui.Filters, code: str) -> tuple[str, Scope] | None:
    """(code, scope) of the agency's 시·군·구 above one city (`network.district_agencies`'s
    rule); None in a city deployment, for a partner, or for an agency of no district."""
    if filters.scope.partner_view:
        return None
    tree = network_view.region_tree(filters)
    if tree.is_city:
        return None
    district = network_view.agency_district(code)
    if district is None or tree.region(district) is None:
        return None
    return district, filters.scope.within(district, tree.neighbourhoods_of(district))


def _trend(filters: ui.Filters, code: str, name: str) -> None:
    lang = filters.lang
    st.subheader(t("agency.response_trend", lang), anchor="response-trend")
    partner = filters.scope.partner_view
    mine = load("response_days", filters.period, filters.scope, agency_code=code)
    # An agency's link sees its own referrals only: the whole network's median is not in
    # its scope (under it, the query would give the agency's referrals both ways instead).
    # Above one city the agency is compared with its own district's network.
    district = _district(filters, code)
    network_scope = filters.scope if district is None else district[1]
    network = None if partner else load("response_days", filters.period, network_scope)
    label = t("agency.network_median", lang)
    if district is not None:
        district_name = network_view.region_tree(filters).label(district[0])
        label = t("agency.district_median", lang, district=district_name)
    if mine.empty:
        st.info(t("agency.no_responses", lang))
        return
    trend = trend_frame(mine, network, name, lang)
    days_title = metric_title("median_response_days", lang)
    chart = ui.chart_call(
        charts.response_trend_chart,
        trend,
        agency_label=name,
        network_label=None if partner else label,
        month_title=t("network.month", lang),
        days_title=days_title,
        series_title=t("agency.series", lang),
        months=[charts.month_label(m) for m in filters.period.months()],
        responses_title=t("agency.responses", lang),
        lang=lang,
    )
    ui.chart(chart, key="agency_trend")
    if district is not None:
        st.caption(t("agency.district_note", lang, district=district_name))
    else:
        st.caption(t("agency.trend_note_partner" if partner else "agency.trend_note", lang))
    ui.downloads(
        ui.download_name(t("agency.response_trend", lang), filters, name),
        "agency_trend",
        chart=chart,
        data=functools.partial(chart_tables.response_trend_table, trend, days_title, lang),
    )


def _pending(filters: ui.Filters, code: str, known: dict[str, str], name: str) -> None:
    lang = filters.lang
    limit = filters.response_limit_days
    pending = load(
        "pending", filters.period, filters.scope, response_limit_days=limit, to_agency=code
    )
    waiting, overdue = len(pending), int(pending["overdue"].sum())
    if filters.scope.partner_view:
        # The counts read as the agency's tiles do; the rows are its own referrals.
        below = threshold()
        waiting, overdue = small_count(waiting, below), small_count(overdue, below)
    st.subheader(t("agency.pending", lang, n=format_count(waiting)), anchor="pending")
    st.caption(t("agency.pending_note", lang, days=limit, overdue=format_count(overdue)))
    if pending.empty:
        st.success(t("agency.no_pending", lang))
        return
    ui.table(
        # Every referral here waits on this agency: no "to" column, and the whole width,
        # so the days waiting are never scrolled out of sight.
        pending_table(pending, known, lang, with_to=False),
        name=ui.download_name(t("toc.pending", lang), filters, name),
        units={with_unit(t("network.days_waiting", lang), "days", lang): "count"},
        hide_index=True,
        width="stretch",
        key="pending",
    )


def _partners(filters: ui.Filters, code: str, known: dict[str, str], name: str) -> None:
    lang = filters.lang
    st.subheader(t("agency.partners", lang), anchor="partners")
    partners = load("partners", filters.period, filters.scope, agency_code=code)
    if partners.empty:
        st.info(t("network.no_referrals", lang))
        return
    partners = table_counts(partners, ["sent", "received", "total"], lang)
    shown = pd.DataFrame(
        {
            t("network.agency_name", lang): partners["partner_code"].map(known),
            t("agency.sent", lang): partners["sent"],
            t("agency.received", lang): partners["received"],
            t("agency.total", lang): partners["total"],
        }
    )
    ui.table(
        shown,
        key="partners",
        name=ui.download_name(t("agency.partners", lang), filters, name),
        hide_index=True,
        width="stretch",
    )
    _small_numbers_note(filters)


# ---- page -------------------------------------------------------------------------------


def render(code: str) -> None:
    """Draw the scorecard of agency `code` for the current filters."""
    filters = ui.current_filters()
    lang = filters.lang
    agencies = agency_list(filters.scope)
    found = agencies[agencies["code"] == code]
    if found.empty:
        st.error(t("agency.unknown", lang, code=literal(code)), icon=":material/error:")
        return
    if ui.presenting():  # this agency's review as slides
        present.show("agency", code, filters)
        return
    agency = found.iloc[0]
    subtitle = t(
        "agency.subtitle",
        lang,
        sector=enum_label(SECTOR, agency["sector"], lang),
        kind=enum_label(AGENCY_KIND, agency["kind"], lang),
        days=filters.response_limit_days,
    )
    ui.page_header(
        agency["name"], filters, subtitle=subtitle, report=("agency", code, agency["name"])
    )
    if ui.show_empty_database(lang):
        return
    with ui.section(lang, "agency.summary"):
        ui.summary(ui.review("agency", code, filters).summary)
    district = _district(filters, code)
    if district is not None:  # above one city: the network view of its district
        where = network_view.region_tree(filters).label(district[0])
        text = t("agency.district_link", lang, district=where)
        st.markdown(f"[{text}]({network_view.region_href(district[0], filters)})")
    ui.section_links(
        [
            ("directions", t("toc.directions", lang)),
            ("response-trend", t("toc.response_trend", lang)),
            ("pending", t("toc.pending", lang)),
            ("partners", t("toc.partners", lang)),
        ],
        lang,
    )
    with ui.section(lang, "agency.metrics"):
        _metrics(filters, code)
    with ui.section(lang, "agency.directions"):
        _directions(filters, code, agency["name"])
    with ui.section(lang, "agency.trend"):
        _trend(filters, code, agency["name"])
    known = names(filters.scope)
    with ui.section(lang, "agency.pending"):
        _pending(filters, code, known, agency["name"])
    with ui.section(lang, "agency.partners"):
        _partners(filters, code, known, agency["name"])
