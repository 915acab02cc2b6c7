"""The blank import workbook: layout, drop-downs, and a hand-filled copy that imports cleanly."""

from __future__ import annotations

import datetime as dt

import openpyxl
import sqlalchemy as sa

from lib.cli import main
from lib.ingest.importer import import_path
from lib.ingest.schema import SHEETS, header_text
from lib.ingest.template import write_template
from tests.test_import_workbooks import snapshot


def _validations(sheet) -> dict[str, str]:
    """Column letter -> the drop-down's list formula."""
    return {
        str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation
    }


def test_template_layout(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["안내"] + [s.ko for s in SHEETS]
    for spec in SHEETS:
        sheet = book[spec.ko]
        assert [c.value for c in sheet[1]] == [header_text(f) for f in spec.fields]
        assert sheet.freeze_panes == "A2"
        assert all(c.font.bold for c in sheet[1])
        assert sheet.max_row == 1  # blank
    cases = book["사례"]
    assert [c.value for c in cases[1]][:3] == [
        "사례번호 (필수)",
        "읍면동코드 (필수)",
        "발굴일 (필수)",
    ]
    assert cases["G1"].value == "사회적고립"  # optional: no mark
    # Every enumeration column (and Y/N, and the target metric) has a drop-down of Korean values.
    assert _validations(cases) == {
        "D": '"이웃신고,행복키움추진단,찾아가는방문,사각지대발굴시스템,기관의뢰,본인신청,기타"',
        "E": '"일반,위기,고위험"',
        "F": '"독거노인,노인부부,한부모,조손,1인청장년,장애인,다문화,기타"',
        "G": '"Y,N"',
        "L": '"목표달성,타기관이관,이사,사망,거부,기타"',
    }
    assert _validations(book["사례공유"]) == {
        "F": '"의뢰,수락,불수락,연계완료,연계실패,회수"',
        "I": '"대상아님,정원초과,연락불가,본인거부,기타"',
    }
    # the target metric by its Korean name (metrics.md: 모금액), not its key donations_krw
    assert _validations(book["목표"]) == {"C": '"모금액"'}
    enum_columns = sum(1 for s in SHEETS for f in s.fields if f.enum or f.kind == "yn")
    assert sum(len(book[s.ko].data_validations.dataValidation) for s in SHEETS) == enum_columns + 1
    assert cases.column_dimensions["A"].number_format == "@"  # codes typed stay text
    instructions = [r[0] for r in book["안내"].values]
    assert (
        "· 날짜: 날짜 셀, 또는 2024-01-05 · 2024.01.05 · 2024/01/05 · 20240105 형식의 글자."
        in instructions
    )
    assert any(line and line.startswith("· 사례공유 · 상태: 의뢰 (sent)") for line in instructions)


def test_english_template(tmp_path):
    path = tmp_path / "template-en.xlsx"
    assert main(["--lang", "en", "template", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["instructions"] + [s.name for s in SHEETS]
    assert [c.value for c in book["cases"][1]][:2] == [
        "case_id (required)",
        "neighbourhood_code (required)",
    ]
    assert _validations(book["targets"]) == {"C": '"donations_krw"'}


def test_template_filled_in_by_hand_imports_cleanly(engine, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    d = dt.date
    fill = {
        "읍면동": [["0101", "가동", "동", 1200, 2500], ["0102", "나읍", "읍", 800, None]],
        "협업기관": [["A01", "가동 행정복지센터", "공공", "행정복지센터", "0101"],
                    ["A02", "나눔복지관", "민간", "종합사회복지관", None]],
        "사례": [["K-001", "0101", d(2024, 3, 2), "행복키움추진단", "위기", "노인부부", "N", "A01",
                 d(2024, 3, 4), d(2024, 3, 20), None, None]],
        "서비스제공": [["SV1", "K-001", "A02", d(2024, 3, 22), "돌봄", 50000]],
        "후원": [["DN-1", None, d(2024, 12, 24), "기업", None, "현물", 300000]],
        "후원금지원": [["GV-1", "K-001", d(2024, 4, 1), "공과금", 120000]],
        "사례공유": [["RF-1", "K-001", "A01", "A02", d(2024, 3, 5), "수락", d(2024, 3, 6), None, None]],
        "찾아가는방문": [["VS-1", "0102", d(2024, 5, 1), 30, 3]],
        "자활참여": [["P-1", "0102", "나눔세탁", "자활기업", d(2024, 1, 2), d(2024, 9, 30), "취업"]],
        "목표": [[2024, "0101", "모금액", 4000000]],  # the drop-down's Korean name
    }  # fmt: skip
    for title, rows in fill.items():
        for row in rows:
            book[title].append(row)
    book.save(path)
    result = import_path(engine, path)
    assert result.ok, [p.reason("en") for p in result.problems]
    assert result.problems == []
    assert {k: c.new for k, c in result.counts.items()} == {
        "neighbourhoods": 2, "agencies": 2, "cases": 1, "services": 1, "donations": 1,
        "disbursements": 1, "referrals": 1, "outreach": 1, "self_sufficiency": 1, "targets": 1,
    }  # fmt: skip
    assert snapshot(engine)["neighbourhood"] == [
        ("0101", "가동", "동", 1200, 2500, None, None),  # no region names given
        ("0102", "나읍", "읍", 800, None, None, None),
    ]
    with engine.connect() as conn:  # stored as the key of metrics.md
        assert conn.execute(sa.text("SELECT metric FROM target")).scalars().all() == [
            "donations_krw"
        ]
