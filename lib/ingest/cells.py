"""Parsing one cell into a typed value by the contract's forms.

Each parser returns `(value, reason_code)`: the value, or None with the code of the
problem; a blank cell (empty, or only spaces) is `(None, None)`. They run once per cell of
up to millions, so the common types are tested first and cheaply.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
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
    kind = cell.__class__
    if kind is dt.date:
        return cell, None
    if kind is dt.datetime:
        return cell.date(), None
    if cell is None:
        return None, None
    if kind is float and cell.is_integer():
        cell = str(int(cell))  # 20240105 typed as a number is the YYYYMMDD form
    elif kind is int:
        cell = str(cell)
    if not isinstance(cell, str):
        return None, "bad_date"
    text = cell.strip()
    if not text:
        return None, None
    m = _DATE_SEP.match(text)
    if m and (not m.group(5) or m.group(2) == "."):
        return _make_date(m.group(1), m.group(3), m.group(4))
    m = _DATE_COMPACT.match(text)
    if m:
        return _make_date(*m.groups())
    return None, "bad_date"


def parse_int(cell: Cell) -> Parsed:
    """A whole number from a number cell or text, thousands separators allowed."""
    kind = cell.__class__
    if kind is float:
        return (int(cell), None) if cell.is_integer() else (None, "bad_integer")
    if kind is int:
        return cell, None
    if kind is str:
        text = cell.strip()
        if _INTEGER.match(text):
            return int(text.replace(",", "")), None
        return (None, "bad_integer") if text else (None, None)
    return (None, None) if cell is None else (None, "bad_integer")


def parse_number(cell: Cell) -> Parsed:
    """Any finite number from a number cell or text, thousands separators allowed."""
    kind = cell.__class__
    if kind is float or kind is int:
        value = float(cell)
        if value == value and abs(value) != float("inf"):
            return value, None
        return None, "bad_number"
    if kind is str:
        text = cell.strip()
        if _NUMBER.match(text):
            return float(text.replace(",", "")), None
        return (None, "bad_number") if text else (None, None)
    return (None, None) if cell is None else (None, "bad_number")


def parse_code(cell: Cell) -> Parsed:
    """A code or id as text; a whole-number cell becomes its digits (see numeric_code)."""
    if cell.__class__ is str:
        return cell.strip() or None, None
    return cell_text(cell).strip() or None, None


parse_text = parse_code  # free text is read the same way: as the user sees it, trimmed


def parse_yn(cell: Cell) -> Parsed:
    """True for Y, False for N (either case); a TRUE/FALSE cell is taken as Y/N."""
    if isinstance(cell, bool):
        return cell, None
    text = (cell if cell.__class__ is str else cell_text(cell)).strip().casefold()
    if text == "y":
        return True, None
    if text == "n":
        return False, None
    return (None, "bad_yn") if text else (None, None)


def enum_parser(enum: Mapping[str, str]) -> Callable[[Cell], Parsed]:
    """A parser that accepts the Korean or (any case) English value and returns the Korean."""
    lookup = {k.casefold(): k for k in enum} | {v.casefold(): k for k, v in enum.items()}

    def parse(cell: Cell) -> Parsed:
        text = (cell if cell.__class__ is str else cell_text(cell)).strip()
        if not text:
            return None, None
        korean = lookup.get(text) or lookup.get(text.casefold())
        return (korean, None) if korean is not None else (None, "bad_enum")

    return parse


def parser_for(f: Field) -> Callable[[Cell], Parsed]:
    """The parser of a field's kind (and its aliases: other words for stored values)."""
    if f.aliases:
        plain, aliases = parser_for(replace(f, aliases=None)), dict(f.aliases)

        def parse_alias(cell: Cell) -> Parsed:
            value, problem = plain(cell)
            return (aliases.get(value, value), problem)

        return parse_alias
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
