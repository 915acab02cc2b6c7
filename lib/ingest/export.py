"""Exporting the whole database as an import workbook (Korean sheet names and headers).

The file is in the contract's format, so it moves data between installations: codes are
text cells (leading zeros survive Excel), dates are date cells, Y/N stays Y/N. Rows are
streamed from the database into a write-only workbook, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from lib.access import format_kst
from lib.ingest.schema import SHEETS, Field, SheetSpec, header_text
from lib.queries.reference import as_of_date

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
AMOUNT_FORMAT = "#,##0"
_BATCH = 5000


def column_width(f: Field) -> float:
    """A width that fits the header and typical values of the column."""
    widths = {"date": 12, "int": 12, "number": 12, "yn": 10, "enum": 16, "code": 14, "text": 24}
    return max(widths[f.kind], len(f.ko) * 2 + 8 if f.required else len(f.ko) * 2 + 2)


def _header(sheet: Worksheet, spec: SheetSpec, lang: str = "ko") -> None:
    cells = []
    for f in spec.fields:
        cell = WriteOnlyCell(sheet, header_text(f, lang))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    sheet.append(cells)


def _format(sheet: Worksheet, spec: SheetSpec) -> list:
    """Per column: a function turning a stored value into a cell of the right type."""

    def make(f: Field):
        def cell(value):
            if value is None:
                return None
            if f.kind == "yn":
                return "Y" if value else "N"
            c = WriteOnlyCell(sheet, value)
            if f.kind == "code":
                c.value, c.number_format = str(value), TEXT_FORMAT  # never a number
            elif f.kind == "date":
                c.number_format = DATE_FORMAT
            elif f.kind == "int" and f.name == "amount_krw":
                c.number_format = AMOUNT_FORMAT
            elif f.kind == "number" and float(value).is_integer():
                c.value = int(value)
            return c

        return cell

    return [make(f) for f in spec.fields]


def _write_sheet(conn: sa.Connection, book: openpyxl.Workbook, spec: SheetSpec) -> int:
    sheet = book.create_sheet(spec.ko)
    for f, letter in zip(spec.fields, _letters(len(spec.fields)), strict=True):
        sheet.column_dimensions[letter].width = column_width(f)
    sheet.freeze_panes = "A2"
    _header(sheet, spec)
    makers = _format(sheet, spec)
    columns = [spec.table.c[name] for name in spec.field_names]
    # NULLs sort differently per database; '' makes the order (and the file) the same.
    order = [
        sa.func.coalesce(spec.table.c[k], "") if not spec.field(k).required else spec.table.c[k]
        for k in spec.key
    ]
    stmt = sa.select(*columns).order_by(*order)
    count = 0
    result = conn.execution_options(yield_per=_BATCH).execute(stmt)
    for row in result:
        sheet.append([make(v) for make, v in zip(makers, row, strict=True)])
        count += 1
    return count


def _letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, n + 1)]


def _info_sheet(book: openpyxl.Workbook, conn: sa.Connection, counts: dict[str, int]) -> None:
    sheet = book.create_sheet("안내", 0)
    as_of = as_of_date(conn)
    sheet.append(["잇다(Itda) 데이터 내보내기 · data export"])
    sheet.append(["내보낸 시각 (KST)", format_kst(dt.datetime.now(dt.UTC)).removesuffix(" KST")])
    sheet.append(["기준일 (as of)", as_of.isoformat() if as_of else "-"])
    sheet.append([])
    sheet.append(["시트", "행 수"])
    for spec in SHEETS:
        sheet.append([spec.ko, counts[spec.name]])
    sheet.append([])
    sheet.append(["이 파일은 가져오기 형식과 같습니다: 다른 설치본에 그대로 가져올 수 있습니다."])
    sheet.append(["This file is in the import format: another installation can import it as is."])


def export_workbook(conn: sa.Connection, path: str | Path | io.BytesIO) -> dict[str, int]:
    """Write every data table to `path` in the import format; return rows per sheet."""
    book = openpyxl.Workbook(write_only=True)
    counts = {spec.name: _write_sheet(conn, book, spec) for spec in SHEETS}
    _info_sheet(book, conn, counts)
    book.save(path)
    return counts


def export_bytes(conn: sa.Connection) -> bytes:
    """The export workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    export_workbook(conn, buffer)
    return buffer.getvalue()
