"""Viewers during an import see the old or the new figures, never a mix within one page.

A page draws its sections one after another from cached loaders keyed by the data version.
Here an import commits *between two sections of one script run* (a hook on the metrics
engine, after its first computation of the run): the neighbourhood page of 온양1동 (A),
2024, must then show its own donations tile and the city's value beneath it from the same
state of the data — old (370만원 with the city's 1,260만원) or new (470만원 with
1,360만원), never one of each. SQLite and PostgreSQL (`city_url`).

Hand values (tests/fixture_city.py, donations received in 2024; A's 2023: D01 1,000,000 현금):
  A raised: D02 3,000,000 + D03 500,000 + D04 200,000 = 3,700,000 → 370만원, +270만원 (+270.0%)
  A cash: D02 + D04 = 3,200,000 → 320만원, +220만원 (+220.0%)
  A's target 5,000,000: 3,700,000 / 5,000,000 = 74.0 %
  the city raised 12,600,000 → 1,260만원 (test_app_pages.OVERVIEW_2024_KO); cash: less
  the in-kind D03 500,000, D07 1,500,000, D09 300,000 = 10,300,000 → 1,030만원
The workbook raises D02 (cash) to 4,000,000, one million more in every one of them:
  A 470만원, +370만원 (+370.0%); cash 420만원, +320만원 (+320.0%); 94.0 %; the city
  1,360만원 and 1,130만원. A stays first per 1,000 households in both (4,700 and 4,200 vs B's
  3,600,000 and 2,100,000 over 2,000 households), so the captions' ranks do not change.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

import lib.ingest.importer as importer
from lib import rollup, ui
from lib.db import make_engine
from lib.ingest.importer import import_path
from lib.models import Donation, ImportLog
from tests.apptest import APP, TIMEOUT
from tests.fixture_city import A
from tests.test_import_workbooks import write_xlsx

DONATIONS_HEADER = [
    "후원번호",
    "읍면동코드",
    "접수일",
    "후원자유형",
    "후원자번호",
    "후원형태",
    "금액",
]
# D02 as the fixture has it, with 4,000,000 instead of 3,000,000.
D02_RAISED = ["D02", A, dt.date(2024, 1, 15), "기업", "DN02", "현금", 4_000_000]

_RANK = " · 3개 읍면동 중 1위(1천 세대당, 높은 순)"
# (raised, its change, cash, its change, target reached, the city's raised, the city's cash)
OLD = (
    "370만원", "+270만원 (+270.0%)", "320만원", "+220만원 (+220.0%)", "74.0%",
    "시 전체 1,260만원" + _RANK, "시 전체 1,030만원" + _RANK,
)  # fmt: skip
NEW = (
    "470만원", "+370만원 (+370.0%)", "420만원", "+320만원 (+320.0%)", "94.0%",
    "시 전체 1,360만원" + _RANK, "시 전체 1,130만원" + _RANK,
)  # fmt: skip


def _workbook(tmp_path):
    return write_xlsx(tmp_path / "d02.xlsx", {"후원": [DONATIONS_HEADER, D02_RAISED]})


def _donations_figures(at: AppTest) -> tuple[str, ...]:
    """A's raised and cash tiles (value, change), its target rate, and the city's values
    under the first two, as shown (each from a computation of its own: A's period, A's
    comparison period, the city's period)."""
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    city = [c.value for c in at.caption if c.value.startswith("시 전체") and "만원" in c.value]
    return (*tiles["모금액"], *tiles["현금 모금액"], tiles["모금 목표 달성률"][0], *city[:2])


def _nb_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["period"] = "2024"
    at._page_hash = calc_hash(f"nb-{A}")
    return at


def test_quiet_states_are_the_hand_values(city_url, tmp_path):
    # Without an import in the middle: first the old figures, after the import the new.
    at = _nb_page()
    at.run()
    assert not at.exception
    assert _donations_figures(at) == OLD
    engine = make_engine(city_url)
    assert import_path(engine, _workbook(tmp_path)).ok
    engine.dispose()
    at.run()  # a new run pins the new version (the poll is emptied as an import would)
    assert not at.exception
    assert _donations_figures(at) in (OLD, NEW)
    ui._polled_version.clear()
    at.run()
    assert _donations_figures(at) == NEW


def test_an_import_between_two_sections_never_mixes_old_and_new(city_url, tmp_path, monkeypatch):
    book = _workbook(tmp_path)
    engine = make_engine(city_url)
    fired = []
    original = rollup.compute_metrics_kept  # what the pages' metrics loader calls

    def import_after_the_first_computation(*args, **kwargs):
        frame = original(*args, **kwargs)
        if not fired:  # the run has drawn (or is drawing) its first section: import now
            fired.append(import_path(engine, book))
        return frame

    monkeypatch.setattr(rollup, "compute_metrics_kept", import_after_the_first_computation)
    at = _nb_page()
    at.run()
    engine.dispose()
    assert not at.exception
    assert len(fired) == 1 and fired[0].ok
    assert not at.error and not at.warning
    shown = _donations_figures(at)
    assert shown in (OLD, NEW), f"a mix of old and new figures: {shown}"
    # The import committed during the run; the page was drawn again on the new data.
    assert shown == NEW


def test_a_loader_outside_a_script_run_refuses_a_version_that_is_gone(city_url):
    # Outside a script run there is nothing to run again: the loader fails loudly instead
    # of computing today's figures under yesterday's version.
    with pytest.raises(ui.DataChanged):
        with ui.snapshot(city_url, "a version that never was"):
            pass
    with ui.snapshot(city_url, ui.data_version(city_url)) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Donation)).scalar_one() == 10


def test_the_import_log_commits_with_the_data(city_url, tmp_path, monkeypatch):
    # The log row is what changes the data version: it must become visible in the same
    # commit as the data, never after it (a viewer would cache new figures under the old
    # version). While the log row is written, another connection still sees the old data
    # and the import's own connection the new.
    engine = make_engine(city_url)
    seen = []
    original = importer._log_rows

    def watching(conn, result, user, role):
        own = conn.execute(sa.select(Donation.amount_krw).where(Donation.donation_id == "D02"))
        with engine.connect() as other:
            outside = other.execute(
                sa.select(Donation.amount_krw).where(Donation.donation_id == "D02")
            ).scalar_one()
            logs = other.execute(sa.select(sa.func.count()).select_from(ImportLog)).scalar_one()
        seen.append((own.scalar_one(), outside, logs, conn.in_transaction()))
        original(conn, result, user, role)

    monkeypatch.setattr(importer, "_log_rows", watching)
    assert import_path(engine, _workbook(tmp_path)).ok
    with engine.connect() as conn:
        logs = conn.execute(sa.select(ImportLog.outcome)).scalars().all()
    engine.dispose()
    assert seen == [(4_000_000, 3_000_000, 0, True)]
    assert logs == ["ok"]
