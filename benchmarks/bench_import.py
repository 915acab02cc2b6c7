"""Time the importer: `python benchmarks/bench_import.py [--rows 100000] [--sqlite] [--repeat N]`.

Builds a workbook of about `--rows` data rows (neighbourhoods, agencies, and cases,
services and referrals in the ratio 2 : 2 : 1), imports it into a fresh database and
prints rows per second for the whole run (read + validate + write), then for a second
import of the same file (everything unchanged), a dry run, and a second workbook of as
many new cases, services and referrals (the database then holds twice as many).
`--repeat N` does it all N times, each into a fresh database, and prints the medians.
PostgreSQL (default): creates a database `itda_bench_import_…` on the local server and
drops it after. SQLite (--sqlite): a temporary file. Target: ≥ 20,000 rows/s on
PostgreSQL. Not part of pytest; see benchmarks/README.md for results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import openpyxl
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib import enums  # noqa: E402
from lib.db import make_engine, migrate  # noqa: E402
from lib.ingest.importer import import_path  # noqa: E402
from lib.ingest.read import read_path  # noqa: E402
from lib.ingest.schema import NEIGHBOURHOODS, SHEETS  # noqa: E402

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
START = dt.date(2022, 1, 1)


def build_workbook(path: Path, rows: int, batch: str = "") -> int:
    """Write a valid workbook of about `rows` data rows; return the exact count.

    `batch` goes into every case, service and referral id: workbooks of different batches
    share their neighbourhoods and agencies and add different cases.
    """
    cases, neighbourhoods, agencies = rows * 2 // 5, 20, 25
    services, referrals = cases, rows - 2 * cases - neighbourhoods - agencies
    book = openpyxl.Workbook(write_only=True)
    by = {s.name: s for s in SHEETS}

    def sheet(name: str):
        spec = by[name]
        ws = book.create_sheet(spec.ko)
        ws.append([f.ko for f in spec.fields])
        return ws

    ws = sheet(NEIGHBOURHOODS.name)
    for i in range(neighbourhoods):
        ws.append([f"44200{i:05d}", f"동{i}", "동", 5000 + i, 11000 + i])
    ws = sheet("agencies")
    for i in range(agencies):
        ws.append([f"AG{i:03d}", f"기관{i}", "민간", "종합사회복지관", f"44200{i % 20:05d}"])
    channels, risks, households = (
        list(enums.CHANNEL),
        list(enums.RISK_LEVEL),
        list(enums.HOUSEHOLD_TYPE),
    )
    ws = sheet("cases")
    for i in range(cases):
        found = START + dt.timedelta(days=i % 900)
        opened = found + dt.timedelta(days=5) if i % 4 else None
        closed = opened + dt.timedelta(days=60) if opened and i % 3 == 0 else None
        ws.append([
            f"C{batch}{i:07d}", f"44200{i % 20:05d}", found, channels[i % 7], risks[i % 3],
            households[i % 8], "Y" if i % 5 == 0 else "N", f"AG{i % 25:03d}", opened,
            opened + dt.timedelta(days=10) if opened else None, closed,
            "목표달성" if closed else None,
        ])  # fmt: skip
    ws = sheet("services")
    for i in range(services):
        ws.append([
            f"S{batch}{i:07d}", f"C{batch}{i:07d}", f"AG{(i + 1) % 25:03d}",
            START + dt.timedelta(days=i % 900 + 7), "생계", 10000 * (i % 50),
        ])  # fmt: skip
    ws = sheet("referrals")
    for i in range(referrals):
        asked = START + dt.timedelta(days=i % 900 + 1)
        ws.append([
            f"R{batch}{i:07d}", f"C{batch}{i:07d}", f"AG{i % 25:03d}", f"AG{(i + 3) % 25:03d}", asked,
            "연계완료", asked + dt.timedelta(days=2), asked + dt.timedelta(days=30), None,
        ])  # fmt: skip
    book.save(path)
    return neighbourhoods + agencies + cases + services + referrals


def _server_cpu(monitor) -> float | None:
    """CPU seconds used so far by the other local PostgreSQL backends of this database (Linux)."""
    if monitor is None:
        return None
    try:
        with monitor.connect() as conn:
            pids = conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).scalars()
            ticks = 0
            for pid in pids:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except OSError:  # not a local server, or /proc not readable
        return None


def _timed(engine, monitor, path: Path, **options) -> tuple[float, float, float | None, object]:
    """(wall seconds, client CPU seconds, server CPU seconds or None, result) of one import."""
    server = _server_cpu(monitor)
    started, cpu = time.perf_counter(), time.process_time()
    result = import_path(engine, path, **options)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = _server_cpu(monitor)
    return wall, cpu, (after - server if server is not None and after is not None else None), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--workbook", type=Path, help="reuse (or keep) the workbook here")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs, each into a fresh database (median shown)"
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    path = args.workbook or Path(tmp.name) / "bench.xlsx"
    # The same neighbourhoods and agencies, other cases: new rows for a populated database.
    other = path.with_name(f"{path.stem}-b{path.suffix}")
    for workbook, batch in ((path, ""), (other, "B")):
        started = time.perf_counter()
        if args.workbook and workbook.exists():
            rows = sum(len(s.rows) for s in read_path(workbook).sheets)
        else:
            rows = build_workbook(workbook, args.rows, batch)
        seconds = time.perf_counter() - started
        size = workbook.stat().st_size / 1e6
        print(f"workbook {workbook.name}: {rows:,} rows, {size:.1f} MB ({seconds:.1f} s)")

    backend = "SQLite" if args.sqlite else "PostgreSQL"
    seconds_by_label: dict[str, list[float]] = {}
    for run in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"run {run} of {args.repeat}, a fresh database:")
        for label, seconds in _one_run(args.sqlite, Path(tmp.name), (path, other), rows, backend):
            seconds_by_label.setdefault(label, []).append(seconds)
    if args.repeat > 1:
        print("median of the runs:")
        for label, times in seconds_by_label.items():
            seconds = statistics.median(times)
            print(f"  {backend} {label}: {seconds:.2f} s = {rows / seconds:,.0f} rows/s")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def _one_run(sqlite: bool, tmp: Path, paths: tuple[Path, Path], rows: int, backend: str):
    """Yield (label, seconds) for the four imports into one fresh database, printing each."""
    admin, name = None, f"itda_bench_import_{uuid.uuid4().hex[:8]}"
    if sqlite:
        url = f"sqlite:///{tmp}/{name}.db"
    else:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    # Its own connection (no pool), so the import's backend is among those it measures.
    monitor = None if sqlite else sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        migrate(engine)
        path, other = paths
        for label, workbook, options in (
            ("first import (all new)", path, {}),
            ("second import (all unchanged)", path, {}),
            ("dry run", path, {"dry_run": True}),
            # Cases, services and referrals now hold as many rows as the sheets bring:
            # too many to rebuild their indexes, so this one is written row by row.
            ("other new rows into the populated database", other, {}),
        ):
            seconds, cpu, server, result = _timed(engine, monitor, workbook, **options)
            if not result.ok:
                print(f"import failed: {result.outcome} {result.problems[:5]} {result.failure}")
                raise SystemExit(1)
            # CPU seconds show the work apart from the machine's load (2 shared cores).
            work = f"CPU: Python {cpu:.2f} s"
            work += f", PostgreSQL {server:.2f} s" if server is not None else ""
            print(f"{backend} {label}: {seconds:.2f} s = {rows / seconds:,.0f} rows/s ({work})")
            yield label, seconds
    finally:
        engine.dispose()
        if monitor is not None:
            monitor.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
