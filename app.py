"""잇다 Itda — the entry point: page config, the shared URL filters, and the navigation.

Run with `streamlit run app.py`. The filters (period or from/to dates, language) are
widgets bound to the URL's query parameters and live here, in the entry point, so they
persist across pages; every page reads them through `lib.ui.current_filters()`. The
navigation is built from the database on every run, so a neighbourhood added by an
import gets its page on the next rerun.
"""

from __future__ import annotations

import functools
import logging
import time

import streamlit as st

from lib import ui
from lib.errors import user_message
from lib.i18n import t
from views import agency, data, definitions, donations, neighbourhood, network, overview

_log = logging.getLogger("itda.app")


def _configure_logging() -> None:
    """Send Itda's own log lines (page timings, errors with tracebacks) to the server log."""
    root = logging.getLogger("itda")
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False


# Capitals for the ko/en switch (its options must equal the URL values), and a clean print.
_CSS = """
<style>
.st-key-lang button p { text-transform: uppercase; letter-spacing: 0.04em; }
@media print {
  [data-testid=stSidebar], [data-testid=stHeader], [data-testid=stElementToolbar] {
    display: none !important;
  }
  [data-testid=stVegaLiteChart] { break-inside: avoid; }
}
</style>
"""


def _neighbourhood_pages(lang: str) -> list[st.Page]:
    """One page per neighbourhood the viewer may see: path from its code, title its name."""
    hoods = ui.neighbourhoods(ui.viewer_scope())
    return [
        st.Page(
            functools.partial(neighbourhood.render, code),
            title=name,
            url_path=ui.neighbourhood_path(code),
            icon=":material/location_on:",
        )
        for code, name in zip(hoods["code"], hoods["name"], strict=True)
    ]


def _network_pages(lang: str) -> list[st.Page]:
    """The network page, then one page per agency the viewer may see (path from its code)."""
    agencies = network.agencies(ui.viewer_scope())
    return [
        st.Page(
            network.render,
            title=t("nav.network", lang),
            icon=":material/hub:",
            url_path="case-sharing",
        ),
        *(
            st.Page(
                functools.partial(agency.render, code),
                title=name,
                url_path=network.agency_url_path(code),
                icon=":material/apartment:",
            )
            for code, name in zip(agencies["code"], agencies["name"], strict=True)
        ),
    ]


def _navigation(lang: str) -> st.Page:
    """The page tree: overview at `/`, the neighbourhoods, then the city-wide pages."""
    home = st.Page(
        overview.render,
        title=t("nav.overview", lang),
        icon=":material/dashboard:",
        # Served at `/` (the default page); the path only has to be unique and stable.
        url_path="city-overview",
        default=True,
    )
    sections: dict[str, list[st.Page]] = {t("nav.section.main", lang): [home]}
    hood_pages = _neighbourhood_pages(lang)
    if hood_pages:
        sections[t("nav.section.neighbourhoods", lang)] = hood_pages
    sections[t("nav.section.network", lang)] = _network_pages(lang)
    sections[t("nav.section.more", lang)] = [
        st.Page(
            donations.render,
            title=t("nav.donations", lang),
            icon=":material/volunteer_activism:",
            url_path="city-donations",
        ),
        st.Page(
            definitions.render,
            title=t("nav.definitions", lang),
            icon=":material/menu_book:",
            url_path="metric-definitions",
        ),
    ]
    sections[t("nav.section.admin", lang)] = [
        st.Page(
            data.render,
            title=t("nav.data", lang),
            icon=":material/upload_file:",
            url_path="data-import",
        )
    ]
    # At the top, so the sidebar holds only the filters however many neighbourhoods there are.
    return st.navigation(sections, position="top")


def main() -> None:
    _configure_logging()
    st.set_page_config(
        page_title="잇다 Itda",
        page_icon=":material/diversity_3:",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    st.html(_CSS)
    lang = ui.language_selector()
    try:
        ui.get_engine()
        ui.filter_sidebar(lang)
        ui.copy_link_button(lang)
        page = _navigation(lang)
    except Exception as exc:  # e.g. the database is unreachable: one sentence, no traceback
        _log.exception("cannot start the app")
        st.error(user_message(exc, lang) if _is_user_facing(exc) else t("error.page", lang))
        return
    notice = ui.filter_notice()
    if notice:
        key, fields = notice
        st.warning(t(key, lang, **fields), icon=":material/event_busy:")
    started = time.perf_counter()
    with ui.error_boundary(lang, page.url_path or "city-overview"):
        page.run()
    _log.info("page %s drawn in %.3f s", page.url_path or "/", time.perf_counter() - started)


def _is_user_facing(exc: Exception) -> bool:
    """True for errors whose message helps the user (bad settings, unreachable database)."""
    import sqlalchemy as sa

    from lib.errors import UserError

    return isinstance(exc, UserError | sa.exc.OperationalError)


main()
