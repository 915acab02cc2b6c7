"""The maps (lib.charts.maps): what the spec holds, worked out by hand from 테스트시.

Values: households identified (발굴 가구) in 2024 per 1,000 households, from
tests/fixture_city.py: 온양1동 (A) C03–C08 = 6 of 1,000 households → 6.0; 배방읍 (B)
C12–C17 = 6 of 2,000 → 3.0; 송악면 (C) C18 = 1 of 500 → 2.0. Ranks 1, 2, 3 of 3.
Shapes: A and B from tests/fixture_geo.py (C has none).
"""

from __future__ import annotations

import pandas as pd

from lib.charts import maps
from lib.charts.theme import FONT, LIGHT_GREY, ORANGE
from lib.suppression import SMALL, Suppressed
from tests.fixture_city import A, B, C
from tests.fixture_geo import STORED_A, STORED_B

SHAPES = [(A, STORED_A), (B, STORED_B)]


def values(a: object = 6.0, b: object = 3.0, c: object = 2.0, ranks=(1, 2, 3)) -> pd.DataFrame:
    index = pd.Index([A, B, C], name="code")
    return pd.DataFrame(
        {
            "name": ["온양1동", "배방읍", "송악면"],
            "value": pd.Series([a, b, c], dtype=object, index=index),
            "rank": pd.array(list(ranks), dtype="Int64"),
        },
        index=index,
    )


def layers(chart) -> dict[str, dict]:
    spec = chart.to_dict()
    return {layer["name"]: layer for layer in spec["layer"]}, spec


def data(spec: dict, layer: dict) -> list[dict]:
    """A layer's rows as Vega-Lite gives them to it: its own data or the chart's (GeoJSON
    features stay in the spec as they are), through its filter of the features with a
    value (`maps.HAS_VALUE`, the only filter the maps use)."""
    source = layer.get("data") or spec["data"]
    rows = source["values"] if "values" in source else spec["datasets"][source["name"]]
    for step in layer.get("transform", []):
        if "filter" in step:
            assert step["filter"] == maps.HAS_VALUE
            rows = [r for r in rows if r["properties"]["value"] is not None]
    return rows


def test_one_feature_per_neighbourhood_with_a_shape_and_its_value():
    chart = maps.choropleth_chart(
        SHAPES, values(), "ko", value_title="1천 세대당 발굴 가구", unit="per_1000"
    )
    by_name, spec = layers(chart)
    base = data(spec, by_name["map_areas"])
    assert [f["geometry"] for f in base] == [STORED_A, STORED_B]
    assert [
        (f["properties"]["code"], f["properties"]["name"], f["properties"]["value"]) for f in base
    ] == [(A, "온양1동", 6.0), (B, "배방읍", 3.0)]
    # The tooltip's words: the value as the tiles write it, the rank among all three.
    assert [(f["properties"]["text"], f["properties"]["rank"]) for f in base] == [
        ("6.0", "3곳 중 1위"),
        ("3.0", "3곳 중 2위"),
    ]
    coloured = data(spec, by_name["map_colours"])
    assert [f["properties"]["value"] for f in coloured] == [6.0, 3.0]
    labels = data(spec, by_name["map_labels"])
    assert [r["name"] for r in labels] == ["온양1동", "배방읍"]
    # A's label sits at its square's centre.
    assert (labels[0]["lon"], labels[0]["lat"]) == (127.01, 36.81)


def test_the_chart_s_encoding_projection_legend_and_click():
    chart = maps.choropleth_chart(SHAPES, values(), "en", value_title="Per 1,000", unit="per_1000")
    by_name, spec = layers(chart)
    assert spec["projection"] == {"type": "mercator"}
    colour = by_name["map_colours"]["encoding"]["color"]
    assert colour["field"] == "properties.value" and colour["scale"]["scheme"] == "blues"
    assert colour["title"] == "Per 1,000"
    assert colour["legend"]["labelExpr"] == "format(datum.value, ',.1~f') + ''"
    assert by_name["map_areas"]["mark"]["fill"] == LIGHT_GREY
    tooltip = by_name["map_areas"]["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Neighbourhood", "Per 1,000", "Rank"]
    assert spec["params"] == [
        {
            "name": maps.PICK,
            "select": {"type": "point", "fields": ["code"], "on": "click", "toggle": False},
            "views": ["map_areas"],
        }
    ]
    assert spec["config"]["font"] == FONT


def test_a_neighbourhood_without_a_value_is_grey_with_a_dash():
    chart = maps.choropleth_chart(
        SHAPES, values(b=float("nan"), ranks=(1, None, 2)), "ko", value_title="x", unit="rate"
    )
    by_name, spec = layers(chart)
    base = data(spec, by_name["map_areas"])
    assert [(f["properties"]["value"], f["properties"]["text"]) for f in base] == [
        (6.0, "6.0%"),
        (None, "–"),
    ]
    assert base[1]["properties"]["rank"] == "–"
    assert base[0]["properties"]["rank"] == "2곳 중 1위"
    assert [f["properties"]["code"] for f in data(spec, by_name["map_colours"])] == [A]


def test_a_suppressed_value_never_reaches_the_chart():
    chart = maps.choropleth_chart(
        SHAPES,
        values(a=Suppressed(SMALL, 5), ranks=(None, 1, 2)),
        "ko",
        value_title="x",
        unit="count",
    )
    by_name, spec = layers(chart)
    first = data(spec, by_name["map_areas"])[0]["properties"]
    assert (first["value"], first["text"]) == (None, "–")
    assert "<5" not in str(spec)


def test_no_map_without_shapes():
    assert maps.choropleth_chart([], values(), "ko", value_title="x") is None
    # Shapes of neighbourhoods the values do not know (outside the scope) are not drawn.
    assert (
        maps.choropleth_chart([("9999999999", STORED_A)], values(), "ko", value_title="x") is None
    )


def test_the_locator_highlights_its_neighbourhood_only():
    spec = maps.locator_chart(SHAPES, B, "ko").to_dict()
    features = data(spec, spec)
    # B drawn last, so its outline lies over its neighbours'.
    assert [(f["properties"]["code"], f["properties"]["here"]) for f in features] == [
        (A, False),
        (B, True),
    ]
    colour = spec["encoding"]["color"]
    assert colour["condition"] == {"test": "datum.properties.here", "value": ORANGE}
    assert colour["value"] == LIGHT_GREY
    assert maps.locator_chart(SHAPES, C, "ko") is None
    assert maps.locator_chart([], A, "ko") is None


def test_the_legend_reads_like_the_tiles():
    def legend(unit: str, lang: str) -> str:
        chart = maps.choropleth_chart(SHAPES, values(), lang, value_title="x", unit=unit)
        by_name, _ = layers(chart)
        return by_name["map_colours"]["encoding"]["color"]["legend"]["labelExpr"]

    assert legend("count", "ko") == "format(datum.value, ',.0f') + ''"
    assert legend("rate", "en") == "format(datum.value, ',.1~f') + '%'"
    assert legend("days", "ko") == "format(datum.value, ',.1~f') + '일'"
    assert "'억'" in legend("krw", "ko")  # 3만 · 1.2억, as the money axes
