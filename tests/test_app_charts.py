"""The dashboard's charts (lib.charts.dashboard): they plot exactly the frames given, themed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from lib.charts import dashboard as charts
from lib.charts.months import month_axis_expr
from lib.charts.theme import FONT, PALETTE, STATUS_COLOURS
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed

MONTHS = [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
MONTHLY = pd.DataFrame(
    {
        "month": MONTHS,
        "discovered": [3, 1],
        "opened": [2, 0],
        "closed": [0, 1],
        "services": [4, 2],
        "donations_krw": [3_000_000, 2_100_000],
        "disbursed_krw": [300_000, 200_000],
        "referrals_sent": [2, 2],
    }
)


def _rows(spec: dict) -> list[dict]:
    """The rows of the chart's first dataset."""
    return next(iter(spec["datasets"].values()))


def _all_rows(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def test_month_label():
    assert charts.month_label(dt.date(2024, 3, 1)) == "2024.03"


@pytest.mark.parametrize(
    "build",
    [
        lambda lang: charts.caseload_trend_chart(MONTHLY, lang),
        lambda lang: charts.raised_given_chart(MONTHLY, lang),
        lambda lang: charts.referrals_trend_chart(MONTHLY, lang),
    ],
)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_chart_has_the_theme(build, lang):
    spec = build(lang).to_dict()
    config = spec["config"]
    assert config["font"] == FONT and "Noto Sans KR" in FONT
    assert config["axisX"]["labelAngle"] == 0
    assert config["range"]["category"] == list(PALETTE)


def test_caseload_trend_plots_three_series_per_month_in_words():
    spec = charts.caseload_trend_chart(MONTHLY, "ko").to_dict()
    rows = _rows(spec)
    # 2 months × (발굴, 신규 사례관리, 종결)
    assert [(r["month_label"], r["series"], r["value"]) for r in rows] == [
        ("2024.01", "발굴", 3),
        ("2024.02", "발굴", 1),
        ("2024.01", "신규 사례관리", 2),
        ("2024.02", "신규 사례관리", 0),
        ("2024.01", "종결", 0),
        ("2024.02", "종결", 1),
    ]
    assert spec["encoding"]["x"]["sort"] == ["2024.01", "2024.02"]
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0


def test_raised_given_draws_man_won_and_tooltips_read_as_the_tiles():
    rows = _rows(charts.raised_given_chart(MONTHLY, "ko").to_dict())
    # bars in 만원 (3,000,000 원 = 300만원); tooltips in the tiles' short form
    assert [(r["series"], r["value"], r["text"]) for r in rows] == [
        ("모금액", 300, "300만원"),
        ("모금액", 210, "210만원"),
        ("지원액", 30, "30.0만원"),
        ("지원액", 20, "20.0만원"),
    ]
    rows = _rows(charts.raised_given_chart(MONTHLY, "en").to_dict())
    # in English, thousands of won: 3,000,000 → 3,000 (₩K), "₩3.0M"
    assert (rows[0]["series"], rows[0]["value"], rows[0]["text"]) == ("Raised", 3000, "₩3.0M")


@pytest.mark.parametrize(
    "build, title_ko, title_en",
    [
        (lambda lang: charts.caseload_trend_chart(MONTHLY, lang), "사례(건)", "Cases"),
        (lambda lang: charts.raised_given_chart(MONTHLY, lang), "금액(만원)", "Amount (₩K)"),
        (lambda lang: charts.referrals_trend_chart(MONTHLY, lang), "의뢰(건)", "Referrals"),
    ],
)
def test_monthly_charts_name_their_axes_with_units(build, title_ko, title_en):
    for lang, title in (("ko", title_ko), ("en", title_en)):
        encoding = build(lang).to_dict()["encoding"]
        y = encoding["y"]
        assert y.get("title", y.get("axis", {}).get("title")) == title
        assert encoding["x"]["title"] == ("월" if lang == "ko" else "Month")


def test_category_charts_name_their_value_axes_with_units():
    stages = pd.DataFrame(
        {"stage": ["identified", "opened", "planned", "closed"], "cases": [1] * 4}
    )
    assert charts.stages_chart(stages).to_dict()["layer"][0]["encoding"]["x"]["title"] == (
        "사례(건)"
    )
    buckets = pd.DataFrame({"bucket": ["0", "1-3"], "referrals": [1, 2]})
    encoding = charts.response_times_chart(buckets, "ko").to_dict()["encoding"]
    assert encoding["x"]["title"] == "응답 소요일(일)"
    assert encoding["y"]["title"] == "의뢰(건)"
    targets = pd.DataFrame(
        {"name": ["갑동"], "raised_krw": [1], "given_krw": [1], "target_krw": [float("nan")]}
    )
    bars = charts.targets_chart(targets, "en").to_dict()["layer"][0]["encoding"]
    assert bars["x"]["axis"]["title"] == "Amount (₩K)"


def test_a_month_without_data_is_a_gap_not_a_zero():
    # March and April 2024 lie after the data's as-of date (recorded False): their 0s
    # are "no data yet", so the line has nulls there and breaks instead of falling to 0;
    # February's real 0 (nothing opened) stays a 0.
    monthly = pd.concat(
        [
            MONTHLY.assign(recorded=True),
            MONTHLY.assign(
                month=[dt.date(2024, 3, 1), dt.date(2024, 4, 1)],
                recorded=False,
                **{c: 0 for c in MONTHLY.columns if c != "month"},
            ),
        ],
        ignore_index=True,
    )
    spec = charts.caseload_trend_chart(monthly, "ko").to_dict()
    opened = [
        (r["month_label"], r["value"], r["text"]) for r in _rows(spec) if r["key"] == "opened"
    ]
    assert opened == [
        ("2024.01", 2, "2"),
        ("2024.02", 0, "0"),
        ("2024.03", None, "자료 없음"),
        ("2024.04", None, "자료 없음"),
    ]
    # every month keeps its place on the axis, and a null breaks the line
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2024.01", "2024.02", "2024.03", "2024.04"]
    assert spec["mark"]["invalid"] == "break-paths-show-domains"
    money = _rows(charts.raised_given_chart(monthly, "ko").to_dict())
    assert [r["value"] for r in money if r["key"] == "donations_krw"] == [300, 210, None, None]


def test_ranking_sorts_highest_first_and_leaves_out_missing_values():
    frame = pd.DataFrame({"name": ["갑동", "을동", "병동"], "value": [1.5, None, 4.0]})
    spec = charts.ranking_chart(
        frame, "ko", value_title="1천 세대당", unit="per_1000", city_value=2.0, highlight="갑동"
    ).to_dict()
    # the city line first, under the bars and their (haloed) value labels; the city's
    # words last, above the plot
    rule, bars, halo, labels, rule_label = spec["layer"]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == [
        "rule",
        "bar",
        "text",
        "text",
        "text",
    ]
    assert halo["mark"]["stroke"] == "white" and labels["mark"]["dx"] > 0
    assert rule_label["mark"]["baseline"] == "bottom" and rule_label["mark"]["y"] == 0
    assert bars["encoding"]["y"]["sort"] == ["병동", "갑동"]
    # the axis says which way the ranks run (metrics.md: rank 1 is the highest)
    assert bars["encoding"]["y"]["title"] == "읍면동 (높은 순)"
    city, data = _all_rows(spec)
    data = {r["name"]: (r["value"], r["text"], r["focus"]) for r in data}
    assert data == {"병동": (4.0, "4.0", False), "갑동": (1.5, "1.5", True)}
    assert [r["text"] for r in city] == ["시 전체 2.0"]


def test_ranking_of_money_in_man_won_with_the_tiles_labels():
    frame = pd.DataFrame({"name": ["갑동", "을동"], "value": [12_600_000, 150_000_000]})
    spec = charts.ranking_chart(
        frame, "ko", value_title="모금액(만원)", unit="krw", city_value=100_000_000
    ).to_dict()
    city, data = _all_rows(spec)
    # 150,000,000 원 = 15,000만원, labelled 1.5억원; 12,600,000 = 1,260만원; the city
    # line at 10,000만원, its words "1.0억원" (억 always with its decimal)
    assert [(r["name"], r["value"], r["text"]) for r in data] == [
        ("을동", 15_000, "1.5억원"),
        ("갑동", 1_260, "1,260만원"),
    ]
    assert [(r["value"], r["text"]) for r in city] == [(10_000, "시 전체 1.0억원")]


def test_channels_in_english_words():
    frame = pd.DataFrame({"channel": ["이웃신고", "찾아가는방문"], "cases": [2, 3]})
    spec = charts.channels_chart(frame, "en").to_dict()
    assert [(r["label"], r["value"]) for r in _rows(spec)] == [("Neighbour", 2), ("Outreach", 3)]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Neighbour", "Outreach"]


def test_profile_stacks_risk_levels_in_order_with_colour_blind_safe_colours():
    frame = pd.DataFrame(
        {
            "household_type": ["노인부부", "노인부부", "한부모"],
            "risk_level": ["위기", "고위험", "일반"],
            "cases": [1, 2, 1],
        }
    )
    spec = charts.profile_chart(frame, "ko").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["일반", "위기", "고위험"]
    assert spec["encoding"]["y"]["sort"] == ["노인부부", "한부모"]
    assert [(r["type_label"], r["risk_rank"], r["cases"]) for r in _rows(spec)] == [
        ("노인부부", 1, 1),
        ("노인부부", 2, 2),
        ("한부모", 0, 1),
    ]
    # room for the axis and the legend on top of one band per household type
    assert spec["height"] == 2 * charts.ROW + charts.AXIS_ROOM + charts.LEGEND_ROOM


def test_stages_in_workflow_order():
    frame = pd.DataFrame(
        {"stage": ["identified", "opened", "planned", "closed"], "cases": [2, 2, 5, 8]}
    )
    spec = charts.stages_chart(frame, "ko").to_dict()
    rows = _rows(spec)
    assert [(r["label"], r["value"]) for r in rows] == [
        ("발굴", 2),
        ("사례관리 시작", 2),
        ("계획 수립·서비스", 5),
        ("종결", 8),
    ]
    # what it counts, its total (2 + 2 + 5 + 8 = 17), and the two stages that make the
    # 진행 중 사례 tile: 2 + 5 = 7
    assert spec["title"]["text"] == "기간 중 다룬 사례 17건의 기간 말 단계"
    assert spec["title"]["subtitle"] == (
        "사례관리 시작 2건 + 계획 수립·서비스 5건 = 진행 중 사례 7건"
    )


def test_stages_of_a_partner_say_what_they_count_without_sums():
    frame = pd.DataFrame(
        {
            "stage": ["identified", "opened", "planned", "closed"],
            "cases": pd.Series([Suppressed(SMALL), 6, Suppressed(COMPLEMENTARY), 9], dtype=object),
        }
    )
    spec = charts.stages_chart(frame, "en").to_dict()
    assert spec["title"]["text"] == "Cases handled in the period, by stage at its end"
    assert "active cases" in spec["title"]["subtitle"]


def test_statuses_use_the_shared_status_colours():
    frame = pd.DataFrame({"status": list(STATUS_COLOURS), "referrals": [2, 2, 2, 2, 1, 2]})
    spec = charts.statuses_chart(frame, "en").to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Sent", "Accepted", "Declined", "Completed", "Failed", "Withdrawn"]
    assert scale["range"] == list(STATUS_COLOURS.values())


def test_response_times_mark_buckets_past_the_limit():
    frame = pd.DataFrame(
        {"bucket": ["0", "1-3", "4-7", "8-14", "15-30", "31+"], "referrals": [0, 1, 4, 2, 0, 0]}
    )
    rows = _rows(charts.response_times_chart(frame, "ko", limit_days=7).to_dict())
    # buckets start on day 0, 1, 4, 8, 15, 31: past a 7-day limit from "8–14일" on
    assert [r["limit"] for r in rows] == ["기한 내"] * 3 + ["기한 초과"] * 3
    rows = _rows(charts.response_times_chart(frame, "ko", limit_days=3).to_dict())
    assert [r["limit"] for r in rows] == ["기한 내"] * 2 + ["기한 초과"] * 4


def test_donor_types_keep_every_month_of_the_period_on_the_axis():
    frame = pd.DataFrame(
        {
            "month": [dt.date(2024, 2, 1)],
            "donor_type": ["종교단체"],
            "amount_krw": [2_000_000],
            "donations": [1],
        }
    )
    spec = charts.donor_types_chart(frame, "en", months=MONTHS).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2024.01", "2024.02"]
    # ₩2,000,000: drawn as 2,000 thousand won, read as the tiles write it
    assert [(r["type_label"], r["amount_krw"], r["text"]) for r in _rows(spec)] == [
        ("Religious", 2000, "₩2.0M")
    ]


def test_targets_chart_draws_a_tick_only_where_there_is_a_target():
    frame = pd.DataFrame(
        {
            "name": ["온양1동", "배방읍"],
            "raised_krw": [3_700_000, 3_600_000],
            "given_krw": [800_000, 950_000],
            "target_krw": [5_000_000.0, float("nan")],
        }
    )
    spec = charts.targets_chart(frame, "ko").to_dict()
    bars, ticks = _all_rows(spec)
    assert len(bars) == 4  # raised and given for each neighbourhood
    assert [(r["name"], r["target_krw"], r["text"]) for r in ticks] == [
        ("온양1동", 500.0, "500만원")
    ]


def test_donations_heatmap_of_money_given():
    frame = pd.DataFrame(
        {
            "name": ["온양1동", "배방읍"],
            "month": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
            "given_krw": [300_000, 200_000],
        }
    )
    spec = charts.donations_heatmap_chart(frame, "ko", MONTHS, measure="given_krw").to_dict()
    cells = spec["layer"][0]["encoding"]
    assert cells["color"]["field"] == "given_krw"
    assert cells["color"]["title"] == "지원액(만원)"
    assert [(r["name"], r["month_label"], r["given_krw"], r["text"]) for r in _rows(spec)] == [
        ("온양1동", "2024.01", 30, "30.0만원"),
        ("배방읍", "2024.02", 20, "20.0만원"),
    ]


def test_month_ticks_name_the_year_at_the_start_and_in_january():
    spec = charts.caseload_trend_chart(MONTHLY, "ko").to_dict()
    expr = spec["encoding"]["x"]["axis"]["labelExpr"]
    assert expr == month_axis_expr("ko")
    # one style: "3월", and "24년 1월" at the first tick and at a new year
    assert _label(expr, "2024.03", 0.5) == "3월"
    assert _label(expr, "2024.03", 0) == "24년 3월"
    assert _label(expr, "2025.01", 0.8) == "25년 1월"
    english = month_axis_expr("en")
    assert _label(english, "2024.03", 0.5) == "Mar"
    assert _label(english, "2025.01", 0.8) == "Jan '25"
    # tooltips give the whole month
    rows = _rows(spec)
    assert rows[0]["month_text"] == "2024년 1월"
    assert _rows(charts.caseload_trend_chart(MONTHLY, "en").to_dict())[0]["month_text"] == (
        "Jan 2024"
    )


def _label(expr: str, value: str, index: float) -> str:
    """What the Vega label expression `expr` gives for a tick, evaluated in Python with
    the few Vega functions and operators it uses (slice, toNumber, ?:, ||, ==, +)."""
    condition, _, branches = expr.partition(" ? ")
    yes, _, no = branches.partition(" : ")
    python = f"({yes}) if ({condition.replace('||', ' or ')}) else ({no})"
    names = {"datum": _Datum(value, index), "slice": _vega_slice, "toNumber": _VegaNumber}
    return eval(python, names)  # the expression is the app's own, built in lib.charts


class _Datum:
    def __init__(self, value: str, index: float) -> None:
        self.value, self.index = value, index


def _vega_slice(text: str, start: int, end: int | None = None) -> str:
    return text[start:end]


class _VegaNumber(int):
    """A number that, as in JavaScript, joins text when added to it."""

    def __new__(cls, text: str) -> _VegaNumber:
        return super().__new__(cls, int(text))

    def __add__(self, other):
        return str(int(self)) + other if isinstance(other, str) else _VegaNumber(int(self) + other)

    def __radd__(self, other):
        return other + str(int(self)) if isinstance(other, str) else _VegaNumber(other + int(self))

    def __sub__(self, other):
        return int(self) - other


def _arrow_ready(chart) -> bool:
    """Streamlit ships chart data as Arrow, which holds no Suppressed objects."""
    for layer in [chart, *getattr(chart, "layer", [])]:
        if isinstance(layer.data, pd.DataFrame):
            pa.Table.from_pandas(layer.data)
    return True


def test_partner_frames_with_hidden_values_draw_nothing_for_them():
    small, hidden = Suppressed(SMALL), Suppressed(COMPLEMENTARY)
    withheld = Suppressed(WITHHELD)
    # monthly_activity of a partner: Jan's 3 "<5", Feb's 6 hidden with it; money withheld.
    monthly = MONTHLY.astype(object).assign(
        discovered=[small, hidden], disbursed_krw=[withheld, 200_000]
    )
    rows = _rows(charts.caseload_trend_chart(monthly, "ko").to_dict())
    found = [(r["value"], r["text"]) for r in rows if r["key"] == "discovered"]
    assert found == [(None, "<5"), (None, "–")]
    money = _rows(charts.raised_given_chart(monthly, "ko").to_dict())
    given = [(r["value"], r["text"]) for r in money if r["key"] == "disbursed_krw"]
    assert given == [(None, "–"), (20, "20.0만원")]
    # A category's hidden count: no bar, and its label "<5" drawn at zero.
    channels = pd.DataFrame(
        {"channel": ["이웃신고", "본인신청"], "cases": pd.Series([7, small], dtype=object)}
    )
    spec = charts.channels_chart(channels, "ko").to_dict()
    assert [(r["value"], r["text"]) for r in _rows(spec)] == [(7, "7"), (None, "<5")]
    assert spec["layer"][1]["mark"]["invalid"] == "show"
    profile = pd.DataFrame(
        {
            "household_type": ["한부모", "한부모"],
            "risk_level": ["일반", "고위험"],
            "cases": pd.Series([hidden, small], dtype=object),
        }
    )
    rows = _rows(charts.profile_chart(profile, "en").to_dict())
    assert [(r["cases"], r["text"]) for r in rows] == [(None, "–"), (None, "<5")]
    targets = pd.DataFrame(
        {
            "name": ["갑동", "을동"],
            "raised_krw": [1_000_000, 0],
            "given_krw": pd.Series([withheld, hidden], dtype=object),
            "target_krw": [2_000_000.0, float("nan")],
        }
    )
    built = [
        charts.caseload_trend_chart(monthly),
        charts.raised_given_chart(monthly),
        charts.channels_chart(channels),
        charts.profile_chart(profile),
        charts.targets_chart(targets),
    ]
    assert all(_arrow_ready(chart) for chart in built)


def _contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_value_labels_are_in_the_text_colour_not_their_bars():
    from lib.charts.theme import TEXT_COLOUR

    frame = pd.DataFrame({"status": ["의뢰", "회수"], "referrals": [3, 1]})
    spec = charts.statuses_chart(frame, "ko").to_dict()
    bars, text = spec["layer"]
    # the bars keep their status colours (회수 light grey); the numbers do not
    assert bars["encoding"]["color"]["scale"]["range"] == [STATUS_COLOURS["의뢰"], "#D9D9D9"]
    assert text["mark"]["type"] == "text"
    assert text["encoding"]["color"] == {"value": TEXT_COLOUR}
    assert _contrast(TEXT_COLOUR, "#FFFFFF") >= 4.5
    # the light grey itself would not do: that was the bug
    assert _contrast("#D9D9D9", "#FFFFFF") < 4.5


def test_month_axes_drop_overlapping_labels_greedily():
    frame = pd.DataFrame(
        {
            "month": [dt.date(2024, 1, 1)],
            "discovered": [1],
            "opened": [1],
            "closed": [0],
            "referrals_sent": [1],
        }
    )
    for chart in (charts.caseload_trend_chart(frame), charts.referrals_trend_chart(frame)):
        axis = chart.to_dict()["encoding"]["x"]["axis"]
        assert axis["labelOverlap"] == "greedy" and axis["labelSeparation"] == 6


def test_no_chart_hard_codes_a_text_colour():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "lib" / "charts"
    for name in ("dashboard.py", "network.py"):
        source = (root / name).read_text(encoding="utf-8").upper()
        for colour in ("#31333F", "#333333", "#222222"):
            assert colour not in source, (name, colour)
