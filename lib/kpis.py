"""`python -m lib.cli kpis`: the metrics of metrics.md for a period, as JSON, CSV or a table.

JSON shapes (values: counts and won as integers, rates and medians rounded half-up to one
decimal, undefined as null; dates ISO):

- one scope: `{"as_of", "period": {"start", "end"}, "scope", "metrics": {key: value}}`
- `--scope all`: `{"as_of", "period", "scopes": {"city": {…}, "<neighbourhood code>": {…}}}`
- `--agency CODE`: `{"as_of", "period", "agency", "metrics"}` (plus `"scope"` when also
  limited to one neighbourhood with `--scope CODE`)
- `--agency all`: `{"as_of", "period", "agencies": {"<agency code>": {…}}}`
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib import config
from lib.errors import InputError, UserError
from lib.excerpt import excerpt
from lib.formatting import display_width, format_metric, is_missing, pad_display
from lib.metric_defs import BY_KEY
from lib.period import Period, PeriodError
from lib.queries.metrics import compute_metrics
from lib.queries.reference import as_of_date, load_agencies, load_neighbourhoods
from lib.scope import Scope
from lib.suppression import Suppressed

PERIOD_FORMS_KO = "2024, 2024-H1, 2024-Q3, 2024-05 또는 2024-01-01..2024-03-31"


def _period(args: argparse.Namespace, as_of: dt.date | None) -> Period:
    """The period asked for: --period, or --from and --to, or the as-of date's year to date."""
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if args.period and (start or end):
        raise InputError(
            "--period 와 --from/--to 중 하나만 쓰세요.",
            "Give either --period or --from/--to, not both.",
        )
    if start or end:
        if not (start and end):
            raise InputError(
                "--from 과 --to 를 함께 쓰세요 (예: --from 2024-01-01 --to 2024-03-31).",
                "Give both --from and --to (e.g. --from 2024-01-01 --to 2024-03-31).",
            )
        if end < start:
            raise InputError(
                f"기간의 끝({end})이 시작({start})보다 앞섭니다.",
                f"The period ends ({end}) before it starts ({start}).",
            )
        return Period.between(start, end)
    if args.period:
        try:
            return Period.parse(args.period)
        except PeriodError as exc:
            raise InputError(
                f"기간을 이해할 수 없습니다: {excerpt(args.period)!r}. {PERIOD_FORMS_KO} 형식으로 "
                "쓰세요.",
                f"Invalid period {excerpt(args.period)!r}: {exc}.",
            ) from exc
    if as_of is None:  # not the arguments' fault: exit code 1
        raise UserError(
            "데이터가 없습니다. 먼저 데이터를 가져오거나(import) 데모를 만드세요(demo).",
            "The database holds no data yet: import a workbook or build the demo first.",
        )
    return Period.year_to_date(as_of)


def _round1(value: Any) -> float:
    # Half-up on the shown decimal, as lib.formatting rounds (12.25 → 12.3).
    return float(Decimal(str(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def json_value(key: str, value: Any) -> int | float | str | None:
    """A metric value as the CLI prints it: whole numbers, one decimal, or None.

    A value suppressed for a partner (`lib.suppression.Suppressed`) is its text, "<5"
    or "–", so a report made from a partner's numbers says what the page says.
    """
    if isinstance(value, Suppressed):
        return value.text
    if is_missing(value):
        return None
    if BY_KEY[key].unit in ("count", "krw"):
        return int(value)
    return _round1(value)


def _metrics(frame: pd.DataFrame, unit: str) -> dict[str, Any]:
    return {key: json_value(key, frame.loc[unit, key]) for key in frame.columns}


def _check_code(code: str, known: pd.Series, ko: str, en: str) -> None:
    if code not in set(known):
        raise InputError(
            f"알 수 없는 {ko}입니다: {excerpt(code)!r}.", f"Unknown {en}: {excerpt(code)!r}."
        )


def kpis_command(engine: Engine, args: argparse.Namespace, out: TextIO) -> int:
    """Print the metrics of the requested period and scope to `out`; 0 on success."""
    lang = getattr(args, "lang", None) or "ko"
    scope_arg = (getattr(args, "scope", None) or "city").strip()
    agency_arg = getattr(args, "agency", None)
    agency_arg = agency_arg.strip() if agency_arg else None
    fmt = getattr(args, "format", None) or "json"
    limit = int(config.get("ITDA_RESPONSE_LIMIT_DAYS"))
    with engine.connect() as conn:
        as_of = as_of_date(conn)
        period = _period(args, as_of)
        hoods = load_neighbourhoods(conn)
        if scope_arg not in ("city", "all"):
            _check_code(scope_arg, hoods["code"], "읍면동 코드", "neighbourhood code")
        agencies = load_agencies(conn) if agency_arg else None
        if agency_arg and agency_arg != "all":
            _check_code(agency_arg, agencies["code"], "기관 코드", "agency code")
        if agency_arg and scope_arg == "all":
            raise InputError(
                "--agency 와 --scope all 은 함께 쓸 수 없습니다.",
                "--agency cannot be combined with --scope all.",
            )
        frames = _compute(conn, period, scope_arg, agency_arg, limit)
    doc = _document(as_of, period, scope_arg, agency_arg, frames)
    if fmt == "json":
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        _write_csv(frames, out)
    else:
        names = dict(zip(hoods["code"], hoods["name"], strict=True))
        if agencies is not None:
            names.update(zip(agencies["code"], agencies["name"], strict=True))
        _write_table(frames, names, as_of, period, lang, out)
    return 0


def _compute(
    conn: sa.Connection, period: Period, scope_arg: str, agency_arg: str | None, limit: int
) -> pd.DataFrame:
    """One frame with a row per printed unit (city, neighbourhoods or agencies)."""
    if agency_arg:
        scope = Scope() if scope_arg == "city" else Scope(neighbourhood_codes=(scope_arg,))
        if agency_arg != "all":
            scope = Scope(scope.neighbourhood_codes, agency_code=agency_arg)
        return compute_metrics(conn, period, "agency", scope, limit)
    if scope_arg == "city":
        return compute_metrics(conn, period, "city", Scope(), limit)
    if scope_arg == "all":
        city = compute_metrics(conn, period, "city", Scope(), limit)
        return pd.concat([city, compute_metrics(conn, period, "neighbourhood", Scope(), limit)])
    one = Scope(neighbourhood_codes=(scope_arg,))
    return compute_metrics(conn, period, "neighbourhood", one, limit)


def _document(
    as_of: dt.date | None,
    period: Period,
    scope_arg: str,
    agency_arg: str | None,
    frame: pd.DataFrame,
) -> dict[str, Any]:
    """The JSON document of the module docstring."""
    doc: dict[str, Any] = {
        "as_of": as_of.isoformat() if as_of else None,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
    }
    if agency_arg == "all":
        doc["agencies"] = {unit: _metrics(frame, unit) for unit in frame.index}
    elif agency_arg:
        if scope_arg != "city":
            doc["scope"] = scope_arg
        doc["agency"] = agency_arg
        doc["metrics"] = _metrics(frame, agency_arg)
    elif scope_arg == "all":
        doc["scopes"] = {unit: _metrics(frame, unit) for unit in frame.index}
    else:
        doc["scope"] = scope_arg
        doc["metrics"] = _metrics(frame, scope_arg)
    return doc


def _write_csv(frame: pd.DataFrame, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", *frame.columns])
    for unit in frame.index:
        values = [json_value(k, frame.loc[unit, k]) for k in frame.columns]
        writer.writerow([unit, *("" if v is None else v for v in values)])


def _write_table(
    frame: pd.DataFrame,
    names: dict[str, str],
    as_of: dt.date | None,
    period: Period,
    lang: str,
    out: TextIO,
) -> None:
    """Metrics as rows, units as columns, labels and numbers in the user's language."""
    ko = lang == "ko"
    as_of_text = as_of.isoformat() if as_of else "–"
    when = period.label(lang)
    if period.kind != "range":  # a range's label already shows its dates
        when += f" ({period.start:%Y.%m.%d}–{period.end:%Y.%m.%d})"
    out.write(
        f"{'기간' if ko else 'Period'}: {when} · {'기준일' if ko else 'As of'}: {as_of_text}\n\n"
    )
    city = "시 전체" if ko else "City"
    heads = [city if u == "city" else f"{names.get(u, u)} ({u})" for u in frame.index]
    rows = [
        [BY_KEY[k].label(lang)] + [format_metric(k, frame.loc[u, k], lang) for u in frame.index]
        for k in frame.columns
    ]
    table = [["지표" if ko else "Metric", *heads], *rows]
    widths = [max(display_width(row[i]) for row in table) for i in range(len(table[0]))]
    for n, row in enumerate(table):
        cells = [pad_display(row[0], widths[0], right=False)]
        cells += [pad_display(cell, widths[i + 1], right=True) for i, cell in enumerate(row[1:])]
        out.write("  ".join(cells).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
