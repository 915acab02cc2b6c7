"""Validating raw sheets against the contract, collecting every problem.

`validate_workbook` needs only the workbook (headers, values, rules within a row, unique
ids, references inside the workbook); `check_against_database` adds what needs the
database (references to rows imported earlier, the first-import rule). Nothing stops at
the first problem: the user fixes the file once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lib.db import is_empty
from lib.ingest.cells import is_blank, parser_for
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

    def key_of(self, row: dict[str, Any]) -> tuple:
        return tuple(row[k] for k in self.spec.key)


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
        if f.name not in index:
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


def _value_rule(f: Field, value: Any, limit: int | None) -> tuple[str | None, tuple]:
    """The problem with a parsed value (too long or large, below the minimum), if any."""
    if limit is not None:
        if isinstance(value, str) and len(value) > limit:
            return "too_long", (("max", f"{limit:,}"),)
        if isinstance(value, int) and abs(value) > limit:
            return "too_large", (("max", f"{limit:,}"),)
    if f.minimum == "nonneg" and value < 0:
        return "negative", ()
    if f.minimum == "positive" and value <= 0:
        return "not_positive", ()
    return None, ()


def _parse_sheet(raw: RawSheet, spec: SheetSpec, out: list[Problem]) -> SheetData:
    index = _columns(raw, spec, out)
    data = SheetData(spec, raw.title, {name: raw.headers[i] for name, i in index.items()})
    present = [(f, index[f.name], parser_for(f)) for f in spec.fields if f.name in index]
    absent = {
        f.name: (False if f.kind == "yn" else None) for f in spec.fields if f.name not in index
    }
    rule = ROW_RULES.get(spec.name)
    enum_hint = {f.name: allowed_values(dict(f.enum)) for f in spec.fields if f.enum}
    numeric_codes: dict[str, list[int]] = defaultdict(list)
    limits = {f.name: n for f in spec.fields if (n := _limit(spec.table.c[f.name].type))}

    def head(name: str) -> str:
        f = spec.field(name)
        return data.columns.get(name) or f"{f.ko} ({f.name})"

    for number, cells in raw.rows:
        values = dict(absent)
        bad: set[str] = set()
        for f, i, parse in present:
            cell = cells[i] if i < len(cells) else None
            if is_blank(cell):
                values[f.name] = False if f.kind == "yn" else None
                if f.required:
                    out.append(_at(data, number, f.name, "", "required"))
                continue
            value, code = parse(cell)
            params: tuple[tuple[str, str], ...] = ()
            if code is None:
                code, params = _value_rule(f, value, limits.get(f.name))
            elif code == "bad_enum":
                params = (("allowed", enum_hint[f.name]),)
            if code is not None:
                bad.add(f.name)
                out.append(_at(data, number, f.name, cell_text(cell), code, params))
                value = None
            elif f.kind == "code" and isinstance(cell, float):
                numeric_codes[f.name].append(number)
            values[f.name] = value
        if rule is not None:
            for name, code, params in rule(values, bad, head):
                i = index.get(name)
                cell = cells[i] if i is not None and i < len(cells) else None
                out.append(_at(data, number, name, cell_text(cell), code, tuple(params.items())))
        data.rows.append(values)
        data.row_numbers.append(number)
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
    rows_by_key: dict[tuple, list[int]] = defaultdict(list)
    spec = data.spec
    required_key = [k for k in spec.key if spec.field(k).required]
    for row, number in zip(data.rows, data.row_numbers, strict=True):
        if all(row[k] is not None for k in required_key):
            rows_by_key[data.key_of(row)].append(number)
    column = spec.key[0] if len(spec.key) == 1 else "metric"
    code = "duplicate_id" if len(spec.key) == 1 else "duplicate_key"
    for key, numbers in rows_by_key.items():
        if len(numbers) < 2:
            continue
        listed = ", ".join(str(n) for n in numbers)
        value = " / ".join(str(k) for k in key if k is not None)
        for number in numbers:
            out.append(_at(data, number, column, value, code, (("rows", listed),)))


def validate_workbook(raw: RawWorkbook) -> Validated:
    """Parse and check every sheet of `raw` using the workbook alone."""
    problems: list[Problem] = []
    found: dict[str, SheetData] = {}
    for sheet in raw.sheets:
        spec = match_sheet(sheet.title)
        if spec is None:
            if normalize(sheet.title) not in INFO_SHEETS:
                problems.append(Problem("unknown_sheet", "warning", sheet=sheet.title))
            continue
        if not any(sheet.headers) and not sheet.rows:
            problems.append(Problem("empty_sheet", "warning", sheet=sheet.title, spec=spec.name))
            continue
        if spec.name in found:
            params = (("other", found[spec.name].title),)
            problems.append(
                Problem("duplicate_sheet", sheet=sheet.title, spec=spec.name, params=params)
            )
            continue
        found[spec.name] = _parse_sheet(sheet, spec, problems)
    if not found:
        names = ", ".join(f"{s.ko} ({s.name})" for s in SHEETS)
        problems.append(Problem("no_sheets", params=(("names", names),)))
    sheets = {s.name: found[s.name] for s in SHEETS if s.name in found}
    for data in sheets.values():
        _duplicates(data, problems)
    return Validated(sheets, problems)


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


def check_against_database(
    conn: sa.Connection | None, checked: Validated, *, replace: bool
) -> list[Problem]:
    """Problems that need the database: references and the first-import rule.

    In replace mode the database will equal the workbook, so references must resolve
    inside the workbook and `conn` is only asked whether it is empty (it may be None).
    """
    problems: list[Problem] = []
    sheets = checked.sheets
    if "neighbourhoods" not in sheets and sheets:
        if replace:
            problems.append(Problem("missing_sheet_replace", spec="neighbourhoods"))
        elif conn is None or is_empty(conn):
            problems.append(Problem("missing_sheet_first", spec="neighbourhoods"))
    in_workbook = {
        name: {row[data.spec.key[0]] for row in data.rows}
        for name, data in sheets.items()
        if len(data.spec.key) == 1
    }
    # Values referred to but not in the workbook: look them up once per target sheet.
    wanted: dict[str, set[str]] = defaultdict(set)
    for data in sheets.values():
        for f in _reference_fields(data.spec):
            known = in_workbook.get(f.references, set())
            wanted[f.references].update(
                r[f.name] for r in data.rows if r[f.name] is not None and r[f.name] not in known
            )
    in_db: dict[str, set[str]] = {}
    for target, values in wanted.items():
        spec = SHEET_BY_NAME[target]
        use_db = not replace and conn is not None and values
        in_db[target] = _existing(conn, spec.table.c[spec.key[0]], values) if use_db else set()
    code = "unknown_ref_replace" if replace else "unknown_ref"
    for data in sheets.values():
        for f in _reference_fields(data.spec):
            known = in_workbook.get(f.references, set())
            extra = in_db.get(f.references, set())
            params = (("target", f.references),)
            for row, number in zip(data.rows, data.row_numbers, strict=True):
                value = row[f.name]
                if value is not None and value not in known and value not in extra:
                    problems.append(_at(data, number, f.name, value, code, params))
    problems.extend(_services_after_discovery(conn, checked, replace=replace))
    return problems


def _services_after_discovery(
    conn: sa.Connection | None, checked: Validated, *, replace: bool
) -> list[Problem]:
    """Services provided before their case was discovered (case in workbook or database)."""
    services = checked.sheets.get("services")
    if services is None:
        return []
    cases = checked.sheets.get("cases")
    discovered = {r["case_id"]: r["discovered_on"] for r in cases.rows} if cases else {}
    elsewhere = {r["case_id"] for r in services.rows if r["case_id"] not in discovered}
    if elsewhere and not replace and conn is not None:
        discovered.update(_discovered_in_db(conn, elsewhere - {None}))
    problems = []
    for row, number in zip(services.rows, services.row_numbers, strict=True):
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


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in reading order: by sheet (contract order), row, then column."""

    def key(p: Problem) -> tuple:
        spec = SHEET_BY_NAME.get(p.spec or "")
        col = spec.field_names.index(p.field) if spec and p.field in spec.field_names else -1
        return (_ORDER.get(p.spec or "", -1), p.sheet or "", p.row or 0, col)

    return sorted(problems, key=key)
