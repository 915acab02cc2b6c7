"""Presentation mode in Chromium at 1920×1080 (a projector): `?present=1` on 테스트시.

No sidebar, header or toolbar; one section per slide with its numbers; the footer; the
arrow keys and the buttons move between slides and write `?slide=` into the URL; a reload
keeps the slide; a page switch keeps presentation mode; nothing leaves the screen; Korean
only under lang=ko. Numbers are worked out by hand from tests/fixture_city.py (the same
values tests/browser/test_overview.py and test_neighbourhood.py read from the tiles).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    assert_no_errors,
    open_view,
    wait_for_app,
    wait_for_query,
)
from tests.browser.text_checks import assert_no_english
from tests.fixture_city import A, B

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
CITY_SLIDES = 7  # a title slide, the headline, the five areas of metrics.md
FOOTER_2024 = (
    "기간 2024년 (2024.01.01–2024.12.31) · 비교 기간 전기 2023년 (2023.01.01–2023.12.31)"
    " · 기준일 2024.12.31"
)


def present(page: Page, base_url: str, path: str = "/", **query: str) -> None:
    page.set_viewport_size(PROJECTOR)
    open_view(page, base_url, path, present="1", **query)
    assert_no_errors(page)


def slide_number(page: Page) -> str:
    return page.locator(".itda-slide-number").inner_text()


def fact(page: Page, key: str):
    return page.locator(f".itda-fact[data-key={key}]")


def expect_chrome_hidden(page: Page) -> None:
    for test_id in ("stSidebar", "stHeader", "stToolbar", "stSidebarCollapsedControl"):
        expect(page.get_by_test_id(test_id)).to_be_hidden()
    expect(page.get_by_test_id("stTopNav")).to_be_hidden()
    expect(page.get_by_test_id("stElementToolbar")).to_be_hidden()


def test_slides_of_the_overview_with_keys_buttons_and_reload(page: Page, base_url: str) -> None:
    present(page, base_url, period="2024")
    expect_chrome_hidden(page)
    expect(page.locator(".itda-slide-number")).to_have_text(f"1 / {CITY_SLIDES}")
    expect(page.get_by_role("heading", name="테스트시 전체", exact=True)).to_be_visible()
    footer = page.locator(".itda-footer")
    expect(footer).to_contain_text("테스트시 · 테스트시 전체")
    expect(footer).to_contain_text(FOOTER_2024)
    expect(footer).to_be_in_viewport()

    page.keyboard.press("ArrowRight")
    wait_for_query(page, "/", period="2024", present="1", slide="2")
    wait_for_app(page)
    expect(page.locator(".itda-slide-number")).to_have_text(f"2 / {CITY_SLIDES}")
    expect(page.get_by_role("heading", name="주요 지표", exact=True)).to_be_visible()
    # discovered 2024: C03…C08, C12…C18 = 13; 2023: C01 C02 C09 C10 C11 = 5 → +8, 160.0 %
    expect(fact(page, "discovered").locator(".itda-fact-value")).to_have_text("13")
    expect(fact(page, "discovered").locator(".itda-fact-change")).to_have_text("▲ +8 (+160.0%)")
    # 12,600,000 won raised against 1,400,000 → +11,200,000, 800.0 %
    expect(fact(page, "donations_krw").locator(".itda-fact-value")).to_have_text("1,260만원")
    expect(fact(page, "donations_krw").locator(".itda-fact-change")).to_have_text(
        "▲ +1,120만원 (+800.0%)"
    )
    # accepted 5 of 7 answered = 71.4 %; 2023: 2 of 2 → −28.6 points
    expect(fact(page, "acceptance_rate").locator(".itda-fact-change")).to_have_text("▼ -28.6%p")
    # the slide's one chart and its definitions in small print
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.locator(".itda-defs")).to_contain_text("기간 중 발굴일이 있는 사례 수")
    expect(page.locator(".itda-facts")).to_contain_text("변화는 전기 2023년")

    page.keyboard.press("ArrowLeft")
    wait_for_query(page, "/", period="2024", present="1", slide="1")
    wait_for_app(page)
    expect(page.locator(".itda-slide-number")).to_have_text(f"1 / {CITY_SLIDES}")

    page.get_by_role("button", name="다음").click()
    wait_for_query(page, "/", period="2024", present="1", slide="2")
    wait_for_app(page)
    page.get_by_role("button", name="다음").click()
    wait_for_query(page, "/", period="2024", present="1", slide="3")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="사례관리", exact=True)).to_be_visible()
    page.get_by_role("button", name="이전").click()
    wait_for_query(page, "/", period="2024", present="1", slide="2")
    wait_for_app(page)

    page.reload()
    wait_for_app(page)
    wait_for_query(page, "/", period="2024", present="1", slide="2")
    expect_chrome_hidden(page)
    expect(page.locator(".itda-slide-number")).to_have_text(f"2 / {CITY_SLIDES}")
    expect(fact(page, "discovered").locator(".itda-fact-value")).to_have_text("13")
    assert_no_errors(page)


@pytest.mark.parametrize("bad", ["abc", "99", "0"])
def test_a_bad_slide_opens_the_first(page: Page, sqlite_base_url: str, bad: str) -> None:
    present(page, sqlite_base_url, period="2024", slide=bad)
    expect(page.locator(".itda-slide-number")).to_have_text(f"1 / {CITY_SLIDES}")
    wait_for_query(page, "/", period="2024", present="1")


# What must stay on a 1920×1080 screen: every box of the slide above the footer bar,
# the bar itself on screen, and no scrolling of the page or of Streamlit's main area.
_FITS_JS = """
() => {
  const bar = document.querySelector('.st-key-itda-present-bar').getBoundingClientRect();
  const main = document.querySelector('[data-testid=stMain]');
  const out = [];
  const boxes = document.querySelectorAll(
    '.itda-slide h1, .itda-slide-summary, .itda-fact, .itda-defs, .itda-title-slide,'
    + ' [data-testid=stVegaLiteChart], .itda-figure-title, .itda-agenda');
  for (const el of boxes) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > bar.top + 1) {
      out.push([el.className || el.dataset.testid, Math.round(r.top), Math.round(r.bottom),
                Math.round(r.left), Math.round(r.right)]);
    }
  }
  if (bar.bottom > innerHeight + 1 || bar.top < innerHeight / 2) out.push(['bar', bar.top]);
  const doc = document.documentElement;
  if (doc.scrollWidth > innerWidth || doc.scrollHeight > innerHeight) out.push(['page scrolls']);
  if (main.scrollHeight > main.clientHeight + 1) out.push(['main scrolls', main.scrollHeight]);
  return out;
}
"""


@pytest.mark.parametrize(
    ("path", "query"),
    [("/", {"period": "2024"}), (f"nb-{A}", {"period": "2024-H1"})],
    ids=["overview", "neighbourhood"],
)
def test_every_slide_fits_the_screen_in_korean(
    page: Page, sqlite_base_url: str, path: str, query: dict
) -> None:
    present(page, sqlite_base_url, path, **query)
    count = int(slide_number(page).split("/")[1])
    assert count == CITY_SLIDES  # a neighbourhood has every area too
    for number in range(1, count + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
            wait_for_query(page, path, present="1", slide=str(number), **query)
            wait_for_app(page)
        expect(page.locator(".itda-slide-number")).to_have_text(f"{number} / {count}")
        page.wait_for_load_state("networkidle")  # charts draw after the script
        assert page.evaluate(_FITS_JS) == [], f"slide {number}"
        assert_no_english(page)
        assert_no_errors(page)


def test_a_neighbourhood_s_slide_in_english(page: Page, sqlite_base_url: str) -> None:
    # 온양1동, 2024-H1, caseload: identified C03 C04 C05 = 3; 2023-H2 C01 C02 → +1 (50.0 %);
    # city 6; per 1,000 households A 3.0, B 1.5, C 0: first of three.
    present(page, sqlite_base_url, f"nb-{A}", period="2024-H1", lang="en", slide="3")
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_be_visible()
    tile = fact(page, "discovered")
    expect(tile.locator(".itda-fact-label")).to_have_text("Households identified")
    expect(tile.locator(".itda-fact-value")).to_have_text("3")
    expect(tile.locator(".itda-fact-change")).to_have_text("▲ +1 (+50.0%)")
    expect(tile.locator(".itda-fact-rank")).to_have_text(
        "City 6 · rank 1 of 3 per 1,000 households, highest first"
    )
    expect(page.locator(".itda-footer")).to_contain_text("테스트시 · 온양1동")
    expect(page.get_by_role("button", name="Next")).to_be_visible()


def test_a_page_switch_keeps_the_mode_and_leaving_and_entering_work(
    page: Page, sqlite_base_url: str
) -> None:
    present(page, sqlite_base_url, period="2024", slide="2")
    # the corner's page menu: its links keep the bound `present`; the slide starts again
    page.get_by_role("button", name="다른 화면").click()
    page.get_by_role("link", name="배방읍", exact=True).click()
    wait_for_query(page, f"nb-{B}", period="2024", present="1")
    wait_for_app(page)
    assert_no_errors(page)
    expect_chrome_hidden(page)
    expect(page.get_by_role("heading", name="배방읍", exact=True)).to_be_visible()
    expect(page.locator(".itda-slide-number")).to_have_text(f"1 / {CITY_SLIDES}")

    page.get_by_role("button", name="발표 마침").click()
    wait_for_query(page, f"nb-{B}", period="2024")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.get_by_test_id("stHeader")).to_be_visible()
    expect(page.locator(".itda-slide-number")).to_have_count(0)
    # 배방읍, 2024: identified C12 C13 C14 C15 C16 C17 = 6 (its page's own tile)
    expect(page.locator(".st-key-metric-discovered [data-testid=stMetricValue]")).to_have_text("6")

    page.get_by_role("button", name="발표 모드").click()
    wait_for_query(page, f"nb-{B}", period="2024", present="1")
    wait_for_app(page)
    expect_chrome_hidden(page)
    expect(page.locator(".itda-slide-number")).to_have_text(f"1 / {CITY_SLIDES}")


def test_a_page_without_numbers_only_loses_its_chrome(page: Page, sqlite_base_url: str) -> None:
    present(page, sqlite_base_url, "metric-definitions")
    expect_chrome_hidden(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="발표 마침")).to_be_visible()
    assert_no_english(page)
