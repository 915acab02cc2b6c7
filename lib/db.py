"""The database: one engine per URL, schema migrations, and small helpers.

Every query function in `lib` takes a SQLAlchemy `Connection` (or engine) as its first
argument and never opens one itself; callers own the lifecycle (SQLAlchemy's guidance).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from lib import config

_log = logging.getLogger("itda.db")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constants work: they only have to be the same in every replica of the app.
_MIGRATION_LOCK_ID = 7_384_201
# Held by a replica while it prepares the database at start (migrate, then the demo city on
# an empty database): the others wait, then find the work done.
_STARTUP_LOCK_ID = 7_384_202


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets dashboards read while an import writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for `url` (default: the DATABASE_URL setting), without limits.

    For the CLI, imports and migrations; the dashboard's engine is `engine_for`.
    """
    url = url or config.database_url()
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


# The execution option that lifts the statement timeout for one connection's transactions.
UNLIMITED = "itda_unlimited"


def _dashboard_engine(url: str) -> Engine:
    """The dashboard's PostgreSQL engine: a sized, recycled pool; statements time out.

    `pool_pre_ping` replaces a connection the server dropped (a restart, a terminated
    backend) before it is used, so the app recovers by itself when the database returns.
    """
    connect_args: dict[str, int] = {
        # libpq waits for an unanswering server as long as the OS lets it (minutes): a page
        # says "unreachable" after as long as it would wait for a free pooled connection.
        "connect_timeout": max(1, int(config.get("ITDA_POOL_TIMEOUT_SECONDS"))),
        # A server that vanished (power, network) in the middle of a query sends no error:
        # TCP keepalives notice within about a minute instead of the OS's two hours.
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    given = sa.make_url(url).query
    connect_args = {k: v for k, v in connect_args.items() if k not in given}  # the URL wins
    engine = sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=int(config.get("ITDA_POOL_SIZE")),
        max_overflow=int(config.get("ITDA_POOL_MAX_OVERFLOW")),
        pool_timeout=float(config.get("ITDA_POOL_TIMEOUT_SECONDS")),
        pool_recycle=int(config.get("ITDA_POOL_RECYCLE_SECONDS")),
        connect_args=connect_args,
    )
    timeout_ms = int(config.get("ITDA_STATEMENT_TIMEOUT_SECONDS")) * 1000
    if timeout_ms > 0:

        def set_timeout(dbapi_connection, _record) -> None:
            # A session setting, set once per new connection (outside any transaction).
            autocommit = dbapi_connection.autocommit
            dbapi_connection.autocommit = True
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {timeout_ms:d}")
            dbapi_connection.autocommit = autocommit

        def lift_timeout(conn: sa.Connection) -> None:
            # Imports, migrations and the demo build run on `unlimited(engine)`: no limit for
            # this transaction only (SET LOCAL ends with it; the pooled connection keeps the
            # dashboard's limit). psycopg begins the transaction with this statement.
            if conn.get_execution_options().get(UNLIMITED):
                with conn.connection.dbapi_connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = 0")

        sa.event.listen(engine, "connect", set_timeout)
        sa.event.listen(engine, "begin", lift_timeout)
    return engine


@functools.cache
def engine_for(url: str) -> Engine:
    """The process-wide engine for `url`: created once, shared by every caller.

    On PostgreSQL its pool is sized and recycled by the ITDA_POOL_* settings and each
    statement may run ITDA_STATEMENT_TIMEOUT_SECONDS at most (`unlimited` lifts that).
    """
    if url.startswith("sqlite"):
        return make_engine(url)
    return _dashboard_engine(url)


def unlimited(engine: Engine) -> Engine:
    """`engine` (same pool) whose transactions have no statement timeout: for writers."""
    return engine.execution_options(**{UNLIMITED: True})


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several app replicas may start at once; only one may migrate at a time.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_is_current(engine: Engine) -> bool:
    """True when the database has the newest migration applied."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def is_empty(conn: sa.Connection) -> bool:
    """True when the database holds no neighbourhood yet (nothing imported)."""
    from lib.models import Neighbourhood

    return conn.execute(sa.select(sa.func.count()).select_from(Neighbourhood)).scalar_one() == 0


@contextmanager
def startup_lock(engine: Engine):
    """Hold the replicas' start-up lock (PostgreSQL; a session-level advisory lock on a
    connection of its own) while the body runs; other replicas wait here."""
    if engine.dialect.name != "postgresql":
        yield  # SQLite: one file, one host; its own locking serialises the writers
        return
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": _STARTUP_LOCK_ID})
        conn.commit()  # the lock is the session's: no transaction stays open meanwhile
        try:
            yield
        finally:
            try:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _STARTUP_LOCK_ID})
                conn.commit()
            except sa.exc.DBAPIError:
                # Never pool a connection that may still hold the lock: closing it releases
                # the lock (a connection the server dropped has released it already).
                conn.invalidate()


def prepare(engine: Engine, fill_empty: Callable[[Engine], object] | None = None) -> bool:
    """Migrate; then, on an empty database, `fill_empty(engine)` (the demo city).

    Several replicas may start at once on one empty database: each takes the start-up lock
    in turn, and emptiness is checked only under it, so exactly one migrates and fills
    while the others wait and then find both done. Runs without a statement timeout.
    True when this call filled the database.
    """
    writer = unlimited(engine)
    # Unlimited also while waiting: another replica's migration may take longer than the
    # dashboard's statement timeout.
    with startup_lock(writer):
        migrate(writer)
        if fill_empty is None:
            return False
        with writer.connect() as conn:
            empty = is_empty(conn)
        if not empty:
            return False
        _log.info("database is empty: building the demo city")
        fill_empty(writer)
        return True
