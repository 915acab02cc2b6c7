"""Database trouble, classified from real errors (lib.db_errors), and the engine's limits.

Every error here is produced by a real database: a statement cancelled by PostgreSQL's
statement_timeout, a backend ended by pg_terminate_backend, a write in a read-only
transaction, a closed port, a full SQLite file (max_page_count), a locked SQLite file. A full
PostgreSQL disk cannot be made without root (a tablespace on a tiny filesystem), so a trigger
raises the server's own SQLSTATE 53100 (disk_full) in the middle of a real import.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from lib import cli, db_errors
from lib.db import engine_for, make_engine, migrate, unlimited
from lib.errors import UserError, exit_code, user_message
from lib.ingest.importer import import_path
from tests.conftest import POSTGRES_ADMIN_URL, _drop_postgres_schema, _new_postgres_schema
from tests.test_import_workbooks import base, row_counts, write_xlsx

CLOSED_PORT_URL = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def _raised(fn) -> BaseException:
    try:
        fn()
    except Exception as exc:
        return exc
    raise AssertionError("no error was raised")


@pytest.fixture
def pg(postgres_available):
    """A fresh migrated PostgreSQL schema: (schema name, URL)."""
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable")
    schema, url = _new_postgres_schema()
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield schema, url
    finally:
        _drop_postgres_schema(schema)


def _write(engine: sa.Engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(statement))


def _own_url(url: str) -> str:
    # engine_for caches one engine per URL: a name of its own gives this test a new one.
    return f"{url}&application_name=itda-test-{uuid.uuid4().hex[:8]}"


# ---- PostgreSQL ------------------------------------------------------------------------


def test_statement_timeout_applies_to_the_dashboard_engine_only(pg, monkeypatch):
    monkeypatch.setenv("ITDA_STATEMENT_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("ITDA_POOL_SIZE", "2")
    monkeypatch.setenv("ITDA_POOL_MAX_OVERFLOW", "1")
    monkeypatch.setenv("ITDA_POOL_RECYCLE_SECONDS", "600")
    monkeypatch.setenv("ITDA_POOL_TIMEOUT_SECONDS", "7")
    engine = engine_for(_own_url(pg[1]))
    try:
        assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._recycle) == (2, 1, 600)
        assert engine.pool._timeout == 7
        with engine.connect() as conn:
            dsn = conn.connection.dbapi_connection.info.dsn.split()
        # A new connection waits 7 s at most; a vanished server is noticed by keepalives.
        assert {"connect_timeout=7", "keepalives=1", "keepalives_idle=30"} <= set(dsn)
        exc = _raised(lambda: engine.connect().execute(sa.text("SELECT pg_sleep(2)")))
        assert db_errors.classify(exc) == db_errors.TIMEOUT
        assert user_message(exc, "ko") == (
            "데이터베이스의 응답이 너무 늦어 1초 만에 멈췄습니다. 잠시 후 다시 시도하거나 "
            "더 짧은 기간을 고르세요."
        )
        assert user_message(exc, "en").startswith("The database took too long to answer and was")
        assert exit_code(exc) == 75
        # Writers (imports, migrations) have no limit, on the same pool, for their
        # transaction only: the connection keeps the dashboard's limit afterwards.
        with unlimited(engine).begin() as conn:
            conn.execute(sa.text("SELECT pg_sleep(1.2)"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW statement_timeout")).scalar_one() == "1s"
        # The CLI's engine has no limit at all.
        plain = make_engine(pg[1])
        with plain.connect() as conn:
            assert conn.execute(sa.text("SHOW statement_timeout")).scalar_one() == "0"
        plain.dispose()
    finally:
        engine.dispose()


def test_a_terminated_backend_is_dropped_and_the_next_connection_works(pg):
    engine = engine_for(_own_url(pg[1]))
    admin = make_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as conn:
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()

            def terminate() -> None:
                time.sleep(0.3)
                with admin.connect() as other:
                    other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})

            killer = threading.Thread(target=terminate)
            killer.start()
            exc = _raised(lambda: conn.execute(sa.text("SELECT pg_sleep(3)")))
            killer.join()
        assert db_errors.classify(exc) == db_errors.DROPPED
        assert user_message(exc, "ko") == "데이터베이스 연결이 끊겼습니다. 다시 시도하세요."
        # A pooled connection the server ended is replaced before use (pool_pre_ping).
        with engine.connect() as conn:
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()
        admin.dispose()


def test_connection_refused_is_unreachable_and_the_cli_says_so(capsys):
    exc = _raised(lambda: make_engine(CLOSED_PORT_URL).connect())
    assert db_errors.classify(exc) == db_errors.UNREACHABLE
    assert user_message(exc, "en") == (
        "Cannot reach the database. Try again in a moment; if it goes on, tell the administrator."
    )
    assert cli.main(["--database-url", CLOSED_PORT_URL, "init"]) == 69
    err = capsys.readouterr().err
    assert err.strip() == (
        "데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요. 계속되면 관리자에게 "
        "알려 주세요. DATABASE_URL 설정과 데이터베이스 서버를 확인하세요."
    )
    assert "Traceback" not in err


def test_an_import_into_a_read_only_database_writes_nothing(pg, tmp_path, capsys):
    schema, url = pg
    options = quote(f"-csearch_path={schema} -cdefault_transaction_read_only=on")
    read_only_url = f"{POSTGRES_ADMIN_URL}?options={options}"
    book = write_xlsx(tmp_path / "city.xlsx", base())
    code = cli.main(["--lang", "en", "--database-url", read_only_url, "import", str(book)])
    err = capsys.readouterr().err
    assert code == 77
    assert err.strip().endswith(
        "The database is read-only, so nothing could be saved (it may be a read-only "
        "replica). Tell the administrator. Check that DATABASE_URL names the writable "
        "primary database."
    )
    assert "Traceback" not in err
    engine = make_engine(url)
    assert set(row_counts(engine).values()) == {0}
    ro = make_engine(read_only_url)
    exc = _raised(lambda: _write(ro, "CREATE TABLE x (a int)"))
    assert db_errors.classify(exc) == db_errors.READ_ONLY
    ro.dispose()
    engine.dispose()


def test_a_full_disk_during_an_import_writes_nothing(pg, tmp_path):
    schema, url = pg
    engine = make_engine(url)
    with engine.begin() as conn:
        # The server's own disk_full error (SQLSTATE 53100) when the first rows go in.
        conn.execute(
            sa.text(
                "CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' "
                "USING ERRCODE = 'disk_full'; END $$"
            )
        )
        conn.execute(
            sa.text(
                "CREATE TRIGGER full_disk BEFORE INSERT ON agency "
                "FOR EACH STATEMENT EXECUTE FUNCTION full_disk()"
            )
        )
    result = import_path(engine, write_xlsx(tmp_path / "city.xlsx", base()))
    assert result.outcome == "failed"
    assert db_errors.classify(result.failure) == db_errors.DISK_FULL
    assert exit_code(result.failure) == 74
    assert user_message(result.failure, "ko") == (
        "데이터베이스 서버의 저장 공간이 가득 차서 아무것도 저장하지 못했습니다. "
        "관리자에게 알려 주세요."
    )
    # The neighbourhoods went in before the agencies failed: all rolled back.
    assert set(row_counts(engine).values()) == {0}
    engine.dispose()


def test_no_free_pooled_connection_is_busy(pg, monkeypatch):
    monkeypatch.setenv("ITDA_POOL_SIZE", "1")
    monkeypatch.setenv("ITDA_POOL_MAX_OVERFLOW", "0")
    monkeypatch.setenv("ITDA_POOL_TIMEOUT_SECONDS", "1")
    engine = engine_for(_own_url(pg[1]))
    try:
        with engine.connect():
            started = time.monotonic()
            exc = _raised(engine.connect)
            assert time.monotonic() - started < 5
        assert db_errors.classify(exc) == db_errors.BUSY
        assert (
            user_message(exc, "ko") == "데이터베이스가 지금 너무 바쁩니다. 잠시 후 다시 시도하세요."
        )
    finally:
        engine.dispose()


# ---- SQLite ----------------------------------------------------------------------------


def test_sqlite_full_file_is_disk_full(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'small.db'}")

    def fill() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x TEXT)"))
            conn.execute(sa.text("PRAGMA max_page_count = 20"))  # ~80 KB: a full disk
            for _ in range(100):
                conn.execute(sa.text("INSERT INTO t VALUES (:x)"), {"x": "x" * 4000})

    exc = _raised(fill)
    assert db_errors.classify(exc) == db_errors.DISK_FULL
    engine.dispose()


def test_sqlite_read_only_locked_and_missing(tmp_path):
    path = tmp_path / "city.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    read_only = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    exc = _raised(lambda: _write(read_only, "CREATE TABLE x (a)"))
    assert db_errors.classify(exc) == db_errors.READ_ONLY
    read_only.dispose()

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        impatient = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
        exc = _raised(lambda: _write(impatient, "CREATE TABLE y (a)"))
        assert db_errors.classify(exc) == db_errors.BUSY
        impatient.dispose()
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    missing = sa.create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    assert db_errors.classify(_raised(missing.connect)) == db_errors.UNREACHABLE


def test_what_is_not_database_trouble():
    assert db_errors.classify(ValueError("x")) is None
    assert db_errors.classify(UserError("가", "a")) is None
    assert exit_code(ValueError("x")) == 1
    # Raised while handling a database error: still that database error.
    try:
        try:
            make_engine(CLOSED_PORT_URL).connect()
        except sa.exc.OperationalError as inner:
            raise RuntimeError("while loading") from inner
    except RuntimeError as outer:
        assert db_errors.classify(outer) == db_errors.UNREACHABLE


def test_every_kind_has_its_own_sentence_in_both_languages():
    for lang in ("ko", "en"):
        sentences = [db_errors.message(kind, lang) for kind in db_errors.KINDS]
        assert len(set(sentences)) == len(db_errors.KINDS)
        hints = [db_errors.cli_message(kind, lang) for kind in db_errors.KINDS]
        assert len(set(hints)) == len(db_errors.KINDS)
    assert db_errors.message(db_errors.UNREACHABLE, "ko") != db_errors.message(
        db_errors.UNREACHABLE, "en"
    )
