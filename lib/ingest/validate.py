"""Validating raw sheets against the contract, collecting every problem.

`match_sheets` finds the contract's sheets, `parse_sheet` checks one sheet by itself
(headers, values, rules within a row, unique ids), `check_references` what needs other
sheets or the database, and `sheet_set_problems` the first-import rule. Nothing stops at
the first problem: the user fixes the file once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import sqlalchemy as sa

from lib.ingest.cells import parser_for
from lib.ingest.messages import Problem, allowed_values
from lib.ingest.read import RawSheet, RawWorkbook, cell_text
from lib.ingest.rules import ROW_RULES
from lib.ingest.schema import (
    INFO_SHEETS,
    SHEET_BY_NAME,
    SHEETS,
    Field,
    SheetSpec,
    match_field,
    match_sheet,
    normalize,
)
from lib.regions import PREFIX, has_levels, unit_of

_CHUNK = 1000  # values per IN (...) list when looking rows up in the database
_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@dataclass
class SheetData:
    """One sheet's parsed rows (every contract column; absent ones are empty)."""

    spec: SheetSpec
    title: str
    columns: dict[str, str]  # field name -> header as written, for the columns present
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    duplicate_seen: bool = False  # set while parsing, before the full duplicate report
    expected_rows: int = 0  # the sheet's non-blank rows, known before they are parsed
    _keys: frozenset | None = field(default=None, repr=False)

    def key_of(self, row: dict[str, Any]) -> tuple:
        return tuple(row[k] for k in self.spec.key)

    @property
    def kept_columns(self) -> frozenset[str]:
        """Columns absent from the sheet whose stored values the import must leave alone."""
        return frozenset(
            f.name for f in self.spec.fields if f.kept_when_absent and f.name not in self.columns
        )

    def key_set(self) -> frozenset:
        """The ids in this sheet (single-column keys only), computed once."""
        if self._keys is None:
            (key,) = self.spec.key
            self._keys = frozenset(row[key] for row in self.rows)
        return self._keys


@dataclass
class Validated:
    """The parsed workbook and every problem found in it."""

    sheets: dict[str, SheetData]  # by the contract's English sheet name, contract order
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def row_counts(self) -> dict[str, int]:
        """Data rows per sheet, by English sheet name."""
        return {name: len(s.rows) for name, s in self.sheets.items()}


def _columns(raw: RawSheet, spec: SheetSpec, out: list[Problem]) -> dict[str, int]:
    """Map each contract field to its column index, reporting unknown/duplicate/missing."""
    index: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        if not header:
            continue
        f = match_field(spec, header)
        where = {"sheet": raw.title, "spec": spec.name, "row": 1, "column": header}
        if f is None:
            out.append(Problem("unknown_column", "warning", value=header, **where))
        elif f.name in index:
            first = raw.headers[index[f.name]]
            out.append(
                Problem("duplicate_column", field=f.name, params=(("other", first),), **where)
            )
        else:
            index[f.name] = i
    for f in spec.fields:
        if f.name not in index and not f.kept_when_absent:
            code, severity = (
                ("missing_column", "error") if f.required else ("absent_column", "warning")
            )
            out.append(
                Problem(code, severity, sheet=raw.title, spec=spec.name, row=1, field=f.name)
            )
    return index


def _limit(column_type: sa.types.TypeEngine) -> int | None:
    """The longest text or largest whole number the column can store (None: no limit)."""
    if isinstance(column_type, sa.String):
        return column_type.length
    if isinstance(column_type, sa.BigInteger):
        return 2**63 - 1
    if isinstance(column_type, sa.Integer):
        return 2**31 - 1
    return None


def _number_rule(value: float, limit: int | None, minimum: str | None) -> tuple[str | None, tuple]:
    """The problem with a parsed number (too large, below the minimum), if any."""
    if limit is not None and abs(value) > limit:
        return "too_large", (("max", f"{limit:,}"),)
    if minimum == "nonneg" and value < 0:
        return "negative", ()
    if minimum == "positive" and value <= 0:
        return "not_positive", ()
    return None, ()


@dataclass(frozen=True)
class _Column:
    """What the row loop needs to know about one present column, looked up once."""

    name: str
    index: int
    parse: Callable[[Any], tuple[Any, str | None]]
    required: bool
    default: Any  # the value of a blank cell
    text_limit: int | None  # longest text for code and text columns
    numeric: bool  # int or number: check limit and minimum
    limit: int | None
    minimum: str | None
    code: bool
    enum_hint: str


def _column(spec: SheetSpec, f: Field, index: int) -> _Column:
    limit = _limit(spec.table.c[f.name].type)
    numeric = f.kind in ("int", "number")
    return _Column(
        f.name,
        index,
        parser_for(f),
        f.required,
        False if f.kind == "yn" else None,
        limit if f.kind in ("code", "text") else None,
        numeric,
        limit,
        f.minimum,
        f.kind == "code",
        allowed_values(dict(f.enum)) if f.enum else "",
    )


# Rows handed on at a time while a sheet is parsed, so the database can write the first
# rows of a large sheet while the rest are still being checked.
CHUNK_ROWS = 10_000
OnChunk = Callable[["SheetData", int, int, bool], None]  # (data, start, end, last)


def _parse_sheet(
    raw: RawSheet, spec: SheetSpec, out: list[Problem], on_chunk: OnChunk | None
) -> SheetData:
    index = _columns(raw, spec, out)
    data = SheetData(spec, raw.title, {name: raw.headers[i] for name, i in index.items()})
    data.expected_rows = len(raw.rows)
    present = [_column(spec, f, index[f.name]) for f in spec.fields if f.name in index]
    absent = {
        f.name: (False if f.kind == "yn" else None) for f in spec.fields if f.name not in index
    }
    rule = ROW_RULES.get(spec.name)
    numeric_codes: dict[str, list[int]] = defaultdict(list)

    def head(name: str) -> str:
        f = spec.field(name)
        return data.columns.get(name) or f"{f.ko} ({f.name})"

    # Plain tuples: unpacking them is the cheapest way to loop over millions of cells.
    columns = [tuple(getattr(c, f.name) for f in fields(c)) for c in present]
    seen: set = set()  # keys so far: a repeat stops the writing before it reaches SQL
    key_names = [k for k in spec.key if spec.field(k).required]
    for number, cells in raw.rows:
        values = dict(absent)
        bad: set[str] = set()
        width = len(cells)
        for (
            name,
            i,
            parse,
            required,
            default,
            text_limit,
            numeric,
            limit,
            minimum,
            code_kind,
            hint,
        ) in columns:
            cell = cells[i] if i < width else None
            value, code = parse(cell)
            params: tuple[tuple[str, str], ...] = ()
            if code is None:
                if value is None:  # a blank cell
                    values[name] = default
                    if required:
                        out.append(_at(data, number, name, "", "required"))
                    continue
                if numeric:
                    code, params = _number_rule(value, limit, minimum)
                elif text_limit is not None and len(value) > text_limit:
                    code, params = "too_long", (("max", f"{text_limit:,}"),)
            elif code == "bad_enum":
                params = (("allowed", hint),)
            if code is not None:
                bad.add(name)
                out.append(_at(data, number, name, cell_text(cell), code, params))
                value = None
            elif code_kind and cell.__class__ is float:
                numeric_codes[name].append(number)
            values[name] = value
        if rule is not None:
            for name, code, params in rule(values, bad, head):
                i = index.get(name)
                cell = cells[i] if i is not None and i < len(cells) else None
                out.append(_at(data, number, name, cell_text(cell), code, tuple(params.items())))
        key = tuple(values[k] for k in spec.key)
        if all(values[k] is not None for k in key_names):
            if key in seen:
                data.duplicate_seen = True
            seen.add(key)
        data.rows.append(values)
        data.row_numbers.append(number)
        if on_chunk is not None and len(data.rows) % CHUNK_ROWS == 0:
            on_chunk(data, len(data.rows) - CHUNK_ROWS, len(data.rows), False)
    for name, rows in numeric_codes.items():
        params = (("count", f"{len(rows):,}"), ("first_row", str(rows[0])))
        out.append(_at(data, None, name, "", "numeric_code", params, "warning"))
    return data


def _at(
    data: SheetData,
    row: int | None,
    name: str,
    value: str,
    code: str,
    params: tuple[tuple[str, str], ...] = (),
    severity: str = "error",
) -> Problem:
    """A problem in one cell of a parsed sheet."""
    return Problem(
        code,
        severity,  # type: ignore[arg-type]
        sheet=data.title,
        spec=data.spec.name,
        row=row,
        column=data.columns.get(name),
        field=name,
        value=value,
        params=params,
    )


def _duplicates(data: SheetData, out: list[Problem]) -> None:
    """Report every row of every repeated key, naming the rows that share it."""
    spec = data.spec
    required_key = [k for k in spec.key if spec.field(k).required]
    if len(spec.key) == 1:  # the common case, kept cheap: one id column
        (key,) = spec.key
        keys: list = [(row[key],) if row[key] is not None else None for row in data.rows]
    else:
        keys = [
            data.key_of(row) if all(row[k] is not None for k in required_key) else None
            for row in data.rows
        ]
    repeated = {k for k, n in Counter(keys).items() if n > 1 and k is not None}
    if not repeated:
        return
    rows_by_key: dict[tuple, list[int]] = defaultdict(list)
    for key, number in zip(keys, data.row_numbers, strict=True):
        if key in repeated:
            rows_by_key[key].append(number)
    column = spec.key[0] if len(spec.key) == 1 else "metric"
    code = "duplicate_id" if len(spec.key) == 1 else "duplicate_key"
    for key, numbers in rows_by_key.items():
        listed = ", ".join(str(n) for n in numbers)
        value = " / ".join(str(k) for k in key if k is not None)
        for number in numbers:
            out.append(_at(data, number, column, value, code, (("rows", listed),)))


def _row_list(numbers: list[int], limit: int = 5) -> str:
    """Row numbers for a message, the first `limit` of them: "2, 3, 5, …"."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (", …" if len(numbers) > limit else "")


def _region_fields(spec: SheetSpec, data: SheetData) -> list[Field]:
    """The sheet's region-name columns (시도명, 시군구명) that the workbook has."""
    return [f for f in spec.fields if f.region is not None and f.name in data.columns]


def _names_by_region(data: SheetData, f: Field) -> dict[str, dict[str, list[int]]]:
    """{region code: {name: Excel rows giving it}} for one region-name column, in row order.
    Rows whose code carries no region levels (fewer than 5 leading digits) are left out."""
    given: dict[str, dict[str, list[int]]] = {}
    for row, number in zip(data.rows, data.row_numbers, strict=True):
        name, code = row[f.name], row["code"]
        if name is not None and code is not None and has_levels(code):
            given.setdefault(unit_of(code, f.region), {}).setdefault(name, []).append(number)
    return given


def _region_names(data: SheetData, out: list[Problem]) -> None:
    """import-format.md: rows of one region level that give different names are an error.

    The name most of the region's rows give (the first one given on a tie) is taken as the
    meant one; every row giving another is reported, naming the rows it disagrees with.
    A name on a row whose code has no region levels cannot be placed: one warning.
    """
    for f in _region_fields(data.spec, data):
        for unit, names in _names_by_region(data, f).items():
            if len(names) < 2:
                continue
            ranked = sorted(names.items(), key=lambda item: (-len(item[1]), item[1][0]))
            meant, meant_rows = ranked[0]
            params = (
                ("level", f.region),
                ("region", unit),
                ("other", meant),
                ("rows", _row_list(meant_rows)),
            )
            for name, numbers in ranked[1:]:
                for number in numbers:
                    out.append(_at(data, number, f.name, name, "region_name_differs", params))
        unplaced = [
            number
            for row, number in zip(data.rows, data.row_numbers, strict=True)
            if row[f.name] is not None and row["code"] is not None and not has_levels(row["code"])
        ]
        if unplaced:
            params = (("count", f"{len(unplaced):,}"), ("first_row", str(unplaced[0])))
            out.append(_at(data, None, f.name, "", "region_name_unplaced", params, "warning"))


def match_sheets(raw: RawWorkbook) -> tuple[dict[str, RawSheet], list[Problem]]:
    """The workbook's sheets by contract name (contract order), and problems with the rest."""
    problems: list[Problem] = []
    found: dict[str, RawSheet] = {}
    for sheet in raw.sheets:
        spec = match_sheet(sheet.title)
        if spec is None:
            if normalize(sheet.title) not in INFO_SHEETS:
                problems.append(Problem("unknown_sheet", "warning", sheet=sheet.title))
        elif spec.name in found:
            params = (("other", found[spec.name].title),)
            problems.append(
                Problem("duplicate_sheet", sheet=sheet.title, spec=spec.name, params=params)
            )
        else:
            found[spec.name] = sheet
    return {s.name: found[s.name] for s in SHEETS if s.name in found}, problems


def parse_sheet(
    raw: RawSheet, spec: SheetSpec, out: list[Problem], on_chunk: OnChunk | None = None
) -> SheetData | None:
    """Parse and check one sheet by itself, adding its problems to `out`; None if it is empty.

    `on_chunk(data, start, end, last)` is called for every CHUNK_ROWS parsed rows and once
    more, with last=True, for the rest once the whole sheet (duplicates too) is checked.
    """
    if not any(raw.headers) and not raw.rows:
        out.append(Problem("empty_sheet", "warning", sheet=raw.title, spec=spec.name))
        return None
    data = _parse_sheet(raw, spec, out, on_chunk)
    _duplicates(data, out)
    _region_names(data, out)
    if on_chunk is not None:
        on_chunk(data, len(data.rows) - len(data.rows) % CHUNK_ROWS, len(data.rows), True)
    return data


def sheet_set_problems(present: Iterable[str], *, replace: bool, db_empty: bool) -> list[Problem]:
    """Problems with the set of sheets: none at all, or no neighbourhoods when they are needed."""
    present = set(present)
    if not present:
        names = ", ".join(f"{s.ko} ({s.name})" for s in SHEETS)
        return [Problem("no_sheets", params=(("names", names),))]
    if "neighbourhoods" in present:
        return []
    if replace:
        return [Problem("missing_sheet_replace", spec="neighbourhoods")]
    return [Problem("missing_sheet_first", spec="neighbourhoods")] if db_empty else []


# ---- checks that need the database ------------------------------------------------------


def _existing(conn: sa.Connection, column: sa.Column, values: Iterable[str]) -> set[str]:
    """Those of `values` that exist in `column` (looked up in chunks, values bound)."""
    values = sorted(values)
    found: set[str] = set()
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        found.update(conn.execute(sa.select(column).where(column.in_(chunk))).scalars())
    return found


def _discovered_in_db(conn: sa.Connection, case_ids: Iterable[str]) -> dict[str, dt.date]:
    table = SHEET_BY_NAME["cases"].table
    case_ids = sorted(case_ids)
    found: dict[str, dt.date] = {}
    for start in range(0, len(case_ids), _CHUNK):
        stmt = sa.select(table.c.case_id, table.c.discovered_on).where(
            table.c.case_id.in_(case_ids[start : start + _CHUNK])
        )
        found.update({case_id: on for case_id, on in conn.execute(stmt)})
    return found


def _reference_fields(spec: SheetSpec) -> list[Field]:
    return [f for f in spec.fields if f.references]


def check_references(
    conn: sa.Connection, data: SheetData, checked: Validated, rows: range, *, replace: bool
) -> list[Problem]:
    """Problems of `data.rows[rows]` that need other sheets or the database: references.

    A reference resolves to a row of the referred sheet in the workbook or, in upsert mode,
    in the database. In replace mode the database will equal the workbook, so only the
    workbook counts. Parent sheets come first in contract order, so they are parsed already.
    """
    problems: list[Problem] = []
    code = "unknown_ref_replace" if replace else "unknown_ref"
    chunk = data.rows[rows.start : rows.stop]
    for f in _reference_fields(data.spec):
        parent = checked.sheets.get(f.references)
        known = parent.key_set() if parent is not None else frozenset()
        missing = {r[f.name] for r in chunk} - known - {None}
        if missing and not replace:
            spec = SHEET_BY_NAME[f.references]
            missing -= _existing(conn, spec.table.c[spec.key[0]], missing)
        if not missing:
            continue
        params = (("target", f.references),)
        for i in rows:
            if data.rows[i][f.name] in missing:
                value = data.rows[i][f.name]
                problems.append(_at(data, data.row_numbers[i], f.name, value, code, params))
    if data.spec.name == "services":
        problems.extend(_services_after_discovery(conn, data, checked, rows, replace=replace))
    return problems


def _services_after_discovery(
    conn: sa.Connection, services: SheetData, checked: Validated, rows: range, *, replace: bool
) -> list[Problem]:
    """Services provided before their case was discovered (case in workbook or database)."""
    cases = checked.sheets.get("cases")
    discovered = {r["case_id"]: r["discovered_on"] for r in cases.rows} if cases else {}
    chunk = services.rows[rows.start : rows.stop]
    elsewhere = {r["case_id"] for r in chunk if r["case_id"] not in discovered}
    if elsewhere and not replace:
        discovered.update(_discovered_in_db(conn, elsewhere - {None}))
    problems = []
    numbers = services.row_numbers[rows.start : rows.stop]
    for row, number in zip(chunk, numbers, strict=True):
        found = discovered.get(row["case_id"])
        if row["provided_on"] is not None and found is not None and row["provided_on"] < found:
            params = (("case_id", row["case_id"]), ("other_value", str(found)))
            problems.append(
                _at(
                    services,
                    number,
                    "provided_on",
                    str(row["provided_on"]),
                    "before_case_discovery",
                    params,
                )
            )
    return problems


def check_region_names(conn: sa.Connection, data: SheetData, *, replace: bool) -> list[Problem]:
    """Workbook rows naming a region otherwise than the stored neighbourhoods of that region
    which the workbook leaves as they are: after the import, one region would have two names.

    Only names given count (an empty name is no name); regions whose rows already disagree
    among themselves are reported by `_region_names` alone. In replace mode the database
    becomes the workbook, so nothing stored stays to disagree with.
    """
    if replace:
        return []
    problems: list[Problem] = []
    table = data.spec.table
    codes = data.key_set()
    for f in _region_fields(data.spec, data):
        given = {u: next(iter(n)) for u, n in _names_by_region(data, f).items() if len(n) == 1}
        if not given:
            continue
        column, unit = table.c[f.name], sa.func.substr(table.c.code, 1, PREFIX[f.region])
        units = sorted(given)
        stored: dict[str, tuple[str, str]] = {}  # region -> (first stored code, its name)
        for start in range(0, len(units), _CHUNK):
            stmt = (
                sa.select(unit, table.c.code, column)
                .where(column.is_not(None), unit.in_(units[start : start + _CHUNK]))
                .order_by(table.c.code)
            )
            for region, code, name in conn.execute(stmt):
                if code not in codes and name != given[region] and region not in stored:
                    stored[region] = (code, name)
        if not stored:
            continue
        for row, number in zip(data.rows, data.row_numbers, strict=True):
            code = row["code"]
            if row[f.name] is None or code is None or not has_levels(code):
                continue
            region = unit_of(code, f.region)
            if region in stored:
                other_code, other = stored[region]
                params = (
                    ("level", f.region),
                    ("region", region),
                    ("other", other),
                    ("code", other_code),
                )
                problems.append(
                    _at(data, number, f.name, row[f.name], "region_name_stored", params)
                )
    return problems


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in reading order: by sheet (contract order), row, then column."""

    def key(p: Problem) -> tuple:
        spec = SHEET_BY_NAME.get(p.spec or "")
        col = spec.field_names.index(p.field) if spec and p.field in spec.field_names else -1
        return (_ORDER.get(p.spec or "", -1), p.sheet or "", p.row or 0, col)

    return sorted(problems, key=key)
