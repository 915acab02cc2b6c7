"""Audit-log retention (lib.retention, ITDA_AUDIT_RETENTION_DAYS) on SQLite and PostgreSQL.

Hand-made entries of known ages around the boundary. The rule (docs/deploy.md): an entry
at most N days old is kept; the cut is now − N × 24 h; an entry stamped exactly at the cut
is kept, one a second older is deleted. 0 keeps every entry.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from lib import access, retention
from lib.models import AuditEvent

NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
D = dt.timedelta(days=1)
# name → age; with N = 30 days.
AGES = {
    "new": dt.timedelta(0),
    "29 days": 29 * D,
    "30 days less 1 s": 30 * D - S,
    "exactly 30 days": 30 * D,
    "30 days and 1 s": 30 * D + S,
    "31 days": 31 * D,
    "3 years": 3 * 365 * D,
}


def _fill(engine) -> None:
    with engine.begin() as conn:
        for name, age in AGES.items():
            access.audit(
                conn, actor="cli:test", role="cli", action="test", detail=name, now=NOW - age
            )


def _left(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.select(AuditEvent.detail)).scalars())


def test_entries_older_than_n_days_go_the_boundary_day_stays(engine) -> None:
    _fill(engine)
    assert retention.purge(engine, days=30, now=NOW) == 3
    assert _left(engine) == {"new", "29 days", "30 days less 1 s", "exactly 30 days"}
    # A second run a second later takes the entry that has now passed the cut, nothing else.
    assert retention.purge(engine, days=30, now=NOW + S) == 1
    assert _left(engine) == {"new", "29 days", "30 days less 1 s"}


def test_the_cut_is_in_utc_whatever_the_clock_s_zone(engine) -> None:
    _fill(engine)
    kst = dt.timezone(dt.timedelta(hours=9))
    assert retention.purge(engine, days=30, now=NOW.astimezone(kst)) == 3


def test_zero_keeps_every_entry_and_the_setting_is_the_default(engine, monkeypatch) -> None:
    _fill(engine)
    monkeypatch.setenv("ITDA_AUDIT_RETENTION_DAYS", "0")
    assert retention.purge(engine, now=NOW) == 0
    assert len(_left(engine)) == len(AGES)
    monkeypatch.setenv("ITDA_AUDIT_RETENTION_DAYS", "31")
    assert retention.purge(engine, now=NOW) == 1  # only the 3-year-old entry
    monkeypatch.delenv("ITDA_AUDIT_RETENTION_DAYS")
    assert retention.purge(engine, now=NOW + 800 * D) == len(AGES) - 1  # default 730 days
    assert _left(engine) == set()


def test_a_negative_number_of_days_is_refused(engine) -> None:
    with pytest.raises(ValueError, match="ITDA_AUDIT_RETENTION_DAYS"):
        retention.purge(engine, days=-1)


def _counting(monkeypatch) -> threading.Semaphore:
    """A semaphore released after every purge the thread makes."""
    rounds = threading.Semaphore(0)
    real_purge = retention.purge

    def counting_purge(*args, **kwargs):
        try:
            return real_purge(*args, **kwargs)
        finally:
            rounds.release()

    monkeypatch.setattr(retention, "purge", counting_purge)
    return rounds


def _event(engine, name: str, at: dt.datetime) -> None:
    with engine.begin() as conn:
        access.audit(conn, actor="cli:test", role="cli", action="test", detail=name, now=at)


def test_the_thread_purges_at_start_and_again_each_interval(engine, monkeypatch) -> None:
    monkeypatch.setenv("ITDA_AUDIT_RETENTION_DAYS", "30")
    today = dt.datetime.now(dt.UTC)
    _event(engine, "yesterday", today - D)
    _event(engine, "100 days", today - 100 * D)
    rounds = _counting(monkeypatch)
    stop = retention.start(engine, interval=0.2)
    try:
        assert retention.start(engine) is stop  # once per database and process
        assert rounds.acquire(timeout=10)  # at start
        assert _left(engine) == {"yesterday"}
        _event(engine, "31 days", dt.datetime.now(dt.UTC) - 31 * D)
        assert rounds.acquire(timeout=10)  # the next round
        assert _left(engine) == {"yesterday"}
    finally:
        stop.set()


def test_before_the_schema_exists_the_thread_waits_and_tries_again(empty_db_url, monkeypatch):
    from lib.db import make_engine, migrate

    monkeypatch.setenv("ITDA_AUDIT_RETENTION_DAYS", "30")
    engine = make_engine(empty_db_url)
    rounds = _counting(monkeypatch)
    stop = retention.start(engine, interval=3600, retry=0.2)
    try:
        assert not rounds.acquire(timeout=0.5)  # no table: no purge, no error
        migrate(engine)
        _event(engine, "100 days", dt.datetime.now(dt.UTC) - 100 * D)
        assert rounds.acquire(timeout=10)  # retried after 0.2 s, not after an hour
        assert _left(engine) == set()
    finally:
        stop.set()
        engine.dispose()
