"""The network charts: the specs plot exactly the frames they are given, with the right marks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.charts import network as charts
from lib.charts import theme
from lib.suppression import COMPLEMENTARY, SMALL, WITHHELD, Suppressed


def _rows(chart_dict: dict) -> list[dict]:
    (rows,) = chart_dict["datasets"].values()
    return rows


def test_month_label():
    assert charts.month_label(dt.date(2024, 3, 1)) == "2024.03"


def _heatmap(totals: pd.DataFrame, names: list[str]) -> dict:
    """The referral heat map's spec, with the titles the page gives it."""
    return charts.flow_heatmap_chart(
        totals,
        names,
        from_title="보낸 기관",
        to_title="받은 기관",
        count_title="의뢰",
        accepted_title="수락",
    ).to_dict()


def test_heatmap_cells_carry_the_counts_and_both_axes_follow_the_given_order():
    totals = pd.DataFrame(
        {
            "from_name": ["갑", "을"],
            "to_name": ["을", "갑"],
            "referrals": [4, 1],
            "accepted": [2, 0],
        }
    )
    spec = _heatmap(totals, ["을", "갑"])
    cells, text = spec["layer"]
    assert cells["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    assert cells["encoding"]["x"]["sort"] == ["을", "갑"]
    assert cells["encoding"]["y"]["sort"] == ["을", "갑"]
    assert cells["encoding"]["y"]["title"] == "보낸 기관"
    assert text["encoding"]["text"]["field"] == "referrals_text"
    assert [
        (r["from_name"], r["to_name"], r["referrals"], r["referrals_text"]) for r in _rows(spec)
    ] == [
        ("갑", "을", 4, "4"),
        ("을", "갑", 1, "1"),
    ]


def test_a_hidden_count_is_not_drawn_but_labelled():
    # A partner's flow totals: 3 → "<5" (small), 9 → hidden with it ("–").
    totals = pd.DataFrame(
        {
            "from_name": ["갑", "갑"],
            "to_name": ["을", "병"],
            "referrals": pd.Series([Suppressed(SMALL), Suppressed(COMPLEMENTARY)], dtype=object),
            "accepted": [0, 7],
        }
    )
    spec = charts.flow_heatmap_chart(
        totals, ["갑", "을", "병"], from_title="", to_title="", count_title="", accepted_title=""
    ).to_dict()
    rows = _rows(spec)
    assert [r["referrals"] for r in rows] == [None, None]  # no colour, no number
    assert [r["referrals_text"] for r in rows] == ["<5", "–"]
    assert [r["accepted"] for r in rows] == [0, 7]
    frame = pd.DataFrame(
        {
            "month": ["2024.01"],
            "series": ["B1"],
            "median_days": pd.Series([Suppressed(WITHHELD)], dtype=object),
            "responses": pd.Series([Suppressed(SMALL)], dtype=object),
        }
    )
    trend = charts.response_trend_chart(
        frame, agency_label="B1", network_label="", month_title="", days_title="", series_title=""
    ).to_dict()
    (row,) = _rows(trend)
    assert (row["median_days"], row["days_text"], row["responses_text"]) == (None, "–", "<5")
    assert row["responses"] is None


def test_network_graph_draws_edges_as_rules_and_agencies_as_points():
    nodes = pd.DataFrame(
        {
            "code": ["A", "B"],
            "name": ["갑", "을"],
            "sector": ["공공", "민간"],
            "x": [-1.0, 1.0],
            "y": [0.0, 0.0],
            "volume": [5, 5],
        }
    )
    segments = pd.DataFrame(
        {
            "from_name": ["갑"],
            "to_name": ["을"],
            "referrals": [5],
            "x": [-1.0],
            "y": [0.0],
            "x2": [1.0],
            "y2": [0.0],
        }
    )
    spec = charts.network_graph_chart(
        nodes,
        segments,
        volume_title="의뢰+수신",
        sector_title="부문",
        from_title="보낸 기관",
        to_title="받은 기관",
        count_title="의뢰",
    ).to_dict()
    english = charts.network_graph_chart(
        nodes.assign(sector=["public", "private"]),
        segments,
        volume_title="volume",
        sector_title="sector",
        from_title="from",
        to_title="to",
        count_title="referrals",
        sector_labels={"공공": "public", "민간": "private"},
    ).to_dict()
    assert english["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["public", "private"]
    # edges, points, then each side's labels: a white halo and the text over it
    edges, points, *labels = spec["layer"]
    assert edges["mark"]["type"] == "rule"
    assert {"x", "y", "x2", "y2", "strokeWidth"} <= set(edges["encoding"])
    assert points["mark"]["type"] == "circle"
    assert points["encoding"]["size"]["field"] == "volume"
    assert points["encoding"]["color"]["scale"]["domain"] == ["공공", "민간"]
    # a desktop's labels beside both points; on a phone 을's name would leave the chart
    # on the right (358 px: x = 1 is at 322 px, + 26 px gap + 11 px + 2 > 358), so it
    # goes above its point: three places, each a halo and the text over it
    assert len(labels) == 6
    assert all(layer["encoding"]["text"]["field"] == "name" for layer in labels)
    assert [layer["mark"].get("stroke") for layer in labels] == [theme.WHITE, None] * 3
    assert [layer["mark"].get("color") for layer in labels] == [None, theme.TEXT_COLOUR] * 3
    # every label layer keeps the labels placed for the chart's own width
    assert all(layer["transform"] == [{"filter": charts.LABEL_FILTER}] for layer in labels)
    assert charts.LABEL_FILTER == ("width < 600 ? datum.view == 'narrow' : datum.view == 'wide'")
    placed = charts.label_positions(nodes).set_index(["view", "name"])
    # 갑 on the left (x = -1) ends beside its point, 을 on the right starts beside it:
    # labels off their points, outward from the centre
    assert placed.loc[("wide", "갑"), "align"] == "right"
    assert placed.loc[("wide", "갑"), "label_x"] < -1.0
    assert placed.loc[("wide", "을"), "align"] == "left"
    assert placed.loc[("wide", "을"), "label_x"] > 1.0
    assert tuple(placed.loc[("narrow", "을"), ["align", "baseline"]]) == ("center", "bottom")
    assert placed.loc[("narrow", "을"), "label_x"] == 1.0


def test_labels_clear_their_points_by_the_points_radius():
    nodes = pd.DataFrame(
        {"name": ["big", "small", "middle"], "x": [0.0, 0.0, 0.05], "y": [0.8, -1.0, 0.0]}
    ).assign(volume=[100, 0, 50])
    placed = charts.label_positions(nodes)
    placed = placed[placed["view"] == "wide"].set_index("name")
    # big: area 1,400 px², radius √(1400/π) = 21.1 px, + 5 px gap = 26.1 px above, in
    # layout units of the plot's (460 − 90) / 2.4 = 154.17 px: 0.1694; small: √(60/π) =
    # 4.37 + 5 = 9.37 px below: 0.0608; middle, at the centre, goes below its point
    assert placed.loc["big", "label_y"] == pytest.approx(0.8 + 26.11 / 154.17, abs=1e-3)
    assert placed.loc["big", "baseline"] == "bottom"
    assert placed.loc["small", "label_y"] == pytest.approx(-1 - 9.37 / 154.17, abs=1e-3)
    assert placed.loc["small", "baseline"] == "top"
    assert placed.loc["middle", "baseline"] == "top" and placed.loc["middle", "align"] == "center"


def test_labels_move_aside_or_are_left_out_rather_than_overlap():
    nodes = pd.DataFrame(
        {
            "name": ["가가가가가가가가", "나나나나나나나나", "다다다다다다다다", "위", "아래"],
            "x": [-0.2, 0.0, 0.2, 0.0, 0.0],
            "y": [0.6, 0.6, 0.6, 1.0, -1.0],
            "volume": [10, 30, 20, 5, 5],
        }
    )
    placed = charts.label_positions(nodes)
    # The busiest (나, 30) takes its place above its point (88 px wide, 51–68 px from the
    # top); 다 and 가 beside it, 0.2 units away, would overlap it above (even at 980 px:
    # 78 px apart), so 다 goes to its right and 가 to its left; 위 and 아래 are alone,
    # above and below. On a phone (358 px) the same places still fit.
    expected = {
        "나나나나나나나나": ("center", "bottom"),
        "다다다다다다다다": ("left", "middle"),
        "가가가가가가가가": ("right", "middle"),
        "위": ("center", "bottom"),
        "아래": ("center", "top"),
    }
    for view in ("wide", "narrow"):
        rows = placed[placed["view"] == view]
        sides = dict(
            zip(rows["name"], zip(rows["align"], rows["baseline"], strict=True), strict=True)
        )
        assert sides == expected, view
    # A name wider than a phone's chart (40 × 11 px = 440 px > 358) has no place there:
    # it is named in the tooltip only; a desktop still shows it.
    long = pd.DataFrame({"name": ["긴" * 40], "x": [0.0], "y": [0.0], "volume": [1]})
    assert list(charts.label_positions(long)["view"]) == ["wide"]


def test_status_chart_keeps_workflow_order_and_translates_labels():
    frame = pd.DataFrame(
        {"month": ["2024.01", "2024.01"], "status": ["수락", "의뢰"], "referrals": [2, 1]}
    )
    labels = {"의뢰": "sent", "수락": "accepted"}
    spec = charts.status_over_time_chart(
        frame,
        labels,
        month_title="month",
        count_title="referrals",
        status_title="status",
        months=["2024.01", "2024.02"],
    ).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2024.01", "2024.02"]
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["sent", "accepted"]
    assert spec["encoding"]["color"]["scale"]["range"] == [
        theme.STATUS_COLOURS["의뢰"],
        theme.STATUS_COLOURS["수락"],
    ]
    rows = _rows(spec)
    assert [(r["status_label"], r["referrals"]) for r in rows] == [("accepted", 2), ("sent", 1)]


def test_response_trend_dashes_the_network_line():
    frame = pd.DataFrame(
        {
            "month": ["2024.01", "2024.01"],
            "series": ["B1", "전체 네트워크"],
            "median_days": [6.5, 3.0],
            "responses": [2, 3],
        }
    )
    spec = charts.response_trend_chart(
        frame,
        agency_label="B1",
        network_label="전체 네트워크",
        month_title="월",
        days_title="응답 소요일",
        series_title="",
    ).to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [5, 4]]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["B1", "전체 네트워크"]


def test_response_trend_breaks_at_a_month_without_answers():
    # B1 answered in January and March, not in February: February's median is undefined,
    # a null that breaks the line (not a line from January straight to March).
    frame = pd.DataFrame(
        {"month": ["2024.01", "2024.03"], "series": ["B1", "B1"], "median_days": [6.5, 3.0]}
    ).assign(responses=[2, 1])
    spec = charts.response_trend_chart(
        frame,
        agency_label="B1",
        network_label=None,
        month_title="월",
        days_title="응답 소요일(중앙값, 일)",
        series_title="",
        months=["2024.01", "2024.02", "2024.03"],
    ).to_dict()
    rows = list(spec["datasets"].values())[0]
    assert [(r["month"], r["median_days"], r["days_text"], r["responses_text"]) for r in rows] == [
        ("2024.01", 6.5, "6.5일", "2"),
        ("2024.02", None, "–", "0"),
        ("2024.03", 3.0, "3.0일", "1"),
    ]
    assert spec["mark"]["invalid"] == "break-paths-show-domains"
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2024.01", "2024.02", "2024.03"]


def test_heat_map_counts_are_black_or_white_by_the_cells_darkness():
    totals = pd.DataFrame(
        {
            "from_name": ["갑", "을"],
            "to_name": ["을", "갑"],
            "referrals": [10, 2],
            "accepted": [1, 1],
        }
    )
    spec = _heatmap(totals, ["갑", "을"])
    text = spec["layer"][1]["encoding"]["color"]
    # white from 0.74 of the peak (10): 7.4
    assert text["condition"]["test"] == "(datum.referrals >= 7.4)"
    assert text["condition"]["value"] == theme.WHITE
    assert text["value"] == theme.BLACK


def test_month_axes_drop_labels_that_would_overlap():
    frame = pd.DataFrame({"month": ["2024.01"], "status": ["의뢰"], "referrals": [1]})
    spec = charts.status_over_time_chart(
        frame,
        {"의뢰": "sent"},
        month_title="m",
        count_title="c",
        status_title="s",
        months=["2024.01"],
    ).to_dict()
    axis = spec["encoding"]["x"]["axis"]
    assert axis["labelOverlap"] == "greedy" and axis["labelSeparation"] == 6


def test_legends_fit_a_phone():
    # round numbers under a quarter, half and all of the peak: 339 → 84.75, 169.5, 339
    assert charts.size_legend_values(339) == [50, 100, 200]
    assert charts.size_legend_values(10) == [2, 5, 10]
    assert charts.size_legend_values(0) == [1]
    frame = pd.DataFrame({"month": ["2024.01"], "status": ["의뢰"], "referrals": [1]})
    spec = charts.status_over_time_chart(
        frame, {"의뢰": "sent"}, month_title="m", count_title="c", status_title="s"
    ).to_dict()
    assert spec["encoding"]["color"]["legend"] == {"columns": 3}
