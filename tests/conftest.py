"""Shared test fixtures: a fresh, migrated database on SQLite and on PostgreSQL.

Every test that takes `db_url` (or `engine`) runs twice: once on a new SQLite file and
once in a new PostgreSQL schema that is dropped afterwards. The PostgreSQL server is
`ITDA_TEST_POSTGRES_URL` (default: the local server, database `test`). When it cannot be
reached the PostgreSQL runs are skipped, unless `ITDA_REQUIRE_POSTGRES=1` (CI), which turns
every such skip into a failure of the whole run.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from lib.db import make_engine, migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "ITDA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("ITDA_REQUIRE_POSTGRES") == "1"
_PG_SKIP_REASON = "PostgreSQL is not reachable"
_pg_skips: list[str] = []


def _postgres_available() -> bool:
    try:
        with sa.create_engine(POSTGRES_ADMIN_URL).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    return _postgres_available()


def _new_postgres_schema() -> tuple[str, str]:
    """Create an empty schema; return (its name, a URL whose search_path points at it)."""
    schema = f"itda_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in POSTGRES_ADMIN_URL else "?"
    url = f"{POSTGRES_ADMIN_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    return schema, url


def _drop_postgres_schema(schema: str) -> None:
    admin = sa.create_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path, postgres_available):
    """The URL of a new, empty database (no tables) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'itda-test.db'}"
        return
    if not postgres_available:
        pytest.skip(_PG_SKIP_REASON)
    schema, url = _new_postgres_schema()
    try:
        yield url
    finally:
        _drop_postgres_schema(schema)


@pytest.fixture
def db_url(empty_db_url):
    """The URL of a new database with the current schema, on each backend."""
    engine = make_engine(empty_db_url)
    migrate(engine)
    engine.dispose()
    return empty_db_url


@pytest.fixture
def engine(db_url):
    """An engine on a new, migrated database, disposed after the test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def pytest_runtest_logreport(report):
    if report.skipped and _PG_SKIP_REASON in str(report.longrepr):
        _pg_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if REQUIRE_POSTGRES and _pg_skips:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if REQUIRE_POSTGRES and _pg_skips:
        terminalreporter.write_line(
            f"FAILED: {len(_pg_skips)} PostgreSQL test(s) were skipped but "
            "ITDA_REQUIRE_POSTGRES=1 requires them.",
            red=True,
        )


@pytest.fixture
def city_url(db_url, monkeypatch):
    """The URL of a database holding the fixture city 테스트시; the app is pointed at it."""
    from lib.db import engine_for
    from tests.apptest import clear_caches
    from tests.fixture_city import load_fixture_city

    engine = make_engine(db_url)
    with engine.begin() as conn:
        load_fixture_city(conn)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    for setting in ("ITDA_RESPONSE_LIMIT_DAYS", "ITDA_CITY_NAME", "ITDA_DEFAULT_LANG"):
        monkeypatch.delenv(setting, raising=False)
    clear_caches()
    yield db_url
    clear_caches()
    engine_for(db_url).dispose()
