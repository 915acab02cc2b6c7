"""The data of each chart as a table for its download: the chart's words, the chart's units.

`<thing>_table(frame, lang, …)` takes the same frame its chart function takes and returns
what the chart draws, one row per mark: categories in the user's language, headers with
their unit (`사례(건)`, `금액(만원)`), money in the charts' unit (만원; ₩ thousands in
English), a month as its first day (a date: a spreadsheet reads it as one). A value a
partner view does not show stays a `Suppressed` value (the file writes "<5" or "–"); a
month the data does not reach is None ("–"), as the chart leaves it out.

Each table carries the unit of every numeric column in `frame.attrs["units"]`
(header → count, krw, rate, days, per_1000, month): `lib.exports` rounds and formats by it.
No Streamlit, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from lib import enums
from lib.formatting import MONEY_UNIT_SIZE, is_missing, with_unit
from lib.i18n import enum_label, t
from lib.queries.breakdowns import RESPONSE_BUCKETS
from lib.suppression import Suppressed

MONTH = "month"  # the unit of a month column: its first day, shown yyyy-mm


def with_units(frame: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    """`frame` carrying `units` (header → unit) for its download."""
    frame.attrs["units"] = dict(units)
    return frame


def money(value: object, lang: str) -> object:
    """Won in the charts' money unit (만원 / ₩ thousands); other values as they are."""
    if isinstance(value, Suppressed) or is_missing(value):
        return value
    return float(value) / MONEY_UNIT_SIZE["ko" if lang == "ko" else "en"]


def _month(value: object) -> object:
    """A month as its first day (a date), from a date or a `2024.03` label."""
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    text = str(value)
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def _money_header(words: str, lang: str) -> str:
    return with_unit(words, "krw", lang)


# ---- monthly trends (monthly_activity) ------------------------------------------------------


def monthly_table(frame: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """The months and the series of a trend chart (`caseload_trend_chart`: discovered,
    opened, closed; `raised_given_chart`: donations_krw, disbursed_krw;
    `referrals_trend_chart`: referrals_sent)."""
    recorded = frame["recorded"] if "recorded" in frame else pd.Series(True, index=frame.index)
    month_header = t("chart.month", lang)
    out = pd.DataFrame({month_header: [_month(m) for m in frame["month"]]})
    units = {month_header: MONTH}
    for column in columns:
        is_money = column.endswith("_krw")
        words = t(f"series.{column}", lang)
        header = _money_header(words, lang) if is_money else words
        values = [
            (money(v, lang) if is_money else v) if bool(r) else None
            for v, r in zip(frame[column], recorded, strict=True)
        ]
        out[header] = pd.Series(values, dtype=object)
        units[header] = "krw" if is_money else "count"
    return with_units(out, units)


# ---- rankings and maps --------------------------------------------------------------------


def ranking_table(
    frame: pd.DataFrame,
    lang: str,
    *,
    value_title: str,
    unit: str,
    city_value: object = None,
    unit_word: str | None = None,
    total_word: str | None = None,
) -> pd.DataFrame:
    """`ranking_chart`'s bars, highest first, and the city's line as a last row."""
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    name_header = unit_word or t("chart.neighbourhood", lang)
    value_header = with_unit(value_title, unit, lang)
    values = [money(v, lang) if unit == "krw" else v for v in data["value"]]
    out = pd.DataFrame({name_header: list(data["name"]), value_header: values}, dtype=object)
    if city_value is not None and not is_missing(city_value):
        city = money(city_value, lang) if unit == "krw" else city_value
        out.loc[len(out)] = [total_word or t("chart.city", lang), city]
    return with_units(out, {value_header: unit})


def map_table(
    values: pd.DataFrame,
    lang: str,
    *,
    value_title: str,
    unit: str,
    name_header: str | None = None,
) -> pd.DataFrame:
    """The map's units (`overview.map_values`: name, value, rank), in rank order; their
    column is headed `name_header` (default 읍면동; a 시·도's map: 시군구)."""
    data = values.sort_values(["rank", "name"], na_position="last")
    name_header = name_header or t("chart.neighbourhood", lang)
    value_header = with_unit(value_title, unit, lang)
    rank_header = t("download.rank", lang)
    out = pd.DataFrame(
        {
            name_header: list(data["name"]),
            value_header: [money(v, lang) if unit == "krw" else v for v in data["value"]],
            rank_header: [None if is_missing(r) else int(r) for r in data["rank"]],
        },
        dtype=object,
    )
    return with_units(out, {value_header: unit, rank_header: "count"})


# ---- categories -----------------------------------------------------------------------------


def _categories(
    labels: Sequence[str], values: Sequence[object], label_header: str, value_header: str
) -> pd.DataFrame:
    out = pd.DataFrame({label_header: list(labels), value_header: list(values)}, dtype=object)
    return with_units(out, {value_header: "count"})


def channels_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`channels_chart`: cases identified by channel."""
    return _categories(
        [enum_label(enums.CHANNEL, c, lang) for c in frame["channel"]],
        frame["cases"],
        t("chart.channel", lang),
        t("chart.axis.cases", lang),
    )


def stages_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`stages_chart`: cases by the stage reached at the period's end."""
    return _categories(
        [t(f"stage.{s}", lang) for s in frame["stage"]],
        frame["cases"],
        t("chart.stage", lang),
        t("chart.axis.cases", lang),
    )


def statuses_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`statuses_chart`: referrals by status at the period's end."""
    return _categories(
        [enum_label(enums.REFERRAL_STATUS, s, lang) for s in frame["status"]],
        frame["referrals"],
        t("chart.status", lang),
        t("chart.axis.referrals", lang),
    )


def response_times_table(frame: pd.DataFrame, lang: str, limit_days: int) -> pd.DataFrame:
    """`response_times_chart`: referrals by days to respond, within or over the limit."""
    lower, previous = {}, -1
    for key, upper in RESPONSE_BUCKETS:
        lower[key] = previous + 1
        previous = upper if upper is not None else previous
    within, over = t("chart.within_limit", lang), t("chart.over_limit", lang)
    out = _categories(
        [t(f"bucket.{b}", lang) for b in frame["bucket"]],
        frame["referrals"],
        with_unit(t("chart.days", lang), "days", lang),
        t("chart.axis.referrals", lang),
    )
    out[t("download.limit", lang)] = [
        over if lower[b] > limit_days else within for b in frame["bucket"]
    ]
    return out


def profile_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`profile_chart`: active cases by household type and risk level."""
    cases = t("chart.axis.cases", lang)
    out = pd.DataFrame(
        {
            t("chart.household_type", lang): [
                enum_label(enums.HOUSEHOLD_TYPE, h, lang) for h in frame["household_type"]
            ],
            t("chart.risk_level", lang): [
                enum_label(enums.RISK_LEVEL, r, lang) for r in frame["risk_level"]
            ],
            cases: list(frame["cases"]),
        },
        dtype=object,
    )
    return with_units(out, {cases: "count"})


# ---- donations ------------------------------------------------------------------------------


def donor_types_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`donor_types_chart`: money raised per month by donor type, and how many donations."""
    month, amount = t("chart.month", lang), _money_header(t("chart.amount", lang), lang)
    count = t("download.donations", lang)
    out = pd.DataFrame(
        {
            month: [_month(m) for m in frame["month"]],
            t("chart.donor_type", lang): [
                enum_label(enums.DONOR_TYPE, d, lang) for d in frame["donor_type"]
            ],
            amount: [money(v, lang) for v in frame["amount_krw"]],
            count: list(frame["donations"]),
        },
        dtype=object,
    )
    return with_units(out, {month: MONTH, amount: "krw", count: "count"})


def heatmap_table(frame: pd.DataFrame, lang: str, measure: str) -> pd.DataFrame:
    """`donations_heatmap_chart`: money raised or given (`measure`) by neighbourhood and month
    (`frame`: name, month, the measure)."""
    words = t("series.donations_krw" if measure == "raised_krw" else "series.disbursed_krw", lang)
    month, amount = t("chart.month", lang), _money_header(words, lang)
    out = pd.DataFrame(
        {
            t("chart.neighbourhood", lang): list(frame["name"]),
            month: [_month(m) for m in frame["month"]],
            amount: [money(v, lang) for v in frame[measure]],
        },
        dtype=object,
    )
    return with_units(out, {month: MONTH, amount: "krw"})


# ---- the network --------------------------------------------------------------------------


def flows_table(totals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The referral matrix and graph: sender, receiver, referrals and those accepted
    (`totals`: from_name, to_name, referrals, accepted)."""
    referrals, accepted = t("network.referrals", lang), t("network.accepted", lang)
    out = pd.DataFrame(
        {
            t("network.from", lang): list(totals["from_name"]),
            t("network.to", lang): list(totals["to_name"]),
            referrals: list(totals["referrals"]),
            accepted: list(totals["accepted"]),
        },
        dtype=object,
    )
    return with_units(out, {referrals: "count", accepted: "count"})


def status_months_table(frame: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """`status_over_time_chart`: referrals per month by status (`frame`: month, status,
    referrals; `labels`: status → its word)."""
    month, referrals = t("network.month", lang), t("chart.axis.referrals", lang)
    out = pd.DataFrame(
        {
            month: [_month(m) for m in frame["month"]],
            t("network.status", lang): [labels.get(s, s) for s in frame["status"]],
            referrals: list(frame["referrals"]),
        },
        dtype=object,
    )
    return with_units(out, {month: MONTH, referrals: "count"})


def response_trend_table(frame: pd.DataFrame, days_title: str, lang: str) -> pd.DataFrame:
    """`response_trend_chart`: the median days to respond per month and line (`frame`:
    month label, series, median_days, responses)."""
    month, responses = t("network.month", lang), t("agency.responses", lang)
    out = pd.DataFrame(
        {
            month: [_month(m) for m in frame["month"]],
            t("agency.series", lang): list(frame["series"]),
            days_title: list(frame["median_days"]),
            responses: list(frame["responses"]),
        },
        dtype=object,
    )
    return with_units(out, {month: MONTH, days_title: "days", responses: "count"})
