"""Generated, plausible boundaries for the demo city, so a fresh clone shows its maps.

한빛시 lies around 127.0°E 36.8°N (where 충청남도's cities are, but no real place): an
irregular, nearly round outline of about 30 × 24 km, cut into one cell per
neighbourhood (a Voronoi diagram weighted by kind: a power diagram). The 동 sit close together in the middle (the old town), the 읍 around
them and the 면 in the countryside, so the 동 are small and the 면 large, as in a real
시. Each cell is the outline clipped by the half-planes nearer its own site than any
other (Sutherland–Hodgman), so the cells tile the city without gaps or overlaps.
Deterministic: the same seed always gives the same shapes (pure Python, no GIS library).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from lib import geo
from lib.demo.places import Place

CENTRE_LON, CENTRE_LAT = 127.0, 36.8
_KM_PER_DEG_LAT = 111.0
_KM_PER_DEG_LON = 111.0 * math.cos(math.radians(CENTRE_LAT))
# The outline's half-widths (km) and how far each kind's sites are from the middle.
_HALF_X, _HALF_Y = 15.0, 12.0
_RADIUS = {"동": 2.8, "읍": 6.5, "면": 10.5}
# Power-diagram weights (km²): a larger weight pushes a cell's borders outward, so the
# countryside's 면 reach in towards the small 동 of the old town.
_WEIGHT = {"동": 0.0, "읍": 8.0, "면": 30.0}

Point = tuple[float, float]


def _outline(rng: random.Random, vertices: int = 96) -> list[Point]:
    """The city's outline (km around the middle), counter-clockwise, gently irregular."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        wobble = (
            1
            + 0.05 * math.sin(3 * angle + phases[0])
            + 0.03 * math.sin(5 * angle + phases[1])
            + 0.015 * math.sin(11 * angle + phases[2])
        )
        points.append((_HALF_X * wobble * math.cos(angle), _HALF_Y * wobble * math.sin(angle)))
    return points


def _sites(places: Sequence[Place], rng: random.Random) -> list[Point]:
    """One site per place (km): the first 동 in the middle, the others on rings by kind."""
    by_kind: dict[str, list[int]] = {}
    for index, place in enumerate(places):
        by_kind.setdefault(place.kind, []).append(index)
    sites: list[Point] = [(0.0, 0.0)] * len(places)
    offset = rng.uniform(0, 2 * math.pi)
    for kind, indexes in by_kind.items():
        ring = indexes
        if kind == "동" and len(indexes) > 1:
            sites[indexes[0]] = (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3))
            ring = indexes[1:]
        step = 2 * math.pi / max(len(ring), 1)
        start = offset + (step / 2 if kind == "읍" else 0.0)
        for n, index in enumerate(ring):
            angle = start + n * step + rng.uniform(-0.2, 0.2) * step
            radius = _RADIUS.get(kind, _RADIUS["면"]) * rng.uniform(0.85, 1.15)
            sites[index] = (
                radius * math.cos(angle) * _HALF_X / _HALF_Y,
                radius * math.sin(angle),
            )
    return sites


def _clip(
    polygon: list[Point], site: Point, other: Point, weight: float = 0.0, other_weight: float = 0.0
) -> list[Point]:
    """The part of `polygon` nearer `site` than `other` (one Sutherland–Hodgman step).

    "Nearer" in the power distance |p − site|² − weight, whose border is still a line.
    """
    # |p-s|² - w <= |p-o|² - v  ⇔  2 p·(o - s) + |s|² - |o|² - w + v <= 0
    nx, ny = other[0] - site[0], other[1] - site[1]
    constant = site[0] ** 2 + site[1] ** 2 - other[0] ** 2 - other[1] ** 2 - weight + other_weight

    def side(p: Point) -> float:
        return 2 * (p[0] * nx + p[1] * ny) + constant

    out: list[Point] = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        s_prev, s_cur = side(previous), side(current)
        if (s_prev <= 0) != (s_cur <= 0):
            k = s_prev / (s_prev - s_cur)
            out.append(
                (
                    previous[0] + k * (current[0] - previous[0]),
                    previous[1] + k * (current[1] - previous[1]),
                )
            )
        if s_cur <= 0:
            out.append(current)
    return out


def _to_lon_lat(point: Point, centre: tuple[float, float]) -> tuple[float, float]:
    return (
        centre[0] + point[0] / _KM_PER_DEG_LON,
        centre[1] + point[1] / _KM_PER_DEG_LAT,
    )


# Where the cities of the province and nation scales lie: each 시·도 a block of cities four
# abreast, the blocks five abreast, one city step apart (a city is about 30 × 24 km). The
# demo city (the first city of the first 시·도) keeps its place at the middle, so the city
# scale's shapes are those of before. Made up, like everything else in the demo.
_CITY_STEP = (0.40, 0.26)  # degrees of longitude and latitude: ≈ 36 km × 29 km
_CITIES_ABREAST, _BLOCKS_ABREAST = 4, 5


def city_centre(index: int) -> tuple[float, float]:
    """(longitude, latitude) of the middle of the index-th demo city."""
    from lib.demo.places import PROVINCES, province_of

    code, _, rank = province_of(index)
    block = [c for c, _, _ in PROVINCES].index(code)
    deepest = max(-(-count // _CITIES_ABREAST) for _, _, count in PROVINCES)
    column = (block % _BLOCKS_ABREAST) * (_CITIES_ABREAST + 1) + rank % _CITIES_ABREAST
    row = (block // _BLOCKS_ABREAST) * (deepest + 1) + rank // _CITIES_ABREAST
    return (CENTRE_LON + column * _CITY_STEP[0], CENTRE_LAT - row * _CITY_STEP[1])


def demo_boundaries(
    places: Sequence[Place], seed: int = 42, index: int = 0
) -> list[tuple[str, dict]]:
    """(code, GeoJSON Polygon) for every place: a tiling of the index-th made-up city
    (its own outline, around `city_centre(index)`)."""
    centre = city_centre(index)
    rng = random.Random(f"itda-demo-shapes:{seed}" + (f":{index}" if index else ""))
    outline = _outline(rng)
    sites = _sites(places, rng)
    shapes = []
    weights = [_WEIGHT.get(p.kind, _WEIGHT["면"]) for p in places]
    for index, place in enumerate(places):
        cell = outline
        for other_index, other in enumerate(sites):
            if other_index != index and cell:
                cell = _clip(cell, sites[index], other, weights[index], weights[other_index])
        if len(cell) < 3:  # outweighed by its neighbours (rare): no shape, drawn as none
            continue
        ring = [_to_lon_lat(p, centre) for p in cell]
        ring.append(ring[0])
        shapes.append((place.code, geo.simplify_geometry([[ring]])))
    return shapes
