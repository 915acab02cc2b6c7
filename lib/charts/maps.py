"""Maps of the neighbourhoods: the overview's choropleth and a neighbourhood's locator map.

Shapes come from `lib.queries.boundaries` (simplified when they were imported, so the
browser gets a few kilobytes per neighbourhood). They go into the chart as inline GeoJSON
features, one per neighbourhood, whose properties carry what the tooltip says; a click
selects the neighbourhood's `code`. The projection is fitted
to the shapes; nothing is fetched from another origin (no tiles, no base map).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from lib import geo
from lib.charts.theme import (
    BLACK,
    BLUES_WHITE_FROM,
    FONT,
    LIGHT_GREY,
    ORANGE,
    WHITE,
    krw_axis_expr,
    themed,
)
from lib.formatting import format_value
from lib.i18n import t
from lib.suppression import as_float

# The selection a click on the choropleth makes (read by the overview's on_select).
PICK = "map_pick"
# Light → dark blue: one hue, readable with every common colour-vision deficiency.
SCHEME = "blues"
NO_VALUE = LIGHT_GREY
# Names stay on the map while there are few enough to read.
MAX_LABELS = 30
_AREAS, _COLOURS, _LABELS = "map_areas", "map_colours", "map_labels"
LOCATOR = "map_locator"  # its shapes are `g.map_locator_marks path` in the browser
# Colours and names lie over the grey shapes: the browser sends their clicks and hovers to
# the shape beneath (Vega's SVG renderer gives a view's marks the class `<view>_marks`).
CSS = f"<style>g.{_COLOURS}_marks, g.{_LABELS}_marks {{ pointer-events: none; }}</style>"

Shapes = Sequence[tuple[str, dict]]


def _legend_expr(unit: str, lang: str) -> str:
    """How the legend labels read, as the tiles write the unit (3만 · 12% · 4.5일 · 1,200)."""
    if unit == "krw":
        return krw_axis_expr(lang)
    suffix = {"rate": "'%'", "days": "'일'" if lang == "ko" else "' days'"}.get(unit, "''")
    digits = ",.0f" if unit == "count" else ",.1~f"
    return f"format(datum.value, '{digits}') + {suffix}"


# The colour layer's filter: the features that have a value (the rest stay grey).
HAS_VALUE = "datum.properties.value != null"


def map_features(
    shapes: Shapes, values: pd.DataFrame, lang: str, unit: str, ranked: int | None = None
) -> list[dict]:
    """One GeoJSON Feature per neighbourhood that has a shape and a row in `values`.

    `values` is indexed by code with columns name, value (NaN: no value) and rank
    (<NA>: unranked). The properties hold code, name, value (`None` when it is not a
    finite number: drawn grey), its text as the tiles write it, the rank's text and the
    label's position. Features, not flat rows: Streamlit passes GeoJSON to the browser as
    it is, but turns a table into Arrow, which would lose the nested coordinates.
    `ranked`: how many units were ranked ("2위 / 15"), when the rows are not the units
    themselves (a district's neighbourhoods share its value and rank); default: the rows'.
    """
    if ranked is None:
        ranked = int(values["rank"].notna().sum()) if "rank" in values else 0
    # A suppressed value ("<5", "–") is drawn as nothing, as in every chart.
    numbers = as_float(values["value"])
    features = []
    for code, geometry in shapes:
        if code not in values.index:
            continue
        row = values.loc[code]
        number = float(numbers.loc[code]) if math.isfinite(numbers.loc[code]) else None
        rank = row.get("rank") if "rank" in values else None
        lon, lat = geo.label_point(geometry)
        properties = {
            "code": code,
            "name": str(row["name"]),
            "value": number,
            "text": format_value(number, unit, lang, short=True),
            "rank": (
                t("map.rank", lang, rank=int(rank), n=ranked)
                if rank is not None and not pd.isna(rank)
                else "–"
            ),
            "lon": round(lon, 5),
            "lat": round(lat, 5),
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return features


def _labels(features: list[dict], size: int) -> alt.Chart:
    """The names at the shapes' centres: white on the darkest blues, black on the rest,
    at least 4.5:1 on every shade (`BLUES_WHITE_FROM`)."""
    values = [f["properties"]["value"] for f in features if f["properties"]["value"] is not None]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    dark = low + BLUES_WHITE_FROM * (high - low)
    rows = [
        {
            "code": f["properties"]["code"],
            "name": f["properties"]["name"],
            "lon": f["properties"]["lon"],
            "lat": f["properties"]["lat"],
            "dark": high > low and (f["properties"]["value"] or low) >= dark,
        }
        for f in features
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_text(fontSize=size, font=FONT)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            text="name:N",
            color=alt.condition("datum.dark", alt.value(WHITE), alt.value(BLACK)),
        )
    )


def choropleth_chart(
    shapes: Shapes,
    values: pd.DataFrame,
    lang: str = "ko",
    *,
    value_title: str,
    unit: str = "count",
    height: int = 420,
    labels: bool = True,
    area_title: str | None = None,
    ranked: int | None = None,
    stroke_width: float = 1.2,
) -> alt.LayerChart | None:
    """Neighbourhoods coloured by `values["value"]` (light → dark blue), or None without shapes.

    The tooltip gives the name, the value as the dashboard writes it and the rank; a click
    selects the neighbourhood (selection `PICK`, field `code`). Neighbourhoods without a
    value are grey. The page must also add `CSS` (clicks pass through colours and names).
    A 시·도's map colours each neighbourhood by its 시·군·구 (`values` repeats the district's
    name, value and rank for each of its neighbourhoods): `area_title` names the unit in
    the tooltip ("시군구"), `ranked` how many units were ranked, and thin borders let the
    districts read as areas.
    """
    rows = map_features(shapes, values, lang, unit, ranked)
    if not rows:
        return None
    tooltip = [
        alt.Tooltip("properties.name:N", title=area_title or t("chart.neighbourhood", lang)),
        alt.Tooltip("properties.text:N", title=value_title),
        alt.Tooltip("properties.rank:N", title=t("map.rank.title", lang)),
    ]
    # Every shape in grey underneath: it holds the tooltip and the click (a value that is
    # missing would otherwise make Vega-Lite leave its shape out altogether).
    # The features once, at the top of the layers: the grey shapes and the colours share
    # them (each copy of a 시·도's few hundred shapes is ≈ 100 KB sent to the browser).
    areas = (
        alt.Chart()
        .transform_calculate(code="datum.properties.code")  # the selection's field
        .mark_geoshape(fill=NO_VALUE, stroke="white", strokeWidth=stroke_width, cursor="pointer")
        .encode(tooltip=tooltip)
        .properties(name=_AREAS)
    )
    layers: list[alt.Chart] = [areas]
    if any(f["properties"]["value"] is not None for f in rows):
        # The colours over it; clicks and hovers pass through to the shape beneath.
        layers.append(
            alt.Chart()
            .transform_filter(HAS_VALUE)
            .mark_geoshape(stroke="white", strokeWidth=stroke_width)
            .encode(
                color=alt.Color(
                    "properties.value:Q",
                    title=value_title,
                    scale=alt.Scale(scheme=SCHEME, zero=False),
                    legend=alt.Legend(
                        orient="bottom",
                        direction="horizontal",
                        gradientLength=220,
                        labelExpr=_legend_expr(unit, lang),
                        titleLimit=360,
                    ),
                )
            )
            .properties(name=_COLOURS)
        )
    if labels and len(rows) <= MAX_LABELS:
        layers.append(_labels(rows, 11).properties(name=_LABELS))
    chart = (
        alt.layer(*layers, data=alt.Data(values=rows))
        .project(type="mercator")
        .properties(height=height)
    )
    # A click on a shape selects it. Only the grey shapes listen (a selection over two
    # views does not draw in Streamlit 1.67); colours and names let clicks through (`CSS`).
    chart.params = [
        alt.TopLevelSelectionParameter(
            name=PICK,
            select=alt.PointSelectionConfig(
                type="point", fields=["code"], on="click", toggle=False
            ),
            views=[_AREAS],
        )
    ]
    return themed(chart)


def locator_chart(
    shapes: Shapes, code: str, lang: str = "ko", height: int = 170
) -> alt.Chart | None:
    """Every shape in grey with `code` highlighted: where the neighbourhood is in the city.

    None when `code` has no shape (nothing to point at).
    """
    if not any(c == code for c, _ in shapes):
        return None
    # The neighbourhood itself last, so its outline is drawn over its neighbours'.
    features = [
        {"type": "Feature", "geometry": g, "properties": {"code": c, "here": c == code}}
        for c, g in sorted(shapes, key=lambda s: s[0] == code)
    ]
    chart = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke="white", strokeWidth=0.8)
        .encode(
            color=alt.condition("datum.properties.here", alt.value(ORANGE), alt.value(LIGHT_GREY)),
        )
        .project(type="mercator")
        .properties(height=height, name=LOCATOR)
    )
    return themed(chart)
