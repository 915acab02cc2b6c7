"""The maps in the app (AppTest on 테스트시, SQLite and PostgreSQL): absent without boundaries,
drawn from the imported shapes with the ranking's values, and a click opens the page.

Values by hand from tests/fixture_city.py, 2024:
  진행 중 사례 per 1,000 households (the ranking's default), active on 2024-12-31:
    온양1동 (A) C02 C05 C07 C08 = 4 of 1,000 → 4.0; 배방읍 (B) C11 C14 C17 = 3 of 2,000 → 1.5;
    송악면 (C) none → 0.0. Ranks 1, 2, 3 of 3.
  발굴 가구 (ranked per 1,000 households): A C03–C08 = 6 → 6.0; B C12–C17 = 6 of 2,000 → 3.0.
Shapes (tests/fixture_geo.py): A and B only.
"""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lib import access
from lib.db import engine_for
from tests.apptest import APP, TIMEOUT, clear_caches
from tests.fixture_city import A, B, C
from tests.fixture_geo import import_city_boundaries
from tests.test_app_pages import run_app


@pytest.fixture
def mapped_url(city_url):
    """테스트시 with the shapes of A and B imported."""
    import_city_boundaries(engine_for(city_url))
    clear_caches()
    return city_url


def specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def map_layers(at: AppTest) -> list[dict[str, dict]]:
    """{layer name: layer} of every map on the page (the charts with a `map_areas` layer)."""
    found = []
    for spec in specs(at):
        # A layer without data of its own draws the chart's (the maps share their features).
        names = {
            layer.get("name"): {"data": spec.get("data"), **layer} if "data" not in layer else layer
            for layer in spec.get("layer", [])
        }
        if "map_areas" in names:
            found.append(names)
    return found


def properties(layer: dict) -> list[dict]:
    return [f["properties"] for f in layer["data"]["values"]]


def test_no_map_on_the_overview_without_boundaries(city_url):
    at = run_app(period="2024")
    assert map_layers(at) == []
    assert "지도로 보기" not in [s.value for s in at.subheader]
    assert len(specs(at)) == 4  # the ranking and the three trends, as before


def test_the_overview_map_has_one_feature_per_shape_with_the_ranking_s_values(mapped_url):
    at = run_app(period="2024")
    (layers,) = map_layers(at)
    assert [
        (p["code"], p["value"], p["text"], p["rank"]) for p in properties(layers["map_areas"])
    ] == [
        (A, 4.0, "4.0", "3곳 중 1위"),
        (B, 1.5, "1.5", "3곳 중 2위"),
    ]
    assert "지도로 보기" in [s.value for s in at.subheader]
    # The ranking's metric chooses the map's values, per 1,000 households as it ranks.
    at.selectbox(key="overview_ranking_metric").set_value("discovered").run()
    (layers,) = map_layers(at)
    assert [(p["code"], p["value"]) for p in properties(layers["map_areas"])] == [
        (A, 6.0),
        (B, 3.0),
    ]
    assert layers["map_colours"]["encoding"]["color"]["title"] == "발굴 가구 (1천 세대당)"


def test_a_click_on_the_map_opens_the_neighbourhood_keeping_the_filters(mapped_url):
    at = run_app(period="2024", compare="yoy", lang="en")
    at.session_state["_overview_map_goto"] = B  # what the chart's on_select callback sets
    at.run()
    assert not at.exception
    assert at.title[0].value == "배방읍"
    assert at.query_params["compare"] == "yoy"
    assert "_overview_map_goto" not in at.session_state


def test_the_locator_on_a_neighbourhood_page(mapped_url):
    at = run_app(f"nb-{A}", period="2024")
    (spec,) = specs_with_locator(at)
    assert [(p["code"], p["here"]) for p in spec_features(spec)] == [(B, False), (A, True)]
    assert "시 안에서의 위치" in [c.value for c in at.caption]
    at = run_app(f"nb-{C}", period="2024")  # no shape: no locator
    assert specs_with_locator(at) == []


def test_no_locator_without_boundaries(city_url):
    assert specs_with_locator(run_app(f"nb-{A}", period="2024")) == []


def specs_with_locator(at: AppTest) -> list[dict]:
    return [s for s in specs(at) if "here" in json.dumps(s)]


def spec_features(spec: dict) -> list[dict]:
    return [f["properties"] for f in spec["data"]["values"]]


def test_a_partner_s_neighbourhood_link_sees_only_its_own_shape(mapped_url, monkeypatch):
    monkeypatch.setenv("ITDA_SHARE_SECRET", "t" * 40)
    link, url = access.create_link(
        engine_for(mapped_url), created_by="kim@city.kr", neighbourhood_codes=(B,)
    )
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["share"] = url.rsplit("/", 1)[1]
    at.query_params["period"] = "2024"
    at._page_hash = calc_hash(f"nb-{B}")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "배방읍"
    (spec,) = specs_with_locator(at)
    assert [(p["code"], p["here"]) for p in spec_features(spec)] == [(B, True)]
    assert A not in json.dumps(spec)


def test_an_import_from_the_command_line_shows_on_the_next_run(city_url):
    """No cache clearing: the boundaries' import time is part of the data-version token."""
    at = run_app(period="2024")
    assert map_layers(at) == []
    import_city_boundaries(engine_for(city_url))  # as `python -m lib.cli boundaries import`
    time.sleep(2.1)  # the token itself is kept for two seconds (one script run)
    at.run()
    (layers,) = map_layers(at)
    assert [p["code"] for p in properties(layers["map_areas"])] == [A, B]
