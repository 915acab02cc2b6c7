"""Run imports of files in a child process and report each one's time and memory.

`python -m tests.hostile_import_run DATABASE_URL FILE…` imports each file (upsert) and
prints one JSON line per file: outcome, seconds, the growth of the process's peak
resident memory (MB, which counts calamine's Rust allocations that tracemalloc cannot
see) and the problems. The child's address space is capped (RLIMIT_AS), so a guard that
fails cannot take the machine with it. Used by tests/test_import_hostile.py.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ADDRESS_SPACE = 3 * 2**30


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(url: str, paths: list[str]) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    from lib.db import make_engine
    from lib.ingest.importer import import_bytes

    engine = make_engine(url)
    import_bytes(engine, "warm-up.xlsx", b"warm up", user="test")  # load every module
    baseline = _peak_mb()
    print(json.dumps({"baseline_mb": baseline}), flush=True)
    for path in map(Path, paths):
        data = path.read_bytes()
        before, started = _peak_mb(), time.perf_counter()
        result = import_bytes(engine, path.name, data, user="test")
        seconds = time.perf_counter() - started
        del data
        line = {
            "file": path.name,
            "outcome": result.outcome,
            "seconds": round(seconds, 3),
            "growth_mb": round(_peak_mb() - before, 1),
            "peak_mb": round(_peak_mb() - baseline, 1),
            "problems": [
                {
                    "code": p.code,
                    "severity": p.severity,
                    "sheet": p.sheet_label("ko"),
                    "row": p.row,
                    "column": p.column_label("ko"),
                    "value": p.value,
                    "ko": p.reason("ko"),
                    "en": p.reason("en"),
                }
                for p in result.problems
            ],
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
