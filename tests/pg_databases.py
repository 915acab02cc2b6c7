"""Throwaway PostgreSQL databases for tests that need a whole database (not a schema):
several app processes on one fresh database, or a database closed to connections."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from tests.conftest import POSTGRES_ADMIN_URL


def _admin() -> sa.Engine:
    return sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


def new_database(prefix: str = "itda_test") -> tuple[str, str]:
    """Create an empty database; return (its name, its URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)


def drop_database(name: str) -> None:
    """Drop database `name`, ending whatever sessions it still has."""
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def set_connections(name: str, allowed: bool) -> None:
    """Open or close database `name` to new connections; closing also ends its sessions
    (the database is "down" for the app until it is opened again)."""
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
    admin.dispose()
