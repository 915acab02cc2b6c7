"""The demo's region levels: 한빛시 in 한빛도, the province scale one 시·도, the nation scale's
206 cities over the 17 real 시·도 codes, every level named.

The larger scales are checked through the pure place functions (`make_city`, `city_prefix`,
`province_of`): building them takes minutes. The city scale is built (SQLite and PostgreSQL).
"""

from __future__ import annotations

import hashlib
from collections import Counter

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.demo import SCALES, build_demo
from lib.demo.places import (
    MAX_CITIES,
    PROVINCE_NAMES,
    PROVINCES,
    city_names,
    city_prefix,
    make_city,
    province_of,
)
from lib.models import DATA_TABLES
from lib.queries.reference import load_neighbourhoods
from lib.regions import DISTRICT, NATION, PROVINCE, RegionTree

SEED = 42
# The 17 시·도 codes of the 행정동 code (서울 11 … 전북 52).
SIDO = {"11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48",
        "50", "51", "52"}  # fmt: skip

# The city scale's rows (every data table, region names left out, sorted) as they were
# before the demo carried names: adding the names changed nothing else. Recompute (see
# `_rows_hash`) only when the demo city is changed on purpose.
CITY_ROWS_HASH = {
    "sqlite": "139e5fdfa593a5ac8d09a80e62e5c95055b4dd40fa7137e52e2f2d0cd8d05a23",
    "postgresql": "fa9a210fddad5a1bf4aa930ff7c3f5e746fd4c0ed1217e37b3a478324841fa7e",
}


def _rows_hash(conn: sa.Connection) -> str:
    digest = hashlib.sha256()
    for table in DATA_TABLES:
        skip = ("id", "province_name", "district_name")
        columns = [c for c in table.c if c.name not in skip]
        rows = conn.execute(sa.select(*columns).order_by(*columns)).all()
        digest.update(repr([tuple(r) for r in rows]).encode())
    return digest.hexdigest()


def _cities(count: int):
    names = city_names(count, SEED)
    return [make_city(i, names[i], SEED) for i in range(count)]


def _frame(cities) -> pd.DataFrame:
    """The neighbourhoods frame `load_neighbourhoods` gives for these cities' rows."""
    rows = [
        (p.code, p.name, c.province_name, c.name) for c in cities for p in c.places
    ]  # as lib.demo.build writes them: province_name, district_name = the city's name
    return pd.DataFrame(rows, columns=["code", "name", "province_name", "district_name"])


def test_the_city_scale_is_hanbit_in_hanbitdo_and_otherwise_unchanged(engine):
    build_demo(engine)
    with engine.connect() as conn:
        frame = load_neighbourhoods(conn)
        assert _rows_hash(conn) == CITY_ROWS_HASH[engine.dialect.name]
    assert len(frame) == 17
    assert set(frame["province_name"]) == {"한빛도"}
    assert set(frame["district_name"]) == {"한빛시"}
    assert {c[:5] for c in frame["code"]} == {"44200"}
    tree = RegionTree.from_frame(frame, "한빛시")
    assert tree.is_city and (tree.top.code, tree.top.name) == ("44200", "한빛시")


def test_the_province_scale_is_one_province():
    count, name = SCALES["province"]
    assert (count, name) == (15, "한빛도")
    cities = _cities(count)
    prefixes = [c.prefix for c in cities]
    assert prefixes[0] == "44200" and cities[0].name == "한빛시"
    assert len(set(prefixes)) == 15 and all(p[:2] == "44" and len(p) == 5 for p in prefixes)
    assert sorted(prefixes) == ["44110", "44120", "44130", "44140", "44150", "44160", "44170",
                                "44180", "44190", "44200", "44210", "44220", "44230", "44240",
                                "44250"]  # fmt: skip
    assert {c.province_name for c in cities} == {"한빛도"}
    # Every neighbourhood code lies in its city; every row names both levels.
    assert all(p.code.startswith(c.prefix) for c in cities for p in c.places)
    frame = _frame(cities)
    assert len(frame) == 255 and frame.notna().all().all()
    tree = RegionTree.from_frame(frame, "전국")
    assert (tree.top.level, tree.top.code, tree.top.name) == (PROVINCE, "44", "한빛도")
    districts = tree.children_of("44")
    assert [d.level for d in districts] == [DISTRICT] * 15
    assert {d.code: d.name for d in districts} == {c.prefix: c.name for c in cities}
    assert len({d.name for d in districts}) == 15  # the city names are distinct


def test_the_nation_scale_spreads_over_the_17_provinces():
    assert SCALES["nation"][0] == MAX_CITIES == 206
    assert {code for code, _, _ in PROVINCES} == SIDO and len(PROVINCES) == 17
    names = list(PROVINCE_NAMES.values())
    assert len(set(names)) == 17 and all(n.endswith(("도", "시")) for n in names)
    assert PROVINCE_NAMES["44"] == "한빛도"
    assert sum(n.endswith(("특별시", "광역시")) for n in names) == 7

    prefixes = [city_prefix(i) for i in range(MAX_CITIES)]
    assert len(set(prefixes)) == 206
    assert all(len(p) == 5 and p.isdigit() for p in prefixes)
    assert {p[:2] for p in prefixes} == SIDO
    per_province = Counter(p[:2] for p in prefixes)
    assert per_province == {code: count for code, _, count in PROVINCES}
    assert per_province["44"] == 15 and per_province["36"] == 1  # 세종: one district
    assert [city_prefix(i) for i in range(15, 18)] == ["11110", "11120", "11130"]
    # The province scale's 15 cities are the nation scale's first 15.
    assert {province_of(i)[0] for i in range(15)} == {"44"}
    assert province_of(15) == ("11", "한울특별시", 0)
    assert province_of(205) == ("52", "여울특별자치도", 13)


def test_every_nation_row_names_its_province_and_district():
    cities = _cities(MAX_CITIES)
    assert all(c.province_name == PROVINCE_NAMES[c.prefix[:2]] for c in cities)
    frame = _frame(cities)
    assert len(frame) == 3502 and frame.notna().all().all()
    assert frame["code"].is_unique
    tree = RegionTree.from_frame(frame, "전국(가상)")
    assert tree.top.level == NATION
    provinces = tree.children_of("")
    assert {p.code: p.name for p in provinces} == PROVINCE_NAMES
    assert sum(len(tree.children_of(p.code)) for p in provinces) == 206
    assert tree.region("44200").name == "한빛시"
    assert tree.label("4420051000") == "한빛도 한빛시 중앙동"


def test_there_are_no_more_cities_than_the_provinces_hold():
    with pytest.raises(ValueError):
        province_of(MAX_CITIES)
    with pytest.raises(ValueError):
        city_prefix(-1)
