"""A 시·도's map (AppTest on 한빛도, tests/fixture_app_regions.py; SQLite and PostgreSQL):
the province's neighbourhoods, each in its 시·군·구's colour, with the district's name,
value and rank; a click opens the district's page. The nation's page draws no map.

Values by hand (the fixture's docstring), 2024, 발굴 가구 ranked per 1,000 households:
  한빛시 (44200): 3 + 1 + 2 = 6 discovered over 1,000 + 2,000 + 500 = 3,500 households
                  → 6 / 3,500 × 1,000 = 1.714…, written 1.7; 1st of 2
  누리시 (44210): 4 + 0 = 4 over 1,000 + 1,500 = 2,500 → 1.6; 2nd of 2
Shapes: a square for each neighbourhood but 누리1동 (the neighbourhood without one), its
corners given to 6 decimals (the 시·도 map rounds them to 3).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lib.db import make_engine
from lib.queries.boundaries import replace_boundaries
from tests.apptest import clear_caches, point_app_at, run_page
from tests.fixture_app_regions import H1, H2, H_CENTRAL, N_CENTRAL
from tests.fixture_geo import square
from tests.fixture_regions import CODES as NATION_CODES
from tests.fixture_regions import load_fixture_regions as load_nation
from tests.test_app_map import map_layers, properties
from tests.test_app_regions import captions, regions_url  # noqa: F401 (fixture)

SHAPED = (H_CENTRAL, H1, H2, N_CENTRAL)


def _shapes(codes) -> list[tuple[str, str]]:
    return [
        (
            code,
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [
                        square(127.000123 + i / 50, 36.800123, 127.020123 + i / 50, 36.820123)
                    ],
                }
            ),
        )
        for i, code in enumerate(codes)
    ]


@pytest.fixture
def mapped(regions_url):  # noqa: F811
    engine = make_engine(regions_url)
    with engine.begin() as conn:
        replace_boundaries(conn, _shapes(SHAPED), dt.datetime(2024, 12, 31, tzinfo=dt.UTC))
    engine.dispose()
    clear_caches()
    return regions_url


def test_the_province_map_colours_each_neighbourhood_by_its_district(mapped):
    at = run_page(period="2024")
    at.selectbox(key="overview_ranking_metric").set_value("discovered").run()
    assert not at.exception
    (layers,) = map_layers(at)
    got = [
        (p["code"], p["name"], p["value"], p["text"], p["rank"])
        for p in properties(layers["map_areas"])
    ]
    hanbit = ("한빛시", 6 / 3500 * 1000, "1.7", "2곳 중 1위")
    nuri = ("누리시", 1.6, "1.6", "2곳 중 2위")
    assert got == [
        (H_CENTRAL, *hanbit),
        (H1, *hanbit),
        (H2, *hanbit),
        (N_CENTRAL, *nuri),
    ]
    # drawn coarse: a 시·도's map rounds to 3 decimals (lib.geo.coarse_geometry)
    for feature in layers["map_areas"]["data"]["values"]:
        for x, y in feature["geometry"]["coordinates"][0]:
            assert (round(x, 3), round(y, 3)) == (x, y)
    # the tooltip names the unit; no names over hundreds of shapes; the caption says how
    tooltip = layers["map_areas"]["encoding"]["tooltip"]
    assert tooltip[0]["title"] == "시군구"
    assert "map_labels" not in layers
    assert any("읍면동마다 그 시군구의 값으로 칠했습니다" in c for c in captions(at))


def test_a_click_on_the_province_map_opens_the_district(mapped):
    at = run_page(period="2024", compare="yoy")
    at.session_state["_overview_map_goto"] = N_CENTRAL  # what the chart's callback sets
    at.run()
    assert not at.exception
    assert at.title[0].value == "누리시 복지 네트워크 개요"
    assert at.query_params["compare"] == "yoy"
    # the district's own page maps its neighbourhoods, each with its own value
    (layers,) = map_layers(at)
    assert [p["code"] for p in properties(layers["map_areas"])] == [N_CENTRAL]


def test_no_map_without_shapes(regions_url):  # noqa: F811
    at = run_page(period="2024")
    assert map_layers(at) == []


def test_the_nation_draws_no_map_and_its_provinces_do(db_url, monkeypatch):
    # tests/fixture_regions.py: two 시·도 (11, 44), three 시·군·구, five 읍면동, every one shaped
    engine = make_engine(db_url)
    with engine.begin() as conn:
        load_nation(conn)
        replace_boundaries(conn, _shapes(NATION_CODES), dt.datetime(2024, 12, 31, tzinfo=dt.UTC))
    engine.dispose()
    point_app_at(monkeypatch, db_url)
    try:
        assert map_layers(run_page(period="2024")) == []  # 17 시·도 would be every shape
        at = run_page("region-11", period="2024")
        (layers,) = map_layers(at)
        # 11: 11110 (1111051500, 1111052000) and 11140 (1114055000), named by district
        names = {p["code"]: p["name"] for p in properties(layers["map_areas"])}
        assert names == {"1111051500": "가구", "1111052000": "가구", "1114055000": "나구"}
    finally:
        clear_caches()
