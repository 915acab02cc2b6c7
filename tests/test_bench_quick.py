"""The page benchmark's quick mode runs and every figure it reports is present and sane.

`python benchmarks/bench_pages.py --quick` (the demo city on SQLite, 2 runs, every page
kind the build has) is run as a user would; the test checks the JSON it writes, not
budgets: times are positive, the SQL time fits inside the script time, bytes were sent,
memory was measured, cold runs emptied the caches, the floor and the pandas baseline ran.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.server import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_quick_mode_measures_every_page(tmp_path):
    out = tmp_path / "quick.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_pages.py", "--quick", "--json", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # < 2 min on an idle machine; a shared CI machine is slower
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    (scale,) = report["scales"]
    assert scale["scale"] == "city" and report["runs"] == 2
    assert scale["server_log_errors"] == []
    kinds = {k: d for k, d in scale["kinds"].items() if not d.get("missing")}
    # The city has no region pages; every other kind must have been measured.
    assert {"overview", "nb", "agency", "donations", "network"} <= set(kinds)
    for kind, data in kinds.items():
        visits = data["visits"]
        assert [v["mode"] for v in visits] == ["cold", "warm"] * 2, kind
        for v in visits:
            where = f"{kind} {v['mode']}"
            assert v["runs"] >= 1 and v["errors"] == 0 and not v["not_found"], where
            assert v["pages"][-1] == (data["path"].strip("/") or "city-overview"), where
            assert v["script_s"] > 0 and v["cpu_s"] > 0 and v["page_s"] > 0, where
            assert 0 <= v["sql_s"] <= v["script_s"], where
            assert v["bytes_ws"] > 0 and v["frames"] > 0, where
            assert v["peak_mb"] > 0 and v["load_s"] > 0, where
            assert v["cleared"] == (v["mode"] == "cold"), where
            if v["mode"] == "cold":  # empty caches: the page had to ask the database
                assert v["statements"] > 0 and v["sql_s"] > 0, where
        floor = data["floor"]
        assert floor["statements"] > 0 and len(floor["times"]) == 2, kind
        assert all(s > 0 for s in floor["times"]), kind
    base = scale["baseline"]
    assert base["rows"] > 0 and len(base["times"]) == 2
    assert all(s > 0 for s in base["times"]) and all(m > 0 for m in base["peak_mb"])
    rows = scale["table"]
    assert {(r["kind"], r["mode"]) for r in rows} == {
        (k, m) for k in kinds for m in ("cold", "warm")
    }
    for r in rows:
        assert r["x_floor"] > 0 and r["x_pandas"] > 0
        assert r["script_s"]["min"] <= r["script_s"]["median"] <= r["script_s"]["max"]
