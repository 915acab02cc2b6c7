"""Per-run profiling of the dashboard: script time, SQL time and statements, one JSON line a run.

Off by default (`ITDA_PROFILE` empty): `script_run()` then only reads the setting, no
engine listener is installed and nothing is timed. On, every script run of `dashboard.py`
writes one JSON line (to the file `ITDA_PROFILE` names, or to the server log when it is
`log`):

    {"ts": …, "pid": …, "session": "…", "page": "nb-4420051000", "script_s": 0.41,
     "cpu_s": 0.30, "page_s": 0.33, "sql_s": 0.12, "statements": 23, "status": "ok",
     "cleared": false}

- `script_s`: the whole script run (filters, navigation, the page), wall time; `cpu_s`: the
  CPU time of the run's thread (Python's own work, without waiting for the database or for
  a core on a busy machine); `page_s`: the page's
  own part (`page.run()`, as dashboard.py logs it as "page … drawn in"), absent when the run
  was interrupted (a rerun or `st.stop()`, `status` says which).
- `sql_s` and `statements`: the time spent in the database driver's `execute` (the
  statement and, for PostgreSQL's psycopg, fetching its rows) and the number of statements,
  summed over the statements this run's thread executed (SQLAlchemy's
  `before_cursor_execute`/`after_cursor_execute`). Streamlit runs a session's script in a
  thread of its own, so runs of several sessions are counted apart.
- `ITDA_PROFILE_STATEMENTS=1` adds `sql`: every statement as the driver got it (text and
  parameters, dates and decimals tagged, see `encode`), which `benchmarks/bench_pages.py`
  replays to time the SQL alone. Benchmarks only: parameters are filter values.
- `ITDA_PROFILE_COLD_FILE=PATH`: a run that finds the file PATH deletes it and clears the
  app's data caches (`st.cache_data`) before it starts, so that a benchmark can measure a
  page with empty caches in a running server. Only who may write PATH can do that; there
  is no address that clears caches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from lib import config

_log = logging.getLogger("itda.profile")
_local = threading.local()
_installed = False
_install_lock = threading.Lock()
_write_lock = threading.Lock()


class _Run:
    """What one script run has measured so far."""

    def __init__(self, keep_statements: bool) -> None:
        self.started = time.perf_counter()
        self.cpu_started = time.thread_time()
        self.sql_s = 0.0
        self.statements = 0
        self.keep = keep_statements
        self.sql: list[dict[str, Any]] = []
        self.page: str | None = None
        self.page_s: float | None = None
        self._pending: list[float] = []

    def before(self) -> None:
        self._pending.append(time.perf_counter())

    def after(self, statement: str, parameters: Any) -> None:
        if not self._pending:
            return
        seconds = time.perf_counter() - self._pending.pop()
        self.sql_s += seconds
        self.statements += 1
        if self.keep:  # encoded when the line is written, after the run's time is taken
            self.sql.append({"s": seconds, "sql": statement, "params": parameters})


def _before(conn, cursor, statement, parameters, context, executemany) -> None:
    run = getattr(_local, "run", None)
    if run is not None:
        run.before()


def _after(conn, cursor, statement, parameters, context, executemany) -> None:
    run = getattr(_local, "run", None)
    if run is not None:
        run.after(statement, parameters)


def _failed(context) -> None:
    run = getattr(_local, "run", None)
    if run is not None and run._pending:  # a failed statement has no after_cursor_execute
        run._pending.pop()


def _install() -> None:
    """Listen to every engine's statements (once per process, only when profiling is on)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import sqlalchemy as sa
        from sqlalchemy.engine import Engine

        sa.event.listen(Engine, "before_cursor_execute", _before)
        sa.event.listen(Engine, "after_cursor_execute", _after)
        sa.event.listen(Engine, "handle_error", _failed)
        _installed = True


def enabled() -> bool:
    return bool(str(config.get("ITDA_PROFILE")).strip())


def _clear_if_asked() -> bool:
    """Clear the data caches when the cold-run file exists (and remove it); True if so."""
    path = str(config.get("ITDA_PROFILE_COLD_FILE")).strip()
    if not path:
        return False
    try:
        os.remove(path)
    except FileNotFoundError:
        return False
    import streamlit as st

    st.cache_data.clear()
    return True


def _session_id() -> str | None:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx.session_id if ctx else None
    except Exception:  # outside Streamlit
        return None


def note_page(path: str, page_seconds: float) -> None:
    """Record which page this run drew and how long the page itself took (no-op when off)."""
    run = getattr(_local, "run", None)
    if run is not None:
        run.page, run.page_s = path, page_seconds


@contextlib.contextmanager
def script_run() -> Iterator[None]:
    """Measure the script run inside; write its line at the end (also after a rerun/stop)."""
    if not enabled():
        yield
        return
    _install()
    cleared = _clear_if_asked()
    run = _Run(bool(config.get("ITDA_PROFILE_STATEMENTS")))
    _local.run = run
    status = "ok"
    try:
        yield
    except BaseException as exc:  # Streamlit's rerun and stop are BaseExceptions
        status = type(exc).__name__
        raise
    finally:
        _local.run = None
        script_s = time.perf_counter() - run.started
        cpu_s = time.thread_time() - run.cpu_started
        line = {
            "ts": time.time(),
            "pid": os.getpid(),
            "session": _session_id(),
            "page": run.page,
            "script_s": round(script_s, 6),
            "cpu_s": round(cpu_s, 6),
            "page_s": None if run.page_s is None else round(run.page_s, 6),
            "sql_s": round(run.sql_s, 6),
            "statements": run.statements,
            "status": status,
            "cleared": cleared,
        }
        if run.keep:
            line["sql"] = [{**item, "params": encode(item["params"])} for item in run.sql]
        _write(line)


def _write(line: dict[str, Any]) -> None:
    target = str(config.get("ITDA_PROFILE")).strip()
    text = json.dumps(line, ensure_ascii=False)
    if target.lower() == "log":
        _log.info("%s", text)
        return
    try:
        with _write_lock, open(target, "a", encoding="utf-8") as out:
            out.write(text + "\n")
    except OSError:  # a profile that cannot be written must not take the page down
        _log.exception("cannot write the profile line to %s", target)


# ---- statements' parameters as JSON and back ------------------------------------------


def encode(value: Any) -> Any:
    """A driver parameter (dict, tuple, list or scalar) as JSON, types kept by tags."""
    if isinstance(value, dict):
        return {"$dict": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"$list" if isinstance(value, list) else "$tuple": [encode(v) for v in value]}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$dict":
            return {k: decode(v) for k, v in inner.items()}
        if tag == "$list":
            return [decode(v) for v in inner]
        if tag == "$tuple":
            return tuple(decode(v) for v in inner)
        if tag == "$datetime":
            return dt.datetime.fromisoformat(inner)
        if tag == "$date":
            return dt.date.fromisoformat(inner)
        if tag == "$decimal":
            return decimal.Decimal(inner)
        if tag == "$bytes":
            return bytes.fromhex(inner)
    return value
