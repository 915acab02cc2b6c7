"""One import, start to end: read, validate, check against the database, preview, write, log.

The CLI and the app's data page both call `run_import`; it never raises for bad input
(every problem is in the result) and writes nothing unless the whole workbook is valid.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib.errors import UserError
from lib.ingest.messages import Problem
from lib.ingest.read import RawWorkbook, read_bytes, read_path
from lib.ingest.validate import check_against_database, sort_problems, validate_workbook
from lib.ingest.write import SheetCounts, apply, check_existing_services, preview, stage
from lib.models import ImportLog
from lib.queries.reference import set_dataset_info

# Progress: (fraction done 0–1, step) with step one of read, validate, check, write, done.
Progress = Callable[[float, str], None]
_IMPORT_LOCK_ID = 7_384_202  # serialises imports on PostgreSQL (any constant, app-wide)


@dataclass
class ImportResult:
    """What an import found and did."""

    file_name: str
    content_hash: str
    mode: str  # upsert | replace
    dry_run: bool
    outcome: str  # ok | rejected | failed
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, SheetCounts] = field(default_factory=dict)  # by English sheet name
    rows_per_sheet: dict[str, int] = field(default_factory=dict)
    failure: BaseException | None = None  # the unexpected error of a failed import

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return os.environ.get("USER", "unknown")


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Two imports at once would each validate against a database the other changes.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _IMPORT_LOCK_ID})


def _write_log(engine: Engine, result: ImportResult, user: str | None) -> None:
    """Record the import in its own transaction (also after a rollback)."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ImportLog).values(
                imported_at=dt.datetime.now(dt.UTC),
                imported_by=(user or _os_user())[:200],
                file_name=result.file_name[-500:],
                content_hash=result.content_hash,
                mode=result.mode,
                rows_per_sheet=json.dumps(result.rows_per_sheet, ensure_ascii=False),
                outcome=result.outcome,
                problem_count=len(result.errors),
            )
        )


def _write(engine: Engine, raw: RawWorkbook, result: ImportResult, progress: Progress) -> None:
    """Validate against the database and, when all is well, write in one transaction."""
    replace, checked = result.mode == "replace", None
    progress(0.2, "validate")
    checked = validate_workbook(raw)
    result.rows_per_sheet = checked.row_counts()
    result.problems = list(checked.problems)
    staging = None
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            _lock(conn)
            progress(0.6, "check")
            result.problems += check_against_database(conn, checked, replace=replace)
            if not result.errors:
                staging = stage(conn, checked, replace=replace)
                if not replace:
                    result.problems += check_existing_services(conn, checked, staging)
            if not result.errors:
                result.counts = preview(conn, staging, replace=replace)
                if not result.dry_run:
                    progress(0.8, "write")
                    apply(conn, staging, replace=replace)
                    if replace:  # the data is now the workbook's, no longer a demo
                        set_dataset_info(conn, is_demo="0")
            if result.errors or result.dry_run:
                trans.rollback()
            else:
                staging.drop(conn)
                trans.commit()
            result.outcome = "rejected" if result.errors else "ok"
        except Exception as exc:
            trans.rollback()
            result.outcome, result.failure = "failed", exc
        finally:
            if staging is not None and conn.dialect.name == "sqlite":
                # SQLite keeps temporary tables created outside the rolled-back writes.
                with conn.begin():
                    staging.drop(conn)
    result.problems = sort_problems(result.problems)


def run_import(
    engine: Engine,
    raw: RawWorkbook | UserError,
    *,
    replace: bool = False,
    dry_run: bool = False,
    user: str | None = None,
    progress: Progress | None = None,
    file_name: str = "",
    content_hash: str = "",
) -> ImportResult:
    """Import `raw` (or report the error that kept it from being read); log unless a dry run."""
    progress = progress or (lambda _fraction, _step: None)
    mode = "replace" if replace else "upsert"
    if isinstance(raw, UserError):
        problem = Problem("unreadable", params=(("ko", raw.ko), ("en", raw.en)))
        result = ImportResult(file_name, content_hash, mode, dry_run, "rejected", [problem])
    else:
        result = ImportResult(raw.file_name, raw.content_hash, mode, dry_run, "rejected")
        _write(engine, raw, result, progress)
    if not dry_run:
        _write_log(engine, result, user)
    progress(1.0, "done")
    return result


def import_path(engine: Engine, path: str | Path, **options) -> ImportResult:
    """Import a .xlsx file, a folder or .zip of .csv files (see `run_import`)."""
    try:
        raw: RawWorkbook | UserError = read_path(path)
    except UserError as exc:
        raw = exc
    return run_import(engine, raw, file_name=Path(path).name, **options)


def import_bytes(engine: Engine, name: str, data: bytes, **options) -> ImportResult:
    """Import an uploaded file's bytes (see `run_import`)."""
    try:
        raw: RawWorkbook | UserError = read_bytes(name, data)
    except UserError as exc:
        raw = exc
    return run_import(engine, raw, file_name=name, **options)
