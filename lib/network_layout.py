"""Server-side layout of the referral network: agencies as points, referral volume as springs.

A small Fruchterman–Reingold layout in numpy. It is a pure function of its input: nodes
are processed in sorted order, start on a circle and move deterministically, so the same
network always gets the same picture (and the same screenshot in a test), whatever order
the rows came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

Edge = tuple[str, str, float]


def _weights(codes: list[str], edges: Iterable[Edge]) -> np.ndarray:
    """The symmetric matrix of edge volume between nodes, scaled so the largest is 1."""
    index = {c: i for i, c in enumerate(codes)}
    w = np.zeros((len(codes), len(codes)))
    pairs: dict[tuple[int, int], float] = {}
    for src, dst, volume in edges:
        if src == dst or volume <= 0:
            continue
        i, j = sorted((index[src], index[dst]))
        pairs[(i, j)] = pairs.get((i, j), 0.0) + float(volume)
    for (i, j), volume in sorted(pairs.items()):
        w[i, j] = w[j, i] = volume
    peak = w.max() if w.size else 0.0
    return w / peak if peak > 0 else w


def layout(
    nodes: Sequence[str],
    edges: Iterable[Edge] = (),
    iterations: int = 300,
    gravity: float = 0.1,
) -> pd.DataFrame:
    """x, y in [-1, 1] for every node (and every node an edge names), by code.

    `edges` are (from, to, volume); both directions of a pair pull together. Columns:
    code, x, y, sorted by code.
    """
    edges = list(edges)
    codes = sorted(set(nodes) | {e[0] for e in edges} | {e[1] for e in edges})
    n = len(codes)
    if n == 0:
        return pd.DataFrame({"code": [], "x": [], "y": []}).astype({"x": float, "y": float})
    if n == 1:
        return pd.DataFrame({"code": codes, "x": [0.0], "y": [0.0]})

    w = _weights(codes, edges)
    # Start on a circle in code order: deterministic without a random generator.
    angle = 2 * np.pi * np.arange(n) / n
    pos = np.column_stack([np.cos(angle), np.sin(angle)]) * 0.5
    k = np.sqrt(1.0 / n)  # the ideal distance between nodes in a unit area
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-6)
        # Repulsion k²/d between every pair, attraction w·d²/k along edges.
        force = k * k / dist - w * dist * dist / k
        np.fill_diagonal(force, 0.0)
        shift = (delta / dist[..., None] * force[..., None]).sum(axis=1)
        # Gravity keeps agencies without referrals from drifting off the canvas.
        shift -= gravity * pos * n
        length = np.maximum(np.linalg.norm(shift, axis=1), 1e-9)
        pos += shift / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    if scale > 0:
        pos /= scale
    return pd.DataFrame({"code": codes, "x": pos[:, 0], "y": pos[:, 1]})


def edge_segments(positions: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """One line per sender→receiver pair with its ends' coordinates.

    `positions` has code, x, y; `totals` has from_code, to_code, referrals (as
    `flow_totals`). Columns: the columns of `totals`, then x, y (sender) and x2, y2
    (receiver).
    """
    pos = positions.set_index("code")[["x", "y"]]
    out = totals.join(pos, on="from_code")
    out = out.join(pos.rename(columns={"x": "x2", "y": "y2"}), on="to_code")
    return out.reset_index(drop=True)


def graph_frames(agencies: pd.DataFrame, totals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network graph's points and lines, laid out.

    `agencies` has code, name, sector; `totals` has from_code, to_code, referrals. Returns
    nodes (code, name, sector, x, y, volume = referrals sent + received) for every agency,
    and segments (from_code, to_code, referrals, from_name, to_name, x, y, x2, y2).
    """
    edges = list(zip(totals["from_code"], totals["to_code"], totals["referrals"], strict=True))
    positions = layout(list(agencies["code"]), edges)
    sent = totals.groupby("from_code")["referrals"].sum()
    received = totals.groupby("to_code")["referrals"].sum()
    volume = sent.add(received, fill_value=0)
    nodes = positions.merge(agencies[["code", "name", "sector"]], on="code", how="left")
    nodes["name"] = nodes["name"].fillna(nodes["code"])
    nodes["volume"] = nodes["code"].map(volume).fillna(0).astype("int64")
    nodes = nodes[["code", "name", "sector", "x", "y", "volume"]]
    names = nodes.set_index("code")["name"]
    segments = edge_segments(positions, totals[["from_code", "to_code", "referrals"]])
    segments.insert(3, "from_name", segments["from_code"].map(names))
    segments.insert(4, "to_name", segments["to_code"].map(names))
    return nodes, segments
