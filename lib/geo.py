"""Neighbourhood boundaries from a 행정동 GeoJSON file: reading, checking, simplifying, matching.

The form is the one Korean users already have, the widely used 행정동 file (e.g.
vuski/admdongkor `HangJeongDong_ver*.geojson`): a FeatureCollection whose features carry
`properties.adm_cd2` (the 10-digit 행정동 code, matched against `neighbourhood.code`) and
`adm_nm` ("충청남도 아산시 배방읍"), with a Polygon or MultiPolygon in WGS84 longitude/latitude.

Pure functions, no database: `parse_geojson` refuses a malformed file with one clear
sentence in Korean and English (`UserError`), `plan_boundaries` says which features belong
to the city's neighbourhoods. Geometry is simplified (Douglas–Peucker) and rounded when it
is read, so a whole-country file (~100 MB) leaves only a few kilobytes per neighbourhood:
that is what is stored and what the browser gets.
"""

from __future__ import annotations

import json
import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lib.errors import UserError

# ≈ 20 m at Korea's latitude: below one screen pixel of a city-wide map, and a 동's outline
# keeps its shape. Five decimals are ≈ 1 m.
TOLERANCE_DEG = 0.0002
DIGITS = 5
CODE_KEY, NAME_KEY = "adm_cd2", "adm_nm"
_POLYGONS = ("Polygon", "MultiPolygon")

Position = Sequence[float]  # [lon, lat] (as read) or (lon, lat)
Ring = list[Position]


@dataclass(frozen=True)
class Boundary:
    """One neighbourhood's shape: its code, the file's name for it, a GeoJSON geometry."""

    code: str
    name: str
    geometry: dict | None  # None: not simplified (not one of the city's, `parse_geojson`)


@dataclass(frozen=True)
class BoundaryPlan:
    """What an import of boundaries would do, against the neighbourhoods of the database."""

    matched: tuple[Boundary, ...]
    ignored: tuple[str, ...]  # codes in the file that are not a neighbourhood of the city
    missing: tuple[tuple[str, str], ...] = field(default=())  # (code, name) without a shape


def _refuse(ko: str, en: str) -> UserError:
    return UserError(f"경계 파일을 가져올 수 없습니다: {ko}", f"Cannot import the boundaries: {en}")


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp949"):  # JSON is UTF-8; some Korean tools write CP949
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse("텍스트 파일이 아닙니다(UTF-8).", "it is not a text file (UTF-8).")


def _where(index: int, code: str | None) -> tuple[str, str]:
    """ "3번째 피처(4420011000)" / "feature 3 (4420011000)": where a problem is."""
    suffix = f"({code})" if code else ""
    return f"{index}번째 피처{suffix}", f"feature {index}" + (f" ({code})" if code else "")


def _code(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _position(value: object, where: tuple[str, str]) -> Position:
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
        or not all(math.isfinite(v) for v in value[:2])
    ):
        raise _refuse(
            f"{where[0]}의 좌표가 [경도, 위도] 숫자 쌍이 아닙니다: {str(value)[:60]}",
            f"{where[1]} has a coordinate that is not a [longitude, latitude] pair: "
            f"{str(value)[:60]}",
        )
    lon, lat = float(value[0]), float(value[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _refuse(
            f"{where[0]}의 좌표 {lon:g}, {lat:g}가 경도·위도(WGS84)가 아닙니다. "
            "미터 좌표(예: EPSG:5179)라면 WGS84(EPSG:4326)로 변환한 파일을 올리세요.",
            f"{where[1]} has the coordinate {lon:g}, {lat:g}, which is not longitude/latitude "
            "(WGS84). If the file is in metres (e.g. EPSG:5179), convert it to WGS84 "
            "(EPSG:4326) first.",
        )
    return lon, lat


_NUMBERS = (int, float)


def _fine(p: object) -> bool:
    """The quick check of one position (a whole country has millions): [lon, lat] numbers."""
    return (
        type(p) is list
        and len(p) >= 2
        and type(p[0]) in _NUMBERS
        and type(p[1]) in _NUMBERS
        and -180 <= p[0] <= 180  # NaN fails here too
        and -90 <= p[1] <= 90
    )


def _ring(value: object, where: tuple[str, str]) -> Ring:
    if not isinstance(value, list) or len(value) < 4:
        raise _refuse(
            f"{where[0]}의 경계선(링)에 좌표가 4개보다 적습니다.",
            f"{where[1]} has a ring with fewer than 4 positions.",
        )
    if not all(map(_fine, value)):
        for p in value:  # the slow check says what is wrong with the first bad one
            _position(p, where)
    if value[0][:2] != value[-1][:2]:
        raise _refuse(
            f"{where[0]}의 경계선(링)이 닫혀 있지 않습니다(처음과 끝 좌표가 다릅니다).",
            f"{where[1]} has a ring that is not closed (its first and last positions differ).",
        )
    return value  # positions as read: [lon, lat] lists


def _polygon(value: object, where: tuple[str, str]) -> list[Ring]:
    if not isinstance(value, list) or not value:
        raise _refuse(
            f"{where[0]}의 다각형에 경계선이 없습니다.", f"{where[1]} has a polygon without rings."
        )
    return [_ring(r, where) for r in value]


def _geometry(value: object, where: tuple[str, str]) -> list[list[Ring]]:
    """The polygons of a Polygon or MultiPolygon geometry, every position checked."""
    kind = value.get("type") if isinstance(value, dict) else None
    if kind not in _POLYGONS:
        raise _refuse(
            f"{where[0]}의 도형이 Polygon이나 MultiPolygon이 아닙니다({kind or '없음'}).",
            f"{where[1]} has a geometry that is not a Polygon or MultiPolygon ({kind or 'none'}).",
        )
    coordinates = value.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coordinates, where)]
    if not isinstance(coordinates, list) or not coordinates:
        raise _refuse(
            f"{where[0]}의 MultiPolygon에 다각형이 없습니다.",
            f"{where[1]} has a MultiPolygon without polygons.",
        )
    return [_polygon(p, where) for p in coordinates]


# ---- simplification ---------------------------------------------------------------


def _distance(p: Position, a: Position, b: Position) -> float:
    """Distance from p to the segment a–b (to a itself when a == b), in degrees."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    k = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - k * dx, p[1] - a[1] - k * dy)


def _douglas_peucker(points: Sequence[Position], tolerance: float) -> list[Position]:
    """The points a line keeps within `tolerance` of itself (iterative, no recursion limit)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify_ring(ring: Ring, tolerance: float, digits: int) -> list[list[float]] | None:
    """A closed ring simplified and rounded; None when it shrinks below a triangle."""
    # Split at the point farthest from the start, so both halves have distinct ends.
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0], ring[i][1] - start[1])
    )
    if far == 0:
        return None
    half = _douglas_peucker(ring[: far + 1], tolerance)
    rest = _douglas_peucker(ring[far:], tolerance)
    rounded: list[list[float]] = []
    for lon, lat in half + rest[1:]:
        point = [round(lon, digits), round(lat, digits)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4 or rounded[0] != rounded[-1]:
        return None
    return rounded


def _wound(ring: list[list[float]], clockwise: bool) -> list[list[float]]:
    """`ring` in the winding Vega's map projection (d3-geo) needs.

    d3-geo reads rings on the sphere: an outer ring must run clockwise and a hole
    counter-clockwise, or the shape is taken as the whole globe minus it (RFC 7946 files
    wind the other way). Planar orientation equals spherical for shapes this small.
    """
    return ring if (ring_area(ring) < 0) == clockwise else ring[::-1]


def simplify_geometry(
    polygons: list[list[Ring]], tolerance: float = TOLERANCE_DEG, digits: int = DIGITS
) -> dict:
    """A compact GeoJSON geometry: rings simplified, coordinates rounded, specks dropped,
    outer rings clockwise (`_wound`).

    A polygon whose outer ring collapses (an islet smaller than the tolerance) is left
    out, and so is a hole that collapses; when everything would collapse (a tiny shape),
    the rings are only rounded.
    """
    kept: list[list[list[list[float]]]] = []
    for rings in polygons:
        outer = _simplify_ring(rings[0], tolerance, digits)
        if outer is None:
            continue
        holes = [h for h in (_simplify_ring(r, tolerance, digits) for r in rings[1:]) if h]
        kept.append([outer, *holes])
    if not kept:
        kept = [
            [[[round(x, digits), round(y, digits)] for x, y in ring] for ring in rings]
            for rings in polygons
        ]
    kept = [[_wound(r, clockwise=(i == 0)) for i, r in enumerate(rings)] for rings in kept]
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


# A 시·도's map draws a few hundred neighbourhoods ~150 km across in ~600 px (≈ 250 m a
# pixel): 200 m and 3 decimals (≈ 100 m) lose nothing visible and keep it under the
# page's 300 KB (a city's imported shapes of a few kilobytes each would not be).
COARSE_TOLERANCE_DEG, COARSE_DIGITS = 0.002, 3


def coarse_geometry(geometry: dict) -> dict:
    """`geometry` simplified and rounded for a map of a whole 시·도 (`COARSE_*`)."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else list(geometry["coordinates"])
    )
    return simplify_geometry(polygons, COARSE_TOLERANCE_DEG, COARSE_DIGITS)


# ---- the file -----------------------------------------------------------------------


def parse_geojson(
    data: bytes | str, keep: Container[str] | None = None, tolerance: float = TOLERANCE_DEG
) -> list[Boundary]:
    """Every feature of a 행정동 FeatureCollection, checked; or `UserError`.

    Every feature is checked, also those of other cities: a file that is wrong anywhere is
    refused as a whole, so a half-broken file is never half imported. The geometry of the
    features whose code is in `keep` (default: all) is simplified; the others' geometry is
    left out (`None`): simplifying a whole country's 3,500 shapes would take a minute.
    """
    try:
        document = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise _refuse(
            f"JSON 형식이 아닙니다({exc.lineno}번째 줄, {exc.colno}번째 글자).",
            f"it is not JSON (line {exc.lineno}, column {exc.colno}).",
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise _refuse(
            "GeoJSON FeatureCollection이 아닙니다. 행정동 경계 GeoJSON 파일"
            "(예: HangJeongDong_ver*.geojson)을 올리세요.",
            "it is not a GeoJSON FeatureCollection. Use a 행정동 boundary GeoJSON file "
            "(e.g. HangJeongDong_ver*.geojson).",
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise _refuse("피처가 하나도 없습니다.", "it holds no features.")
    boundaries: list[Boundary] = []
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code = _code(properties.get(CODE_KEY))
        where = _where(index, code)
        if code is None:
            raise _refuse(
                f"{where[0]}에 행정동 코드(properties.{CODE_KEY})가 없습니다.",
                f"{where[1]} has no 행정동 code (properties.{CODE_KEY}).",
            )
        if code in seen:
            raise _refuse(
                f"행정동 코드 {code}가 두 번 이상 나옵니다.", f"the code {code} appears twice."
            )
        seen.add(code)
        polygons = _geometry(feature.get("geometry"), where)
        name = properties.get(NAME_KEY)
        wanted = keep is None or code in keep
        boundaries.append(
            Boundary(
                code=code,
                name=name.strip() if isinstance(name, str) else "",
                geometry=simplify_geometry(polygons, tolerance) if wanted else None,
            )
        )
    return boundaries


def plan_boundaries(
    boundaries: Iterable[Boundary], neighbourhoods: Mapping[str, str]
) -> BoundaryPlan:
    """Which features are the city's neighbourhoods (`neighbourhoods`: code → name).

    Features of other places are ignored (a whole-country file holds ~3,500); the city's
    neighbourhoods that the file has no shape for are listed by code and name.
    """
    matched, ignored = [], []
    for boundary in boundaries:
        (matched if boundary.code in neighbourhoods else ignored).append(boundary)
    found = {b.code for b in matched}
    missing = tuple((c, n) for c, n in sorted(neighbourhoods.items()) if c not in found)
    return BoundaryPlan(
        matched=tuple(sorted(matched, key=lambda b: b.code)),
        ignored=tuple(b.code for b in ignored),
        missing=missing,
    )


def dumps_geometry(geometry: dict) -> str:
    """A geometry as compact JSON text (how it is stored)."""
    return json.dumps(geometry, separators=(",", ":"))


def outer_rings(geometry: dict) -> list[list[list[float]]]:
    """The outer ring of every polygon of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """The signed area of a ring (shoelace, in square degrees; > 0 counter-clockwise)."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def point_in_ring(point: Sequence[float], ring: Sequence[Sequence[float]]) -> bool:
    """Whether `point` lies inside `ring` (even–odd rule)."""
    x, y = point[0], point[1]
    inside = False
    for a, b in zip(ring, ring[1:], strict=False):
        if (a[1] > y) != (b[1] > y):
            cross = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x < cross:
                inside = not inside
    return inside


def ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The centroid of a ring's area (where a label goes)."""
    area = ring_area(ring)
    if area == 0:
        return ring[0][0], ring[0][1]
    cx = cy = 0.0
    for a, b in zip(ring, ring[1:], strict=False):
        cross = a[0] * b[1] - b[0] * a[1]
        cx += (a[0] + b[0]) * cross
        cy += (a[1] + b[1]) * cross
    return cx / (6 * area), cy / (6 * area)


def label_point(geometry: dict) -> tuple[float, float]:
    """Where a neighbourhood's name goes: the centroid of its largest polygon."""
    largest = max(outer_rings(geometry), key=lambda r: abs(ring_area(r)))
    return ring_centroid(largest)
