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
        (9_999.6, "1.0만원", "₩10K"),  # 10,000원 after rounding: the next step
        (35_000, "3.5만원", "₩35K"),
        (50_000, "5.0만원", "₩50K"),  # the same decimals as 3.5만원
        (123_456, "12.3만원", "₩123K"),
        (999_960, "100만원", "₩1.0M"),  # 100.0만원 after rounding: whole 만원 from there
        (1_000_000, "100만원", "₩1.0M"),
        (1_125_000, "113만원", "₩1.1M"),  # 112.5만 → 113 (half away from zero)
        (12_340_000, "1,234만원", "₩12.3M"),
        (99_994_999, "9,999만원", "₩100.0M"),
        (99_999_999, "1.0억원", "₩100.0M"),  # rounds up to the next unit, never "10,000만원"
        (100_000_000, "1.0억원", "₩100.0M"),  # 1억 with the decimal, like 3.9억원
        (125_000_000, "1.3억원", "₩125.0M"),  # 1.25억 → 1.3 (half away from zero)
        (150_000_000, "1.5억원", "₩150.0M"),
        (390_000_000, "3.9억원", "₩390.0M"),
        (1_234_567_890, "12.3억원", "₩1.2B"),
        (1_250_000, "125만원", "₩1.3M"),  # ₩1.25M → 1.3
        (-35_000, "-3.5만원", "-₩35K"),
        (-125_000_000, "-1.3억원", "-₩125.0M"),  # away from zero, not up
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


@pytest.mark.parametrize(
    "key, change, base, short, lang, expected",
    [
        # 12 on a base of 141: 12 / 141 × 100 = 8.5106… % → 8.5 %
        ("discovered", 12, 141, False, "ko", "+12 (+8.5%)"),
        # 8 on 5 = 160 %; 4 on 3 = 133.33… % → 133.3 %; −1 on 2 = −50 %
        ("discovered", 8, 5, False, "ko", "+8 (+160.0%)"),
        ("active", 4, 3, False, "en", "+4 (+133.3%)"),
        ("ss_active", -1, 2, False, "ko", "-1 (-50.0%)"),
        # half away from zero, on the exact value: 1 / 16 = 6.25 % → 6.3; −1 / 16 → −6.3
        # (half-to-even would give 6.2); 3 / 400 = 0.75 % → 0.8
        ("discovered", 1, 16, False, "ko", "+1 (+6.3%)"),
        ("discovered", -1, 16, False, "ko", "-1 (-6.3%)"),
        ("discovered", 3, 400, False, "ko", "+3 (+0.8%)"),
        # a change too small for a tenth of a per cent: 1 / 10,000 = 0.01 % → 0.0 %
        ("discovered", 1, 10_000, False, "ko", "+1 (0.0%)"),
        # money: 1,600,000 on 150,000 = 1,066.66… % → 1,066.7 %
        ("disbursed_krw", 1_600_000, 150_000, True, "ko", "+160만원 (+1,066.7%)"),
        ("disbursed_krw", 1_600_000, 150_000, True, "en", "+₩1.6M (+1,066.7%)"),
        ("donations_krw", -500_000, 2_000_000, False, "ko", "-500,000원 (-25.0%)"),
        # a zero base: no per cent (of nothing), only the change
        ("discovered", 6, 0, False, "ko", "+6"),
        ("donations_krw", 300_000, 0, True, "en", "+₩300K"),
        # no change: no per cent
        ("discovered", 0, 3, False, "ko", "0"),
        # without a base (not given or missing): the change alone
        ("discovered", 3, None, False, "ko", "+3"),
        ("discovered", 3, float("nan"), False, "ko", "+3"),
        # rates keep percentage points only; days and rates per 1,000 their own unit
        ("acceptance_rate", -28.6, 100.0, False, "ko", "-28.6%p"),
        ("median_response_days", 3.5, 3.0, False, "ko", "+3.5일"),
        ("active_per_1000", 2.0, 2.0, False, "ko", "+2.0"),
        # a missing change stays "–"
        ("discovered", None, 3, False, "ko", DASH),
    ],
)
def test_changes_of_counts_and_money_also_in_per_cent(key, change, base, short, lang, expected):
    assert format_metric_change(key, change, lang, short, base=base) == expected


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
