"""Showing an import's outcome: problem lines, the preview table, the summary, the report file."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill

from lib.ingest.importer import ImportResult
from lib.ingest.messages import Problem
from lib.ingest.schema import SHEET_BY_NAME, SHEETS
from lib.ingest.write import SheetCounts

_SEVERITY = {"error": ("오류", "error"), "warning": ("경고", "warning")}
PROBLEM_COLUMNS = {
    "ko": ("구분", "시트", "행", "열", "값", "사유", "코드"),
    "en": ("Severity", "Sheet", "Row", "Column", "Value", "Reason", "Code"),
}
COUNT_COLUMNS = {
    "ko": ("시트", "행", "새 행", "변경", "변경 없음", "삭제"),
    "en": ("Sheet", "Rows", "New", "Changed", "Unchanged", "Deleted"),
}


def _lang(lang: str) -> str:
    return "ko" if lang == "ko" else "en"


def problem_cells(p: Problem, lang: str) -> tuple:
    """One problem as the report's cells: severity, sheet, row, column, value, reason, code."""
    severity = _SEVERITY[p.severity][0 if lang == "ko" else 1]
    return (
        severity,
        p.sheet_label(lang),
        p.row,
        p.column_label(lang),
        p.value,
        p.reason(lang),
        p.code,
    )


def format_problem(p: Problem, lang: str = "ko") -> str:
    """One readable terminal line: severity, [sheet] row, column "value": reason."""
    severity, sheet, row, column, value, reason, _code = problem_cells(p, lang)
    where = f"[{sheet}]" if sheet else ""
    if row is not None:
        where += f" {row}행" if lang == "ko" else f" row {row}"
    if column:
        where += f" {column}" if lang == "ko" else f", {column}"
    if value:
        where += f' "{value}"'
    where = where.strip()
    return f"{severity}  {where}: {reason}" if where else f"{severity}  {reason}"


def problems_frame(problems: list[Problem], lang: str = "ko") -> pd.DataFrame:
    """The problems as a table with headers in `lang` (the page's table).

    In Korean without the code column: `bad_date` is a developer's word, and the reason
    says the same in Korean (the downloadable report keeps the code, for support)."""
    lang = _lang(lang)
    rows = [problem_cells(p, lang) for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS[lang]))
    frame[PROBLEM_COLUMNS[lang][2]] = frame[PROBLEM_COLUMNS[lang][2]].astype("Int64")
    if lang == "ko":
        frame = frame.drop(columns=PROBLEM_COLUMNS["ko"][-1])
    return frame


def write_problem_report(
    problems: list[Problem], out: str | Path | io.BytesIO, lang: str = "ko"
) -> None:
    """Write every problem, one row each, to an .xlsx file (headers in `lang`)."""
    lang = _lang(lang)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "문제" if lang == "ko" else "Problems"
    sheet.append(PROBLEM_COLUMNS[lang])
    for p in problems:
        sheet.append(problem_cells(p, lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (8, 14, 6, 18, 22, 70, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.auto_filter.ref = sheet.dimensions
    book.save(out)


def problem_report_bytes(problems: list[Problem], lang: str = "ko") -> bytes:
    """The problem report .xlsx as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_problem_report(problems, buffer, lang)
    return buffer.getvalue()


def counts_frame(counts: dict[str, SheetCounts], lang: str = "ko") -> pd.DataFrame:
    """The preview: one row per sheet with rows, new, changed, unchanged (and deleted)."""
    lang = _lang(lang)
    columns = list(COUNT_COLUMNS[lang])
    rows = [
        (SHEET_BY_NAME[name].label(lang), c.rows, c.new, c.changed, c.unchanged, c.deleted)
        for name, c in counts.items()
    ]
    frame = pd.DataFrame(rows, columns=columns)
    if all(c.deleted is None for c in counts.values()):
        frame = frame.drop(columns=columns[-1])
    else:
        frame[columns[-1]] = frame[columns[-1]].astype("Int64")
    return frame


def counts_table(counts: dict[str, SheetCounts], lang: str = "ko") -> str:
    """The preview as aligned text for the terminal."""
    frame = counts_frame(counts, lang)
    # East Asian width keeps Korean sheet names aligned in a terminal.
    with pd.option_context("display.unicode.east_asian_width", True):
        return frame.to_string(index=False, na_rep="-") if len(frame) else ""


def replace_notice(result: ImportResult, lang: str = "ko") -> str:
    """What replace mode will delete: rows missing from the workbook, whole absent sheets."""
    absent = [s.label(lang) for s in SHEETS if s.name not in result.rows_per_sheet]
    if lang == "ko":
        text = "교체 모드: 통합문서에 없는 행은 데이터베이스에서 삭제됩니다."
        if absent:
            text += f" 통합문서에 없는 시트는 모두 비워집니다: {', '.join(absent)}."
        return text
    text = "Replace mode: rows not in the workbook are deleted from the database."
    if absent:
        text += f" Sheets absent from the workbook are emptied: {', '.join(absent)}."
    return text


def _totals(counts: dict[str, SheetCounts]) -> tuple[int, int, int, int]:
    return (
        sum(c.new for c in counts.values()),
        sum(c.changed for c in counts.values()),
        sum(c.unchanged for c in counts.values()),
        sum(c.deleted or 0 for c in counts.values()),
    )


def summary_line(result: ImportResult, lang: str = "ko") -> str:
    """One line saying how the import ended."""
    from lib.errors import user_message

    errors, warnings = len(result.errors), len(result.warnings)
    new, changed, unchanged, deleted = _totals(result.counts)
    ko = lang == "ko"
    if result.outcome == "failed":
        reason = user_message(result.failure, lang) if result.failure else ""
        return (
            f"가져오기 실패: {reason} 아무것도 저장하지 않았습니다."
            if ko
            else f"Import failed: {reason} Nothing was written."
        )
    if result.outcome == "rejected":
        return (
            f"가져오기 거부: 오류 {errors:,}건, 경고 {warnings:,}건. 아무것도 저장하지 않았습니다. "
            "모든 문제를 고친 뒤 다시 가져오세요."
            if ko
            else f"Import rejected: {errors:,} error(s), {warnings:,} warning(s). Nothing was "
            "written; fix every problem and import again."
        )
    deleted_ko = f", 삭제 {deleted:,}" if result.mode == "replace" else ""
    deleted_en = f", {deleted:,} deleted" if result.mode == "replace" else ""
    if result.dry_run:
        return (
            f"미리보기(저장하지 않음): 새 행 {new:,}, 변경 {changed:,}, 변경 없음 {unchanged:,}"
            f"{deleted_ko}. 경고 {warnings:,}건."
            if ko
            else f"Dry run (nothing written): {new:,} new, {changed:,} changed, "
            f"{unchanged:,} unchanged{deleted_en}. {warnings:,} warning(s)."
        )
    return (
        f"가져오기 완료: 새 행 {new:,}, 변경 {changed:,}, 변경 없음 {unchanged:,}{deleted_ko}. "
        f"경고 {warnings:,}건."
        if ko
        else f"Import done: {new:,} new, {changed:,} changed, {unchanged:,} unchanged"
        f"{deleted_en}. {warnings:,} warning(s)."
    )
