"""The settings registry: every setting is documented, parsed and overridable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib import config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.env)
def test_every_setting_is_documented_in_the_readme(setting):
    # A row of the configuration table: | `NAME` | default | meaning |
    assert re.search(rf"^\| `{setting.env}` \|", README, re.MULTILINE), setting.env


def test_environment_overrides_the_default(monkeypatch):
    monkeypatch.delenv("ITDA_RESPONSE_LIMIT_DAYS", raising=False)
    assert config.get("ITDA_RESPONSE_LIMIT_DAYS") == 7
    monkeypatch.setenv("ITDA_RESPONSE_LIMIT_DAYS", "10")
    assert config.get("ITDA_RESPONSE_LIMIT_DAYS") == 10
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    assert config.get("ITDA_DEMO_ON_EMPTY") is False


def test_invalid_value_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("ITDA_RESPONSE_LIMIT_DAYS", "seven")
    with pytest.raises(ValueError, match="ITDA_RESPONSE_LIMIT_DAYS"):
        config.get("ITDA_RESPONSE_LIMIT_DAYS")


def test_postgres_urls_use_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/itda")
    assert config.database_url() == "postgresql+psycopg://u:p@db/itda"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/itda")
    assert config.database_url() == "postgresql+psycopg://u@db/itda"


def test_default_database_is_the_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url() == f"sqlite:///{config.DEFAULT_SQLITE_PATH}"
    assert config.DEFAULT_SQLITE_PATH.parent.name == "data"
