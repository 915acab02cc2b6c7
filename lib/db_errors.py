"""Database trouble, classified: what went wrong, in one word, for the page and the CLI.

`classify(exc)` names the kind of a database failure from the error itself (PostgreSQL's
SQLSTATE, SQLite's result code, SQLAlchemy's own pool and disconnect errors), or None when
`exc` is not a database failure. `message(kind, lang)` is the sentence a user reads (the page
adds a retry button, `lib.ui`), `exit_code(kind)` what the CLI returns (BSD sysexits, so a
script can tell "try later" from "fix something"). Tracebacks stay in the server log.

The kinds:
- `unreachable`: no connection could be made (server down, wrong address, database gone or
  not accepting connections, authentication refused).
- `dropped`: the server ended a connection that was in use (restart, `pg_terminate_backend`,
  a network cut); a retry gets a new one at once (`pool_pre_ping` replaces dead ones).
- `timeout`: a statement ran longer than ITDA_STATEMENT_TIMEOUT_SECONDS (PostgreSQL cancelled it).
- `busy`: no connection free in the pool in time, too many connections, a lock or a
  deadlock: the same request will likely work a moment later.
- `read_only`: the database refuses writes (a read-only replica, `default_transaction_read_only`).
- `disk_full`: the database server could not write for lack of space (SQLSTATE 53100).
- `other`: any other database error.
"""

from __future__ import annotations

import sqlalchemy as sa

from lib import config
from lib.i18n import t

UNREACHABLE, DROPPED, TIMEOUT, BUSY = "unreachable", "dropped", "timeout", "busy"
READ_ONLY, DISK_FULL, OTHER = "read_only", "disk_full", "other"
KINDS = (UNREACHABLE, DROPPED, TIMEOUT, BUSY, READ_ONLY, DISK_FULL, OTHER)

# PostgreSQL SQLSTATEs (Appendix A of its manual) that name a kind; classes by 2 characters.
_SQLSTATES = {
    "57014": TIMEOUT,  # query_canceled: statement_timeout
    "25006": READ_ONLY,  # read_only_sql_transaction
    "53100": DISK_FULL,  # disk_full
    "53300": BUSY,  # too_many_connections
    "55P03": BUSY,  # lock_not_available
    "40P01": BUSY,  # deadlock_detected
    "40001": BUSY,  # serialization_failure
    "57P01": DROPPED,  # admin_shutdown: pg_terminate_backend, a fast shutdown
    "57P02": DROPPED,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now: starting up, shutting down
    "3D000": UNREACHABLE,  # invalid_catalog_name: no such database
}
_SQLSTATE_CLASSES = {
    "08": UNREACHABLE,  # connection_exception
    "28": UNREACHABLE,  # invalid_authorization_specification
}
# SQLite result codes (sqlite3 errors carry `sqlite_errorname` since Python 3.11).
_SQLITE = {
    "SQLITE_BUSY": BUSY,
    "SQLITE_LOCKED": BUSY,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_FULL": DISK_FULL,
    "SQLITE_CANTOPEN": UNREACHABLE,
    "SQLITE_INTERRUPT": TIMEOUT,
}
# BSD sysexits: 69 EX_UNAVAILABLE, 75 EX_TEMPFAIL (try again later), 77 EX_NOPERM,
# 74 EX_IOERR; anything else is the CLI's usual failure (1).
_EXIT_CODES = {
    UNREACHABLE: 69,
    DROPPED: 75,
    TIMEOUT: 75,
    BUSY: 75,
    READ_ONLY: 77,
    DISK_FULL: 74,
    OTHER: 1,
}


def _chain(exc: BaseException):
    """`exc` and the exceptions it was raised from or during (at most a few, no cycles)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen and len(seen) < 8:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _sqlstate(orig: BaseException) -> str | None:
    # psycopg 3: `sqlstate`; psycopg2: `pgcode`.
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(code) if code else None


def _kind_of_driver_error(orig: BaseException, invalidated: bool) -> str:
    code = _sqlstate(orig)
    if code:
        if code in _SQLSTATES:
            return _SQLSTATES[code]
        if code[:2] in _SQLSTATE_CLASSES:
            return _SQLSTATE_CLASSES[code[:2]]
        if code == "55000" and "not currently accepting connections" in str(orig):
            return UNREACHABLE  # ALTER DATABASE … ALLOW_CONNECTIONS false
    name = getattr(orig, "sqlite_errorname", None)
    if name:
        # Extended codes (SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT…) by their base.
        for base, kind in _SQLITE.items():
            if name == base or name.startswith(base + "_"):
                return kind
    if invalidated:
        return DROPPED  # SQLAlchemy recognised a disconnect
    text = str(orig).lower()
    if code is None and type(orig).__name__ == "OperationalError":
        # libpq's connection failures carry no SQLSTATE: "connection failed: …",
        # "server closed the connection unexpectedly", "consuming input failed".
        if "server closed the connection" in text or "terminat" in text:
            return DROPPED
        if "connection" in text or "could not connect" in text or "timeout expired" in text:
            return UNREACHABLE
    if "unable to open database file" in text:
        return UNREACHABLE
    return OTHER


def classify(exc: BaseException) -> str | None:
    """The kind of database trouble `exc` is (see the module's docstring), or None."""
    for item in _chain(exc):
        if isinstance(item, sa.exc.TimeoutError):  # QueuePool: no connection free in time
            return BUSY
        if isinstance(item, sa.exc.DBAPIError):
            orig = item.orig if item.orig is not None else item
            return _kind_of_driver_error(orig, bool(item.connection_invalidated))
        if _is_driver_error(item):
            return _kind_of_driver_error(item, False)
    return None


def _is_driver_error(exc: BaseException) -> bool:
    """A DBAPI error raised outside SQLAlchemy (e.g. psycopg's COPY in lib.bulk)."""
    module = type(exc).__module__ or ""
    return (module.startswith("psycopg") or module == "sqlite3") and any(
        c.__name__ == "Error" for c in type(exc).__mro__
    )


def message(kind: str, lang: str) -> str:
    """The sentence a user reads for database trouble of `kind`, in `lang`."""
    seconds = int(config.get("ITDA_STATEMENT_TIMEOUT_SECONDS"))
    return t(f"db.{kind if kind in KINDS else OTHER}", lang, seconds=seconds)


def cli_message(kind: str, lang: str) -> str:
    """`message` with what an operator should check (settings, the server)."""
    return f"{message(kind, lang)} {t(f'db.cli.{kind if kind in KINDS else OTHER}', lang)}"


def exit_code(kind: str) -> int:
    """The CLI's exit status for database trouble of `kind`."""
    return _EXIT_CODES.get(kind, 1)
