"""Parsing one cell into a typed value by the contract's forms.

Each parser returns `(value, reason_code)`: the value, or None with the code of the
problem. Blank cells never reach a parser (they are simply empty).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from lib.ingest.read import Cell, cell_text
from lib.ingest.schema import Field

Parsed = tuple[Any, str | None]

# YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD with one separator throughout; Korean Excel also
# writes "2024. 1. 5." (spaces after the dots, a final dot), which is the same form.
_DATE_SEP = re.compile(r"^(\d{4})([-./])\s*(\d{1,2})\2\s*(\d{1,2})(\.?)$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_INTEGER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)$")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$|^[+-]?\.\d+$")


def _make_date(year: str, month: str, day: str) -> Parsed:
    try:
        return dt.date(int(year), int(month), int(day)), None
    except ValueError:  # e.g. 2024-02-30
        return None, "bad_date"


def parse_date(cell: Cell) -> Parsed:
    """A date from a date cell or text in one of the contract's forms."""
    if isinstance(cell, dt.datetime):
        return cell.date(), None
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, float) and cell.is_integer():
        cell = str(int(cell))  # 20240105 typed as a number is the YYYYMMDD form
    if isinstance(cell, int) and not isinstance(cell, bool):
        cell = str(cell)
    if not isinstance(cell, str):
        return None, "bad_date"
    text = cell.strip()
    m = _DATE_SEP.match(text)
    if m and (not m.group(5) or m.group(2) == "."):
        return _make_date(m.group(1), m.group(3), m.group(4))
    m = _DATE_COMPACT.match(text)
    if m:
        return _make_date(*m.groups())
    return None, "bad_date"


def parse_int(cell: Cell) -> Parsed:
    """A whole number from a number cell or text, thousands separators allowed."""
    if isinstance(cell, bool):
        return None, "bad_integer"
    if isinstance(cell, int):
        return cell, None
    if isinstance(cell, float):
        return (int(cell), None) if cell.is_integer() else (None, "bad_integer")
    if isinstance(cell, str):
        text = cell.strip()
        if _INTEGER.match(text):
            return int(text.replace(",", "")), None
    return None, "bad_integer"


def parse_number(cell: Cell) -> Parsed:
    """Any finite number from a number cell or text, thousands separators allowed."""
    if isinstance(cell, bool):
        return None, "bad_number"
    if isinstance(cell, int | float):
        value = float(cell)
        return (
            (value, None) if value == value and abs(value) != float("inf") else (None, "bad_number")
        )
    if isinstance(cell, str):
        text = cell.strip()
        if _NUMBER.match(text):
            return float(text.replace(",", "")), None
    return None, "bad_number"


def parse_text(cell: Cell) -> Parsed:
    """Text as the user sees it, trimmed."""
    return cell_text(cell).strip() or None, None


def parse_code(cell: Cell) -> Parsed:
    """A code or id as text; a whole-number cell becomes its digits (see numeric_code)."""
    return cell_text(cell).strip() or None, None


def parse_yn(cell: Cell) -> Parsed:
    """True for Y, False for N (either case); a TRUE/FALSE cell is taken as Y/N."""
    if isinstance(cell, bool):
        return cell, None
    text = cell_text(cell).strip().casefold()
    if text == "y":
        return True, None
    if text == "n":
        return False, None
    return None, "bad_yn"


def enum_parser(enum: Mapping[str, str]) -> Callable[[Cell], Parsed]:
    """A parser that accepts the Korean or (any case) English value and returns the Korean."""
    lookup = {k.casefold(): k for k in enum} | {v.casefold(): k for k, v in enum.items()}

    def parse(cell: Cell) -> Parsed:
        korean = lookup.get(cell_text(cell).strip().casefold())
        return (korean, None) if korean is not None else (None, "bad_enum")

    return parse


def parser_for(f: Field) -> Callable[[Cell], Parsed]:
    """The parser of a field's kind."""
    if f.kind == "enum":
        assert f.enum is not None
        return enum_parser(f.enum)
    return {
        "code": parse_code,
        "text": parse_text,
        "date": parse_date,
        "int": parse_int,
        "number": parse_number,
        "yn": parse_yn,
    }[f.kind]


def is_blank(cell: Cell) -> bool:
    """True for an empty cell (None, or only spaces)."""
    return cell is None or (isinstance(cell, str) and not cell.strip())
