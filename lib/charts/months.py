"""Months on chart axes and in tooltips, one style for every chart.

Months travel as text labels (`2024.03`) on an ordinal axis, so a browser's time zone or
locale can never shift or rename them. The axis reads `3월` (ko) / `Mar` (en), with the
year at the first month shown and wherever it changes (January): `24년 1월` / `Jan '24`.
Tooltips give the whole month: `2024년 3월` / `Mar 2024`.
"""

from __future__ import annotations

import datetime as dt

import altair as alt

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(month: dt.date) -> str:
    """`2024.03` for the first day of a month: the label every monthly chart uses."""
    return f"{month:%Y.%m}"


def month_text(label: str, lang: str = "ko") -> str:
    """A month label (`2024.03`) in words for tooltips: `2024년 3월` / `Mar 2024`."""
    year, month = int(label[:4]), int(label[5:7])
    return f"{year}년 {month}월" if lang == "ko" else f"{_EN_MONTHS[month - 1]} {year}"


def month_axis_expr(lang: str) -> str:
    """A Vega expression for month ticks: `3월`/`Mar`, with the year at the axis's first
    month (`datum.index` 0) and at every January: `24년 1월` / `Jan '24`."""
    month = "toNumber(slice(datum.value, 5))"
    year = "slice(datum.value, 2, 4)"
    with_year = "datum.index == 0 || " + month + " == 1"
    if lang == "ko":
        return f"({with_year}) ? {year} + '년 ' + {month} + '월' : {month} + '월'"
    names = "[" + ",".join(f"'{m}'" for m in _EN_MONTHS) + "]"
    plain = f"{names}[{month} - 1]"
    return f'({with_year}) ? {plain} + " \'" + {year} : {plain}'


# Pixels kept clear between two month labels.
LABEL_SEPARATION = 6


def month_axis(lang: str) -> alt.Axis:
    """The month axis: labels never overlap. On a phone twelve months do not fit side by
    side, so Vega drops labels (greedily, keeping a gap) until the rest fit; the first
    month keeps its year (`24년 1월`)."""
    return alt.Axis(
        labelAngle=0,
        labelOverlap="greedy",
        labelSeparation=LABEL_SEPARATION,
        labelExpr=month_axis_expr(lang),
    )
