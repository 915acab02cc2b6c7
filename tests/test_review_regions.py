"""`build_review` with region levels, on tests/fixture_regions.py (two provinces).

A neighbourhood's "city value" and rank are its district's; a district's or province's
review has its parent's value and its rank among its siblings (staff only). Values are
the fixture's hand values (2024, compared with 2023: `prev` of a year).
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib.errors import UserError
from lib.period import Period
from lib.review.build import build_review, region_tree
from lib.scope import Scope
from lib.suppression import SMALL, WITHHELD, Suppressed
from tests.fixture_regions import CODES, D1, N1, N2, P1, P2, TOP_NAME, load_fixture_regions


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_fixture_regions(c)
    with engine.connect() as c:
        yield c


def review(conn, kind, code=None, scope=None, **kw):
    return build_review(
        conn,
        kind=kind,
        code=code,
        period=Period.parse("2024"),
        compare="prev",
        scope=scope or Scope.city(),
        lang="ko",
        made_by="담당자",
        made_at=dt.datetime(2025, 1, 2, 9, 30),
        response_limit_days=7,
        city_name=TOP_NAME,
        with_figures=False,
        **kw,
    )


def fact(rev, key):
    return next(f for s in rev.sections for f in s.facts if f.key == key)


def test_a_district_has_its_province_and_its_rank_among_the_provinces_districts(conn):
    rev = review(conn, "district", D1)
    assert (rev.scope_name, rev.parent_name) == ("가구", "가나특별시")
    discovered = fact(rev, "discovered")
    # 11110: K1–K4 = 4; province 11: 6; per 1,000: 4/4000 = 1.0 and 11140 2/2000 = 1.0 (tie)
    assert (discovered.value, discovered.city, discovered.rank, discovered.ranked) == (4, 6, 1, 2)
    # 2023 (the comparison): nothing discovered in 11110 → change +4
    assert (discovered.previous, discovered.change) == (0, 4.0)
    services = fact(rev, "services")
    # 3 of province 11's 4; per 1,000 0.75 against 11140's 0.5 → first of two
    assert (services.value, services.city, services.rank, services.ranked) == (3, 4, 1, 2)
    # the movements are the district's neighbourhoods, by code
    headline = rev.sections[0]
    assert [m.code for m in headline.movements] == [N1, N2]


def test_a_province_has_the_nation_and_its_rank_among_the_provinces(conn):
    tree = region_tree(conn, TOP_NAME)
    rev = review(conn, "province", P2, tree=tree)
    assert (rev.scope_name, rev.parent_name) == ("다라도", TOP_NAME)
    discovered = fact(rev, "discovered")
    # 44: 3 of the nation's 9; per 1,000 3/2000 = 1.5 against 11's 6/6000 = 1.0 → first
    assert (discovered.value, discovered.city, discovered.rank, discovered.ranked) == (3, 9, 1, 2)
    # ranks among provinces, per 1,000 households
    assert rev.sections[0].summary[0].endswith("1천 세대당 2개 시·도 중 1위입니다.")
    donations = fact(rev, "donations_krw")
    # the nation's value is the unrestricted one, with the city-wide G5: 8,800,000
    assert (donations.value, donations.city) == (300_000, 8_800_000)
    # the province's one district
    assert [m.code for m in rev.sections[0].movements] == ["44200"]


def test_a_neighbourhood_ranks_among_its_districts_neighbourhoods(conn):
    rev = review(conn, "neighbourhood", N2)
    assert (rev.scope_name, rev.parent_name) == ("나동", "가구")
    discovered = fact(rev, "discovered")
    # N2: K3, K4 = 2; district 11110: 4; per 1,000 N1 2/1000 = 2.0, N2 2/3000 ≈ 0.67 → 2nd
    assert (discovered.value, discovered.city, discovered.rank, discovered.ranked) == (2, 4, 2, 2)
    active = fact(rev, "active_per_1000")
    # N2: K4 → 1/3000 × 1000; the district's 2/4000 × 1000 = 0.5
    assert active.value == pytest.approx(1000 / 3000)
    assert active.city == pytest.approx(0.5)


def test_the_top_of_a_nation_moves_by_province(conn):
    rev = review(conn, "city")
    assert rev.parent_name is None
    assert [m.code for m in rev.sections[0].movements] == [P1, P2]
    assert rev.movement_level == "province"
    assert fact(rev, "discovered").value == 9
    # discovered 2023 → 2024: 11 from 0 to 6, 44 from 1 (K8) to 3: 11 moved most
    assert rev.sections[0].summary[-1] == (
        "시·도 가운데 변화가 가장 큰 곳은 가나특별시로, 발굴 가구가 6가구 늘었습니다."
    )


def test_a_partners_region_review_has_no_parent_and_comes_suppressed(conn):
    link = Scope(neighbourhood_codes=CODES, partner_view=True)
    rev = review(conn, "district", D1, scope=link)
    assert rev.parent_name is None
    discovered = fact(rev, "discovered")
    # 4 → "<5"; no parent value or rank in a partner's review
    assert discovered.value == Suppressed(SMALL, 5)
    assert (discovered.city, discovered.rank) == (None, None)
    # 2 households given money → withheld
    assert fact(rev, "disbursed_krw").value == Suppressed(WITHHELD, 5)
    # a link never widens: a region outside it is unknown
    with pytest.raises(UserError):
        review(conn, "district", D1, scope=Scope(neighbourhood_codes=("4420011000",)))


def test_unknown_regions_are_refused(conn):
    with pytest.raises(UserError):
        review(conn, "district", "99999")
    with pytest.raises(UserError):
        review(conn, "province", D1)  # a district's code is not a province


def test_a_provinces_ranking_figure_lists_its_districts(conn):
    rev = build_review(
        conn,
        kind="province",
        code=P1,
        period=Period.parse("2024"),
        compare="prev",
        scope=Scope.city(),
        lang="ko",
        made_by="담당자",
        made_at=dt.datetime(2025, 1, 2, 9, 30),
        response_limit_days=7,
        city_name=TOP_NAME,
        with_figures=True,
    )
    ranking = next(f for f in rev.sections[0].figures if f.key == "ranking")
    table = ranking.table
    # active per 1,000: 가구 2/4000 × 1000 = 0.5, 나구 0 → 1st and 2nd
    assert list(table.columns) == ["시·군·구", "1천 세대당 진행 사례", "순위"]
    assert table.values.tolist() == [["가구", 0.5, 1], ["나구", 0.0, 2]]
