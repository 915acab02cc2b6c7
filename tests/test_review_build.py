"""`build_review` on the fixture city 테스트시: every number worked out by hand.

The current values are those of tests/test_metrics_fixture.py (2024-H1, 2024); the
comparison periods' values are worked out here from tests/fixture_city.py, each with its
arithmetic. A = 온양1동 (1,000 households), B = 배방읍 (2,000), C = 송악면 (500).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lib.errors import UserError
from lib.metric_defs import AGENCY_METRIC_KEYS, HEADLINE_KEYS
from lib.period import Period
from lib.review.build import build_review
from lib.scope import Scope
from lib.suppression import Suppressed
from tests.fixture_city import A, B, C, load_fixture_city

MADE_AT = dt.datetime(2025, 1, 2, 9, 30)


@pytest.fixture
def conn(engine):
    with engine.begin() as c:
        load_fixture_city(c)
    with engine.connect() as c:
        yield c


def review(conn, kind="city", code=None, period="2024-H1", compare="prev", scope=None, **kw):
    return build_review(
        conn,
        kind=kind,
        code=code,
        period=Period.parse(period),
        compare=compare,
        scope=scope or Scope.city(),
        lang=kw.pop("lang", "ko"),
        made_by="담당자",
        made_at=MADE_AT,
        response_limit_days=7,
        city_name="테스트시",
        **kw,
    )


def facts(section):
    return {f.key: f for f in section.facts}


def section(rev, key):
    return next(s for s in rev.sections if s.key == key)


# ---- the city -----------------------------------------------------------------------------


def test_city_review_against_the_previous_period(conn):
    rev = review(conn)
    assert rev.kind == "city" and rev.code is None
    assert rev.scope_name == "테스트시 전체"
    assert rev.period == Period.parse("2024-H1")
    assert rev.comparison == Period.parse("2023-H2")
    assert rev.as_of == dt.date(2024, 12, 31)
    assert rev.made_by == "담당자" and rev.made_at == MADE_AT and not rev.partner_view
    assert [s.key for s in rev.sections] == [
        "headline",
        "caseload",
        "donations",
        "sharing",
        "outreach",
        "self_sufficiency",
    ]
    head = rev.sections[0]
    assert head.title == "주요 지표"
    assert [f.key for f in head.facts] == list(HEADLINE_KEYS)
    f = facts(head)
    # discovered: 2024-H1 6; 2023-H2 C01 C02 C09 C10 C11 = 5 → +1, 1/5 = 20.0 %
    assert (f["discovered"].value, f["discovered"].previous) == (6, 5)
    assert f["discovered"].change == 1 and f["discovered"].percent == Decimal("20.0")
    # donations: 10,600,000; 2023-H2 D01 1,000,000 + D10 400,000 → +9,200,000 = 657.1 %
    d = f["donations_krw"]
    assert (d.value, d.previous, d.change) == (10_600_000, 1_400_000, 9_200_000)
    assert d.percent == Decimal("657.1")
    # acceptance: 80.0 %; 2023-H2: R01 (A) and R14 (B) accepted, R07 answered 2024 → 100 %
    a = f["acceptance_rate"]
    assert a.value == pytest.approx(80.0) and a.previous == pytest.approx(100.0)
    assert a.change == pytest.approx(-20.0) and a.percent is None  # a rate: points only
    # The city has no city value or rank of its own.
    assert all(x.city is None and x.rank is None and x.ranked is None for x in head.facts)


def test_city_area_sections_hold_their_metrics(conn):
    rev = review(conn)
    assert "referrals_received" not in facts(section(rev, "sharing"))
    caseload = facts(section(rev, "caseload"))
    # closed: 2024-H1 4; 2023-H2 C09 (12-20) = 1 → +3, 300.0 %
    assert (caseload["closed"].value, caseload["closed"].previous) == (4, 1)
    assert caseload["closed"].percent == Decimal("300.0")
    # median days open: 144.0; 2023-H2 C09 153 → −9 days, no per cent (days)
    m = caseload["median_days_open"]
    assert (m.value, m.previous, m.change, m.percent) == (144.0, 153.0, -9.0, None)
    assert section(rev, "outreach").title == "찾아가는 방문"


def test_city_review_a_year_earlier(conn):
    rev = review(conn, compare="yoy")
    assert rev.comparison == Period.parse("2023-H1") and rev.compare == "yoy"
    f = facts(section(rev, "self_sufficiency"))
    # ss_active at 2023-06-30: SS01, SS05, SS08 = 3; 2024-H1 4 → +1, 33.3 %
    assert (f["ss_active"].value, f["ss_active"].previous) == (4, 3)
    assert f["ss_active"].percent == Decimal("33.3")
    # No case was identified before 2023-07: 0 → 6 is a change of 6 with no per cent.
    d = facts(rev.sections[0])["discovered"]
    assert (d.previous, d.change, d.percent) == (0, 6, None)


def test_city_movements_are_every_neighbourhood_on_the_lead_metric(conn):
    head = review(conn).sections[0]
    moves = {m.code: m for m in head.movements}
    assert list(moves) == [A, B, C]
    assert moves[A].name == "온양1동"
    # discovered in A: 2024-H1 C03 C04 C05 = 3; 2023-H2 C01 C02 = 2 → +1, 50.0 %
    assert (moves[A].fact.value, moves[A].fact.previous, moves[A].fact.change) == (3, 2, 1)
    assert moves[A].fact.percent == Decimal("50.0")
    # B: C12 C13 C14 = 3; 2023-H2 C09 C10 C11 = 3 → 0; C: 0 and 0, no per cent of 0
    assert (moves[B].fact.change, moves[B].fact.percent) == (0, Decimal("0.0"))
    assert (moves[C].fact.change, moves[C].fact.percent) == (0, None)


def test_city_figures_and_their_tables(conn):
    rev = review(conn)
    head = rev.sections[0]
    assert [f.key for f in head.figures] == [
        "ranking",
        "caseload_trend",
        "raised_given",
        "referrals_trend",
    ]
    ranking = head.figures[0]
    # active per 1,000 households in 2024-H1: A 3/1,000, B 3/2,000, C 0/500
    assert ranking.table.columns.tolist() == ["읍면동", "1천 세대당 진행 사례", "순위"]
    assert ranking.table.values.tolist() == [
        ["온양1동", 3.0, 1],
        ["배방읍", 1.5, 2],
        ["송악면", 0.0, 3],
    ]
    assert [f.key for f in section(rev, "caseload").figures] == [
        "caseload_trend",
        "channels",
        "profile",
        "stages",
    ]
    trend = section(rev, "caseload").figures[0]
    assert trend.title == "월별 추이"
    assert trend.table.columns.tolist() == ["월", "발굴", "신규 사례관리", "종결"]
    # 2024-01: C03 identified (01-10), C03 and C11 opened, none closed (C01 closed 02-15)
    assert trend.table.iloc[0].tolist() == ["2024.01", 1, 2, 0]
    money = section(rev, "donations").figures[0]
    assert money.key == "raised_given"
    assert money.table.columns.tolist() == ["월", "모금액(원)", "지원액(원)"]
    # 2024-01: D02 3,000,000 raised; P01 300,000 given
    assert money.table.iloc[0].tolist() == ["2024.01", 3_000_000, 300_000]
    assert section(rev, "outreach").figures == ()


def test_english_review_has_english_titles_and_headers(conn):
    rev = review(conn, lang="en")
    assert rev.scope_name == "테스트시"
    assert rev.sections[0].title == "Headline metrics"
    assert section(rev, "caseload").title == "Caseload"
    trend = section(rev, "caseload").figures[0]
    assert trend.table.columns.tolist() == ["Month", "Identified", "New cases", "Closed"]


def test_without_figures(conn):
    rev = review(conn, with_figures=False)
    assert all(s.figures == () for s in rev.sections)
    assert facts(rev.sections[0])["discovered"].value == 6


# ---- a neighbourhood ----------------------------------------------------------------------


def test_neighbourhood_review_with_city_value_and_rank(conn):
    rev = review(conn, "neighbourhood", A)
    assert rev.scope_name == "온양1동" and rev.code == A
    assert [s.key for s in rev.sections][:2] == ["headline", "caseload"]
    f = facts(rev.sections[0])
    # discovered: A 3 (city 6); per 1,000: A 3.0, B 1.5, C 0.0 → 1st of 3
    d = f["discovered"]
    assert (d.value, d.previous, d.change, d.percent) == (3, 2, 1, Decimal("50.0"))
    assert (d.city, d.rank, d.ranked) == (6, 1, 3)
    # donations: A 3,500,000 vs D01 1,000,000 → +2,500,000 = 250.0 %; city 10,600,000;
    # per 1,000: A 3,500, B 1,050, C 0 → 1st of 3
    m = f["donations_krw"]
    assert (m.value, m.previous, m.change, m.percent) == (3_500_000, 1_000_000, 2_500_000, 250)
    assert (m.city, m.rank, m.ranked) == (10_600_000, 1, 3)
    # acceptance: A 200/3 %, 2023-H2 R01 1/1 = 100 %; ranked: A 66.7, B 100, C none → 2nd of 2
    a = f["acceptance_rate"]
    assert a.value == pytest.approx(200 / 3) and a.change == pytest.approx(200 / 3 - 100)
    assert a.city == pytest.approx(80.0) and (a.rank, a.ranked, a.percent) == (2, 2, None)
    sharing = facts(section(rev, "sharing"))
    assert "referrals_received" not in sharing
    # median days to respond: A 5.0 (2 5 10); 2023-H2 R01 3 days → +2; B 7.0, C none → 2nd of 2
    r = sharing["median_response_days"]
    assert (r.value, r.previous, r.change, r.rank, r.ranked) == (5.0, 3.0, 2.0, 2, 2)


def test_neighbourhood_figures_use_its_own_data(conn):
    rev = review(conn, "neighbourhood", A)
    assert [f.key for f in rev.sections[0].figures] == ["caseload_trend"]
    trend = rev.sections[0].figures[0]
    # A in 2024-01: C03 identified and opened (C11, opened 01-05, is B's)
    assert trend.table.iloc[0].tolist() == ["2024.01", 1, 1, 0]


def test_a_chart_of_nothing_but_zeros_is_left_out(conn):
    # C has nothing in 2024-H1 but households: no case, donation or referral before November.
    rev = review(conn, "neighbourhood", C)
    assert all(s.figures == () for s in rev.sections)
    d = facts(rev.sections[0])["discovered"]
    assert (d.value, d.previous, d.percent, d.rank, d.ranked) == (0, 0, None, 3, 3)


def test_partner_view_is_suppressed_without_city_value_or_rank(conn):
    scope = Scope(neighbourhood_codes=(A,), partner_view=True)
    rev = review(conn, "neighbourhood", A, scope=scope)
    assert rev.partner_view
    for s in rev.sections:
        for f in s.facts:
            assert f.city is None and f.rank is None and f.ranked is None, f.key
    f = facts(rev.sections[0])
    # 3 households identified: fewer than 5, shown as "<5", so no change and no per cent
    assert f["discovered"].value == Suppressed("small", 5)
    assert f["discovered"].change is None and f["discovered"].percent is None
    # Money raised is always shown: 3,500,000 against 1,000,000
    assert f["donations_krw"].value == 3_500_000 and f["donations_krw"].change == 2_500_000
    assert f["acceptance_rate"].value == Suppressed("withheld", 5)  # a rate over 4 answers
    # Its charts' tables read "<5" where a count is hidden.
    trend = rev.sections[0].figures[0]
    assert trend.table.iloc[0].tolist() == ["2024.01", "<5", "<5", 0]


def test_partner_city_review_covers_its_scope_only(conn):
    scope = Scope(neighbourhood_codes=(A,), partner_view=True)
    rev = review(conn, scope=scope, with_figures=False)
    assert rev.scope_name == "온양1동"
    f = facts(rev.sections[0])
    assert f["donations_krw"].value == 3_500_000  # A's donations, not the city's 10.6M


def test_a_neighbourhood_outside_the_scope_is_unknown(conn):
    scope = Scope(neighbourhood_codes=(A,), partner_view=True)
    with pytest.raises(UserError) as err:
        review(conn, "neighbourhood", B, scope=scope)
    assert B in err.value.ko and "찾을 수 없습니다" in err.value.ko
    assert B in err.value.en and "No neighbourhood" in err.value.en


def test_unknown_codes_kinds_and_comparisons(conn):
    with pytest.raises(UserError) as err:
        review(conn, "neighbourhood", "9999999999")
    assert "읍면동 코드 '9999999999'" in err.value.ko
    with pytest.raises(UserError) as err:
        review(conn, "agency", "AG99")
    assert "기관 코드 'AG99'" in err.value.ko and "No agency has the code 'AG99'" in err.value.en
    with pytest.raises(UserError):
        review(conn, "province")
    with pytest.raises(UserError) as err:
        review(conn, compare="mom")
    assert "prev" in err.value.ko and "prev or yoy" in err.value.en


# ---- an agency ----------------------------------------------------------------------------


def test_agency_review(conn):
    rev = review(conn, "agency", "AG03", period="2024")
    assert rev.scope_name == "테스트종합사회복지관"
    assert rev.comparison == Period.parse("2023")
    assert [s.key for s in rev.sections] == ["headline", "referrals", "responses"]
    assert [s.title for s in rev.sections] == ["주요 지표", "의뢰 주고받기", "응답"]
    assert [f.key for f in rev.sections[0].facts] == list(AGENCY_METRIC_KEYS)
    f = facts(rev.sections[0])
    # 2024 (test_metrics_fixture) against 2023: AG03 sent nothing in 2023 (R10, R12 are
    # 2024); it received R01 (08-15, answered 08-18, completed) and R07 (12-20, answered
    # 2024-01-04): answered 1 accepted → 100 %, median 3 days, R07 waiting 11 days > 7.
    assert (f["referrals_sent"].value, f["referrals_sent"].previous) == (2, 0)
    assert f["referrals_sent"].percent is None  # no per cent of 0
    assert (f["referrals_received"].value, f["referrals_received"].previous) == (4, 2)
    assert f["referrals_received"].percent == Decimal("100.0")
    assert f["acceptance_rate"].change == pytest.approx(200 / 3 - 100)
    assert (f["median_response_days"].value, f["median_response_days"].previous) == (7.0, 3.0)
    assert (f["pending"].value, f["pending"].previous, f["pending"].change) == (1, 1, 0)
    assert f["pending"].percent == Decimal("0.0")
    assert (f["overdue"].value, f["overdue"].previous) == (1, 1)
    assert (f["completion_rate"].value, f["completion_rate"].previous) == (0.0, 100.0)
    assert all(x.city is None and x.rank is None for x in rev.sections[0].facts)
    trend = rev.sections[0].figures[0]
    assert trend.key == "response_trend" and trend.title == "응답 소요일 추이"
    # Its own line: R02 (01-08 → 01-10, 2 days); the network's in 2024-01: R02 2, R03 5
    rows = trend.table.values.tolist()
    assert ["2024.01", "테스트종합사회복지관", 2.0, 1] in rows
    assert ["2024.01", "전체 네트워크", 3.5, 2] in rows


# ---- the written summaries, end to end ------------------------------------------------------


def test_summaries_of_the_city(conn):
    rev = review(conn)
    # active at 2023-12-31: C01 C02 C10 = 3 → 6 (+3); served in 2023-H2: S01 C01, S07 C10,
    # P06 C09 = 3 → 6 (+3); by neighbourhood, discovered moved A +1, B 0, C 0.
    assert rev.summary == (
        "2024년 상반기 테스트시 전체의 발굴 가구는 6가구로 전기보다 1가구(20.0%) 늘었습니다.",
        "진행 중 사례는 6건으로 3건(100.0%) 늘었고, 서비스 지원 가구는 6가구로 3가구(100.0%) "
        "늘었습니다.",
        "읍면동 가운데 변화가 가장 큰 곳은 온양1동으로, 발굴 가구가 1가구(50.0%) 늘었습니다.",
    )
    assert rev.sections[0].summary == rev.summary
    assert section(rev, "donations").summary[0] == (
        "2024년 상반기 테스트시 전체의 모금액은 1,060만원으로 전기보다 920만원(657.1%) 늘었습니다."
    )


def test_summaries_of_a_neighbourhood(conn):
    rev = review(conn, "neighbourhood", A)
    # active in A at 2023-12-31: C01 C02 = 2 → 3; served in 2023-H2: S01 C01 = 1 → 3;
    # of the rest, referrals sent rose most in %: R01 = 1 → 4 (+300 %; donations +250 %).
    assert rev.summary == (
        "2024년 상반기 온양1동의 발굴 가구는 3가구로 전기보다 1가구(50.0%) 늘었고, "
        "1천 세대당 3개 읍면동 중 1위입니다.",
        "진행 중 사례는 3건으로 1건(50.0%) 늘었고, 서비스 지원 가구는 3가구로 2가구(200.0%) "
        "늘었습니다.",
        "가장 크게 변한 지표는 의뢰 건수로, 전기보다 3건(300.0%) 늘었습니다.",
    )
    en = review(conn, "neighbourhood", A, lang="en", with_figures=False)
    assert en.summary[0] == (
        "In H1 2024, households identified in 온양1동 stood at 3, up 1 (50.0%) on the previous "
        "period, ranking 1st of 3 neighbourhoods per 1,000 households."
    )


def test_summaries_of_a_partner_view_have_no_rank_and_no_hidden_number(conn):
    scope = Scope(neighbourhood_codes=(A,), partner_view=True)
    rev = review(conn, "neighbourhood", A, scope=scope, with_figures=False)
    # discovered, active, served and referrals are "<5", disbursed withheld: left out.
    assert rev.summary == (
        "2024년 상반기 온양1동의 모금액은 350만원으로 전기보다 250만원(250.0%) 늘었습니다.",
        "기한 초과 대기는 0건으로 변동이 없습니다.",
    )
    assert section(rev, "caseload").summary == ()


def test_a_city_review_under_an_agency_s_link_has_its_case_sharing_metrics_only(conn):
    # An agency's link covers referrals only: the network page's review of its scope.
    scope = Scope(agency_code="AG03", partner_view=True)
    rev = review(conn, scope=scope, period="2024")
    assert rev.scope_name == "테스트종합사회복지관" and rev.partner_view
    assert [f.key for f in rev.sections[0].facts] == [
        "referrals_sent",
        "acceptance_rate",
        "overdue",
    ]
    assert [s.key for s in rev.sections] == ["headline", "sharing"]
    assert "ranking" not in [f.key for f in rev.sections[0].figures]
    assert all(f.city is None and f.rank is None for s in rev.sections for f in s.facts)
