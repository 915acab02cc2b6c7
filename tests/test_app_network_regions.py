"""The network page above one city (AppTest, SQLite and PostgreSQL): regions, then one
district's agencies only. The country and its numbers are tests/test_network_regions.py's
(worked out by hand there), period 2024-Q1."""

from __future__ import annotations

import pytest

from lib.db import make_engine
from tests.apptest import clear_caches, point_app_at
from tests.test_app_network import run_app
from tests.test_network_regions import load_tiny_country


@pytest.fixture
def country_url(db_url, monkeypatch):
    engine = make_engine(db_url)
    with engine.begin() as conn:
        load_tiny_country(conn)
    engine.dispose()
    point_app_at(monkeypatch, db_url)
    yield db_url
    clear_caches()


def test_the_nation_shows_flows_by_province_linking_down(country_url):
    at = run_app("case-sharing", period="2024-Q1")
    (frame,) = [d.value for d in at.dataframe]
    rows = {
        link.rsplit("#", 1)[1]: (s, r, a, m)
        for link, s, r, a, m in zip(
            frame["link"],
            frame["sent"],
            frame["received"],
            frame["acceptance_rate"],
            frame["median_response_days"],
            strict=True,
        )
    }
    # 11: R4 sent by P3, R8 received by P3 (수락, 5 days); 44: sent 5, received 6,
    # 2 accepted of 4 answered, days 1 2 3 7 → 2.5
    assert rows == {"11": (1, 1, 100.0, 5.0), "44": (5, 6, 50.0, 2.5)}
    assert all("region=" in link for link in frame["link"])
    # No drawing at the top: no graph, no agency table.
    assert not at.get("arrow_vega_lite_chart") and len(at.dataframe) == 1


def test_a_district_lists_and_draws_its_own_agencies_only(country_url):
    at = run_app("case-sharing", period="2024-Q1", region="44130")
    agencies = at.dataframe[0].value
    # P2 (in 4413051000), X (C3 twice) and Y (a tie, the lower code): not P1, P3 or Z.
    names = sorted(link.rsplit("#", 1)[1] for link in agencies["link"])
    assert names == ["기관P2", "기관X", "기관Y"]
    assert any("3" in c.value and "44130" in c.value for c in at.caption)


def test_an_unknown_region_is_the_top(country_url):
    at = run_app("case-sharing", period="2024-Q1", region="99")
    assert len(at.dataframe) == 1  # the flows by province
