"""lib.regions: the region levels a deployment's neighbourhood codes give (pure functions).

The frames are written by hand: codes whose first 2 digits are the 시·도 and first 5 the
시·군·구 (import-format.md), names as an import would store them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lib import regions
from lib.regions import RegionTree


def _frame(rows):
    return pd.DataFrame(rows, columns=["code", "name", "province_name", "district_name"])


# Two provinces: 44 (한빛도: 한빛시 with 중앙동 and 새솔동, 누리군 with 누리읍) and
# 45 (가온도: 가온시 with 중앙동 — the same name as 한빛시's, a different place).
NATION = _frame(
    [
        ("4420051000", "중앙동", "한빛도", "한빛시"),
        ("4420052000", "새솔동", "한빛도", "한빛시"),
        ("4421025000", "누리읍", "한빛도", "누리군"),
        ("4511051000", "중앙동", "가온도", "가온시"),
    ]
)


def test_levels_from_the_code():
    assert regions.province_code("4420051000") == "44"
    assert regions.district_code("4420051000") == "44200"
    assert regions.unit_of("4420051000", regions.PROVINCE) == "44"
    assert regions.unit_of("4420051000", regions.DISTRICT) == "44200"
    assert regions.unit_of("4420051000", regions.NEIGHBOURHOOD) == "4420051000"
    assert regions.unit_of("4420051000", regions.NATION) == ""
    assert [regions.level_of(c) for c in ("", "44", "44200", "4420051000")] == [
        "nation",
        "province",
        "district",
        "neighbourhood",
    ]
    assert regions.below("nation") == "province"
    assert regions.below("district") == "neighbourhood"
    assert not regions.has_levels("AB12")
    assert regions.region_path("44200") == "region-44200"
    assert regions.region_code_of_path("region-44200") == "44200"
    assert regions.region_code_of_path("region-44") == "44"
    # Only 2- and 5-digit codes are region pages: garbage and neighbourhood codes are not.
    for path in ("region-4420051000", "region-4x", "region-", "nb-4420051000", "overview"):
        assert regions.region_code_of_path(path) is None


def test_a_nation_of_two_provinces():
    tree = RegionTree.from_frame(NATION, "전국")
    assert tree.top == regions.Region("nation", "", "전국")
    assert not tree.is_city
    assert [r.name for r in tree.children_of("")] == ["한빛도", "가온도"]
    assert [r.code for r in tree.children_of("44")] == ["44200", "44210"]
    assert [r.name for r in tree.children_of("44200")] == ["중앙동", "새솔동"]
    assert tree.neighbourhoods_of("44") == ("4420051000", "4420052000", "4421025000")
    assert tree.neighbourhoods_of("44200") == ("4420051000", "4420052000")
    assert tree.neighbourhoods_of("4511051000") == ("4511051000",)
    assert len(tree.neighbourhoods_of("")) == 4
    # A neighbourhood ranks among its district's neighbourhoods, a district among its
    # province's districts, a province among the nation's provinces.
    assert tree.siblings("4420052000") == ("4420051000", "4420052000")
    assert tree.siblings("44210") == ("44200", "44210")
    assert tree.siblings("45") == ("44", "45")
    assert tree.parent("4420051000").name == "한빛시"
    assert tree.parent("44200").name == "한빛도"
    assert tree.parent("44") == tree.top
    assert tree.parent("") is None
    assert [r.name for r in tree.ancestors("4511051000")] == ["전국", "가온도", "가온시"]
    # Names repeat across the country: the label tells the two 중앙동 apart.
    assert tree.label("4420051000") == "한빛도 한빛시 중앙동"
    assert tree.label("4511051000") == "가온도 가온시 중앙동"
    assert tree.region("9999999999") is None


def test_search_by_name_or_code_higher_levels_first():
    tree = RegionTree.from_frame(NATION, "전국")
    assert [r.code for r in tree.search("중앙")] == ["4420051000", "4511051000"]
    assert [r.code for r in tree.search("한빛")] == ["44", "44200"]
    assert [r.code for r in tree.search("442")] == [
        "44200",
        "44210",
        "4420051000",
        "4420052000",
        "4421025000",
    ]
    assert [r.code for r in tree.search("  누리 ")] == ["44210", "4421025000"]
    assert tree.search("") == []
    assert tree.search("없는곳") == []
    assert len(tree.search("4", limit=3)) == 3


def test_one_province_is_the_top_when_it_has_several_districts():
    tree = RegionTree.from_frame(NATION.iloc[:3], "데이터")
    assert tree.top == regions.Region("province", "44", "한빛도")
    assert [r.code for r in tree.children_of("44")] == ["44200", "44210"]
    assert tree.siblings("44200") == ("44200", "44210")
    assert tree.label("4420051000") == "한빛시 중앙동"  # the top is not repeated


def test_one_city_has_no_levels():
    tree = RegionTree.from_frame(NATION.iloc[:2], "한빛시(설정)")
    assert tree.is_city
    assert tree.top == regions.Region("district", "44200", "한빛시")
    assert [r.code for r in tree.children_of("44200")] == ["4420051000", "4420052000"]
    assert tree.siblings("4420051000") == ("4420051000", "4420052000")
    # Codes that are not 행정동 codes: one city, named by the caller.
    odd = _frame([("A1", "가동", None, None), ("B2", "나동", None, None)])
    tree = RegionTree.from_frame(odd, "테스트시")
    assert tree.is_city and tree.top.name == "테스트시"
    assert tree.neighbourhoods_of(tree.top.code) == ("A1", "B2")


def test_missing_names_fall_back_to_the_code():
    frame = _frame(
        [
            ("4420051000", "중앙동", None, None),
            ("4421025000", "누리읍", None, "누리군"),
        ]
    )
    tree = RegionTree.from_frame(frame, "한빛도(설정)")
    assert tree.top.name == "한빛도(설정)"
    assert [r.name for r in tree.children_of("44")] == ["44200", "누리군"]


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("4420051000", "한빛도", "한빛시"), ("4420052000", "한빛도", "한빛시")], []),
        (
            [("4420051000", "한빛도", "한빛시"), ("4420052000", "한빛도", "한빛군")],
            [("district", "44200", "한빛시", "한빛군")],
        ),
        (
            [("4420051000", "한빛도", None), ("4421025000", "한빛특별자치도", "누리군")],
            [("province", "44", "한빛도", "한빛특별자치도")],
        ),
        # An empty name says nothing; surrounding spaces do not make a different name.
        ([("4420051000", "", " 한빛시"), ("4420052000", "한빛도", "한빛시 ")], []),
    ],
)
def test_conflicting_names(rows, expected):
    assert regions.conflicting_names(rows) == expected


def test_narrowed_codes_never_widen():
    assert regions.narrowed_codes(None, ("a", "b")) == ("a", "b")
    assert regions.narrowed_codes(("b", "c"), ("a", "b")) == ("b",)
    assert regions.narrowed_codes((), ("a", "b")) == ()


def test_a_scope_narrowed_to_a_region_keeps_its_restrictions():
    from lib.scope import Scope

    staff = Scope().within("44200", ("4420051000", "4420052000"))
    assert staff == Scope(("4420051000", "4420052000"), None, False, "44200")
    partner = Scope(("4420052000", "4511051000"), None, True)
    narrowed = partner.within("44200", ("4420051000", "4420052000"))
    assert narrowed.neighbourhood_codes == ("4420052000",)
    assert narrowed.partner_view and narrowed.region == "44200"
