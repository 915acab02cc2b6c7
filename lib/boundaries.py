"""Importing neighbourhood boundaries: `python -m lib.cli boundaries import FILE [--dry-run]`
and the data page's second section both call `import_boundaries`.

The file is read and checked whole (`lib.geo.parse_geojson`) before anything is written;
the city's shapes then replace the stored ones in one transaction, audited in the same
transaction. A refused file is audited too (in a transaction of its own) and writes
nothing; a dry run neither writes nor audits.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from lib import geo
from lib.errors import UserError, user_message
from lib.queries import boundaries as q

ACTION = "boundaries_import"


@dataclass(frozen=True)
class BoundaryResult:
    """How an import of boundaries ended and what it found."""

    file_name: str
    dry_run: bool
    error: UserError | None = None
    matched: int = 0
    ignored: int = 0
    missing: tuple[tuple[str, str], ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None


def _no_match(total: int) -> UserError:
    return UserError(
        f"경계 파일을 가져올 수 없습니다: 파일의 피처 {total:,}개 중 이 시의 읍면동 코드와 맞는 것이 "
        "없습니다. 행정동 코드(adm_cd2)가 읍면동 코드와 같은 파일인지 확인하세요.",
        f"Cannot import the boundaries: none of the file's {total:,} features has the code of "
        "one of the city's neighbourhoods. Check that its 행정동 codes (adm_cd2) are the "
        "neighbourhood codes.",
    )


def import_boundaries(
    engine: Engine,
    name: str,
    data: bytes | str,
    *,
    dry_run: bool = False,
    user: str | None = None,
    role: str = "cli",
) -> BoundaryResult:
    """Check `data` (a 행정동 GeoJSON) and, unless `dry_run`, replace the stored shapes."""
    from lib.access import audit, audit_now
    from lib.ingest.importer import cli_actor

    actor = user or cli_actor()
    try:
        with engine.connect() as conn:
            names = q.neighbourhood_names(conn)
        parsed = geo.parse_geojson(data, keep=names)
        plan = geo.plan_boundaries(parsed, names)
        if not plan.matched:
            raise _no_match(len(parsed))
    except UserError as exc:
        if not dry_run:
            audit_now(
                engine,
                actor=actor,
                role=role,
                action=ACTION,
                outcome="rejected",
                detail=f"{name[-200:]}; {exc.en[:250]}",
            )
        return BoundaryResult(name, dry_run, error=exc)
    result = BoundaryResult(
        name, dry_run, matched=len(plan.matched), ignored=len(plan.ignored), missing=plan.missing
    )
    if dry_run:
        return result
    with engine.begin() as conn:
        q.replace_boundaries(
            conn,
            ((b.code, geo.dumps_geometry(b.geometry)) for b in plan.matched),
            dt.datetime.now(dt.UTC),
        )
        audit(
            conn,
            actor=actor,
            role=role,
            action=ACTION,
            detail=f"{name[-200:]}; {result.matched} matched; {result.ignored} ignored; "
            f"{len(result.missing)} without a shape",
        )
    return result


def summary_line(result: BoundaryResult, lang: str = "ko") -> str:
    """One line saying how the import ended (or would end)."""
    if result.error is not None:
        nothing = "아무것도 저장하지 않았습니다." if lang == "ko" else "Nothing was written."
        return f"{user_message(result.error, lang)} {nothing}"
    missing = len(result.missing)
    if lang == "ko":
        head = "미리보기(저장하지 않음)" if result.dry_run else "경계를 저장했습니다"
        return (
            f"{head}: 읍면동 {result.matched:,}곳의 경계, 이 시의 읍면동이 아닌 피처 "
            f"{result.ignored:,}개는 건너뜀, 경계가 없는 읍면동 {missing:,}곳."
        )
    head = "Dry run (nothing written)" if result.dry_run else "Boundaries saved"
    return (
        f"{head}: {result.matched:,} neighbourhood(s) matched, {result.ignored:,} feature(s) "
        f"of other places ignored, {missing:,} neighbourhood(s) without a shape."
    )


def missing_line(result: BoundaryResult, lang: str = "ko") -> str | None:
    """The neighbourhoods without a shape, by name and code; None when every one has one."""
    if not result.ok or not result.missing:
        return None
    names = ", ".join(f"{name} ({code})" for code, name in result.missing)
    return f"경계가 없는 읍면동: {names}" if lang == "ko" else f"Without a shape: {names}"


def boundaries_command(engine: Engine, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`boundaries import FILE [--dry-run]`: 0 when written (or, dry, writable), else 1."""
    lang = getattr(args, "lang", None) or "ko"
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError:
        print(
            f"파일을 읽을 수 없습니다: {path}" if lang == "ko" else f"Cannot read the file: {path}",
            file=err,
        )
        return 2  # the path itself (lib.errors.InputError); a malformed file is 1
    result = import_boundaries(engine, path.name, data, dry_run=args.dry_run, user=args.user)
    if not result.ok:
        print(summary_line(result, lang), file=err)
        return 1
    print(summary_line(result, lang), file=out)
    missing = missing_line(result, lang)
    if missing:
        print(missing, file=out)
    return 0


def add_parser(sub: argparse._SubParsersAction, func) -> None:
    """The `boundaries` command and its `import` subcommand."""
    p = sub.add_parser("boundaries", help="neighbourhood boundaries for the maps")
    inner = p.add_subparsers(dest="boundaries_command", required=True)
    imp = inner.add_parser("import", help="import a 행정동 GeoJSON (adm_cd2, adm_nm)")
    imp.add_argument("path", help="FILE.geojson")
    imp.add_argument("--dry-run", action="store_true", help="check and preview only")
    imp.add_argument("--user", default=None, help="who imports (for the audit log)")
    imp.set_defaults(func=func)
