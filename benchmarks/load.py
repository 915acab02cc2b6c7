"""Many browser sessions on one server: `python benchmarks/load.py --sessions 30 --minutes 3`.

    python benchmarks/load.py --sessions 30 --minutes 3 --import-every 30 --json load.json
    python benchmarks/load.py --sessions 4 --minutes 0.67 --ramp-seconds 4 --think-min 1
        --think-max 4 --import-every 10              # (one line) tests/test_load_quick.py
    python benchmarks/load.py --postgres ...            # a temporary PostgreSQL database instead
    python benchmarks/load.py --database-url URL ...    # an existing database, read only
    python benchmarks/load.py --database-url URL --base-url http://host:8501 ...   # a running server

It builds the demo city (한빛시, `lib.cli demo --scale city`) into a temporary SQLite file
(or, with `--postgres`, a temporary database on 127.0.0.1 that it drops afterwards), starts
one app server (`streamlit run app.py`, headless, loopback, open access) and drives
`--sessions` browser sessions at once: Debian's Chromium, headless, one browser context per
session (`--browsers` processes share them), all from one asyncio loop (Playwright's async
API). Each session opens a first page by its address, then moves through a mix of pages
(overview `/`, neighbourhood pages `nb-<code>`, donations, case sharing, agency pages; mostly
this year, some a half-year or a year compared with the year before) as a person does: in the
app (the browser's history, no reload) with `--think-min`…`--think-max` seconds between
pages, and now and then (`--reload-share`) by loading an address anew.

A page has **finished** when the app is connected, a script run that ended after the
navigation is the last one (nothing running for 0.3 s after it), no skeleton is left and
every chart has drawn (an SVG or canvas). The time to that moment is measured in the browser
(a MutationObserver on Streamlit's script state, checked every 100 ms). Then the page is
checked for errors: a Python exception element (`stException`), an error alert, a section's
failure sentence, a "page not found" dialog, a JavaScript error, the WebSocket closing or the
app disconnecting, a page that does not finish within `--page-timeout`; and the server log
for tracebacks. Meanwhile the server's memory (VmRSS, /proc) is sampled every 0.5 s and the
CPU time of the server, of Chromium's processes and of the whole machine is taken.

`--import-every N` imports a workbook every N seconds while the sessions run, alternately
moving one donation of this year's neighbourhood X to the same day a year earlier and back
(two one-row workbooks, upsert). That changes the 모금액 tile's value and its change against
the year before on the overview, the donations page and X's page, and the city's value under
X's tile, each from a computation of its own. Before the load each of those pages is read
once in either state; every such page finished during the load must show exactly the figures
of one state (`consistency`), never old and new mixed.

Prints a table, and everything as JSON with `--json FILE`. Figures: docs/performance.md
("Load"); how to read them: benchmarks/README.md ("Load").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from lib.i18n import t  # noqa: E402
from tests.server import start_streamlit  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 800}
SAMPLE_S = 0.5  # memory sampling interval
SETTLE_S = 0.3  # nothing runs for this long after the last run: the page has finished
POLL_MS = 100  # the browser checks for "finished" this often
TILE = "모금액"  # the tile the import changes (donations raised)
ERROR_TEXT = t("error.page", "ko")
NOT_FOUND = t("nav.not_found", "ko")

# Runs in every page before its own scripts: remembers when a script run starts and ends.
OBSERVER_JS = """
(() => {
  const s = window.__itda = {runs: 0, lastEnd: 0, lastStart: 0, state: null};
  const now = () => performance.timeOrigin + performance.now();
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.getAttribute('data-testid') !== 'stApp') continue;
      const v = el.getAttribute('data-test-script-state');
      if (v === s.state) continue;
      if (v === 'running') s.lastStart = now();
      if (v === 'notRunning' && s.state !== null) { s.runs += 1; s.lastEnd = now(); }
      s.state = v;
    }
  }).observe(document, {attributes: true, subtree: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""

# True (the time, ms since the epoch) once a run ended after `since` and the page is whole.
FINISHED_JS = """
(since) => {
  const s = window.__itda;
  const app = document.querySelector('[data-testid=stApp]');
  if (!s || !app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (s.lastEnd < since) return false;
  if (document.querySelector('[data-testid=stSkeleton]')) return false;
  for (const c of document.querySelectorAll('[data-testid=stVegaLiteChart]')) {
    if (!c.querySelector('svg, canvas')) return false;
  }
  return performance.timeOrigin + performance.now();
}
"""

# What a finished page shows that counts as an error, and the donations tile's figures.
INSPECT_JS = """
([errorText, notFound, tile]) => {
  const q = (sel) => Array.from(document.querySelectorAll(sel));
  const alerts = q('[data-testid=stAlert]').map((a) => a.innerText);
  const figures = [];
  for (const m of q('[data-testid=stMetric]')) {
    const label = m.querySelector('[data-testid=stMetricLabel]');
    if (!label || label.innerText.trim() !== tile) continue;
    const value = m.querySelector('[data-testid=stMetricValue]');
    const delta = m.querySelector('[data-testid=stMetricDelta]');
    const column = m.closest('[data-testid=stColumn]') || m.parentElement;
    const notes = Array.from(column.querySelectorAll('[data-testid=stCaptionContainer]'))
      .map((c) => c.innerText.trim());
    figures.push([value ? value.innerText.trim() : '', delta ? delta.innerText.trim() : '',
                  ...notes]);
  }
  const app = document.querySelector('[data-testid=stApp]');
  return {
    exceptions: q('[data-testid=stException]').length,
    error_alerts: q('[data-testid=stAlertContentError]').length,
    section_errors: alerts.filter((a) => a.includes(errorText)).length,
    not_found: q('[role=dialog]').filter((d) => d.innerText.includes(notFound)).length,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
    figures: figures,
  };
}
"""

# Why a page did not finish: what FINISHED_JS looks at.
DIAGNOSE_JS = """
(since) => {
  const app = document.querySelector('[data-testid=stApp]');
  const s = window.__itda || {};
  return {
    url: location.pathname + location.search,
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    runs: s.runs, last_end_after_start_ms: s.lastEnd ? Math.round(s.lastEnd - since) : null,
    skeleton: !!document.querySelector('[data-testid=stSkeleton]'),
    charts_undrawn: Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]'))
      .filter((c) => !c.querySelector('svg, canvas')).length,
    dialogs: Array.from(document.querySelectorAll('[role=dialog]')).map((d) => d.innerText.slice(0, 80)),
  };
}
"""

# In-app navigation, as the browser's Back and Forward do (no reload): returns the start.
NAVIGATE_JS = """
(target) => {
  const started = performance.timeOrigin + performance.now();
  history.pushState({}, '', target);
  window.dispatchEvent(new PopStateEvent('popstate', {state: {}}));
  return started;
}
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- the database ----------------------------------------------------------------------


def build_demo(url: str) -> None:
    command = [sys.executable, "-m", "lib.cli", "--database-url", url, "demo", "--scale", "city"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building the demo city failed:\n{done.stderr[-3000:]}")


def create_postgres(server: str) -> str:
    name = f"itda_load_{os.getpid()}"
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server}/{name}"


def drop_postgres(url: str) -> None:
    made = sa.make_url(url)
    server = made.set(database="postgres")
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{made.database}" WITH (FORCE)'))
    engine.dispose()


@dataclass
class City:
    """What the sessions open: the codes, the year, and the donation the imports move."""

    year: int
    neighbourhoods: list[str]
    agencies: list[str]
    moved: dict[str, Any] | None = None  # the donation row (this year)

    @property
    def watched(self) -> str | None:
        return None if self.moved is None else self.moved["neighbourhood_code"]


def read_city(url: str) -> City:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        nbs = list(conn.execute(sa.text("SELECT code FROM neighbourhood ORDER BY code")).scalars())
        ags = list(conn.execute(sa.text("SELECT code FROM agency ORDER BY code")).scalars())
        last = conn.execute(sa.text("SELECT max(received_on) FROM donation")).scalar()
        year = int(str(last)[:4]) if last else dt.date.today().year
        # This year's largest donation to a neighbourhood, on a day that exists a year earlier.
        row = (
            conn.execute(
                sa.text(
                    "SELECT donation_id, neighbourhood_code, received_on, donor_type, donor_id,"
                    " form, amount_krw FROM donation WHERE neighbourhood_code IS NOT NULL"
                    " AND received_on >= :start AND received_on < :end"
                    " ORDER BY amount_krw DESC, donation_id LIMIT 1"
                ),
                {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 1)},
            )
            .mappings()
            .first()
        )
    engine.dispose()
    moved = None
    if row is not None:
        moved = dict(row)
        moved["received_on"] = dt.date.fromisoformat(str(moved["received_on"])[:10])
    return City(year, nbs, ags, moved)


def donation_workbooks(city: City, folder: Path) -> list[Path]:
    """Two one-row workbooks: the donation as it is (state A) and a year earlier (state B)."""
    import openpyxl

    header = ["후원번호", "읍면동코드", "접수일", "후원자유형", "후원자번호", "후원형태", "금액"]
    paths = []
    d = city.moved
    assert d is not None
    for state, day in (
        ("a", d["received_on"]),
        ("b", d["received_on"].replace(year=city.year - 1)),
    ):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "후원"
        sheet.append(header)
        sheet.append(
            [d["donation_id"], d["neighbourhood_code"], day, d["donor_type"], d["donor_id"],
             d["form"], int(d["amount_krw"])]
        )  # fmt: skip
        path = folder / f"load-donation-{state}.xlsx"
        book.save(path)
        paths.append(path)
    return paths


# ---- measuring processes (/proc) -------------------------------------------------------


def _ticks() -> float:
    return float(os.sysconf("SC_CLK_TCK"))


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _ticks()


def proc_pss_mb(pid: int) -> float:
    """Proportional set size: shared pages divided among the processes sharing them, so a
    sum over Chromium's processes counts the memory they use once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def proc_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(root: int, skip: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        for child in tree.get(pid, []):
            if child != skip:
                found.append(child)
                todo.append(child)
    return found


def _is_chromium(pid: int) -> bool:
    try:
        return "chrom" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / _ticks(), total / _ticks()


class External:
    """A server this command did not start (`--base-url`): no log; its memory and CPU only
    with `--server-pid` (same machine)."""

    def __init__(self, base_url: str, pid: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.process = argparse.Namespace(pid=pid)

    def log(self) -> str:
        return ""


class Sampler(threading.Thread):
    """Every 0.5 s: the server's RSS; Chromium's processes (PSS summed, CPU per process)."""

    def __init__(self, server_pid: int) -> None:
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.rss: list[tuple[float, float]] = []  # (seconds since start, MB)
        self.chromium_rss_peak = 0.0
        self.chromium_cpu: dict[int, float] = {}
        self.chromium_procs_peak = 0
        self.stop_event = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        me = os.getpid()
        chromium: list[int] = []
        scanned = 0.0
        while not self.stop_event.is_set():
            now = time.monotonic() - self.started_at
            if self.server_pid:
                self.rss.append((now, proc_rss_mb(self.server_pid)))
            if now - scanned >= 5 or not chromium:  # walking /proc costs: every 5 s
                chromium = [p for p in descendants(me, skip=self.server_pid) if _is_chromium(p)]
                scanned = now
            self.chromium_rss_peak = max(
                self.chromium_rss_peak, sum(proc_pss_mb(p) for p in chromium)
            )
            self.chromium_procs_peak = max(self.chromium_procs_peak, len(chromium))
            for pid in chromium:
                self.chromium_cpu[pid] = max(self.chromium_cpu.get(pid, 0.0), proc_cpu_s(pid))
            self.stop_event.wait(SAMPLE_S)

    def mark(self) -> None:
        """The load starts now: forget the samples so far, keep Chromium's CPU as a base."""
        self.rss.clear()
        self.chromium_rss_peak, self.chromium_procs_peak = 0.0, 0
        self.chromium_base = dict(self.chromium_cpu)

    def chromium_cpu_s(self) -> float:
        base = getattr(self, "chromium_base", {})
        return sum(cpu - base.get(pid, 0.0) for pid, cpu in self.chromium_cpu.items())

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


# ---- the sessions ----------------------------------------------------------------------


@dataclass
class Visit:
    session: int
    kind: str
    url: str
    how: str  # "load" (the address opened anew) | "app" (in-app navigation)
    started: float  # seconds since the load began
    finished_s: float | None = None
    errors: list[str] = field(default_factory=list)
    figures: list[list[str]] | None = None
    checked: str | None = None  # the consistency key (page) when its figures are checked
    state: str | None = None  # "a", "b" or "mixed" for checked pages
    retried: bool = False  # an in-app step that started no run, loaded by address instead


@dataclass
class Plan:
    """Which pages the sessions open, and how."""

    city: City
    rng: random.Random
    reload_share: float

    def next(self, current: str | None) -> tuple[str, str, str | None]:
        """(kind, path?query, consistency key or None)."""
        while True:
            kind, path, key = self._choose()
            if path != current:
                return kind, path, key

    def _choose(self) -> tuple[str, str, str | None]:
        rng, year = self.rng, self.city.year
        kind = rng.choices(
            ["overview", "nb", "donations", "network", "agency"], weights=[3, 4, 2, 1, 2]
        )[0]
        if kind == "nb":
            watched = self.city.watched
            code = (
                watched if watched and rng.random() < 0.5 else rng.choice(self.city.neighbourhoods)
            )
            path = f"/nb-{code}"
        elif kind == "agency":
            path = "/agency-" + re.sub(r"[^A-Za-z0-9_-]", "_", rng.choice(self.city.agencies))
        else:
            path = {"overview": "/", "donations": "/city-donations", "network": "/case-sharing"}[
                kind
            ]
        roll = rng.random()
        if roll < 0.6:
            query = f"period={year}"  # compared with the year before (전기)
        elif roll < 0.75:
            query = f"period={year}-H1"
        elif roll < 0.9:
            query = f"period={year - 1}&compare=yoy"
        else:
            query = ""  # the default period (this year to date)
        key = None
        if query == f"period={year}" and (
            kind in ("overview", "donations") or path == f"/nb-{self.city.watched}"
        ):
            key = path
        return kind, path + (f"?{query}" if query else ""), key


class Load:
    def __init__(self, args: argparse.Namespace, base_url: str, plan: Plan) -> None:
        self.args, self.base_url, self.plan = args, base_url, plan
        self.visits: list[Visit] = []
        self.t0 = time.monotonic()
        self.deadline = self.t0 + args.ramp_seconds + args.minutes * 60
        self.states: dict[str, dict[str, list]] = {}  # page → {"a": figures, "b": figures}
        self.imports: list[dict[str, Any]] = []
        self.session_errors: list[str] = []
        self.contexts: dict[int, Any] = {}

    def now(self) -> float:
        return time.monotonic() - self.t0

    async def run_started(self, page, since_ms: float) -> bool:
        """True once a script run started (or ended) after `since_ms`; False after
        `--nav-grace` seconds without one."""
        try:
            await page.wait_for_function(
                "(since) => window.__itda && Math.max(window.__itda.lastStart,"
                " window.__itda.lastEnd) >= since",
                arg=since_ms,
                polling=POLL_MS,
                timeout=self.args.nav_grace * 1000,
            )
        except Exception as exc:
            if "Timeout" in type(exc).__name__:
                return False
            raise
        return True

    async def wait_finished(self, page, since_ms: float) -> float:
        """The moment (ms since the epoch) the page finished; raises on a timeout."""
        limit = self.args.page_timeout * 1000
        while True:
            handle = await page.wait_for_function(
                FINISHED_JS, arg=since_ms, polling=POLL_MS, timeout=limit
            )
            done_ms = await handle.json_value()
            runs = await page.evaluate("window.__itda.runs")
            await asyncio.sleep(SETTLE_S)
            state = await page.evaluate(
                "[window.__itda.runs, document.querySelector('[data-testid=stApp]')"
                ".getAttribute('data-test-script-state')]"
            )
            if state == [runs, "notRunning"]:
                return done_ms
            since_ms = done_ms + 1  # another run started (a rerun): wait for its end

    async def open(self, page, visit: Visit, socket: dict[str, Any]) -> None:
        since = 0.0
        try:
            if visit.how == "load":
                since = time.time() * 1000
                await page.goto(self.base_url + visit.url, wait_until="commit")
            else:
                since = await page.evaluate(NAVIGATE_JS, visit.url)
                if not await self.run_started(page, since):
                    # Now and then (under load) the frontend takes the history step without
                    # asking the server for a run: a person would click again. Load the
                    # address instead, time it from there, and count it.
                    visit.retried = True
                    since = time.time() * 1000
                    await page.goto(self.base_url + visit.url, wait_until="commit")
            done = await self.wait_finished(page, since)
            visit.finished_s = (done - since) / 1000
            seen = await page.evaluate(INSPECT_JS, [ERROR_TEXT, NOT_FOUND, TILE])
        except Exception as exc:  # a timeout, a crashed tab: the page never finished
            name = "timeout" if "Timeout" in type(exc).__name__ else "browser"
            visit.errors.append(name)
            detail = str(exc)[:200]
            with contextlib.suppress(Exception):
                detail = json.dumps(await page.evaluate(DIAGNOSE_JS, since), ensure_ascii=False)
            self.session_errors.append(f"{name} {visit.how} {visit.url}: {detail}"[:600])
            return
        for kind in ("exceptions", "error_alerts", "section_errors", "not_found"):
            visit.errors += [kind] * int(seen[kind])
        if seen["connection"] != "CONNECTED":
            visit.errors.append("disconnected")
        if socket["closed"]:  # the page's own stream closed under it
            visit.errors.append("websocket_closed")
        visit.figures = seen["figures"]

    async def session(self, number: int, browser) -> None:
        args = self.args
        rng = random.Random(args.seed * 1000 + number)
        plan = Plan(self.plan.city, rng, args.reload_share)
        await asyncio.sleep(args.ramp_seconds * number / max(1, args.sessions))
        context = await self.context_for(number, browser)
        page = await context.new_page()
        socket: dict[str, Any] = {"ws": None, "closed": False}  # this document's stream
        js_errors: list[str] = []

        def on_close(ws) -> None:
            if socket["ws"] is ws:
                socket["closed"] = True

        def on_ws(ws) -> None:
            if "/_stcore/stream" in ws.url:
                socket.update(ws=ws, closed=False)
                ws.on("close", on_close)

        page.on("websocket", on_ws)
        page.on("pageerror", lambda exc: js_errors.append(str(exc)[:200]))
        current = None
        try:
            while time.monotonic() < self.deadline:
                kind, url, key = plan.next(current)
                # The frontend reruns on a history step to another page only: the same page
                # with other query parameters is opened by its address.
                same_page = current is not None and url.split("?")[0] == current.split("?")[0]
                fresh = current is None or same_page or rng.random() < args.reload_share
                how = "load" if fresh else "app"
                visit = Visit(number, kind, url, how, round(self.now(), 2), checked=key)
                errors_before = len(js_errors)
                await self.open(page, visit, socket)
                if len(js_errors) > errors_before:
                    visit.errors.append("js_error")
                    self.session_errors += js_errors[errors_before:]
                self.check(visit)
                self.visits.append(visit)
                if "timeout" in visit.errors or "browser" in visit.errors:
                    current = None  # start again from a fresh load
                else:
                    current = url
                think = rng.uniform(args.think_min, args.think_max)
                await asyncio.sleep(max(0.0, min(think, self.deadline - time.monotonic())))
        finally:
            await page.close()

    async def context_for(self, number: int, browser):
        """The browser context of session `number`: its own, or shared by
        `--tabs-per-context` sessions (tabs of one profile share the HTTP and code caches;
        each tab is still a Streamlit session of its own)."""
        group = number // max(1, self.args.tabs_per_context)
        if group not in self.contexts:
            context = await browser.new_context(
                locale="ko-KR", timezone_id="Asia/Seoul", viewport=VIEWPORT
            )
            await context.add_init_script(OBSERVER_JS)
            self.contexts[group] = context
        return self.contexts[group]

    def check(self, visit: Visit) -> None:
        if visit.checked is None or visit.figures is None or visit.checked not in self.states:
            visit.checked = None
            return
        expected = self.states[visit.checked]
        for state, figures in expected.items():
            if visit.figures == figures:
                visit.state = state
                return
        visit.state = "mixed"

    async def calibrate(self, browser, books: list[Path], engine) -> None:
        """Read the checked pages once in either state (A as built, then B, then A)."""
        city = self.plan.city
        pages = ["/", "/city-donations", f"/nb-{city.watched}"]
        context = await browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul",
                                            viewport=VIEWPORT)  # fmt: skip
        await context.add_init_script(OBSERVER_JS)
        page = await context.new_page()
        try:
            for state, book in (("a", books[0]), ("b", books[1])):
                await asyncio.to_thread(self.run_import, engine, book, state, calibrating=True)
                await asyncio.sleep(2.5)  # the data version is polled every 2 s
                for path in pages:
                    since = time.time() * 1000
                    await page.goto(
                        f"{self.base_url}{path}?period={city.year}", wait_until="commit"
                    )
                    await self.wait_finished(page, since)
                    seen = await page.evaluate(INSPECT_JS, [ERROR_TEXT, NOT_FOUND, TILE])
                    self.states.setdefault(path, {})[state] = seen["figures"]
            await asyncio.to_thread(self.run_import, engine, books[0], "a", calibrating=True)
        finally:
            await context.close()
        for path, states in self.states.items():
            if not states["a"] or states["a"] == states["b"]:
                sys.exit(f"the import does not change what {path} shows: {states}")

    def run_import(self, engine, book: Path, state: str, calibrating: bool = False) -> None:
        from lib.ingest.importer import import_path

        started = time.perf_counter()
        result = import_path(engine, book, user="load-benchmark")
        record = {
            "at": round(self.now(), 2),
            "state": state,
            "seconds": round(time.perf_counter() - started, 3),
            "ok": result.ok,
            "calibration": calibrating,
        }
        if not result.ok:
            record["failure"] = str(result.failure or result.problems[:3])[:300]
        self.imports.append(record)

    async def importer(self, books: list[Path], engine) -> None:
        every = self.args.import_every
        state = 0
        while True:
            await asyncio.sleep(every)
            if time.monotonic() >= self.deadline:
                return
            state = 1 - state
            await asyncio.to_thread(self.run_import, engine, books[state], "ab"[state])


async def drive(args: argparse.Namespace, base_url: str, plan: Plan, books, engine, mark) -> Load:
    from playwright.async_api import async_playwright

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("Chromium is not installed (Debian's 'chromium' package).")
    load = Load(args, base_url, plan)
    async with async_playwright() as pw:
        browsers = [
            await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for _ in range(max(1, args.browsers))
        ]
        try:
            if books:
                log("reading the checked pages in both states")
                await load.calibrate(browsers[0], books, engine)
            load.t0 = time.monotonic()
            load.deadline = load.t0 + args.ramp_seconds + args.minutes * 60
            mark()  # CPU and memory count from here
            log(f"{args.sessions} sessions for {args.minutes} min")
            tasks = [
                asyncio.create_task(
                    load.session(i, browsers[(i // args.tabs_per_context) % len(browsers)])
                )
                for i in range(args.sessions)
            ]
            if books and args.import_every:
                tasks.append(asyncio.create_task(load.importer(books, engine)))
            results = await asyncio.gather(*tasks, return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException):
                    load.session_errors.append(f"session failed: {result!r}"[:300])
            for context in load.contexts.values():
                await context.close()
        finally:
            for browser in browsers:
                await browser.close()
    return load


# ---- the report ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]  # nearest rank


def times(visits: list[Visit]) -> dict[str, Any]:
    done = [v.finished_s for v in visits if v.finished_s is not None]
    return {
        "pages": len(visits),
        "finished": len(done),
        "p50_s": _round(percentile(done, 50)),
        "p95_s": _round(percentile(done, 95)),
        "max_s": _round(max(done) if done else None),
        "mean_s": _round(statistics.fmean(done) if done else None),
    }


DRAWN = re.compile(r"page \S+ drawn in ([0-9.]+) s")


def _drawn(server_log: str) -> dict[str, Any]:
    seconds = [float(m.group(1)) for m in DRAWN.finditer(server_log)]
    return {
        "runs": len(seconds),
        "p50_s": _round(percentile(seconds, 50)),
        "p95_s": _round(percentile(seconds, 95)),
        "max_s": _round(max(seconds) if seconds else None),
    }


def _per(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


SERVER_ERROR = re.compile(r"Traceback|\bERROR\b|Exception in ")


def report(args, load: Load, sampler: Sampler, server_log: str, cpu: dict, info: dict) -> dict:
    visits = load.visits
    errors: dict[str, int] = {}
    for v in visits:
        for kind in v.errors:
            errors[kind] = errors.get(kind, 0) + 1
    log_errors = [line[:300] for line in server_log.splitlines() if SERVER_ERROR.search(line)]
    if log_errors:
        errors["server_log"] = len(log_errors)
    rss = [mb for _, mb in sampler.rss]
    finished = sum(1 for v in visits if v.finished_s is not None)
    duration = cpu["wall_s"]
    checked = [v for v in visits if v.checked is not None]
    result = {
        "machine": info,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "database": args.database,
        "sessions": args.sessions,
        "browsers": max(1, args.browsers),
        "tabs_per_context": args.tabs_per_context,
        "minutes": args.minutes,
        "ramp_seconds": args.ramp_seconds,
        "think_s": [args.think_min, args.think_max],
        **times(visits),
        "by_how": {how: times([v for v in visits if v.how == how]) for how in ("load", "app")},
        "by_kind": {
            kind: times([v for v in visits if v.kind == kind])
            for kind in sorted({v.kind for v in visits})
        },
        "errors": errors,
        "app_steps_loaded_instead": sum(1 for v in visits if v.retried),
        "error_count": sum(errors.values()),
        "error_examples": [{"url": v.url, "errors": v.errors} for v in visits if v.errors][:10]
        + [{"detail": d} for d in load.session_errors[:10]]
        + [{"server_log": line} for line in log_errors[:10]],
        "server_rss_mb": {
            "start": _round(rss[0] if rss else None),
            "peak": _round(max(rss) if rss else None),
            "end": _round(rss[-1] if rss else None),
            "samples": len(rss),
            "peak_first_half": _round(max(rss[: len(rss) // 2]) if len(rss) > 1 else None),
            "peak_second_half": _round(max(rss[len(rss) // 2 :]) if len(rss) > 1 else None),
        },
        "cpu": {
            "wall_s": round(duration, 1),
            "server_cores": round(cpu["server_s"] / duration, 2) if sampler.server_pid else None,
            "chromium_cores": round(cpu["chromium_s"] / duration, 2),
            "driver_cores": round(cpu["driver_s"] / duration, 2),
            "machine_busy_cores": round(cpu["machine_busy_s"] / duration, 2),
            # CPU seconds per finished page: what one page costs each side
            "server_s_per_page": _per(cpu["server_s"], finished) if sampler.server_pid else None,
            "chromium_s_per_page": _per(cpu["chromium_s"], finished),
            "load_average_end": Path("/proc/loadavg").read_text().split()[:3],
        },
        "chromium": {
            "peak_pss_mb": round(sampler.chromium_rss_peak, 1),
            "peak_processes": sampler.chromium_procs_peak,
        },
        "imports": [i for i in load.imports if not i["calibration"]],
        # The server's own part: each run's page drawn (dashboard.py logs "page … drawn in").
        "server_page_drawn": _drawn(server_log),
        # Script runs that found newer data than they started with and ran again (lib.ui.snapshot).
        "reruns_for_new_data": server_log.count("data changed during a script run"),
        "consistency": None,
    }
    if load.states:
        states = {}
        for v in checked:
            states[v.state] = states.get(v.state, 0) + 1
        result["consistency"] = {
            "checked_pages": len(checked),
            "states": states,
            "mixed": [{"url": v.url, "figures": v.figures} for v in checked if v.state == "mixed"],
            "expected": load.states,
            "moved_donation": {k: str(val) for k, val in (load.plan.city.moved or {}).items()},
        }
    return result


def table(r: dict) -> str:
    def fmt(value) -> str:
        return "–" if value is None else f"{value}"

    lines = [
        f"Load: {r['sessions']} sessions × {r['minutes']} min on {r['database']} "
        f"({r['browsers']} Chromium process(es)), {r['machine']['date']}",
        "",
        "| pages | opened | finished | p50 s | p95 s | max s | mean s |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [("all", r)] + [(f"by {k}", v) for k, v in r["by_how"].items()]
    rows += [(k, v) for k, v in r["by_kind"].items()]
    for name, v in rows:
        lines.append(
            f"| {name} | {v['pages']} | {v['finished']} | {fmt(v['p50_s'])} | "
            f"{fmt(v['p95_s'])} | {fmt(v['max_s'])} | {fmt(v['mean_s'])} |"
        )
    mem, cpu = r["server_rss_mb"], r["cpu"]
    lines += [
        "",
        f"errors: {r['error_count']} {r['errors'] or ''}; in-app steps that started no run "
        f"(loaded by address instead): {r['app_steps_loaded_instead']}",
        f"server RSS MB: start {fmt(mem['start'])}, peak {fmt(mem['peak'])} "
        f"(first half {fmt(mem['peak_first_half'])}, second half {fmt(mem['peak_second_half'])}),"
        f" end {fmt(mem['end'])}",
        f"CPU cores used on average: server {cpu['server_cores']}, Chromium "
        f"{cpu['chromium_cores']}, this driver {cpu['driver_cores']}, whole machine "
        f"{cpu['machine_busy_cores']} of {r['machine']['cores']}; load average at the end "
        f"{' '.join(cpu['load_average_end'])}",
        f"CPU seconds per finished page: server {fmt(cpu['server_s_per_page'])}, Chromium "
        f"{fmt(cpu['chromium_s_per_page'])}",
        f"server's own page drawing (its log): {r['server_page_drawn']['runs']} runs, p50 "
        f"{fmt(r['server_page_drawn']['p50_s'])} s, p95 {fmt(r['server_page_drawn']['p95_s'])}"
        f" s, max {fmt(r['server_page_drawn']['max_s'])} s",
        f"Chromium: peak memory (PSS) {r['chromium']['peak_pss_mb']} MB over "
        f"{r['chromium']['peak_processes']} processes",
    ]
    if r["consistency"] is not None:
        c = r["consistency"]
        imports = r["imports"]
        lines.append(
            f"imports: {len(imports)} ({sum(1 for i in imports if i['ok'])} ok, median "
            f"{fmt(_round(statistics.median([i['seconds'] for i in imports])) if imports else None)}"
            f" s); runs started again on new data {r['reruns_for_new_data']}; consistency: "
            f"{c['checked_pages']} checked pages, states {c['states']}, mixed {len(c['mixed'])}"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_start": Path("/proc/loadavg").read_text().split()[:3],
    }
    with contextlib.suppress(Exception):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()  # fmt: skip
        info["commit"] = commit
    return info


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=30, help="browser sessions at once (30)")
    p.add_argument("--minutes", type=float, default=3.0, help="how long they run (3)")
    p.add_argument("--ramp-seconds", type=float, default=60.0,
                   help="the sessions start spread over this many seconds (60)")  # fmt: skip
    p.add_argument("--think-min", type=float, default=20.0,
                   help="seconds a person reads a page before the next, least (20)")  # fmt: skip
    p.add_argument("--think-max", type=float, default=60.0, help="… most (60)")
    p.add_argument("--reload-share", type=float, default=0.15,
                   help="share of pages opened by loading their address anew (0.15)")  # fmt: skip
    p.add_argument("--page-timeout", type=float, default=120.0,
                   help="seconds a page may take before it counts as an error (120)")  # fmt: skip
    p.add_argument("--nav-grace", type=float, default=30.0,
                   help="seconds an in-app step may take to start a run before the address "
                   "is loaded instead (30)")  # fmt: skip
    p.add_argument("--browsers", type=int, default=1, help="Chromium processes (1)")
    p.add_argument("--tabs-per-context", type=int, default=1,
                   help="sessions sharing one browser context, as tabs (1: a context each)")  # fmt: skip
    p.add_argument("--import-every", type=float, default=0.0,
                   help="import a workbook every N seconds and check what pages show")  # fmt: skip
    p.add_argument("--postgres", nargs="?", const=PG_SERVER, default=None, metavar="SERVER",
                   help=f"a temporary database on this PostgreSQL server ({PG_SERVER})")  # fmt: skip
    p.add_argument("--database-url", help="an existing database instead (nothing is imported)")
    p.add_argument("--base-url", help="load a running server (e.g. on another machine) on "
                   "--database-url's data instead of starting one")  # fmt: skip
    p.add_argument("--server-pid", type=int, help="with --base-url: its process, to sample")
    p.add_argument("--json", type=Path, help="write the report here too")
    p.add_argument("--seed", type=int, default=13)
    args = p.parse_args(argv)
    if args.base_url and not args.database_url:
        p.error("--base-url needs --database-url (the codes of its pages are read there)")
    if args.database_url and args.import_every:
        p.error("--import-every changes the data: it runs on the temporary demo city only")
    if args.sessions < 1 or args.minutes <= 0 or args.tabs_per_context < 1:
        p.error("--sessions, --minutes and --tabs-per-context must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    work = Path(tempfile.mkdtemp(prefix="itda-load-"))
    made_pg = None
    try:
        if args.database_url:
            url, args.database = args.database_url, "the given database"
        elif args.postgres:
            url = made_pg = create_postgres(args.postgres)
            args.database = "PostgreSQL (temporary demo city)"
        else:
            url = f"sqlite:///{work / 'city.db'}"
            args.database = "SQLite (temporary demo city)"
        if not args.database_url:
            log(f"building the demo city into {args.database}")
            build_demo(url)
        city = read_city(url)
        books: list[Path] = []
        if args.import_every:
            if city.moved is None:
                sys.exit("no donation of this year to move: the consistency check needs one")
            books = donation_workbooks(city, work)
        from lib.db import make_engine

        engine = make_engine(url) if books else None
        env = {"ITDA_DEFAULT_LANG": "ko", "ITDA_ACCESS_MODE": "open"}
        if args.base_url:  # a server of the operator's, perhaps on another machine
            serving = contextlib.nullcontext(External(args.base_url, args.server_pid or 0))
        else:
            serving = start_streamlit(url, env=env, timeout_s=120)
        with serving as server:
            pid = server.process.pid
            sampler = Sampler(pid)
            plan = Plan(city, random.Random(args.seed), args.reload_share)
            base: dict[str, float] = {}

            def mark() -> None:
                sampler.mark()
                base.update(server=proc_cpu_s(pid), driver=time.process_time(),
                            busy=machine_busy()[0], wall=time.monotonic())  # fmt: skip

            sampler.start()
            try:
                load = asyncio.run(drive(args, server.base_url, plan, books, engine, mark))
            finally:
                sampler.stop()
            cpu = {
                "wall_s": time.monotonic() - base["wall"],
                "server_s": proc_cpu_s(pid) - base["server"],
                "chromium_s": sampler.chromium_cpu_s(),
                "driver_s": time.process_time() - base["driver"],
                "machine_busy_s": machine_busy()[0] - base["busy"],
            }
            server_log = server.log()
        if engine is not None:
            engine.dispose()
        result = report(args, load, sampler, server_log, cpu, info)
    finally:
        if made_pg:
            drop_postgres(made_pg)
        shutil.rmtree(work, ignore_errors=True)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
