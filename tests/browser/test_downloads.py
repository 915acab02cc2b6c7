"""The download menus in Chromium: each file, fetched by a click, read back as a program would.

테스트시 (tests/fixture_city.py) in 2024, worked out by hand:

배방읍 (B), cases per month (caseload trend): discovered C12 Feb, C13 Apr, C14 Jun, C15 Aug,
C16 Oct, C17 Nov; opened C11 Jan, C12 Feb, C13 Apr, C14 Jun, C16 Oct, C17 Nov; closed (opened
cases) C10 Mar, C12 May, C13 Oct, C16 Dec. Waiting referrals: R11 (C14, requested
2024-06-24, 190 days at 2024-12-31) and R12 (C16, 2024-12-24, 7 days).

The overview's comparison table (headline group): households 1,000 / 2,000 / 500, 3,500 in
all; households identified A C03–C08 = 6, B C12–C17 = 6, C C18 = 1, 13 in all; raised
A D02+D03+D04 = 3,700,000 won = 370만원, B D05+D06+D07 = 360만원, C 0, the city with D08
and D09 1,260만원; given A P01+P02 = 80만원, B P03+P04+P05+P07 = 95만원, city 175만원.
Money by month (overview, 후원 모금·지원): January raised D02 300만원, given P01 30만원;
February D05+D06 210만원, P03 20만원; March D08 500만원, P04 40만원.

송악면 (C) through its link: one case identified (C18, November): "<5" on the tile and in
the trend's file, never 1.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import openpyxl
import pytest
import sqlalchemy as sa
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lib import access
from lib.db import engine_for
from tests.browser.conftest import (
    BACKENDS,
    TIMEOUT_MS,
    VIEWPORT,
    assert_no_errors,
    expect_metric,
    open_view,
    wait_for_app,
)
from tests.fixture_city import B, C

pytestmark = pytest.mark.browser

BOM = b"\xef\xbb\xbf"
SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


def fetch(page: Page, key: str, kind: str) -> tuple[str, bytes]:
    """Open the download menu under element `key`, click its `kind` button; the file's
    name and bytes."""
    menu = page.locator(f".st-key-dl-{key} [data-testid=stPopover] button")
    menu.scroll_into_view_if_needed()
    menu.click()
    button = page.locator(f".st-key-dl-{key}-{kind} button")
    expect(button).to_be_visible()
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None
    data = download.path().read_bytes()
    page.keyboard.press("Escape")  # close the menu
    expect(button).to_be_hidden()
    return download.suggested_filename, data


def csv_rows(data: bytes) -> list[list[str]]:
    assert data[:3] == BOM, data[:10]
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data.decode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


# ---- a neighbourhood's page -----------------------------------------------------------------


def test_a_neighbourhood_s_chart_and_table_downloads(page: Page, base_url: str) -> None:
    open_view(page, base_url, f"/nb-{B}", period="2024")
    assert_no_errors(page)

    name, png = fetch(page, "nb_trend", "png")
    assert name == "잇다_배방읍_월별추이_2024.png"
    # Drawn 800 px wide (lib.exports.FILE_WIDTH) and 260 high (the trend's height), twice.
    assert png_size(png) == (1600, 520)

    name, svg = fetch(page, "nb_trend", "svg")
    assert name == "잇다_배방읍_월별추이_2024.svg"
    texts = svg_texts(svg)
    assert "사례(건)" in texts  # the y axis's title
    assert {"발굴", "신규 사례관리", "종결"} <= set(texts)  # the legend
    # The font's glyphs travel with the picture (an @font-face of Pretendard GOV).
    face = re.search(
        rb"font-family:'Pretendard GOV';font-weight:400;src:url\(data:font/woff2;base64,([^)]+)\)",
        svg,
    )
    font = TTFont(io.BytesIO(base64.b64decode(face.group(1))))
    assert {ord(ch) for ch in "사례건발굴종결"} <= set(font.getBestCmap())

    name, data = fetch(page, "nb_trend", "csv")
    assert name == "잇다_배방읍_월별추이_2024.csv"
    rows = csv_rows(data)
    assert rows[0] == ["월", "발굴", "신규 사례관리", "종결"]
    discovered = {"2024-02", "2024-04", "2024-06", "2024-08", "2024-10", "2024-11"}
    opened = {"2024-01", "2024-02", "2024-04", "2024-06", "2024-10", "2024-11"}
    closed = {"2024-03", "2024-05", "2024-10", "2024-12"}
    assert rows[1:] == [
        [m, str(int(m in discovered)), str(int(m in opened)), str(int(m in closed))] for m in MONTHS
    ]

    name, data = fetch(page, "nb_trend", "xlsx")
    assert name == "잇다_배방읍_월별추이_2024.xlsx"
    ws = sheet(data)
    assert ws.title == "월별추이" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["월", "발굴", "신규 사례관리", "종결"]
    assert all(c.font.bold for c in ws[1])
    assert [c.value for c in ws[3]] == [dt.datetime(2024, 2, 1), 1, 1, 0]  # February
    assert [c.number_format for c in ws[3]] == ["yyyy-mm", "#,##0", "#,##0", "#,##0"]
    assert ws.max_row == 13

    # The waiting referrals' table, as shown.
    name, data = fetch(page, "nb_pending_table", "csv")
    assert name == "잇다_배방읍_응답대기중인의뢰_2024.csv"
    rows = csv_rows(data)
    assert rows[0] == ["사례번호", "의뢰기관 → 수신기관", "의뢰일", "대기일(일)", "기한 초과"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("C14", "2024-06-24", "190"),
        ("C16", "2024-12-24", "7"),
    ]
    ws = sheet(fetch(page, "nb_pending_table", "xlsx")[1])
    assert (ws["C2"].value, ws["C2"].number_format) == (dt.datetime(2024, 6, 24), "yyyy-mm-dd")
    assert (ws["D2"].value, ws["D2"].data_type) == (190, "n")
    assert_no_errors(page)


# ---- the overview ---------------------------------------------------------------------------

HEADERS = [
    "읍면동",
    "구분",
    "세대수",
    "발굴 가구",
    "진행 중 사례",
    "서비스 지원 가구",
    "의뢰 건수",
    "모금액(만원)",
    "지원액(만원)",
    "수락률(%)",
    "기한 초과 대기",
]


def test_the_overview_s_table_and_chart_downloads(page: Page, base_url: str) -> None:
    open_view(page, base_url, "/", period="2024")
    assert_no_errors(page)

    name, data = fetch(page, "overview_table", "csv")
    assert name == "잇다_테스트시_읍면동비교주요지표_2024.csv"
    rows = csv_rows(data)
    assert rows[0] == HEADERS
    by_name = {r[0]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    assert list(by_name) == ["시 전체", "온양1동", "배방읍", "송악면"]
    picked = ["세대수", "발굴 가구", "모금액(만원)", "지원액(만원)"]
    assert {n: [row[h] for h in picked] for n, row in by_name.items()} == {
        "시 전체": ["3500", "13", "1260", "175"],
        "온양1동": ["1000", "6", "370", "80"],
        "배방읍": ["2000", "6", "360", "95"],
        "송악면": ["500", "1", "0", "0"],
    }
    assert by_name["온양1동"]["구분"] == "동"

    name, data = fetch(page, "overview_table", "xlsx")
    ws = sheet(data)
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == HEADERS
    assert [c.value for c in ws[3]][:4] == ["온양1동", "동", 1000, 6]
    formats = {h: c.number_format for h, c in zip(HEADERS, ws[3], strict=True)}
    assert formats["세대수"] == formats["발굴 가구"] == formats["모금액(만원)"] == "#,##0"
    assert formats["수락률(%)"] == "0.0"
    assert ws["H3"].value == 370 and ws["H2"].value == 1260

    # A trend chart: its picture and its data.
    name, png = fetch(page, "overview_trend_donations", "png")
    assert name == "잇다_테스트시_월별추이후원모금·지원_2024.png"
    assert png_size(png) == (1600, 520)
    _, svg = fetch(page, "overview_trend_donations", "svg")
    assert "금액(만원)" in svg_texts(svg)  # the money axis names its unit
    rows = csv_rows(fetch(page, "overview_trend_donations", "csv")[1])
    assert rows[0] == ["월", "모금액(만원)", "지원액(만원)"]
    assert rows[1:4] == [
        ["2024-01", "300", "30"],
        ["2024-02", "210", "20"],
        ["2024-03", "500", "40"],
    ]
    assert_no_errors(page)


# ---- a partner's link -----------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(the app's root URL, its database URL), once on SQLite and once on PostgreSQL."""
    server = request.getfixturevalue(f"server_{request.param}")
    database = "postgres" if request.param == "postgresql" else request.param
    return server.base_url, request.getfixturevalue(f"city_{database}_url")


@pytest.fixture
def fresh(browser: Browser) -> Iterator[BrowserContext]:
    """A browser context of its own: no cookie of another test's link."""
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def test_a_partner_s_download_holds_what_the_page_shows(served, fresh: BrowserContext) -> None:
    base_url, db_url = served
    link, url = access.create_link(
        engine_for(db_url),
        created_by="시험담당",
        neighbourhood_codes=[C],
        label="다운로드 시험",
    )
    page = fresh.new_page()
    page.goto(f"{base_url}/share/{url.rsplit('/', 1)[1]}")
    wait_for_app(page)
    open_view(page, base_url, f"nb-{C}", period="2024")
    expect(page.get_by_role("heading", level=1)).to_have_text("송악면")
    expect_metric(page, "discovered", "<5")

    name, data = fetch(page, "nb_trend", "csv")
    assert name == "잇다_송악면_월별추이_2024.csv"
    rows = csv_rows(data)
    # The watermark first, as on the page; then the table, November's case as "<5".
    assert rows[0][0].startswith("송악면 열람용 · 다운로드 시험 · ") and rows[0][0].endswith(" KST")
    assert rows[1] == ["월", "발굴", "신규 사례관리", "종결"]
    assert rows[2:] == [[m, "<5" if m == "2024-11" else "0", "0", "0"] for m in MONTHS]

    ws = sheet(fetch(page, "nb_trend", "xlsx")[1])
    assert ws["A1"].value.startswith("송악면 열람용 · 다운로드 시험 · ")
    assert ws.freeze_panes == "A3"  # the header is row 2, under the watermark
    assert (ws["B13"].value, ws["B13"].data_type) == ("<5", "s")  # November, as text

    # Each file is in the audit log, with the link and the file's name.
    with engine_for(db_url).connect() as conn:
        rows = conn.execute(
            sa.text("SELECT detail FROM audit_event WHERE action = 'download' AND link_id = :id"),
            {"id": link.id},
        ).all()
    assert sorted(r[0] for r in rows) == [
        "잇다_송악면_월별추이_2024.csv",
        "잇다_송악면_월별추이_2024.xlsx",
    ]
