"""The maps in Chromium (SQLite; the queries' PostgreSQL runs are in tests/test_boundaries.py
and tests/test_app_map.py): the overview draws one shape per neighbourhood that has one,
a click opens that neighbourhood with the filters kept, the locator marks a neighbourhood,
nothing is asked of another origin, and without boundaries there is no map at all.

Streamlit draws Vega-Lite with the SVG renderer: each layer is a `<g>` with the class
`<layer name>_marks`, and each shape a `path` with `aria-roledescription="geoshape"`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from lib.charts.theme import ORANGE
from lib.db import make_engine, migrate
from tests.browser.conftest import (
    TIMEOUT_MS,
    assert_no_errors,
    foreign_requests,
    open_view,
    wait_for_app,
    wait_for_query,
)
from tests.browser.test_downloads import csv_rows, fetch, png_size, svg_texts
from tests.fixture_city import A, B, load_fixture_city
from tests.fixture_geo import import_city_boundaries
from tests.server import ServerHandle, start_streamlit

pytestmark = pytest.mark.browser

SHAPES = "g.map_areas_marks path[aria-roledescription='geoshape']"
COLOURS = "g.map_colours_marks path[aria-roledescription='geoshape']"
# The locator has no tooltip, so its paths carry no ARIA role: found by its view's class.
LOCATOR = "g.map_locator_marks path"


@pytest.fixture(scope="module")
def mapped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """The app serving 테스트시 with the shapes of 온양1동 and 배방읍 (tests/fixture_geo.py)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-map') / 'city.db'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            load_fixture_city(conn)
        import_city_boundaries(engine)
    finally:
        engine.dispose()
    with start_streamlit(url, env={"ITDA_DEFAULT_LANG": "ko"}) as server:
        yield server


def test_the_overview_draws_one_shape_per_neighbourhood_with_a_shape(
    page: Page, mapped_server: ServerHandle
) -> None:
    open_view(page, mapped_server.base_url, "/", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="지도로 보기")).to_be_visible()
    expect(page.locator(SHAPES)).to_have_count(2)  # 송악면 has no shape
    expect(page.locator(COLOURS)).to_have_count(2)  # both have a value
    # The tooltip's words are in the shape's label for assistive technology.
    label = page.locator(SHAPES).nth(1).get_attribute("aria-label") or ""
    assert "배방읍" in label and "3곳 중 2위" in label
    page.locator(SHAPES).first.scroll_into_view_if_needed()


def test_a_click_on_a_shape_opens_its_page_with_the_filters(
    page: Page, mapped_server: ServerHandle
) -> None:
    open_view(page, mapped_server.base_url, "/", period="2024", compare="prev", lang="en")
    label = page.locator("g.map_labels_marks text", has_text="배방읍")
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    assert box is not None
    # The name lets the click through to the shape beneath it.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_query(page, f"/nb-{B}", period="2024", compare="prev", lang="en")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="배방읍", exact=True)).to_be_visible()
    assert_no_errors(page)
    # The locator: both shapes, this one (drawn last) highlighted in orange.
    expect(page.locator(LOCATOR)).to_have_count(2)
    expect(page.locator(LOCATOR).nth(1)).to_have_attribute("fill", ORANGE)


def test_the_map_asks_no_other_origin(page: Page, mapped_server: ServerHandle) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: requests.append(socket.url))
    page.route(
        lambda url: bool(foreign_requests([url], mapped_server.base_url)),
        lambda route: route.abort(),
    )
    open_view(page, mapped_server.base_url, "/", period="2024")
    expect(page.locator(SHAPES)).to_have_count(2)
    open_view(page, mapped_server.base_url, f"/nb-{A}", period="2024")
    expect(page.locator(LOCATOR)).to_have_count(2)
    page.wait_for_load_state("networkidle")
    assert requests and foreign_requests(requests, mapped_server.base_url) == []


def test_no_map_without_boundaries(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "/", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="월별 추이")).to_be_visible()  # the page is drawn
    expect(page.get_by_role("heading", name="지도로 보기")).to_have_count(0)
    expect(page.locator("[aria-roledescription='geoshape']")).to_have_count(0)
    open_view(page, sqlite_base_url, f"/nb-{A}", period="2024")
    expect(page.get_by_role("heading", name="온양1동")).to_be_visible()
    expect(page.locator("g.mark-shape path")).to_have_count(0)


def test_the_maps_fit_a_phone(browser: Browser, mapped_server: ServerHandle) -> None:
    """At 390×844 the overview's map and the locator are drawn whole, and the page does not
    scroll sideways because of them."""
    context = browser.new_context(
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        for path, shapes in (("/", SHAPES), (f"/nb-{A}", LOCATOR)):
            open_view(page, mapped_server.base_url, path, period="2024")
            assert_no_errors(page)
            expect(page.locator(shapes)).to_have_count(2)
            chart = page.locator("[data-testid=stVegaLiteChart]", has=page.locator(shapes))
            box = chart.first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
            widths = page.evaluate(
                "[document.documentElement.scrollWidth,"
                " document.querySelector('[data-testid=stMain]').scrollWidth]"
            )
            assert max(widths) <= 390, widths
    finally:
        context.close()


def test_the_map_as_files(page: Page, mapped_server: ServerHandle) -> None:
    """The map draws as a file too (vl-convert projects the GeoJSON shapes itself), and its
    data is the ranking's: active cases per 1,000 households on 2024-12-31, 온양1동 C02 C05
    C07 C08 = 4 of 1,000 → 4.0, 배방읍 C11 C14 C17 = 3 of 2,000 → 1.5, 송악면 0 of 500 → 0."""
    open_view(page, mapped_server.base_url, "/", period="2024")
    expect(page.locator(SHAPES)).to_have_count(2)
    name, png = fetch(page, "overview_map", "png")
    assert name == "잇다_테스트시_지도로보기1천세대당진행사례_2024.png"
    assert png_size(png)[0] == 1600
    _, svg = fetch(page, "overview_map", "svg")
    texts = svg_texts(svg)
    assert "온양1동" in texts and "배방읍" in texts  # the names over the shapes
    assert b"<path" in svg  # the shapes, as vectors
    rows = csv_rows(fetch(page, "overview_map", "csv")[1])
    assert rows == [
        ["읍면동", "1천 세대당 진행 사례", "순위"],
        ["온양1동", "4", "1"],
        ["배방읍", "1.5", "2"],
        ["송악면", "0", "3"],
    ]
