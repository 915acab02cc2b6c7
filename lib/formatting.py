"""Numbers as the dashboard shows them: Korean thousands separators, 만원/억원, "–" for none.

metrics.md: rates and medians to 1 decimal, money in whole won with thousands separators
(만원/억원 abbreviations where space is short), and a metric without a value is "–".
Rounding is half-up on the decimal value, as people round by hand (12.25 → 12.3).
A number a partner view does not show (`lib.suppression.Suppressed`) reads as its own
text in every format: "<5" for a small count, "–" for a withheld value.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd

from lib.i18n import t
from lib.metric_defs import BY_KEY, Unit
from lib.suppression import Suppressed

DASH = "–"  # metrics.md: an undefined metric is shown as an en dash, never 0


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA: a metric without a value."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pd.NA refuses to be a bool
        return True


def _blank(value: object) -> str | None:
    """The text of a value that is not a number: "–" when missing, "<5"/"–" when suppressed."""
    if isinstance(value, Suppressed):
        return value.text
    return DASH if is_missing(value) else None


def _round(value: float, places: int) -> Decimal:
    # str() first: the float's shortest repr is what people see, so 12.25 rounds to 12.3.
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _grouped(value: Decimal | int, places: int = 0) -> str:
    # Adding zero turns a negative zero (from rounding -0.04) into a plain zero.
    return f"{Decimal(value) + 0:,.{places}f}"


def format_count(value: object, lang: str = "ko") -> str:
    """A whole number with thousands separators: `1,234`; `–` when missing."""
    if (blank := _blank(value)) is not None:
        return blank
    return _grouped(_round(value, 0))


def format_krw(value: object, lang: str = "ko") -> str:
    """Whole won with separators: `1,200,000원` (ko) or `₩1,200,000` (en); `–` when missing."""
    if (blank := _blank(value)) is not None:
        return blank
    amount = _grouped(_round(value, 0))
    return f"{amount}원" if lang == "ko" else f"₩{amount}"


def format_krw_short(value: object, lang: str = "ko") -> str:
    """Money where space is short, one rule everywhere (tiles, chart labels, tooltips).

    Korean: under 1만 in whole won (`9,999원`); under 100만 in 만원 to 1 decimal (`3.5만원`,
    `5.0만원`); under 1억 in whole 만원 (`1,234만원`); from 1억 in 억원 to 1 decimal, always
    (`1.0억원`, `3.9억원`), so amounts side by side read with the same precision.
    English: `₩999`, whole thousands (`₩35K`), millions and billions to 1 decimal
    (`₩1.0M`, `₩12.6M`, `₩1.2B`). The unit is chosen after rounding, so 99,999,999 reads
    `1.0억원`, never `10,000만원`. Rounding is half away from zero (metrics.md).
    """
    if (blank := _blank(value)) is not None:
        return blank
    amount = float(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    steps = _KO_STEPS if lang == "ko" else _EN_STEPS
    prefix = "" if lang == "ko" else "₩"
    for size, limit, suffix, places in steps:
        scaled = _round(amount / size, places)
        # The step is chosen after rounding in it: 999,960 is 100만원, not 100.0만원.
        if limit is None or scaled < limit:
            return f"{sign}{prefix}{_grouped(scaled, places)}{suffix}"
    raise AssertionError("unreachable: the last step has no limit")


# (size, limit of the scaled value, suffix, decimals), smallest first.
_KO_STEPS = (
    (1, 10_000, "원", 0),
    (1e4, 100, "만원", 1),
    (1e4, 10_000, "만원", 0),
    (1e8, None, "억원", 1),
)
_EN_STEPS = ((1, 1_000, "", 0), (1e3, 1_000, "K", 0), (1e6, 1_000, "M", 1), (1e9, None, "B", 1))

# Tables and chart axes show money as plain numbers in one unit named in the header:
# 만원 in Korean, thousands of won in English.
MONEY_UNIT_SIZE = {"ko": 10_000, "en": 1_000}


def krw_in_table_unit(value: object, lang: str = "ko") -> float | None:
    """Won in the tables' money unit (만원 / ₩ thousands), rounded half away from zero to a
    whole unit; None when missing."""
    if _blank(value) is not None:
        return None
    size = MONEY_UNIT_SIZE["ko" if lang == "ko" else "en"]
    return float(_round(float(value) / size, 0))


def format_rate(value: object, lang: str = "ko") -> str:
    """A percentage to 1 decimal: `66.7%`; `–` when missing."""
    if (blank := _blank(value)) is not None:
        return blank
    return f"{_grouped(_round(value, 1), 1)}%"


def format_per_1000(value: object, lang: str = "ko") -> str:
    """A rate per 1,000 households to 1 decimal: `12.5`; `–` when missing."""
    if (blank := _blank(value)) is not None:
        return blank
    return _grouped(_round(value, 1), 1)


def format_days(value: object, lang: str = "ko") -> str:
    """Days to 1 decimal: `3.5일` (ko) or `3.5 days` (en); `–` when missing."""
    if (blank := _blank(value)) is not None:
        return blank
    days = _grouped(_round(value, 1), 1)
    return f"{days}일" if lang == "ko" else f"{days} days"


_FORMATTERS = {
    "count": format_count,
    "krw": format_krw,
    "rate": format_rate,
    "days": format_days,
    "per_1000": format_per_1000,
}


def format_value(value: object, unit: Unit | str, lang: str = "ko", short: bool = False) -> str:
    """A value in its unit's format; money abbreviated when `short`."""
    if unit == "krw" and short:
        return format_krw_short(value, lang)
    return _FORMATTERS[unit](value, lang)


def format_metric(key: str, value: object, lang: str = "ko", short: bool = False) -> str:
    """The value of metric `key` in the format of its unit (metric_defs)."""
    return format_value(value, metric_unit(key), lang, short)


def format_change(value: object, unit: Unit | str, lang: str = "ko", short: bool = False) -> str:
    """A signed change: `+3`, `-1,200원`, `+2.5%p` (ko) / `+2.5 pp` (en); `–` when missing.

    Rates change in percentage points (metrics.md "Change and comparison"). The minus is
    ASCII so that `st.metric` points its arrow down. No change is worked out from a
    suppressed value (`metric_change`), so one reads "–" like a missing change.
    """
    if _blank(value) is not None:
        return DASH
    number = float(value)
    if unit == "rate":
        body = _grouped(_round(abs(number), 1), 1)
        body = f"{body}%p" if lang == "ko" else f"{body} pp"
        zero = _round(number, 1) == 0
    elif unit == "per_1000":
        body = format_per_1000(abs(number), lang)
        zero = _round(number, 1) == 0
    elif unit == "days":
        body = format_days(abs(number), lang)
        zero = _round(number, 1) == 0
    elif unit == "krw":
        body = (format_krw_short if short else format_krw)(abs(number), lang)
        zero = _round(number, 0) == 0
    else:
        body = format_count(abs(number), lang)
        zero = _round(number, 0) == 0
    if zero:
        return body
    return ("+" if number > 0 else "-") + body


# Units whose changes are also shown in per cent of the base (metrics.md): counts and money.
PERCENT_UNITS = ("count", "krw")


def percent_change(change: object, base: object) -> Decimal | None:
    """`change` in per cent of `base`, rounded half away from zero to 1 decimal, once.

    None when either is missing or suppressed, or the base is 0 (no per cent of nothing).
    Worked out exactly (counts and won are whole numbers): +1 on 8 is 12.5 %.
    """
    if _blank(change) is not None or _blank(base) is not None:
        return None
    exact_base = Fraction(str(float(base)))
    if exact_base == 0:
        return None
    tenths = Fraction(str(float(change))) * 1000 / abs(exact_base)  # per cent × 10
    rounded = math.floor(abs(tenths) + Fraction(1, 2))
    return Decimal(rounded if tenths >= 0 else -rounded).scaleb(-1)


def format_percent_change(change: object, base: object) -> str | None:
    """ "+8.5%" / "-25.0%" (ASCII minus), "0.0%" when it rounds to nothing; None without a base."""
    pct = percent_change(change, base)
    if pct is None:
        return None
    if pct == 0:
        return "0.0%"
    return ("+" if pct > 0 else "-") + f"{abs(pct):,.1f}%"


def metric_unit(key: str) -> str:
    """The display unit of metric `key`: its unit, or `per_1000` for rates per 1,000."""
    return "per_1000" if key == "active_per_1000" else BY_KEY[key].unit


def with_unit(label: str, unit: str, lang: str = "ko") -> str:
    """`label` with the unit of its numbers: `모금액(만원)`, `응답 소요일(중앙값, 일)`.

    A label that already ends in a parenthesis takes the unit inside it; a unit of
    `count` adds nothing (the label names what is counted), nor does a unit the label
    already names (`1천 세대당 진행 사례`).
    """
    if unit == "count":
        return label
    word = t(f"unit.header.{unit}", lang)
    # "일" is part of many Korean words (응답 소요일), so only whole phrases count as named.
    if word.lower() in label.lower() and (unit == "per_1000" or lang != "ko"):
        return label
    close = ")"
    if label.endswith(close) and "(" in label:
        head, _, inner = label[:-1].rpartition("(")
        return t("unit.header.inside", lang, label=head.rstrip(), inner=inner, unit=word)
    return t("unit.header.with", lang, label=label, unit=word)


def metric_title(key: str, lang: str = "ko", per_1000: bool = False, short: bool = False) -> str:
    """The header (or axis title) of metric `key`'s numbers, with their unit.

    `per_1000`: the metric divided by households × 1,000 (a count or money ranked so).
    `short`: the metric's column label (`Metric.column_label`), for narrow table columns.
    """
    metric = BY_KEY[key]
    label = metric.column_label(lang) if short else metric.label(lang)
    if per_1000 and BY_KEY[key].unit == "krw":  # money per 1,000 households, in 만원
        label = with_unit(label, "krw", lang)
    return with_unit(label, "per_1000" if per_1000 else metric_unit(key), lang)


def format_metric_change(
    key: str, value: object, lang: str = "ko", short: bool = False, base: object = None
) -> str:
    """The change of metric `key` against the comparison period, signed, in its unit.

    With `base` (the comparison period's value), a count's or money's change that does not
    round to nothing also reads in per cent of it when it is not 0: `+12 (+8.5%)`. Rates
    stay in percentage points only; no change, no per cent.
    """
    unit = metric_unit(key)
    text = format_change(value, unit, lang, short)
    if unit not in PERCENT_UNITS or text == DASH or not text.startswith(("+", "-")):
        return text
    pct = format_percent_change(value, base)
    return f"{text} ({pct})" if pct else text


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: Korean (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_display(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal columns (right-aligned when `right`)."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def table_counts(frame: pd.DataFrame, columns: Sequence[str], lang: str = "ko") -> pd.DataFrame:
    """`frame` for a table: a count column holding a suppressed value becomes its text.

    A table column cannot hold "<5" beside numbers; a column without a suppressed value
    (every staff table) keeps its numbers, so it still sorts by them.
    """
    out = frame.copy()
    for column in columns:
        if any(isinstance(v, Suppressed) for v in out[column]):
            out[column] = [format_count(v, lang) for v in out[column]]
    return out
