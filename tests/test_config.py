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


def test_the_defaults_are_all_usable(monkeypatch):
    for setting in config.SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    assert config.problems() == []


@pytest.mark.parametrize(
    ("env", "value", "english"),
    [
        (
            "ITDA_POOL_SIZE",
            "abc",
            "Setting ITDA_POOL_SIZE has an unusable value 'abc': it must be a whole number",
        ),
        ("ITDA_POOL_SIZE", "0", "Setting ITDA_POOL_SIZE must be at least 1: 0"),
        (
            "ITDA_AUDIT_RETENTION_DAYS",
            "-3",
            "Setting ITDA_AUDIT_RETENTION_DAYS must be at least 0: -3",
        ),
        (
            "ITDA_STATEMENT_TIMEOUT_SECONDS",
            "1.5",
            "Setting ITDA_STATEMENT_TIMEOUT_SECONDS has an unusable value '1.5': it must be a whole number",
        ),
        ("ITDA_LOG_FORMAT", "xml", "Setting ITDA_LOG_FORMAT must be one of text, json: 'xml'"),
        ("ITDA_DEFAULT_LANG", "fr", "Setting ITDA_DEFAULT_LANG must be one of ko, en: 'fr'"),
    ],
)
def test_an_unusable_setting_is_named_in_both_languages(monkeypatch, env, value, english):
    for setting in config.SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    monkeypatch.setenv(env, value)
    found = config.problems()
    assert [en for _, en in found] == [english]
    assert found[0][0].startswith(f"설정 {env}")
    # the edges are fine: the least value itself, and either case of a choice
    monkeypatch.setenv("ITDA_AUDIT_RETENTION_DAYS", "0")
    monkeypatch.setenv("ITDA_LOG_FORMAT", "JSON")
    assert len(config.problems()) == (
        0 if env in ("ITDA_AUDIT_RETENTION_DAYS", "ITDA_LOG_FORMAT") else 1
    )
