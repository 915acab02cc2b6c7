"""잇다 Itda — the dashboard script: page config, the viewer, the shared URL filters, the navigation.

`streamlit run app.py` serves this script (app.py adds the share-link routes); it also runs
on its own (`streamlit run dashboard.py`, AppTest). The filters (period or from/to dates,
language) are widgets bound to the URL's query parameters and live here, in the entry
point, so they persist across pages; every page reads them through
`lib.ui.current_filters()`. The navigation is built on every run from the database and
from the viewer (`lib.session.resolve_viewer`): staff get the whole tree (admins also the
admin pages), a partner only their link's pages, anyone else a sign-in or refusal page.
Every other known path is registered too, as a hidden refusal page, so a widened URL
lands on a clear "not for this link" page instead of data or Streamlit's own dialog.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

from lib import access, logs, present, profiling, session, ui
from lib.access import Viewer
from lib.errors import user_message
from lib.i18n import t
from lib.regions import RegionTree
from views import (
    agency,
    audit,
    data,
    definitions,
    donations,
    gate,
    links,
    neighbourhood,
    network,
    overview,
    picker,
    report,
)

_log = logging.getLogger("itda.app")
# The tab icon: a file of the app's own (Streamlit inlines an SVG file as a data: URL), never
# a Material icon, which the browser would fetch from fonts.gstatic.com (closed networks).
_TAB_ICON = Path(__file__).resolve().parent / "static" / "itda-icon.svg"


# What the theme (.streamlit/config.toml, KRDS tokens) cannot say: capitals for the ko/en
# switch (its options must equal the URL values), readable captions, metric tiles whose
# label and comparison wrap instead of ending in "…", Korean line breaks between words,
# KRDS's smaller headings on phones, the section links under the page header
# (lib.ui.section_links), and a clean print.
_CSS = """
<style>
.st-key-lang button p { text-transform: uppercase; letter-spacing: 0.04em; }
/* Streamlit fades captions to 60 %: 4.3:1 on white. KRDS text-subtle (gray-70) is 8.7:1. */
[data-testid=stCaptionContainer] { opacity: 1; color: #464c53; }
[data-testid=stMetric] :is([data-testid=stMetricLabel], [data-testid=stMetricDelta],
  [data-testid=stMetricDeltaDescription]) :is(div, p) {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
div:has(> [data-testid=stMetricDelta]) { flex-wrap: wrap; row-gap: 0.25rem; }
/* Narrower side margins than Streamlit's 5rem on a desktop (KRDS 40px): room for tables. */
@media (min-width: 641px) {
  [data-testid=stMainBlockContainer] { padding-left: 2.5rem; padding-right: 2.5rem; }
}
/* Tiles: four in a row on a wide page, two when the page is narrower (a laptop with the
   sidebar open, a tablet), one on a phone (Streamlit stacks columns below 640px, with a
   min-width this rule leaves alone); a value shrinks with a narrow tile instead of being
   cut. */
[data-testid=stMainBlockContainer] { container-type: inline-size; }
@container (max-width: 44rem) {
  [data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] [data-testid=stMetric])
    > [data-testid=stColumn] { flex: 1 1 calc(50% - 0.5rem); }
}
[data-testid=stMetric] { container-type: inline-size; }
[data-testid=stMetricValue], [data-testid=stMetricValue] p { font-size: min(2.25rem, 17cqi); }
/* The comparison on a line of its own: every tile of a row has the same height. */
[data-testid=stMetricDeltaDescription] { flex-basis: 100%; margin-left: 0; }
/* Korean breaks between words (KRDS), not inside one; a long unbroken string still wraps. */
[data-testid=stApp], [data-testid=stApp] :is(p, li, label, h1, h2, h3, h4) {
  word-break: keep-all; overflow-wrap: break-word;
}
/* A chart drawn at its own width (the referral matrix) scrolls inside itself on a phone,
   as a table does, instead of widening the page. */
[data-testid=stVegaLiteChart] { max-width: 100%; overflow-x: auto; overflow-y: hidden; }
/* The top bar covers the top of the page: a heading reached by a link stays in view. */
[data-testid=stHeading] [id] { scroll-margin-top: 4.5rem; }
/* KRDS mobile type: heading-large 24px, heading-medium 22px. */
@media (max-width: 640px) {
  h1 { font-size: 1.5rem !important; }
  h2 { font-size: 1.375rem !important; }
}
/* Section links: KRDS spacing (8px, 16px) and link colour (primary-60). */
.itda-section-links ul {
  display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin: 0; padding: 0; list-style: none;
}
.itda-section-links li { margin: 0; padding: 0; }
.itda-section-links a {
  color: #0b50d0; text-decoration: none; font-size: 0.9375rem; font-weight: 600;
}
.itda-section-links a:hover, .itda-section-links a:focus-visible { text-decoration: underline; }
/* The way up from a region or neighbourhood page (lib.ui.breadcrumb): 전국 › 한빛도 › 한빛시. */
.itda-breadcrumb { font-size: 0.9375rem; color: #464c53; margin: 0; }
.itda-breadcrumb a { color: #0b50d0; text-decoration: none; font-weight: 600; }
.itda-breadcrumb a:hover, .itda-breadcrumb a:focus-visible { text-decoration: underline; }
/* The picker's search results name the regions above them: wrapped, never cut with "…". */
.st-key-itda-picker [data-testid=stPageLink] :is(a, span, p, div) {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto;
}
/* The picker page's list of regions (views/picker.py), in columns on a wide screen. */
.itda-region-list { columns: 3 14rem; margin: 0; padding-left: 1.25rem; }
.itda-region-list a { color: #0b50d0; font-weight: 600; }
.itda-region-count { color: #464c53; font-size: 0.875rem; }
/* The written summary under a page's header or a section's heading (lib.ui.summary): a lead
   paragraph in KRDS body-large (19px), as wide as a line is easy to read. */
.itda-summary { font-size: 1.1875rem; line-height: 1.6; max-width: 48rem; margin: 0.25rem 0 0.5rem; }
@media (max-width: 640px) { .itda-summary { font-size: 1.0625rem; } }
/* Presentation mode's switch is bound to the URL and never seen (lib.ui.presentation_switch). */
.st-key-itda-present-switch { display: none; }
/* While Ctrl+P prepares a print (lib.ui.print_preparation): the main column at the
   paper's width (A4 less margins, 186mm), so every chart is redrawn for it. */
html.itda-print-width [data-testid=stSidebar] { display: none !important; }
html.itda-print-width [data-testid=stMainBlockContainer] {
  max-width: 186mm !important; padding-left: 0 !important; padding-right: 0 !important;
}
/* Print (the browser's own, any page): A4 pages with the page's content only. */
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
[data-testid=stElementContainer]:has(> [data-testid=stHtml] > .itda-print-only) {
  display: none;
}
@media print {
  /* No sidebar, header, toolbars, section links, downloads or page actions. */
  [data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stHeader],
  [data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget],
  [data-testid=stElementToolbar], [data-testid=stSkipToContent], [data-testid=stTooltipIcon],
  [data-testid=stDownloadButton], [data-testid=stHeaderActionElements], .itda-section-links,
  .st-key-page-actions, .st-key-itda-present-corner, .st-key-itda-present-bar {
    display: none !important;
  }
  [data-testid=stElementContainer]:has(> [data-testid=stHtml] > .itda-print-only) {
    display: block;
  }
  .itda-print-line { font-size: 0.875rem; color: #464c53; margin: 0; }
  /* Streamlit's app is a screen-high box that scrolls inside: on paper it flows. */
  html, body, [data-testid=stApp], [data-testid=stAppViewContainer], [data-testid=stMain] {
    height: auto !important; overflow: visible !important; position: static !important;
  }
  [data-testid=stMainBlockContainer] { padding: 0 !important; max-width: none !important; }
  /* Block flow, so the browser can keep things together across page ends (flex columns
     ignore break-after); the gaps become margins. */
  [data-testid=stVerticalBlock] { display: block !important; }
  [data-testid=stVerticalBlock] > * { margin-bottom: 0.75rem; }
  /* A heading, or a chart's bold title, never ends a page: it goes with what follows. */
  [data-testid=stElementContainer]:has([data-testid=stHeading]),
  [data-testid=stElementContainer]:has(> [data-testid=stMarkdown] p:only-child > strong:only-child),
  [data-testid=stLayoutWrapper]:has(> .st-key-page-header),
  /* and a section's written summary, */
  [data-testid=stElementContainer]:has(.itda-summary),
  /* and the choices that decide what the next table or chart shows */
  [data-testid=stElementContainer]:has(:is([data-testid=stButtonGroup], [data-testid=stSelectbox],
    [data-testid=stRadio], [data-testid=stMultiSelect])),
  [data-testid=stLayoutWrapper]:has(> [data-testid=stHorizontalBlock] [data-testid=stButtonGroup]) {
    break-after: avoid;
  }
  [data-testid=stHeading], h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  /* Charts, tiles and rows of tiles are never cut in two. */
  [data-testid=stVegaLiteChart], [data-testid=stMetric], [data-testid=stElementContainer],
  [data-testid=stHorizontalBlock]:has([data-testid=stMetric]) {
    break-inside: avoid;
  }
  /* Four tiles in a row, as on a wide screen (the page is 44rem wide, where the screen
     rule above would put two in a row): half as many pages. */
  [data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] [data-testid=stMetric])
    > [data-testid=stColumn] { flex: 1 1 0 !important; min-width: 0 !important; }
  /* Vega's SVG is drawn for the screen's width: on paper it scales down to the page's,
     never cut off. */
  [data-testid=stVegaLiteChart] { overflow: visible !important; max-width: 100% !important; }
  [data-testid=stVegaLiteChart] svg { max-width: 100% !important; height: auto !important; }
  /* the download menus under charts and tables (ui.downloads) are for the screen */
  [class*=st-key-dl-] { display: none !important; }
}
</style>
"""


# The fixed pages: url_path → (title key, icon). Neighbourhood and agency pages come from data.
OVERVIEW, NETWORK, DONATIONS, DEFINITIONS, DATA, LINKS, AUDIT, REPORT = (
    "city-overview",
    "case-sharing",
    "city-donations",
    "metric-definitions",
    "data-import",
    "share-links",
    "audit-log",
    "report",
)
PICKER = "regions"  # the region picker's page (region deployments)
_ICONS = {
    OVERVIEW: ":material/dashboard:",
    NETWORK: ":material/hub:",
    DONATIONS: ":material/volunteer_activism:",
    DEFINITIONS: ":material/menu_book:",
    DATA: ":material/upload_file:",
    LINKS: ":material/share:",
    AUDIT: ":material/policy:",
    REPORT: ":material/description:",
}
_TITLES = {
    OVERVIEW: "nav.overview",
    NETWORK: "nav.network",
    DONATIONS: "nav.donations",
    DEFINITIONS: "nav.definitions",
    DATA: "nav.data",
    LINKS: "nav.links",
    AUDIT: "nav.audit",
    REPORT: "nav.report",
}
_START = "start"  # a partner's default page (served at `/`)


def _page(render: Callable, path: str, lang: str, **kw) -> st.Page:
    return st.Page(render, title=t(_TITLES[path], lang), icon=_ICONS[path], url_path=path, **kw)


class _Tree:
    """The pages of one run, and which of them are refusals (url_path → reason)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.sections: dict[str, list[st.Page]] = {}
        self.refusals: dict[str, str] = {}
        self.paths: set[str] = set()
        self.default_path = _START
        self.unknown = ""  # the unknown address this run answers with a page of its own
        self.regions: RegionTree | None = None  # a region deployment's regions (else None)
        self.pages: dict[str, st.Page] = {}  # data pages registered on demand, by url_path

    def add(self, section: str, page: st.Page, default_path: str | None = None) -> None:
        """Add a page; the default page (served at `/`) names its declared path."""
        self.sections.setdefault(section, []).append(page)
        if default_path:
            self.default_path = default_path
        self.paths.add(default_path or page.url_path)

    def refuse_others(self, reason: str, render: Callable) -> None:
        """The fixed pages not in the tree, and the address asked for when it names a page
        that exists but is not this viewer's, open a hidden refusal page (no data queried).

        Only the requested address is decided: a nation has 3,500 neighbourhood and
        thousands of agency pages, and a page that is not registered cannot be opened
        by any other way than its address (which is this run's request)."""
        known = list(_TITLES)
        path = _requested_path()
        if path and path not in known and _exists(path):
            known.append(path)
        for path in known:
            if path not in self.paths:
                self.refusals[path] = reason
                page = st.Page(
                    functools.partial(render, reason),
                    title=t("nav.refused", self.lang),
                    url_path=path,
                    visibility="hidden",
                )
                self.add("", page)

    def catch_unknown(self, render: Callable, title: str = "nav.not_found") -> None:
        """An address that names no page opens `render(path)` there (hidden), not Streamlit's
        English "Page not found" dialog over the default page."""
        path = _requested_path()
        if path and path not in self.paths and path not in self.refusals:
            page = st.Page(
                functools.partial(render, path),
                title=t(title, self.lang),
                url_path=path,
                visibility="hidden",
            )
            self.add("", page)
            self.unknown = path


def _requested_path() -> str:
    """The address asked for on this run (`nope` for `/nope`), or "" when there is none.

    Streamlit resolves the page after `st.navigation` is given the pages; an address that
    matches none gets a "Page not found" dialog in English (commands/navigation.py,
    `send_page_not_found`) that the app cannot translate. The page name the browser sent
    (`pages_manager.intended_page_name`) lets the navigation register a page of Itda's own
    at that address instead. A rerun on that page (a widget) names it by its hash only, so
    the address is remembered for the session. Only addresses a page can have (no `/`;
    st.Page refuses nested paths) qualify.
    """
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    name = str(getattr(manager, "intended_page_name", "") or "").strip().strip("/")
    if name and "/" not in name:
        st.session_state[_UNKNOWN_KEY] = name
        return name
    remembered = st.session_state.get(_UNKNOWN_KEY)
    wanted = getattr(manager, "intended_page_script_hash", None)
    if remembered and wanted and wanted == calc_hash(remembered):
        return remembered
    if wanted:
        # A page opened by its hash alone (st.page_link, st.switch_page, AppTest): the
        # data pages are not all registered at region deployments, so find it by hash.
        return ui.path_of_hash(wanted) or ""
    return ""


_UNKNOWN_KEY = "_itda_unknown_path"


def _exists(path: str) -> bool:
    """Whether a data page (neighbourhood, agency, region) exists at `path`."""
    return ui.data_page(path) is not None


# Pages made from data, by kind: (render(code), url_path(code), icon).
_DATA_PAGES = {
    "neighbourhood": (neighbourhood.render, ui.neighbourhood_path, ":material/location_on:"),
    "agency": (agency.render, network.agency_url_path, ":material/apartment:"),
}


def _data_page(kind: str, code: str, name: str, **kw) -> st.Page:
    """The page of one neighbourhood or agency (`kw` may override its url_path)."""
    render, path, icon = _DATA_PAGES[kind]
    kw.setdefault("url_path", path(code))
    return st.Page(functools.partial(render, code), title=name, icon=icon, **kw)


def _staff_tree(viewer: Viewer, lang: str) -> _Tree:
    """Overview at `/`, the neighbourhoods, the network, the city pages; admin pages for admins.

    Above one city (a province or the nation) the menu lists levels instead: the top's
    overview, the region picker, the network and the city pages; region, neighbourhood
    and agency pages are registered one at a time, as they are asked for (`_region_pages`).
    """
    tree = _Tree(lang)
    regions_ = ui.region_tree(viewer.scope, lang)
    if not regions_.is_city:
        return _region_staff_tree(viewer, lang, regions_)
    # Served at `/` (the default page); the path only has to be unique and stable.
    home = _page(overview.render, OVERVIEW, lang, default=True)
    tree.add(t("nav.section.main", lang), home, default_path=OVERVIEW)
    hoods = ui.neighbourhoods(viewer.scope)
    for code, name in zip(hoods["code"], hoods["name"], strict=True):
        tree.add(t("nav.section.neighbourhoods", lang), _data_page("neighbourhood", code, name))
    section = t("nav.section.network", lang)
    tree.add(section, _page(network.render, NETWORK, lang))
    agencies = network.agencies(viewer.scope)
    for code, name in zip(agencies["code"], agencies["name"], strict=True):
        tree.add(section, _data_page("agency", code, name))
    _city_and_admin_pages(tree, viewer, lang)
    tree.refuse_others(gate.ADMIN_ONLY, gate.refusal)
    tree.catch_unknown(gate.not_found)
    return tree


def _city_and_admin_pages(tree: _Tree, viewer: Viewer, lang: str) -> None:
    section = t("nav.section.more", lang)
    tree.add(section, _page(donations.render, DONATIONS, lang))
    tree.add(section, _page(definitions.render, DEFINITIONS, lang))
    tree.add(section, _page(report.render, REPORT, lang))
    section = t("nav.section.admin", lang)
    tree.add(section, _page(links.render, LINKS, lang))
    if viewer.may(access.DATA):
        tree.add(section, _page(data.render, DATA, lang))
    if viewer.may(access.AUDIT):
        tree.add(section, _page(audit.render, AUDIT, lang))


def _region_staff_tree(viewer: Viewer, lang: str, regions_: RegionTree) -> _Tree:
    """A province's or the nation's menu: levels, not pages (see `_staff_tree`)."""
    tree = _Tree(lang)
    tree.regions = regions_
    home = st.Page(
        overview.render,
        title=t("nav.overview.region", lang, name=regions_.top.name),
        icon=_ICONS[OVERVIEW],
        url_path=OVERVIEW,
        default=True,
    )
    tree.add(t("nav.section.main", lang), home, default_path=OVERVIEW)
    tree.add(
        t("nav.section.main", lang),
        st.Page(
            functools.partial(picker.render, tree.pages),
            title=t("nav.picker", lang),
            icon=":material/travel_explore:",
            url_path=PICKER,
        ),
    )
    section = t("nav.section.network", lang)
    tree.add(section, _page(network.render, NETWORK, lang))
    _city_and_admin_pages(tree, viewer, lang)
    # The data pages of this run: the one asked for, the picker's choice, its search results.
    wanted = [_requested_path(), _goto_path(regions_)]
    wanted += [ui.region_page_path(r, regions_) for r in ui.picker_matches(regions_)]
    for path in wanted:
        if path and path not in tree.paths:
            page = _region_data_page(viewer, path, regions_)
            if page is not None:
                tree.add("", page)
                tree.pages[path] = page
    tree.refuse_others(gate.ADMIN_ONLY, gate.refusal)
    tree.catch_unknown(gate.not_found)
    return tree


def _region_data_page(viewer: Viewer, path: str, regions_: RegionTree) -> st.Page | None:
    """The hidden page at `path` (a region, neighbourhood or agency the viewer may see),
    or None (no such page, or not the viewer's: `refuse_others` decides)."""
    found = ui.data_page(path)
    if found is None:
        return None
    kind, code = found
    if kind == "agency":
        agencies = network.agencies(viewer.scope)
        names = agencies.loc[agencies["code"] == code, "name"]
        if names.empty:
            return None
        return _data_page("agency", code, str(names.iloc[0]), visibility="hidden")
    region = regions_.region(code)
    if region is None or region == regions_.top:
        return None
    if kind == "neighbourhood":
        return _data_page("neighbourhood", code, region.name, visibility="hidden")
    return st.Page(
        functools.partial(overview.render, code),
        title=region.name,
        icon=":material/map:",
        url_path=path,
        visibility="hidden",
    )


def _goto_path(regions_: RegionTree) -> str:
    """The page the picker's select boxes chose (opened after the navigation is built)."""
    code = st.session_state.get(ui.PICK_GOTO)
    region = regions_.region(code) if code else None
    return ui.region_page_path(region, regions_) if region is not None else ""


def _partner_tree(viewer: Viewer, lang: str) -> _Tree:
    """Only the link's pages: its neighbourhoods' pages or its agency's, and perhaps the definitions."""
    tree = _Tree(lang)
    if viewer.link.agency_code:
        found, kind = network.agencies(viewer.scope), "agency"
        # The scope may name counterpart agencies too; the link opens only its own page.
        found = found[found["code"] == viewer.link.agency_code]
    else:
        found, kind = ui.neighbourhoods(viewer.scope), "neighbourhood"
    own = [
        functools.partial(_data_page, kind, code, name)
        for code, name in zip(found["code"], found["name"], strict=True)
    ]
    if not own:  # the link's agency or neighbourhoods are gone from the data
        return _gate_tree(gate.refusal, access.UNKNOWN, lang)
    # `/` shows the first own page; its own path stays a normal page of the navigation
    # (a default page's own path would raise Streamlit's "page not found").
    tree.add("", own[0](url_path=_START, visibility="hidden", default=True), default_path=_START)
    section = t("nav.section.link", lang)
    for make in own:
        tree.add(section, make())
    if access.DEFINITIONS in viewer.link.pages:
        tree.add(section, _page(definitions.render, DEFINITIONS, lang))
    # The link's own report (its scope, suppressed), as its pages' report buttons make.
    tree.add(section, _page(report.render, REPORT, lang))
    tree.refuse_others(access.OUT_OF_SCOPE, gate.refusal)
    tree.catch_unknown(gate.not_found)
    return tree


def _gate_tree(render: Callable, reason: str, lang: str) -> _Tree:
    """One page for every path: the sign-in page, or a refusal (bad link, no role)."""
    tree = _Tree(lang)
    page = st.Page(
        functools.partial(render, reason),
        title=t("nav.sign_in" if reason == gate.SIGN_IN else "nav.refused", lang),
        url_path=_START,
        default=True,
    )
    tree.add("", page, default_path=_START)
    tree.refusals[_START] = reason
    tree.refuse_others(reason, render)
    # An unknown address gets the same sign-in or refusal page (nothing else is open).
    tree.catch_unknown(
        lambda _path: render(reason), "nav.sign_in" if reason == gate.SIGN_IN else "nav.refused"
    )
    if tree.unknown:
        tree.refusals[tree.unknown] = reason
    return tree


def _tree(viewer: Viewer, lang: str) -> _Tree:
    if viewer.problem:
        return _gate_tree(gate.refusal, viewer.problem, lang)
    if viewer.is_partner:
        return _partner_tree(viewer, lang)
    if viewer.may(access.DASHBOARD):
        return _staff_tree(viewer, lang)
    if viewer.role == access.NO_ROLE:
        return _gate_tree(gate.refusal, gate.NO_ROLE, lang)
    return _gate_tree(gate.sign_in, gate.SIGN_IN, lang)


def _visible(tree: _Tree) -> list[tuple[str, list[st.Page]]]:
    """The pages a person may open, by section (refusal and default-path pages left out)."""
    sections = []
    for section, pages in tree.sections.items():
        shown = [p for p in pages if p.url_path not in tree.refusals and p.visibility != "hidden"]
        if shown:
            sections.append((section, shown))
    return sections


def _navigation(tree: _Tree, presenting: bool = False) -> st.Page:
    visible = [
        p for pages in tree.sections.values() for p in pages if p.url_path not in tree.refusals
    ]
    # At the top, so the sidebar holds only the filters however many neighbourhoods there are.
    # Presentation mode shows no navigation (its corner menu links the pages instead).
    position = "top" if len(visible) > 1 and not presenting else "hidden"
    # On a phone Streamlit moves the navigation into the sidebar, above the filters; a long
    # list stays collapsed there (its "View N more" button relabelled by
    # `ui.platform_words`), so the filters are one screen away, not forty pages below.
    return st.navigation(tree.sections, position=position)


def main() -> None:
    logs.setup()  # once per process: ITDA_LOG_FORMAT text or json (lib.logs)
    ui.freeze_long_lived()  # the process's lasting objects out of the post-run collection
    st.set_page_config(
        page_title="잇다 Itda",
        page_icon=_TAB_ICON,
        layout="wide",
        # "auto": open on a desktop, closed on a phone (where it would cover the page).
        initial_sidebar_state="auto",
    )
    st.html(_CSS)
    lang = ui.language_selector()
    presenting = ui.presentation_switch(lang)
    if presenting:  # no sidebar, header or toolbar; projector type (lib.present)
        st.set_page_config(initial_sidebar_state="collapsed")
        st.html(present.CSS)
    ui.platform_words(lang)  # Streamlit's own English (skip link, date fields) in `lang`
    ui.print_preparation()  # Ctrl+P lays the page out at the paper's width first
    try:
        problems = access.startup_problems(session.auth_configured())
        if problems:
            raise problems[0]
        engine = ui.get_engine()
        # One data version for the whole run: an import committing half-way through never
        # draws some sections from the old figures and the rest from the new.
        ui.pin_data_version()
        viewer = session.resolve_viewer(engine)
        tree = _tree(viewer, lang)
        # The region picker goes above the filters; it knows the page only after st.navigation.
        picker_box = st.sidebar.container() if tree.regions is not None else None
        if viewer.may(access.DASHBOARD) or viewer.is_partner:
            ui.filter_sidebar(lang)
        if viewer.may(access.DASHBOARD):
            ui.copy_link_button(lang)
        gate.user_box(engine, viewer, lang)
        page = _navigation(tree, presenting)
        if tree.regions is not None:
            _follow_picker(tree)
            if picker_box is not None and page.url_path != PICKER and not presenting:
                current = _page_region(page.url_path or tree.default_path, tree.regions)
                ui.region_picker(tree.regions, current, lang, tree.pages, where=picker_box)
        if presenting:
            present.corner(_visible(tree), page.url_path or tree.default_path, lang)
        # The tab names the page: "한빛1동 · 잇다" (Streamlit would show the bare page title).
        st.set_page_config(page_title=t("tab.title", lang, page=page.title))
    except Exception as exc:  # e.g. the database is unreachable: one sentence, no traceback
        _log.exception("cannot start the app")
        # Database trouble: its kind's sentence and a retry button (lib.db_errors).
        if not ui.database_trouble(exc, lang):
            st.error(user_message(exc, lang) if _is_user_facing(exc) else t("error.page", lang))
        return
    path = page.url_path or tree.default_path
    if path != tree.unknown:  # an address that names no page is not a page view
        session.audit_page(engine, viewer, path, tree.refusals.get(path, "ok"))
    if path not in tree.refusals and not presenting:  # a slide's footer says whose it is
        gate.banner(viewer, lang)
        for notice in ui.filter_notices():
            st.warning(ui.notice_text(notice, lang), icon=":material/event_busy:")
    started = time.perf_counter()
    with ui.error_boundary(lang, path):
        page.run()
    drawn = time.perf_counter() - started
    logs.page_view(_log, path, viewer, drawn)  # path, kind of viewer, seconds; no person
    profiling.note_page(path, drawn)


def _page_region(path: str, regions_: RegionTree) -> str | None:
    """The region or neighbourhood code a page shows (the top for the overview), or None."""
    if path == OVERVIEW:
        return regions_.top.code
    found = ui.data_page(path)
    if found is None or found[0] == "agency":
        return None
    return found[1]


# Filters bound to the URL travel with st.switch_page by themselves (views/overview.py).
_BOUND_KEYS = (ui.PERIOD_KEY, ui.FROM_KEY, ui.TO_KEY, ui.LANG_KEY)


def _follow_picker(tree: _Tree) -> None:
    """Open the page the picker's select boxes chose (registered in this run's tree)."""
    path = _goto_path(tree.regions) if tree.regions is not None else ""
    st.session_state.pop(ui.PICK_GOTO, None)
    target = tree.pages.get(path)
    if target is None:
        return
    # The next run finds the page by this address (its hash alone comes with the switch).
    st.session_state[_UNKNOWN_KEY] = path
    query = {k: v for k, v in ui.filter_query().items() if k not in _BOUND_KEYS}
    st.switch_page(target, query_params=query or None)


def _is_user_facing(exc: Exception) -> bool:
    """True for errors whose message helps the user (bad settings)."""
    from lib.errors import UserError

    return isinstance(exc, UserError)


with profiling.script_run():  # ITDA_PROFILE: one JSON line per run (off: nothing)
    main()
