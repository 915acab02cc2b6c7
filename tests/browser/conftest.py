"""Browser-test fixtures: 테스트시 on SQLite and PostgreSQL, a Streamlit server for each,
Debian's Chromium driven by Playwright, and a screenshot of every test.

Tests take `base_url` to run on both databases, or `sqlite_base_url` for SQLite only, and
`page` for a fresh Korean-locale tab. Screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from lib.db import make_engine, migrate
from tests.conftest import _PG_SKIP_REASON, _drop_postgres_schema, _new_postgres_schema
from tests.fixture_city import load_fixture_city
from tests.server import PROJECT_ROOT, ServerHandle, start_streamlit

SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"
# Playwright's own browser download does not work here; Debian's chromium does.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
# Generous because two servers and Chromium share two cores in CI.
TIMEOUT_MS = 30_000
BACKENDS = ("sqlite", "postgresql")
# Assertions run after the script finished, but rendering can lag on a busy machine.
expect.set_options(timeout=10_000)


# ---- Databases and servers ----


def _fill_with_fixture_city(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            load_fixture_city(conn)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def city_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite file holding 테스트시."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-city') / 'city.db'}"
    _fill_with_fixture_city(url)
    return url


@pytest.fixture(scope="session")
def city_postgres_url(postgres_available: bool) -> Iterator[str]:
    """The URL of a new PostgreSQL schema holding 테스트시, dropped at the end."""
    if not postgres_available:
        # The same reason as tests/conftest.py, so ITDA_REQUIRE_POSTGRES=1 fails the run.
        pytest.skip(_PG_SKIP_REASON)
    schema, url = _new_postgres_schema()
    try:
        _fill_with_fixture_city(url)
        yield url
    finally:
        _drop_postgres_schema(schema)


def _started(url: str) -> Iterator[ServerHandle]:
    """A Streamlit server on `url` (a fresh process: test_navigation.py checks that its
    very first visit, by deep link, works too)."""
    with start_streamlit(url, env={"ITDA_DEFAULT_LANG": "ko"}) as server:
        yield server


@pytest.fixture(scope="session")
def server_sqlite(city_sqlite_url: str, browser: Browser) -> Iterator[ServerHandle]:
    """The app serving 테스트시 from SQLite."""
    yield from _started(city_sqlite_url)


@pytest.fixture(scope="session")
def server_postgresql(city_postgres_url: str, browser: Browser) -> Iterator[ServerHandle]:
    """The app serving 테스트시 from PostgreSQL."""
    yield from _started(city_postgres_url)


@pytest.fixture(params=BACKENDS)
def base_url(request: pytest.FixtureRequest) -> str:
    """The app's root URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"server_{request.param}").base_url


@pytest.fixture
def sqlite_base_url(server_sqlite: ServerHandle) -> str:
    """The app's root URL on SQLite only (views whose SQL the PostgreSQL runs already cover)."""
    return server_sqlite.base_url


# ---- Browser ----


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; fails (never skips) when it is not installed."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed, so the browser tests cannot run. Install Debian's "
            "'chromium' and 'fonts-noto-cjk' packages (bin/test does this when run as root).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _artifact_name(test_name: str) -> str:
    """A file-name-safe version of a test's name (parameters kept)."""
    return re.sub(r"[^\w.\[\]-]+", "_", test_name)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new tab (Korean locale, 1440×900); screenshotted after the test, pass or fail."""
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{_artifact_name(request.node.name)}.png"
        try:
            tab.screenshot(path=str(path), full_page=True, timeout=10_000)
        except Exception as exc:  # a crashed tab must not hide the test's own failure
            print(f"screenshot {path} failed: {exc}")
        context.close()


# ---- Helpers for tests ----


def wait_for_app(page: Page) -> None:
    """Return once the app is connected, its script has finished and nothing is loading."""
    # Widget changes are debounced before a rerun starts (Streamlit's own e2e idiom).
    page.wait_for_timeout(210)
    app = page.get_by_test_id("stApp")
    app.and_(page.locator("[data-test-connection-state='CONNECTED']")).wait_for(state="attached")
    not_running = app.and_(page.locator("[data-test-script-state='notRunning']"))
    not_running.wait_for(state="attached")
    # Right after connecting the state can read notRunning before the first run starts;
    # the skeleton stays until that run delivers something, so wait for both, in turn.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
    not_running.wait_for(state="attached")


def view_url(base_url: str, path: str = "/", **query: str) -> str:
    """The URL of a view: `path` under `base_url`, with `query` as its query string."""
    url = base_url.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/")
    return url + ("?" + urlencode(query) if query else "")


def open_view(page: Page, base_url: str, path: str = "/", **query: str) -> str:
    """Open a view by URL, wait until its script finished; return the URL opened."""
    url = view_url(base_url, path, **query)
    page.goto(url)
    wait_for_app(page)
    return url


# URLs that never leave the browser.
LOCAL_SCHEMES = ("data", "blob")


def foreign_requests(requests: list[str], origin: str) -> list[str]:
    """The requested URLs that leave the app's own origin (scheme, host and port)."""
    own = urlsplit(origin)
    foreign = []
    for url in requests:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        # The WebSocket is ws:// to the same host and port.
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        if (scheme, parts.hostname, parts.port) != (own.scheme, own.hostname, own.port):
            foreign.append(url)
    return foreign


def wait_for_query(page: Page, path: str, **query: str) -> None:
    """Wait until the browser's URL is `path` with exactly the query parameters `query`."""
    wanted_path = "/" + path.lstrip("/")

    def matches(url: str) -> bool:
        parts = urlsplit(url)
        return unquote(parts.path) == wanted_path and dict(parse_qsl(parts.query)) == query

    # The URL is rewritten 0.1–0.5 s after the script reports notRunning (platform notes §1).
    page.wait_for_url(matches)


def assert_no_errors(
    page: Page, allow_warnings: bool = False, timeout_ms: float | None = None
) -> None:
    """Fail when the page shows an exception, an error box, a dialog (e.g. Page not found)
    or, unless allowed, a warning box (a failed section of a page is shown as a warning)."""
    options = {} if timeout_ms is None else {"timeout": timeout_ms}
    expect(page.get_by_test_id("stException")).to_have_count(0, **options)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0, **options)
    if not allow_warnings:
        expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0, **options)
    expect(page.get_by_role("dialog")).to_have_count(0, **options)


def metric_tile(page: Page, key: str) -> Locator:
    """The tile of metric `key` (app: `st.container(key="metric-<key>")`)."""
    return page.locator(f".st-key-metric-{key}")


def expect_metric(
    page: Page,
    key: str,
    value: str,
    delta: str | None = None,
    label: str | None = None,
    note: str | None = None,
) -> None:
    """Assert the text a metric tile shows: value, and when given delta, label and note."""
    tile = metric_tile(page, key)
    expect(tile.get_by_test_id("stMetricValue")).to_have_text(value)
    if delta is not None:
        expect(tile.get_by_test_id("stMetricDelta")).to_have_text(delta)
    if label is not None:
        expect(tile.get_by_test_id("stMetricLabel")).to_have_text(label)
    if note is not None:
        # The caption under the tile, not the metric's own "vs previous" description.
        caption = tile.locator("[data-testid=stCaptionContainer]:not([data-testid=stMetric] *)")
        expect(caption).to_have_text(note)
