"""docs/deploy.md's commands, run in their own words against a throwaway PostgreSQL database.

The blocks marked `<!-- tested: NAME -->` are taken from the page as written. Only names
change: the roles itda_owner/itda_app and the database itda get a random suffix (roles are
shared by the whole PostgreSQL server), and the backup's variables (ITDA_DB,
ITDA_RESTORE_DB, BACKUP_FILE) point at this test's database and a temporary file.

- roles + migrate: the owner migrates; the app role imports a workbook, writes and deletes
  audit entries and runs the start-up migration (a no-op), but CREATE/ALTER/DROP TABLE fail.
- backup + restore: the restored database has every table with the same row counts, and
  the app role may read it (the grants came along).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import _PG_SKIP_REASON, POSTGRES_ADMIN_URL
from tests.server import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
ADMIN = sa.make_url(POSTGRES_ADMIN_URL)
pytestmark = pytest.mark.slow


def block(name: str) -> str:
    """The fenced block right after `<!-- tested: name -->`."""
    match = re.search(rf"<!-- tested: {name} -->\n```\w*\n(.*?)```", DOC, re.S)
    assert match, f"docs/deploy.md has no tested block {name!r}"
    return match.group(1)


class Names:
    def __init__(self) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.owner, self.app = f"itda_owner_{suffix}", f"itda_app_{suffix}"
        self.db, self.restored = f"itda_{suffix}", f"itda_{suffix}_restore"

    def apply(self, text: str) -> str:
        """The doc's names replaced by this test's (whole words only)."""
        for old, new in (("itda_owner", self.owner), ("itda_app", self.app), ("itda", self.db)):
            text = re.sub(rf"\b{old}\b", new, text)
        return text

    def url(self, role: str, db: str | None = None) -> str:
        return ADMIN.set(username=role, password=None, database=db or self.db).render_as_string(
            hide_password=False
        )


def _env(names: Names, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PGHOST": ADMIN.host or "127.0.0.1",
        "PGPORT": str(ADMIN.port or 5432),
        "ITDA_DB": names.db,
        "ITDA_RESTORE_DB": names.restored,
        "BACKUP_FILE": str(tmp_path / "itda.dump"),
        "ITDA_DEMO_ON_EMPTY": "0",
    }


def _run(script: str, env: dict[str, str], shell: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        shell, input=script, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def names(postgres_available: bool) -> Iterator[Names]:
    if not postgres_available:
        pytest.skip(_PG_SKIP_REASON)
    names = Names()
    yield names
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for db in (names.restored, names.db):
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        for role in (names.app, names.owner):
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()


@pytest.fixture(scope="module")
def migrated(names: Names, tmp_path_factory: pytest.TempPathFactory) -> Names:
    """The roles block run by the superuser, then the migrate block (as the owner)."""
    env = _env(names, tmp_path_factory.mktemp("deploy"))
    superuser = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--quiet",
                 "--username", ADMIN.username or "postgres", "--dbname", ADMIN.database or "postgres"]  # fmt: skip
    _run(names.apply(block("roles")), env, superuser)
    # The doc's `python` is the service's interpreter; here, this one.
    migrate = names.apply(block("migrate")).replace(" python -m ", f" {sys.executable} -m ")
    done = _run(migrate, env, ["bash", "-euo", "pipefail"])
    assert "schema is current" in done.stderr
    return names


def test_the_app_role_writes_data_but_cannot_change_the_schema(migrated: Names, tmp_path) -> None:
    from lib import access, retention
    from lib.db import make_engine, migrate
    from lib.ingest.importer import import_path
    from tests.test_import_workbooks import base, write_xlsx

    app = make_engine(migrated.url(migrated.app))
    try:
        migrate(app)  # the app's start-up migration: nothing to do, no right needed
        result = import_path(app, write_xlsx(tmp_path / "base.xlsx", base()), user="ops-test")
        assert result.ok, result.problems
        with app.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM welfare_case")).scalar_one() == 2
            access.audit(conn, actor="cli:test", role="cli", action="test",
                         now=access.now_utc().replace(year=2000))  # fmt: skip
        assert retention.purge(app, days=30) == 1  # DELETE is allowed
        for statement in (
            "CREATE TABLE intruder (x int)",
            "ALTER TABLE welfare_case ADD COLUMN intruder int",
            "DROP TABLE audit_event",
            "ALTER TABLE referral DROP CONSTRAINT IF EXISTS referral_case_id_fkey",
        ):
            with app.connect() as conn, pytest.raises(sa.exc.ProgrammingError) as refused:
                conn.execute(sa.text(statement))
            assert refused.value.orig.sqlstate == "42501", statement  # insufficient_privilege
    finally:
        app.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            return {
                t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables
            }
    finally:
        engine.dispose()


def test_backup_and_restore_in_the_docs_own_words(migrated: Names, tmp_path) -> None:
    from lib.access import audit_now
    from lib.db import make_engine
    from tests.fixture_city import load_fixture_city

    owner = make_engine(migrated.url(migrated.owner))
    with owner.begin() as conn:
        if conn.execute(sa.text("SELECT count(*) FROM neighbourhood")).scalar_one() == 0:
            load_fixture_city(conn)
    audit_now(owner, actor="cli:test", role="cli", action="backup-test")
    owner.dispose()
    before = _counts(migrated.url(migrated.owner))
    assert before["welfare_case"] > 0 and before["audit_event"] > 0

    env = _env(migrated, tmp_path)
    env["PGUSER"] = "unused"  # every command names its role itself
    _run(migrated.apply(block("backup")), env, ["bash", "-euo", "pipefail"])
    assert (tmp_path / "itda.dump").stat().st_size > 0
    done = _run(migrated.apply(block("restore")), env, ["bash", "-euo", "pipefail"])
    assert done.stdout.split()[-1] == str(before["welfare_case"])  # the doc's own check

    after = _counts(migrated.url(migrated.owner, migrated.restored))
    assert after == before
    # The grants came along: the app role reads and writes the restored database.
    app = sa.create_engine(migrated.url(migrated.app, migrated.restored))
    try:
        with app.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_event WHERE action = 'backup-test'"))
            assert (
                conn.execute(sa.text("SELECT count(*) FROM welfare_case")).scalar_one()
                == (before["welfare_case"])
            )
    finally:
        app.dispose()
