"""Region names in the import (import-format.md, neighbourhoods: 시도명 and 시군구명).

A neighbourhood's code gives its regions: the first 2 digits its 시·도, the first 5 its
시·군·구. The rows of one region must give one name, in the workbook and together with the
stored neighbourhoods the workbook leaves as they are; a refused import writes nothing.
Every test runs on SQLite and PostgreSQL (the `engine` fixture).
"""

from __future__ import annotations

import openpyxl

from lib.ingest.export import export_workbook
from lib.ingest.importer import import_path
from lib.ingest.schema import NEIGHBOURHOODS, header_text
from lib.ingest.template import write_template
from tests.test_import_workbooks import import_sheets, problem_lines, row_counts, snapshot

HEADER = ["행정동코드", "읍면동명", "구분", "세대수", "인구수", "시도명", "시군구명"]


def hoods(*rows: list) -> dict[str, list[list]]:
    """A workbook of only the neighbourhoods sheet (enough for a first import)."""
    return {"읍면동": [HEADER, *[list(r) for r in rows]]}


# Two districts of one province (44200: 한빛시, 44130: 새솔군) and one of another (11110).
NAMED = hoods(
    ["4420051000", "가동", "동", 1000, None, "한빛도", "한빛시"],
    ["4420052000", "나동", "동", 800, None, "한빛도", "한빛시"],
    ["4413031000", "다면", "면", 300, None, "한빛도", "새솔군"],
    ["1111051500", "라동", "동", 900, None, "한울특별시", "가온구"],
)


def names(engine) -> list[tuple]:
    """(code, province_name, district_name) of every stored neighbourhood, by code."""
    return [(r[0], r[5], r[6]) for r in sorted(snapshot(engine)["neighbourhood"])]


def test_names_are_stored(engine, tmp_path):
    result = import_sheets(engine, tmp_path, NAMED)
    assert result.ok, result.problems
    assert result.problems == []  # no warning either
    assert names(engine) == [
        ("1111051500", "한울특별시", "가온구"),
        ("4413031000", "한빛도", "새솔군"),
        ("4420051000", "한빛도", "한빛시"),
        ("4420052000", "한빛도", "한빛시"),
    ]


def test_the_export_round_trips_the_names(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED).ok
    before = snapshot(engine)
    path = tmp_path / "export.xlsx"
    with engine.connect() as conn:
        export_workbook(conn, path)
    sheet = openpyxl.load_workbook(path)["읍면동"]
    assert [c.value for c in sheet[1]][5:] == ["시도명", "시군구명"]
    assert [r[5:] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("한울특별시", "가온구"),  # rows by code
        ("한빛도", "새솔군"),
        ("한빛도", "한빛시"),
        ("한빛도", "한빛시"),
    ]
    again = import_path(engine, path, replace=True)  # the same names: nothing changes
    assert again.ok, again.problems
    assert (again.counts["neighbourhoods"].changed, again.counts["neighbourhoods"].new) == (0, 0)
    assert snapshot(engine) == before


def test_the_template_has_the_columns(tmp_path):
    for lang, title, expected in (
        ("ko", "읍면동", ["시도명", "시군구명"]),
        ("en", "neighbourhoods", ["province_name", "district_name"]),
    ):
        path = tmp_path / f"template-{lang}.xlsx"
        write_template(path, lang)
        book = openpyxl.load_workbook(path)
        headers = [c.value for c in book[title][1]]
        assert headers == [header_text(f, lang) for f in NEIGHBOURHOODS.fields]
        assert headers[5:] == expected  # optional: no (필수) mark
        rules = [r[0] for r in book["안내" if lang == "ko" else "instructions"].values]
        assert any(line and expected[0] in line for line in rules)


def test_different_names_in_one_workbook_are_refused(engine, tmp_path):
    book = hoods(
        ["4420051000", "가동", "동", 1000, None, "한빛도", "한빛시"],  # row 2
        ["4420052000", "나동", "동", 800, None, "한빛도", "한빛시"],  # row 3
        ["4420053000", "다동", "동", 700, None, "한빛도", "한빛군"],  # row 4: 한빛시 in 2, 3
        ["4413031000", "라면", "면", 300, None, "한밫도", "새솔군"],  # row 5: a typo'd 시도
        ["4413032000", "마면", "면", 200, None, None, None],  # row 6: no names is no conflict
    )
    result = import_sheets(engine, tmp_path, book)
    assert result.outcome == "rejected"
    # 44200: 한빛시 (rows 2, 3) against 한빛군 (row 4); the majority's name is the meant one.
    # 44: 한빛도 (rows 2, 3, 4) against 한밫도 (row 5).
    assert problem_lines(result) == {
        ("읍면동", 4, "시군구명", "한빛군", "region_name_differs"),
        ("읍면동", 5, "시도명", "한밫도", "region_name_differs"),
    }
    district = next(p for p in result.errors if p.field == "district_name")
    assert district.reason("ko") == (
        "같은 시군구(44200)의 다른 행(2, 3행)은 이름이 '한빛시'입니다. "
        "한 지역의 행은 모두 같은 이름이어야 합니다."
    )
    assert district.reason("en") == (
        "Other rows of the same district (44200) give the name '한빛시' (rows 2, 3). "
        "All rows of one region must give the same name."
    )
    assert all(n == 0 for n in row_counts(engine).values())  # nothing written
    assert result.counts == {}


def test_a_tie_reports_the_later_name_and_english_headers_work(engine, tmp_path):
    book = {
        "neighbourhoods": [
            ["code", "name", "kind", "households", "province_name", "district_name"],
            ["4420051000", "가동", "동", 1000, None, "한빛시"],  # row 2: first given
            ["4420052000", "나동", "동", 800, None, "한빛군"],  # row 3
        ]
    }
    result = import_sheets(engine, tmp_path, book)
    assert problem_lines(result) == {
        ("neighbourhoods", 3, "district_name", "한빛군", "region_name_differs")
    }
    assert (
        result.errors[0]
        .reason("en")
        .startswith("Other rows of the same district (44200) give the name '한빛시' (rows 2).")
    )


def test_a_name_other_than_the_stored_regions_is_refused(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED, "first.xlsx").ok
    before = snapshot(engine)
    # A new neighbourhood of 44200 named 한빛군 while 4420051000 and 4420052000 stay 한빛시;
    # a new one of 11110 with the stored name is fine.
    book = hoods(
        ["1111052000", "마동", "동", 600, None, "한울특별시", "가온구"],  # row 2
        ["4420053000", "바동", "동", 700, None, "한빛도", "한빛군"],  # row 3
    )
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert result.outcome == "rejected"
    assert problem_lines(result) == {("읍면동", 3, "시군구명", "한빛군", "region_name_stored")}
    (problem,) = result.errors
    assert problem.reason("ko") == (
        "데이터베이스에 있는 같은 시군구(44200)의 읍면동 4420051000은(는) 이름이 '한빛시'입니다. "
        "한 지역은 이름이 하나여야 합니다: 이 값을 '한빛시'(으)로 고치거나 그 읍면동도 "
        "이 통합문서에 넣어 함께 고치세요."
    )
    assert problem.reason("en") == (
        "Neighbourhood 4420051000 of the same district (44200) in the database gives the name "
        "'한빛시'. A region has one name: write '한빛시' here, or add that neighbourhood "
        "to this workbook to rename it too."
    )
    assert snapshot(engine) == before  # nothing written, not even 마동


def test_renaming_part_of_a_stored_region_is_refused(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED, "first.xlsx").ok
    before = snapshot(engine)
    # 4420051000 renamed to 한빛군 while 4420052000 (not in this workbook) keeps 한빛시; a new
    # district of province 11 names it 한울시 while 1111051500 keeps 한울특별시.
    book = hoods(
        ["4420051000", "가동", "동", 1000, None, "한빛도", "한빛군"],  # row 2
        ["1122051000", "사동", "동", 300, None, "한울시", "누리구"],  # row 3
    )
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert problem_lines(result) == {
        ("읍면동", 2, "시군구명", "한빛군", "region_name_stored"),
        ("읍면동", 3, "시도명", "한울시", "region_name_stored"),
    }
    province = next(p for p in result.errors if p.field == "province_name")
    assert province.reason("ko").startswith(
        "데이터베이스에 있는 같은 시도(11)의 읍면동 1111051500은(는) 이름이 '한울특별시'입니다."
    )
    assert snapshot(engine) == before


def test_renaming_a_whole_region_or_replacing_is_accepted(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED, "first.xlsx").ok
    # Every stored neighbourhood of 44200 is in the workbook: the region is renamed whole.
    book = hoods(
        ["4420051000", "가동", "동", 1000, None, "한빛도", "한빛군"],
        ["4420052000", "나동", "동", 800, None, "한빛도", "한빛군"],
    )
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert result.ok, result.problems
    assert result.counts["neighbourhoods"].changed == 2
    assert names(engine)[2:] == [
        ("4420051000", "한빛도", "한빛군"),
        ("4420052000", "한빛도", "한빛군"),
    ]
    # Replace mode: the database becomes the workbook, so no stored row stays to disagree.
    book = hoods(["4420053000", "다동", "동", 700, None, "한빛도", "한빛구"])
    result = import_sheets(engine, tmp_path, book, "third.xlsx", replace=True)
    assert result.ok, result.problems
    assert names(engine) == [("4420053000", "한빛도", "한빛구")]


def test_a_workbook_without_the_columns_keeps_the_stored_names(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED, "first.xlsx").ok
    # A city's own extract: no name columns, one household count changed.
    book = {
        "읍면동": [
            HEADER[:5],
            ["4420051000", "가동", "동", 1001, None],
            ["4420052000", "나동", "동", 800, None],
        ]
    }
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert result.ok, result.problems
    assert result.problems == []  # the absent name columns are no warning
    counts = result.counts["neighbourhoods"]
    assert (counts.new, counts.changed, counts.unchanged) == (0, 1, 1)
    stored = {r[0]: r for r in snapshot(engine)["neighbourhood"]}
    assert stored["4420051000"] == ("4420051000", "가동", "동", 1001, None, "한빛도", "한빛시")
    assert stored["4420052000"][5:] == ("한빛도", "한빛시")
    # A new neighbourhood in such a workbook has no names; replace mode keeps them too.
    book["읍면동"].append(["4420053000", "다동", "동", 700, None])
    result = import_sheets(engine, tmp_path, book, "third.xlsx", replace=True)
    assert result.ok, result.problems
    assert names(engine) == [
        ("4420051000", "한빛도", "한빛시"),
        ("4420052000", "한빛도", "한빛시"),
        ("4420053000", None, None),
    ]


def test_empty_cells_in_a_present_column_empty_the_names(engine, tmp_path):
    assert import_sheets(engine, tmp_path, NAMED, "first.xlsx").ok
    book = hoods(
        ["4420051000", "가동", "동", 1000, None, None, None],
        ["4420052000", "나동", "동", 800, None, None, None],
    )
    result = import_sheets(engine, tmp_path, book, "second.xlsx")
    assert result.ok, result.problems  # an empty name is no second name
    assert names(engine)[2:] == [("4420051000", None, None), ("4420052000", None, None)]


def test_a_name_on_a_code_without_levels_warns(engine, tmp_path):
    book = hoods(
        ["0042", "가동", "동", 1000, None, None, "한빛시"],  # row 2
        ["A7", "나동", "동", 800, None, None, "한빛군"],  # row 3: not compared with row 2
    )
    result = import_sheets(engine, tmp_path, book)
    assert result.ok, result.problems
    assert problem_lines(result, "warning") == {
        ("읍면동", None, "시군구명", "", "region_name_unplaced")
    }
    assert result.warnings[0].reason("en") == (
        "The first 5 characters of the code are not digits, so the region this name belongs "
        "to is unknown. It is stored but not used (2 rows, first in row 2)."
    )
    assert names(engine) == [("0042", None, "한빛시"), ("A7", None, "한빛군")]
