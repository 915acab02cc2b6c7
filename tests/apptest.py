"""Shared pieces of the AppTest suites: the entry point, the timeout, cache clearing."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60  # seconds per run: a loaded 2-core CI machine, first (uncached) runs


def clear_caches() -> None:
    """Forget every cached query and the cached engine (a new database per test)."""
    st.cache_data.clear()
    st.cache_resource.clear()
