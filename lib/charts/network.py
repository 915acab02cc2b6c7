"""Charts of the case-sharing network: flow heat map, network graph, statuses, response times.

Each function takes an aggregated frame (a few hundred rows at most) and the words to
show, and returns a themed Altair chart (draw it with `theme=None`); no Streamlit calls,
no SQL. Months arrive as text labels (`2024.03`) and are drawn on an ordinal axis, so a
browser's time zone can never shift a bar into the previous month; they read as every
other chart's (`lib.charts.months`). A count or median a
partner view does not show (`lib.suppression.Suppressed`) is drawn as nothing (NaN); its
label and tooltip read "<5" or "–".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

import altair as alt
import pandas as pd

from lib.charts import theme
from lib.charts.months import month_axis, month_text
from lib.charts.months import month_label as month_label  # re-exported for the views
from lib.formatting import format_count, format_days
from lib.suppression import as_float

SECTOR_COLOURS: dict[str, str] = {"공공": theme.BLUE, "민간": theme.ORANGE}
NETWORK_COLOUR = theme.GREY
AGENCY_COLOUR = theme.BLUE
EDGE_COLOUR = "#8C8C8C"
_HEAT = "blues"


def _month_axis(title: str, months: Sequence[str] | None, lang: str) -> alt.X:
    """An ordinal month axis, with every month of `months` when given, in the one month
    style of every chart (`lib.charts.months`)."""
    scale = alt.Scale(domain=list(months)) if months else alt.Undefined
    return alt.X("month:O", title=title, axis=month_axis(lang), scale=scale)


def flow_heatmap_chart(
    totals: pd.DataFrame,
    names: Sequence[str],
    *,
    from_title: str,
    to_title: str,
    count_title: str,
    accepted_title: str,
) -> alt.TopLevelMixin:
    """Sender (rows) × receiver (columns) heat map of referral counts, with the count in each cell.

    `totals` has from_name, to_name, referrals, accepted; `names` orders both axes.
    """
    names = list(names)
    totals = totals.assign(
        referrals_text=[format_count(v) for v in totals["referrals"]],
        accepted_text=[format_count(v) for v in totals["accepted"]],
        referrals=as_float(totals["referrals"]),
        accepted=as_float(totals["accepted"]),
    )
    base = alt.Chart(totals).encode(
        x=alt.X("to_name:N", title=to_title, sort=names, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("from_name:N", title=from_title, sort=names),
    )
    tooltip = [
        alt.Tooltip("from_name:N", title=from_title),
        alt.Tooltip("to_name:N", title=to_title),
        alt.Tooltip("referrals_text:N", title=count_title),
        alt.Tooltip("accepted_text:N", title=accepted_title),
    ]
    cells = base.mark_rect().encode(
        color=alt.Color(
            "referrals:Q", title=count_title, scale=alt.Scale(scheme=_HEAT, domainMin=0)
        ),
        tooltip=tooltip,
    )
    peak = float(totals["referrals"].max()) if totals["referrals"].notna().any() else 0.0
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("referrals_text:N"),
        # Dark cells get white digits, light ones black, each at least 4.5:1.
        color=alt.condition(
            alt.datum.referrals >= peak * theme.BLUES_WHITE_FROM,
            alt.value(theme.WHITE),
            alt.value(theme.BLACK),
        ),
        tooltip=tooltip,
    )
    side = max(260, 28 * len(names))
    return theme.themed((cells + text).properties(width=side, height=side))


def _round_down_nice(value: float) -> int:
    """The largest 1, 2 or 5 × 10ⁿ at most `value` (at least 1)."""
    if value < 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return int(max(step * power for step in (1, 2, 5) if step * power <= value))


def size_legend_values(peak: float) -> list[int]:
    """The volumes the size legend shows: round numbers near a quarter, half and all of
    the peak (e.g. 339 → 50, 100, 200), distinct."""
    return sorted({_round_down_nice(peak * share) for share in (0.25, 0.5, 1.0)})


def network_graph_chart(
    nodes: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    volume_title: str,
    sector_title: str,
    from_title: str,
    to_title: str,
    count_title: str,
    sector_labels: dict[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Agencies as points sized by referral volume, referral flows as lines of that width.

    `nodes` has code, name, sector (as shown), x, y, volume; `segments` has from_name,
    to_name, referrals, x, y, x2, y2 (from `network_layout.graph_frames`).
    `sector_labels` maps each stored sector (공공, 민간) to the word shown.
    """
    sector_labels = sector_labels or {s: s for s in SECTOR_COLOURS}
    # A margin beyond the layout's [-1, 1] so that points and labels are not clipped.
    x_scale, y_scale = alt.Scale(domain=[-1.25, 1.25]), alt.Scale(domain=[-1.2, 1.2])
    x = alt.X("x:Q", axis=None, scale=x_scale)
    y = alt.Y("y:Q", axis=None, scale=y_scale)
    peak = max(float(segments["referrals"].max()) if len(segments) else 1.0, 1.0)
    edges = (
        alt.Chart(segments)
        .mark_rule(color=EDGE_COLOUR, opacity=0.55)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "referrals:Q", scale=alt.Scale(domain=[0, peak], range=[0.5, 8]), legend=None
            ),
            tooltip=[
                alt.Tooltip("from_name:N", title=from_title),
                alt.Tooltip("to_name:N", title=to_title),
                alt.Tooltip("referrals:Q", title=count_title),
            ],
        )
    )
    points = (
        alt.Chart(nodes)
        .mark_circle(opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "volume:Q",
                title=volume_title,
                scale=alt.Scale(range=[60, 1400], domainMin=0),
                # Three sizes in the legend, so it fits beside the sectors on a phone.
                legend=alt.Legend(values=size_legend_values(float(nodes["volume"].max() or 0))),
            ),
            color=alt.Color(
                "sector:N",
                title=sector_title,
                scale=alt.Scale(
                    domain=[sector_labels[s] for s in SECTOR_COLOURS],
                    range=list(SECTOR_COLOURS.values()),
                ),
            ),
            tooltip=[
                alt.Tooltip("name:N"),
                alt.Tooltip("sector:N", title=sector_title),
                alt.Tooltip("volume:Q", title=volume_title),
            ],
        )
    )
    placed = label_positions(nodes)
    layers = [edges, points]
    for (align, baseline), group in placed.groupby(["align", "baseline"], sort=True):
        where = (
            alt.Chart(group)
            .encode(
                x=alt.X("label_x:Q", axis=None, scale=x_scale),
                y=alt.Y("label_y:Q", axis=None, scale=y_scale),
                text="name:N",
            )
            # The chart's own width (Vega's `width` signal) picks the labels that fit.
            .transform_filter(LABEL_FILTER)
        )
        style = {"align": align, "baseline": baseline, "fontSize": _FONT_SIZE}
        # A white halo under each label keeps it legible where a line runs behind it.
        layers.append(
            where.mark_text(
                **style, stroke=theme.WHITE, strokeWidth=3, strokeJoin="round", opacity=0.9
            )
        )
        layers.append(where.mark_text(**style, color=theme.TEXT_COLOUR))
    return theme.themed(alt.layer(*layers).properties(height=GRAPH_HEIGHT))


GRAPH_HEIGHT = 460
_SIZE_RANGE = (60, 1400)  # the points' areas in px², as the size scale draws them
_LABEL_GAP = 5  # px between a point's edge and its label
# The chart is as wide as its column, which only the browser knows (Vega's `width`
# signal). Labels are therefore placed twice, for a phone (390 px: a 358 px chart) and for
# a desktop (980 px beside the sidebar at 1440 px), and the chart draws the set for its
# width: below NARROW_BELOW px the phone's. The plot's height is the graph's less the
# legends' room. Labels that fit nowhere are left out; every name is in the tooltips.
NARROW_BELOW = 600
VIEW_WIDTHS: dict[str, float] = {"narrow": 358.0, "wide": 980.0}
_PLOT_HEIGHT = GRAPH_HEIGHT - 90
_FONT_SIZE = 11
_LABEL_HEIGHT = 13  # px of an 11 px line of text
_MARGIN = 2  # px kept clear around a label
LABEL_FILTER = f"width < {NARROW_BELOW} ? datum.view == 'narrow' : datum.view == 'wide'"
# Beside a point: to the right, left, above, below (direction, align, baseline).
_SIDES = (
    ((1.0, 0.0), "left", "middle"),
    ((-1.0, 0.0), "right", "middle"),
    ((0.0, 1.0), "center", "bottom"),
    ((0.0, -1.0), "center", "top"),
)


def _text_width(name: str) -> float:
    """Pixels of `name` at 11 px: Hangul is about square, Latin letters about half."""
    return sum(_FONT_SIZE if unicodedata.east_asian_width(ch) in "WF" else 6.2 for ch in name)


def _px_per_unit(width: float) -> tuple[float, float]:
    """Pixels per layout unit at chart width `width` (domains of 2.5 and 2.4 units)."""
    return width / 2.5, _PLOT_HEIGHT / 2.4


def _to_px(x: float, y: float, width: float) -> tuple[float, float]:
    px, py = _px_per_unit(width)
    return (x + 1.25) * px, (1.2 - y) * py


def _box(x: float, y: float, name: str, align: str, baseline: str, width: float) -> tuple:
    """(left, top, right, bottom) in px of a label anchored at layout (x, y)."""
    ax, ay = _to_px(x, y, width)
    w, h = _text_width(name), _LABEL_HEIGHT
    left = {"left": ax, "right": ax - w, "center": ax - w / 2}[align]
    top = {"top": ay, "bottom": ay - h, "middle": ay - h / 2}[baseline]
    return left - _MARGIN, top - _MARGIN, left + w + _MARGIN, top + h + _MARGIN


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(x: float, y: float) -> list[tuple[tuple[float, float], str, str]]:
    """Where a label may go, best first: outward from the graph's centre (lines gather
    in the middle), then the four sides, those facing outward first."""
    length = math.hypot(x, y)
    ux, uy = (x / length, y / length) if length > 0.15 else (0.0, -1.0)
    if abs(ux) >= 0.35:
        outward = ((ux, uy), ("left" if ux > 0 else "right"), "middle")
    else:
        outward = ((ux, uy), "center", ("top" if uy < 0 else "bottom"))
    sides = sorted(_SIDES, key=lambda side: -(side[0][0] * ux + side[0][1] * uy))
    return [outward, *sides]


def label_positions(nodes: pd.DataFrame) -> pd.DataFrame:
    """Where each agency's name goes, for each chart width in VIEW_WIDTHS.

    A label sits beside its point, its gap (the point's radius + 5 px) in pixels at that
    width. Busiest agencies first, each takes the first place (`_candidates`) that stays
    in the chart and overlaps no point and no label placed before it; an agency with no
    such place gets no label there. Labels on the right start at their anchor (align
    left), those on the left end there, those above or below are centred. Columns: view,
    name, label_x, label_y, align, baseline.
    """
    nodes = nodes.reset_index(drop=True)
    peak = max(float(nodes["volume"].max()) if len(nodes) else 1.0, 1.0)
    low, high = _SIZE_RANGE
    radii = [math.sqrt((low + (high - low) * float(v) / peak) / math.pi) for v in nodes["volume"]]
    order = nodes.assign(radius=radii).sort_values(["volume", "name"], ascending=[False, True])
    rows = []
    for view, width in VIEW_WIDTHS.items():
        px, py = _px_per_unit(width)
        taken = []
        for x, y, r in zip(nodes["x"], nodes["y"], radii, strict=True):
            cx, cy = _to_px(x, y, width)
            taken.append((cx - r, cy - r, cx + r, cy + r))
        for node in order.itertuples():
            gap = node.radius + _LABEL_GAP
            for (dx, dy), align, baseline in _candidates(node.x, node.y):
                lx, ly = node.x + dx * gap / px, node.y + dy * gap / py
                box = _box(lx, ly, node.name, align, baseline, width)
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width
                inside = inside and box[3] <= _PLOT_HEIGHT
                if inside and not any(_overlap(box, other) for other in taken):
                    taken.append(box)
                    rows.append((view, node.name, lx, ly, align, baseline))
                    break
    columns = ["view", "name", "label_x", "label_y", "align", "baseline"]
    return pd.DataFrame(rows, columns=columns)


def status_over_time_chart(
    frame: pd.DataFrame,
    status_labels: dict[str, str],
    *,
    month_title: str,
    count_title: str,
    status_title: str,
    months: Sequence[str] | None = None,
    lang: str = "ko",
) -> alt.TopLevelMixin:
    """Stacked bars of referrals requested per month, coloured by status.

    `frame` has month (label), status (stored Korean value), referrals; `status_labels`
    maps each stored status to the word shown (Korean or English), in workflow order.
    `months` (labels) puts every month of the period on the axis, empty ones too.
    """
    data = frame.assign(
        status_label=frame["status"].map(status_labels),
        referrals_text=[format_count(v) for v in frame["referrals"]],
        referrals=as_float(frame["referrals"]),
        month_text=[month_text(m, lang) for m in frame["month"]],
    )
    order = list(status_labels.values())
    colours = [theme.STATUS_COLOURS[s] for s in status_labels]
    rank = {label: i for i, label in enumerate(order)}
    data = data.assign(status_rank=data["status_label"].map(rank))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_axis(month_title, months, lang),
            y=alt.Y("referrals:Q", title=count_title, stack="zero"),
            color=alt.Color(
                "status_label:N",
                title=status_title,
                scale=alt.Scale(domain=order, range=colours),
                sort=order,
                # Six statuses in one row run off a phone's chart: two rows of three.
                legend=alt.Legend(columns=3),
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[
                alt.Tooltip("month_text:N", title=month_title),
                alt.Tooltip("status_label:N", title=status_title),
                alt.Tooltip("referrals_text:N", title=count_title),
            ],
        )
        .properties(height=280)
    )
    return theme.themed(chart)


def response_trend_chart(
    frame: pd.DataFrame,
    *,
    agency_label: str,
    network_label: str | None,
    month_title: str,
    days_title: str,
    series_title: str,
    months: Sequence[str] | None = None,
    responses_title: str = "responses",
    lang: str = "ko",
) -> alt.TopLevelMixin:
    """Monthly median days to respond: the agency's line against the network's (dashed).

    `frame` has month (label), series (`agency_label` or `network_label`), median_days,
    responses; `months` (labels) puts every month of the period on the axis;
    `responses_title` names the number of answers in the tooltip.
    """
    # Without a network label (a partner's page) the agency's line is drawn alone.
    order = [agency_label, network_label] if network_label else [agency_label]
    if months:
        # Every month of every line, a month without answers as null: no median, so the
        # line breaks there rather than joining the months either side.
        frame = (
            frame.set_index(["series", "month"])
            .reindex(pd.MultiIndex.from_product([order, list(months)], names=["series", "month"]))
            .reset_index()
        )
        frame["responses"] = frame["responses"].astype(object).where(frame["responses"].notna(), 0)
    frame = frame.assign(
        days_text=[format_days(v) for v in frame["median_days"]],
        responses_text=[format_count(v) for v in frame["responses"]],
        median_days=as_float(frame["median_days"]),
        responses=as_float(frame["responses"]),
        month_text=[month_text(m, lang) for m in frame["month"]],
    )
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=_month_axis(month_title, months, lang),
            y=alt.Y("median_days:Q", title=days_title, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title=series_title,
                scale=alt.Scale(domain=order, range=[AGENCY_COLOUR, NETWORK_COLOUR][: len(order)]),
                sort=order,
            ),
            # Same field and title as the colour: Vega-Lite merges them into one legend
            # that shows both the colour and the dash of each line.
            strokeDash=alt.StrokeDash(
                "series:N",
                title=series_title,
                scale=alt.Scale(domain=order, range=[[1, 0], [5, 4]][: len(order)]),
                sort=order,
            ),
            tooltip=[
                alt.Tooltip("month_text:N", title=month_title),
                alt.Tooltip("series:N", title=series_title),
                alt.Tooltip("days_text:N", title=days_title),
                alt.Tooltip("responses_text:N", title=responses_title),
            ],
        )
        .properties(height=260)
    )
    return theme.themed(chart)
