"""Two real servers (replicas) on one fresh PostgreSQL database, in Chromium.

- Both are opened at once on an empty, unmigrated database: one migrates and builds the
  demo city, the other waits; both show it, with no error.
- A share link opens on either replica (the key is kept in the database).
- The database goes away (connections ended, new ones refused): a reload shows one sentence
  and a retry button; when it returns, the retry shows the figures — no restart.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lib import access
from lib.db import make_engine
from tests.browser.conftest import (
    SCREENSHOT_DIR,
    TIMEOUT_MS,
    VIEWPORT,
    assert_no_errors,
    wait_for_app,
)
from tests.pg_databases import drop_database, new_database, set_connections
from tests.server import ServerHandle, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUILDING = "database is empty: building the demo city"
UNREACHABLE = (
    "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 알려 주세요."
)


@pytest.fixture
def replicas(postgres_available, browser: Browser) -> Iterator[tuple[str, str, list[ServerHandle]]]:
    """(database name, URL, [server A, server B]) on a new empty database, demo on empty."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable")
    name, url = new_database("itda_replica_servers")
    env = {"ITDA_DEMO_ON_EMPTY": "1", "ITDA_DEFAULT_LANG": "ko", "ITDA_SHARE_SECRET": ""}
    servers: list[ServerHandle] = []
    try:
        for _ in range(2):
            servers.append(start_streamlit(url, env=env))
        yield name, url, servers
    finally:
        for server in servers:
            server.stop()
        drop_database(name)


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _tiles(page: Page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()


def test_two_replicas_one_database(replicas, browser: Browser) -> None:
    name, url, (a, b) = replicas
    context = _context(browser)
    try:
        first, second = context.new_page(), context.new_page()
        # Both replicas' first sessions start together on the empty database.
        first.goto(a.base_url + "/?period=2024", wait_until="commit")
        second.goto(b.base_url + "/?period=2024", wait_until="commit")
        for page in (first, second):
            wait_for_app(page)
            expect(page.get_by_role("heading", level=1)).to_contain_text("한빛시")
            expect(page.get_by_test_id("stMetric")).to_have_count(8)
            assert_no_errors(page)
        assert _tiles(first) == _tiles(second)
        logs = [a.log(), b.log()]
        assert sum(BUILDING in log for log in logs) == 1, logs
        assert not any("Traceback" in log for log in logs), logs

        # A share link opens on either replica.
        engine = make_engine(url)
        with engine.connect() as conn:
            code, hood = conn.execute(
                sa.text("SELECT code, name FROM neighbourhood ORDER BY code LIMIT 1")
            ).one()
        _link, link_url = access.create_link(
            engine, created_by="replica-test", neighbourhood_codes=[code], label="추진단"
        )
        engine.dispose()
        token = link_url.rsplit("/", 1)[1]
        for server in (a, b):
            partner = _context(browser)
            try:
                tab = partner.new_page()
                tab.goto(f"{server.base_url}/share/{token}")
                wait_for_app(tab)
                expect(tab.get_by_role("heading", level=1)).to_contain_text(hood)
                assert_no_errors(tab, allow_warnings=True)
            finally:
                partner.close()

        # The database goes away; the page says so and offers a retry.
        figures = _tiles(first)
        set_connections(name, allowed=False)
        first.wait_for_timeout(2100)  # past the data version's two seconds
        first.reload()
        wait_for_app(first)
        expect(first.get_by_test_id("stAlertContentError")).to_contain_text(UNREACHABLE)
        expect(first.get_by_test_id("stException")).to_have_count(0)
        retry = first.get_by_role("button", name="다시 시도")
        expect(retry).to_be_visible()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        first.screenshot(path=str(SCREENSHOT_DIR / "test_replicas-database-down.png"))
        # It comes back: the retry shows the figures, the server was never restarted.
        set_connections(name, allowed=True)
        retry.click()
        wait_for_app(first)
        expect(first.get_by_test_id("stMetric")).to_have_count(8)
        assert_no_errors(first)
        assert _tiles(first) == figures
        assert a.process.poll() is None and b.process.poll() is None
    finally:
        context.close()
