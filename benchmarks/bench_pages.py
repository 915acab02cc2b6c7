"""Time the dashboard's pages at the three demo scales: `python benchmarks/bench_pages.py`.

    python benchmarks/bench_pages.py --reuse --runs 5 --json /tmp/pages.json   # itda_city … itda_nation
    python benchmarks/bench_pages.py --scales city,province --runs 5           # builds itda_bench_<scale>
    python benchmarks/bench_pages.py --quick                                   # city on SQLite, 2 runs

For each scale it starts the app (`streamlit run app.py`, headless, on a loopback port, with
`ITDA_PROFILE` on, see lib/profiling.py) and opens each page kind in Chromium with
`?period=<period>`, `--runs` times cold and warm:

- cold: the app's data caches emptied just before (`ITDA_PROFILE_COLD_FILE`; the process,
  its database connections and PostgreSQL's own buffers stay warm), warm: the same page
  again right after, on the same caches. A kind's first cold visit loads the page anew (a
  new session, as a shared link opens); the others navigate inside the app as the
  browser's Back and Forward do (a popstate, no reload: loading Streamlit's frontend again
  costs the 2-core machine more than the page), `--fresh-tabs` reloads for every visit;
- per run: the server's script time (the whole run: filters, navigation, the page) and the
  page's own part, the SQL time and statement count inside it (lib.profiling), the bytes
  the server sent over the WebSocket from navigation until the page finished (Playwright's
  `framereceived`, uncompressed payloads), and the server process's peak memory (VmHWM
  from /proc, reset before each run through /proc/PID/clear_refs);
- the floor: the statements of a cold run replayed on a fresh database connection and
  timed (execute and fetch, SELECTs only), `--runs` times;
- the pandas baseline (benchmarks/pandas_baseline.py, in a child process per run): the big
  tables read whole and the neighbourhood page's headline metrics computed in pandas.

Page kinds (`--pages`, in this order by default): nb (`/nb-<code>`), district and province
(`/region-<code>`, skipped where the build has no such page), overview (`/`), agency,
donations (`/city-donations`), network (`/case-sharing`). The neighbourhood is the one with
the most cases in the demo city's district (44200, 한빛시, at every scale; else the first
district), so every scale measures the same neighbourhood; the agency is the one of that
district receiving the most referrals.

Output: a markdown table per scale (median and min–max per kind × cold/warm) on stdout
(`--markdown FILE` too) and every measurement as JSON (`--json FILE`). Not run by pytest
except `--quick` (tests/test_bench_quick.py), which checks that every figure is present
and sane, not budgets. Figures and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from lib.i18n import t  # noqa: E402
from lib.profiling import decode  # noqa: E402
from tests.server import ServerHandle, start_streamlit  # noqa: E402

PG_HOST, PG_USER = "127.0.0.1", "postgres"
SCALES = ("city", "province", "nation")
# The demo city (한빛시), present at every scale: its pages are compared across scales.
DEMO_DISTRICT = "44200"
KINDS = ("nb", "district", "province", "overview", "agency", "donations", "network")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
NOT_FOUND_TITLE = t("tab.title", "ko", page=t("nav.not_found", "ko"))


def pg_url(name: str) -> str:
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:5432/{name}"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- databases -----------------------------------------------------------------------


def build(scale: str, url: str) -> float:
    """Build the demo at `scale` into `url` (created first for PostgreSQL); seconds."""
    if url.startswith("postgresql"):
        name = sa.make_url(url).database
        subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, name], check=True)
        subprocess.run(["createdb", "-h", PG_HOST, "-U", PG_USER, name], check=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "lib.cli", "--database-url", url, "demo", "--scale", scale]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building {scale} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        name = sa.make_url(url).database
        subprocess.run(["dropdb", "--if-exists", "-h", PG_HOST, "-U", PG_USER, name])


def choose_codes(url: str) -> dict[str, str]:
    """The neighbourhood (most cases in the demo city's district, else the first district)
    and agency (most referrals received among that district's agencies) to measure."""
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        district = conn.execute(
            sa.text(
                "SELECT coalesce(max(CASE WHEN substr(code, 1, 5) = :d THEN :d END),"
                " min(substr(code, 1, 5))) FROM neighbourhood"
            ),
            {"d": DEMO_DISTRICT},
        ).scalar()
        nb = conn.execute(
            sa.text(
                "SELECT n.code FROM neighbourhood n LEFT JOIN welfare_case c"
                " ON c.neighbourhood_code = n.code WHERE substr(n.code, 1, 5) = :d"
                " GROUP BY n.code ORDER BY count(c.case_id) DESC, n.code LIMIT 1"
            ),
            {"d": district},
        ).scalar()
        agency = conn.execute(
            sa.text(
                "SELECT a.code FROM agency a LEFT JOIN referral r ON r.to_agency_code = a.code"
                " WHERE substr(a.code, 1, 5) = :d OR substr(a.neighbourhood_code, 1, 5) = :d"
                " GROUP BY a.code ORDER BY count(r.referral_id) DESC, a.code LIMIT 1"
            ),
            {"d": district},
        ).scalar()
        counts = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM neighbourhood), (SELECT count(*) FROM welfare_case),"
                " (SELECT count(*) FROM service), (SELECT count(*) FROM referral)"
            )
        ).one()
    engine.dispose()
    return {
        "nb": nb,
        "district": nb[:5],
        "province": nb[:2],
        "agency": agency,
        "neighbourhoods": counts[0],
        "cases": counts[1],
        "services": counts[2],
        "referrals": counts[3],
    }


def page_paths(codes: dict[str, str]) -> dict[str, str]:
    """Page kind → URL path (agency paths as views/network.agency_url_path makes them)."""
    import re

    return {
        "overview": "/",
        "province": f"/region-{codes['province']}",
        "district": f"/region-{codes['district']}",
        "nb": f"/nb-{codes['nb']}",
        "agency": "/agency-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(codes["agency"])),
        "donations": "/city-donations",
        "network": "/case-sharing",
    }


# ---- the server ----------------------------------------------------------------------


def _status_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux: clear_refs 5)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


@dataclass
class Server:
    handle: ServerHandle
    profile: Path
    cold_file: Path
    offset: int = 0

    @property
    def pid(self) -> int:
        return self.handle.process.pid

    def new_lines(self) -> list[dict[str, Any]]:
        """Profile lines written since the last call."""
        if not self.profile.exists():
            return []
        with self.profile.open("rb") as f:
            f.seek(self.offset)
            data = f.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [json.loads(line) for line in complete.decode("utf-8").splitlines() if line]


def start_server(url: str, work: Path, scale: str) -> Server:
    profile, cold = work / f"profile-{scale}.jsonl", work / f"cold-{scale}"
    for path in (profile, cold):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    env = {
        "ITDA_PROFILE": str(profile),
        "ITDA_PROFILE_STATEMENTS": "1",
        "ITDA_PROFILE_COLD_FILE": str(cold),
        "ITDA_DEFAULT_LANG": "ko",
        "ITDA_ACCESS_MODE": "open",
    }
    handle = start_streamlit(url, env=env, timeout_s=120)
    return Server(handle, profile, cold)


# ---- one visit -------------------------------------------------------------------------


@dataclass
class Visit:
    kind: str
    mode: str  # cold | warm | first
    path: str
    script_s: float = 0.0
    cpu_s: float = 0.0
    page_s: float | None = None
    sql_s: float = 0.0
    statements: int = 0
    runs: int = 0
    bytes_ws: int = 0
    frames: int = 0
    peak_mb: float = 0.0
    rss_before_mb: float = 0.0
    load_s: float = 0.0
    cleared: bool = False
    not_found: bool = False
    errors: int = 0
    pages: list[str] = field(default_factory=list)
    sql: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data.pop("sql")
        return data


def wait_finished(page, timeout_ms: float) -> None:
    """The app is connected, its script has run and finished, nothing is loading."""
    app = page.get_by_test_id("stApp")
    app.and_(page.locator("[data-test-connection-state='CONNECTED']")).wait_for(
        state="attached", timeout=timeout_ms
    )
    not_running = app.and_(page.locator("[data-test-script-state='notRunning']"))
    not_running.wait_for(state="attached", timeout=timeout_ms)
    # Right after connecting the state reads notRunning before the first run starts; the
    # skeleton stays until that run delivers something (tests/browser/conftest.py).
    page.get_by_test_id("stSkeleton").first.wait_for(state="detached", timeout=timeout_ms)
    not_running.wait_for(state="attached", timeout=timeout_ms)


class Tab:
    """A browser tab that counts the bytes the app's WebSocket receives."""

    def __init__(self, context) -> None:
        self.page = context.new_page()
        self.bytes = self.frames = 0
        self.page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws) -> None:
        if "/_stcore/stream" in ws.url:
            ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload) -> None:
        self.bytes += len(payload)
        self.frames += 1

    def close(self) -> None:
        self.page.close()


# In-app navigation, as the browser's Back and Forward do: Streamlit's frontend answers a
# popstate by rerunning the session on the page of the new address (no reload).
_IN_APP = """(target) => {
    history.pushState({}, "", target);
    window.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
}"""


def _lines_of_run(tab: Tab, server: Server, timeout_s: float, in_app: bool) -> list[dict]:
    """The profile lines of the run(s) the navigation started; [] when none started
    (in-app navigation to a page the frontend does not know)."""
    lines: list[dict[str, Any]] = []
    started = time.monotonic()
    running = tab.page.locator("[data-testid=stApp][data-test-script-state='running']")
    while time.monotonic() - started < timeout_s:
        lines += server.new_lines()
        if lines:
            return lines
        if in_app and time.monotonic() - started > 5 and running.count() == 0:
            return []
        time.sleep(0.05)
    raise TimeoutError(f"no script run ended within {timeout_s:.0f} s")


def visit(
    tab: Tab, server: Server, base_url: str, kind: str, path: str, mode: str,
    period: str, timeout_s: float, fresh: bool = False,
) -> Visit:  # fmt: skip
    """Open `path` (a new page load when `fresh`, else in-app navigation) and measure it."""
    v = Visit(kind, mode, path)
    server.new_lines()  # forget lines of earlier visits
    if mode == "cold":
        server.cold_file.write_text("cold")
    reset_peak(server.pid)
    v.rss_before_mb = _status_kb(server.pid, "VmRSS") / 1024
    target = f"{path}?period={period}"
    page = tab.page
    tab.bytes = tab.frames = 0
    started = time.perf_counter()
    lines: list[dict[str, Any]] = []
    if not fresh:
        page.evaluate(_IN_APP, target)
        lines = _lines_of_run(tab, server, timeout_s, in_app=True)
    if not lines:  # a fresh tab, or the frontend did not know the page
        tab.bytes = tab.frames = 0
        page.goto(base_url + target, timeout=timeout_s * 1000)
        wait_finished(page, timeout_s * 1000)
        lines = _lines_of_run(tab, server, timeout_s, in_app=False)
    page.locator("[data-testid=stApp][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_s * 1000
    )
    v.load_s = time.perf_counter() - started
    page.wait_for_timeout(300)  # frames that trail the script's end (page info, URL)
    lines += server.new_lines()
    # Itda's own "없는 페이지" after a page load; in-app, Streamlit serves the default page.
    served = lines[-1].get("page") if lines else None
    v.not_found = page.title() == NOT_FOUND_TITLE or (
        path != "/" and served is not None and served != path.strip("/")
    )
    v.errors = page.locator("[data-testid=stException], [data-testid=stAlertContentError]").count()
    v.bytes_ws, v.frames = tab.bytes, tab.frames
    v.peak_mb = _status_kb(server.pid, "VmHWM") / 1024
    v.runs = len(lines)
    v.script_s = sum(line["script_s"] for line in lines)
    v.cpu_s = sum(line.get("cpu_s", 0.0) for line in lines)
    page_parts = [line["page_s"] for line in lines if line.get("page_s") is not None]
    v.page_s = sum(page_parts) if page_parts else None
    v.sql_s = sum(line["sql_s"] for line in lines)
    v.statements = sum(line["statements"] for line in lines)
    v.cleared = any(line.get("cleared") for line in lines)
    v.pages = [line.get("page") or "" for line in lines]
    v.sql = [s for line in lines for s in line.get("sql", [])]
    return v


# ---- the floor and the baseline -------------------------------------------------------


def replay(
    url: str, statements: list[dict[str, Any]], runs: int, settings: dict[str, str] | None = None
) -> dict[str, Any]:
    """Execute the SELECTs of a run again on a fresh connection each time; seconds per run.
    `settings`: PostgreSQL session settings (`SET name = value`) made first, not timed."""
    reads = [
        (s["sql"], decode(s["params"]))
        for s in statements
        if s["sql"].lstrip().lstrip("(").upper().startswith(("SELECT", "WITH"))
    ]
    engine = sa.create_engine(url, poolclass=NullPool)
    times = []
    for _ in range(runs):
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for name, value in (settings or {}).items():
                cursor.execute(f"SET {name} = '{value}'")
            total = 0.0
            for sql, params in reads:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                total += time.perf_counter() - started
            times.append(total)
            raw.rollback()
        finally:
            raw.close()
    engine.dispose()
    return {"times": times, "statements": len(reads), "skipped": len(statements) - len(reads)}


def baseline(url: str, code: str, period: str, runs: int) -> dict[str, Any]:
    """benchmarks/pandas_baseline.py in a child process, `runs` times."""
    results = []
    for _ in range(runs):
        command = [sys.executable, str(ROOT / "benchmarks" / "pandas_baseline.py"),
                   "--database-url", url, "--code", code, "--period", period]  # fmt: skip
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the pandas baseline failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout)
        result.pop("values", None)
        results.append(result)
    return {
        "times": [r["total_s"] for r in results],
        "read_s": [r["read_s"] for r in results],
        "compute_s": [r["compute_s"] for r in results],
        "peak_mb": [r["peak_mb"] for r in results],
        "rows": results[0]["rows"],
    }


# ---- one scale -------------------------------------------------------------------------


def measure_scale(
    browser, scale: str, url: str, kinds: list[str], runs: int, period: str,
    timeout_s: float, kind_budget_s: float, work: Path, with_baseline: bool,
    tuned: dict[str, str] | None = None, keep_sql: bool = False, fresh_tabs: bool = False,
    baseline_runs: int | None = None, floor_runs: int = 2, progress: Path | None = None,
) -> dict[str, Any]:  # fmt: skip
    codes = choose_codes(url)
    paths = page_paths(codes)
    log(f"{scale}: {codes['neighbourhoods']} neighbourhoods, {codes['cases']:,} cases; "
        f"nb {codes['nb']}, agency {codes['agency']}")  # fmt: skip
    result: dict[str, Any] = {"scale": scale, "url": _safe_url(url), "codes": codes, "kinds": {}}
    server = start_server(url, work, scale)
    try:
        context = browser.new_context(
            locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 1440, "height": 900}
        )
        base = server.handle.base_url
        tab = Tab(context)
        # The first visit after the start (imports, engine, migrations check) warms the
        # process up; it goes to the first kind's page, so that a run of cheap pages never
        # waits for an expensive one.
        kind0 = kinds[0]
        first = visit(tab, server, base, kind0, paths[kind0], "first", period, timeout_s, True)
        result["first_visit"] = first.summary()
        log(f"{scale}: first visit after start ({paths[kind0]}) {first.script_s:.2f} s")
        for kind in kinds:
            path = paths[kind]
            visits: list[Visit] = []
            began = time.perf_counter()
            for i in range(runs):
                # The first cold visit loads the page anew (a new session, as a shared link
                # opens it): it sends everything; later visits navigate in the app, where
                # the browser may already hold some of it (Streamlit's message cache).
                fresh = fresh_tabs or i == 0
                cold = visit(tab, server, base, kind, path, "cold", period, timeout_s, fresh)
                if cold.not_found:
                    log(f"{scale}: {kind} ({path}): no such page in this build, skipped")
                    break
                warm = visit(tab, server, base, kind, path, "warm", period, timeout_s, fresh_tabs)
                visits += [cold, warm]
                log(f"{scale} {kind} run {i + 1}: cold {cold.script_s:.2f} s "
                    f"(SQL {cold.sql_s:.2f}, {cold.bytes_ws / 1024:.0f} KB), warm "
                    f"{warm.script_s:.2f} s")  # fmt: skip
                if i + 1 < runs and i >= 1 and time.perf_counter() - began > kind_budget_s:
                    log(f"{scale} {kind}: over {kind_budget_s:.0f} s, stopping at {i + 1} runs")
                    break
            if not visits:
                result["kinds"][kind] = {"path": path, "missing": True}
                continue
            cold_runs = [v for v in visits if v.mode == "cold"]
            statements = max(cold_runs, key=lambda v: len(v.sql)).sql
            result["kinds"][kind] = {
                "path": path,
                "visits": [v.summary() for v in visits],
                "floor": replay(url, statements, floor_runs),
            }
            if tuned and url.startswith("postgresql"):
                result["kinds"][kind]["tuned_floor"] = replay(url, statements, floor_runs, tuned)
            if progress:  # what is measured so far, in case a long run is stopped
                progress.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            if keep_sql:
                result["kinds"][kind]["sql"] = statements
        tab.close()
        context.close()
    finally:
        result["server_log_errors"] = [
            line for line in server.handle.log().splitlines() if " ERROR " in line
        ][:20]
        server.handle.stop()
    if with_baseline:
        log(f"{scale}: pandas baseline ({baseline_runs or runs} runs)")
        result["baseline"] = baseline(url, codes["nb"], period, baseline_runs or runs)
    return result


def _safe_url(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


# ---- tables ----------------------------------------------------------------------------


def stats(values: list[float]) -> dict[str, float] | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _fmt(s: dict[str, float] | None, digits: int = 2, scale: float = 1.0) -> str:
    if s is None:
        return "–"
    med, lo, hi = (s[k] * scale for k in ("median", "min", "max"))
    return f"**{med:.{digits}f}** ({lo:.{digits}f}–{hi:.{digits}f})"


def summarise(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the table: kind × cold/warm with stats and ratios."""
    rows = []
    base = stats(result.get("baseline", {}).get("times", []))
    for kind, data in result["kinds"].items():
        if data.get("missing"):
            continue
        floor = stats(data["floor"]["times"])
        for mode in ("cold", "warm"):
            vs = [v for v in data["visits"] if v["mode"] == mode]
            script = stats([v["script_s"] for v in vs])
            row = {
                "kind": kind,
                "path": data["path"],
                "mode": mode,
                "n": len(vs),
                "script_s": script,
                "cpu_s": stats([v["cpu_s"] for v in vs]),
                "page_s": stats([v["page_s"] for v in vs]),
                "sql_s": stats([v["sql_s"] for v in vs]),
                "statements": stats([v["statements"] for v in vs]),
                "kb": stats([v["bytes_ws"] / 1024 for v in vs]),
                "peak_mb": stats([v["peak_mb"] for v in vs]),
                "load_s": stats([v["load_s"] for v in vs]),
                "floor_s": floor,
                "tuned_floor_s": stats(data.get("tuned_floor", {}).get("times", [])),
                "x_floor": script["median"] / floor["median"]
                if floor and floor["median"]
                else None,
                "x_pandas": script["median"] / base["median"] if base else None,
            }
            rows.append(row)
    return rows


def markdown(result: dict[str, Any]) -> str:
    codes = result["codes"]
    lines = [
        f"### {result['scale']} ({codes['neighbourhoods']:,} 읍면동, {codes['cases']:,} cases, "
        f"{codes['services']:,} services)",
        "",
        "| page | run | n | script s | CPU s | page s | SQL s | stmts | KB sent | peak MB "
        "| floor s | ×floor | ×pandas |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in summarise(result):
        stmts = r["statements"]["median"] if r["statements"] else 0
        lines.append(
            f"| {r['kind']} `{r['path']}` | {r['mode']} | {r['n']} | {_fmt(r['script_s'])} "
            f"| {_fmt(r['cpu_s'])} | {_fmt(r['page_s'])} | {_fmt(r['sql_s'], 3)} | {stmts:.0f} | {_fmt(r['kb'], 0)} "
            f"| {_fmt(r['peak_mb'], 0)} | {_fmt(r['floor_s'], 3)} "
            f"| {_ratio(r['x_floor'])} | {_ratio(r['x_pandas'])} |"
        )
    tuned = [
        f"{r['kind']} {r['tuned_floor_s']['median']:.3f} s (default {r['floor_s']['median']:.3f})"
        for r in summarise(result)
        if r["mode"] == "cold" and r["tuned_floor_s"]
    ]
    if tuned:
        lines += ["", f"Floor with `{result.get('tuned', '')}`: " + ", ".join(tuned) + "."]
    missing = [k for k, d in result["kinds"].items() if d.get("missing")]
    if missing:
        lines += ["", "No such page in this build: " + ", ".join(missing) + "."]
    first = result.get("first_visit")
    if first:
        lines += ["", f"First visit after the server started (`{first['path']}`, imports included): "
                  f"{first['script_s']:.2f} s script, peak {first['peak_mb']:.0f} MB."]  # fmt: skip
    base = result.get("baseline")
    if base:
        lines += [
            "",
            f"pandas baseline (neighbourhood page's headline metrics, "
            f"{base['rows']:,} rows read whole): {_fmt(stats(base['times']))} s "
            f"(reading {_fmt(stats(base['read_s']))} s, computing "
            f"{_fmt(stats(base['compute_s']))} s), peak {_fmt(stats(base['peak_mb']), 0)} MB.",
        ]
    if result.get("server_log_errors"):
        lines += ["", f"**Server log errors: {len(result['server_log_errors'])}** (see JSON)."]
    return "\n".join(lines) + "\n"


def _ratio(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": Path("/proc/loadavg").read_text().split()[:3],
    }
    with contextlib.suppress(Exception):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["memory_gb"] = round(_status_meminfo() / 1024 / 1024, 1)
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()  # fmt: skip
        info["commit"] = commit
    return info


def _status_meminfo() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def postgres_settings(url: str) -> dict[str, str]:
    names = ("server_version", "shared_buffers", "work_mem", "effective_cache_size",
             "random_page_cost", "max_parallel_workers_per_gather", "jit")  # fmt: skip
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        found = {n: conn.execute(sa.text(f"SHOW {n}")).scalar() for n in names}
    engine.dispose()
    return found


# ---- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(SCALES), help="city,province,nation")
    parser.add_argument("--pages", default=",".join(KINDS), help="page kinds, in order")
    parser.add_argument("--runs", type=int, help="cold and warm visits per page (5; quick: 2)")
    parser.add_argument("--period", default="2025")
    parser.add_argument("--reuse", action="store_true",
                        help="use existing databases (itda_<scale>, or --database) "
                        "instead of building them")  # fmt: skip
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="SCALE=URL|NAME",
        help="the database of a scale (a URL, or a local PostgreSQL name)",
    )
    parser.add_argument("--sqlite", action="store_true", help="build into temporary SQLite files")
    parser.add_argument("--keep", action="store_true", help="keep the databases it built")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="city scale only (SQLite unless --reuse), 2 runs, short output",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--baseline-runs", type=int, help="pandas baseline runs (default: --runs)")
    parser.add_argument("--floor-runs", type=int, help="floor replays per kind (default: --runs)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per page load")
    parser.add_argument(
        "--kind-budget",
        type=float,
        default=300,
        help="seconds per page kind after which runs stop (at least 2)",
    )
    parser.add_argument(
        "--tuned",
        default="",
        metavar="NAME=VALUE;…",
        help="PostgreSQL session settings for a second floor replay, e.g. "
        "'work_mem=64MB;jit=off;random_page_cost=1.1'",
    )
    parser.add_argument(
        "--keep-sql", action="store_true", help="put each kind's statements in the JSON"
    )
    parser.add_argument(
        "--fresh-tabs",
        action="store_true",
        help="load every visit in the tab anew (a new session) instead of navigating in the app",
    )
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--markdown", type=Path, help="write the tables here")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales = "city"
        if not args.reuse:
            args.sqlite = True
    args.runs = args.runs or (2 if args.quick else 5)
    scales = [s for s in args.scales.split(",") if s]
    kinds = [k for k in args.pages.split(",") if k]
    for name in scales + kinds:
        if name not in SCALES + KINDS:
            parser.error(f"unknown scale or page kind {name!r}")
    given = dict(item.split("=", 1) for item in args.database)
    tuned = dict(item.strip().split("=", 1) for item in args.tuned.split(";") if item.strip())
    work = Path(tempfile.mkdtemp(prefix="itda-bench-pages-"))
    report: dict[str, Any] = {"machine": machine(), "runs": args.runs, "period": args.period,
                              "scales": []}  # fmt: skip
    built: list[str] = []
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            executable = shutil.which("chromium")
            if executable is None:
                sys.exit("Debian's chromium is needed (apt install chromium)")
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for scale in scales:
                if scale in given:
                    url = given[scale] if "://" in given[scale] else pg_url(given[scale])
                elif args.reuse:
                    url = pg_url(f"itda_{scale}")
                elif args.sqlite:
                    url = f"sqlite:///{work / f'{scale}.db'}"
                else:
                    url = pg_url(f"itda_bench_{scale}")
                build_s = None
                if not args.reuse and scale not in given:
                    log(f"{scale}: building the demo into {_safe_url(url)}")
                    build_s = build(scale, url)
                    built.append(url)
                result = measure_scale(
                    browser, scale, url, kinds, args.runs, args.period, args.timeout,
                    args.kind_budget, work, not args.no_baseline, tuned, args.keep_sql,
                    args.fresh_tabs, args.baseline_runs, args.floor_runs or args.runs,
                    args.json.with_suffix(f".{scale}.partial.json") if args.json else None,
                )  # fmt: skip
                result["build_s"] = build_s
                result["tuned"] = args.tuned
                if url.startswith("postgresql"):
                    result["postgres"] = postgres_settings(url)
                report["scales"].append(result)
                if not args.quick:
                    print(markdown(result), flush=True)
            browser.close()
    finally:
        if not args.keep:
            for url in built:
                drop(url)
        shutil.rmtree(work, ignore_errors=True)
    report["machine"]["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    text = "".join(markdown(r) + "\n" for r in report["scales"])
    if args.quick:
        for r in report["scales"]:
            for row in summarise(r):
                print(f"{r['scale']:5} {row['kind']:9} {row['mode']} script "
                      f"{row['script_s']['median']:.2f} s (CPU {row['cpu_s']['median']:.2f}), SQL {row['sql_s']['median']:.3f} s, "
                      f"{row['kb']['median']:.0f} KB, peak {row['peak_mb']['median']:.0f} MB")  # fmt: skip
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        for r in report["scales"]:
            r["table"] = summarise(r)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
