"""Script time of pages through AppTest: cold (st.cache_data cleared) and warm (the next run).

Times ScriptRunner._run_script only (the server's whole script run, its post-script garbage
collection included), not AppTest's own set-up. Run from the repository:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/itda_city \
        python benchmarks/apptest_page_times.py overview,nb,donations,agency,network 5
    PROF=nb-warm python benchmarks/apptest_page_times.py nb 1   # cProfile → /tmp/perf/nb-warm.prof
    NB=4420051000 AG=44200A02 PARAMS="period=2025" …             # which pages, which URL

Prints the median of N cold and N warm runs per page (seconds); CPU=1 counts the script
thread's CPU time instead (steady on a busy machine, without the waits for the database).
"""

import cProfile
import logging
import os
import statistics
import sys
import time

import streamlit as st
from streamlit.runtime.scriptrunner import script_runner as sr
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

sys.path.insert(0, os.getcwd())
logging.disable(logging.WARNING)

APP = os.path.join(os.getcwd(), "dashboard.py")
OUT = os.environ.get("PROF_DIR", "/tmp/perf")
# CPU=1: the script thread's CPU time instead of wall time (steady on a busy machine; leaves
# out the waits for the database).
CPU = os.environ.get("CPU") == "1"
PAGES = {
    "overview": None,
    "nb": "nb-" + os.environ.get("NB", "4420051000"),
    "donations": "city-donations",
    "agency": "agency-" + os.environ.get("AG", "44200A02"),
    "network": "case-sharing",
}
_orig = sr.ScriptRunner._run_script
STATE = {"prof": None, "times": [], "cpu": []}


def _timed(self, rerun_data):
    pr = STATE["prof"]
    t0, c0 = time.perf_counter(), time.thread_time()
    if pr:
        pr.enable()
    try:
        return _orig(self, rerun_data)
    finally:
        if pr:
            pr.disable()
        STATE["times"].append(time.perf_counter() - t0)
        STATE["cpu"].append(time.thread_time() - c0)


sr.ScriptRunner._run_script = _timed

_mgr = None


def run(page, params, prof=None):
    global _mgr
    at = AppTest.from_file(APP, default_timeout=900)
    if _mgr is not None:
        at._bidi_component_manager = _mgr  # skip AppTest's 2 s package scan
    for k, v in params.items():
        at.query_params[k] = v
    if page:
        at._page_hash = calc_hash(page)
    STATE["prof"], STATE["times"], STATE["cpu"] = prof, [], []
    at.run()
    _mgr = at._bidi_component_manager
    assert not at.exception, [e.message for e in at.exception]
    key = "cpu" if CPU else "times"
    return sum(STATE[key]), at


def main():
    which = sys.argv[1].split(",")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    prof = os.environ.get("PROF", "")
    params = dict(p.split("=") for p in os.environ.get("PARAMS", "period=2025").split("&"))
    run(None, params)  # import everything, engine
    for name in which:
        page = PAGES[name]
        cold, warm = [], []
        for i in range(n):
            st.cache_data.clear()
            pr = cProfile.Profile() if prof == f"{name}-cold" and i == 0 else None
            dt, _ = run(page, params, pr)
            cold.append(dt)
            if pr:
                pr.dump_stats(f"{OUT}/{name}-cold.prof")
            pr = cProfile.Profile() if prof == f"{name}-warm" and i == 0 else None
            dt, _ = run(page, params, pr)
            warm.append(dt)
            if pr:
                pr.dump_stats(f"{OUT}/{name}-warm.prof")
        runs = " ".join(f"{c:.2f}/{w:.2f}" for c, w in zip(cold, warm, strict=True))
        cold_s, warm_s = statistics.median(cold), statistics.median(warm)
        print(f"{name:10s} cold {cold_s:.3f}  warm {warm_s:.3f}   (cold/warm: {runs})", flush=True)


main()
