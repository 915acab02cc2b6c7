"""Shared pieces of the AppTest suites: the entry point, the timeout, cache clearing."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60  # seconds per run: a loaded 2-core CI machine, first (uncached) runs


def clear_caches() -> None:
    """Forget every cached query and the cached engine (a new database per test)."""
    st.cache_data.clear()
    st.cache_resource.clear()


# Settings a developer's own environment may hold that would change what a page shows.
_LOCAL_SETTINGS = (
    "ITDA_RESPONSE_LIMIT_DAYS",
    "ITDA_CITY_NAME",
    "ITDA_DEFAULT_LANG",
    "ITDA_ACCESS_MODE",
)


def point_app_at(monkeypatch, url: str) -> None:
    """Point this test's app at the database `url`: no demo build, none of the local
    settings above, empty caches."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ITDA_DEMO_ON_EMPTY", "0")
    for setting in _LOCAL_SETTINGS:
        monkeypatch.delenv(setting, raising=False)
    clear_caches()


def run_page(page: str | None = None, **params: str) -> AppTest:
    """Run the app with the query parameters on url_path `page` (None: the overview);
    fails on an exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        # Pages built from the database are partials; AppTest selects them by hash only.
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
