"""Two replicas behind nginx, as docs/deploy.md sets them up: deploy/nginx.conf itself (only
its ports, certificate and log paths changed, tests/nginx_site.py), TLS, the itda_route
cookie keeping each browser on one replica, and the WebSocket upgrade (a Streamlit page
only draws over its WebSocket).

Two browsers whose route cookies hash to different replicas each load the overview over
HTTPS, and nginx's access log (`$upstream_addr`) shows every request of each browser,
WebSocket included, reaching its own replica and only that one. A new browser gets its
route cookie (HttpOnly, Secure) on its first answer.
"""

from __future__ import annotations

import collections
import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests import nginx_site
from tests.browser.conftest import assert_no_errors, wait_for_app
from tests.server import ServerHandle, free_port, start_streamlit

pytestmark = pytest.mark.slow

_LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+)" (?P<status>\d+) \S+ \S+ (?P<upstream>\S+)$'
)


@pytest.fixture(scope="module")
def replicas(city_sqlite_url: str) -> Iterator[tuple[ServerHandle, ServerHandle]]:
    first = start_streamlit(city_sqlite_url)
    try:
        second = start_streamlit(city_sqlite_url)
    except BaseException:
        first.stop()
        raise
    try:
        yield first, second
    finally:
        first.stop()
        second.stop()


@pytest.fixture(scope="module")
def proxy(replicas, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    nginx = shutil.which("nginx")
    assert nginx, "nginx is needed (bin/test installs Debian's nginx-light)"
    folder = tmp_path_factory.mktemp("nginx")
    nginx_site.self_signed(folder)
    port = free_port()
    text = nginx_site.site(folder, replicas=tuple(r.port for r in replicas), https_port=port)
    main = nginx_site.main_config(folder, text)
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                _get(base + "/_stcore/health")
                break
            except OSError:
                time.sleep(0.2)
        yield base, folder / "itda.access.log"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str, cookie: str | None = None) -> tuple[int, list[str], dict[str, str]]:
    """Status, Set-Cookie headers (there may be several) and the other headers."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # self-signed
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, cookies, dict(response.headers)


def _upstreams(log: Path) -> list[tuple[str, str]]:
    """(path, upstream address) of every request nginx logged so far."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [(m["path"], m["upstream"]) for m in map(_LOG_LINE.search, lines) if m]


def _routes_to_each_replica(base: str, log: Path, replicas) -> dict[str, str]:
    """A route key that nginx sends to each replica: probed with /_stcore/health."""
    found: dict[str, str] = {}
    for n in range(64):
        key = f"probe{n}"
        before = len(_upstreams(log))
        _get(base + "/_stcore/health", cookie=f"itda_route={key}")
        for _ in range(20):  # the log line is written as the request ends
            new = _upstreams(log)[before:]
            if new:
                break
            time.sleep(0.05)
        found.setdefault(new[-1][1], key)
        if len(found) == len(replicas):
            return found
    raise AssertionError(f"every probe went to the same replica: {found}")


def test_a_new_browser_gets_its_route_cookie(proxy):
    base, _ = proxy
    status, cookies, headers = _get(base + "/_stcore/health")
    assert status == 200
    routes = [c for c in cookies if c.startswith("itda_route=")]
    assert len(routes) == 1 and "HttpOnly" in routes[0] and "Secure" in routes[0], cookies
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
    # a browser that has its route is not given another one
    _, again, _ = _get(base + "/_stcore/health", cookie=routes[0].split(";")[0])
    assert not [c for c in again if c.startswith("itda_route=")], again


def test_each_browser_stays_on_its_replica_over_tls_and_websocket(
    proxy, replicas, browser: Browser
):
    base, log = proxy
    routes = _routes_to_each_replica(base, log, replicas)
    addresses = {f"127.0.0.1:{r.port}" for r in replicas}
    assert set(routes) == addresses
    seen: dict[str, collections.Counter] = {}
    for upstream, key in routes.items():
        context = browser.new_context(ignore_https_errors=True, locale="ko-KR")
        context.add_cookies([{"name": "itda_route", "value": key, "url": base}])
        page = context.new_page()
        before = len(_upstreams(log))
        page.goto(base + "/?period=2024")
        wait_for_app(page)
        # drawn over the WebSocket, through nginx: the page's title and its tiles
        expect(page).to_have_title(re.compile("잇다"))
        expect(page.get_by_test_id("stMetric").first).to_be_visible()
        assert_no_errors(page)
        context.close()
        # nginx logs a request when it ends: the WebSocket's, once the browser has gone
        for _ in range(50):
            requests = _upstreams(log)[before:]
            if any(path == "/_stcore/stream" for path, _ in requests):
                break
            time.sleep(0.1)
        assert any(path == "/_stcore/stream" for path, _ in requests), requests
        seen[upstream] = collections.Counter(u for _, u in requests)
    for upstream, counts in seen.items():
        assert set(counts) == {upstream}, (upstream, counts)  # one replica, every request
