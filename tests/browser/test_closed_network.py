"""Closed government networks (망분리): the app never asks another origin for anything.

On a city's closed network only the app's own server answers, so every request a page makes
(scripts, styles, fonts, the tab icon, the WebSocket) must go to the app's own origin;
`data:` and `blob:` URLs never leave the browser. And the font the product uses, Pretendard
GOV, must come from the app itself (static/fonts/, served at app/static/) and actually be
the one the text is drawn in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_no_errors, foreign_requests, wait_for_app
from tests.server import ServerHandle

pytestmark = pytest.mark.browser

FAMILY = "Pretendard GOV"
# The overview, a neighbourhood, the network and the definitions: one of each page kind
# that draws charts, tables and tiles.
PATHS = ("/", "/nb-4420011000", "/case-sharing", "/metric-definitions")


def _is_own_or_local(url: str, origin: str) -> bool:
    return not foreign_requests([url], origin)


def _used_font(page: Page) -> dict:
    """What the browser knows about Pretendard GOV once every font has loaded."""
    return page.evaluate(
        """async (family) => {
            await document.fonts.ready;
            const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, "") === family);
            // What the page itself made the browser load, before this test asks for anything.
            const used = faces.filter(f => f.status === "loaded").map(f => f.weight);
            // Then: are normal and bold Korean and Latin text available in it?
            await Promise.all([
                document.fonts.load(`16px "${family}"`, "잇다 Itda"),
                document.fonts.load(`bold 16px "${family}"`, "잇다 Itda"),
            ]);
            const heading = document.querySelector("h1, h2, h3");
            const body = document.querySelector("[data-testid=stMarkdownContainer] p");
            return {
                status: document.fonts.status,
                used: used,
                faces: faces.length,
                check: document.fonts.check(`16px "${family}"`, "잇다 Itda"),
                checkBold: document.fonts.check(`bold 16px "${family}"`, "잇다 Itda"),
                body: body ? getComputedStyle(body).fontFamily : null,
                heading: heading ? getComputedStyle(heading).fontFamily : null,
            };
        }""",
        FAMILY,
    )


@pytest.mark.parametrize("path", PATHS)
def test_every_request_stays_on_the_app_and_the_font_is_pretendard_gov(
    page: Page, server_sqlite: ServerHandle, path: str
) -> None:
    requests: list[str] = []
    # The whole tab's traffic: the page, its workers and its WebSocket.
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))
    # Other origins are refused, as on a closed network: a request that fails must still
    # be recorded (the listener above sees it before it is answered).
    page.route(
        lambda url: not _is_own_or_local(url, server_sqlite.base_url),
        lambda route: route.abort(),
    )
    page.goto(f"{server_sqlite.base_url}{path}?period=2024")
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached"
    )
    wait_for_app(page)
    assert_no_errors(page)
    font = _used_font(page)
    # Late requests (chart fonts, the favicon) have happened by now.
    page.wait_for_load_state("networkidle")

    assert requests, "no request was recorded"
    assert foreign_requests(requests, server_sqlite.base_url) == []
    own_fonts = [u for u in requests if urlsplit(u).path.startswith("/app/static/fonts/")]
    assert own_fonts, "no font was fetched from the app's static files (app/static/fonts/)"

    assert font["status"] == "loaded", font
    assert font["faces"] >= 1 and "400" in font["used"], font
    assert font["check"] and font["checkBold"], font
    for where in ("body", "heading"):
        assert font[where] is not None and font[where].lstrip("'\"").startswith(FAMILY), font
