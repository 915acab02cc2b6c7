"""Neighbourhood boundaries: reading a 행정동 GeoJSON (lib.geo), importing it (lib.boundaries,
the CLI) and reading it back with a scope (lib.queries.boundaries), on SQLite and PostgreSQL.

Expected values come from the hand-written file of tests/fixture_geo.py against 테스트시.
"""

from __future__ import annotations

import copy
import json

import pytest
import sqlalchemy as sa

from lib import cli, geo
from lib.boundaries import import_boundaries, missing_line, summary_line
from lib.errors import UserError
from lib.models import AuditEvent, Neighbourhood, NeighbourhoodBoundary
from lib.queries.boundaries import load_boundaries
from lib.scope import Scope
from tests.fixture_city import A, B, C, load_fixture_city
from tests.fixture_geo import (
    OTHER_1,
    OTHER_2,
    STORED_A,
    STORED_B,
    WITHOUT_SHAPE,
    city_geojson,
    feature,
    square,
    write_geojson,
)


@pytest.fixture
def city(engine):
    with engine.begin() as conn:
        load_fixture_city(conn)
    return engine


def stored(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(NeighbourhoodBoundary.neighbourhood_code, NeighbourhoodBoundary.geometry)
        ).all()
    return {code: json.loads(text) for code, text in rows}


def audit_events(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(AuditEvent.action, AuditEvent.outcome, AuditEvent.detail).order_by(
                AuditEvent.id
            )
        ).all()
    return [tuple(r) for r in rows]


# ---- reading the file (pure) ----------------------------------------------------------


def test_every_feature_is_read_simplified_and_wound_for_the_map():
    boundaries = geo.parse_geojson(json.dumps(city_geojson()))
    assert [b.code for b in boundaries] == [A, B, OTHER_1, OTHER_2]  # a numeric code too
    assert boundaries[0].name == "충청남도 테스트시 온양1동"
    assert boundaries[0].geometry == STORED_A
    assert boundaries[1].geometry == STORED_B  # the MultiPolygon keeps both parts


def test_utf8_bytes_with_a_byte_order_mark_are_read():
    data = "\ufeff".encode() + json.dumps(city_geojson(), ensure_ascii=False).encode()
    assert len(geo.parse_geojson(data)) == 4


def test_the_plan_matches_codes_counts_the_others_and_lists_the_missing():
    boundaries = geo.parse_geojson(json.dumps(city_geojson()))
    plan = geo.plan_boundaries(boundaries, {A: "온양1동", B: "배방읍", C: "송악면"})
    assert [b.code for b in plan.matched] == [A, B]
    assert plan.ignored == (OTHER_1, OTHER_2)
    assert plan.missing == WITHOUT_SHAPE


def test_simplification_drops_points_within_the_tolerance_and_rounds():
    # A ring with 101 points along its south edge, each 0.00001° (≈ 1 m) off the line,
    # and coordinates with ten decimals: the edge becomes one segment again.
    south = [[127.0 + i * 0.0002, 36.8 + (0.00001 if i % 2 else 0.0)] for i in range(101)]
    ring = [*south, [127.02, 36.82], [127.0, 36.82], [127.0, 36.8]]
    ring[-2] = [127.0000000001, 36.8200000004]
    shape = geo.simplify_geometry([[[tuple(p) for p in ring]]])
    assert shape == {
        "type": "Polygon",
        "coordinates": [
            [[127.0, 36.8], [127.0, 36.82], [127.02, 36.82], [127.02, 36.8], [127.0, 36.8]]
        ],
    }


def test_an_islet_below_the_tolerance_is_dropped_but_a_tiny_shape_is_kept():
    big = [[(127.0, 36.8), (127.02, 36.8), (127.02, 36.82), (127.0, 36.82), (127.0, 36.8)]]
    speck = [[(127.1, 36.8), (127.10001, 36.8), (127.10001, 36.80001), (127.1, 36.8)]]
    assert geo.simplify_geometry([big, speck])["type"] == "Polygon"
    alone = geo.simplify_geometry([speck])
    assert alone["coordinates"][0][0] == [127.1, 36.8]  # only rounded, never lost


def _with(change) -> str:
    document = city_geojson()
    change(document)
    return json.dumps(document)


def _set(path: tuple, value):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


PREFIX_KO, PREFIX_EN = "경계 파일을 가져올 수 없습니다: ", "Cannot import the boundaries: "
MALFORMED = {
    "not JSON": (
        '{"type": "FeatureCollection", "features": [',  # 43 characters, then the end
        "JSON 형식이 아닙니다(1번째 줄, 44번째 글자).",
        "it is not JSON (line 1, column 44).",
    ),
    "not a FeatureCollection": (
        json.dumps({"type": "Feature", "properties": {}, "geometry": None}),
        "GeoJSON FeatureCollection이 아닙니다. 행정동 경계 GeoJSON 파일"
        "(예: HangJeongDong_ver*.geojson)을 올리세요.",
        "it is not a GeoJSON FeatureCollection. Use a 행정동 boundary GeoJSON file "
        "(e.g. HangJeongDong_ver*.geojson).",
    ),
    "no features": (
        json.dumps({"type": "FeatureCollection", "features": []}),
        "피처가 하나도 없습니다.",
        "it holds no features.",
    ),
    "a feature without adm_cd2": (
        _with(lambda d: d["features"][1]["properties"].pop("adm_cd2")),
        "2번째 피처에 행정동 코드(properties.adm_cd2)가 없습니다.",
        "feature 2 has no 행정동 code (properties.adm_cd2).",
    ),
    "a point": (
        _with(_set(("features", 2, "geometry"), {"type": "Point", "coordinates": [127, 36]})),
        "3번째 피처(4413110100)의 도형이 Polygon이나 MultiPolygon이 아닙니다(Point).",
        "feature 3 (4413110100) has a geometry that is not a Polygon or MultiPolygon (Point).",
    ),
    "metres, not degrees": (
        _with(
            _set(
                ("features", 0, "geometry", "coordinates"),
                [square(950000, 1950000, 951000, 1951000)],
            )
        ),
        "1번째 피처(4420011000)의 좌표 950000, 1.95e+06가 경도·위도(WGS84)가 아닙니다. "
        "미터 좌표(예: EPSG:5179)라면 WGS84(EPSG:4326)로 변환한 파일을 올리세요.",
        "feature 1 (4420011000) has the coordinate 950000, 1.95e+06, which is not "
        "longitude/latitude (WGS84). If the file is in metres (e.g. EPSG:5179), convert it "
        "to WGS84 (EPSG:4326) first.",
    ),
    "an open ring": (
        _with(
            _set(
                ("features", 0, "geometry", "coordinates"),
                [[[127.0, 36.8], [127.02, 36.8], [127.02, 36.82], [127.0, 36.82]]],
            )
        ),
        "1번째 피처(4420011000)의 경계선(링)이 닫혀 있지 않습니다(처음과 끝 좌표가 다릅니다).",
        "feature 1 (4420011000) has a ring that is not closed (its first and last positions "
        "differ).",
    ),
    "a text coordinate": (
        _with(_set(("features", 3, "geometry", "coordinates", 0, 1), ["127.1", "36.8"])),
        "4번째 피처(4413110200)의 좌표가 [경도, 위도] 숫자 쌍이 아닙니다: ['127.1', '36.8']",
        "feature 4 (4413110200) has a coordinate that is not a [longitude, latitude] pair: "
        "['127.1', '36.8']",
    ),
    "a code twice": (
        _with(_set(("features", 2, "properties", "adm_cd2"), A)),
        "행정동 코드 4420011000가 두 번 이상 나옵니다.",
        "the code 4420011000 appears twice.",
    ),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_file_is_refused_with_one_sentence_in_each_language(kind):
    text, ko, en = MALFORMED[kind]
    with pytest.raises(UserError) as caught:
        geo.parse_geojson(text)
    assert caught.value.ko == PREFIX_KO + ko
    assert caught.value.en == PREFIX_EN + en


# ---- importing (SQLite and PostgreSQL) ------------------------------------------------


def test_import_stores_the_city_s_shapes_and_reports_the_rest(city):
    result = import_boundaries(city, "hjd.geojson", json.dumps(city_geojson()), user="kim")
    assert result.ok and (result.matched, result.ignored) == (2, 2)
    assert result.missing == WITHOUT_SHAPE
    assert stored(city) == {A: STORED_A, B: STORED_B}
    assert summary_line(result, "ko") == (
        "경계를 저장했습니다: 읍면동 2곳의 경계, 이 시의 읍면동이 아닌 피처 2개는 건너뜀, "
        "경계가 없는 읍면동 1곳."
    )
    assert summary_line(result, "en") == (
        "Boundaries saved: 2 neighbourhood(s) matched, 2 feature(s) of other places ignored, "
        "1 neighbourhood(s) without a shape."
    )
    assert missing_line(result, "ko") == "경계가 없는 읍면동: 송악면 (4420031000)"
    assert audit_events(city) == [
        (
            "boundaries_import",
            "ok",
            "hjd.geojson; 2 matched; 2 ignored; 1 without a shape",
        )
    ]


def test_a_re_import_replaces_every_stored_shape(city):
    import_boundaries(city, "first.geojson", json.dumps(city_geojson()))
    only_c = {
        "type": "FeatureCollection",
        "features": [
            feature(
                C, "송악면", {"type": "Polygon", "coordinates": [square(127.0, 36.7, 127.1, 36.8)]}
            )
        ],
    }
    result = import_boundaries(city, "second.geojson", json.dumps(only_c))
    assert result.ok and result.missing == ((A, "온양1동"), (B, "배방읍"))
    assert list(stored(city)) == [C]


@pytest.mark.parametrize("kind", ["not JSON", "a point", "metres, not degrees"])
def test_a_malformed_file_writes_nothing_and_is_audited(city, kind):
    import_boundaries(city, "good.geojson", json.dumps(city_geojson()))
    before = stored(city)
    text, ko, en = MALFORMED[kind]
    result = import_boundaries(city, "bad.geojson", text)
    assert not result.ok
    assert summary_line(result, "ko") == f"{PREFIX_KO}{ko} 아무것도 저장하지 않았습니다."
    assert summary_line(result, "en") == f"{PREFIX_EN}{en} Nothing was written."
    assert stored(city) == before
    assert audit_events(city)[-1][:2] == ("boundaries_import", "rejected")


def test_a_file_of_another_city_is_refused_rather_than_emptying_the_map(city):
    import_boundaries(city, "good.geojson", json.dumps(city_geojson()))
    document = city_geojson()
    document["features"] = document["features"][2:]
    result = import_boundaries(city, "other.geojson", json.dumps(document))
    assert result.error.ko == (
        "경계 파일을 가져올 수 없습니다: 파일의 피처 2개 중 이 시의 읍면동 코드와 맞는 것이 "
        "없습니다. 행정동 코드(adm_cd2)가 읍면동 코드와 같은 파일인지 확인하세요."
    )
    assert list(stored(city)) == [A, B]


def test_a_dry_run_writes_and_audits_nothing(city):
    result = import_boundaries(city, "hjd.geojson", json.dumps(city_geojson()), dry_run=True)
    assert result.ok and result.matched == 2
    assert summary_line(result, "en").startswith("Dry run (nothing written): 2 neighbourhood")
    assert stored(city) == {}
    assert audit_events(city) == []


def test_shapes_are_read_within_the_scope(city):
    import_boundaries(city, "hjd.geojson", json.dumps(city_geojson()))
    with city.connect() as conn:
        assert [c for c, _ in load_boundaries(conn, Scope.city())] == [A, B]
        partner = Scope(neighbourhood_codes=(B,), partner_view=True)
        assert load_boundaries(conn, partner) == [(B, STORED_B)]
        assert load_boundaries(conn, Scope(neighbourhood_codes=(C,))) == []


def test_a_deleted_neighbourhood_takes_its_shape_with_it(city):
    import_boundaries(city, "hjd.geojson", json.dumps(city_geojson()))
    with city.begin() as conn:
        for table in (
            "referral",
            "service",
            "disbursement",
            "welfare_case",
            "donation",
            "outreach_visit",
            "ss_participant",
            "target",
            "agency",
        ):
            conn.execute(sa.text(f"DELETE FROM {table}"))
        conn.execute(sa.delete(Neighbourhood).where(Neighbourhood.code == A))
    assert list(stored(city)) == [B]


# ---- the CLI ------------------------------------------------------------------------


def test_cli_import_prints_the_summary_and_the_neighbourhoods_without_a_shape(
    city, db_url, tmp_path, capsys
):
    path = write_geojson(tmp_path / "HangJeongDong_ver20250401.geojson")
    argv = ["--database-url", db_url, "--lang", "en", "boundaries", "import", str(path)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Boundaries saved: 2 neighbourhood(s) matched, 2 feature(s) of other places ignored, "
        "1 neighbourhood(s) without a shape.",
        "Without a shape: 송악면 (4420031000)",
    ]
    assert list(stored(city)) == [A, B]


def test_cli_dry_run_writes_nothing(city, db_url, tmp_path, capsys):
    path = write_geojson(tmp_path / "hjd.geojson")
    argv = [
        "--database-url",
        db_url,
        "--lang",
        "ko",
        "boundaries",
        "import",
        str(path),
        "--dry-run",
    ]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.startswith("미리보기(저장하지 않음): 읍면동 2곳의 경계")
    assert stored(city) == {}


def test_cli_refuses_a_malformed_file_with_exit_code_1(city, db_url, tmp_path, capsys):
    path = tmp_path / "broken.geojson"
    path.write_text(MALFORMED["a point"][0], encoding="utf-8")
    argv = ["--database-url", db_url, "--lang", "ko", "boundaries", "import", str(path)]
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        PREFIX_KO + MALFORMED["a point"][1] + " 아무것도 저장하지 않았습니다."
    )
    assert stored(city) == {}
    missing = tmp_path / "nowhere.geojson"
    argv = ["--database-url", db_url, "--lang", "en", "boundaries", "import", str(missing)]
    assert cli.main(argv) == 2  # the path itself cannot be read
    assert capsys.readouterr().err.strip() == f"Cannot read the file: {missing}"


def test_the_stored_geometry_is_compact_json(city):
    import_boundaries(city, "hjd.geojson", json.dumps(city_geojson()))
    with city.connect() as conn:
        text = conn.execute(
            sa.select(NeighbourhoodBoundary.geometry).where(
                NeighbourhoodBoundary.neighbourhood_code == A
            )
        ).scalar_one()
    assert text == geo.dumps_geometry(copy.deepcopy(STORED_A))
    assert " " not in text


def test_coarse_geometry_for_a_province_map():
    # A 0.02° square with a point halfway along its south side (collinear: it goes) and
    # corners given to 6 decimals (rounded to 3), plus an islet 0.001° wide (under the
    # 0.002° tolerance: it goes).
    square_ring = [
        [127.000001, 36.800004],
        [127.010002, 36.800001],
        [127.020003, 36.800002],
        [127.020004, 36.820001],
        [127.000002, 36.820003],
        [127.000001, 36.800004],
    ]
    islet = [[127.1, 36.9], [127.101, 36.9], [127.101, 36.901], [127.1, 36.901], [127.1, 36.9]]
    shape = geo.coarse_geometry({"type": "MultiPolygon", "coordinates": [[square_ring], [islet]]})
    assert shape["type"] == "Polygon"
    (outer,) = shape["coordinates"]
    # four corners and the closing point, clockwise (the app's winding for outer rings)
    assert sorted(map(tuple, outer[:-1])) == [
        (127.0, 36.8),
        (127.0, 36.82),
        (127.02, 36.8),
        (127.02, 36.82),
    ]
    assert outer[0] == outer[-1] and len(outer) == 5
    assert geo.ring_area(outer) < 0  # clockwise: negative signed area
