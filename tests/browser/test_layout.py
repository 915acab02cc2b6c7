"""Every page kind at 1440×900 and on a phone (390×844): the layout holds.

One server (테스트시 on SQLite) and one tab per screen size, reused from page to page. On
each page:

(a) nothing overflows sideways: neither the document nor Streamlit's scroll container
    (`stMain`) nor the sidebar is wider than its box (a table may scroll inside itself);
(b) no heading, metric label, value or comparison is cut ("…" or clipped);
(c) a page that shows changes names its comparison period with its dates;
(d) every request goes to the app's own origin (others are refused, as on a closed network);
(e) text is readable: at least 4.5:1 against the colour behind it (WCAG 2.1 AA), worked out
    from the computed colours, opacity included;
(f) the section links under the header point at headings that exist;
(g) no English word on the Korean page (`tests/browser/text_checks.py`), on the phone too.

The sidebar starts open on a desktop and closed on a phone, where its button opens it with
the navigation and the filters; a section link scrolls to its heading and leaves the URL's
query (the filters) alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, WebSocket, expect

from lib.db import make_engine
from tests.browser.conftest import (
    SCREENSHOT_DIR,
    TIMEOUT_MS,
    assert_no_errors,
    foreign_requests,
    open_view,
    wait_for_query,
)
from tests.browser.text_checks import RECORD_NUMBERS, assert_no_english
from tests.fixture_city import NEIGHBOURHOODS, A
from tests.server import ServerHandle

pytestmark = pytest.mark.browser

SIZES = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    # A phone's screen (an iPhone 13's, or a Galaxy's) and a phone's browser: Streamlit
    # tells a phone by its user agent (it closes the sidebar once a page is chosen there).
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
        "user_agent": (
            "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
        ),
    },
}
# One page of each kind an open-mode visitor can reach.
PAGES = {
    "overview": "/",
    "neighbourhood": f"/nb-{A}",
    "network": "/case-sharing",
    "agency": "/agency-AG03",
    "donations": "/city-donations",
    "definitions": "/metric-definitions",
    "data": "/data-import",
    "links": "/share-links",
    "audit": "/audit-log",
}
# The pages that show changes against a comparison period.
WITH_CHANGES = ("overview", "neighbourhood", "network", "agency", "donations")
# The pages with section links under the header, and their anchors.
SECTIONS = {
    "overview": ["headline", "table", "ranking", "trends"],
    "neighbourhood": ["caseload", "donations", "sharing", "outreach", "self_sufficiency"],
    "network": ["agencies", "flows", "graph", "statuses", "overdue"],
    "agency": ["directions", "response-trend", "pending", "partners"],
    "donations": ["by-neighbourhood", "by-month"],
    "definitions": [
        "def-caseload",
        "def-donations",
        "def-sharing",
        "def-outreach",
        "def-self_sufficiency",
    ],
}
MIN_CONTRAST = 4.5
NEIGHBOURHOOD = NEIGHBOURHOODS[0][1]  # 온양1동, the page of A

# (a) The widths of the boxes that must not scroll sideways.
_OVERFLOW_JS = """() => {
    const box = (sel) => {
        const el = document.querySelector(sel);
        return el ? {scroll: el.scrollWidth, client: el.clientWidth} : null;
    };
    return {
        document: {scroll: document.documentElement.scrollWidth, client: window.innerWidth},
        main: box('[data-testid=stMain]'),
        // The sidebar's content, when the sidebar is open.
        sidebar: document.querySelector('[data-testid=stSidebar][data-collapsed=false]')
            ? box('[data-testid=stSidebarUserContent]') : null,
    };
}"""

# (b) Text boxes narrower than their text: headings, the parts of a metric tile.
_CUT_JS = """() => {
    const selectors = [
        '[data-testid=stMain] :is(h1, h2, h3)',
        '[data-testid=stMetric] :is(label, div, p)',
    ];
    const cut = [];
    for (const el of document.querySelectorAll(selectors.join(','))) {
        if (el.getClientRects().length === 0) continue;
        if (el.scrollWidth > el.clientWidth + 1) {
            cut.push(`${el.textContent.trim()} (${el.scrollWidth} > ${el.clientWidth})`);
        }
    }
    return cut;
}"""

# (e) The contrast of every visible piece of text against what is behind it. Colours with
# alpha and the opacity of ancestors are composed over the nearest opaque background.
# Charts (SVG, canvas) and the data grid draw their own text and are left out; so are icons
# (Material ligatures, non-text) and disabled controls (WCAG exempts inactive components).
_CONTRAST_JS = """() => {
    const parse = (c) => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]));
    const luminance = (c) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const b = parse(getComputedStyle(e).backgroundColor);
            if (b && b[3] > 0) { layers.push(b); if (b[3] >= 1) break; }
        }
        let bg = [255, 255, 255];
        for (const layer of layers.reverse()) bg = over(layer, bg);
        return bg;
    };
    const opacity = (el) => {
        let o = 1;
        for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
        return o;
    };
    const skip = 'svg, canvas, [data-testid=stDataFrame], [data-testid=stIconMaterial], '
        + '[disabled], [aria-disabled=true], [data-testid=stSkeleton]';
    const low = [];
    for (const el of document.querySelectorAll('[data-testid=stApp] *')) {
        const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
        if (!text || el.closest(skip)) continue;
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || s.visibility === 'hidden') continue;
        const alpha = opacity(el);
        if (alpha === 0) continue;  // laid out but not shown (e.g. measured menu items)
        const bg = background(el), fg = parse(s.color);
        const shown = over([fg[0], fg[1], fg[2], fg[3] * alpha], bg);
        const [hi, lo] = [luminance(shown), luminance(bg)].sort((x, y) => y - x);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < MIN) low.push(`${text.slice(0, 40)}: ${ratio.toFixed(2)} (${s.color} on rgb(${bg.map(Math.round)}))`);
    }
    return low;
}""".replace("MIN", str(MIN_CONTRAST))

# (f) Section links whose anchor is not on the page.
_SECTION_LINKS_JS = """() => [...document.querySelectorAll('.itda-section-links a')].map(
    a => [a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))]
)"""


@dataclass
class Tab:
    """A tab of one screen size, and what it has sent: requests, and WebSocket messages."""

    size: str
    page: Page
    requests: list[str] = field(default_factory=list)
    messages: list[object] = field(default_factory=list)


@pytest.fixture(scope="module", params=list(SIZES))
def tab(
    request: pytest.FixtureRequest, browser: Browser, server_sqlite: ServerHandle
) -> Iterator[Tab]:
    """A tab of each size, for every test of that size (one browser, one server).

    Requests to other origins are refused, as on a closed network, and recorded.
    """
    size = request.param
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", **SIZES[size])
    context.set_default_timeout(TIMEOUT_MS)
    tab = Tab(size, context.new_page())
    context.on("request", lambda r: tab.requests.append(r.url))
    context.route(
        lambda url: bool(foreign_requests([url], server_sqlite.base_url)),
        lambda route: route.abort(),
    )

    def watch(socket: WebSocket) -> None:
        tab.requests.append(socket.url)
        socket.on("framesent", lambda frame: tab.messages.append(frame))

    tab.page.on("websocket", watch)
    try:
        yield tab
    finally:
        context.close()


def _typed_words(url: str) -> set[str]:
    """The words people typed into the database: share links' labels and creators."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT label, created_by FROM share_link")).all()
    finally:
        engine.dispose()
    return {word for row in rows for text in row if text for word in re.split(r"[\s:@.]+", text)}


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"layout-{name}.png"), full_page=True)


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_layout(
    tab: Tab, server_sqlite: ServerHandle, city_sqlite_url: str, kind: str
) -> None:
    page, requests = tab.page, tab.requests
    requests.clear()
    open_view(page, server_sqlite.base_url, PAGES[kind], period="2024")
    # Charts draw after the script has finished; their fonts and data come in then.
    page.wait_for_load_state("networkidle")
    _screenshot(page, f"{tab.size}-{kind}")
    assert_no_errors(page, allow_warnings=True)

    # (a) nothing wider than its box
    widths = page.evaluate(_OVERFLOW_JS)
    for box, width in widths.items():
        if width is not None:
            assert width["scroll"] <= width["client"], f"{box} overflows sideways: {widths}"

    # (b) no cut heading or metric text
    assert page.evaluate(_CUT_JS) == []

    # (c) the comparison named, with its dates (2024 is compared with 2023, 전기)
    if kind in WITH_CHANGES:
        expect(
            page.get_by_text("비교 기간 전기 2023년 (2023.01.01–2023.12.31)").first
        ).to_be_visible()

    # (d) nothing from another origin
    assert requests, "no request was recorded"
    assert foreign_requests(requests, server_sqlite.base_url) == []

    # (e) readable text
    assert page.evaluate(_CONTRAST_JS) == []

    # (f) section links to headings of the page
    links = page.evaluate(_SECTION_LINKS_JS)
    assert links == [[f"#{anchor}", True] for anchor in SECTIONS.get(kind, [])]

    # (g) Korean throughout; what people typed (other tests' link labels and creators on
    # this shared server) is theirs
    assert_no_english(page, allowed=RECORD_NUMBERS | _typed_words(city_sqlite_url))


def _after_text(element) -> str:
    """What CSS writes after an element (`content` of ::after), quotes included."""
    return element.evaluate("el => getComputedStyle(el, '::after').content")


def _sidebar_box(page: Page) -> dict:
    return page.get_by_test_id("stSidebar").evaluate(
        "el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; }"
    )


def test_sidebar_open_on_a_desktop_closed_on_a_phone(tab: Tab, server_sqlite: ServerHandle) -> None:
    page = tab.page
    open_view(page, server_sqlite.base_url, "/", period="2024")
    sidebar = page.get_by_test_id("stSidebar")
    period = sidebar.get_by_text("기간", exact=True)
    if tab.size == "desktop":
        assert _sidebar_box(page)["left"] >= 0
        expect(period).to_be_in_viewport()
        # The navigation is at the top; the sidebar holds the filters only.
        expect(page.get_by_test_id("stTopNavSection").first).to_be_visible()
        return
    # On a phone it would cover the page: it starts off screen.
    assert _sidebar_box(page)["right"] <= 0
    expect(period).not_to_be_in_viewport()
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(period).to_be_in_viewport()
    expect(sidebar.get_by_text("비교 기준", exact=True)).to_be_in_viewport()
    # Streamlit moves the top navigation into the sidebar on a narrow screen.
    nav = sidebar.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="시 전체 개요")).to_be_in_viewport()
    hood = nav.get_by_role("link", name=NEIGHBOURHOOD, exact=True)
    expect(hood).to_be_visible()
    _screenshot(page, "phone-sidebar")
    # Past ten pages the list ends in "View N more"; behind it, every page of the city:
    # the overview, 3 neighbourhoods, the network and 5 agencies, donations, definitions,
    # reports, share links, data import, audit log = 16.
    more = nav.get_by_test_id("stSidebarNavViewButton")
    assert _after_text(more) == '"메뉴 모두 보기"'  # Streamlit's own words are hidden
    more.click()
    expect(nav.get_by_test_id("stSidebarNavLink")).to_have_count(16)
    assert _after_text(more) == '"메뉴 접기"'
    expect(nav.get_by_role("link", name="감사 기록")).to_be_visible()
    # Choosing a page there closes the sidebar over the new page.
    hood.click()
    wait_for_query(page, f"nb-{A}", period="2024")
    expect(page.get_by_role("heading", name=NEIGHBOURHOOD, exact=True)).to_be_in_viewport()
    expect(period).not_to_be_in_viewport()


def test_a_section_link_scrolls_to_its_heading_and_keeps_the_filters(
    tab: Tab, server_sqlite: ServerHandle
) -> None:
    page = tab.page
    open_view(page, server_sqlite.base_url, f"/nb-{A}", period="2024", compare="yoy")
    wait_for_query(page, f"nb-{A}", period="2024", compare="yoy")
    before = urlsplit(page.url)
    heading = page.locator("h2#outreach")
    expect(heading).not_to_be_in_viewport()
    tab.messages.clear()
    page.locator(".itda-section-links a[href='#outreach']").click()
    expect(heading).to_be_in_viewport()
    # Below the top bar (about 60 px), not under it.
    assert heading.evaluate("el => el.getBoundingClientRect().top") >= 60
    after = urlsplit(page.url)
    assert (after.path, after.query, after.fragment) == (before.path, before.query, "outreach")
    # The same page and no new run: nothing was sent to the server.
    page.wait_for_timeout(500)
    assert tab.messages == []
    expect(heading).to_be_in_viewport()


@pytest.mark.parametrize("kind", ["overview", "neighbourhood"])
def test_tiles_fit_on_a_laptop_with_the_sidebar_open(
    browser: Browser, server_sqlite: ServerHandle, kind: str
) -> None:
    # 1024 px less the sidebar leaves about 650 px: tiles go two in a row, nothing is cut.
    context = browser.new_context(locale="ko-KR", viewport={"width": 1024, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        open_view(page, server_sqlite.base_url, PAGES[kind], period="2024")
        assert _sidebar_box(page)["left"] >= 0
        widths = page.evaluate(_OVERFLOW_JS)
        assert all(w is None or w["scroll"] <= w["client"] for w in widths.values()), widths
        assert page.evaluate(_CUT_JS) == []
        tiles = page.locator("[data-testid=stMetric]")
        expect(tiles.first).to_be_visible()
        lefts = {round(box["x"]) for box in (t.bounding_box() for t in tiles.all()) if box}
        assert len(lefts) == 2, lefts
        _screenshot(page, f"laptop-{kind}")
    finally:
        context.close()
