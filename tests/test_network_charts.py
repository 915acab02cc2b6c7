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


def test_heatmap_cells_carry_the_counts_and_both_axes_follow_the_given_order():
    totals = pd.DataFrame(
        {
            "from_name": ["갑", "을"],
            "to_name": ["을", "갑"],
            "referrals": [4, 1],
            "accepted": [2, 0],
        }
    )
    spec = charts.flow_heatmap_chart(
        totals,
        ["을", "갑"],
        from_title="보낸 기관",
        to_title="받은 기관",
        count_title="의뢰",
        accepted_title="수락",
    ).to_dict()
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
    assert len(labels) == 4
    assert all(layer["encoding"]["text"]["field"] == "name" for layer in labels)
    assert [layer["mark"].get("stroke") for layer in labels] == [theme.WHITE, None] * 2
    assert [layer["mark"].get("color") for layer in labels] == [None, theme.TEXT_COLOUR] * 2
    # every label layer keeps only the labels chosen for the chart's width
    assert all(
        layer["transform"] == [{"filter": "width < 600 ? datum.narrow : datum.wide"}]
        for layer in labels
    )
    # 갑 on the left (x = -1) ends beside its point, 을 on the right starts beside it:
    # labels off their points, outward from the centre
    placed = {
        row["name"]: (layer["mark"]["align"], row["label_x"])
        for layer, rows in zip(labels[1::2], list(spec["datasets"].values())[2:], strict=False)
        for row in rows
    }
    assert placed["갑"][0] == "right" and placed["갑"][1] < -1.0
    assert placed["을"][0] == "left" and placed["을"][1] > 1.0


def test_labels_clear_their_points_by_the_points_radius():
    nodes = pd.DataFrame(
        {"name": ["big", "small", "middle"], "x": [0.0, 0.0, 0.05], "y": [1.0, -1.0, 0.0]}
    ).assign(volume=[100, 0, 50])
    placed = charts.label_positions(nodes).set_index("name")
    # big: area 1,400 px², radius √(1400/π) = 21.1 px, + 5 px gap = 26.1 px above, in
    # layout units of 460 / 2.4 = 191.7 px: 0.136; small: √(60/π) = 4.37 + 5 = 9.37 px
    # below: 0.0489; middle, at the centre, goes below its point
    assert placed.loc["big", "label_y"] == pytest.approx(1 + 26.11 / 191.67, abs=1e-3)
    assert placed.loc["big", "baseline"] == "bottom"
    assert placed.loc["small", "label_y"] == pytest.approx(-1 - 9.37 / 191.67, abs=1e-3)
    assert placed.loc["small", "baseline"] == "top"
    assert placed.loc["middle", "baseline"] == "top" and placed.loc["middle", "align"] == "center"


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


def _spread_nodes() -> pd.DataFrame:
    # Three agencies in a row across the middle, and two far apart on the top and bottom.
    return pd.DataFrame(
        {
            "name": ["가가가가가가가가", "나나나나나나나나", "다다다다다다다다", "위", "아래"],
            "x": [-0.2, 0.0, 0.2, 0.0, 0.0],
            "y": [0.6, 0.6, 0.6, 1.0, -1.0],
            "volume": [10, 30, 20, 5, 5],
        }
    )


def test_labels_that_would_overlap_are_left_to_the_tooltips():
    placed = charts.label_positions(_spread_nodes()).set_index("name")
    # On a desktop (980 px: 0.2 layout units = 78 px) the row's 88 px labels, beside
    # their points (align left or right) or centred, would collide: the busiest (나, 30)
    # keeps its label, which covers its neighbours' places; 위 and 아래 are alone.
    assert placed["wide"].to_dict() == {
        "가가가가가가가가": False,
        "나나나나나나나나": True,
        "다다다다다다다다": False,
        "위": True,
        "아래": True,
    }
    # On a phone (358 px) the same again: fewer pixels, never more labels.
    assert not (placed["narrow"] & ~placed["wide"]).any()
    assert placed.loc["아래", "narrow"] and placed.loc["위", "narrow"]


def test_heat_map_counts_are_black_or_white_by_the_cells_darkness():
    totals = pd.DataFrame(
        {
            "from_name": ["갑", "을"],
            "to_name": ["을", "갑"],
            "referrals": [10, 2],
            "accepted": [1, 1],
        }
    )
    spec = charts.flow_heatmap_chart(
        totals,
        ["갑", "을"],
        from_title="f",
        to_title="t",
        count_title="c",
        accepted_title="a",
    ).to_dict()
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
