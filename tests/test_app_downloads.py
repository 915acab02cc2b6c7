"""Every chart and every table of every page has its download menu (AppTest, 테스트시).

A chart offers PNG, SVG, and its data as CSV and XLSX; a table CSV and XLSX. Counted per
page from what the page draws: Vega-Lite charts (the neighbourhood page's locator map is
not a chart of numbers, and 테스트시 has no boundaries here, so there is none), data
frames and static tables. The files themselves are tested in tests/test_exports.py and,
clicked in Chromium, in tests/browser/test_downloads.py.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.fixture_city import B
from tests.test_app_pages import run_app

PAGES = [
    None,  # the overview
    f"nb-{B}",
    "case-sharing",
    "agency-AG03",
    "city-donations",
    "metric-definitions",
    "audit-log",
    "data-import",
]


def _menus(at) -> dict[str, set[str]]:
    """Each download menu's key → the kinds of file it offers."""
    menus: dict[str, set[str]] = {}
    for button in at.get("download_button"):
        match = re.search(r"-dl-(.+)-(png|svg|csv|xlsx)$", button.proto.id)
        if match is None:  # the data page's own files (template, export)
            continue
        menus.setdefault(match.group(1), set()).add(match.group(2))
    return menus


@pytest.mark.parametrize("page", PAGES, ids=[p or "overview" for p in PAGES])
def test_every_chart_and_table_has_its_downloads(city_url, page):
    at = run_app(page, period="2024")
    menus = _menus(at)
    kinds = Counter(frozenset(k) for k in menus.values())
    charts = len(at.get("vega_lite_chart"))
    tables = len(at.dataframe) + len(at.table)
    assert kinds[frozenset({"png", "svg", "csv", "xlsx"})] == charts
    assert kinds[frozenset({"csv", "xlsx"})] == tables
    assert set(kinds) <= {frozenset({"png", "svg", "csv", "xlsx"}), frozenset({"csv", "xlsx"})}


def test_a_chart_s_menu_in_words(city_url):
    at = run_app(f"nb-{B}", period="2024")
    labels = [b.proto.label for b in at.get("download_button") if "dl-nb_trend-" in b.proto.id]
    assert labels == ["그림 PNG (고해상도)", "그림 SVG (벡터)", "데이터 CSV", "데이터 XLSX (엑셀)"]
