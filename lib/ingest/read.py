"""Reading an import source (.xlsx, a folder or .zip of .csv files) into raw rows.

Nothing is interpreted here: cells keep the type the file gave them (text, float, date,
bool) and rows keep their Excel row number (header = row 1), so every problem found later
can point at the cell the user sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from python_calamine import CalamineWorkbook

from lib.errors import UserError
from lib.excerpt import excerpt
from lib.ingest import guard

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class RawSheet:
    """One sheet (or csv file): its title, header row and non-blank data rows.

    A workbook's sheets are parsed only when first asked for, so the importer can read
    one sheet while the database writes the one before.
    """

    def __init__(self, title: str, table: Callable[[], Iterable[list[Cell]]]) -> None:
        self.title = title
        self._table = table
        self._headers: list[str] | None = None
        self._rows: list[tuple[int, list[Cell]]] = []

    def _load(self) -> None:
        rows = iter(self._table())
        header = next(rows, [])
        self._headers = [cell_text(h).strip() for h in header]
        for number, cells in enumerate(rows, start=2):  # the header is row 1
            if _has_data(cells):
                self._rows.append((number, cells))

    @property
    def headers(self) -> list[str]:
        if self._headers is None:
            self._load()
        return self._headers  # type: ignore[return-value]

    @property
    def rows(self) -> list[tuple[int, list[Cell]]]:
        """(Excel row number, cells) of every row that is not blank."""
        if self._headers is None:
            self._load()
        return self._rows


@dataclass
class RawWorkbook:
    """Everything read from one source, with the facts the import log records."""

    file_name: str
    content_hash: str
    sheets: list[RawSheet]


def cell_text(value: Cell) -> str:
    """A cell as the user sees it: dates as YYYY-MM-DD, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _has_data(cells: list[Cell]) -> bool:
    """True unless every cell is empty or only spaces (checked cheaply: most rows are full)."""
    if any(cells):
        return any(c.strip() if c.__class__ is str else True for c in cells if c)
    return any(c is not None and c != "" for c in cells)  # a row of 0s or FALSEs is data


def _xlsx_table(data: bytes, name: str) -> list[list[Cell]]:
    try:
        # A workbook object per sheet (opening one takes milliseconds): one object cannot
        # decode two sheets at once, and the importer decodes ahead in another thread.
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # skip_empty_area=False keeps index 0 = Excel row 1 even above blank rows.
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for broken sheets
        raise _unreadable(exc) from exc


def _unreadable(exc: Exception) -> UserError:
    return UserError(
        f"엑셀 파일을 읽을 수 없습니다 ({exc}). .xlsx 형식으로 저장했는지 확인하세요.",
        f"Cannot read the workbook ({exc}). Check that it is saved as .xlsx.",
    )


def _read_xlsx(name: str, data: bytes) -> list[RawSheet]:
    # Before calamine sees it: a zip within limits, no macros or links, sane grids.
    with guard.open_zip(name, data) as archive:
        guard.check_workbook(name, archive, guard.sheet_titles(archive))
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:
        raise _unreadable(exc) from exc
    long = [n for n in book.sheet_names if len(n) > guard.MAX_SHEET_NAME]
    if long:  # the workbook's own list, when xl/workbook.xml names sheets oddly
        guard.check_workbook(name, zipfile.ZipFile(io.BytesIO(data)), {"": long[0]})
    return [RawSheet(s, functools.partial(_xlsx_table, data, s)) for s in book.sheet_names]


def _read_csv(name: str, data: bytes) -> RawSheet:
    try:
        text = data.decode("utf-8-sig")  # with or without BOM
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{excerpt(name)}: UTF-8 텍스트가 아닙니다. 엑셀에서 'CSV UTF-8'로 다시 저장하세요.",
            f"{excerpt(name)}: not UTF-8 text. Save it again from Excel as 'CSV UTF-8'.",
        ) from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return RawSheet(PurePosixPath(name).stem, lambda: rows)


def _csv_sources(files: list[tuple[str, bytes]], label: str) -> list[RawSheet]:
    csvs = sorted((n, d) for n, d in files if n.lower().endswith(".csv"))
    if not csvs:
        raise UserError(
            f"{excerpt(label)}: .csv 파일이 없습니다 (시트마다 하나, 예: cases.csv).",
            f"{excerpt(label)}: no .csv files (one per sheet, e.g. cases.csv).",
        )
    return [_read_csv(n, d) for n, d in csvs]


def _hash(parts: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def read_bytes(name: str, data: bytes) -> RawWorkbook:
    """Read an uploaded file: a .xlsx workbook, a .zip of .csv files, or one .csv file."""
    suffix = PurePosixPath(name).suffix.lower()
    guard.check_size(name, len(data))
    if suffix == ".xlsx":
        return RawWorkbook(name, hashlib.sha256(data).hexdigest(), _read_xlsx(name, data))
    if suffix == ".csv":
        return RawWorkbook(name, hashlib.sha256(data).hexdigest(), [_read_csv(name, data)])
    if suffix == ".zip":
        try:
            with guard.open_zip(name, data, what="zip") as archive:
                files = [
                    (PurePosixPath(i.filename).name, archive.read(i))
                    for i in archive.infolist()
                    if not i.is_dir() and not PurePosixPath(i.filename).name.startswith(".")
                ]
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # e.g. a bad CRC
            raise UserError(
                f"{excerpt(name)}: zip 파일을 열 수 없습니다.",
                f"{excerpt(name)}: not a readable zip file.",
            ) from exc
        return RawWorkbook(name, hashlib.sha256(data).hexdigest(), _csv_sources(files, name))
    raise UserError(
        f"{excerpt(name)}: .xlsx 파일, .csv 파일 폴더 또는 그 .zip만 가져올 수 있습니다.",
        f"{excerpt(name)}: only a .xlsx workbook, a folder of .csv files or a .zip of them can be imported.",
    )


def read_path(path: str | Path) -> RawWorkbook:
    """Read a .xlsx workbook, a .zip of .csv files, a .csv file or a folder of .csv files."""
    path = Path(path)
    if path.is_dir():
        csvs = [p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(".csv")]
        guard.check_size(path.name, sum(p.stat().st_size for p in csvs))
        files = sorted((p.name, p.read_bytes()) for p in csvs)
        files = [(n, d) for n, d in files if n.lower().endswith(".csv")]
        sheets = _csv_sources(files, path.name)
        return RawWorkbook(path.name, _hash(files), sheets)
    if not path.is_file():
        raise UserError(f"파일을 찾을 수 없습니다: {path}", f"File not found: {path}")
    guard.check_size(path.name, path.stat().st_size)  # before reading it into memory
    try:
        data = path.read_bytes()
    except OSError as exc:  # no permission, a device, a broken disk
        raise UserError(
            f"파일을 읽을 수 없습니다: {path} ({exc.strerror})",
            f"Cannot read the file: {path} ({exc.strerror})",
        ) from exc
    return read_bytes(path.name, data)
