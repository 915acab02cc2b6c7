"""The export workbook: the contract's format, typed cells, and a lossless round trip."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from lib.cli import main
from lib.ingest.export import export_workbook
from lib.ingest.importer import import_path
from lib.ingest.schema import SHEETS, header_text
from lib.models import DATA_TABLES
from lib.period import Period
from lib.queries.metrics import compute_metrics
from tests.fixture_city import load_fixture_city
from tests.test_import_workbooks import snapshot

# 테스트시's row counts (tests/fixture_city.py): 3 neighbourhoods, 5 agencies, 18 cases,
# 11 services, 10 donations, 7 disbursements, 14 referrals, 6 visits, 8 participants, 2 targets.
FIXTURE_ROWS = {
    "neighbourhoods": 3, "agencies": 5, "cases": 18, "services": 11, "donations": 10,
    "disbursements": 7, "referrals": 14, "outreach": 6, "self_sufficiency": 8, "targets": 2,
}  # fmt: skip


@pytest.fixture
def city(engine):
    with engine.begin() as conn:
        load_fixture_city(conn)
    return engine


def _metrics(engine) -> dict[tuple[str, str], pd.DataFrame]:
    frames = {}
    with engine.connect() as conn:
        for period in ("2024", "2024-H2", "2023", "2024-11"):
            for by in ("city", "neighbourhood", "agency"):
                frames[period, by] = compute_metrics(conn, Period.parse(period), by=by)
    return frames


def test_export_is_in_the_contract_format(city, tmp_path):
    path = tmp_path / "export.xlsx"
    with city.connect() as conn:
        counts = export_workbook(conn, path)
    assert counts == FIXTURE_ROWS
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["안내"] + [s.ko for s in SHEETS]
    for spec in SHEETS:
        sheet = book[spec.ko]
        assert [c.value for c in sheet[1]] == [header_text(f) for f in spec.fields]
        assert sheet.max_row == 1 + FIXTURE_ROWS[spec.name]
    neighbourhood = book["읍면동"]["A2"]
    assert (neighbourhood.value, neighbourhood.data_type, neighbourhood.number_format) == (
        "4420011000",
        "s",
        "@",
    )
    discovered = book["사례"]["C2"]  # C01 discovered 2023-08-01
    assert discovered.value == dt.datetime(2023, 8, 1) and discovered.is_date
    assert book["사례"]["G2"].value == "Y"  # C01 is isolated
    # Targets in key order, the city's (no neighbourhood) first: 20,000,000 then 5,000,000.
    assert [r[1:] for r in book["목표"].iter_rows(min_row=2, values_only=True)] == [
        (None, "donations_krw", 20000000),
        ("4420011000", "donations_krw", 5000000),
    ]


def test_round_trip_into_an_empty_database_keeps_every_row_and_metric(city, tmp_path):
    before_rows, before_metrics = snapshot(city), _metrics(city)
    path = tmp_path / "export.xlsx"
    with city.connect() as conn:
        export_workbook(conn, path)
    with city.begin() as conn:  # empty the database, children first
        for table in reversed(DATA_TABLES):
            conn.execute(sa.delete(table))
    assert all(rows == [] for rows in snapshot(city).values())
    result = import_path(city, path)
    assert result.ok and result.problems == []
    assert {k: c.new for k, c in result.counts.items()} == FIXTURE_ROWS
    assert snapshot(city) == before_rows
    after_metrics = _metrics(city)
    for key, frame in before_metrics.items():
        pd.testing.assert_frame_equal(after_metrics[key], frame, obj=str(key))


def test_reimporting_an_export_changes_nothing(city, tmp_path):
    path = tmp_path / "export.xlsx"
    with city.connect() as conn:
        export_workbook(conn, path)
    result = import_path(city, path, replace=True)
    assert result.ok
    assert {k: (c.new, c.changed, c.deleted) for k, c in result.counts.items()} == {
        k: (0, 0, 0) for k in FIXTURE_ROWS
    }


def test_cli_export(db_url, tmp_path, capsys):
    path = tmp_path / "out.xlsx"
    assert main(["--database-url", db_url, "export", str(path)]) == 0
    assert capsys.readouterr().err.strip() == f"내보냈습니다: 0행 → {path}"
    assert openpyxl.load_workbook(path).sheetnames[1:] == [s.ko for s in SHEETS]


@pytest.mark.slow
def test_demo_city_round_trip_keeps_every_metric(engine, tmp_path):
    from lib.demo import build_demo

    build_demo(engine, scale="city", seed=7)
    before_rows, before_metrics = snapshot(engine), _metrics(engine)
    path = tmp_path / "demo.xlsx"
    with engine.connect() as conn:
        counts = export_workbook(conn, path)
    with engine.begin() as conn:
        for table in reversed(DATA_TABLES):
            conn.execute(sa.delete(table))
    result = import_path(engine, path)
    assert result.ok and result.problems == []
    assert {k: c.new for k, c in result.counts.items()} == counts
    assert snapshot(engine) == before_rows
    after_metrics = _metrics(engine)
    for key, frame in before_metrics.items():
        pd.testing.assert_frame_equal(after_metrics[key], frame, obj=str(key))
