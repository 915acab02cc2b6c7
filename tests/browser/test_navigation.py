"""Moving around in the browser: the period and language survive navigation and reloads.

Numbers are worked out by hand from the tables in tests/fixture_city.py (comments below).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    assert_no_errors,
    expect_metric,
    open_view,
    wait_for_app,
    wait_for_query,
)
from tests.fixture_city import A, B
from tests.server import start_streamlit

pytestmark = pytest.mark.browser


def _open_top_menu(page: Page, section: str, item: str) -> None:
    """Click a section of the top navigation, then one of its entries."""
    page.get_by_test_id("stTopNavSection").filter(has_text=section).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def test_top_navigation_keeps_the_period(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "/", period="2024-H1")
    _open_top_menu(page, "읍면동", "배방읍")
    wait_for_query(page, f"nb-{B}", period="2024-H1")
    wait_for_app(page)
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="배방읍", exact=True)).to_be_visible()
    expect(page.get_by_text("2024년 상반기 (2024.01.01–2024.06.30)").first).to_be_visible()
    # 배방읍, 2024-H1: discovered C12 C13 C14 = 3, opened C11 C12 C13 C14 = 4.
    expect_metric(page, "discovered", "3")
    expect_metric(page, "opened", "4")


def test_navigation_keeps_period_and_language(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, f"nb-{A}", period="2024-H1", lang="en")
    _open_top_menu(page, "Neighbourhoods", "배방읍")
    wait_for_query(page, f"nb-{B}", period="2024-H1", lang="en")
    wait_for_app(page)
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
    expect_metric(page, "opened", "4", label="New cases")
    # Back to the overview through its top link: still the first half, still English.
    page.get_by_test_id("stTopNavLink").filter(has_text="City overview").click()
    wait_for_query(page, "/", period="2024-H1", lang="en")
    wait_for_app(page)
    assert_no_errors(page)
    # City, 2024-H1: discovered A (C03 C04 C05) 3 + B (C12 C13 C14) 3 = 6;
    # 2023-H2: C01 C02 C09 C10 C11 = 5 → +1, 1 / 5 = 20.0 %.
    expect_metric(page, "discovered", "6", "+1 (+20.0%)", label="Households identified")


def test_reload_keeps_the_view(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, f"nb-{A}", period="2024-H1", lang="en")
    # 온양1동, 2024-H1: active C02 C04 C05 = 3; D02 + D03 = ₩3.5M.
    expect_metric(page, "active", "3", label="Active cases")
    page.reload()
    wait_for_app(page)
    wait_for_query(page, f"nb-{A}", period="2024-H1", lang="en")
    assert_no_errors(page)
    expect(page.get_by_text("H1 2024 (2024.01.01–2024.06.30)").first).to_be_visible()
    expect_metric(page, "active", "3", label="Active cases")
    expect_metric(page, "donations_krw", "₩3.5M")


def test_language_switch_writes_the_url(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "/", period="2024")
    expect_metric(page, "discovered", "13", label="발굴 가구")
    page.get_by_test_id("stSidebar").get_by_role("radio", name="en", exact=True).click()
    wait_for_query(page, "/", period="2024", lang="en")
    wait_for_app(page)
    assert_no_errors(page)
    # The same 13 households (2024) under the English label of metrics.md.
    expect_metric(page, "discovered", "13", label="Households identified")


def test_period_selector_writes_the_url(page: Page, sqlite_base_url: str) -> None:
    open_view(page, sqlite_base_url, "/", period="2024")
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    # Korean names in the list (the fixture's as-of date, 2024-12-31, ends every 2024
    # period but the year), the key in the URL
    expect(page.get_by_role("option", name="2024년", exact=True)).to_be_visible()
    page.get_by_role("option", name="2024년 상반기", exact=True).click()
    wait_for_query(page, "/", period="2024-H1")
    selector = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
    expect(selector.locator("input")).to_have_value("2024년 상반기")
    wait_for_app(page)
    assert_no_errors(page)
    # City, 2024-H1: 3 + 3 = 6 discovered; 2023-H2: 5 → +1 (+20.0%) (as above).
    expect_metric(page, "discovered", "6", "+1 (+20.0%)")


def test_comparison_choice_writes_the_url_and_survives_navigation(
    page: Page, sqlite_base_url: str
) -> None:
    open_view(page, sqlite_base_url, "/", period="2024-H1")
    # 2024-H1 against 2023-H2 by default: 6 vs 5 → +1 (+20.0%)
    expect_metric(page, "discovered", "6", "+1 (+20.0%)")
    page.get_by_test_id("stSidebar").get_by_text("전년 동기 대비", exact=True).click()
    wait_for_query(page, "/", period="2024-H1", compare="yoy")
    wait_for_app(page)
    assert_no_errors(page)
    # against 2023-H1 (2023-01-01..06-30), when nothing was identified: +6, no per cent
    expect(
        page.get_by_text("비교 기간 전년 동기 2023년 상반기 (2023.01.01–2023.06.30)").first
    ).to_be_visible()
    expect_metric(page, "discovered", "6", "+6")
    # 배방읍 through the top menu keeps the comparison: C12 C13 C14 = 3 vs none in 2023-H1
    _open_top_menu(page, "읍면동", "배방읍")
    wait_for_query(page, f"nb-{B}", period="2024-H1", compare="yoy")
    wait_for_app(page)
    assert_no_errors(page)
    expect_metric(page, "discovered", "3", "+3")


def test_unknown_path_gets_a_page_of_its_own(page: Page, sqlite_base_url: str) -> None:
    # Not Streamlit's English "Page not found" dialog: Itda's page, in the user's language,
    # at the address asked for; a rerun there (the language switch) stays on it.
    open_view(page, sqlite_base_url, "no-such-page", period="2024")
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="페이지를 찾을 수 없습니다")).to_be_visible()
    expect(page).to_have_title("없는 페이지 · 잇다")
    page.get_by_test_id("stSidebar").get_by_role("radio", name="en", exact=True).click()
    wait_for_query(page, "no-such-page", period="2024", lang="en")
    wait_for_app(page)
    assert_no_errors(page)
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Page not found · Itda")


def test_error_check_sees_dialogs(page: Page, sqlite_base_url: str) -> None:
    # The check every test relies on must see a dialog over the page (here the comparison's
    # help tooltip is not one; Streamlit's own dialog comes with a nested unknown address,
    # which no page can have).
    open_view(page, sqlite_base_url, "/", period="2024")
    page.evaluate(
        "() => { const d = document.createElement('div'); d.setAttribute('role', 'dialog');"
        " d.textContent = 'x'; document.body.appendChild(d); }"
    )
    with pytest.raises(AssertionError):
        assert_no_errors(page, timeout_ms=1_000)


def test_first_visit_to_a_fresh_server(page: Page, city_sqlite_url: str) -> None:
    # After every restart the first person to open a shared link is this first session.
    # (A pages/ folder beside app.py made Streamlit treat it as a legacy pages/ session:
    # "Page not found" over the page, and the period lost on navigation. Hence views/.)
    with start_streamlit(city_sqlite_url) as server:
        open_view(page, server.base_url, f"nb-{A}", period="2024-H1")
        assert_no_errors(page)
        _open_top_menu(page, "읍면동", "배방읍")
        wait_for_query(page, f"nb-{B}", period="2024-H1")


@pytest.fixture(scope="module")
def regions_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file holding 한빛도 (tests/fixture_app_regions.py): two districts."""
    from lib.db import make_engine, migrate
    from tests.fixture_app_regions import load_fixture_regions

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-regions') / 'regions.db'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            load_fixture_regions(conn)
    finally:
        engine.dispose()
    return url


def test_region_deep_links_on_a_fresh_server(page: Page, regions_sqlite_url: str) -> None:
    # Above one city no neighbourhood or region page is registered until asked for: the
    # first visit of a fresh server opens them by address all the same.
    from tests.fixture_app_regions import N1, N_CENTRAL

    with start_streamlit(regions_sqlite_url, env={"ITDA_DEFAULT_LANG": "ko"}) as server:
        open_view(page, server.base_url, f"nb-{N_CENTRAL}", period="2024")
        assert_no_errors(page)
        expect(page.get_by_role("heading", name="중앙동", exact=True)).to_be_visible()
        # 누리시's 중앙동: 4 discovered (fixture_app_regions.py), compared with 누리시.
        expect_metric(
            page, "discovered", "4", note="누리시 전체 4 · 2개 읍면동 중 1위(1천 세대당, 높은 순)"
        )
        # Up the breadcrumb to the district, keeping the period.
        page.locator(".itda-breadcrumb").get_by_role("link", name="누리시").click()
        wait_for_query(page, "region-44210", period="2024")
        wait_for_app(page)
        assert_no_errors(page)
        expect(page.get_by_role("heading", name="누리시 복지 네트워크 개요")).to_be_visible()
        expect_metric(page, "discovered", "4")
        # The picker's search finds 누리1동 by name and opens it.
        search = page.get_by_test_id("stSidebar").get_by_label("이름이나 코드로 찾기")
        search.fill("누리1")
        search.press("Enter")
        link = page.get_by_test_id("stSidebar").get_by_role(
            "link", name=f"누리시 누리1동 · 읍면동 {N1}"
        )
        link.click()
        wait_for_query(page, f"nb-{N1}", period="2024")
        wait_for_app(page)
        assert_no_errors(page)
        expect(page.get_by_role("heading", name="누리1동", exact=True)).to_be_visible()
        # A region code that does not exist: Itda's not-found page.
        open_view(page, server.base_url, "region-44999", period="2024")
        assert_no_errors(page)
        expect(page.get_by_role("heading", name="페이지를 찾을 수 없습니다")).to_be_visible()
