"""The blank import workbook the app offers for download (`python -m lib.cli template`).

Sheets in contract order with styled, frozen headers (required ones marked "(필수)"),
drop-down lists for every enumeration, code columns formatted as text (leading zeros
survive) and an instructions sheet (안내) that the importer skips.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lib.ingest.export import (
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    TEXT_FORMAT,
    column_width,
)
from lib.ingest.schema import SHEETS, TARGET_METRIC_NAMES, Field, SheetSpec, header_text
from lib.metric_defs import TARGET_METRIC_KEYS

_LAST_ROW = 1_048_576  # Excel's last row: drop-downs cover the whole column

_RULES = {
    "ko": [
        "잇다(Itda) 가져오기 양식",
        "",
        "작성 방법",
        "· 시트마다 1행은 머리글입니다. 머리글을 바꾸지 말고 2행부터 한 줄에 한 건씩 입력하세요.",
        "· '(필수)' 표시가 있는 열은 비워 둘 수 없습니다.",
        "· 날짜: 날짜 셀, 또는 2024-01-05 · 2024.01.05 · 2024/01/05 · 20240105 형식의 글자.",
        "· 금액·세대수: 정수. 1,200,000처럼 천 단위 쉼표가 있어도 됩니다.",
        "· 코드·번호는 글자로 입력하세요 (앞자리 0이 유지됩니다: 0042 ≠ 42).",
        "· 목록이 있는 열은 아래 값(한국어) 또는 괄호 안의 영어 값 중 하나를 입력합니다.",
        "· 사회적고립은 Y 또는 N (비우면 N).",
        "· 찾아가는방문, 자활참여, 목표 시트는 없어도 됩니다. 있는 시트는 모두 검사합니다.",
        "· 첫 가져오기에는 읍면동 시트가 필요합니다.",
        "",
        "가져오기",
        "· 번호(id)가 같은 행은 새 값으로 바뀌고, 같은 파일을 두 번 가져와도 달라지지 않습니다.",
        "· 한 행이라도 문제가 있으면 아무것도 저장하지 않고 모든 문제(시트, 행, 열, 값, 사유)를 알려 줍니다.",
        "· 교체 모드는 데이터베이스를 이 파일과 똑같이 만듭니다: 파일에 없는 행과 없는 시트의 내용은 삭제됩니다.",
        "",
        "규칙",
        "· 읍면동: 시도명·시군구명은 여러 시·군·구를 함께 쓸 때 적습니다(선택). 행정동코드의 앞 "
        "2자리가 시·도, 앞 5자리가 시·군·구이며, 같은 시·도(시·군·구)의 행은 모두 같은 이름이어야 "
        "합니다. 이 열이 없는 파일은 저장된 이름을 바꾸지 않습니다.",
        "· 사례: 사례관리시작일 ≥ 발굴일, 계획수립일 ≥ 사례관리시작일, 종결일 ≥ 사례관리시작일"
        "(시작하지 않았으면 ≥ 발굴일), 종결일이 있으면 종결사유 필수.",
        "· 서비스제공: 제공일 ≥ 사례의 발굴일.",
        "· 사례공유: 수신기관 ≠ 의뢰기관. 상태별 날짜 — 의뢰: 응답일·종료일 없음 / 수락·불수락: 응답일 필수, "
        "종료일 없음 / 연계완료·연계실패: 둘 다 필수 / 회수: 응답일 없음, 종료일(회수일) 필수. "
        "불수락·연계실패는 사유 필수.",
        "· 찾아가는방문: 발굴세대수 ≤ 방문세대수.",
        "· 자활참여: 참여종료일 ≥ 참여시작일, 참여종료일이 있으면 종료사유 필수.",
        f"· 목표: 지표는 {', '.join(TARGET_METRIC_NAMES)}, 목표값 > 0. 읍면동코드를 비우면 시 전체.",
        "",
        "목록 값",
    ],
    "en": [
        "Itda import workbook",
        "",
        "How to fill it in",
        "· Row 1 of each sheet is the header. Keep it; enter one record per row from row 2.",
        "· Columns marked '(required)' cannot be empty.",
        "· Dates: a date cell, or text 2024-01-05 · 2024.01.05 · 2024/01/05 · 20240105.",
        "· Amounts and counts: whole numbers; thousands separators (1,200,000) are fine.",
        "· Enter codes and ids as text (leading zeros are kept: 0042 ≠ 42).",
        "· Columns with a list take one of the values below (Korean, or the English in brackets).",
        "· isolated is Y or N (empty = N).",
        "· The outreach, self_sufficiency and targets sheets are optional; every sheet present is checked.",
        "· The first import needs the neighbourhoods sheet.",
        "",
        "Importing",
        "· Rows with the same id are updated; importing the same file twice changes nothing.",
        "· If any row has a problem nothing is written, and every problem (sheet, row, column, "
        "value, reason) is listed.",
        "· Replace mode makes the database equal to this file: rows and sheets not in it are deleted.",
        "",
        "Rules",
        "· neighbourhoods: province_name and district_name are optional, for deployments above "
        "one city. The code's first 2 digits are the province, its first 5 the district; all "
        "rows of one province (district) must give the same name. A file without these "
        "columns leaves the stored names as they are.",
        "· cases: opened_on ≥ discovered_on, plan_on ≥ opened_on, closed_on ≥ opened_on "
        "(≥ discovered_on when never opened); close_reason required with closed_on.",
        "· services: provided_on ≥ the case's discovered_on.",
        "· referrals: to ≠ from. Dates by status — sent: no responded_on or closed_on / "
        "accepted, declined: responded_on required, no closed_on / completed, failed: both "
        "required / withdrawn: no responded_on, closed_on required. declined and failed need a reason.",
        "· outreach: households_found ≤ households_visited.",
        "· self_sufficiency: ended_on ≥ started_on; outcome required with ended_on.",
        f"· targets: metric is {', '.join(TARGET_METRIC_KEYS)}, value > 0; empty "
        "neighbourhood_code = the whole city.",
        "",
        "List values",
    ],
}


def _instructions(book: openpyxl.Workbook, lang: str) -> None:
    sheet = book.active
    sheet.title = "안내" if lang == "ko" else "instructions"
    for line in _RULES[lang]:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    for spec in SHEETS:
        for f in spec.fields:
            if f.enum:
                values = ", ".join(f"{k} ({v})" for k, v in f.enum.items())
                sheet.append([f"· {spec.label(lang)} · {f.label(lang)}: {values}"])
    sheet.column_dimensions["A"].width = 120
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        if row[0].value in (
            "작성 방법",
            "가져오기",
            "규칙",
            "목록 값",
            "How to fill it in",
            "Importing",
            "Rules",
            "List values",
        ):
            row[0].font = Font(bold=True)


def _choices(f: Field, lang: str) -> list[str] | None:
    if f.kind == "yn":
        return ["Y", "N"]
    if f.enum:
        return list(f.enum) if lang == "ko" else list(f.enum.values())
    if f.aliases:  # the target metric: its Korean name, which the importer accepts too
        return list(f.aliases) if lang == "ko" else list(f.aliases.values())
    return None


def _data_sheet(book: openpyxl.Workbook, spec: SheetSpec, lang: str) -> None:
    sheet = book.create_sheet(spec.label(lang))
    sheet.append([header_text(f, lang) for f in spec.fields])
    for i, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(i)
        header = sheet.cell(row=1, column=i)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        header.alignment = Alignment(horizontal="center")
        column = sheet.column_dimensions[letter]
        column.width = column_width(f)
        if f.kind == "code":
            column.number_format = TEXT_FORMAT  # typed codes stay text: 0042 keeps its zeros
        elif f.kind == "date":
            column.number_format = DATE_FORMAT
        choices = _choices(f, lang)
        if choices:
            check = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",  # the other language's value is accepted too
                errorTitle="목록 값" if lang == "ko" else "List value",
                error="목록의 값을 고르세요." if lang == "ko" else "Choose a value from the list.",
            )
            check.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"


def write_template(path: str | Path | io.BytesIO, lang: str = "ko") -> None:
    """Write the blank import workbook: instructions, then every sheet in contract order."""
    lang = "ko" if lang == "ko" else "en"
    book = openpyxl.Workbook()
    _instructions(book, lang)
    for spec in SHEETS:
        _data_sheet(book, spec, lang)
    book.save(path)


def template_bytes(lang: str = "ko") -> bytes:
    """The blank import workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_template(buffer, lang)
    return buffer.getvalue()
