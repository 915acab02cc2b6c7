"""A hand-made `Review` of 테스트시's 온양1동 (A) for 2024 against 2023, for the renderers' tests.

The values are the fixture's, worked out by hand (tests/fixture_city.py; 2024 from
tests/test_metrics_fixture.py, 2023 counted from the fixture's tables):

- discovered: 2024 C03–C08 = 6; 2023 C01 (08-01), C02 (10-05) = 2 → +4, +200.0 %;
  city 13; rank per 1,000 households: A 6.0, B 3.0, C 2.0 → 1st of 3.
- donations_krw: 2024 D02 3M + D03 0.5M + D04 0.2M = 3,700,000 (370만원);
  2023 D01 1,000,000 (100만원) → +2,700,000 (+270만원), +270.0 %; city 12,600,000 (1,260만원).
- acceptance_rate: 2024 3 of 4 = 75.0 %; 2023 R01 accepted of 1 = 100.0 % → -25.0 %p.
- median_days_open: 2024 189.0 days; 2023 none closed in A → undefined ("–").

The charts are small Altair charts drawn from those numbers (the renderers do not care
where a chart comes from).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import altair as alt
import pandas as pd

from lib.access import KST
from lib.charts.theme import themed
from lib.period import Period
from lib.review.model import Fact, Figure, Review, Section
from lib.suppression import Suppressed

A_NAME = "온양1동"


def bar_chart(title_x: str, labels: list[str], values: list[float]) -> alt.Chart:
    frame = pd.DataFrame({"label": labels, "value": values})
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(x=alt.X("label:N", title=title_x), y=alt.Y("value:Q", title="사례(건)"))
        .properties(height=220)
    )
    return themed(chart)


def sample_review(partner: bool = False, lang: str = "ko") -> Review:
    """온양1동's review; `partner`: as its share link would see it (suppressed, no city)."""
    small = Suppressed("small", 5) if partner else None
    discovered = Fact(
        "discovered",
        6,
        small if partner else 2,
        None if partner else 4.0,
        None if partner else Decimal("200.0"),
        city=None if partner else 13,
        rank=None if partner else 1,
        ranked=None if partner else 3,
    )
    donations = Fact(
        "donations_krw",
        3_700_000,
        1_000_000,
        2_700_000.0,
        Decimal("270.0"),
        city=None if partner else 12_600_000,
        rank=None if partner else 1,
        ranked=None if partner else 3,
    )
    acceptance = Fact(
        "acceptance_rate",
        Suppressed("withheld", 5) if partner else 75.0,
        100.0,
        None if partner else -25.0,
        None,
        city=None if partner else 500 / 7,
        rank=None if partner else 1,
        ranked=None if partner else 2,
    )
    median = Fact("median_days_open", 189.0, None, None, None, city=None if partner else 167.0)
    trend = bar_chart("월", ["1월", "2월", "3월"], [1, 0, 1])
    sections = (
        Section(
            "caseload",
            "사례관리",
            ("2024년 온양1동의 발굴 가구는 6가구로 전기보다 4가구(200.0%) 늘었습니다.",),
            (discovered, median),
            (Figure("caseload_trend", "월별 발굴", trend), Figure("stages", "단계", trend)),
        ),
        Section(
            "donations",
            "후원",
            ("2024년 온양1동의 모금액은 370만원입니다.",),
            (donations,),
            (Figure("raised_given", "모금과 지원", trend),),
        ),
        Section(
            "sharing",
            "사례공유",
            ("2024년 온양1동이 보낸 의뢰의 수락률은 75.0%입니다.",),
            (acceptance,),
            (),
        ),
    )
    return Review(
        lang=lang,
        city_name="테스트시",
        kind="neighbourhood",
        code="4420011000",
        scope_name=A_NAME,
        period=Period.year(2024),
        compare="prev",
        comparison=Period.year(2023),
        as_of=dt.date(2024, 12, 31),
        made_by="명령줄(tester)",
        made_at=dt.datetime(2025, 1, 6, 9, 30, tzinfo=KST),
        partner_view=partner,
        summary=("2024년 온양1동의 발굴 가구는 6가구로 전기보다 4가구(200.0%) 늘었습니다.",),
        sections=sections,
    )
