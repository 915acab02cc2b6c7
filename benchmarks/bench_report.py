"""Time the report: `python benchmarks/bench_report.py [--sqlite] [--repeat 3]`.

Builds the demo city at city scale (`python -m lib.cli demo --scale city`), then makes the
city's report for a whole year (the last complete year before the as-of date) as a PDF
and as a PowerPoint deck, `--repeat` times each:

- the CLI's wall time (`python -m lib.cli report …` in a child process: starting Python,
  the query, the charts, the file), the figure the issue's 30 s target is about;
- in this process, the parts: `build_review` (the database and the charts' data) and the
  rendering (`review_pdf` / `review_pptx`: vl-convert, fpdf2 and pypdf, python-pptx).

PostgreSQL (default): the database `itda_bench_report` on the local server, created and
dropped (`--keep` keeps it). SQLite (`--sqlite`): a temporary file. Not part of pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.access import KST, now_utc  # noqa: E402
from lib.db import make_engine  # noqa: E402
from lib.period import Period  # noqa: E402
from lib.queries.reference import as_of_date, dataset_info  # noqa: E402
from lib.review.build import build_review  # noqa: E402
from lib.review.deck import review_pptx  # noqa: E402
from lib.review.pdf import review_pdf  # noqa: E402
from lib.scope import Scope  # noqa: E402

PG_HOST, PG_USER, PG_DB = "127.0.0.1", "postgres", "itda_bench_report"


def _cli(url: str, *args: str) -> float:
    command = [sys.executable, "-m", "lib.cli", "--database-url", url, "--lang", "ko", *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    return wall


def _parts(url: str, period: Period, fmt: str) -> tuple[float, float, int]:
    """(seconds building the review, seconds rendering it, bytes) in this process."""
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        review = build_review(
            conn,
            kind="city",
            code=None,
            period=period,
            compare="prev",
            scope=Scope.city(),
            lang="ko",
            made_by="benchmark",
            made_at=now_utc().astimezone(KST),
            response_limit_days=7,
            city_name=dataset_info(conn).get("city_name", ""),
        )
    built = time.perf_counter()
    data = review_pdf(review) if fmt == "pdf" else review_pptx(review)
    rendered = time.perf_counter()
    engine.dispose()
    return built - started, rendered - built, len(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    tmp = tempfile.TemporaryDirectory()
    if args.sqlite:
        url = f"sqlite:///{tmp.name}/bench.db"
    else:
        subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, PG_DB], check=True)
        subprocess.run(["createdb", "-h", PG_HOST, "-U", PG_USER, PG_DB], check=True)
        url = f"postgresql+psycopg://{PG_USER}@{PG_HOST}:5432/{PG_DB}"
    try:
        print(f"demo city: {_cli(url, 'demo', '--scale', 'city'):.1f} s", flush=True)
        engine = make_engine(url)
        with engine.connect() as conn:
            as_of = as_of_date(conn) or dt.date.today()
        engine.dispose()
        period = Period.year(as_of.year - 1)
        print(f"as of {as_of}; the city's report for {period.key} against {period.previous().key}")
        for fmt in ("pdf", "pptx"):
            target = Path(tmp.name) / f"report.{fmt}"
            walls, builds, renders = [], [], []
            for _ in range(args.repeat):
                walls.append(
                    _cli(
                        url, "report", "--scope", "city", "--period", period.key, "-o", str(target)
                    )
                )
                build, render, size = _parts(url, period, fmt)
                builds.append(build)
                renders.append(render)
            print(
                f"{fmt:4}  CLI wall median {statistics.median(walls):5.1f} s "
                f"({' · '.join(f'{w:.1f}' for w in walls)})  "
                f"build_review {statistics.median(builds):4.1f} s  "
                f"render {statistics.median(renders):4.1f} s  "
                f"{target.stat().st_size / 1024:,.0f} KB",
                flush=True,
            )
    finally:
        if not args.sqlite and not args.keep:
            subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, PG_DB])
        tmp.cleanup()
    load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"load average before {load_before}, after {load_after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
