"""The schema: migrations apply on both databases and match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lib.db import make_engine, migrate, schema_is_current
from lib.models import DATA_TABLES, Base


def test_migrations_create_every_table_and_are_idempotent(empty_db_url):
    engine = make_engine(empty_db_url)
    assert not schema_is_current(engine)
    migrate(engine)
    migrate(engine)  # a second start must be a no-op
    assert schema_is_current(engine)
    names = set(sa.inspect(engine).get_table_names())
    assert {t.name for t in DATA_TABLES} <= names
    assert {"dataset_info", "import_log", "alembic_version"} <= names
    engine.dispose()


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Expression indexes cannot be reflected by SQLite, so autogenerate ignores them.
    assert diff == []


def test_target_key_is_unique_also_for_the_city(engine):
    rows = [{"year": 2024, "neighbourhood_code": None, "metric": "donations_krw", "value": 1.0}]
    with engine.begin() as conn:
        conn.execute(sa.insert(DATA_TABLES[-1]), rows)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(DATA_TABLES[-1]), rows)
        raised = False
    except sa.exc.IntegrityError:
        raised = True
    assert raised, "a second city-wide target for the same year and metric must be refused"
