"""The load command's small form: 4 browser sessions for 40 s with imports every 10 s.

`python benchmarks/load.py` is run as an operator runs it (the demo city in a temporary
SQLite file, one server, Chromium); the test reads its JSON report: every page opened
finished without an error of any kind, the figures every checked page showed were all of
one state of the data (never old and new mixed) while imports ran, and every field of the
report is present and plausible. It checks no speed budget (the machine is shared).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.server import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE_TIMEOUT_S = 90


def test_four_sessions_with_imports_finish_every_page_without_error(tmp_path):
    out = tmp_path / "load.json"
    command = [
        sys.executable, "benchmarks/load.py", "--sessions", "4", "--minutes", "0.67",
        "--ramp-seconds", "4", "--think-min", "1", "--think-max", "4",
        "--import-every", "10", "--page-timeout", str(PAGE_TIMEOUT_S),
        "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600
    )  # ≈ 75 s on an idle machine: build, read both states, 4 + 40 s, stop
    assert done.returncode == 0, done.stderr[-3000:]
    r = json.loads(out.read_text(encoding="utf-8"))
    assert "| all |" in done.stdout and "consistency:" in done.stdout  # the printed table

    # Every page finished, none with an error (exception, error alert, failed section,
    # not-found dialog, JavaScript error, closed socket, timeout, traceback in the log).
    assert r["sessions"] == 4 and r["database"].startswith("SQLite")
    assert r["errors"] == {} and r["error_count"] == 0, r["error_examples"]
    assert r["pages"] >= 8 and r["finished"] == r["pages"]
    assert 0 < r["p50_s"] <= r["p95_s"] <= r["max_s"] <= PAGE_TIMEOUT_S
    load, app = r["by_how"]["load"], r["by_how"]["app"]
    assert load["pages"] >= 4  # each session's first page is opened by its address
    assert load["pages"] + app["pages"] == r["pages"]
    assert sum(k["pages"] for k in r["by_kind"].values()) == r["pages"]
    assert set(r["by_kind"]) <= {"overview", "nb", "donations", "network", "agency"}

    # Memory was sampled every 0.5 s through the run and stayed in a sane range.
    mem = r["server_rss_mb"]
    assert mem["samples"] >= 60
    assert 50 < mem["start"] <= mem["peak"] < 4000
    assert mem["peak"] == max(mem["peak_first_half"], mem["peak_second_half"])
    cpu = r["cpu"]
    assert cpu["wall_s"] >= 40
    assert cpu["server_cores"] > 0 and cpu["chromium_cores"] > 0
    assert 0 < cpu["machine_busy_cores"] <= r["machine"]["cores"] + 0.1
    assert r["chromium"]["peak_pss_mb"] > 0 and r["chromium"]["peak_processes"] >= 2
    assert cpu["server_s_per_page"] > 0 and cpu["chromium_s_per_page"] > 0
    drawn = r["server_page_drawn"]  # the server's log: at least one run per finished page
    assert drawn["runs"] >= r["finished"] and 0 < drawn["p50_s"] <= drawn["max_s"]

    # Imports ran during the load, and the checked pages showed one state each.
    imports = r["imports"]
    assert len(imports) >= 3 and all(i["ok"] for i in imports)
    assert [i["state"] for i in imports][:3] == ["b", "a", "b"]
    c = r["consistency"]
    assert c["mixed"] == [] and c["checked_pages"] >= 1
    assert set(c["states"]) <= {"a", "b"} and sum(c["states"].values()) == c["checked_pages"]
    for page, states in c["expected"].items():
        assert states["a"] and states["a"] != states["b"], page
