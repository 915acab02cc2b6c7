"""A small hand-written 행정동 GeoJSON for 테스트시 (tests/fixture_city.py), as a city would
import it: four features in the form of vuski/admdongkor's HangJeongDong files.

    feature  adm_cd2      adm_nm                     geometry
    1        4420011000   충청남도 테스트시 온양1동   Polygon, 127.00–127.02 E × 36.80–36.82 N,
                                                     counter-clockwise (RFC 7946), with a
                                                     collinear extra point at 127.01, 36.80
    2        4420025000   충청남도 테스트시 배방읍    MultiPolygon: 127.02–127.04 × 36.80–36.82
                                                     and 127.05–127.06 × 36.80–36.81
    3        4413110100   충청남도 천안시 동남구 중앙동 Polygon (another city: ignored)
    4        4413110200   (adm_cd2 as a number)      Polygon (another city: ignored)

송악면 (4420031000) has no feature: it is the neighbourhood without a shape.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixture_city import A, B, C

OTHER_1, OTHER_2 = "4413110100", "4413110200"


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A closed counter-clockwise ring (RFC 7946's winding for outer rings)."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def feature(code: object, name: str, geometry: dict) -> dict:
    return {
        "type": "Feature",
        "properties": {"adm_nm": name, "adm_cd": "3401", "adm_cd2": code, "sgg": "44200"},
        "geometry": geometry,
    }


def city_geojson() -> dict:
    """The four features above, as a FeatureCollection."""
    ring_a = [
        [127.0, 36.8],
        [127.01, 36.8],  # on the line to the next point: simplification drops it
        [127.02, 36.8],
        [127.02, 36.82],
        [127.0, 36.82],
        [127.0, 36.8],
    ]
    return {
        "type": "FeatureCollection",
        "name": "HangJeongDong_test",
        "features": [
            feature(A, "충청남도 테스트시 온양1동", {"type": "Polygon", "coordinates": [ring_a]}),
            feature(
                B,
                "충청남도 테스트시 배방읍",
                {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [square(127.02, 36.8, 127.04, 36.82)],
                        [square(127.05, 36.8, 127.06, 36.81)],
                    ],
                },
            ),
            feature(
                OTHER_1,
                "충청남도 천안시 동남구 중앙동",
                {"type": "Polygon", "coordinates": [square(127.1, 36.8, 127.12, 36.82)]},
            ),
            feature(
                int(OTHER_2),
                "충청남도 천안시 동남구 문성동",
                {"type": "Polygon", "coordinates": [square(127.12, 36.8, 127.14, 36.82)]},
            ),
        ],
    }


# What the import stores for A and B: outer rings clockwise (as Vega's projection needs
# them), A without its collinear point, everything rounded to 5 decimals.
STORED_A = {
    "type": "Polygon",
    "coordinates": [
        [[127.0, 36.8], [127.0, 36.82], [127.02, 36.82], [127.02, 36.8], [127.0, 36.8]]
    ],
}
STORED_B = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[127.02, 36.8], [127.02, 36.82], [127.04, 36.82], [127.04, 36.8], [127.02, 36.8]]],
        [[[127.05, 36.8], [127.05, 36.81], [127.06, 36.81], [127.06, 36.8], [127.05, 36.8]]],
    ],
}
WITHOUT_SHAPE = ((C, "송악면"),)


def write_geojson(path: Path, document: dict | None = None) -> Path:
    """`document` (default: `city_geojson()`) written as UTF-8 JSON to `path`."""
    path.write_text(json.dumps(document or city_geojson(), ensure_ascii=False), encoding="utf-8")
    return path


def import_city_boundaries(engine) -> None:
    """Give 테스트시 the shapes of A and B (what tests that need a map start from)."""
    from lib.boundaries import import_boundaries

    result = import_boundaries(engine, "test.geojson", json.dumps(city_geojson()), user="test")
    assert result.ok, result.error
