"""Korean throughout, in Chromium at 1440×900: every kind of page shows no English word
(tests/browser/text_checks.py says what counts), and each tab is titled by its page.

On 테스트시 (SQLite; open mode, so the visitor has an admin's rights), plus a partner
link's refusal and, with a real OpenID provider, the sign-in page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import assert_no_errors, open_view, wait_for_app
from tests.browser.test_share_links import _link, _redeem
from tests.browser.test_sign_in import app_url, oidc_provider  # noqa: F401 (fixtures)
from tests.browser.text_checks import (
    RECORD_NUMBERS,
    assert_no_english,
    english_words,
    visible_text,
)
from tests.fixture_city import A

pytestmark = pytest.mark.browser


# Every page kind: its path and its tab's title ("<page> · 잇다").
KOREAN_PAGES = [
    ("/", "시 전체 개요 · 잇다"),
    (f"nb-{A}", "온양1동 · 잇다"),
    ("case-sharing", "사례공유 네트워크 · 잇다"),
    ("agency-AG03", "테스트종합사회복지관 · 잇다"),
    ("city-donations", "후원 · 잇다"),
    ("metric-definitions", "지표 정의 · 잇다"),
    ("data-import", "데이터 가져오기 · 잇다"),
    ("share-links", "공유 링크 · 잇다"),
    ("audit-log", "감사 기록 · 잇다"),
]


@pytest.mark.parametrize(("path", "title"), KOREAN_PAGES)
def test_korean_page_shows_no_english(page: Page, sqlite_base_url: str, path: str, title: str):
    open_view(page, sqlite_base_url, path, period="2024-H1")
    assert_no_errors(page, allow_warnings=True)
    expect(page).to_have_title(title)
    # The sidebar's custom dates open too (the empty date fields' placeholders).
    page.get_by_test_id("stSidebar").get_by_text("직접 기간 지정").click()
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").first).to_be_visible()
    assert_no_english(page, allowed=RECORD_NUMBERS)


def test_the_period_selector_names_periods_in_korean(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "/", period="2024-Q2")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stSelectbox").locator("input")).to_have_value("2024년 2분기")
    sidebar.get_by_test_id("stSelectbox").click()
    expect(page.get_by_role("option", name="2024년 12월", exact=True)).to_be_visible()
    assert_no_english(page)
    page.keyboard.type("zzz")  # nothing matches: Streamlit's "No results" reads 결과 없음
    expect(page.get_by_role("listbox")).to_have_attribute("data-empty", "true")
    assert "결과 없음" in visible_text(page)
    assert_no_english(page, allowed={"zzz"})  # what was typed


def test_the_file_uploader_speaks_korean_with_the_real_limit(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "data-import")
    zone = page.get_by_test_id("stFileUploaderDropzone")
    # the button's name is CSS content (screen readers read it); Streamlit's "Upload" is hidden
    expect(zone.get_by_role("button", name="파일 선택")).to_be_visible()
    text = visible_text(page)
    assert "파일 하나에 50MB까지 · XLSX, ZIP, CSV" in text  # .streamlit/config.toml: 50
    assert "Upload" not in text and "per file" not in text


def test_every_tab_of_the_data_page_is_korean(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "data-import")
    for tab in ("읍면동 경계", "양식 · 내보내기", "가져오기 기록"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        # The boundaries tab names the two properties the GeoJSON file must carry.
        assert_no_english(page, allowed={"adm_cd2", "adm_nm"})


def test_table_toolbar_tooltips_are_korean(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "/", period="2024")
    table = page.get_by_test_id("stDataFrame").first
    button = page.locator("button[aria-label='Download as CSV']").first
    # The toolbar shows only while the pointer is over the table's element; it slides in
    # above the table, and until then its buttons lie over the table itself (where a
    # hover reaches the grid). So: bring the table to the middle of the window (a button
    # scrolled to the top would sit under the sticky header), point at the table, wait
    # until the toolbar has come out above it, then move straight onto the button.
    table.evaluate("el => el.scrollIntoView({block: 'center'})")
    for attempt in range(3):
        table.hover(position={"x": 40, "y": 20})
        try:
            page.wait_for_function(
                "([t, b]) => b.getBoundingClientRect().bottom <= t.getBoundingClientRect().top",
                arg=[table.element_handle(), button.element_handle()],
                timeout=5_000,
            )
            page.wait_for_timeout(300)  # the slide-in's transition
            box = button.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(page.get_by_test_id("stTooltipContent")).to_be_visible(timeout=5_000)
            break
        except (AssertionError, PlaywrightTimeout):
            if attempt == 2:
                raise
    assert "CSV로 내려받기" in visible_text(page)
    assert_no_english(page, allowed=RECORD_NUMBERS)


def test_english_pages_are_titled_in_english(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, f"nb-{A}", lang="en")
    expect(page).to_have_title("온양1동 · Itda")
    open_view(page, sqlite_base_url, "/", lang="en")
    expect(page).to_have_title("City overview · Itda")
    # the English page says its words in English, the uploader too
    open_view(page, sqlite_base_url, "data-import", lang="en")
    expect(page.get_by_role("button", name="Choose a file")).to_be_visible()


def test_unknown_address_is_answered_in_korean(page: Page, sqlite_base_url: str):
    open_view(page, sqlite_base_url, "no-such-page")
    assert_no_errors(page)
    expect(page).to_have_title("없는 페이지 · 잇다")
    expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
    # the address asked for is quoted back; nothing else is English
    assert_no_english(page, allowed={"no-such-page"})
    page.get_by_role("link", name="첫 화면으로 가기").click()
    wait_for_app(page)
    expect(page).to_have_title("시 전체 개요 · 잇다")


def test_a_refused_link_page_is_korean(page: Page, city_sqlite_url: str, sqlite_base_url: str):
    link, token = _link(city_sqlite_url, neighbourhood_codes=[A])
    _redeem(page, sqlite_base_url, token)
    open_view(page, sqlite_base_url, "data-import")  # outside the link: refused
    expect(page.get_by_role("heading", level=1)).to_have_text("이 링크로는 열 수 없는 페이지입니다")
    expect(page).to_have_title("열 수 없는 페이지 · 잇다")
    assert_no_english(page)
    open_view(page, sqlite_base_url, "/")  # the link's own page: its neighbourhood
    expect(page).to_have_title("온양1동 · 잇다")
    # the watermark names a link without a label by its id: "링크 b4836f5a58cf5b3e"
    expect(page.locator(".st-key-partner-watermark")).to_contain_text(f"링크 {link.id}")
    assert_no_english(page, allowed={link.id})
    expect(page.locator("html")).to_have_attribute("lang", "ko")


def test_the_sign_in_page_is_korean(page: Page, app_url: str):  # noqa: F811
    open_view(page, app_url, "/")
    expect(page).to_have_title("로그인 · 잇다")
    assert_no_english(page)
    open_view(page, app_url, "nope")  # an unknown address: the same sign-in page
    expect(page).to_have_title("로그인 · 잇다")
    assert_no_errors(page)


def test_the_checker_finds_english(page: Page, sqlite_base_url: str):
    # The check itself: an English word put on the page is found, the allowed ones are not.
    open_view(page, sqlite_base_url, "metric-definitions")
    page.evaluate(
        "() => { const p = document.createElement('p');"
        " p.textContent = 'Itda KO 12.5%p .xlsx Loading data';"
        " document.querySelector('[data-testid=stMain]').appendChild(p); }"
    )
    assert english_words(visible_text(page)) == ["Loading", "data"]
    assert english_words("50MB 2024-H1 b4836f 12.5%p", allowed={"b4836f"}) == ["2024-H1"]
    # a share link's id (16 hex digits) is an identifier; a word of hex letters is not
    assert english_words("링크 a1f4c14336fb768c · facade · a1f4c1433") == ["a1f4c1433", "facade"]
    # record numbers and codes of the data pass; a word with digits does not
    assert english_words("C44200250-00331 44200A06 AG03 Q1 donations_krw") == [
        "AG03",
        "Q1",
        "donations_krw",
    ]
    with pytest.raises(AssertionError, match="Loading, data"):
        assert_no_english(page)
