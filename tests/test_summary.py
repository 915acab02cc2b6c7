"""The written summaries (lib/review/summary.py) against sentences written by hand.

No database: the facts are made here (value, previous, and the change and per cent as the
engine's `metric_change` and `percent_change` give them), the sentences written out in full.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib.period import Period
from lib.review.build import make_fact
from lib.review.model import Movement, Review, Section
from lib.review.summary import final_sound, josa, section_summary, with_summaries
from lib.suppression import Suppressed

SMALL = Suppressed("small", 5)
WITHHELD = Suppressed("withheld", 5)


def review(
    *sections, kind="neighbourhood", name="한빛1동", period="2024-H1", compare="yoy", lang="ko"
):
    p = Period.parse(period)
    return Review(
        lang=lang,
        city_name="테스트시",
        kind=kind,
        code=None if kind == "city" else "X",
        scope_name=name,
        period=p,
        compare=compare,
        comparison=p.year_earlier() if compare == "yoy" else p.previous(),
        as_of=dt.date(2024, 12, 31),
        made_by="담당자",
        made_at=dt.datetime(2025, 1, 2, 9, 0),
        partner_view=False,
        summary=(),
        sections=tuple(sections),
    )


def section(*facts, key="caseload", movements=()):
    return Section(key, key, (), tuple(facts), (), tuple(movements))


def summary(*facts, **kw):
    movements = kw.pop("movements", ())
    sec = section(*facts, movements=movements)
    return section_summary(review(sec, **kw), sec)


# ---- particles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, pair, expected",
    [
        # Hangul: no final consonant, ㄹ, another final consonant
        ("한빛1동", "은/는", "한빛1동은"),
        ("온양면", "은/는", "온양면은"),
        ("아라리", "은/는", "아라리는"),
        ("배미마을", "은/는", "배미마을은"),
        ("온양면", "이/가", "온양면이"),
        ("아라리", "이/가", "아라리가"),
        ("서울", "이/가", "서울이"),
        ("모금액", "을/를", "모금액을"),
        ("수락률", "을/를", "수락률을"),
        ("전기", "과/와", "전기와"),
        ("전년 동기", "과/와", "전년 동기와"),
        ("지원액", "과/와", "지원액과"),
        # 로/으로: ㄹ takes 로
        ("서울", "으로/로", "서울로"),
        ("배미마을", "으로/로", "배미마을로"),
        ("온양1동", "으로/로", "온양1동으로"),
        ("55가구", "으로/로", "55가구로"),
        ("7건", "으로/로", "7건으로"),
        ("3.5억원", "으로/로", "3.5억원으로"),
        ("1,060만원", "으로/로", "1,060만원으로"),
        ("1.0일", "으로/로", "1.0일로"),
        # numbers read aloud: 1 일, 2 이, 3 삼, 6 육, 7 칠, 8 팔, 0 영, 십, 백, 천, 만, 억
        ("1", "으로/로", "1로"),
        ("1", "은/는", "1은"),
        ("2", "은/는", "2는"),
        ("3", "으로/로", "3으로"),
        ("4", "이/가", "4가"),
        ("6", "으로/로", "6으로"),
        ("7", "으로/로", "7로"),
        ("8", "이/가", "8이"),
        ("9", "이/가", "9가"),
        ("0", "으로/로", "0으로"),
        ("10", "으로/로", "10으로"),
        ("20", "은/는", "20은"),
        ("100", "으로/로", "100으로"),
        ("1,000", "으로/로", "1,000으로"),
        ("10000", "으로/로", "10000으로"),
        ("250,000", "이/가", "250,000이"),
        ("100000000", "으로/로", "100000000으로"),
        ("1000000000000", "은/는", "1000000000000는"),  # 조
        ("2.5", "으로/로", "2.5로"),
        ("2.0", "으로/로", "2.0으로"),
        ("17.1", "은/는", "17.1은"),
        ("중앙3", "은/는", "중앙3은"),
        ("중앙2", "은/는", "중앙2는"),
        # per cent reads 퍼센트, %p 퍼센트포인트
        ("80.0%", "으로/로", "80.0%로"),
        ("8.6%p", "이/가", "8.6%p가"),
        # Latin letters by their Korean names: L 엘, R 알 (ㄹ); M 엠, N 엔; others a vowel
        ("KT", "은/는", "KT는"),
        ("LH", "은/는", "LH는"),
        ("URL", "은/는", "URL은"),
        ("URL", "으로/로", "URL로"),
        ("IBM", "으로/로", "IBM으로"),
        ("Itda", "은/는", "Itda는"),
        # a closing parenthesis: the word before it decides; alone, the words inside
        ("종결 사례 관리기간(중앙값)", "은/는", "종결 사례 관리기간(중앙값)은"),
        ("응답 소요일(중앙값)", "으로/로", "응답 소요일(중앙값)로"),
        ("희망센터(본관)", "이/가", "희망센터(본관)가"),
        ("(중앙값)", "은/는", "(중앙값)은"),
    ],
)
def test_particles(word, pair, expected):
    assert josa(word, pair) == expected


def test_final_sounds():
    assert final_sound("한빛1동") == "other"
    assert final_sound("서울") == "rieul"
    assert final_sound("아라리") == "none"
    assert final_sound("") == "none"
    assert final_sound("福") == "none"  # Hanja: documented as no final consonant


# ---- sentences: Korean -------------------------------------------------------------------


def test_the_issues_example_a_fall_with_its_rank():
    # 55 against 74 a year earlier: −19, 19/74 = 25.68 % → 25.7 %; 16th of 17 per 1,000
    fact = make_fact("discovered", 55, 74, city=1000, rank=16, ranked=17)
    assert summary(fact) == (
        "2024년 상반기 한빛1동의 발굴 가구는 55가구로 전년 동기보다 19가구(25.7%) 줄었고, "
        "1천 세대당 17개 읍면동 중 16위입니다.",
    )


def test_a_rise_no_change_and_no_comparison_and_the_largest_movement():
    facts = [
        make_fact("opened", 12, 10),  # +2, 20.0 %
        make_fact("active", 30, 30),  # no change
        make_fact("closed", 5, None),  # no comparison: no change clause
        make_fact("services", 40, 20),  # +20, 100.0 %: the largest per cent not yet named
        make_fact("isolated_active", 6, 5),  # +1, 20.0 %
    ]
    assert summary(*facts) == (
        "2024년 상반기 한빛1동의 신규 사례관리는 12건으로 전년 동기보다 2건(20.0%) 늘었습니다.",
        "진행 중 사례는 30건으로 변동이 없고, 종결 사례는 5건입니다.",
        "가장 크게 변한 지표는 서비스 제공 건수로, 전년 동기보다 20건(100.0%) 늘었습니다.",
    )


def test_no_change_in_the_lead_and_a_plain_clause_first():
    facts = [
        make_fact("active", 30, 30),
        make_fact("closed", 5, None),
        make_fact("services", 40, 41),  # −1, 1/41 = 2.44 % → 2.4 %
    ]
    assert summary(*facts, compare="prev") == (
        "2024년 상반기 한빛1동의 진행 중 사례는 30건으로 전기와 같습니다.",
        "종결 사례는 5건이고, 서비스 제공 건수는 40건으로 1건(2.4%) 줄었습니다.",
    )


def test_no_comparison_with_and_without_a_rank():
    assert summary(make_fact("discovered", 55, None, rank=16, ranked=17)) == (
        "2024년 상반기 한빛1동의 발굴 가구는 55가구로 1천 세대당 17개 읍면동 중 16위입니다.",
    )
    assert summary(make_fact("discovered", 55, SMALL)) == (
        "2024년 상반기 한빛1동의 발굴 가구는 55가구입니다.",
    )


def test_a_change_from_zero_has_no_per_cent():
    assert summary(make_fact("ss_started", 3, 0)) == (
        "2024년 상반기 한빛1동의 신규 자활 참여는 3명으로 전년 동기보다 3명 늘었습니다.",
    )


def test_suppressed_and_undefined_values_are_left_out():
    facts = [
        make_fact("discovered", SMALL, 7),  # "<5": never written
        make_fact("high_risk_share", None, 20.0),  # undefined: never written as 0
        make_fact("active", 8, 6),  # +2, 2/6 = 33.3 %
        make_fact("plan_on_time_rate", WITHHELD, 50.0),
    ]
    assert summary(*facts) == (
        "2024년 상반기 한빛1동의 진행 중 사례는 8건으로 전년 동기보다 2건(33.3%) 늘었습니다.",
    )
    assert summary(make_fact("discovered", SMALL, 7), make_fact("active", None, 3)) == ()


def test_rates_change_in_points_and_rank_without_households():
    # 71.4 % against 80.0 %: −8.6 %p; rates rank on their own value (not per 1,000)
    fall = make_fact("acceptance_rate", 71.4, 80.0, rank=3, ranked=17)
    rise = make_fact("completion_rate", 50.0, 40.0)
    assert summary(fall, rise) == (
        "2024년 상반기 한빛1동의 수락률은 71.4%로 전년 동기보다 8.6%p 낮아졌고, "
        "17개 읍면동 중 3위입니다.",
        "연계 완료율은 50.0%로 10.0%p 높아졌습니다.",
    )


def test_days_end_in_rieul_and_take_ro():
    fact = make_fact("median_response_days", 1.0, 3.0)
    assert summary(fact) == (
        "2024년 상반기 한빛1동의 응답 소요일(중앙값)은 1.0일로 전년 동기보다 2.0일 줄었습니다.",
    )


def test_money_in_eok_and_man_won_and_the_city_neighbourhood_that_moved_most():
    facts = [
        make_fact("donations_krw", 350_000_000, 300_000_000),  # +5,000만원, 16.7 %
        make_fact("donations_cash_krw", 35_000, 30_000),  # +5,000원, 16.7 %
        make_fact("disbursed_krw", 12_000_000, 12_000_000),
    ]
    moves = [
        Movement("1", "온양1동", make_fact("donations_krw", 100_000_000, 80_000_000)),
        Movement("2", "배미마을", make_fact("donations_krw", 200_000_000, 150_000_000)),
        Movement("3", "송악면", make_fact("donations_krw", 50_000_000, 70_000_000)),
    ]
    got = summary(
        *facts, movements=moves, kind="city", name="테스트시 전체", period="2024", compare="prev"
    )
    assert got == (
        "2024년 테스트시 전체의 모금액은 3.5억원으로 전기보다 5,000만원(16.7%) 늘었습니다.",
        "현금 모금액은 3.5만원으로 5,000원(16.7%) 늘었고, 지원액은 1,200만원으로 변동이 없습니다.",
        # 배미마을: +5,000만원 (50/150 = 33.3 %), the largest change; 마을 takes 로
        "읍면동 가운데 변화가 가장 큰 곳은 배미마을로, 모금액이 5,000만원(33.3%) 늘었습니다.",
    )


def test_the_city_mover_ties_go_to_the_first_and_one_neighbourhood_is_no_mover():
    lead = make_fact("discovered", 20, 20)
    moves = [
        Movement("1", "온양1동", make_fact("discovered", 10, 15)),  # −5
        Movement("2", "아라리", make_fact("discovered", 10, 5)),  # +5: as large, later
        Movement("3", "송악면", make_fact("discovered", SMALL, 0)),  # no change to name
    ]
    got = summary(lead, movements=moves, kind="city", name="테스트시 전체")
    assert (
        got[-1]
        == "읍면동 가운데 변화가 가장 큰 곳은 온양1동으로, 발굴 가구가 5가구(33.3%) 줄었습니다."
    )
    one = summary(lead, movements=moves[1:2], kind="city", name="아라리")
    assert one == ("2024년 상반기 아라리의 발굴 가구는 20가구로 전년 동기와 같습니다.",)
    still = [Movement(m.code, m.name, make_fact("discovered", 4, 4)) for m in moves]
    assert len(summary(lead, movements=still, kind="city", name="테스트시 전체")) == 1


def test_a_name_without_a_final_consonant_as_the_city_mover():
    moves = [
        Movement("1", "아라리", make_fact("households_visited", 30, 10)),  # +20, 200.0 %
        Movement("2", "온양면", make_fact("households_visited", 30, 25)),  # +5
    ]
    got = summary(
        make_fact("households_visited", 60, 35), movements=moves, kind="city", name="테스트시 전체"
    )
    assert (
        got[-1]
        == "읍면동 가운데 변화가 가장 큰 곳은 아라리로, 방문 세대가 20세대(200.0%) 늘었습니다."
    )


def test_an_agency_review_opens_with_its_headline():
    facts = [
        make_fact("referrals_sent", 2, 0),
        make_fact("referrals_received", 4, 2),  # +2, 100.0 %
        make_fact("acceptance_rate", 200 / 3, 100.0),  # −33.3 %p
        make_fact("median_response_days", 7.0, 3.0),
        make_fact("pending", 1, 1),
        make_fact("overdue", 3, 1),  # +2, 200.0 %: the largest per cent not yet named
        make_fact("completion_rate", 0.0, 100.0),
    ]
    head = Section("headline", "주요 지표", (), tuple(facts))
    rev = with_summaries(
        review(head, kind="agency", name="테스트종합사회복지관", period="2024", compare="prev")
    )
    assert (
        rev.summary
        == rev.sections[0].summary
        == (
            "2024년 테스트종합사회복지관의 의뢰 건수는 2건으로 전기보다 2건 늘었습니다.",
            "수신 건수는 4건으로 2건(100.0%) 늘었고, 수락률은 66.7%로 33.3%p 낮아졌습니다.",
            "가장 크게 변한 지표는 기한 초과 대기로, 전기보다 2건(200.0%) 늘었습니다.",
        )
    )


# ---- sentences: English -------------------------------------------------------------------


def test_english_the_issues_example():
    fact = make_fact("discovered", 55, 74, rank=16, ranked=17)
    assert summary(fact, lang="en") == (
        "In H1 2024, households identified in 한빛1동 stood at 55, down 19 (25.7%) on the "
        "same period last year, ranking 16th of 17 neighbourhoods per 1,000 households.",
    )


def test_english_rates_plain_unchanged_and_largest_change():
    facts = [
        make_fact("acceptance_rate", 71.4, 80.0, rank=3, ranked=17),
        make_fact("active", 30, 30),
        make_fact("closed", 5, None),
        make_fact("services", 40, 20),
    ]
    assert summary(*facts, lang="en") == (
        "In H1 2024, acceptance rate in 한빛1동 stood at 71.4%, down 8.6 pp on the same "
        "period last year, ranking 3rd of 17 neighbourhoods.",
        "Active cases stood at 30, unchanged; closed cases stood at 5.",
        "The largest change was in services delivered: up 20 (100.0%) on the same period "
        "last year.",
    )
    assert summary(make_fact("active", 30, 30), lang="en", compare="prev") == (
        "In H1 2024, active cases in 한빛1동 stood at 30, unchanged from the previous period.",
    )


def test_english_money_and_the_city_mover():
    moves = [
        Movement("1", "온양1동", make_fact("donations_krw", 100_000_000, 80_000_000)),
        Movement("2", "배미마을", make_fact("donations_krw", 200_000_000, 150_000_000)),
    ]
    got = summary(
        make_fact("donations_krw", 350_000_000, 300_000_000),
        movements=moves,
        kind="city",
        name="테스트시",
        period="2024",
        compare="prev",
        lang="en",
    )
    assert got == (
        "In 2024, donations raised in 테스트시 stood at ₩350.0M, up ₩50.0M (16.7%) on the "
        "previous period.",
        "Among the neighbourhoods, 배미마을 changed most, with donations raised up ₩50.0M (33.3%).",
    )
