"""The SQL cost of a page by its scope: what `compute_metrics` runs, EXPLAIN ANALYZEd.

    python benchmarks/bench_scope_sql.py --url postgresql+psycopg://postgres@127.0.0.1:5432/itda_nation \
        --page neighbourhood --district 52110 --period 2025 [--plans]

Pages (each for the period and its comparison, `?period=2025` compares with 2024):
- `neighbourhood`: a neighbourhood page whose ranks are among its district's neighbourhoods:
  `compute_metrics(by="neighbourhood")` with the scope narrowed to the district's codes,
  plus the district's total (`by="city"` on the same scope);
- `nation`: the top overview of a nation (`by="province"` and the total);
- `province`: a province's overview (`by="district"` within it, and its total);
- `city`: a city deployment's neighbourhood page (every neighbourhood and the city).

Every statement the engine sends is captured (SQLAlchemy's `before_cursor_execute`), then
run again under `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`; the table lists each statement's
execution time, shared buffers hit/read and temp blocks (a sort or hash spilling to disk).
The first pass also warms the cache, so the figures are warm ones.
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

from lib.db import make_engine
from lib.period import Period
from lib.queries.metrics import compute_metrics
from lib.scope import Scope


def _codes(conn, prefix: str) -> tuple[str, ...]:
    stmt = sa.text("SELECT code FROM neighbourhood WHERE code LIKE :p ORDER BY code")
    return tuple(conn.execute(stmt, {"p": f"{prefix}%"}).scalars())


def calls(conn, page: str, region: str | None) -> list[tuple[str, str, Scope]]:
    """(label, by, scope) of the compute_metrics calls a page makes for one period."""
    if page == "neighbourhood":
        scope = Scope().within(region, _codes(conn, region))
        return [("nb by neighbourhood", "neighbourhood", scope), ("district total", "city", scope)]
    if page == "nation":
        return [("by province", "province", Scope()), ("nation total", "city", Scope())]
    if page == "province":
        scope = Scope().within(region, _codes(conn, region))
        return [("by district", "district", scope), ("province total", "city", scope)]
    if page == "city":
        return [("by neighbourhood", "neighbourhood", Scope()), ("city total", "city", Scope())]
    raise SystemExit(f"unknown page {page}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--page", default="neighbourhood")
    parser.add_argument("--region", default="52110")
    parser.add_argument("--period", default="2025")
    parser.add_argument("--set", action="append", default=[], help="a SET before (name=value)")
    parser.add_argument("--all", action="store_true", help="list every statement")
    parser.add_argument("--plans", type=int, default=0, help="print the N slowest plans")
    args = parser.parse_args()
    engine = make_engine(args.url)
    period = Period.parse(args.period)
    periods = [period, period.previous()]
    captured: list[tuple[str, str, object]] = []
    label = ""

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):
        if label:
            captured.append((label, statement, parameters))

    with engine.connect() as conn:
        for setting in args.set:
            conn.exec_driver_sql(f"SET {setting}")
        plan = calls(conn, args.page, args.region)
        for _ in range(2):  # the first round warms the cache
            captured.clear()
            started = time.perf_counter()
            for p in periods:
                for name, by, scope in plan:
                    label = f"{p.key} {name}"
                    compute_metrics(conn, p, by=by, scope=scope)
            label = ""
            wall = time.perf_counter() - started
        rows, total, texts = [], 0.0, []
        for name, statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            raw = conn.connection.driver_connection
            with raw.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
                result = cur.fetchone()[0]
            top = result[0]
            ms = top["Execution Time"] + top.get("Planning Time", 0)
            node = top["Plan"]
            temp = node.get("Temp Read Blocks", 0) + node.get("Temp Written Blocks", 0)
            hit, read = node.get("Shared Hit Blocks", 0), node.get("Shared Read Blocks", 0)
            first = " ".join(statement.split())[:70]
            rows.append((ms, name, hit, read, temp, first))
            texts.append((ms, name, statement, parameters))
            total += ms
        conn.rollback()
    print(
        f"{args.page} {args.region} {args.period}: wall {wall * 1000:.0f} ms (warm, Python incl.)"
    )
    print(f"SQL (EXPLAIN ANALYZE, execution + planning): {total:.0f} ms in {len(rows)} statements")
    for ms, name, hit, read, temp, first in sorted(rows, reverse=True)[: None if args.all else 12]:
        print(f"  {ms:8.1f} ms  {name:28s} hit {hit:7d} read {read:6d} temp {temp:6d}  {first}")
    if args.plans:
        with engine.connect() as conn:
            for setting in args.set:
                conn.exec_driver_sql(f"SET {setting}")
            raw = conn.connection.driver_connection
            for ms, name, statement, parameters in sorted(texts, key=lambda r: -r[0])[: args.plans]:
                print(f"\n--- {name} {ms:.1f} ms\n{statement}")
                with raw.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    print("\n".join(r[0] for r in cur.fetchall()))
            conn.rollback()


if __name__ == "__main__":
    main()
