"""Partner share links in Chromium: redeemed through /share/<token>, in a fresh browser each.

The token moves into an HttpOnly cookie and out of the address bar; the link keeps working
through reloads and its own navigation; every other page, a revoked, tampered or expired
link shows only its refusal. Runs on SQLite and PostgreSQL (the session servers of
conftest.py, open mode: links are signed with the key the app keeps in the database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lib import access
from lib.db import engine_for
from tests.browser.conftest import (
    BACKENDS,
    SCREENSHOT_DIR,
    TIMEOUT_MS,
    VIEWPORT,
    _artifact_name,
    assert_no_errors,
    expect_metric,
    open_view,
    wait_for_app,
)
from tests.fixture_city import A, B, C

pytestmark = pytest.mark.browser

OUT_OF_SCOPE = "이 링크로는 열 수 없는 페이지입니다"


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(the app's root URL, its database URL), once on SQLite and once on PostgreSQL."""
    server = request.getfixturevalue(f"server_{request.param}")
    database = "postgres" if request.param == "postgresql" else request.param
    return server.base_url, request.getfixturevalue(f"city_{database}_url")


@pytest.fixture
def fresh(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A browser context of its own (no cookie of any other test); screenshotted after."""
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for number, tab in enumerate(context.pages):
        name = f"{_artifact_name(request.node.name)}-{number}.png"
        try:
            tab.screenshot(path=str(SCREENSHOT_DIR / name), full_page=True, timeout=10_000)
        except Exception as exc:  # a crashed tab must not hide the test's own failure
            print(f"screenshot {name} failed: {exc}")
    context.close()


def _link(db_url: str, **kw) -> tuple[access.LinkRecord, str]:
    link, url = access.create_link(engine_for(db_url), created_by="browser-test", **kw)
    return link, url.rsplit("/", 1)[1]


def _redeem(page: Page, base_url: str, token: str) -> None:
    page.goto(f"{base_url}/share/{token}")
    wait_for_app(page)


def _main_text(page: Page) -> str:
    return page.get_by_test_id("stApp").inner_text()


def test_a_neighbourhood_link_in_a_fresh_browser(served, fresh: BrowserContext) -> None:
    base_url, db_url = served
    _, token = _link(db_url, neighbourhood_codes=[C], label="송악면 추진단")
    page = fresh.new_page()
    _redeem(page, base_url, token)
    # The token left the address bar at once; the browser keeps it in an HttpOnly cookie.
    assert page.url == f"{base_url}/"
    (cookie,) = [c for c in fresh.cookies() if c["name"] == "itda_share"]
    assert cookie["value"] == token and cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    def shows_only_its_own_page() -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text("송악면")
        expect_metric(page, "discovered", "<5")  # 2024: C18 alone
        expect(page.locator(".st-key-partner-watermark")).to_contain_text(
            "송악면 열람용 · 송악면 추진단 · "
        )
        text = _main_text(page)
        for name in ("온양1동", "배방읍", "시 전체 개요", "데이터 가져오기", "공유 링크"):
            assert name not in text, name
        assert_no_errors(page)

    page.goto(f"{base_url}/?period=2024")
    wait_for_app(page)
    shows_only_its_own_page()
    page.reload()
    wait_for_app(page)
    shows_only_its_own_page()
    # Its own page by path, and a widened URL: refused, nothing else shown.
    open_view(page, base_url, f"nb-{C}", period="2024")
    shows_only_its_own_page()
    for path in (f"nb-{A}", f"nb-{B}", "city-overview", "data-import", "agency-AG03"):
        open_view(page, base_url, path, period="2024")
        expect(page.get_by_role("heading", level=1)).to_have_text(OUT_OF_SCOPE)
        text = _main_text(page)
        for name in ("온양1동", "배방읍", "테스트종합사회복지관", "발굴 가구"):
            assert name not in text, name


def test_an_agency_link_opens_its_scorecard_only(served, fresh: BrowserContext) -> None:
    base_url, db_url = served
    _, token = _link(db_url, agency_code="AG05", label="정신건강 공유")
    page = fresh.new_page()
    _redeem(page, base_url, token)
    page.goto(f"{base_url}/?period=2024")
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("테스트정신건강복지센터")
    expect_metric(page, "referrals_received", "<5")  # R03 R06 R09
    expect_metric(page, "acceptance_rate", "–")  # 2 answers: too few to show
    text = _main_text(page)
    # (AG02 "온양1동 행정복지센터" is a counterpart: its name may show)
    for name in ("테스트종합사회복지관", "테스트지역자활센터", "배방읍", "송악면"):
        assert name not in text, name
    assert_no_errors(page)
    # The partners table's download carries the watermark as its first line.
    page.locator(".st-key-dl-partners [data-testid=stPopover] button").click()
    with page.expect_download() as download:
        page.locator(".st-key-dl-partners-csv button").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    first, header = text.splitlines()[:2]
    assert first.startswith("테스트정신건강복지센터 열람용 · 정신건강 공유 · ") and first.endswith(
        " KST"
    )
    assert "희망복지지원단" in text and "테스트종합사회복지관" not in text
    open_view(page, base_url, "agency-AG03", period="2024")
    expect(page.get_by_role("heading", level=1)).to_have_text(OUT_OF_SCOPE)


def test_a_link_revoked_while_open_stops_at_the_next_reload(served, fresh: BrowserContext) -> None:
    base_url, db_url = served
    link, token = _link(db_url, neighbourhood_codes=[C])
    page = fresh.new_page()
    _redeem(page, base_url, token)
    expect(page.get_by_role("heading", level=1)).to_have_text("송악면")
    access.revoke_link(engine_for(db_url), link.id, by="browser-test")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("폐기된 링크입니다")
    assert "송악면" not in _main_text(page)
    # Leaving the link forgets the cookie: the open-mode dashboard is back.
    page.get_by_role("link", name="이 링크를 닫고 직원으로 로그인").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("테스트시 복지 네트워크 개요")
    assert not [c for c in fresh.cookies() if c["name"] == "itda_share"]


@pytest.mark.parametrize(
    ("make", "title"),
    [
        ("tampered", "올바르지 않은 링크입니다"),
        ("expired", "유효 기간이 지난 링크입니다"),
    ],
)
def test_broken_links_show_only_their_refusal(
    served, fresh: BrowserContext, make: str, title: str
) -> None:
    base_url, db_url = served
    if make == "expired":
        past = access.now_utc() - dt.timedelta(days=3)
        _, token = _link(db_url, neighbourhood_codes=[A], days=1, now=past)
    else:
        _, token = _link(db_url, neighbourhood_codes=[A])
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    page = fresh.new_page()
    _redeem(page, base_url, token)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    text = _main_text(page)
    for name in ("온양1동", "배방읍", "송악면", "발굴 가구"):
        assert name not in text, name
    open_view(page, base_url, f"nb-{A}", period="2024")  # a deep link does not get past it
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
