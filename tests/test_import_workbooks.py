"""The small hand-made workbook every import test starts from, its builders, and its import.

BASE is a valid workbook (Korean sheet names and headers) of a tiny city: two
neighbourhoods, two agencies, two cases and one row in every other sheet. Tests copy it,
break or change one thing, and write it with `write_xlsx` or `write_csv_folder`.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from lib.ingest.importer import ImportResult, import_path
from lib.ingest.schema import SHEETS
from lib.models import DATA_TABLES

D = dt.date
# sheet -> [header row, data rows…]; row n of the list is Excel row n + 1.
BASE: dict[str, list[list]] = {
    "읍면동": [
        ["행정동코드", "읍면동명", "구분", "세대수", "인구수"],
        ["1111051500", "가동", "동", 1000, 2100],
        ["0042", "나면", "면", 500, None],
    ],
    "협업기관": [
        ["기관코드", "기관명", "부문", "기관유형", "소재읍면동코드"],
        ["AG1", "가동 행정복지센터", "공공", "행정복지센터", "1111051500"],
        ["AG2", "우리종합사회복지관", "민간", "종합사회복지관", None],
    ],
    "사례": [
        [
            "사례번호",
            "읍면동코드",
            "발굴일",
            "발굴경로",
            "위기도",
            "가구유형",
            "사회적고립",
            "주관기관코드",
            "사례관리시작일",
            "계획수립일",
            "종결일",
            "종결사유",
        ],
        [
            "C1",
            "1111051500",
            D(2024, 1, 5),
            "이웃신고",
            "고위험",
            "독거노인",
            "Y",
            "AG1",
            D(2024, 1, 10),
            D(2024, 1, 20),
            D(2024, 3, 1),
            "목표달성",
        ],
        [
            "C2",
            "0042",
            D(2024, 2, 1),
            "본인신청",
            "일반",
            "한부모",
            "N",
            None,
            None,
            None,
            None,
            None,
        ],
    ],
    "서비스제공": [
        ["서비스번호", "사례번호", "제공기관코드", "제공일", "서비스유형", "금액"],
        ["S1", "C1", "AG2", D(2024, 1, 15), "생계", 100000],
    ],
    "후원": [
        ["후원번호", "읍면동코드", "접수일", "후원자유형", "후원자번호", "후원형태", "금액"],
        ["D1", "1111051500", D(2024, 1, 2), "개인", "DN1", "현금", 1000000],
    ],
    "후원금지원": [
        ["지원번호", "사례번호", "지원일", "지원용도", "금액"],
        ["P1", "C1", D(2024, 1, 20), "생계", 300000],
    ],
    "사례공유": [
        [
            "의뢰번호",
            "사례번호",
            "의뢰기관코드",
            "수신기관코드",
            "의뢰일",
            "상태",
            "응답일",
            "종료일",
            "사유",
        ],
        ["R1", "C1", "AG1", "AG2", D(2024, 1, 11), "연계완료", D(2024, 1, 12), D(2024, 2, 1), None],
    ],
    "찾아가는방문": [
        ["방문번호", "읍면동코드", "방문일", "방문세대수", "발굴세대수"],
        ["V1", "1111051500", D(2024, 1, 3), 20, 2],
    ],
    "자활참여": [
        [
            "참여자번호",
            "읍면동코드",
            "사업단명",
            "사업유형",
            "참여시작일",
            "참여종료일",
            "종료사유",
        ],
        ["SS1", "1111051500", "희망카페", "자활사업단", D(2024, 1, 1), None, None],
    ],
    "목표": [
        ["연도", "읍면동코드", "지표", "목표값"],
        [2024, None, "donations_krw", 20000000],
    ],
}
BASE_ROWS = {
    "neighbourhoods": 2, "agencies": 2, "cases": 2, "services": 1, "donations": 1,
    "disbursements": 1, "referrals": 1, "outreach": 1, "self_sufficiency": 1, "targets": 1,
}  # fmt: skip


def base() -> dict[str, list[list]]:
    """A fresh deep copy of BASE to change."""
    return copy.deepcopy(BASE)


def write_xlsx(path: Path, sheets: dict[str, list[list]], text_codes: bool = True) -> Path:
    """Write `sheets` as a workbook; str cells stay text cells, dates date cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_csv_folder(folder: Path, sheets: dict[str, list[list]], bom: bool = False) -> Path:
    """Write `sheets` as csv files named by the English sheet name (dates as YYYY-MM-DD)."""
    english = {s.ko: s.name for s in SHEETS}
    folder.mkdir(parents=True, exist_ok=True)
    for title, rows in sheets.items():
        name = english.get(title, title)
        with open(
            folder / f"{name}.csv", "w", newline="", encoding="utf-8-sig" if bom else "utf-8"
        ) as f:
            writer = csv.writer(f)
            for row in rows:
                writer.writerow(
                    [
                        "" if v is None else v.isoformat() if isinstance(v, dt.date) else v
                        for v in row
                    ]
                )
    return folder


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every data table's rows (sorted), to show that nothing was written."""
    with engine.connect() as conn:
        out = {}
        for table in DATA_TABLES:
            cols = [c for c in table.c if c.name != "id"]
            out[table.name] = sorted(conn.execute(sa.select(*cols)).all(), key=repr)
        return out


def row_counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in DATA_TABLES
        }


def problem_lines(result: ImportResult, severity: str = "error") -> set[tuple]:
    """The problems of one severity as (sheet, row, column, value, code)."""
    return {
        (p.sheet_label("ko"), p.row, p.column_label("ko"), p.value, p.code)
        for p in result.problems
        if p.severity == severity
    }


def import_sheets(
    engine, tmp_path: Path, sheets, name: str = "book.xlsx", **options
) -> ImportResult:
    """Write `sheets` to a workbook in tmp_path and import it."""
    return import_path(engine, write_xlsx(tmp_path / name, sheets), **options)


def test_base_workbook_imports_cleanly(engine, tmp_path):
    result = import_sheets(engine, tmp_path, base())
    assert result.outcome == "ok", result.problems
    assert result.problems == []
    # Every sheet and every column is present, so there is no warning either.
    assert {k: c.new for k, c in result.counts.items()} == BASE_ROWS
    counts = row_counts(engine)
    assert counts["neighbourhood"] == 2 and counts["welfare_case"] == 2 and counts["target"] == 1


def test_base_values_are_stored_as_the_contract_says(engine, tmp_path):
    import_sheets(engine, tmp_path, base())
    tables = snapshot(engine)
    # leading zeros kept; no region names given
    assert ("0042", "나면", "면", 500, None, None, None) in tables["neighbourhood"]
    assert tables["welfare_case"] == sorted(
        [
            ("C1", "1111051500", D(2024, 1, 5), "이웃신고", "고위험", "독거노인", True, "AG1",
             D(2024, 1, 10), D(2024, 1, 20), D(2024, 3, 1), "목표달성"),
            ("C2", "0042", D(2024, 2, 1), "본인신청", "일반", "한부모", False, None,
             None, None, None, None),
        ],
        key=repr,
    )  # fmt: skip
    assert tables["target"] == [(2024, None, "donations_krw", 20000000.0)]
    assert tables["donation"] == [
        ("D1", "1111051500", D(2024, 1, 2), "개인", "DN1", "현금", 1000000)
    ]
