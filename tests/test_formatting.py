"""Number formats (lib.formatting): separators, 만원/억원, signs, and "–" for no value."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.formatting import (
    DASH,
    format_change,
    format_count,
    format_days,
    format_krw,
    format_krw_short,
    format_metric,
    format_metric_change,
    format_per_1000,
    format_rate,
)
from lib.suppression import SMALL, WITHHELD, Suppressed


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan, pd.NA])
def test_missing_values_are_a_dash(missing):
    for fmt in (format_count, format_krw, format_krw_short, format_rate, format_days):
        assert fmt(missing) == DASH == "–"
    assert format_change(missing, "count") == DASH


def test_counts_and_won_have_thousands_separators():
    assert format_count(0) == "0"
    assert format_count(1234567) == "1,234,567"
    assert format_count(12.0) == "12"
    assert format_krw(1_200_000) == "1,200,000원"
    assert format_krw(1_200_000, "en") == "₩1,200,000"


@pytest.mark.parametrize(
    "amount,ko,en",
    [
        (0, "0원", "₩0"),
        (9_999, "9,999원", "₩10K"),
        (35_000, "3.5만원", "₩35K"),
        (123_456, "12.3만원", "₩123.5K"),
        (1_000_000, "100만원", "₩1M"),
        (12_340_000, "1,234만원", "₩12.3M"),
        (99_999_999, "1억원", "₩100M"),  # rounds up to the next unit, never "10,000만원"
        (150_000_000, "1.5억원", "₩150M"),
        (1_234_567_890, "12.3억원", "₩1.2B"),
        (-35_000, "-3.5만원", "-₩35K"),
    ],
)
def test_short_won(amount, ko, en):
    assert format_krw_short(amount) == ko
    assert format_krw_short(amount, "en") == en


def test_rates_and_days_round_half_up_to_one_decimal():
    assert format_rate(200 / 3) == "66.7%"
    assert format_rate(12.25) == "12.3%"  # half-up, not banker's rounding
    assert format_rate(0) == "0.0%"
    assert format_days(3.25) == "3.3일"
    assert format_days(7, "en") == "7.0 days"
    assert format_per_1000(12.345) == "12.3"


def test_changes_are_signed_in_their_unit():
    assert format_change(3, "count") == "+3"
    assert format_change(-1200, "krw") == "-1,200원"
    assert format_change(-1_200_000, "krw", "ko", short=True) == "-120만원"
    assert format_change(2.46, "rate") == "+2.5%p"
    assert format_change(2.46, "rate", "en") == "+2.5 pp"
    assert format_change(-0.5, "days") == "-0.5일"
    assert format_change(0, "count") == "0"
    assert format_change(-0.04, "rate") == "0.0%p"  # rounds to zero: no sign


def test_metric_formats_follow_the_registry():
    assert format_metric("discovered", 1234) == "1,234"
    assert format_metric("donations_krw", 5_300_000, "ko", short=True) == "530만원"
    assert format_metric("acceptance_rate", 75.0, "en") == "75.0%"
    assert format_metric("median_response_days", 7.0) == "7.0일"
    # active per 1,000 households is a ratio, not a percentage
    assert format_metric("active_per_1000", 2.0) == "2.0"
    assert format_metric_change("active_per_1000", -1.25) == "-1.3"
    assert format_metric_change("high_risk_share", 10) == "+10.0%p"


def test_suppressed_values_read_as_partner_views_show_them():
    small, withheld = Suppressed(SMALL, 5), Suppressed(WITHHELD, 5)
    for fmt in (format_count, format_krw, format_krw_short, format_rate, format_days):
        assert fmt(small) == "<5"
        assert fmt(withheld) == DASH
    assert format_metric("pending", small, "en") == "<5"
    assert format_metric("acceptance_rate", withheld, "ko") == DASH
    assert format_metric("active_per_1000", withheld) == DASH
    # No change is ever worked out from a suppressed value; if one arrives, it reads "–".
    assert format_change(small, "count") == DASH
