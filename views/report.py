"""보고서 · Reports: a performance review as an A4 PDF or a PowerPoint deck, to download.

The viewer chooses whom it is about (staff: the city, a neighbourhood or an agency; a
partner: only their link's own neighbourhoods or agency) and the format; the period and
the comparison are the shared filters'. The file is made when the button is pressed
(`lib.ui.report_download`: a deferred download, audited), from the viewer's scope, so a
partner's report holds their numbers only, suppressed, with no city value or rank.
"""

from __future__ import annotations

import streamlit as st

from lib import session, ui
from lib.i18n import t
from lib.review.report import FORMATS

KINDS = ("city", "neighbourhood", "agency")


def _choices(filters: ui.Filters) -> dict[str, dict[str, str]]:
    """What the viewer may report on: kind → {code: name} (the city under code "")."""
    viewer = session.current_viewer()
    lang = filters.lang
    if viewer.is_partner:
        if viewer.link.agency_code:
            found = ui.agencies(filters.scope)
            found = found[found["code"] == viewer.link.agency_code]
            return {"agency": dict(zip(found["code"], found["name"], strict=True))}
        found = ui.neighbourhoods(filters.scope)
        return {"neighbourhood": dict(zip(found["code"], found["name"], strict=True))}
    hoods = ui.neighbourhoods(filters.scope)
    agencies = ui.agencies(filters.scope)
    return {
        "city": {"": t("review.city_scope", lang, city=ui.city_name(lang))},
        "neighbourhood": dict(zip(hoods["code"], hoods["name"], strict=True)),
        "agency": dict(zip(agencies["code"], agencies["name"], strict=True)),
    }


def render() -> None:
    """Draw the report page for the current filters and viewer."""
    filters = ui.current_filters()
    lang = filters.lang
    ui.page_header(t("report.page.title", lang), filters)
    if ui.show_empty_database(lang):
        return
    st.markdown(t("report.page.intro", lang))
    choices = {kind: named for kind, named in _choices(filters).items() if named}
    if not choices:
        st.info(t("report.page.nothing", lang), icon=":material/block:")
        return
    kinds = [k for k in KINDS if k in choices]
    left, right = st.columns(2)
    with left:
        kind = st.radio(
            t("report.page.kind", lang),
            kinds,
            format_func=lambda k: t(f"report.kind.{k}", lang),
            horizontal=True,
            key="report_kind",
        )
        named = choices[kind]
        if kind == "city":
            code, name = None, next(iter(named.values()))
        else:
            code = st.selectbox(
                t(f"report.kind.{kind}", lang),
                list(named),
                format_func=named.get,
                key=f"report_{kind}",
            )
            name = named.get(code)
    with right:
        fmt = st.radio(
            t("report.page.format", lang),
            list(FORMATS),
            format_func=lambda f: t(f"report.format.{f}", lang),
            horizontal=True,
            key="report_format",
        )
    if session.current_viewer().is_partner:
        st.caption(t("report.page.partner", lang))
    st.caption(t("report.page.filters", lang))
    if code is None and kind != "city":
        return
    ui.report_download(kind, code, name, filters, fmt, f"page-{kind}-{code or 'city'}", True)
