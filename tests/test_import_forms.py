"""The forms a workbook may take: languages, header spellings, date and amount forms,
codes, Y/N, blank rows, csv folders (with and without BOM) and zip files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from lib.ingest.cells import parse_date, parse_int, parse_number
from lib.ingest.importer import import_bytes, import_path
from lib.ingest.read import read_bytes
from tests.test_import_workbooks import (
    BASE_ROWS,
    D,
    base,
    import_sheets,
    problem_lines,
    snapshot,
    write_csv_folder,
    write_xlsx,
)

JAN5 = dt.date(2024, 1, 5)


# ---- cell forms (no database) --------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        JAN5,
        dt.datetime(2024, 1, 5, 0, 0),
        dt.datetime(2024, 1, 5, 14, 30),  # a time part is dropped, the day is kept
        "2024-01-05",
        "2024.01.05",
        "2024/01/05",
        "20240105",
        " 2024-01-05 ",
        "2024. 1. 5.",  # how Korean Excel shows a date typed as text
        "2024-1-5",
        20240105.0,  # YYYYMMDD typed into a number cell
    ],
)
def test_every_date_form_is_the_same_day(cell):
    assert parse_date(cell) == (JAN5, None)


@pytest.mark.parametrize(
    "cell",
    [
        "05/01/2024",
        "24-01-05",
        "2024-01-05 10:00",
        "2024.01/05",
        "2024-02-30",
        "어제",
        45296.0,
        True,
    ],
)
def test_other_date_forms_are_rejected(cell):
    assert parse_date(cell) == (None, "bad_date")


@pytest.mark.parametrize(
    "cell", [1200000, 1200000.0, "1200000", "1,200,000", " 1,200,000 ", "+1200000"]
)
def test_every_amount_form_is_the_same_number(cell):
    assert parse_int(cell) == (1200000, None)


@pytest.mark.parametrize(
    "cell", ["1,20,0000", "1.200.000", "120만", "1200000.5", 1200000.5, "₩1,200", True]
)
def test_other_amount_forms_are_rejected(cell):
    assert parse_int(cell) == (None, "bad_integer")


def test_numbers_for_targets():
    assert parse_number("20,000,000") == (20_000_000.0, None)
    assert parse_number("85.5") == (85.5, None)
    assert parse_number(3) == (3.0, None)
    assert parse_number("1e5") == (None, "bad_number")
    assert parse_number(float("nan")) == (None, "bad_number")


# ---- whole workbooks (both databases) -------------------------------------------------------


def test_english_sheet_names_headers_and_values(engine, tmp_path):
    english = {
        "neighbourhoods": [
            ["code", "name", "kind", "households", "population"],
            ["0042", "Na-myeon", "MYEON", 500, None],
        ],
        "Cases": [  # sheet names ignore case too
            ["CASE_ID", " neighbourhood_code ", "discovered_on (필수)", "Channel", "risk_level",
             "household_type", "isolated", "lead_agency_code", "opened_on", "plan_on",
             "closed_on", "close_reason"],
            ["C9", "0042", "2024-03-01", "Bigdata", "High", "Older person living alone", "y",
             None, "2024-03-02", None, "2024-03-05", "Refused"],
        ],
    }  # fmt: skip
    result = import_sheets(engine, tmp_path, english)
    assert result.ok, result.problems
    tables = snapshot(engine)
    assert tables["neighbourhood"] == [("0042", "Na-myeon", "면", 500, None, None, None)]
    assert tables["welfare_case"] == [
        ("C9", "0042", D(2024, 3, 1), "사각지대발굴시스템", "고위험", "독거노인", True, None,
         D(2024, 3, 2), None, D(2024, 3, 5), "거부"),
    ]  # fmt: skip


def test_header_matching_ignores_case_spaces_and_required_mark(engine, tmp_path):
    book = base()
    book["읍면동"][0] = [
        "  행정동코드 (필수)",
        "읍면동명(필수)",
        "구분（필수）",
        "세대수 ",
        "인구수",
    ]
    book["목표"][0] = ["YEAR", "Neighbourhood_Code", "metric (required)", "Value"]
    result = import_sheets(engine, tmp_path, book)
    assert result.ok, result.problems
    assert result.warnings == []


def test_unknown_column_is_a_warning_and_ignored(engine, tmp_path):
    book = base()
    for row, value in zip(book["후원"], ["비고", "연말 모금"], strict=True):
        row.append(value)
    result = import_sheets(engine, tmp_path, book)
    assert result.ok
    assert problem_lines(result, "warning") == {("후원", 1, "비고", "비고", "unknown_column")}
    assert snapshot(engine)["donation"] == [
        ("D1", "1111051500", D(2024, 1, 2), "개인", "DN1", "현금", 1000000)
    ]


def test_absent_optional_column_warns_and_is_empty(engine, tmp_path):
    book = base()
    for row in book["협업기관"]:
        del row[4]  # 소재읍면동코드
    result = import_sheets(engine, tmp_path, book)
    assert result.ok
    assert problem_lines(result, "warning") == {
        ("협업기관", 1, "소재읍면동코드", "", "absent_column")
    }
    assert [r[4] for r in snapshot(engine)["agency"]] == [None, None]


def test_optional_sheets_may_be_absent(engine, tmp_path):
    book = base()
    for title in ("찾아가는방문", "자활참여", "목표"):
        del book[title]
    result = import_sheets(engine, tmp_path, book)
    assert result.ok and result.problems == []
    assert set(result.counts) == set(BASE_ROWS) - {"outreach", "self_sufficiency", "targets"}


def test_date_and_amount_forms_in_a_workbook(engine, tmp_path):
    book = base()
    book["사례"][1][2] = "2024.01.05"  # 발굴일
    book["사례"][1][8] = "20240110"  # 사례관리시작일
    book["사례"][1][9] = "2024/01/20"  # 계획수립일
    book["사례"][1][10] = dt.datetime(2024, 3, 1, 9, 0)  # 종결일, a date-time cell
    book["후원"][1][6] = "1,000,000"
    book["서비스제공"][1][5] = "100000"
    result = import_sheets(engine, tmp_path, book)
    assert result.ok, result.problems
    tables = snapshot(engine)
    c1 = tables["welfare_case"][0]
    assert (c1[2], c1[8], c1[9], c1[10]) == (
        D(2024, 1, 5),
        D(2024, 1, 10),
        D(2024, 1, 20),
        D(2024, 3, 1),
    )
    assert tables["donation"][0][6] == 1000000
    assert tables["service"][0][5] == 100000


def test_codes_keep_leading_zeros_and_number_cells_warn(engine, tmp_path):
    book = base()
    book["읍면동"].append([42, "다동", "동", 10, None])  # a number cell: "42", not "0042"
    book["사례"].append(
        ["C3", 42, D(2024, 5, 1), "이웃신고", "일반", "기타", None, None, None, None, None, None]
    )
    result = import_sheets(engine, tmp_path, book)
    assert result.ok, result.problems
    codes = [r[0] for r in snapshot(engine)["neighbourhood"]]
    assert sorted(codes) == ["0042", "1111051500", "42"]
    assert problem_lines(result, "warning") == {
        ("읍면동", None, "행정동코드", "", "numeric_code"),
        ("사례", None, "읍면동코드", "", "numeric_code"),
    }
    warning = next(p for p in result.warnings if p.sheet == "읍면동")
    assert warning.reason("en") == (
        "Codes were entered as number cells (1 rows, first in row 4). "
        "Leading zeros may have been lost: enter codes as text."
    )


def test_yes_no_forms_and_default(engine, tmp_path):
    book = base()
    book["사례"][1][6] = "y"
    book["사례"][2][6] = None  # empty: N
    result = import_sheets(engine, tmp_path, book)
    assert result.ok
    assert [r[6] for r in snapshot(engine)["welfare_case"]] == [True, False]


def test_blank_rows_are_skipped_and_row_numbers_stay_true(engine, tmp_path):
    book = base()
    book["사례"].insert(2, [None] * 12)  # row 3 blank: C2 moves to row 4
    book["사례"].insert(3, ["  "] + [None] * 11)  # row 4 only spaces: C2 moves to row 5
    book["사례"][4][4] = "보통"  # C2's 위기도
    result = import_sheets(engine, tmp_path, book)
    assert problem_lines(result) == {("사례", 5, "위기도", "보통", "bad_enum")}


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
def test_csv_folder(engine, tmp_path, bom):
    folder = write_csv_folder(tmp_path / "extract", base(), bom=bom)
    result = import_path(engine, folder)
    assert result.ok, result.problems
    assert {k: c.new for k, c in result.counts.items()} == BASE_ROWS
    tables = snapshot(engine)
    assert ("0042", "나면", "면", 500, None, None, None) in tables["neighbourhood"]
    assert tables["target"] == [(2024, None, "donations_krw", 20000000.0)]


def test_csv_problems_point_at_csv_rows(engine, tmp_path):
    book = base()
    book["사례"][2][2] = "2024-13-01"
    result = import_path(engine, write_csv_folder(tmp_path / "bad", book))
    assert problem_lines(result) == {("cases", 3, "발굴일", "2024-13-01", "bad_date")}


def test_csv_that_is_not_utf8_is_a_clear_problem(engine, tmp_path):
    folder = tmp_path / "cp949"
    folder.mkdir()
    (folder / "neighbourhoods.csv").write_bytes("행정동코드,읍면동명\n".encode("cp949"))
    result = import_path(engine, folder)
    assert result.outcome == "rejected"
    (problem,) = result.problems
    assert (
        problem.reason("en")
        == "neighbourhoods.csv: not UTF-8 text. Save it again from Excel as 'CSV UTF-8'."
    )
    assert "UTF-8" in problem.reason("ko")


def test_zip_of_csv_files(engine, tmp_path):
    folder = write_csv_folder(tmp_path / "extract", base(), bom=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"extract/{path.name}")
    result = import_bytes(engine, "extract.zip", buffer.getvalue())
    assert result.ok, result.problems
    assert sum(c.new for c in result.counts.values()) == sum(BASE_ROWS.values())


def test_uploaded_workbook_bytes(engine, tmp_path):
    data = write_xlsx(tmp_path / "b.xlsx", base()).read_bytes()
    result = import_bytes(engine, "b.xlsx", data)
    assert result.ok
    assert read_bytes("b.xlsx", data).content_hash == result.content_hash


def test_unsupported_or_missing_files(engine, tmp_path):
    (tmp_path / "data.txt").write_text("x")
    result = import_path(engine, tmp_path / "data.txt")
    assert result.outcome == "rejected"
    assert result.problems[0].reason("en").startswith("data.txt: only a .xlsx workbook")
    result = import_path(engine, tmp_path / "nothing.xlsx")
    assert (
        result.problems[0].reason("ko") == f"파일을 찾을 수 없습니다: {tmp_path / 'nothing.xlsx'}"
    )
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    result = import_path(engine, tmp_path / "broken.xlsx")
    assert result.problems[0].reason("en") == (
        "broken.xlsx: not an Excel workbook (.xlsx). Upload a file saved from Excel as "
        "'Excel Workbook (*.xlsx)'."
    )
