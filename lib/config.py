"""One registry of every setting Itda reads, with its default and its meaning.

A setting is read from the environment first (its `env` name), then from Streamlit
secrets (`[itda]` table, lower-case name) when running inside Streamlit, then falls back
to its default. The README documents every entry (a test checks that).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "itda.db"


def _as_list(value: Any) -> tuple[str, ...]:
    """A comma-separated text (or a list from secrets.toml) as a tuple of trimmed items."""
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "y"}


@dataclass(frozen=True)
class Setting:
    """One configurable value: its environment name, default, type and help text."""

    env: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = str

    @property
    def secret_key(self) -> str:
        """The key under `[itda]` in `.streamlit/secrets.toml`."""
        return self.env.lower().removeprefix("itda_")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        f"sqlite:///{DEFAULT_SQLITE_PATH}",
        "SQLAlchemy URL of the shared database. Default: the embedded SQLite file "
        "data/itda.db. Production: postgresql+psycopg://user:password@host/db.",
    ),
    Setting(
        "ITDA_DEMO_ON_EMPTY",
        True,
        "Build the demo city when the app starts on an empty database.",
        _as_bool,
    ),
    Setting(
        "ITDA_RESPONSE_LIMIT_DAYS",
        7,
        "Days a referral may wait for an answer before it counts as overdue (기한 초과).",
        int,
    ),
    Setting(
        "ITDA_SMALL_COUNT_THRESHOLD",
        5,
        "In partner views, counts from 1 to this value − 1 are shown as '<value'.",
        int,
    ),
    Setting(
        "ITDA_CACHE_TTL_SECONDS",
        0,
        "The longest a cached query result is kept, in seconds; 0: no age limit. Every result "
        "is keyed by the data's version, so an import shows at once whatever this says; the "
        "caches are bounded by their number of entries and by server.maxCacheDataSize.",
        int,
    ),
    Setting(
        "ITDA_CITY_NAME",
        "",
        "The city's name shown in the header. Empty: the name stored with the data "
        "(the demo city's name, or '우리시' when none is stored).",
    ),
    Setting(
        "ITDA_ACCESS_MODE",
        "open",
        "Who may use the app. open: every visitor is staff (the local demo; a banner says "
        "so). oidc: staff sign in through the OpenID Connect provider of "
        ".streamlit/secrets.toml [auth]; partners use share links.",
    ),
    Setting(
        "ITDA_SHARE_SECRET",
        "",
        "The key that signs share links (at least 32 characters). Required in oidc mode; "
        "in open mode, empty: a random key generated once and kept in the database.",
    ),
    Setting(
        "ITDA_ADMIN_EMAILS",
        (),
        "Comma-separated e-mail addresses of admins (data import/export, links, audit).",
        _as_list,
    ),
    Setting(
        "ITDA_STAFF_EMAILS",
        (),
        "Comma-separated e-mail addresses of staff (every dashboard page, creating links).",
        _as_list,
    ),
    Setting(
        "ITDA_ADMIN_GROUPS",
        (),
        "Comma-separated groups (from the ID token's groups claim) whose members are admins.",
        _as_list,
    ),
    Setting(
        "ITDA_STAFF_GROUPS",
        (),
        "Comma-separated groups (from the ID token's groups claim) whose members are staff.",
        _as_list,
    ),
    Setting(
        "ITDA_GROUPS_CLAIM",
        "groups",
        "The ID-token claim that lists the user's groups.",
    ),
    Setting(
        "ITDA_PUBLIC_URL",
        "http://localhost:8501",
        "The app's address as partners reach it: the base of every share link.",
    ),
    Setting(
        "ITDA_CONTACT",
        "",
        "Whom to ask about access, shown on refusal pages (e.g. '복지정책과 041-540-0000'). "
        "Empty: 'the person who sent you the link'.",
    ),
    Setting(
        "ITDA_SHARE_DAYS",
        30,
        "Days a new share link stays valid when no expiry is given (at most 365).",
        int,
    ),
    Setting(
        "ITDA_DEFAULT_LANG",
        "ko",
        "The interface language when the URL has no lang= parameter: ko or en.",
    ),
    Setting(
        "ITDA_STATEMENT_TIMEOUT_SECONDS",
        30,
        "PostgreSQL: the longest one statement of the dashboard may run, in seconds "
        "(statement_timeout); the page then says the database is slow and offers a retry. "
        "0: no limit. Imports and migrations are not limited.",
        int,
    ),
    Setting(
        "ITDA_POOL_SIZE",
        5,
        "PostgreSQL: connections each app process keeps open (SQLAlchemy pool_size).",
        int,
    ),
    Setting(
        "ITDA_POOL_MAX_OVERFLOW",
        10,
        "PostgreSQL: extra connections a busy process may open beyond ITDA_POOL_SIZE.",
        int,
    ),
    Setting(
        "ITDA_POOL_TIMEOUT_SECONDS",
        10,
        "PostgreSQL: seconds a page waits for a free connection before it says the "
        "database is busy, and for a new connection (connect_timeout) before it says the "
        "database cannot be reached.",
        int,
    ),
    Setting(
        "ITDA_POOL_RECYCLE_SECONDS",
        1800,
        "PostgreSQL: a pooled connection older than this is replaced (firewalls and "
        "poolers drop idle connections).",
        int,
    ),
    Setting(
        "ITDA_LOG_FORMAT",
        "text",
        "Server log lines: text (for people) or json (one object per line: page views, "
        "imports and errors, with no personal data; for the city's log collector).",
    ),
    Setting(
        "ITDA_AUDIT_RETENTION_DAYS",
        730,
        "Days an audit-log entry is kept; older entries are deleted (at start and once a "
        "day). 0: keep them forever. 개인정보의 안전성 확보조치 기준: at least 1 year, 2 years "
        "for systems with many data subjects.",
        int,
    ),
    Setting(
        "ITDA_PROFILE",
        "",
        "Profiling (lib/profiling.py): empty, off (no overhead). A file path: one JSON line "
        "per script run appended to it (page, script, page and SQL seconds, statements); "
        "log: the same lines in the server log.",
    ),
    Setting(
        "ITDA_PROFILE_STATEMENTS",
        False,
        "With ITDA_PROFILE on, add every statement and its parameters to the line "
        "(benchmarks/bench_pages.py replays them). For benchmarks only.",
        _as_bool,
    ),
    Setting(
        "ITDA_PROFILE_COLD_FILE",
        "",
        "With ITDA_PROFILE on, a file path: a script run that finds this file deletes it and "
        "empties the data caches first (the benchmark's cold runs). Empty: never.",
    ),
)

_BY_ENV = {s.env: s for s in SETTINGS}


def _from_streamlit_secrets(setting: Setting) -> Any | None:
    # Secrets only exist inside a Streamlit run; the CLI never imports streamlit for them.
    if "streamlit" not in sys.modules:
        return None
    try:
        import streamlit as st

        section = st.secrets.get("itda", {})
        if setting.secret_key in section:
            return section[setting.secret_key]
        if setting.env in st.secrets:
            return st.secrets[setting.env]
    except Exception:  # no secrets file, or not inside Streamlit
        return None
    return None


def get(env: str) -> Any:
    """The current value of a setting, parsed to its type."""
    setting = _BY_ENV[env]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        raw = _from_streamlit_secrets(setting)
    if raw is None or raw == "":
        return setting.default
    try:
        return setting.parse(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Setting {setting.env} has an invalid value {raw!r}: {exc}") from exc


def cache_ttl() -> int | None:
    """The age limit of the dashboard's cached results in seconds (ITDA_CACHE_TTL_SECONDS);
    None for 0, the default: results keyed by the data's version never go stale."""
    seconds = int(get("ITDA_CACHE_TTL_SECONDS"))
    return seconds if seconds > 0 else None


def database_url() -> str:
    """The database URL, with plain `postgresql://` mapped to the psycopg 3 driver."""
    url = str(get("DATABASE_URL"))
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


# Settings whose value must also lie in a range or a set (beyond parsing to their type).
_AT_LEAST = {
    "ITDA_RESPONSE_LIMIT_DAYS": 0,
    "ITDA_SMALL_COUNT_THRESHOLD": 1,
    "ITDA_CACHE_TTL_SECONDS": 0,
    "ITDA_SHARE_DAYS": 1,
    "ITDA_STATEMENT_TIMEOUT_SECONDS": 0,
    "ITDA_POOL_SIZE": 1,
    "ITDA_POOL_MAX_OVERFLOW": 0,
    "ITDA_POOL_TIMEOUT_SECONDS": 1,
    "ITDA_POOL_RECYCLE_SECONDS": 1,
    "ITDA_AUDIT_RETENTION_DAYS": 0,
}
_KIND = {
    int: (": 정수여야 합니다", ": it must be a whole number"),
    _as_bool: (": true 또는 false", ": use true or false"),
}
_ONE_OF = {"ITDA_LOG_FORMAT": ("text", "json"), "ITDA_DEFAULT_LANG": ("ko", "en")}


def problems() -> list[tuple[str, str]]:
    """(Korean, English) sentences for every setting whose value cannot be used: one
    that does not parse to its type, lies below its least value, or is not one of its
    choices. The server refuses to start on any (app.py), rather than fail later."""
    found = []
    for setting in SETTINGS:
        try:
            value = get(setting.env)
        except ValueError:
            raw = str(os.environ.get(setting.env) or _from_streamlit_secrets(setting))[:40]
            ko, en = _KIND.get(setting.parse, ("", ""))
            found.append(
                (
                    f"설정 {setting.env}의 값 {raw!r}을(를) 쓸 수 없습니다{ko}",
                    f"Setting {setting.env} has an unusable value {raw!r}{en}",
                )
            )
            continue
        least = _AT_LEAST.get(setting.env)
        if least is not None and value < least:
            found.append(
                (
                    f"설정 {setting.env}은(는) {least} 이상이어야 합니다: {value}",
                    f"Setting {setting.env} must be at least {least}: {value}",
                )
            )
        choices = _ONE_OF.get(setting.env)
        if choices is not None and str(value).lower() not in choices:
            shown = str(value)[:40]
            found.append(
                (
                    f"설정 {setting.env}은(는) {', '.join(choices)} 중 하나여야 합니다: {shown!r}",
                    f"Setting {setting.env} must be one of {', '.join(choices)}: {shown!r}",
                )
            )
    return found

