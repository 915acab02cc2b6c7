"""Several app processes on one PostgreSQL database, started at the same moment on an empty
database: one migrates and builds the demo city, the others wait and find it done; they all
sign share links with the one key kept in the database.

Each process runs the app's own start-up path (`lib.ui.get_engine`: migrate, then the demo
on an empty database) and then `access.share_secret`, each step released for all three at
once. The browser test (tests/browser/test_replicas.py) does the same with real servers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from lib.db import _STARTUP_LOCK_ID, alembic_config, engine_for, make_engine, migrate, prepare
from lib.demo import build_demo
from lib.models import DATA_TABLES
from tests.pg_databases import drop_database, new_database
from tests.server import PROJECT_ROOT

REPLICAS = 3
BUILDING = "database is empty: building the demo city"

# One replica: start when told, prepare the database as the app does, then (when every
# replica has got that far) ask for the share-link key at the same moment as the others.
ENTRY = """
import json, logging, os, sys, time
from pathlib import Path
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
from lib import access, ui

def wait_for(moment):
    time.sleep(max(0.0, moment - time.time()))

wait_for(float(os.environ["START_AT"]))
engine = ui.get_engine()
folder = Path(os.environ["READY_DIR"])
(folder / str(os.getpid())).touch()
while len(list(folder.iterdir())) < int(os.environ["REPLICAS"]):
    time.sleep(0.01)
print(json.dumps({"secret": access.share_secret(engine)}), flush=True)
"""


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in DATA_TABLES
        }


@pytest.fixture
def fresh_database(postgres_available):
    if not postgres_available:
        pytest.skip("PostgreSQL is not reachable")
    name, url = new_database("itda_replicas")
    try:
        yield url
    finally:
        drop_database(name)


@pytest.mark.slow
def test_replicas_starting_together_prepare_the_database_once(fresh_database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITDA_")}
    env.update(
        DATABASE_URL=fresh_database,
        ITDA_DEMO_ON_EMPTY="1",
        START_AT=str(time.time() + 4),  # after every process has imported the app
        READY_DIR=str(tmp_path),
        REPLICAS=str(REPLICAS),
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ENTRY],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err and "ERROR" not in err, err
    logs = [err for _out, err in outputs]
    assert sum(BUILDING in log for log in logs) == 1, logs  # one built, the others waited

    engine = make_engine(fresh_database)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
            secrets_ = conn.execute(sa.text("SELECT value FROM app_secret")).scalars().all()
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert version == [(head,)]
        # One key, the one every replica signs with.
        assert len(secrets_) == 1
        assert {json.loads(out)["secret"] for out, _err in outputs} == set(secrets_)
        # The rows of one build: the same demo built once on a SQLite file of its own.
        single = make_engine(f"sqlite:///{tmp_path / 'single.db'}")
        migrate(single)
        build_demo(single, scale="city")
        expected = _counts(single)
        single.dispose()
        assert sum(expected.values()) > 20_000
        assert _counts(engine) == expected
    finally:
        engine.dispose()


def test_a_replica_waits_for_another_s_start_longer_than_the_statement_timeout(
    fresh_database, monkeypatch
):
    """The waiting is not a statement the dashboard's timeout may cancel."""
    monkeypatch.setenv("ITDA_STATEMENT_TIMEOUT_SECONDS", "1")
    holder = make_engine(fresh_database)
    engine = engine_for(fresh_database)
    try:
        with holder.connect() as conn:  # another replica, busy starting for 2.5 s
            conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": _STARTUP_LOCK_ID})
            conn.commit()
            done: list[object] = []
            waiter = threading.Thread(target=lambda: done.append(prepare(engine)))
            started = time.monotonic()
            waiter.start()
            time.sleep(2.5)
            assert not done  # still waiting
            conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _STARTUP_LOCK_ID})
            conn.commit()
        waiter.join(timeout=60)
        assert done == [False]  # migrated, nothing filled (no demo asked)
        assert time.monotonic() - started >= 2.5
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
        holder.dispose()
