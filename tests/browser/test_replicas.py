"""Two real servers (replicas) on one fresh PostgreSQL database, in Chromium, in oidc mode.

The replicas share what a city's deployment shares: the database, the `[auth]` block of
secrets.toml (its `cookie_secret` signs Streamlit's identity cookie) and ITDA_SHARE_SECRET.

- Both are opened at once on an empty, unmigrated database: one migrates and builds the
  demo city, the other waits; both show it, with no error.
- Signed in on A, the browser is still signed in when another replica answers at the same
  public address (Streamlit binds its identity cookie to the callback URL's origin, so
  replicas sit behind one address, as behind nginx).
- A share link opens on any replica.
- The database goes away (connections ended, new ones refused): a reload shows one sentence
  and a retry button; when it returns, the retry shows the figures — no restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

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
from tests.oidc import oidc_env, sign_in, start_provider, write_secrets
from tests.pg_databases import drop_database, new_database, set_connections
from tests.server import ServerHandle, free_port, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STAFF = "caseworker@itda.test"
BUILDING = "database is empty: building the demo city"
UNREACHABLE = (
    "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 알려 주세요."
)


@dataclass
class Replicas:
    """Replicas of one deployment: their database, and a way to start one more."""

    database: str
    url: str
    port: int  # the public port (the callback URL's): a replica started on it takes over
    start: Callable[..., ServerHandle]


@pytest.fixture
def replicas(postgres_available, browser: Browser, tmp_path, monkeypatch) -> Iterator[Replicas]:
    """A new empty database (demo on empty) and replicas started on it as the test asks."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable")
    name, url = new_database("itda_replica_servers")
    env = {
        **oidc_env(),  # one share-link secret for all
        "ITDA_DEMO_ON_EMPTY": "1",
        "ITDA_DEFAULT_LANG": "ko",
        "ITDA_STAFF_EMAILS": STAFF,
    }
    # This process makes a link as an operator would: with the replicas' secret.
    monkeypatch.setenv("ITDA_SHARE_SECRET", env["ITDA_SHARE_SECRET"])
    servers: list[ServerHandle] = []
    with start_provider() as provider:
        try:
            # Streamlit binds its identity cookie to the callback URL's origin: behind nginx
            # every replica has the public one. Here the public origin is one loopback port.
            port = free_port()
            client = provider.register_client(f"http://127.0.0.1:{port}/oauth2callback")
            secrets_file = write_secrets(tmp_path / "secrets.toml", provider, client)

            def start(on_port: int | None = None) -> ServerHandle:
                server = start_streamlit(url, port=on_port, env=env, secrets_file=secrets_file)
                servers.append(server)
                return server

            yield Replicas(name, url, port, start)
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


def _expect_city(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("한빛시")
    expect(page.get_by_test_id("stMetric")).to_have_count(8)
    assert_no_errors(page)


def test_two_replicas_one_database(replicas: Replicas, browser: Browser) -> None:
    a, b = replicas.start(replicas.port), replicas.start()
    context = _context(browser)
    try:
        first, second = context.new_page(), context.new_page()
        # Both replicas' first sessions start together on the empty database.
        first.goto(a.base_url, wait_until="commit")
        second.goto(b.base_url, wait_until="commit")
        wait_for_app(second)
        sign_in(first, a.base_url, STAFF)
        first.goto(a.base_url + "/?period=2024")
        wait_for_app(first)
        _expect_city(first)
        logs = [a.log(), b.log()]
        assert sum(BUILDING in log for log in logs) == 1, logs
        assert not any("Traceback" in log for log in logs), logs
        figures = _tiles(first)

        # Signed in on A, signed in on another replica at the same public address (A is
        # gone, as when nginx moves a session after a failure): the identity cookie is
        # signed with the shared [auth] cookie_secret, the role read from the settings.
        a.stop()
        c = replicas.start(replicas.port)
        first.reload()
        wait_for_app(first)
        _expect_city(first)
        expect(first.get_by_test_id("stSidebar").locator(".st-key-itda-user")).to_contain_text(
            STAFF
        )
        assert _tiles(first) == figures
        assert BUILDING not in c.log()

        # A share link opens on either replica.
        engine = make_engine(replicas.url)
        with engine.connect() as conn:
            code, hood = conn.execute(
                sa.text("SELECT code, name FROM neighbourhood ORDER BY code LIMIT 1")
            ).one()
        _link, link_url = access.create_link(
            engine, created_by="replica-test", neighbourhood_codes=[code], label="추진단"
        )
        engine.dispose()
        token = link_url.rsplit("/", 1)[1]
        for server in (b, c):
            partner = _context(browser)  # no staff cookie
            try:
                tab = partner.new_page()
                tab.goto(f"{server.base_url}/share/{token}")
                wait_for_app(tab)
                expect(tab.get_by_role("heading", level=1)).to_contain_text(hood)
                assert_no_errors(tab, allow_warnings=True)
            finally:
                partner.close()

        # The database goes away; the page says so and offers a retry.
        set_connections(replicas.database, allowed=False)
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
        set_connections(replicas.database, allowed=True)
        retry.click()
        wait_for_app(first)
        _expect_city(first)
        assert _tiles(first) == figures
        assert b.process.poll() is None and c.process.poll() is None
    finally:
        context.close()
