"""The server-side network layout: deterministic, bounded, and linked agencies sit closer."""

from __future__ import annotations

import math

import pandas as pd

from lib.network_layout import edge_segments, graph_frames, layout

NODES = ["A1", "A2", "B1", "B2", "B3"]
EDGES = [("A1", "B1", 12), ("B1", "A1", 3), ("A2", "B2", 5), ("A1", "B2", 1), ("B2", "B3", 2)]


def _distance(pos: pd.DataFrame, a: str, b: str) -> float:
    p = pos.set_index("code")
    return math.dist(p.loc[a, ["x", "y"]], p.loc[b, ["x", "y"]])


def test_same_network_same_picture_whatever_the_row_order():
    first = layout(NODES, EDGES)
    again = layout(NODES, EDGES)
    shuffled = layout(list(reversed(NODES)), list(reversed(EDGES)))
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled, check_exact=False, atol=1e-9)
    assert list(first["code"]) == sorted(NODES)


def test_coordinates_fill_the_unit_square_around_the_centre():
    pos = layout(NODES, EDGES)
    assert pos[["x", "y"]].abs().max().max() == 1.0  # scaled so the farthest node is at 1
    assert abs(pos["x"].mean()) < 1e-9 and abs(pos["y"].mean()) < 1e-9


def test_a_heavy_pair_sits_closer_than_an_unlinked_pair():
    pos = layout(NODES, EDGES)
    # A1–B1 exchange 15 referrals; A2 and B1 none.
    assert _distance(pos, "A1", "B1") < _distance(pos, "A2", "B1")
    # No two agencies end up on the same spot.
    points = {(round(x, 3), round(y, 3)) for x, y in zip(pos.x, pos.y, strict=True)}
    assert len(points) == len(NODES)


def test_nodes_named_only_by_edges_are_placed_and_self_loops_ignored():
    pos = layout(["A1"], [("A1", "C9", 2), ("C9", "C9", 5)])
    assert list(pos["code"]) == ["A1", "C9"]
    # Two nodes end up mirrored around the centre, one of them at distance 1.
    assert math.isclose(pos.x[0], -pos.x[1]) and math.isclose(pos.y[0], -pos.y[1])


def test_agencies_without_referrals_stay_on_the_canvas():
    pos = layout(NODES + ["Z1", "Z2"], EDGES)
    assert pos[["x", "y"]].abs().max().max() <= 1.0
    assert set(pos["code"]) == set(NODES) | {"Z1", "Z2"}


def test_empty_and_single_node():
    assert layout([]).empty
    assert list(layout([]).columns) == ["code", "x", "y"]
    one = layout(["A1"])
    assert one.to_dict("records") == [{"code": "A1", "x": 0.0, "y": 0.0}]


def test_edge_segments_carry_both_ends():
    pos = pd.DataFrame({"code": ["A", "B"], "x": [0.0, 1.0], "y": [-1.0, 0.5]})
    totals = pd.DataFrame({"from_code": ["A", "B"], "to_code": ["B", "A"], "referrals": [3, 1]})
    seg = edge_segments(pos, totals)
    assert seg.to_dict("records") == [
        {
            "from_code": "A",
            "to_code": "B",
            "referrals": 3,
            "x": 0.0,
            "y": -1.0,
            "x2": 1.0,
            "y2": 0.5,
        },
        {
            "from_code": "B",
            "to_code": "A",
            "referrals": 1,
            "x": 1.0,
            "y": 0.5,
            "x2": 0.0,
            "y2": -1.0,
        },
    ]


def test_graph_frames_give_every_agency_its_volume_and_every_flow_its_ends():
    agencies = pd.DataFrame(
        {"code": ["A", "B", "C"], "name": ["갑", "을", "병"], "sector": ["공공", "민간", "민간"]}
    )
    totals = pd.DataFrame({"from_code": ["A", "B"], "to_code": ["B", "A"], "referrals": [3, 1]})
    nodes, segments = graph_frames(agencies, totals)
    # A: sent 3 + received 1 = 4; B: received 3 + sent 1 = 4; C: none.
    assert list(zip(nodes.code, nodes.name, nodes.volume, strict=True)) == [
        ("A", "갑", 4),
        ("B", "을", 4),
        ("C", "병", 0),
    ]
    assert list(segments.columns) == [
        "from_code", "to_code", "referrals", "from_name", "to_name", "x", "y", "x2", "y2"
    ]  # fmt: skip
    a = nodes.set_index("code").loc["A"]
    assert (segments.from_name[0], segments.x[0], segments.y[0]) == ("갑", a.x, a.y)
