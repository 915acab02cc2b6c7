"""Sign-in (ITDA_ACCESS_MODE=oidc) in Chromium, against a real OpenID provider on loopback.

One Streamlit server in oidc mode on a fresh SQLite copy of 테스트시, one oidc-provider-mock
process (tests/oidc.py), a client registered for the server's exact callback URL. Every test
signs in through the app's own button, the provider's authorization form and Streamlit's
/oauth2callback, so the ID token, its `email` and `groups` claims and Streamlit's cookie are
all real.

Roles come from the settings below: e-mail lists and group names found in the ID token's
`groups` claim. The UI contract (container keys `sign-in`, `itda-user`, `sign-out`,
`access-denied`) is the one agreed for the access-control work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    _fill_with_fixture_city,
    assert_no_errors,
    expect_metric,
    open_view,
    wait_for_app,
)
from tests.fixture_city import AGENCIES, NEIGHBOURHOODS, A
from tests.oidc import (
    SIGN_IN_BUTTON,
    SIGN_OUT_BUTTON,
    USER_COOKIE,
    OidcProvider,
    sign_in,
    sign_out,
    start_oidc_streamlit,
    start_provider,
)

pytestmark = pytest.mark.browser

# Roles by e-mail (the lists allow spaces after the commas).
STAFF_EMAIL = "caseworker@itda.test"
ADMIN_EMAIL = "chief@itda.test"
# Roles by the ID token's groups claim, for e-mails in neither list.
STAFF_GROUP = "itda-staff"
ADMIN_GROUP = "itda-admins"
SETTINGS = {
    "ITDA_DEFAULT_LANG": "ko",
    "ITDA_STAFF_EMAILS": f"{STAFF_EMAIL}, outreach@itda.test",
    "ITDA_ADMIN_EMAILS": ADMIN_EMAIL,
    "ITDA_STAFF_GROUPS": f"{STAFF_GROUP},itda-partners-office",
    "ITDA_ADMIN_GROUPS": f"itda-board,{ADMIN_GROUP}",
}

# What only a signed-in user with a role may see: every neighbourhood and agency name.
CITY_NAMES = [name for _, name, *_ in NEIGHBOURHOODS] + [name for _, name, *_ in AGENCIES]
NAV_SHARE = "공유 링크"
NAV_DATA = "데이터 가져오기"
NAV_AUDIT = "감사 기록"
ADMIN_PATHS = ("data-import", "audit-log")


# ---- Server and provider ----


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProvider]:
    with start_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def app_url(
    oidc_provider: OidcProvider, tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[str]:
    """The app in oidc mode on its own fresh 테스트시 (sign-ins may write an audit trail)."""
    folder = tmp_path_factory.mktemp("sign-in")
    url = f"sqlite:///{folder / 'city.db'}"
    _fill_with_fixture_city(url)
    with start_oidc_streamlit(url, oidc_provider, Path(folder), env=SETTINGS) as server:
        yield server.base_url


# ---- Helpers ----


def _sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def _user_box(page: Page):
    return _sidebar(page).locator(".st-key-itda-user")


def _title(text: str) -> str:
    """A navigation entry's title: its last line (the icon's ligature name comes first)."""
    return text.strip().splitlines()[-1].strip()


def navigation_titles(page: Page) -> list[str]:
    """Every entry of the top navigation: its links, and the items of each section's menu."""
    titles = [_title(text) for text in page.get_by_test_id("stTopNavLink").all_inner_texts()]
    sections = page.get_by_test_id("stTopNavSection")
    for index in range(sections.count()):
        sections.nth(index).click()
        items = page.get_by_role("menuitem")
        items.first.wait_for()
        titles += [_title(text) for text in items.all_inner_texts()]
        page.keyboard.press("Escape")
        expect(items).to_have_count(0)
    return titles


def expect_no_navigation(page: Page) -> None:
    """No navigation at all, top or sidebar."""
    for test_id in ("stTopNavLink", "stTopNavSection", "stSidebarNav", "stSidebarNavLink"):
        expect(page.get_by_test_id(test_id)).to_have_count(0)


def expect_no_city_data(page: Page) -> None:
    """No metric, chart or table is drawn, no digit is shown, and no neighbourhood or agency
    name is anywhere in the page, shown or hidden (navigation entries included)."""
    expect(page.locator("[class*='st-key-metric-']")).to_have_count(0)
    for test_id in ("stMetric", "stVegaLiteChart", "stDataFrame", "stTable"):
        expect(page.get_by_test_id(test_id)).to_have_count(0)
    # Streamlit's own "Page not found" dialog quotes the path asked for (digits of a code);
    # what the app draws is the main area and the sidebar.
    for test_id in ("stMain", "stSidebar"):
        area = page.get_by_test_id(test_id)
        if area.count():
            text = area.inner_text()
            assert not re.search(r"\d", text), f"{test_id} shows numbers: {text!r}"
    html = page.content()
    shown = [name for name in CITY_NAMES if name in html]
    assert not shown, f"the page holds names of the city's data: {shown}"


def expect_sign_in_page(page: Page, lang: str = "ko") -> None:
    """The sign-in page of the contract, and nothing else."""
    label = "로그인" if lang == "ko" else "Sign in"
    expect(page.get_by_role("heading", name=label, exact=True)).to_be_visible()
    # Contains, not equals: a Material icon's ligature name may precede the label.
    expect(page.locator(SIGN_IN_BUTTON)).to_contain_text(label)
    expect(page.locator(SIGN_OUT_BUTTON)).to_have_count(0)
    expect(page.locator(".st-key-itda-user")).to_have_count(0)
    expect_no_navigation(page)
    expect_no_city_data(page)


def expect_refusal(page: Page) -> None:
    """The refusal page: access-denied shown, nothing of the page asked for."""
    expect(page.locator(".st-key-access-denied")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


def expect_signed_in_as(page: Page, email: str, role: str) -> None:
    box = _user_box(page)
    expect(box).to_be_visible()
    expect(box).to_contain_text(email)
    expect(box).to_contain_text(role)
    expect(_sidebar(page).locator(SIGN_OUT_BUTTON)).to_be_visible()


# ---- (a) a visitor who is not signed in ----


def test_visitor_sees_only_the_sign_in_page(page: Page, app_url: str) -> None:
    open_view(page, app_url, "/", period="2024")
    assert_no_errors(page)
    expect_sign_in_page(page)
    assert USER_COOKIE not in {c["name"] for c in page.context.cookies(app_url)}


def test_visitor_sign_in_page_in_english(page: Page, app_url: str) -> None:
    open_view(page, app_url, "/", lang="en")
    assert_no_errors(page)
    expect_sign_in_page(page, lang="en")


@pytest.mark.parametrize("path", [f"nb-{A}", "data-import", "audit-log", "share-links"])
def test_visitor_deep_link_shows_the_sign_in_page(page: Page, app_url: str, path: str) -> None:
    # A shared link opened before signing in: the sign-in page, never the page's content.
    open_view(page, app_url, path, period="2024")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect_sign_in_page(page)


# ---- (b) staff ----


def test_staff_by_email_sees_the_dashboard_but_not_the_admin_pages(
    page: Page, app_url: str
) -> None:
    sign_in(page, app_url, STAFF_EMAIL)
    assert_no_errors(page)
    expect_signed_in_as(page, STAFF_EMAIL, "직원")
    expect(_user_box(page)).not_to_contain_text("관리자")

    open_view(page, app_url, "/", period="2024")
    assert_no_errors(page)
    # 테스트시, 2024 (tests/browser/test_overview.py works these out by hand).
    # 2024 against 2023 (the fixture's tables): identified 13 vs 5 → +8 on 5 = +160.0 %;
    # active 7 vs 3 → +4 on 3 = +133.3 %; raised 1,260만원 vs 140만원 → +1,120만원 = +800.0 %
    expect_metric(page, "discovered", "13", "+8 (+160.0%)", label="발굴 가구")
    expect_metric(page, "active", "7", "+4 (+133.3%)")
    expect_metric(page, "donations_krw", "1,260만원", "+1,120만원 (+800.0%)")

    titles = navigation_titles(page)
    assert "배방읍" in titles and NAV_SHARE in titles, titles
    assert NAV_DATA not in titles and NAV_AUDIT not in titles, titles

    for path in ADMIN_PATHS:
        open_view(page, app_url, path)
        expect_refusal(page)
        expect_signed_in_as(page, STAFF_EMAIL, "직원")

    open_view(page, app_url, "share-links")
    assert_no_errors(page)
    expect(page.locator(".st-key-access-denied")).to_have_count(0)


def test_staff_by_group_in_english(page: Page, app_url: str) -> None:
    email = "team.member@itda.test"  # in no list: the role comes from the groups claim
    sign_in(page, app_url, email, groups=["everyone", STAFF_GROUP])
    expect_signed_in_as(page, email, "직원")
    open_view(page, app_url, "/", period="2024", lang="en")
    assert_no_errors(page)
    expect_signed_in_as(page, email, "Staff")
    expect(_user_box(page)).not_to_contain_text("Admin")
    expect_metric(page, "discovered", "13", "+8 (+160.0%)", label="Households identified")
    open_view(page, app_url, "data-import", lang="en")
    expect_refusal(page)


# ---- (c) admins ----


def test_admin_by_group_reaches_the_data_page(page: Page, app_url: str) -> None:
    email = "director@itda.test"  # in no list: admin through the groups claim
    sign_in(page, app_url, email, groups=[ADMIN_GROUP])
    assert_no_errors(page)
    expect_signed_in_as(page, email, "관리자")

    open_view(page, app_url, "/", period="2024")
    expect_metric(page, "discovered", "13", "+8 (+160.0%)")
    titles = navigation_titles(page)
    for title in (NAV_SHARE, NAV_DATA, NAV_AUDIT, "배방읍"):
        assert title in titles, titles

    open_view(page, app_url, "data-import")
    assert_no_errors(page)
    expect(page.locator(".st-key-access-denied")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploader")).to_be_visible()
    open_view(page, app_url, "audit-log")
    assert_no_errors(page, allow_warnings=True)
    expect(page.locator(".st-key-access-denied")).to_have_count(0)

    open_view(page, app_url, "/", lang="en")
    expect_signed_in_as(page, email, "Admin")


def test_admin_by_email(page: Page, app_url: str) -> None:
    sign_in(page, app_url, ADMIN_EMAIL)
    expect_signed_in_as(page, ADMIN_EMAIL, "관리자")
    open_view(page, app_url, "data-import")
    expect(page.locator(".st-key-access-denied")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploader")).to_be_visible()


# ---- (d) signed in, but no role ----


def test_user_without_a_role_is_denied(page: Page, app_url: str) -> None:
    email = "someone@itda.test"
    # A groups claim, but with no group of either list (nor a prefix of one).
    sign_in(page, app_url, email, groups=["itda", "itda-staff-alumni", "other"])
    expect(page.locator(".st-key-access-denied")).to_be_visible()
    expect(page.locator(SIGN_OUT_BUTTON)).to_be_visible()
    expect(page.locator(SIGN_IN_BUTTON)).to_have_count(0)
    expect_no_navigation(page)
    expect_no_city_data(page)
    # Nor by deep link.
    for path in (f"nb-{A}", "data-import"):
        open_view(page, app_url, path, period="2024")
        expect(page.locator(".st-key-access-denied")).to_be_visible()
        expect_no_navigation(page)
        expect_no_city_data(page)


# ---- (e) sign-out ----


def test_sign_out_returns_to_the_sign_in_page(page: Page, app_url: str) -> None:
    sign_in(page, app_url, STAFF_EMAIL)
    expect_signed_in_as(page, STAFF_EMAIL, "직원")
    sign_out(page, app_url)
    assert_no_errors(page)
    expect_sign_in_page(page)
    assert USER_COOKIE not in {c["name"] for c in page.context.cookies(app_url)}
    # Signed out for good: a fresh visit (reload) and a deep link show the sign-in page.
    page.reload()
    wait_for_app(page)
    expect_sign_in_page(page)
    open_view(page, app_url, f"nb-{A}", period="2024")
    expect_sign_in_page(page)
