"""Charts of the overview, neighbourhood and donations pages.

Each `<thing>_chart(frame, lang)` takes a small aggregated frame from
`lib.queries.breakdowns` (or the metrics) and returns a themed Altair chart; no Streamlit
calls, no SQL. Words come from `lib.i18n`, numbers in tooltips from `lib.formatting`, so
a chart reads the same as the tiles around it. Months are drawn as text labels
(`2024.03`) on an ordinal axis, so a browser's time zone can never shift a month.
A value a partner view does not show (`lib.suppression.Suppressed`) is drawn as nothing
(NaN): its label and tooltip read "<5" or "–".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from lib import enums
from lib.charts.theme import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    RISK_COLOURS,
    SKY,
    STATUS_COLOURS,
    VERMILLION,
    krw_axis_expr,
    themed,
)
from lib.formatting import format_count, format_krw, format_krw_short, format_value
from lib.i18n import enum_label, t
from lib.queries.breakdowns import RESPONSE_BUCKETS
from lib.suppression import as_float

HEIGHT = 260
# Streamlit sizes charts with Vega's "fit": the height includes axes and legends, so bar
# charts add room for them to each row's band.
ROW = 30
AXIS_ROOM = 50
LEGEND_ROOM = 60


def month_label(month: dt.date) -> str:
    """`2024.03` for the first day of a month: the label every monthly chart uses."""
    return f"{month:%Y.%m}"


def month_axis_expr(lang: str) -> str:
    """A Vega expression for month ticks: the year at January (`2024.01`), else `3월`/`Mar`."""
    month = "toNumber(slice(datum.value, 5))"
    if lang == "ko":
        other = f"{month} + '월'"
    else:
        names = "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec']"
        other = f"{names}[{month} - 1]"
    return f"{month} == 1 ? datum.value : {other}"


def _month_axis(lang: str, months: Sequence[str]) -> alt.X:
    return alt.X(
        "month_label:O",
        title=None,
        sort=list(months),
        scale=alt.Scale(domain=list(months)),
        axis=alt.Axis(labelAngle=0, labelOverlap=True, labelExpr=month_axis_expr(lang)),
    )


def _money_axis(title: str | None, lang: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=krw_axis_expr(lang), tickCount=5)


def _long_monthly(frame: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """Months × series in long form, with the series' words and a formatted value."""
    data = frame.melt(id_vars=["month"], value_vars=list(columns), var_name="key")
    data["month_label"] = data["month"].map(month_label)
    data["series"] = data["key"].map(lambda k: t(f"series.{k}", lang))
    money = data["key"].str.endswith("_krw")
    data["text"] = [
        format_krw(v, lang) if m else format_count(v, lang)
        for v, m in zip(data["value"], money, strict=True)
    ]
    data["value"] = as_float(data["value"])
    return data.drop(columns=["month"])


# ---- monthly trends -----------------------------------------------------------------


def caseload_trend_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.Chart:
    """Lines of cases identified, opened and closed per month (`monthly_activity`)."""
    columns = ["discovered", "opened", "closed"]
    data = _long_monthly(frame, columns, lang)
    months = [month_label(m) for m in frame["month"]]
    order = [t(f"series.{c}", lang) for c in columns]
    chart = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=_month_axis(lang, months),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[BLUE, ORANGE, GREY]),
            ),
            tooltip=[
                alt.Tooltip("month_label:O", title=t("chart.month", lang)),
                alt.Tooltip("series:N", title=t("chart.series", lang)),
                alt.Tooltip("text:N", title=t("chart.cases", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)


def raised_given_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.Chart:
    """Bars of money raised against money given per month (`monthly_activity`)."""
    columns = ["donations_krw", "disbursed_krw"]
    data = _long_monthly(frame, columns, lang)
    months = [month_label(m) for m in frame["month"]]
    order = [t(f"series.{c}", lang) for c in columns]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_axis(lang, months),
            xOffset=alt.XOffset("series:N", sort=order),
            y=alt.Y("value:Q", axis=_money_axis(None, lang)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[BLUE, ORANGE]),
            ),
            tooltip=[
                alt.Tooltip("month_label:O", title=t("chart.month", lang)),
                alt.Tooltip("series:N", title=t("chart.series", lang)),
                alt.Tooltip("text:N", title=t("chart.amount", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)


def referrals_trend_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.Chart:
    """Bars of referrals requested per month (`monthly_activity`)."""
    data = _long_monthly(frame, ["referrals_sent"], lang)
    months = [month_label(m) for m in frame["month"]]
    chart = (
        alt.Chart(data)
        .mark_bar(color=GREEN)  # apart from the two money colours
        .encode(
            x=_month_axis(lang, months),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("month_label:O", title=t("chart.month", lang)),
                alt.Tooltip("text:N", title=t("chart.referrals", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)


# ---- rankings -----------------------------------------------------------------------


def ranking_chart(
    frame: pd.DataFrame,
    lang: str = "ko",
    *,
    value_title: str,
    unit: str = "count",
    city_value: float | None = None,
    highlight: str | None = None,
) -> alt.LayerChart:
    """Horizontal bars of neighbourhoods, highest first, with an optional city line.

    `frame` has name and value (NaN values are left out); `unit` is a formatting unit
    (count, krw, rate, days, per_1000); `highlight` is a name drawn in orange.
    """
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    data = data.assign(
        text=[format_value(v, unit, lang, short=True) for v in data["value"]],
        focus=data["name"] == highlight,
    )
    order = list(data["name"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=t("chart.ranking_order", lang), sort=order),
            x=alt.X(
                "value:Q",
                title=value_title,
                axis=(
                    _money_axis(value_title, lang)
                    if unit == "krw"
                    else alt.Axis(tickCount=6, labelOverlap=True)
                ),
            ),
            color=alt.condition(alt.datum.focus, alt.value(ORANGE), alt.value(BLUE)),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.neighbourhood", lang)),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=11).encode(
        text="text:N", color=alt.value("#31333F")
    )
    layers = [bars, labels]
    if city_value is not None and not pd.isna(city_value):
        city = pd.DataFrame(
            {
                "value": [city_value],
                "text": [t("chart.city", lang) + " " + format_value(city_value, unit, lang, True)],
            }
        )
        rule = (
            alt.Chart(city)
            .mark_rule(color=VERMILLION, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(x="value:Q", tooltip=[alt.Tooltip("text:N", title=t("chart.city", lang))])
        )
        label = rule.mark_text(
            align="left", baseline="bottom", dx=4, y=0, fontSize=11, color=VERMILLION
        ).encode(text="text:N")
        layers += [rule, label]
    height = 24 * len(order)
    return themed(alt.layer(*layers).properties(height=height + AXIS_ROOM))


# ---- cases --------------------------------------------------------------------------


def _category_bars(
    data: pd.DataFrame, lang: str, *, category_title: str, value_title: str, colour: str
) -> alt.LayerChart:
    """Horizontal bars of `label` → `value`, in the frame's order, with the count printed."""
    order = list(data["label"])
    bars = (
        alt.Chart(data)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y("label:N", title=None, sort=order),
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=category_title),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    # A hidden count ("<5") has no bar: its label is shown at zero all the same.
    text = bars.mark_text(align="left", dx=4, fontSize=11, color="#31333F", invalid="show").encode(
        text="text:N"
    )
    return themed(alt.layer(bars, text).properties(height=ROW * len(order) + AXIS_ROOM))


def channels_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.LayerChart:
    """Cases identified by channel (`breakdowns.channels`)."""
    data = pd.DataFrame(
        {
            "label": [enum_label(enums.CHANNEL, c, lang) for c in frame["channel"]],
            "value": as_float(frame["cases"]),
            "text": [format_count(v, lang) for v in frame["cases"]],
        }
    )
    return _category_bars(
        data,
        lang,
        category_title=t("chart.channel", lang),
        value_title=t("chart.cases", lang),
        colour=BLUE,
    )


def stages_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.LayerChart:
    """Cases by the stage reached at the period's end (`breakdowns.cases_by_stage`)."""
    data = pd.DataFrame(
        {
            "label": [t(f"stage.{s}", lang) for s in frame["stage"]],
            "value": as_float(frame["cases"]),
            "text": [format_count(v, lang) for v in frame["cases"]],
        }
    )
    return _category_bars(
        data,
        lang,
        category_title=t("chart.stage", lang),
        value_title=t("chart.cases", lang),
        colour=SKY,
    )


def profile_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.Chart:
    """Active cases by household type, stacked by risk level (`breakdowns.active_profile`)."""
    risk_order = [enum_label(enums.RISK_LEVEL, r, lang) for r in enums.RISK_LEVEL]
    data = frame.assign(
        type_label=[enum_label(enums.HOUSEHOLD_TYPE, h, lang) for h in frame["household_type"]],
        risk_label=[enum_label(enums.RISK_LEVEL, r, lang) for r in frame["risk_level"]],
        risk_rank=[list(enums.RISK_LEVEL).index(r) for r in frame["risk_level"]],
        text=[format_count(v, lang) for v in frame["cases"]],
        cases=as_float(frame["cases"]),
    )
    type_order = list(dict.fromkeys(data["type_label"]))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("type_label:N", title=None, sort=type_order),
            x=alt.X("cases:Q", title=t("chart.cases", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "risk_label:N",
                title=t("chart.risk_level", lang),
                sort=risk_order,
                scale=alt.Scale(domain=risk_order, range=list(RISK_COLOURS)),
            ),
            order=alt.Order("risk_rank:Q"),
            tooltip=[
                alt.Tooltip("type_label:N", title=t("chart.household_type", lang)),
                alt.Tooltip("risk_label:N", title=t("chart.risk_level", lang)),
                alt.Tooltip("text:N", title=t("chart.cases", lang)),
            ],
        )
        .properties(height=ROW * len(type_order) + AXIS_ROOM + LEGEND_ROOM)
    )
    return themed(chart)


# ---- donations ----------------------------------------------------------------------


def donor_types_chart(
    frame: pd.DataFrame, lang: str = "ko", months: Sequence[dt.date] | None = None
) -> alt.Chart:
    """Stacked bars of money raised per month by donor type (`donations_by_month_type`).

    `months` fixes the x axis (every month of the period, with or without donations).
    """
    type_order = [enum_label(enums.DONOR_TYPE, d, lang) for d in enums.DONOR_TYPE]
    data = frame.assign(
        month_label=frame["month"].map(month_label),
        type_label=[enum_label(enums.DONOR_TYPE, d, lang) for d in frame["donor_type"]],
        text=[format_krw(v, lang) for v in frame["amount_krw"]],
        donations=[format_count(v, lang) for v in frame["donations"]],
    ).drop(columns=["month"])
    labels = [month_label(m) for m in (months or sorted(set(frame["month"])))]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_axis(lang, labels),
            y=alt.Y("amount_krw:Q", axis=_money_axis(None, lang)),
            color=alt.Color(
                "type_label:N",
                title=t("chart.donor_type", lang),
                sort=type_order,
                scale=alt.Scale(domain=type_order, range=list(PALETTE[: len(type_order)])),
            ),
            tooltip=[
                alt.Tooltip("month_label:O", title=t("chart.month", lang)),
                alt.Tooltip("type_label:N", title=t("chart.donor_type", lang)),
                alt.Tooltip("text:N", title=t("chart.amount", lang)),
                alt.Tooltip("donations:N", title=t("series.donations_krw", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)


def targets_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.LayerChart:
    """Raised and given per neighbourhood, with the target as a tick (`donations_vs_targets`).

    `frame` has name, raised_krw, given_krw, target_krw (NaN: no target).
    """
    order = list(frame["name"])
    series = [t("series.donations_krw", lang), t("series.disbursed_krw", lang)]
    data = frame.melt(
        id_vars=["name"], value_vars=["raised_krw", "given_krw"], var_name="key"
    ).assign(
        series=lambda d: d["key"].map({"raised_krw": series[0], "given_krw": series[1]}),
        text=lambda d: [format_krw(v, lang) for v in d["value"]],
        value=lambda d: as_float(d["value"]),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=order),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("value:Q", axis=_money_axis(t("chart.amount", lang), lang)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=[BLUE, ORANGE]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.neighbourhood", lang)),
                alt.Tooltip("series:N", title=t("chart.series", lang)),
                alt.Tooltip("text:N", title=t("chart.amount", lang)),
            ],
        )
    )
    targets = frame.dropna(subset=["target_krw"])[["name", "target_krw"]].assign(
        text=lambda d: [format_krw(v, lang) for v in d["target_krw"]]
    )
    ticks = (
        alt.Chart(targets)
        .mark_tick(color="#31333F", thickness=3, size=26)
        .encode(
            y=alt.Y("name:N", sort=order),
            x="target_krw:Q",
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.neighbourhood", lang)),
                alt.Tooltip("text:N", title=t("chart.target", lang)),
            ],
        )
    )
    height = 2 * 18 * len(order) + AXIS_ROOM + LEGEND_ROOM
    return themed(alt.layer(bars, ticks).properties(height=height))


def donations_heatmap_chart(
    frame: pd.DataFrame,
    lang: str = "ko",
    months: Sequence[dt.date] | None = None,
    measure: str = "raised_krw",
) -> alt.LayerChart:
    """Neighbourhood × month heat map of money raised or given (`measure`).

    `frame` has name (the row's words), month and the measure's column (from
    `donations_by_neighbourhood_month`); `months` fixes the columns.
    """
    title = t("series.donations_krw" if measure == "raised_krw" else "series.disbursed_krw", lang)
    data = frame.assign(
        month_label=frame["month"].map(month_label),
        text=[format_krw_short(v, lang) for v in frame[measure]],
        **{measure: as_float(frame[measure])},
    ).drop(columns=["month"])
    labels = [month_label(m) for m in (months or sorted(set(frame["month"])))]
    names = list(dict.fromkeys(frame["name"]))
    base = alt.Chart(data).encode(
        x=_month_axis(lang, labels),
        y=alt.Y("name:N", title=None, sort=names),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            f"{measure}:Q",
            title=title,
            scale=alt.Scale(scheme="blues" if measure == "raised_krw" else "oranges", domainMin=0),
            legend=alt.Legend(labelExpr=krw_axis_expr(lang)),
        ),
        tooltip=[
            alt.Tooltip("name:N", title=t("chart.neighbourhood", lang)),
            alt.Tooltip("month_label:O", title=t("chart.month", lang)),
            alt.Tooltip("text:N", title=title),
        ],
    )
    height = 26 * len(names) + AXIS_ROOM + LEGEND_ROOM
    return themed(alt.layer(cells).properties(height=height))


# ---- case-sharing -------------------------------------------------------------------


def statuses_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.LayerChart:
    """Referrals by status at the period's end (`breakdowns.referral_statuses`)."""
    labels = [enum_label(enums.REFERRAL_STATUS, s, lang) for s in frame["status"]]
    data = pd.DataFrame(
        {
            "label": labels,
            "value": as_float(frame["referrals"]),
            "text": [format_count(v, lang) for v in frame["referrals"]],
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=labels),
            x=alt.X("value:Q", title=t("chart.referrals", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "label:N",
                legend=None,
                scale=alt.Scale(
                    domain=labels, range=[STATUS_COLOURS.get(s, GREY) for s in frame["status"]]
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("chart.status", lang)),
                alt.Tooltip("text:N", title=t("chart.referrals", lang)),
            ],
        )
    )
    # A hidden count ("<5") has no bar: its label is shown at zero all the same.
    text = bars.mark_text(align="left", dx=4, fontSize=11, color="#31333F", invalid="show").encode(
        text="text:N"
    )
    return themed(alt.layer(bars, text).properties(height=ROW * len(labels) + AXIS_ROOM))


def response_times_chart(frame: pd.DataFrame, lang: str = "ko", limit_days: int = 7) -> alt.Chart:
    """Referrals by days to respond; buckets past the response limit in vermillion.

    `frame` is `breakdowns.response_times` (bucket, referrals).
    """
    # A bucket is over the limit when its first day is; its first day is one past the
    # previous bucket's last.
    lower, previous = {}, -1
    for key, upper in RESPONSE_BUCKETS:
        lower[key] = previous + 1
        previous = upper if upper is not None else previous
    labels = [t(f"bucket.{b}", lang) for b in frame["bucket"]]
    within, over = t("chart.within_limit", lang), t("chart.over_limit", lang)
    data = pd.DataFrame(
        {
            "label": labels,
            "value": as_float(frame["referrals"]),
            "text": [format_count(v, lang) for v in frame["referrals"]],
            "limit": [over if lower[b] > limit_days else within for b in frame["bucket"]],
        }
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "label:N", title=t("chart.days", lang), sort=labels, axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "limit:N",
                title=None,
                sort=[within, over],
                scale=alt.Scale(domain=[within, over], range=[BLUE, VERMILLION]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=t("chart.days", lang)),
                alt.Tooltip("text:N", title=t("chart.referrals", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)
