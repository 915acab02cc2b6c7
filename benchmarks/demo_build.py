"""Time the demo builder: `python benchmarks/demo_build.py --scale nation [--sqlite]`.

Runs `python -m lib.cli … demo` in a child process under `/usr/bin/time -v` and reports
wall time, peak memory (RSS) and rows per table. PostgreSQL (default): creates the database
`itda_bench_demo` on the local server (createdb/dropdb, user postgres) and drops it after,
unless --keep. SQLite (--sqlite): a temporary file. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.models import DATA_TABLES  # noqa: E402

PG_HOST, PG_USER, PG_DB = "127.0.0.1", "postgres", "itda_bench_demo"


def _measure(url: str, scale: str, seed: int) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MiB, the CLI's summary line) of one CLI demo build."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "lib.cli", "--database-url", url]
    command += ["--lang", "en", "demo", "--scale", scale, "--seed", str(seed)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"demo build failed:\n{done.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    summary = next((ln for ln in done.stderr.splitlines() if ln.startswith("demo data")), "")
    return wall, int(peak.group(1)) // 1024 if peak else -1, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province", "nation"], default="city")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    tmp = None
    if args.sqlite:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.db"
    else:
        subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, PG_DB], check=True)
        subprocess.run(["createdb", "-h", PG_HOST, "-U", PG_USER, PG_DB], check=True)
        url = f"postgresql+psycopg://{PG_USER}@{PG_HOST}:5432/{PG_DB}"
    try:
        wall, peak_mib, summary = _measure(url, args.scale, args.seed)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            counts = {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in DATA_TABLES
            }
        engine.dispose()
    finally:
        if tmp is not None:
            tmp.cleanup()
        elif not args.keep:
            subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, PG_DB])
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    total = sum(counts.values())
    print(f"{args.scale} on {backend}: {wall:.1f} s wall, peak RSS {peak_mib} MiB, {total:,} rows")
    print(f"  {summary}")
    print(f"  load average before: {load_before}")
    for name, count in counts.items():
        print(f"  {name:15s} {count:>10,}")
    print(f"  cpus={os.cpu_count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
