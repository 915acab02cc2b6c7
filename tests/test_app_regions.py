"""Region levels in the app (AppTest on 한빛도, tests/fixture_app_regions.py; SQLite and
PostgreSQL): the menu lists levels, not neighbourhoods; the picker; region pages scoped to
their region; neighbourhood pages compared with their district; deep links; refusals.

Expected numbers are the fixture's hand sums (its docstring): discovered households in
2024 vs 2023 — 한빛도 10 vs 3, 한빛시 6 vs 1, 누리시 4 vs 2; 누리시 중앙동 4 vs 0.
"""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import access
from lib.db import engine_for, make_engine
from tests.apptest import APP, TIMEOUT, clear_caches, point_app_at, run_page
from tests.fixture_app_regions import (
    H1,
    H2,
    H_CENTRAL,
    HANBIT,
    N1,
    N_CENTRAL,
    NURI,
    load_fixture_regions,
)

SECRET = "r" * 40


@pytest.fixture
def regions_url(db_url, monkeypatch):
    """A database holding 한빛도; the app is pointed at it."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        load_fixture_regions(conn)
    engine.dispose()
    monkeypatch.setenv("ITDA_SHARE_SECRET", SECRET)
    point_app_at(monkeypatch, db_url)
    yield db_url
    clear_caches()


@pytest.fixture
def menu(monkeypatch):
    """The pages each run gives st.navigation: [(section, title, url_path, visibility)]."""
    seen: list[list[tuple[str, str, str, str]]] = []
    original = st.navigation

    def recording(pages, **kw):
        seen.append(
            [
                (section, p.title, p.url_path, p.visibility)
                for section, items in pages.items()
                for p in items
            ]
        )
        return original(pages, **kw)

    monkeypatch.setattr(st, "navigation", recording)
    return seen


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def deltas(at: AppTest) -> dict[str, str]:
    return {m.label: m.delta for m in at.metric}


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def table_rows(at: AppTest) -> list[tuple[str, str]]:
    """(link, households) of each row of the comparison table (the page's first table)."""
    frame = at.dataframe[0].value
    # "./region-44200?period=2024#한빛시": the path and the name shown, without the query.
    links = [f"{link.split('?')[0]}#{link.split('#')[1]}" for link in frame["link"]]
    return list(zip(links, frame["households"], strict=True))


def test_the_menu_lists_levels_not_neighbourhoods(regions_url, menu):
    at = run_page(period="2024")
    pages = menu[-1]
    visible = [(title, path) for _, title, path, vis in pages if vis != "hidden"]
    assert visible == [
        ("한빛도 개요", ""),  # the default page, served at /
        ("지역 찾기", "regions"),
        ("사례공유 네트워크", "case-sharing"),
        ("후원", "city-donations"),
        ("지표 정의", "metric-definitions"),
        ("보고서", "report"),
        ("공유 링크", "share-links"),
        ("데이터 가져오기", "data-import"),
        ("감사 기록", "audit-log"),
    ]
    # No neighbourhood, agency or region page is registered unless asked for.
    assert not [p for _, _, p, _ in pages if p.startswith(("nb-", "region-", "agency-"))]
    assert [t.value for t in at.title] == ["한빛도 복지 네트워크 개요"]


def test_top_overview_compares_the_districts(regions_url):
    at = run_page(period="2024")
    assert tiles(at)["발굴 가구"] == "10"  # 6 + 4
    assert deltas(at)["발굴 가구"] == "+7 (+233.3%)"  # 10 vs 3: 7 / 3 = 233.33… %
    # One row for the province, then its districts (households 1,000+2,000+500 and
    # 1,000+1,500), each linking to its own page.
    rows = table_rows(at)
    assert [(link, int(h)) for link, h in rows] == [
        ("./#한빛도 전체", 6000),
        (f"./region-{HANBIT}#한빛시", 3500),
        (f"./region-{NURI}#누리시", 2500),
    ]
    assert at.subheader[1].value == "시군구 비교"


def test_district_page_is_scoped_to_its_neighbourhoods(regions_url, menu):
    at = run_page(f"region-{HANBIT}", period="2024")
    assert [t.value for t in at.title] == ["한빛시 복지 네트워크 개요"]
    assert tiles(at)["발굴 가구"] == "6"  # 3 + 1 + 2
    assert deltas(at)["발굴 가구"] == "+5 (+500.0%)"  # vs H10 alone
    rows = table_rows(at)
    assert [(link, int(h)) for link, h in rows] == [
        (f"./region-{HANBIT}#한빛시 전체", 3500),
        (f"./nb-{H_CENTRAL}#중앙동", 1000),
        (f"./nb-{H1}#한빛1동", 2000),
        (f"./nb-{H2}#한빛2동", 500),
    ]
    # 누리시's neighbourhoods appear nowhere on the page.
    text = "\n".join(_chart_data(e) for e in at.get("vega_lite_chart"))
    assert "한빛1동" in text and "누리1동" not in text and "누리시" not in text
    # Breadcrumb: 한빛도 (the overview at /) › 한빛시.
    crumbs = [
        h.proto.body
        for h in at.get("html")
        if h.proto.body.startswith('<nav class="itda-breadcrumb"')
    ]
    assert len(crumbs) == 1
    assert 'href="./?period=2024"' in crumbs[0] and ">한빛도</a>" in crumbs[0]
    # Only this run's page is registered, hidden.
    data_pages = [(p, v) for _, _, p, v in menu[-1] if p.startswith(("nb-", "region-"))]
    assert data_pages == [(f"region-{HANBIT}", "hidden")]


def test_neighbourhood_is_compared_with_its_district(regions_url):
    at = run_page(f"nb-{N_CENTRAL}", period="2024")
    assert [t.value for t in at.title] == ["중앙동"]  # 누리시's, not 한빛시's
    assert tiles(at)["발굴 가구"] == "4"
    # 누리시: 4 + 0 = 4; ranked per 1,000 households among 누리시's two neighbourhoods:
    # 중앙동 4 / 1,000 × 1,000 = 4.0, 누리1동 0 → 중앙동 first of 2.
    assert "누리시 전체 4 · 2개 읍면동 중 1위(1천 세대당, 높은 순)" in captions(at)


def test_neighbourhood_rank_among_its_district_only(regions_url):
    at = run_page(f"nb-{H2}", period="2024")
    # 한빛시 per 1,000 households: 중앙동 3/1,000 → 3.0, 한빛1동 1/2,000 → 0.5,
    # 한빛2동 2/500 → 4.0: 한빛2동 first of 3 (누리시's 중앙동, 4.0, is not a sibling).
    assert "한빛시 전체 6 · 3개 읍면동 중 1위(1천 세대당, 높은 순)" in captions(at)


def test_english_region_words(regions_url):
    at = run_page(f"nb-{H1}", period="2024", lang="en")
    # 한빛1동 0.5 per 1,000: third of 3.
    assert "All of 한빛시 6 · rank 3 of 3 per 1,000 households, highest first" in captions(at)
    at = run_page(f"region-{NURI}", period="2024", lang="en")
    assert [t.value for t in at.title] == ["누리시: welfare network overview"]


def test_picker_selects_cascade_and_open_pages(regions_url):
    at = run_page(f"nb-{N_CENTRAL}", period="2024")
    district = at.selectbox(key="pick-district")
    hood = at.selectbox(key="pick-hood")
    # Preselected from the page shown; one district's neighbourhoods only.
    assert (district.value, hood.value) == (NURI, N_CENTRAL)
    assert district.options == ["한빛시", "누리시"]
    assert hood.options == ["중앙동", "누리1동"]
    district.set_value(HANBIT).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["한빛시 복지 네트워크 개요"]
    assert tiles(at)["발굴 가구"] == "6"
    at.selectbox(key="pick-hood").set_value(H1).run()
    assert [t.value for t in at.title] == ["한빛1동"]
    assert tiles(at)["발굴 가구"] == "1"


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(e.proto.label, e.proto.page) for e in at.get("page_link")]


def test_picker_search_by_name_and_code(regions_url):
    at = run_page(period="2024")
    at.text_input(key="pick-search").set_value("중앙").run()
    assert not at.exception
    # Both 중앙동, by code, each named with its district.
    labels = [label for label, _ in _links(at)]
    assert labels == [
        f"한빛시 중앙동 · 읍면동 {H_CENTRAL}",
        f"누리시 중앙동 · 읍면동 {N_CENTRAL}",
    ]
    at.text_input(key="pick-search").set_value("44210").run()
    assert [label for label, _ in _links(at)] == [
        f"누리시 · 시군구 {NURI}",
        f"누리시 중앙동 · 읍면동 {N_CENTRAL}",
        f"누리시 누리1동 · 읍면동 {N1}",
    ]
    at.text_input(key="pick-search").set_value("없는곳").run()
    assert "찾은 지역이 없습니다." in captions(at)


def test_picker_says_when_it_shows_only_some(regions_url, monkeypatch):
    from lib import ui

    monkeypatch.setattr(ui, "PICK_LIMIT", 2)
    at = run_page(period="2024")
    at.text_input(key="pick-search").set_value("44210").run()
    assert not at.exception
    # 누리시 and its two neighbourhoods match: the first two are shown, and it says so
    assert [label for label, _ in _links(at)] == [
        f"누리시 · 시군구 {NURI}",
        f"누리시 중앙동 · 읍면동 {N_CENTRAL}",
    ]
    assert "3곳 가운데 2곳만 보입니다. 이름을 더 쓰거나 코드로 찾으세요." in captions(at)
    at.text_input(key="pick-search").set_value(N1).run()
    assert [label for label, _ in _links(at)] == [f"누리시 누리1동 · 읍면동 {N1}"]
    assert not any("가운데" in c for c in captions(at))


def test_unknown_region_gets_the_not_found_page(regions_url):
    # A reload of the address (the browser names it; AppTest gives the hash and the
    # session remembers the name, as dashboard._requested_path does after a first visit).
    for path in ("region-99999", "nb-4499999999", f"region-{HANBIT}9"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.session_state["_itda_unknown_path"] = path
        at._page_hash = calc_hash(path)
        at.run()
        assert not at.exception
        assert [t.value for t in at.title] == ["페이지를 찾을 수 없습니다"], path
        assert not at.metric


def test_partner_cannot_open_a_region_page(regions_url):
    engine = engine_for(regions_url)
    _, url = access.create_link(
        engine,
        created_by="kim@city.kr",
        label="누리 복지관",
        neighbourhood_codes=[N_CENTRAL],
        days=7,
    )
    token = url.rsplit("/", 1)[1]
    for path in (f"region-{NURI}", f"region-{HANBIT}", f"nb-{H_CENTRAL}"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["share"] = token
        at._page_hash = calc_hash(path)
        at.run()
        assert not at.exception
        assert not at.metric, path
        assert "이 링크로는 열 수 없는 페이지입니다" in [t.value for t in at.title], path
    # Its own page opens, without the district's value or rank.
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["share"] = token
    at.query_params["period"] = "2024"
    at._page_hash = calc_hash(f"nb-{N_CENTRAL}")
    at.run()
    assert [t.value for t in at.title] == ["중앙동"]
    assert not [c for c in captions(at) if "전체" in c]


def test_donations_page_compares_the_districts(regions_url):
    at = run_page("city-donations", period="2024")
    assert tiles(at)["모금액"] == "200만원"  # 1,000,000 + 500,000 + 300,000 + 200,000
    # The districts, then the province-wide fund; money in 만원: 150, 30, 20.
    table = at.dataframe[0].value
    assert list(table["name"]) == ["한빛시", "누리시", "한빛도 공동 모금"]
    assert [int(v) for v in table["raised_krw"]] == [150, 30, 20]
    # The heat map, the page's second chart (after the targets).
    text = _chart_data(at.get("vega_lite_chart")[1])
    assert "rect" in text
    assert "한빛시" in text and "누리시" in text and "중앙동" not in text


def _chart_data(element) -> str:
    import pyarrow as pa

    parts = [element.proto.spec]
    for dataset in element.proto.datasets:
        with pa.ipc.open_stream(dataset.data.data) as reader:
            parts.append(json.dumps(reader.read_all().to_pylist(), ensure_ascii=False, default=str))
    return "\n".join(parts)
