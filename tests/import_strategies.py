"""Hypothesis strategies for importer fuzzing: the valid tiny workbook of
tests/test_import_workbooks.py (BASE), changed by one to four mutations.

Mutations: a cell set to a hostile value (wrong type, blank, out-of-range date, unknown
code, unicode garbage, a very long string, formula-like text), a row duplicated, removed
or blanked, a column removed, added or its header renamed or duplicated, a sheet
removed, renamed or added. Values are what openpyxl can write (it refuses the C0
control characters but TAB, LF and CR), so every example is a real .xlsx.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import strategies as st

from tests.test_import_workbooks import BASE, base

Sheets = dict[str, list[list]]

# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE: what a cell cannot hold
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

KNOWN_CODES = ["1111051500", "0042", "AG1", "AG2", "C1", "C2"]
HEADERS = sorted({h for rows in BASE.values() for h in rows[0]})

garbage = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=0, max_size=40).map(
    lambda s: _ILLEGAL.sub("", s)
)

values = st.one_of(
    st.none(),
    st.sampled_from(["", "   ", "\t", "N/A", "-", "0", "-1", "1e309", "NaN", "=1+1", "@SUM(A1)"]),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(
        ["2024-02-30", "2024-13-01", "0000-01-01", "20241301", "2024.1.5.", "1.5.2024"]
    ),
    st.sampled_from(KNOWN_CODES + ["ZZZ", "AG1 ", " C1", "c1", "１１１１"]),
    garbage,
    st.integers(min_value=300, max_value=40_000).map(lambda n: "가" * n),
)


@st.composite
def _mutation(draw, sheets: Sheets) -> None:
    """Change `sheets` in place by one drawn mutation."""
    names = list(sheets)
    kind = draw(
        st.sampled_from(
            ["cell"] * 6
            + ["dup_row", "drop_row", "blank_row", "drop_col", "add_col", "rename_col"]
            + ["dup_header", "drop_sheet", "rename_sheet", "add_sheet"]
        )
    )
    if not names:
        sheets[draw(garbage) or "x"] = [[draw(garbage)]]
        return
    name = draw(st.sampled_from(names))
    rows = sheets[name]
    width = max((len(r) for r in rows), default=0)
    if kind == "cell" and rows and width:
        r = draw(st.integers(1, len(rows)))  # row 0 is the header: rename_col
        c = draw(st.integers(0, width - 1))
        while len(rows) <= r:
            rows.append([None] * width)
        row = rows[r]
        row.extend([None] * (width - len(row)))
        row[c] = draw(values)
    elif kind == "dup_row" and len(rows) > 1:
        rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
    elif kind == "drop_row" and len(rows) > 1:
        del rows[draw(st.integers(1, len(rows) - 1))]
    elif kind == "blank_row" and len(rows) > 1:
        rows.insert(draw(st.integers(1, len(rows))), [None] * width)
    elif kind == "drop_col" and width:
        c = draw(st.integers(0, width - 1))
        for row in rows:
            if c < len(row):
                del row[c]
    elif kind == "add_col" and rows:
        header = draw(st.one_of(garbage, st.sampled_from(HEADERS)))
        rows[0].append(header)
        for row in rows[1:]:
            row.append(draw(values))
    elif kind == "rename_col" and rows and rows[0]:
        rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(
            st.one_of(garbage, st.sampled_from(HEADERS), st.none())
        )
    elif kind == "dup_header" and rows and rows[0]:
        rows[0].append(draw(st.sampled_from(rows[0])))
    elif kind == "drop_sheet":
        del sheets[name]
    elif kind == "rename_sheet":
        # Excel: at most 31 characters and none of : \ / ? * [ ]
        title = re.sub(r"[:\\/?*\[\]]", "", draw(garbage))[:31].strip() or "시트"
        if title not in sheets:
            sheets[title] = sheets.pop(name)
    elif kind == "add_sheet":
        title = draw(st.sampled_from(list(BASE) + ["메모", "Sheet1"]))
        if title not in sheets:
            sheets[title] = [[draw(garbage)], [draw(values)]]


@st.composite
def workbooks(draw, max_mutations: int = 4) -> Sheets:
    """BASE with 1 to `max_mutations` mutations."""
    sheets = base()
    for _ in range(draw(st.integers(1, max_mutations))):
        draw(_mutation(sheets))
    return sheets


# Where a problem of each code points. Problems about the workbook have no sheet; about
# a sheet, no row or column; about a column, no row. Every other one names all three.
WORKBOOK_CODES = {"no_sheets", "missing_sheet_first", "missing_sheet_replace", "unreadable"}
SHEET_CODES = {"duplicate_sheet", "unknown_sheet", "empty_sheet"}
COLUMN_CODES = {"missing_column", "duplicate_column", "unknown_column", "absent_column"}
SHEET_WIDE_CODES = {"numeric_code", "region_name_unplaced"}  # a count and the first row
