"""Checks on an import file before anything parses it: bounded time and memory.

A .xlsx is a zip of XML. calamine (Rust) decodes a sheet into one dense grid as tall as
its lowest cell and as wide as its rightmost: a 1.5 KB workbook with one cell at A1 and
one at XFD1048576 asks for 17 billion cells, and the process aborts (a Rust allocation
failure is not an exception: the server would die with it). A "zip bomb" inflates a few
kilobytes into gigabytes. So every workbook is looked at here first, cheaply and in
bounded memory, by Python's zipfile (which stops at each entry's declared size and checks
its CRC, so an entry cannot inflate beyond what the directory claims):

- the file's size (`MAX_FILE_BYTES`), and that it is a zip at all ("not a workbook");
- the entries: total declared size (`MAX_UNPACKED_BYTES`), the compression ratio of a
  large entry (`MAX_RATIO`), a macro project (`xl/vbaProject.bin`: an .xlsm renamed) or
  external links (`xl/externalLinks/`): refused;
- each worksheet's XML streamed in 1 MB chunks: the lowest row and rightmost column any
  cell names, against the number of cells it has. A sheet whose grid would be far larger
  than its cells (`_sparse`) is refused, naming the sheet, the row and the column;
- sheet names longer than Excel's own 31 characters.

Every refusal is a `FileRefused` (a `UserError`) whose text quotes names only as short
excerpts (`lib.excerpt`).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator

from lib.errors import UserError
from lib.excerpt import excerpt

MAX_FILE_BYTES = 100 * 2**20  # the upload limit is 50 MB (.streamlit/config.toml)
MAX_UNPACKED_BYTES = 256 * 2**20  # every entry of a workbook, as declared
# A .zip of .csv files unpacked (and a folder of them): Python holds every row as lists,
# ten times the text or so.
MAX_CSV_BYTES = 64 * 2**20
MAX_RATIO = 200  # declared / compressed size of one entry above RATIO_FROM bytes
RATIO_FROM = 2**20
# A sheet's grid (lowest row × rightmost column) may exceed its cells by this many
# (blank cells between data) plus GRID_FACTOR times its cells: 1 million cells of
# calamine's grid are ≈ 32 MB.
GRID_SLACK = 1_000_000
GRID_FACTOR = 4
# A sheet with more row elements than this and fewer cells holding a value than rows is
# mostly empty rows (a million formatted empty rows): refused, whatever calamine would do.
EMPTY_ROWS_FROM = 100_000
MAX_SHEET_NAME = 31  # Excel's own limit
_CHUNK = 2**20

# A cell with its reference: <c r="AB12" …> (any namespace prefix); a cell without one.
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="([0-9]{1,7})"')
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml$")


class FileRefused(UserError):
    """An import file refused before reading, with where (sheet, row, column) if known."""

    def __init__(
        self,
        ko: str,
        en: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(ko, en)
        self.sheet, self.row, self.column = sheet, row, column


def column_letters(number: int) -> str:
    """1 → A, 27 → AA (Excel's column names)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_size(name: str, size: int) -> None:
    """Refuse a file larger than `MAX_FILE_BYTES` before it is read into memory."""
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        raise FileRefused(
            f"{excerpt(name)}: 파일이 너무 큽니다 ({size / 2**20:,.0f} MB, 최대 {limit} MB).",
            f"{excerpt(name)}: the file is too large ({size / 2**20:,.0f} MB, at most {limit} MB).",
        )


def open_zip(name: str, data: bytes, what: str = "xlsx") -> zipfile.ZipFile:
    """The file as a zip after the size and entry checks; refused when it is not one."""
    check_size(name, len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        if what == "xlsx":
            raise FileRefused(
                f"{excerpt(name)}: 엑셀 통합문서(.xlsx)가 아닙니다. 엑셀에서 'Excel 통합 문서"
                "(*.xlsx)'로 저장한 파일을 올리세요.",
                f"{excerpt(name)}: not an Excel workbook (.xlsx). Upload a file saved from Excel "
                "as 'Excel Workbook (*.xlsx)'.",
            ) from exc
        raise FileRefused(
            f"{excerpt(name)}: zip 파일을 열 수 없습니다.",
            f"{excerpt(name)}: not a readable zip file.",
        ) from exc
    _check_entries(name, archive.infolist(), what)
    return archive


def _check_entries(name: str, entries: Iterable[zipfile.ZipInfo], what: str) -> None:
    total = 0
    for info in entries:
        total += info.file_size
        entry = info.filename
        if what == "xlsx" and entry.lower().endswith("vbaproject.bin"):
            raise FileRefused(
                f"{excerpt(name)}: 매크로가 든 통합문서는 가져오지 않습니다. 매크로 없는 "
                "'Excel 통합 문서(*.xlsx)'로 다시 저장하세요.",
                f"{excerpt(name)}: workbooks with macros are not imported. Save it again as an "
                "'Excel Workbook (*.xlsx)' without macros.",
            )
        if what == "xlsx" and entry.lower().startswith("xl/externallinks/"):
            raise FileRefused(
                f"{excerpt(name)}: 다른 파일을 참조하는 외부 연결이 있습니다. 엑셀의 '데이터 > "
                "연결 편집 > 연결 끊기'로 값만 남기고 다시 저장하세요.",
                f"{excerpt(name)}: the workbook links to other files. Break the links (Data > "
                "Edit Links > Break Link) to keep the values, and save it again.",
            )
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, what)
    if total > (MAX_UNPACKED_BYTES if what == "xlsx" else MAX_CSV_BYTES):
        raise _bomb(name, what)


def _bomb(name: str, what: str = "xlsx") -> FileRefused:
    limit = (MAX_UNPACKED_BYTES if what == "xlsx" else MAX_CSV_BYTES) // 2**20
    return FileRefused(
        f"{excerpt(name)}: 압축을 풀면 너무 커지는 파일이라 가져오지 않습니다 (최대 {limit} MB).",
        f"{excerpt(name)}: the file unpacks to far too much data and is not imported "
        f"(at most {limit} MB).",
    )


def check_workbook(name: str, archive: zipfile.ZipFile, sheet_names: dict[str, str]) -> None:
    """Stream every worksheet's XML and refuse a grid far larger than its cells.

    `sheet_names` maps a worksheet's path in the zip to its title (for the message); an
    entry read beyond its declared size or with a bad CRC is a broken file (zipfile)."""
    for title in sheet_names.values():
        if len(title) > MAX_SHEET_NAME:
            raise FileRefused(
                f"{excerpt(name)}: 시트 이름이 너무 깁니다 ({len(title):,}자, 엑셀은 최대 31자): "
                f"{excerpt(title)}",
                f"{excerpt(name)}: a sheet name is too long ({len(title):,} characters, Excel "
                f"allows 31): {excerpt(title)}",
                sheet=excerpt(title),
            )
    for info in archive.infolist():
        # The usual place, and wherever the workbook's relationships point (calamine
        # follows them: a sheet at xl/elsewhere.xml is read as well).
        if not _SHEET.match(info.filename) and info.filename not in sheet_names:
            continue
        title = sheet_names.get(info.filename, info.filename.rsplit("/", 1)[-1])
        try:
            rows, columns, cells = _grid(archive, info)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FileRefused(
                f"{excerpt(name)}: 시트 '{excerpt(title)}'의 압축이 손상되었습니다.",
                f"{excerpt(name)}: sheet '{excerpt(title)}' is damaged in the file.",
                sheet=title,
            ) from exc
        if rows * columns > GRID_SLACK + GRID_FACTOR * cells:
            where = f"{column_letters(columns)}{rows}"
            raise FileRefused(
                f"시트 '{excerpt(title)}'의 셀이 {rows:,}행 {column_letters(columns)}열({where})"
                f"까지 퍼져 있지만 셀은 {cells:,}개뿐입니다. 데이터 아래와 오른쪽의 빈 행과 열을 "
                "지우고 다시 저장하세요.",
                f"Sheet '{excerpt(title)}' reaches row {rows:,}, column {column_letters(columns)} "
                f"({where}) but has only {cells:,} cells. Delete the empty rows and columns "
                "below and right of the data and save it again.",
                sheet=title,
                row=rows,
                column=column_letters(columns),
            )
        # Cells that are there but hold nothing (a million rows of empty text cells):
        # calamine would still build every row (≈ 0.5 GB for a million rows of 4 empty
        # cells) only for the importer to skip them as blank.
        if info.file_size <= _CHUNK:  # too small to hold a damaging number of rows
            continue
        valued, row_elements = _valued_cells(archive, info)
        if row_elements > EMPTY_ROWS_FROM and row_elements > valued:
            # More rows than values: most rows hold nothing (formatted empty rows).
            rows, columns = max(rows, row_elements), max(columns, 1)
        if rows * columns > GRID_SLACK + GRID_FACTOR * valued or (
            row_elements > EMPTY_ROWS_FROM and row_elements > valued
        ):
            where = f"{column_letters(columns)}{rows}"
            raise FileRefused(
                f"시트 '{excerpt(title)}'가 {rows:,}행({where})까지 이어지지만 값이 든 셀은 "
                f"{valued:,}개뿐입니다: 대부분 빈 행입니다. 데이터 아래의 빈 행을 지우고 다시 "
                "저장하세요.",
                f"Sheet '{excerpt(title)}' runs to row {rows:,} ({where}) but only {valued:,} "
                "cells hold a value: most rows are empty. Delete the empty rows below the data "
                "and save it again.",
                sheet=title,
                row=rows,
                column=column_letters(columns),
            )


# Value-holding cells: a value element (numbers, shared strings, formulas' results), or an
# inline string that is not empty.
_VALUE_TAGS = (b"<v>",)
_INLINE = b"<is>"
_EMPTY_INLINE = (b"<is><t></t></is>", b"<is><t/></is>", b'<is><t xml:space="preserve"></t></is>')


def _valued_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(cells holding a value, row elements) of a worksheet: one more pass, ~0.05 s per
    50 MB of XML."""
    valued = rows = 0
    carry = b""
    for chunk in (*_chunks(archive, info), None):
        if chunk is None:
            body, carry = carry, b""
        else:
            # Cut after the last whole cell, so no cell's tags are split between two counts.
            block = carry + chunk
            cut = block.rfind(b"</c>") + len(b"</c>") if b"</c>" in block else 0
            body, carry = block[:cut], block[cut:]
        valued += sum(body.count(tag) for tag in _VALUE_TAGS) + body.count(_INLINE)
        valued -= sum(body.count(tag) for tag in _EMPTY_INLINE)
        rows += body.count(b"<row ") + body.count(b"<row>") + body.count(b"<row/>")
    return valued, rows


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")


def _attr(tag: bytes, name: bytes) -> str | None:
    m = re.search(rb"(?:^|\s)" + name + rb'="([^"]*)"', tag)
    return html.unescape(m[1].decode("utf-8", "replace")) if m else None


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's path in the zip → its title (from xl/workbook.xml and its
    relationships); {} when the workbook does not say (messages then use the path)."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    targets = {}
    for tag in _REL_TAG.findall(rels):
        rid, target = _attr(tag, b"Id"), _attr(tag, b"Target")
        if rid and target:
            target = target.lstrip("/")
            target = target if target.startswith("xl/") else "xl/" + target
            targets[rid] = posixpath.normpath(target)  # "xl/../x.xml" is "x.xml"
    titles = {}
    for tag in _SHEET_TAG.findall(book):
        title, rid = _attr(tag, b"name"), _attr(tag, rb"[\w.-]*:?id")
        if title is not None and rid in targets:
            titles[targets[rid]] = title
    return titles


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """An entry's bytes in about 1 MB pieces, each ending before a '<' (so no tag is cut)."""
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            block = tail + chunk
            cut = block.rfind(b"<")
            if cut <= 0:
                yield block
                tail = b""
            else:
                yield block[:cut]
                tail = block[cut:]
    if tail:
        yield tail


# The form every writer we know uses (Excel, openpyxl, LibreOffice, calamine's tests):
# `<c r="B12" …>`, the reference first. Bytes searches for it are fast (no Python loop
# per cell): ~0.05 s for 1.5 million cells.
_FAST_CELL = b'<c r="'


def _grid(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """(lowest row, rightmost column, cells) of a worksheet, or an upper bound of the row
    and column small enough to pass, in bounded memory and ~0.1 s per 50 MB of XML.

    First pass: the cells and how many digits (rows) and letters (columns) the largest
    references have. Only when that bound is not already small enough, a second pass
    finds the largest row and column exactly: among references of one length the
    largest is the lexicographic maximum, taken by C code over the matches."""
    digits = letters = cells = 0
    for body in _chunks(archive, info):
        named = body.count(_FAST_CELL)
        every = body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>")
        if named != every or b":c " in body or b":c>" in body:
            return _grid_slow(archive, info)  # references elsewhere, or none: exact, slower
        cells += named
        if digits < 7 and _MORE_DIGITS[digits].search(body):  # one scan; rarely true
            digits = max(n for n in range(digits + 1, 8) if _ROW_DIGITS[n].search(body))
        if letters < 3 and _MORE_LETTERS[letters].search(body):
            letters = max(n for n in range(letters + 1, 4) if _COL_LETTERS[n].search(body))
    rows, columns = 10**digits - 1, min(_column_number(b"Z" * letters), _MAX_COLUMNS)
    if rows * columns <= GRID_SLACK + GRID_FACTOR * cells:
        return rows, columns, cells
    row_re = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{%d})"' % digits)
    top = b""
    for body in _chunks(archive, info):  # few matches: only the rows with the most digits
        top = max(top, max(row_re.findall(body), default=b""))
    rows = int(top or 0)
    if rows * columns <= GRID_SLACK + GRID_FACTOR * cells:
        return rows, columns, cells
    col_re = re.compile(rb'<c r="([A-Z]{%d})[0-9]' % letters)
    top = b""
    for body in _chunks(archive, info):  # rare: a tall sheet of few columns
        top = max(top, max(set(col_re.findall(body)), default=b""))
    return rows, _column_number(top), cells


_MAX_COLUMNS = 16_384  # XFD
_ROW_DIGITS = {n: re.compile(rb'<c r="[A-Z]{1,3}[0-9]{%d}"' % n) for n in range(1, 8)}
_COL_LETTERS = {n: re.compile(rb'<c r="[A-Z]{%d}[0-9]' % n) for n in range(1, 4)}
# A reference with more than n digits (letters) than seen so far.
_MORE_DIGITS = {n: re.compile(rb'<c r="[A-Z]{1,3}[0-9]{%d,7}"' % (n + 1)) for n in range(7)}
_MORE_LETTERS = {n: re.compile(rb'<c r="[A-Z]{%d,3}[0-9]' % (n + 1)) for n in range(3)}


def _grid_slow(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    """`_grid` for any writer: every cell looked at in Python (about 1 s per 50 MB).

    Cells without a reference are placed one after another, row by row (as calamine
    does): for them the row is the row elements' count and the column the most cells one
    row element holds."""
    max_row = max_col = cells = refs = rows = rows_named = 0
    widest = current = 0  # cells per row element, for cells without a reference
    for body in _chunks(archive, info):
        found = 0
        for m in _CELL_REF.finditer(body):
            found += 1
            max_row = max(max_row, int(m[2]))
            max_col = max(max_col, _column_number(m[1]))
        refs += found
        for m in _ROW_REF.finditer(body):  # a row's own number places its cells without one
            rows_named = max(rows_named, int(m[1]))
        segments = _ROW_ANY.split(body)
        rows += len(segments) - 1
        counts = [len(_CELL_ANY.findall(seg)) for seg in segments]
        cells += sum(counts)
        current += counts[0]
        for count in counts[1:]:
            widest, current = max(widest, current), count
    widest = max(widest, current)
    if cells > refs:
        max_row, max_col = max(max_row, rows, rows_named), max(max_col, widest)
    return max_row, max_col, cells
