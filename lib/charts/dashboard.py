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
from lib.charts.months import month_axis, month_label, month_text
from lib.charts.theme import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    RISK_COLOURS,
    SKY,
    STATUS_COLOURS,
    TEXT_COLOUR,
    VERMILLION,
    themed,
)
from lib.formatting import (
    MONEY_UNIT_SIZE,
    format_count,
    format_krw_short,
    format_value,
    with_unit,
)
from lib.i18n import enum_label, t
from lib.metric_defs import BY_KEY
from lib.queries.breakdowns import RESPONSE_BUCKETS
from lib.suppression import Suppressed, as_float

HEIGHT = 260
# Streamlit sizes charts with Vega's "fit": the height includes axes and legends, so bar
# charts add room for them to each row's band.
ROW = 30
AXIS_ROOM = 50
LEGEND_ROOM = 60


def _month_axis(lang: str, months: Sequence[str]) -> alt.X:
    return alt.X(
        "month_label:O",
        title=t("chart.month", lang),
        sort=list(months),
        scale=alt.Scale(domain=list(months)),
        axis=month_axis(lang),
    )


def _month_tooltip(lang: str) -> alt.Tooltip:
    return alt.Tooltip("month_text:N", title=t("chart.month", lang))


def money_title(lang: str, words: str | None = None) -> str:
    """An axis or legend title for money, with the unit the numbers are in: `금액(만원)`."""
    return with_unit(words or t("chart.amount", lang), "krw", lang)


def in_money_unit(values: pd.Series, lang: str) -> pd.Series:
    """Won as drawn on money axes: in 만원 (₩ thousands in English), as the tables show."""
    return as_float(values) / MONEY_UNIT_SIZE["ko" if lang == "ko" else "en"]


def _money_axis(title: str | None, lang: str) -> alt.Axis:
    return alt.Axis(title=title, format=",~f", tickCount=5)


def _long_monthly(frame: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """Months × series in long form, with the series' words and a formatted value.

    Money is in 만원 (the axis says so), its text as the tiles write it. A month the data
    does not reach (`recorded` False: before the first date or after the as-of date) has
    no value (null), so lines break there instead of dropping to 0.
    """
    data = frame.melt(id_vars=["month"], value_vars=list(columns), var_name="key")
    recorded = frame.set_index("month")["recorded"] if "recorded" in frame else None
    data["month_label"] = data["month"].map(month_label)
    data["month_text"] = data["month_label"].map(lambda m: month_text(m, lang))
    data["series"] = data["key"].map(lambda k: t(f"series.{k}", lang))
    money = data["key"].str.endswith("_krw")
    data["text"] = [
        format_krw_short(v, lang) if m else format_count(v, lang)
        for v, m in zip(data["value"], money, strict=True)
    ]
    values = as_float(data["value"])
    data["value"] = values.where(~money.to_numpy(), in_money_unit(data["value"], lang))
    if recorded is not None:
        missing = ~data["month"].map(recorded).astype(bool)
        data.loc[missing, "value"] = None
        data.loc[missing, "text"] = t("chart.no_data_month", lang)
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
        # A null month breaks the line (a gap), where "filter" would join its neighbours.
        .mark_line(point=True, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(
            x=_month_axis(lang, months),
            y=alt.Y("value:Q", title=t("chart.axis.cases", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[BLUE, ORANGE, GREY]),
            ),
            tooltip=[
                _month_tooltip(lang),
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
            y=alt.Y("value:Q", axis=_money_axis(money_title(lang), lang)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[BLUE, ORANGE]),
            ),
            tooltip=[
                _month_tooltip(lang),
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
            y=alt.Y("value:Q", title=t("chart.axis.referrals", lang), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                _month_tooltip(lang),
                alt.Tooltip("text:N", title=t("chart.referrals", lang)),
            ],
        )
        .properties(height=HEIGHT)
    )
    return themed(chart)


# ---- rankings -----------------------------------------------------------------------


def ranking_frame(current: pd.DataFrame, hoods: pd.DataFrame, key: str) -> pd.DataFrame:
    """name, value for the ranking chart: per 1,000 households where metrics.md ranks so."""
    frame = hoods.set_index("code")[["name", "households"]]
    values = pd.to_numeric(current[key].reindex(frame.index), errors="coerce").astype("float64")
    if BY_KEY[key].rank_per_1000:
        households = frame["households"].astype("float64")
        values = values / households.where(households > 0) * 1000
    return pd.DataFrame({"name": frame["name"].to_numpy(), "value": values.to_numpy()})


def ranking_chart(
    frame: pd.DataFrame,
    lang: str = "ko",
    *,
    value_title: str,
    unit: str = "count",
    city_value: float | None = None,
    highlight: str | None = None,
    unit_word: str | None = None,
    total_word: str | None = None,
) -> alt.LayerChart:
    """Horizontal bars of neighbourhoods, highest first, with an optional city line.

    `frame` has name and value (NaN values are left out); `unit` is a formatting unit
    (count, krw, rate, days, per_1000); `highlight` is a name drawn in orange. Region
    pages rank other units: `unit_word` names them ("시군구"; default 읍면동) and
    `total_word` the line's whole ("한빛도 전체"; default 시 전체).
    """
    unit_word = unit_word or t("chart.neighbourhood", lang)
    total_word = total_word or t("chart.city", lang)
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    data = data.assign(
        text=[format_value(v, unit, lang, short=True) for v in data["value"]],
        focus=data["name"] == highlight,
    )
    if unit == "krw":  # drawn in 만원, as the axis title says; the labels read as tiles do
        data["value"] = in_money_unit(data["value"], lang)
    order = list(data["name"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "name:N", title=t("chart.ranking_order.unit", lang, unit=unit_word), sort=order
            ),
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
                alt.Tooltip("name:N", title=unit_word),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    # Value labels sit past the bar's end on a white halo, drawn over the city line, so
    # the dashed line passes behind a label instead of striking through it.
    label_style = {"align": "left", "dx": 5, "fontSize": 11}
    halo = bars.mark_text(**label_style, stroke="white", strokeWidth=4, strokeJoin="round").encode(
        text="text:N"
    )
    labels = bars.mark_text(**label_style).encode(text="text:N", color=alt.value(TEXT_COLOUR))
    layers = []
    if city_value is not None and not pd.isna(city_value):
        drawn = (
            city_value / MONEY_UNIT_SIZE["ko" if lang == "ko" else "en"]
            if unit == "krw"
            else city_value
        )
        city = pd.DataFrame(
            {
                "value": [drawn],
                "text": [total_word + " " + format_value(city_value, unit, lang, True)],
            }
        )
        rule = (
            alt.Chart(city)
            .mark_rule(color=VERMILLION, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(x="value:Q", tooltip=[alt.Tooltip("text:N", title=total_word)])
        )
        # The city's words above the plot, outside every bar and label.
        label = rule.mark_text(
            align="left", baseline="bottom", dx=4, dy=-4, y=0, fontSize=11, color=VERMILLION
        ).encode(text="text:N")
        layers += [rule, label]
    height = 24 * len(order)
    chart = alt.layer(*layers[:1], bars, halo, labels, *layers[1:])
    return themed(chart.properties(height=height + AXIS_ROOM))


# ---- cases --------------------------------------------------------------------------


def _category_bars(
    data: pd.DataFrame,
    lang: str,
    *,
    category_title: str,
    value_title: str,
    colour: str,
    axis_title: str | None = None,
) -> alt.LayerChart:
    """Horizontal bars of `label` → `value`, in the frame's order, with the count printed."""
    order = list(data["label"])
    bars = (
        alt.Chart(data)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y("label:N", title=None, sort=order),
            x=alt.X("value:Q", title=axis_title or value_title, axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=category_title),
                alt.Tooltip("text:N", title=value_title),
            ],
        )
    )
    # A hidden count ("<5") has no bar: its label is shown at zero all the same.
    text = bars.mark_text(align="left", dx=4, fontSize=11, invalid="show").encode(
        text="text:N", color=alt.value(TEXT_COLOUR)
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
        axis_title=t("chart.axis.cases", lang),
        colour=BLUE,
    )


def stages_chart(frame: pd.DataFrame, lang: str = "ko") -> alt.LayerChart:
    """Cases handled in the period by the stage reached at its end (`cases_by_stage`).

    The title says what is counted and its total; the subtitle adds the two stages that
    make the 진행 중 사례 tile (opened + planned = active at the period's end), so the
    chart visibly agrees with it. Under a partner view some counts are hidden ("<5"):
    then the words say what is counted without the sums.
    """
    data = pd.DataFrame(
        {
            "label": [t(f"stage.{s}", lang) for s in frame["stage"]],
            "value": as_float(frame["cases"]),
            "text": [format_count(v, lang) for v in frame["cases"]],
        }
    )
    chart = _category_bars(
        data,
        lang,
        category_title=t("chart.stage", lang),
        value_title=t("chart.cases", lang),
        axis_title=t("chart.axis.cases", lang),
        colour=SKY,
    )
    counts = dict(zip(frame["stage"], frame["cases"], strict=True))
    if not any(isinstance(v, Suppressed) or pd.isna(v) for v in counts.values()):
        opened, planned = int(counts.get("opened", 0)), int(counts.get("planned", 0))
        title = t("chart.stages.title", lang, total=format_count(sum(counts.values()), lang))
        subtitle = t(
            "chart.stages.subtitle",
            lang,
            opened=format_count(opened, lang),
            planned=format_count(planned, lang),
            active=format_count(opened + planned, lang),
        )
    else:
        title = t("chart.stages.title_plain", lang)
        subtitle = t("chart.stages.subtitle_plain", lang)
    return chart.properties(
        title=alt.TitleParams(
            title, subtitle=subtitle, anchor="start", fontSize=13, subtitleFontSize=12
        ),
        height=ROW * len(data) + AXIS_ROOM + 40,
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
            x=alt.X("cases:Q", title=t("chart.axis.cases", lang), axis=alt.Axis(tickMinStep=1)),
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
        text=[format_krw_short(v, lang) for v in frame["amount_krw"]],
        donations=[format_count(v, lang) for v in frame["donations"]],
        amount_krw=in_money_unit(frame["amount_krw"], lang),
    ).drop(columns=["month"])
    data["month_text"] = data["month_label"].map(lambda m: month_text(m, lang))
    labels = [month_label(m) for m in (months or sorted(set(frame["month"])))]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_month_axis(lang, labels),
            y=alt.Y("amount_krw:Q", axis=_money_axis(money_title(lang), lang)),
            color=alt.Color(
                "type_label:N",
                title=t("chart.donor_type", lang),
                sort=type_order,
                scale=alt.Scale(domain=type_order, range=list(PALETTE[: len(type_order)])),
            ),
            tooltip=[
                _month_tooltip(lang),
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
        text=lambda d: [format_krw_short(v, lang) for v in d["value"]],
        value=lambda d: in_money_unit(d["value"], lang),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=order),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("value:Q", axis=_money_axis(money_title(lang), lang)),
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
        text=lambda d: [format_krw_short(v, lang) for v in d["target_krw"]],
        target_krw=lambda d: in_money_unit(d["target_krw"], lang),
    )
    ticks = (
        alt.Chart(targets)
        .mark_tick(color=TEXT_COLOUR, thickness=3, size=26)
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
        **{measure: in_money_unit(frame[measure], lang)},
    ).drop(columns=["month"])
    data["month_text"] = data["month_label"].map(lambda m: month_text(m, lang))
    labels = [month_label(m) for m in (months or sorted(set(frame["month"])))]
    names = list(dict.fromkeys(frame["name"]))
    base = alt.Chart(data).encode(
        x=_month_axis(lang, labels),
        y=alt.Y("name:N", title=None, sort=names),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            f"{measure}:Q",
            title=money_title(lang, title),
            scale=alt.Scale(scheme="blues" if measure == "raised_krw" else "oranges", domainMin=0),
            legend=alt.Legend(format=",~f"),
        ),
        tooltip=[
            alt.Tooltip("name:N", title=t("chart.neighbourhood", lang)),
            _month_tooltip(lang),
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
            x=alt.X("value:Q", title=t("chart.axis.referrals", lang), axis=alt.Axis(tickMinStep=1)),
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
    # A hidden count ("<5") has no bar: its label is shown at zero all the same. The
    # label's colour is the text's, not its bar's (회수's light grey would be 1.4:1).
    text = bars.mark_text(align="left", dx=4, fontSize=11, invalid="show").encode(
        text="text:N", color=alt.value(TEXT_COLOUR)
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
                "label:N",
                title=with_unit(t("chart.days", lang), "days", lang),
                sort=labels,
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("value:Q", title=t("chart.axis.referrals", lang), axis=alt.Axis(tickMinStep=1)),
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
