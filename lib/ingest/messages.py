"""Import problems and their texts in Korean and English.

A problem carries a stable reason code (tests and the report file use it) and the values
its text needs; the text is made in the reader's language only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lib import enums
from lib.excerpt import excerpt
from lib.ingest.schema import SHEET_BY_NAME

Severity = Literal["error", "warning"]

VALUE_LIMIT = 200  # characters of a cell's value a problem keeps
NAME_LIMIT = 100  # characters of a sheet's or column's name

# code -> (Korean, English). Placeholders are filled from the problem's params.
TEXTS: dict[str, tuple[str, str]] = {
    # ---- the workbook and its sheets ----
    "no_sheets": (
        "약속된 시트가 하나도 없습니다 (시트 이름: {names}).",
        "No sheet of the import format was found (sheet names: {names}).",
    ),
    "missing_sheet_first": (
        "첫 가져오기에는 읍면동 시트가 필요합니다 (데이터베이스에 읍면동이 아직 없습니다).",
        "The first import needs the neighbourhoods sheet (the database has none yet).",
    ),
    "missing_sheet_replace": (
        "교체 모드에서는 읍면동 시트가 필요합니다 (데이터베이스가 통합문서와 같아집니다).",
        "Replace mode needs the neighbourhoods sheet (the database becomes equal to the workbook).",
    ),
    "duplicate_sheet": (
        "같은 시트가 두 번 있습니다 ({other}).",
        "The same sheet appears twice ({other}).",
    ),
    "unknown_sheet": (
        "알 수 없는 시트라서 무시합니다.",
        "Unknown sheet: ignored.",
    ),
    "empty_sheet": (
        "빈 시트라서 무시합니다 (머리글 행이 없습니다).",
        "Empty sheet: ignored (it has no header row).",
    ),
    "unreadable": ("{ko}", "{en}"),
    # ---- columns ----
    "missing_column": ("필수 열이 없습니다.", "A required column is missing."),
    "duplicate_column": (
        "같은 열이 두 번 있습니다 ({other}).",
        "The same column appears twice ({other}).",
    ),
    "unknown_column": ("알 수 없는 열이라서 무시합니다.", "Unknown column: ignored."),
    "absent_column": (
        "선택 열이 없어서 모든 행에 빈 값으로 가져옵니다.",
        "Optional column not in the sheet: every row gets an empty value.",
    ),
    "numeric_code": (
        "코드가 숫자 셀로 입력되었습니다 ({count}개 행, 처음 {first_row}행). 앞자리 0이 "
        "사라졌을 수 있으니 텍스트 서식으로 입력하세요.",
        "Codes were entered as number cells ({count} rows, first in row {first_row}). "
        "Leading zeros may have been lost: enter codes as text.",
    ),
    # ---- values ----
    "required": ("필수 값이 비어 있습니다.", "A required value is empty."),
    "bad_date": (
        "날짜가 아닙니다 (YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD 또는 날짜 셀).",
        "Not a date (YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, YYYYMMDD or a date cell).",
    ),
    "bad_integer": (
        "정수가 아닙니다 (예: 1200000 또는 1,200,000).",
        "Not a whole number (e.g. 1200000 or 1,200,000).",
    ),
    "bad_number": ("숫자가 아닙니다.", "Not a number."),
    "negative": ("0 이상이어야 합니다.", "Must be 0 or more."),
    "not_positive": ("0보다 커야 합니다.", "Must be more than 0."),
    "bad_enum": (
        "허용되지 않는 값입니다. 가능한 값: {allowed}",
        "Not an accepted value. Use one of: {allowed}",
    ),
    "too_long": ("{max}자를 넘을 수 없습니다.", "Cannot be longer than {max} characters."),
    "too_large": ("너무 큰 수입니다 (최대 {max}).", "Too large (at most {max})."),
    "bad_yn": ("Y 또는 N이어야 합니다.", "Must be Y or N."),
    "bad_metric": (
        "목표를 둘 수 있는 지표가 아닙니다. 가능한 값: {allowed}",
        "Not a metric that allows a target. Use one of: {allowed}",
    ),
    "duplicate_id": (
        "값이 중복됩니다 (행 {rows}).",
        "Duplicate value (rows {rows}).",
    ),
    "duplicate_key": (
        "같은 연도·읍면동·지표의 목표가 중복됩니다 (행 {rows}).",
        "Duplicate target for the same year, neighbourhood and metric (rows {rows}).",
    ),
    "unknown_ref": (
        "{target} 시트에도 데이터베이스에도 없는 코드입니다.",
        "Not found in the {target} sheet nor in the database.",
    ),
    "unknown_ref_replace": (
        "{target} 시트에 없는 코드입니다 (교체 모드는 통합문서 안에서만 찾습니다).",
        "Not found in the {target} sheet (replace mode looks only inside the workbook).",
    ),
    # ---- rules between columns ----
    "date_before": (
        "{other}({other_value})보다 빠를 수 없습니다.",
        "Cannot be before {other} ({other_value}).",
    ),
    "needs_other": (
        "{other} 없이 입력할 수 없습니다.",
        "Cannot be given without {other}.",
    ),
    "required_with": (
        "{other}이(가) 있으면 필수입니다.",
        "Required when {other} is given.",
    ),
    "status_requires": (
        "상태가 {status}이면 필수입니다.",
        "Required when the status is {status}.",
    ),
    "status_forbids": (
        "상태가 {status}이면 비어 있어야 합니다.",
        "Must be empty when the status is {status}.",
    ),
    "same_agency": (
        "의뢰기관과 같을 수 없습니다.",
        "Cannot be the same agency as the referring agency.",
    ),
    "exceeds": (
        "{other}({other_value})보다 클 수 없습니다.",
        "Cannot be more than {other} ({other_value}).",
    ),
    "before_case_discovery": (
        "사례 {case_id}의 발굴일({other_value})보다 빠를 수 없습니다.",
        "Cannot be before the discovery date of case {case_id} ({other_value}).",
    ),
    # ---- region names (시도명, 시군구명) ----
    "region_name_differs": (
        "같은 {level}({region})의 다른 행({rows}행)은 이름이 '{other}'입니다. "
        "한 지역의 행은 모두 같은 이름이어야 합니다.",
        "Other rows of the same {level} ({region}) give the name '{other}' (rows {rows}). "
        "All rows of one region must give the same name.",
    ),
    "region_name_stored": (
        "데이터베이스에 있는 같은 {level}({region})의 읍면동 {code}은(는) 이름이 '{other}'입니다. "
        "한 지역은 이름이 하나여야 합니다: 이 값을 '{other}'(으)로 고치거나 그 읍면동도 "
        "이 통합문서에 넣어 함께 고치세요.",
        "Neighbourhood {code} of the same {level} ({region}) in the database gives the name "
        "'{other}'. A region has one name: write '{other}' here, or add that neighbourhood "
        "to this workbook to rename it too.",
    ),
    "region_name_unplaced": (
        "행정동코드의 앞 5자리가 숫자가 아니어서 이 이름이 속한 지역을 알 수 없습니다. 이름은 "
        "저장되지만 쓰이지 않습니다 ({count}개 행, 처음 {first_row}행).",
        "The first 5 characters of the code are not digits, so the region this name belongs "
        "to is unknown. It is stored but not used ({count} rows, first in row {first_row}).",
    ),
    "service_before_discovery": (
        "데이터베이스의 서비스 {service_id} 제공일({other_value})이 이 발굴일보다 빠릅니다.",
        "Service {service_id} in the database was provided ({other_value}) before this date.",
    ),
}


# lib.regions levels as a message names them.
_LEVEL_WORDS = {"province": ("시도", "province"), "district": ("시군구", "district")}


@dataclass(frozen=True)
class Problem:
    """One problem found in the source: where it is, what was there and why it is wrong."""

    code: str
    severity: Severity = "error"
    sheet: str | None = None  # the sheet's title as written; None: the contract's name
    spec: str | None = None  # the contract's English sheet name
    row: int | None = None  # the Excel row number (header = 1)
    column: str | None = None  # the header as written; None: the contract's name
    field: str | None = None  # the contract's English column name
    value: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # What the file says is shown back only in part: a 10 MB cell, header or sheet
        # name must not fill the problem list, the report file or the import log.
        for name, limit in (("value", VALUE_LIMIT), ("sheet", NAME_LIMIT), ("column", NAME_LIMIT)):
            text = getattr(self, name)
            if text is not None and len(text) > limit:
                object.__setattr__(self, name, excerpt(text, limit))

    def sheet_label(self, lang: str) -> str:
        if self.sheet is not None:
            return self.sheet
        return SHEET_BY_NAME[self.spec].label(lang) if self.spec else ""

    def column_label(self, lang: str) -> str:
        if self.column is not None:
            return self.column
        if self.spec and self.field:
            return SHEET_BY_NAME[self.spec].field(self.field).label(lang)
        return ""

    def reason(self, lang: str) -> str:
        """The reason in `lang` (ko or en)."""
        ko, en = TEXTS[self.code]
        values = dict(self.params)
        if "target" in values:
            values["target"] = SHEET_BY_NAME[values["target"]].label(lang)
        if "level" in values:  # a region level: 시도/시군구, province/district
            values["level"] = _LEVEL_WORDS[values["level"]][0 if lang == "ko" else 1]
        if "status" in values:
            values["status"] = enums.label(enums.REFERRAL_STATUS, values["status"], lang)
        return (ko if lang == "ko" else en).format(**values)


def allowed_values(enum: dict[str, str]) -> str:
    """The accepted values of an enumeration, for a message: 'ko (en), …'."""
    return ", ".join(f"{k} ({v})" if k != v else k for k, v in enum.items())
