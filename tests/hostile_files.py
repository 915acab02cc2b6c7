"""Hostile import files, built small on disk in the test itself (nothing is committed).

Each builder returns (file name, bytes). They start from the valid tiny workbook of
tests/test_import_workbooks.py (openpyxl writes sheet n as xl/worksheets/sheet<n>.xml,
in BASE's order) and change its zip entries directly.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

from tests.test_import_workbooks import base, write_xlsx

CASES_SHEET = "xl/worksheets/sheet3.xml"  # 사례, the third sheet of BASE


def base_bytes(tmp: Path, sheets: dict | None = None) -> bytes:
    return write_xlsx(tmp / "base.xlsx", sheets or base()).read_bytes()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def rezip(files: dict[str, bytes], level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def _insert_rows(sheet_xml: bytes, rows: bytes) -> bytes:
    return sheet_xml.replace(b"</sheetData>", rows + b"</sheetData>")


def not_zip() -> list[tuple[str, bytes]]:
    rnd = random.Random(13)
    return [
        ("random.xlsx", rnd.randbytes(4096)),
        ("report.xlsx", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"),
        ("notes.xlsx", "사례번호,읍면동코드\nC1,1111051500\n".encode()),
        ("empty.xlsx", b""),
    ]


def bomb_ratio(tmp: Path) -> tuple[str, bytes]:
    """The cases sheet padded with 64 MB of spaces: ~1,000:1 compression."""
    files = entries(base_bytes(tmp))
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], b" " * (64 * 2**20))
    return "bomb.xlsx", rezip(files, level=1)


def _set_sizes(data: bytes, name: str, size: int) -> bytes:
    """`data` with the uncompressed size of entry `name` rewritten (local header and
    central directory), as a crafted bomb or a liar would have it."""
    raw = bytearray(data)
    encoded = name.encode()
    start = 0
    while (i := raw.find(b"PK\x03\x04", start)) >= 0:  # local headers: size at +22
        if raw[i + 30 : i + 30 + len(encoded)] == encoded:
            raw[i + 22 : i + 26] = struct.pack("<I", size)
        start = i + 4
    start = 0
    while (i := raw.find(b"PK\x01\x02", start)) >= 0:  # central directory: size at +24
        if raw[i + 46 : i + 46 + len(encoded)] == encoded:
            raw[i + 24 : i + 28] = struct.pack("<I", size)
        start = i + 4
    return bytes(raw)


def bomb_declared(tmp: Path) -> tuple[str, bytes]:
    """A sheet that says it unpacks to 4 GB (it is small: nothing is ever inflated)."""
    return "bomb-4gb.xlsx", _set_sizes(base_bytes(tmp), CASES_SHEET, 2**32 - 1)


def liar(tmp: Path) -> tuple[str, bytes]:
    """A sheet that says it is 100 bytes and inflates to far more (CRC and size checked)."""
    files = entries(base_bytes(tmp))
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], b"<row/>" * 200_000)
    return "liar.xlsx", _set_sizes(rezip(files), CASES_SHEET, 100)


def far_cell(tmp: Path) -> tuple[str, bytes]:
    """One cell at XFD1048576: calamine's grid would be 17 billion cells (it aborts)."""
    files = entries(base_bytes(tmp))
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], far)
    return "far.xlsx", rezip(files)


def far_row(tmp: Path) -> tuple[str, bytes]:
    """One cell in column A of row 1,048,576 below 12 columns: 12.6 million grid cells
    (≈ 900 MB in calamine) from a 10 KB file."""
    files = entries(base_bytes(tmp))
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>C9</t></is></c></row>'
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], far)
    return "far-row.xlsx", rezip(files)


def far_without_references(tmp: Path) -> tuple[str, bytes]:
    """Far cells placed by their row's number alone (the cells have no `r`)."""
    files = entries(base_bytes(tmp))
    rows = b'<row r="1048000">' + b"<c><v>1</v></c>" * 30 + b"</row>"
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], rows)
    return "far-by-order.xlsx", rezip(files)


def empty_rows(tmp: Path) -> tuple[str, bytes]:
    """1,048,573 empty row elements (formatted empty rows) and a dimension claiming the
    whole sheet: no cell there, but a million rows of nothing: refused."""
    files = entries(base_bytes(tmp))
    sheet = files[CASES_SHEET]
    rows = b"".join(b'<row r="%d"/>' % n for n in range(4, 1_048_577))
    sheet = _insert_rows(sheet, rows)
    head, _, rest = sheet.partition(b"<dimension ref=")
    rest = rest.split(b"/>", 1)[1]
    files[CASES_SHEET] = head + b'<dimension ref="A1:XFD1048576"/>' + rest
    return "empty-rows.xlsx", rezip(files)


def empty_cells(tmp: Path) -> tuple[str, bytes]:
    """A million rows of four empty text cells each: real cells, so the grid matches them,
    but nothing in them (calamine would build every row: ≈ 0.5 GB)."""
    files = entries(base_bytes(tmp))
    cells = (b"A", b"B", b"C", b"D")
    rows = b"".join(
        b'<row r="%d">' % n
        + b"".join(b'<c r="%s%d" t="inlineStr"><is><t></t></is></c>' % (c, n) for c in cells)
        + b"</row>"
        for n in range(4, 1_000_004)
    )
    files[CASES_SHEET] = _insert_rows(files[CASES_SHEET], rows)
    return "empty-cells.xlsx", rezip(files)


def long_sheet_name(tmp: Path) -> tuple[str, bytes]:
    """A 10 MB sheet name (random hex: it does not compress, so no ratio check fires)."""
    files = entries(base_bytes(tmp))
    name = random.Random(7).randbytes(5 * 2**20).hex().encode()
    files["xl/workbook.xml"] = files["xl/workbook.xml"].replace(
        'name="사례"'.encode(), b'name="' + name + b'"'
    )
    assert name in files["xl/workbook.xml"]
    return "long-name.xlsx", rezip(files)


def huge_cell(tmp: Path) -> tuple[str, bytes]:
    """A 10 MB case number: read, then refused by the cell rules, quoted briefly."""
    sheets = base()
    sheets["사례"][1][0] = random.Random(3).randbytes(5 * 2**20).hex()
    return "huge-cell.xlsx", base_bytes(tmp, sheets)


def with_macro(tmp: Path) -> tuple[str, bytes]:
    files = entries(base_bytes(tmp))
    files["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
    return "macro.xlsx", rezip(files)


def with_external_link(tmp: Path) -> tuple[str, bytes]:
    files = entries(base_bytes(tmp))
    files["xl/externalLinks/externalLink1.xml"] = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook r:id="rId1"/></externalLink>'
    )
    return "links.xlsx", rezip(files)


def csv_bomb() -> tuple[str, bytes]:
    """A .zip whose cases.csv unpacks to 100 MB."""
    body = "사례번호,읍면동코드\n".encode() + b"C1,1\n" * (20 * 2**20)
    return "csvs.zip", rezip({"cases.csv": body}, level=1)


def far_cell_elsewhere(tmp: Path) -> tuple[str, bytes]:
    """The far cell in a sheet the relationships place outside xl/worksheets/."""
    name, data = far_cell(tmp)
    files = entries(data)
    files["xl/data/cases.xml"] = files.pop(CASES_SHEET)
    rels = "xl/_rels/workbook.xml.rels"
    files[rels] = files[rels].replace(b"/xl/worksheets/sheet3.xml", b"/xl/data/cases.xml")
    files[rels] = files[rels].replace(b"worksheets/sheet3.xml", b"data/cases.xml")
    assert b"data/cases.xml" in files[rels]
    return "far-elsewhere.xlsx", rezip(files)
