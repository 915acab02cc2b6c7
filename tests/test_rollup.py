"""The metric cube (lib/rollup.py): every metric read from it equals the metric computed
from the rows, on tests/fixture_regions.py (two provinces, three districts, five
neighbourhoods, every regional value worked by hand), on SQLite and PostgreSQL.

Checked: every grouping and region scope the pages ask for, standard periods, the
year-to-date range (kept) and a custom range (never kept); values read back a second time
come from the cube (a row changed behind its back is not seen until the cube is
cleared); an import empties it, and the figures after it are the new rows'; a database
that refuses the write (read-only) still gets its figures.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lib import rollup
from lib.db import make_engine
from lib.ingest.importer import import_path
from lib.models import Disbursement
from lib.period import Period
from lib.queries.metrics import compute_metrics
from lib.scope import Scope
from tests.fixture_regions import (
    D1,
    D2,
    D3,
    N1,
    N2,
    N3,
    N4,
    N5,
    P1,
    YEAR_2024,
    load_fixture_regions,
    moved_case_workbook,
)

Y2024 = Period.year(2024)
KEPT = [
    Y2024,
    Period.parse("2024-H1"),
    Period.parse("2024-Q3"),
    Period.parse("2024-05"),
    Period.between("2024-01-01", "2024-08-20"),  # year to date: kept
]
CUSTOM = Period.between("2024-02-15", "2024-08-20")  # any other range: computed every time
P1_SCOPE = Scope().within(P1, (N1, N2, N3))
D3_SCOPE = Scope().within(D3, (N4, N5))
# (grouping, scope): what the top, a province's and a district's pages ask for.
ASKED = [
    ("city", Scope()),
    ("province", Scope()),
    ("district", Scope()),
    ("neighbourhood", Scope()),
    ("agency", Scope()),
    ("city", P1_SCOPE),
    ("district", P1_SCOPE),
    ("neighbourhood", P1_SCOPE),
    ("city", D3_SCOPE),
    ("neighbourhood", D3_SCOPE),
]


@pytest.fixture
def loaded(engine):
    with engine.begin() as c:
        load_fixture_regions(c)
    return engine


def _same(a, b) -> bool:
    """Exactly the same value: ints as ints, floats to the last bit, undefined as None."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and (a == b or (math.isnan(a) and math.isnan(b)))
    return type(a) is type(b) and a == b


def _assert_frames_equal(got: pd.DataFrame, want: pd.DataFrame, where) -> None:
    assert list(got.index) == list(want.index), where
    assert list(got.columns) == list(want.columns), where
    for unit in want.index:
        for key in want.columns:
            assert _same(got.at[unit, key], want.at[unit, key]), (where, unit, key)


def _rows(engine) -> int:
    with engine.connect() as c:
        return rollup.kept_rows(c)


@pytest.mark.parametrize("by,scope", ASKED, ids=lambda v: v if isinstance(v, str) else v.region)
def test_every_metric_read_from_the_cube_equals_the_rows(loaded, by, scope):
    for period in [*KEPT, CUSTOM]:
        with loaded.connect() as c:
            want = compute_metrics(c, period, by=by, scope=scope)
        before = _rows(loaded)
        first = rollup.compute_metrics_kept(loaded, period, by, scope)  # computed, kept
        kept_now = _rows(loaded)
        second = rollup.compute_metrics_kept(loaded, period, by, scope)  # read back
        _assert_frames_equal(first, want, (period.key, by, "first"))
        _assert_frames_equal(second, want, (period.key, by, "second"))
        if period == CUSTOM:
            assert kept_now == before  # a custom range is never kept
        else:
            assert kept_now > before or before > 0
        assert _rows(loaded) == kept_now  # reading back writes nothing


@pytest.mark.parametrize("by", ["district", "province"])
def test_the_hand_values_come_back_from_the_cube(loaded, by):
    rollup.compute_metrics_kept(loaded, Y2024, by)
    frame = rollup.compute_metrics_kept(loaded, Y2024, by)
    for key, expected in YEAR_2024.items():
        for unit in frame.index:
            value, hand = frame.at[unit, key], expected[unit]
            if isinstance(hand, float):
                assert value == pytest.approx(hand), (key, unit)
            else:
                assert value == hand, (key, unit)


def test_a_region_s_own_row_is_shared_with_its_parent_s_grouping(loaded):
    # The top's district grouping keeps 11110, 11140 and 44200 once: a district page's
    # "city" row (44200's scope) and a province page's districts read those same rows.
    rollup.compute_metrics_kept(loaded, Y2024, "district")
    kept = _rows(loaded)
    assert kept == 3
    d3 = rollup.compute_metrics_kept(loaded, Y2024, "city", D3_SCOPE)
    in_p1 = rollup.compute_metrics_kept(loaded, Y2024, "district", P1_SCOPE)
    assert _rows(loaded) == kept  # nothing new to compute
    assert list(in_p1.index) == [D1, D2]
    assert d3.at["city", "services"] == YEAR_2024["services"][D3] == 1
    assert in_p1.at[D1, "disbursed_krw"] == 600_000


def test_kept_values_are_read_not_recomputed_until_cleared(loaded):
    rollup.compute_metrics_kept(loaded, Y2024, "district")
    # P4 (K8, 44200) changed behind the cube's back, with no import: the kept value stays
    with loaded.begin() as c:
        c.execute(
            sa.update(Disbursement)
            .where(Disbursement.disbursement_id == "P4")
            .values(amount_krw=1_400_000)
        )
    assert rollup.compute_metrics_kept(loaded, Y2024, "district").at[D3, "disbursed_krw"] == (
        450_000
    )
    with loaded.begin() as c:
        rollup.clear(c)
    # P4 1,400,000 + P5 50,000
    assert rollup.compute_metrics_kept(loaded, Y2024, "district").at[D3, "disbursed_krw"] == (
        1_450_000
    )


def test_an_import_empties_the_cube_and_the_new_rows_are_read(loaded, tmp_path: Path):
    for by, scope in ASKED:
        for period in KEPT:
            rollup.compute_metrics_kept(loaded, period, by, scope)
    assert _rows(loaded) > 0
    path = moved_case_workbook(loaded, tmp_path / "regions.xlsx")
    result = import_path(loaded, path)
    assert result.outcome == "ok", result.problems
    assert _rows(loaded) == 0
    for by, scope in ASKED:
        for period in [*KEPT, CUSTOM]:
            with loaded.connect() as c:
                want = compute_metrics(c, period, by=by, scope=scope)
            rollup.compute_metrics_kept(loaded, period, by, scope)
            got = rollup.compute_metrics_kept(loaded, period, by, scope)
            _assert_frames_equal(got, want, (period.key, by, scope.region, "after import"))
    frame = rollup.compute_metrics_kept(loaded, Y2024, "district")
    # 11140 keeps K6 only: no service; 44200: V4 + V6 = 2 services, closed 4, 20, 30 → 20
    assert frame.at[D2, "services"] == 0
    assert frame.at[D3, "services"] == 2
    assert frame.at[D3, "median_days_open"] == 20.0
    # P4 400,000 + P5 150,000
    assert frame.at[D3, "disbursed_krw"] == 550_000


def test_what_is_kept_and_what_is_not():
    assert all(rollup.kept(p) for p in KEPT)
    assert not rollup.kept(CUSTOM)
    assert not rollup.kept(Period.between("2023-01-01", "2024-03-31"))  # spans two years
    partner = Scope(neighbourhood_codes=(N1,), partner_view=True)
    assert rollup.kept_grouping("city", partner) is None
    assert rollup.kept_grouping("neighbourhood", Scope(agency_code="AG1")) is None
    assert rollup.kept_grouping("agency", Scope()) == "agency"
    assert rollup.kept_grouping("agency", P1_SCOPE) is None
    # codes without a region: a set the cube cannot name
    assert rollup.kept_grouping("city", Scope(neighbourhood_codes=(N1, N4))) is None
    assert rollup.kept_grouping("city", P1_SCOPE) == "province"
    assert rollup.kept_grouping("city", D3_SCOPE) == "district"
    assert rollup.kept_grouping("district", P1_SCOPE) == "district"
    # a province's row from a district's scope would hold that district only
    assert rollup.kept_grouping("province", D3_SCOPE) is None
    # one neighbourhood's "city" row has no target rate: not its neighbourhood row
    assert rollup.kept_grouping("city", Scope().within(N1, (N1,))) is None
    assert rollup.kept_grouping("neighbourhood", Scope().within(N1, (N1,))) == "neighbourhood"


def test_warm_keeps_the_default_period_for_every_grouping(loaded):
    seconds = rollup.warm(loaded, periods=[Y2024])
    assert set(seconds) == {"city", "province", "district", "neighbourhood"}
    # 1 city + 2 provinces + 3 districts + 5 neighbourhoods
    assert _rows(loaded) == 11
    with loaded.connect() as c:
        want = compute_metrics(c, Y2024, by="neighbourhood")
    _assert_frames_equal(rollup.compute_metrics_kept(loaded, Y2024, "neighbourhood"), want, "nb")
    assert list(want.index) == [N1, N2, N3, N4, N5]


def test_a_read_only_database_still_gets_its_figures(loaded, db_url):
    reader = make_engine(db_url)
    # A handler of its own: the `itda` logger may not propagate (lib/logs.py sets it up).
    lines: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("itda.rollup")
    logger.addHandler(handler)

    @sa.event.listens_for(reader, "connect")
    def _read_only(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if reader.dialect.name == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()
        if reader.dialect.name == "postgresql":
            dbapi_connection.commit()

    try:
        with loaded.connect() as c:
            want = compute_metrics(c, Y2024, by="district")
        got = rollup.compute_metrics_kept(reader, Y2024, "district")
        _assert_frames_equal(got, want, "read-only")
        assert _rows(loaded) == 0
        assert any("metric cube not written" in line for line in lines)
    finally:
        logger.removeHandler(handler)
        reader.dispose()


def test_the_rollup_command_rebuilds_the_cube(loaded, db_url, capsys):
    from lib.cli import main

    rollup.compute_metrics_kept(loaded, Period.parse("2024-Q1"), "district")
    assert _rows(loaded) == 3
    assert main(["--database-url", db_url, "rollup", "--period", "2024"]) == 0
    # the old quarter is gone; 2024 for 1 city + 2 provinces + 3 districts + 5 neighbourhoods
    assert _rows(loaded) == 11
    assert "11행" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:
        main(["--database-url", db_url, "rollup", "--period", "2024-13"])
    assert refused.value.code == 2
    assert _rows(loaded) == 11
