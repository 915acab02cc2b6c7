"""JSON logs from a real server (ITDA_LOG_FORMAT=json, lib.logs): Chromium opens a page as
an admin (open mode: every visitor has every right) and as a partner through a share link; the server's log gets one JSON
object per line, a `page_view` for each with the kind of viewer, the partner's link only as
its hash, and no e-mail, actor name, link id, token or query string."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from lib import access, logs
from lib.db import engine_for
from tests.browser.conftest import _fill_with_fixture_city, open_view, wait_for_app
from tests.fixture_city import A
from tests.server import ServerHandle, start_streamlit
from tests.test_production_config import JSON_LOGS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[tuple]:
    url = f"sqlite:///{tmp_path_factory.mktemp('json-logs') / 'city.db'}"
    _fill_with_fixture_city(url)
    with start_streamlit(url, env=JSON_LOGS) as server:
        yield server, url


def _events(server: ServerHandle) -> list[dict]:
    return [json.loads(line) for line in server.log().splitlines() if line.strip()]


def test_page_views_are_json_without_people(served, page: Page, browser: Browser) -> None:
    server, url = served
    open_view(page, server.base_url, f"nb-{A}", period="2024")
    link, share_url = access.create_link(
        engine_for(url), created_by="kim.minji@city.go.kr", neighbourhood_codes=[A]
    )
    token = share_url.rsplit("/", 1)[1]
    context = browser.new_context(locale="ko-KR")
    try:
        partner = context.new_page()
        partner.goto(f"{server.base_url}/share/{token}")
        wait_for_app(partner)
    finally:
        context.close()
    views = [e for e in _events(server) if e.get("event") == "page_view"]
    staff = [v for v in views if v["viewer"] == "admin"]
    partners = [v for v in views if v["viewer"] == "partner"]
    assert any(v["page"] == f"nb-{A}" for v in staff), views
    assert partners and {v["link"] for v in partners} == {logs.link_hash(link.id)}
    for view in views:
        assert set(view) <= {
            "time",
            "level",
            "logger",
            "event",
            "page",
            "viewer",
            "seconds",
            "link",
        }
        assert 0 <= view["seconds"] < 60
    text = server.log()
    for secret in ("@", "open-mode visitor", link.id, token, "period=2024"):
        assert secret not in text, secret
