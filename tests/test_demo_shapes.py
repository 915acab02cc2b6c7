"""The demo city's generated boundaries (lib.demo.shapes): one plausible shape per neighbourhood,
tiling the city without overlaps, the same every time, and stored with the demo."""

from __future__ import annotations

import math

import sqlalchemy as sa

from lib import geo
from lib.demo import build_demo
from lib.demo.places import make_city
from lib.demo.shapes import CENTRE_LAT, CENTRE_LON, demo_boundaries
from lib.models import Neighbourhood
from lib.queries.boundaries import load_boundaries
from lib.scope import Scope

PLACES = make_city(0, "한빛시", 42).places
KM2_PER_DEG2 = 111.0 * 111.0 * math.cos(math.radians(CENTRE_LAT))


def _rings(shapes):
    return [g["coordinates"][0] for _, g in shapes]


def test_one_closed_clockwise_polygon_per_neighbourhood():
    shapes = demo_boundaries(PLACES)
    assert [code for code, _ in shapes] == [p.code for p in PLACES]
    assert len(shapes) == 17
    for _, geometry in shapes:
        assert geometry["type"] == "Polygon" and len(geometry["coordinates"]) == 1
        ring = geometry["coordinates"][0]
        assert len(ring) >= 4 and ring[0] == ring[-1]
        assert geo.ring_area(ring) < 0  # clockwise: what Vega's projection needs


def test_the_shapes_lie_around_the_made_up_city_centre():
    for ring in _rings(demo_boundaries(PLACES)):
        for lon, lat in ring:
            assert abs(lon - CENTRE_LON) < 0.25 and abs(lat - CENTRE_LAT) < 0.15


def test_the_same_seed_gives_the_same_shapes_and_another_seed_others():
    assert demo_boundaries(PLACES, seed=42) == demo_boundaries(PLACES, seed=42)
    assert demo_boundaries(PLACES, seed=7) != demo_boundaries(PLACES, seed=42)


def test_each_centre_is_inside_its_own_shape_and_no_other():
    shapes = demo_boundaries(PLACES)
    rings = _rings(shapes)
    for index, (_, geometry) in enumerate(shapes):
        centre = geo.label_point(geometry)
        inside = [i for i, ring in enumerate(rings) if geo.point_in_ring(centre, ring)]
        assert inside == [index]


def test_the_shapes_do_not_overlap_and_the_동_are_smaller_than_the_면():
    shapes = demo_boundaries(PLACES)
    rings = _rings(shapes)
    # A 60 × 60 grid over the city: no point lies in two shapes.
    lons = [CENTRE_LON - 0.2 + 0.4 * i / 59 for i in range(60)]
    lats = [CENTRE_LAT - 0.13 + 0.26 * j / 59 for j in range(60)]
    covered = 0
    for lon in lons:
        for lat in lats:
            hits = sum(geo.point_in_ring((lon, lat), ring) for ring in rings)
            assert hits <= 1, (lon, lat)
            covered += hits
    assert covered > 0.5 * 60 * 60  # the shapes fill most of the box: one city, no holes
    area = {p.kind: [] for p in PLACES}
    for place, ring in zip(PLACES, rings, strict=True):
        area[place.kind].append(abs(geo.ring_area(ring)) * KM2_PER_DEG2)
    assert 400 < sum(map(sum, area.values())) < 800  # km², a 시 of ~30 × 24 km
    assert max(area["동"]) < min(area["면"])


def test_the_demo_is_built_with_its_shapes(engine):
    build_demo(engine)
    with engine.connect() as conn:
        codes = conn.execute(sa.select(Neighbourhood.code).order_by(Neighbourhood.code))
        shapes = load_boundaries(conn, Scope.city())
    assert [c for c, _ in shapes] == list(codes.scalars())
    assert shapes == demo_boundaries(PLACES)
    build_demo(engine)  # a rebuild replaces them
    with engine.connect() as conn:
        assert len(load_boundaries(conn, Scope.city())) == 17
