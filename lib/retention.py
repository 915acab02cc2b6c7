"""The audit log's retention: entries older than ITDA_AUDIT_RETENTION_DAYS are deleted.

An entry is kept while it is at most N days old: the cut is `now - N × 24 h`, an entry
stamped exactly then is kept, one a microsecond older is deleted (`at < cutoff`). 0 keeps
every entry. Each server process (app.py) deletes once at start and then once a day, in a
daemon thread; until the schema exists or while the database is away it tries again every
ten minutes. Several replicas doing the same is harmless (the second DELETE finds
nothing). `purge` is also what an operator's cron could
call (`python -c "from lib import retention; retention.purge()"`, docs/deploy.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lib import config, logs
from lib.models import AuditEvent
from lib.queries import access as q

DAY_SECONDS = 24 * 3600
RETRY_SECONDS = 600
_log = logging.getLogger("itda.retention")
_started: dict[str, threading.Event] = {}
_lock = threading.Lock()


def cutoff(days: int, now: dt.datetime) -> dt.datetime:
    """The oldest time an entry may have and be kept: `now` minus `days` whole days."""
    return now.astimezone(dt.UTC) - dt.timedelta(days=days)


def purge(engine: Engine, days: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete the audit entries older than `days` (default: the setting); how many went."""
    days = int(config.get("ITDA_AUDIT_RETENTION_DAYS")) if days is None else days
    if days < 0:
        raise ValueError(f"ITDA_AUDIT_RETENTION_DAYS must be 0 or more, not {days}")
    if days == 0:
        return 0
    with engine.begin() as conn:
        deleted = q.delete_events_before(conn, cutoff(days, now or dt.datetime.now(dt.UTC)))
    logs.event(_log, "audit_retention", "audit log: %d entries older than %d days deleted",
               deleted, days, days=days, deleted=deleted)  # fmt: skip
    return deleted


def _run(engine: Engine, stop: threading.Event, interval: float, retry: float) -> None:
    while True:
        wait = interval
        try:
            if sa.inspect(engine).has_table(AuditEvent.__tablename__):
                purge(engine)
            else:  # a new database: the first session migrates it
                wait = retry
        except Exception:  # the database may be away: try again soon
            _log.exception("audit retention failed")
            wait = retry
        if stop.wait(wait):
            return


def start(
    engine: Engine, interval: float = DAY_SECONDS, retry: float = RETRY_SECONDS
) -> threading.Event:
    """Purge now and then every `interval` seconds in a daemon thread, once per database
    URL and process; set the returned event to stop it."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if key in _started and not _started[key].is_set():
            return _started[key]
        stop = threading.Event()
        _started[key] = stop
    thread = threading.Thread(
        target=_run, args=(engine, stop, interval, retry), name="itda-audit-retention", daemon=True
    )
    thread.start()
    return stop
