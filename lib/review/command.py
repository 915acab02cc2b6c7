"""`python -m lib.cli report`: a review as a PDF report or a PowerPoint deck, written to a file.

    python -m lib.cli report --scope city|CODE | --agency CODE  --period P
        [--compare prev|yoy] [--format pdf|pptx] -o FILE [--lang ko|en]

The operator has every right (as for `kpis` and `export`), so the numbers are the staff's:
the whole city, a neighbourhood with the city's value and its rank, or an agency. The file
is written beside its target under a temporary name and renamed when complete, so a
failure (a bad code, a full disk, an interrupt) never leaves a half-written report. Every
report is audited (`report`, like the workbook export).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from lib import config
from lib.errors import InputError, UserError
from lib.i18n import t
from lib.kpis import _check_code, _period
from lib.period import Period
from lib.queries.reference import as_of_date, dataset_info, load_agencies, load_neighbourhoods
from lib.regions import DISTRICT, PROVINCE, RegionTree, level_of
from lib.review.report import FORMATS, ReportRequest, audit_report, make_report
from lib.scope import Scope

COMPARES = ("prev", "yoy")


def default_compare(period: Period, as_of: dt.date | None) -> str:
    """metrics.md: the default period (year to date) against a year earlier, any other
    against the previous period (as `lib.ui.default_compare`, which imports Streamlit)."""
    default = Period.year_to_date(as_of or dt.date.today())
    return "yoy" if period == default else "prev"


def city_name(info: dict[str, str], lang: str) -> str:
    """The city's name as the app's header writes it (`lib.ui.city_name`)."""
    return config.get("ITDA_CITY_NAME") or info.get("city_name") or t("city.default_name", lang)


def _format(args: argparse.Namespace, target: Path) -> str:
    """--format, else the output file's extension; they must agree when both are given."""
    suffix = target.suffix.lower().lstrip(".")
    fmt = args.format
    if fmt is None:
        if suffix not in FORMATS:
            raise InputError(
                "형식을 정하세요: --format pdf 또는 --format pptx (또는 -o 파일을 .pdf/.pptx로).",
                "Choose a format: --format pdf or --format pptx (or name the -o file .pdf/.pptx).",
            )
        return suffix
    if suffix in FORMATS and suffix != fmt:
        raise InputError(
            f"파일 이름의 확장자(.{suffix})가 형식({fmt})과 다릅니다.",
            f"The file's extension (.{suffix}) does not match the format ({fmt}).",
        )
    return fmt


def check_target(target: Path) -> None:
    """Refuse, before any work, a file that could not be written."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(
            f"-o 에는 파일 이름을 쓰세요. 폴더입니다: {target}",
            f"-o must name a file, not a folder: {target}",
        )
    if not folder.is_dir():
        raise InputError(
            f"저장할 폴더가 없습니다: {folder}",
            f"The folder to write into does not exist: {folder}",
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise InputError(
            f"이 위치에 파일을 쓸 수 없습니다(권한): {target}",
            f"Cannot write the file here (permission denied): {target}",
        )


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`."""
    folder = target.parent if str(target.parent) else Path(".")
    handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        if isinstance(exc, OSError):
            raise UserError(
                f"파일을 쓰지 못했습니다: {target} ({exc.strerror or exc})",
                f"Could not write the file {target}: {exc.strerror or exc}",
            ) from exc
        raise


def report_command(engine: Engine, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the review asked for, render it, write it to `-o`; 0 on success."""
    from lib.ingest.importer import cli_actor, os_user

    lang = args.lang or "ko"
    target = Path(args.output)
    fmt = _format(args, target)
    check_target(target)
    agency = (args.agency or "").strip() or None
    code = agency or (args.scope or "city").strip()
    kind = "agency" if agency else ("city" if code == "city" else "neighbourhood")
    if kind == "neighbourhood" and level_of(code) in (PROVINCE, DISTRICT):
        kind = level_of(code)  # a 2-digit 시·도 or 5-digit 시·군·구 code: its region review
    with engine.connect() as conn:
        as_of = as_of_date(conn)
        period = _period(args, as_of)
        if kind in (PROVINCE, DISTRICT):
            tree = RegionTree.from_frame(load_neighbourhoods(conn), "")
            known = [c for c in tree.regions if tree.regions[c].level == kind]
            _check_code(code, known, "지역 코드", "region code")
        elif kind == "neighbourhood":
            _check_code(
                code, load_neighbourhoods(conn)["code"], "읍면동 코드", "neighbourhood code"
            )
        elif kind == "agency":
            _check_code(code, load_agencies(conn)["code"], "기관 코드", "agency code")
        name = city_name(dataset_info(conn), lang)
    request = ReportRequest(
        kind=kind,
        code=None if kind == "city" else code,
        period=period,
        compare=args.compare or default_compare(period, as_of),
        scope=Scope.city(),  # the operator's: every number, with the city's value and rank
        lang=lang,
        # As the audit log names the operator (lib.ui.actor_name of cli:<login>).
        made_by=t("audit.actor.cli", lang, login=os_user()),
        response_limit_days=int(config.get("ITDA_RESPONSE_LIMIT_DAYS")),
        city_name=name,
        fmt=fmt,
    )
    data = make_report(engine, request, actor=cli_actor(), role="cli", audit=False)
    write_atomic(target, data)
    audit_report(engine, request, actor=cli_actor(), role="cli")
    size = f"{len(data) / 1024:,.0f} KB"
    done = "보고서를 저장했습니다" if lang == "ko" else "Report written"
    err.write(f"{done}: {target} ({size})\n")
    return 0


def add_parser(sub: argparse._SubParsersAction, handler) -> None:
    """The `report` command."""
    p = sub.add_parser("report", help="a performance review as a PDF report or PowerPoint deck")
    p.set_defaults(func=handler)
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--scope",
        default=None,
        help="city (default), a 2-digit province or 5-digit district code, or a neighbourhood code",
    )
    who.add_argument("--agency", default=None, help="an agency code")
    p.add_argument("--period", help="2024, 2024-H1, 2024-Q3, 2024-05 or START..END")
    p.add_argument(
        "--compare",
        choices=COMPARES,
        default=None,
        help="prev (previous period) or yoy (a year earlier); default as the dashboard's",
    )
    p.add_argument("--format", choices=FORMATS, default=None, help="pdf or pptx (default: -o's)")
    p.add_argument("-o", "--output", required=True, help="the file to write (.pdf or .pptx)")
    # Also after the command (`report … --lang en`); without it, the global --lang holds.
    p.add_argument("--lang", choices=["ko", "en"], default=argparse.SUPPRESS)
    p.error = functools.partial(_error, p)


def _error(parser: argparse.ArgumentParser, message: str) -> None:
    """argparse's refusal, with the one most people meet in both languages (exit code 2)."""
    if "not allowed with argument" in message:
        message = (
            "--scope 와 --agency 는 함께 쓸 수 없습니다. 하나만 쓰세요. "
            "(--scope and --agency cannot be combined: give one.)"
        )
    parser.print_usage(sys.stderr)
    parser.exit(2, f"{parser.prog}: {message}\n")
