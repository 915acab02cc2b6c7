"""One import, start to end: read, validate, check against the database, preview, write, log.

The CLI and the app's data page both call `run_import`; it never raises for bad input
(every problem is in the result) and writes nothing unless the whole workbook is valid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import getpass
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib import logs, rollup
from lib.db import is_empty
from lib.errors import UserError
from lib.ingest.messages import Problem
from lib.ingest.read import RawWorkbook, read_bytes, read_path
from lib.ingest.schema import SHEET_BY_NAME, SHEETS
from lib.ingest.validate import (
    SheetData,
    Validated,
    check_references,
    check_region_names,
    match_sheets,
    parse_sheet,
    sheet_set_problems,
    sort_problems,
)
from lib.ingest.write import (
    BulkMode,
    SheetCounts,
    Staging,
    check_existing_services,
    copy_rows,
    count_deleted,
    count_rows,
    create_staging,
    delete_missing,
    stored_rows,
    upsert_rows,
)
from lib.models import ImportLog
from lib.queries.reference import set_dataset_info

_log = logging.getLogger("itda.import")

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


@dataclass(frozen=True)
class ImportLogRow:
    """One recorded import, as the data page lists it."""

    imported_at: dt.datetime
    imported_by: str
    file_name: str
    content_hash: str
    mode: str
    outcome: str
    problem_count: int
    rows: int


def os_user() -> str:
    """The operator's login name (the import log's user when none is given)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return os.environ.get("USER", "unknown")


def cli_actor() -> str:
    """The audit log's name for whoever runs the CLI: `cli:<login>`."""
    return f"cli:{os_user()}"


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Two imports at once would each validate against a database the other changes.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _IMPORT_LOCK_ID})


def _write_log(engine: Engine, result: ImportResult, user: str | None, role: str) -> None:
    """Record the import (log and audit event) in its own transaction (after a rollback)."""
    with engine.begin() as conn:
        _log_rows(conn, result, user, role)


def _log_rows(conn: sa.Connection, result: ImportResult, user: str | None, role: str) -> None:
    """The import's log row and audit event."""
    from lib.access import audit

    rows = sum(result.rows_per_sheet.values())
    audit(
        conn,
        actor=user or cli_actor(),
        role=role,
        action="import",
        outcome=result.outcome,
        detail=f"{result.file_name[-200:]}; {result.mode}; {rows} rows; "
        f"{len(result.errors)} problems",
    )
    conn.execute(
        sa.insert(ImportLog).values(
            imported_at=dt.datetime.now(dt.UTC),
            imported_by=(user or os_user())[:200],
            file_name=result.file_name[-500:],
            content_hash=result.content_hash,
            mode=result.mode,
            rows_per_sheet=json.dumps(result.rows_per_sheet, ensure_ascii=False),
            outcome=result.outcome,
            problem_count=len(result.errors),
        )
    )


class _Inline:
    """An executor that runs each task at once (SQLite connections stay in their thread)."""

    def submit(self, fn: Callable[..., None], *args: object) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def __enter__(self) -> _Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _SheetWriter:
    """The database side of one import, a chunk of rows at a time: check, stage, count, upsert.

    On PostgreSQL it runs in a worker thread, so the database writes the first rows of a
    sheet while Python reads and checks the rest (two cores instead of one). Sheets come in
    contract order, parents first, so references can be checked as soon as rows arrive.
    Writing stops at the first error, and the caller rolls everything back then.

    Two shortcuts for first loads: rows for a table that was empty go straight into it
    (no staging, no comparison), and a large sheet is written in `BulkMode`.
    """

    def __init__(
        self, conn: sa.Connection, checked: Validated, *, replace: bool, dry_run: bool
    ) -> None:
        self.conn, self.checked = conn, checked
        self.replace, self.dry_run = replace, dry_run
        self.staging = Staging()
        self.bulk = BulkMode()
        self.counts: dict[str, SheetCounts] = {}

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.checked.problems)

    def chunk(self, data: SheetData, start: int, end: int, last: bool) -> None:
        """Rows [start, end) of a sheet; after its last chunk, its deleted count (replace)."""
        conn, spec, rows = self.conn, data.spec, range(start, end)
        self.checked.problems.extend(
            check_references(conn, data, self.checked, rows, replace=self.replace)
        )
        if last and spec.name == "neighbourhoods":  # needs the whole sheet: after its last rows
            self.checked.problems.extend(check_region_names(conn, data, replace=self.replace))
        # A repeated id would make one upsert touch a row twice: stop before SQL sees it.
        if self.has_errors() or data.duplicate_seen:
            return
        staged = self.staging.tables.get(spec.name)
        if staged is None:  # the sheet's first chunk
            staged = create_staging(conn, self.staging, spec)
            held = stored_rows(conn, spec, limit=data.expected_rows)
            if held == 0:
                self.staging.fresh.add(spec.name)
            if not self.dry_run and self.bulk.wanted(conn, data.expected_rows, held):
                self.bulk.relax(conn, spec)
        counts = self.counts.get(spec.name, SheetCounts(0, 0, 0, 0))
        fresh = spec.name in self.staging.fresh
        if rows and fresh:
            # An empty table and no repeated key: every row is new, nothing to compare.
            counts = counts + SheetCounts(len(rows), len(rows), 0, 0)
            if not self.dry_run:
                copy_rows(conn, spec.table, data, rows, staged=False)
        elif rows:
            copy_rows(conn, staged, data, rows)
            span = (data.row_numbers[start], data.row_numbers[end - 1])
            kept = data.kept_columns
            added = count_rows(conn, spec, staged, span, kept)
            counts = counts + added
            if not self.dry_run and (added.new or added.changed):  # re-imports skip the probe
                upsert_rows(conn, spec, staged, span, kept)
        if last and self.replace:
            deleted = 0 if fresh else count_deleted(conn, spec, staged)
            counts = dataclasses.replace(counts, deleted=deleted)
        self.counts[spec.name] = counts
        if last:
            # Its parents are final (contract order): the keys can be checked already,
            # while Python reads the next sheet.
            self.bulk.restore(conn, spec)

    def finish(self) -> None:
        """After every sheet: replace mode empties absent sheets; upsert mode checks stored services."""
        if self.has_errors():
            return
        if self.replace:
            for spec in SHEETS:
                if spec.name not in self.staging.tables:
                    staged = create_staging(self.conn, self.staging, spec)
                    deleted = count_deleted(self.conn, spec, staged)
                    self.counts[spec.name] = SheetCounts(0, 0, 0, 0, deleted)
            if not self.dry_run:
                delete_missing(self.conn, self.staging)
                set_dataset_info(self.conn, is_demo="0")  # the workbook's data, not a demo
        else:
            problems = check_existing_services(self.conn, self.checked, self.staging)
            self.checked.problems.extend(problems)
        if not self.dry_run and not self.has_errors():
            self.bulk.restore(self.conn)
        self.counts = {s.name: self.counts[s.name] for s in SHEETS if s.name in self.counts}


def _parse_all(
    raw: RawWorkbook, checked: Validated, writer: _SheetWriter, pool, progress: Progress
) -> None:
    """Parse the sheets in contract order, handing rows to the writer as they are checked."""
    found, problems = match_sheets(raw)
    checked.problems.extend(problems)
    pending: list[Future] = []

    def hand_on(data: SheetData, start: int, end: int, last: bool) -> None:
        pending.append(pool.submit(writer.chunk, data, start, end, last))

    # Sheets are decoded ahead in a thread of their own: calamine lets go of the GIL while
    # it unpacks a sheet's XML, so the next sheet is ready by the time this one is checked.
    # (Two decoding threads were slower: on two cores they take turns with the checking.)
    with ThreadPoolExecutor(max_workers=1) as reader:
        decoded = [reader.submit(getattr, sheet, "rows") for sheet in found.values()]
        for i, (name, sheet) in enumerate(found.items()):
            progress(0.05 + 0.75 * i / len(found), "validate")
            try:
                decoded[i].result()
                data = parse_sheet(sheet, SHEET_BY_NAME[name], checked.problems, hand_on)
            except UserError as exc:  # a sheet the reader could not decode
                checked.problems.append(_unreadable(exc))
                continue
            if data is not None:
                checked.sheets[name] = data
    for future in pending:
        future.result()  # re-raises a failure of the database side


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector: parsing makes millions of small acyclic objects, and its
    repeated full passes over them cost a fifth of the time; plain reference counting
    still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write(
    engine: Engine,
    raw: RawWorkbook,
    result: ImportResult,
    progress: Progress,
    log: Callable[[sa.Connection], None] | None = None,
) -> bool:
    """Validate and, when the whole workbook is valid, write it in one transaction; True
    when `log` (the import log row) was written in that transaction too.

    The data and its log row commit together: the log row changes the data version
    (`lib.ui.data_version`), so no viewer ever reads the new data under the old version
    (a page would mix old and new figures from its cache)."""
    logged = False
    replace = result.mode == "replace"
    checked = Validated({}, result.problems)  # one list: every problem lands in the result
    with engine.connect() as conn:
        trans = conn.begin()
        writer = _SheetWriter(conn, checked, replace=replace, dry_run=result.dry_run)
        try:
            _lock(conn)
            db_empty = is_empty(conn)
            threaded = conn.dialect.name == "postgresql"
            with _no_gc(), ThreadPoolExecutor(max_workers=1) if threaded else _Inline() as pool:
                _parse_all(raw, checked, writer, pool, progress)
            result.rows_per_sheet = checked.row_counts()
            problems = sheet_set_problems(checked.sheets, replace=replace, db_empty=db_empty)
            checked.problems.extend(problems)
            progress(0.85, "write")
            writer.finish()
            result.counts = writer.counts
            if result.errors or result.dry_run:
                trans.rollback()
            else:
                writer.staging.drop(conn)
                # The metric values kept from the old rows go with them (lib/rollup.py).
                rollup.clear(conn)
                if log is not None:
                    result.outcome = "ok"
                    log(conn)
                trans.commit()
                logged = log is not None
            result.outcome = "rejected" if result.errors else "ok"
        except Exception as exc:
            trans.rollback()
            result.outcome, result.failure = "failed", exc
        finally:
            if conn.dialect.name == "sqlite":
                # SQLite keeps temporary tables created outside the rolled-back writes.
                with conn.begin():
                    writer.staging.drop(conn)
    if result.errors:
        result.counts = {}
    result.problems[:] = sort_problems(result.problems)
    return logged


def _unreadable(exc: UserError) -> Problem:
    """A file or sheet that could not be read; a refusal by `guard` says where."""
    return Problem(
        "unreadable",
        sheet=getattr(exc, "sheet", None),
        row=getattr(exc, "row", None),
        column=getattr(exc, "column", None),
        params=(("ko", exc.ko), ("en", exc.en)),
    )


def run_import(
    engine: Engine,
    raw: RawWorkbook | UserError,
    *,
    replace: bool = False,
    dry_run: bool = False,
    user: str | None = None,
    role: str = "cli",
    progress: Progress | None = None,
    file_name: str = "",
    content_hash: str = "",
    warm: bool = False,
) -> ImportResult:
    """Import `raw` (or report the error that kept it from being read); log unless a dry run.

    `user` and `role` are who ran it, for the import log and the audit log (the CLI: the
    operator's login name and role `cli`). With `warm`, a written import then computes
    the default period's metrics into the metric cube (`lib.rollup.warm`), so the first
    page after it is as quick as any: the CLI and the data page ask for it.
    """
    progress = progress or (lambda _fraction, _step: None)
    started = time.perf_counter()
    mode = "replace" if replace else "upsert"
    logged = False
    if isinstance(raw, UserError):
        result = ImportResult(
            file_name, content_hash, mode, dry_run, "rejected", [_unreadable(raw)]
        )
    else:
        result = ImportResult(raw.file_name, raw.content_hash, mode, dry_run, "rejected")
        log = None if dry_run else functools.partial(_log_rows, result=result, user=user, role=role)
        logged = _write(engine, raw, result, progress, log)
    if not dry_run and not logged:
        _write_log(engine, result, user, role)
    _log_import(result, time.perf_counter() - started)
    if warm and result.ok and not dry_run:
        # After the log row: the cube is keyed by the data version that row completes.
        progress(0.95, "rollup")
        rollup.warm(engine)
    progress(1.0, "done")
    return result


def _log_import(result: ImportResult, seconds: float) -> None:
    """The server log's line of an import: counts and outcome, never the file or the user."""
    fields = {
        "mode": result.mode,
        "dry_run": result.dry_run,
        "outcome": result.outcome,
        "rows_per_sheet": dict(result.rows_per_sheet),
        "problems": len(result.errors),
        "seconds": round(seconds, 3),
    }
    if result.failure is not None:
        fields["error"] = type(result.failure).__name__
    rows = sum(result.rows_per_sheet.values())
    message = "import %s%s: %s, %d rows, %d problems in %.1f s"
    dry = " (dry run)" if result.dry_run else ""
    logs.event(_log, "import", message, result.mode, dry, result.outcome, rows,
               len(result.errors), seconds, **fields)  # fmt: skip


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


def recent_imports(conn: sa.Connection, limit: int = 50) -> list[ImportLogRow]:
    """The latest imports, newest first (the data page's log table)."""
    table = ImportLog.__table__
    stmt = sa.select(table).order_by(table.c.id.desc()).limit(limit)
    rows = []
    for log in conn.execute(stmt):
        counts = json.loads(log.rows_per_sheet or "{}")
        rows.append(
            ImportLogRow(
                log.imported_at,
                log.imported_by,
                log.file_name,
                log.content_hash,
                log.mode,
                log.outcome,
                log.problem_count,
                sum(counts.values()),
            )
        )
    return rows
