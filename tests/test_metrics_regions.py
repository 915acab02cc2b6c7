"""The metrics engine by district (시·군·구) and province (시·도), on tests/fixture_regions.py.

Every region's row grouped in SQL must equal the hand values of the fixture and the city
row of the scope narrowed to the region (`Scope.within`), for standard periods, a custom
range, and after an import changes rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lib.ingest.importer import import_path
from lib.period import Period
from lib.queries import breakdowns as bd
from lib.queries.metrics import (
    MONTHLY_KEYS,
    compute_metrics,
    monthly_metric_frame,
    rank_neighbourhoods,
    rank_units,
    unit_households,
)
from lib.regions import DISTRICT, PROVINCE, RegionTree
from lib.scope import Scope
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed
from tests.fixture_regions import (
    CODES,
    D1,
    D2,
    D3,
    N1,
    N2,
    N3,
    N4,
    N5,
    P1,
    P2,
    TOP_NAME,
    YEAR_2024,
    load_fixture_regions,
    moved_case_workbook,
)

Y2024 = Period.year(2024)
PERIODS = [
    Y2024,
    Period.parse("2024-H1"),
    Period.parse("2024-Q3"),
    Period.parse("2024-05"),
    Period.between("2024-02-15", "2024-08-20"),  # a custom range
]
DISTRICTS = {D1: (N1, N2), D2: (N3,), D3: (N4, N5)}
PROVINCES = {P1: (N1, N2, N3), P2: (N4, N5)}
S, W, X = Suppressed(SMALL, 5), Suppressed(WITHHELD, 5), Suppressed(COMPLEMENTARY, 5)


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_fixture_regions(c)
    with engine.connect() as c:
        yield c


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_units_are_the_regions_of_the_scopes_neighbourhoods(conn):
    assert list(compute_metrics(conn, Y2024, by="district").index) == [D1, D2, D3]
    assert list(compute_metrics(conn, Y2024, by="province").index) == [P1, P2]
    only = Scope().within(D3, (N4, N5))
    assert list(compute_metrics(conn, Y2024, by="province", scope=only).index) == [P2]
    assert list(compute_metrics(conn, Y2024, by="neighbourhood", scope=only).index) == [N4, N5]
    with pytest.raises(ValueError):
        compute_metrics(conn, Y2024, by="county")


@pytest.mark.parametrize("by", ["district", "province"])
def test_region_values_are_the_hand_values(conn, by):
    frame = compute_metrics(conn, Y2024, by=by)
    for key, expected in YEAR_2024.items():
        for unit in frame.index:
            assert _same(frame.at[unit, key], expected[unit]), (key, unit)


def test_households_are_summed_per_unit(conn):
    # 1,000 + 3,000 · 2,000 · 500 + 1,500; provinces 6,000 and 2,000; all 8,000
    assert unit_households(conn, "district").to_dict() == {D1: 4000, D2: 2000, D3: 2000}
    assert unit_households(conn, "province").to_dict() == {P1: 6000, P2: 2000}
    assert unit_households(conn, "city").to_dict() == {"city": 8000}
    within = Scope().within(P1, PROVINCES[P1])
    assert unit_households(conn, "neighbourhood", within).to_dict() == {
        N1: 1000,
        N2: 3000,
        N3: 2000,
    }


def test_the_unrestricted_city_keeps_city_wide_donations_and_its_target(conn):
    city = compute_metrics(conn, Y2024, by="city").iloc[0]
    # G1 + G2 + G3 + G4 + G5 (city-wide) = 8,800,000; target 10,000,000 → 88 %
    assert city["donations_krw"] == 8_800_000
    assert city["donation_target_rate"] == pytest.approx(88.0)
    # DN1, DN2 and one anonymous donation
    assert city["donors"] == 3
    # the provinces add up to the donations of neighbourhoods only: 3,500,000 + 300,000
    provinces = compute_metrics(conn, Y2024, by="province")
    assert provinces["donations_krw"].sum() == 3_800_000


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.key)
def test_grouped_equals_the_scope_narrowed_to_each_region(conn, period):
    for by, regions in (("district", DISTRICTS), ("province", PROVINCES)):
        grouped = compute_metrics(conn, period, by=by)
        for region, codes in regions.items():
            alone = compute_metrics(conn, period, by="city", scope=Scope().within(region, codes))
            for key in grouped.columns:
                assert _same(grouped.at[region, key], alone.at["city", key]), (by, region, key)


@pytest.mark.parametrize("period", PERIODS[:2] + PERIODS[-1:], ids=lambda p: p.key)
def test_monthly_grouped_equals_the_scope_narrowed_to_each_region(conn, period):
    for by, regions in (("district", DISTRICTS), ("province", PROVINCES)):
        grouped = monthly_metric_frame(conn, period, MONTHLY_KEYS, by=by)
        for region, codes in regions.items():
            scope = Scope().within(region, codes)
            alone = monthly_metric_frame(conn, period, MONTHLY_KEYS, by="city", scope=scope)
            mine = grouped[grouped["scope"] == region].drop(columns="scope")
            assert mine.reset_index(drop=True).equals(
                alone.drop(columns="scope").reset_index(drop=True)
            ), (by, region)


def test_monthly_region_values_by_hand(conn):
    frame = monthly_metric_frame(
        conn, Period.parse("2024-H1"), ["services", "disbursed_krw"], by="province"
    )
    cells = {(r.scope, r.key, str(r.month)[:7]): r.value for r in frame.itertuples()}
    # services: 11 has V1 (Jan), V2 (Feb), V3 (Mar), V4 (May); 44 none in H1 (V6 is Sep)
    assert [cells[(P1, "services", f"2024-0{m}")] for m in range(1, 7)] == [1, 1, 1, 0, 1, 0]
    assert [cells[(P2, "services", f"2024-0{m}")] for m in range(1, 7)] == [0] * 6
    # money: 11 P1 Mar 200,000, P2 Apr 100,000, P3 May 300,000 · 44 P4 Jun 400,000
    assert [cells[(P1, "disbursed_krw", f"2024-0{m}")] for m in range(1, 7)] == [
        0, 0, 200_000, 100_000, 300_000, 0,
    ]  # fmt: skip
    assert cells[(P2, "disbursed_krw", "2024-06")] == 400_000


def test_partner_suppression_per_province(conn):
    link = Scope(neighbourhood_codes=CODES, partner_view=True)
    frame = compute_metrics(conn, Y2024, by="province", scope=link)
    # discovered 6 and 3: 3 is "<5", alone in the line (the two add up to the scope's 9),
    # so the next-smallest, 6, is hidden with it
    assert frame["discovered"].tolist() == [X, S]
    # active 2 and 2: both "<5"; the rate per 1,000 would give them back: withheld
    assert frame["active"].tolist() == [S, S]
    assert frame["active_per_1000"].tolist() == [W, W]
    # 3 and 2 closed values behind each median, 4 and 1 answers behind each rate: withheld
    assert frame["median_days_open"].tolist() == [W, W]
    assert frame["acceptance_rate"].tolist() == [W, W]
    # money given to 2 households each: withheld; money raised is always shown
    assert frame["disbursed_krw"].tolist() == [W, W]
    assert frame["donations_krw"].tolist() == [3_500_000, 300_000]
    # households visited 70 and 20: shown
    assert frame["households_visited"].tolist() == [70, 20]


def test_partner_scope_never_widens_and_regions_follow_it(conn):
    # a link for N1 and N4 only: districts 11110 and 44200 hold just those
    link = Scope(neighbourhood_codes=(N1, N4))
    frame = compute_metrics(conn, Y2024, by="district", scope=link)
    assert list(frame.index) == [D1, D3]
    # 11110 holds only N1: K1, K2 discovered; K2 active of 1,000 households → 1.0
    assert frame.at[D1, "discovered"] == 2
    assert frame.at[D1, "active_per_1000"] == pytest.approx(1.0)
    # 44200 holds only N4: K7 (K8 was discovered in 2023); K8 active of 500 → 2.0
    assert frame.at[D3, "discovered"] == 1
    assert frame.at[D3, "active_per_1000"] == pytest.approx(2.0)


def test_ranks_among_siblings(conn):
    tree = RegionTree.from_frame(
        pd.DataFrame(
            {
                "code": list(CODES),
                "name": ["가동", "나동", "가동", "온양1동", "배방읍"],
                "province_name": ["가나특별시"] * 3 + ["다라도"] * 2,
                "district_name": ["가구", "가구", "나구", "다라시", "다라시"],
            }
        ),
        TOP_NAME,
    )
    # the districts of province 11: 11110 and 11140
    siblings = tree.siblings(D1)
    assert siblings == (D1, D2)
    scope = Scope().within(P1, tree.neighbourhoods_of(P1))
    frame = compute_metrics(conn, Y2024, by="district", scope=scope)
    households = unit_households(conn, "district", scope)
    # discovered per 1,000 households: 4/4000 = 1.0 and 2/2000 = 1.0: a tie, both 1st
    assert rank_units(frame, "discovered", households).to_dict() == {D1: 1, D2: 1}
    # services per 1,000: 3/4000 = 0.75 and 1/2000 = 0.5
    assert rank_units(frame, "services", households).to_dict() == {D1: 1, D2: 2}
    # a neighbourhood ranks among its district's: N1 and N2 of 11110
    within = Scope().within(D1, tree.neighbourhoods_of(D1))
    hoods = compute_metrics(conn, Y2024, by="neighbourhood", scope=within)
    per = unit_households(conn, "neighbourhood", within)
    # discovered: N1 K1, K2 → 2/1000 = 2.0; N2 K3, K4 → 2/3000 ≈ 0.67
    assert rank_neighbourhoods(hoods, "discovered", per).to_dict() == {N1: 1, N2: 2}
    # acceptance rate (not per 1,000): N1 F1 of F1, F2 = 50 %; N2 F3 of F3 = 100 %
    assert rank_units(hoods, "acceptance_rate", per).to_dict() == {N1: 2, N2: 1}


def test_breakdowns_by_region_are_keyed_by_code(conn):
    frame = bd.donations_vs_targets(conn, Y2024, level=DISTRICT)
    # names repeat across the country, codes do not; the unrestricted scope adds the fund
    assert frame["code"].tolist()[:3] == [D1, D2, D3] and pd.isna(frame["code"].iloc[3])
    assert frame["name"].tolist()[:3] == ["가구", "나구", "다라시"]
    assert "neighbourhood_code" not in frame.columns
    # households 4,000 · 2,000 · 2,000; raised as YEAR_2024; given 600,000 · 0 · 450,000
    assert frame["households"].tolist()[:3] == [4000, 2000, 2000]
    assert frame["raised_krw"].tolist() == [1_500_000, 2_000_000, 300_000, 5_000_000]
    assert frame["given_krw"].tolist() == [600_000, 0, 450_000, 0]
    assert frame["target_krw"].isna().all()  # no target is set for a region
    hoods = bd.donations_vs_targets(conn, Y2024)
    # the two 가동 stay apart by code; N1's target 2,000,000: 1,000,000 raised → 50 %
    assert hoods["code"].tolist()[:5] == list(CODES)
    assert hoods["name"].tolist()[:3] == ["가동", "나동", "가동"]
    assert hoods.loc[0, "target_rate"] == pytest.approx(50.0)
    months = bd.donations_by_neighbourhood_month(conn, Y2024, level=PROVINCE)
    rows = {
        (None if pd.isna(r.code) else r.code, str(r.month)[:7]): (r.raised_krw, r.given_krw)
        for r in months.itertuples()
    }
    # 11: G1 Feb, G2 Mar (+ P1 200,000), G3 Apr (+ P2 100,000), P3 May · 44: G4 May, P4 Jun,
    # P5 Jul · the city-wide G5 in June without a code
    assert rows == {
        (P1, "2024-02"): (1_000_000, 0),
        (P1, "2024-03"): (500_000, 200_000),
        (P1, "2024-04"): (2_000_000, 100_000),
        (P1, "2024-05"): (0, 300_000),
        (P2, "2024-05"): (300_000, 0),
        (P2, "2024-06"): (0, 400_000),
        (P2, "2024-07"): (0, 50_000),
        (None, "2024-06"): (5_000_000, 0),
    }
    scoped = bd.donations_by_neighbourhood_month(
        conn, Y2024, Scope().within(P2, PROVINCES[P2]), level=DISTRICT
    )
    assert set(scoped["code"]) == {D3}
    with pytest.raises(ValueError):
        bd.donations_vs_targets(conn, Y2024, level="county")


def test_grouped_equals_filtered_after_an_import_that_changes_rows(engine, tmp_path: Path):
    with engine.begin() as c:
        load_fixture_regions(c)
    path = moved_case_workbook(engine, tmp_path / "regions.xlsx")
    result = import_path(engine, path)
    assert result.outcome == "ok", result.problems
    with engine.connect() as c:
        for period in PERIODS:
            for by, regions in (("district", DISTRICTS), ("province", PROVINCES)):
                grouped = compute_metrics(c, period, by=by)
                for region, codes in regions.items():
                    alone = compute_metrics(
                        c, period, by="city", scope=Scope().within(region, codes)
                    )
                    for key in grouped.columns:
                        assert _same(grouped.at[region, key], alone.at["city", key]), (
                            period.key,
                            region,
                            key,
                        )
        frame = compute_metrics(c, Y2024, by="district")
        # 11140 keeps K6 only: no service, no referral, nothing closed
        assert frame.at[D2, "services"] == 0
        assert frame.at[D2, "referrals_sent"] == 0
        assert frame.at[D2, "median_days_open"] is None
        # 44200: V4 + V6 = 2 services; F4, F5, F6 = 3 referrals; closed 4, 20, 30 → 20
        assert frame.at[D3, "services"] == 2
        assert frame.at[D3, "referrals_sent"] == 3
        assert frame.at[D3, "median_days_open"] == pytest.approx(20.0)
        # P4 400,000 + P5 150,000
        assert frame.at[D3, "disbursed_krw"] == 550_000
        provinces = compute_metrics(c, Y2024, by="province")
        # 11: 10, 51 → 30.5 · 44: 4, 20, 30 → 20
        assert provinces["median_days_open"].tolist() == [30.5, 20.0]
