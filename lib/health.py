"""Readiness: `/healthz` answers whether this replica can reach its database.

Streamlit's own `/_stcore/health` says the server process is up (200 `ok`, 503 while it
starts or stops); it never touches the database, so a replica whose database is gone still
looks healthy there. `/healthz` (a route of app.py) runs `SELECT 1` on the configured
database, bounded in time, and answers 200 `ok` or 503 `database unavailable`: a short
fixed body, never the error's text (which may name hosts, users or a traceback). The
reason goes to the server log, as the exception's class.

Which to use (docs/deploy.md): the process supervisor and nginx's passive checks watch
`/_stcore/health`; monitoring and a load balancer that can take a replica out of service
watch `/healthz`. A dead database is not a reason to restart the app (it recovers by itself
when the database returns), so systemd must not act on `/healthz`.
"""

from __future__ import annotations

import functools
import logging

import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from lib import config

_log = logging.getLogger("itda.health")
# A probe must answer quickly: the connection attempt and the query are both bounded.
CHECK_SECONDS = 3
_HEADERS = {"Cache-Control": "no-store"}


@functools.cache
def _probe_engine(url: str) -> sa.Engine:
    """An engine of its own (no pool): a probe neither waits for nor holds a page's
    connection, and a broken pooled connection cannot make it lie."""
    if url.startswith("sqlite"):
        return sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": CHECK_SECONDS})
    return sa.create_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "connect_timeout": CHECK_SECONDS,
            "options": f"-c statement_timeout={CHECK_SECONDS * 1000}",
        },
    )


def database_ready(url: str | None = None) -> bool:
    """True when `SELECT 1` succeeds on the database (default: the DATABASE_URL setting)."""
    try:
        with _probe_engine(url or config.database_url()).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception as exc:  # any failure is "not ready"; its class goes to the log
        _log.warning("readiness: database unavailable (%s)", type(exc).__name__)
        return False


async def readiness(_request: Request) -> PlainTextResponse:
    """GET /healthz: 200 `ok` when the database answers, 503 otherwise."""
    if await run_in_threadpool(database_ready):
        return PlainTextResponse("ok", headers=_HEADERS)
    return PlainTextResponse("database unavailable", status_code=503, headers=_HEADERS)
