"""The URL filters (lib.ui): which period the parameters describe, and which periods are offered."""

from __future__ import annotations

import datetime as dt

from lib.period import Period
from lib.ui import (
    default_compare,
    neighbourhood_path,
    period_options,
    resolve_compare,
    resolve_period,
)

AS_OF = dt.date(2024, 12, 31)


def test_default_is_the_as_of_year_to_date():
    period, notice = resolve_period(None, None, None, AS_OF)
    assert period == Period(dt.date(2024, 1, 1), AS_OF, "range")
    assert notice is None


def test_a_period_key():
    assert resolve_period("2024-H1", None, None, AS_OF) == (Period.half(2024, 1), None)


def test_dates_win_over_the_key():
    period, _ = resolve_period("2024", "2024-02-01", "2024-03-31", AS_OF)
    assert (period.start, period.end, period.kind) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 31),
        "range",
    )


def test_one_date_alone():
    # a start alone runs to the as-of date; an end alone from 1 January of its year
    assert resolve_period(None, "2024-10-01", None, AS_OF)[0] == Period.between(
        "2024-10-01", "2024-12-31"
    )
    assert resolve_period(None, None, dt.date(2024, 3, 31), AS_OF)[0] == Period.between(
        "2024-01-01", "2024-03-31"
    )


def test_bad_values_fall_back_to_the_default_with_a_notice():
    default = Period.year_to_date(AS_OF)
    assert resolve_period("2024-H3", None, None, AS_OF) == (
        default,
        ("filter.bad_period", {"value": "2024-H3"}),
    )
    period, notice = resolve_period(None, "2024-05-01", "2024-04-01", AS_OF)
    assert period == default
    assert notice == (
        "filter.bad_range",
        {"start": dt.date(2024, 5, 1), "end": dt.date(2024, 4, 1)},
    )


def test_without_data_the_default_is_this_year():
    period, _ = resolve_period(None, None, None, None)
    assert period.start == dt.date(dt.date.today().year, 1, 1)


def test_period_options_newest_first_from_the_year_before_the_data():
    options = period_options(dt.date(2023, 7, 15), dt.date(2024, 3, 10))
    # 2024: year, H1 (H2 starts after the as-of date), Q1, months 03 02 01
    assert options[:6] == ["2024", "2024-H1", "2024-Q1", "2024-03", "2024-02", "2024-01"]
    assert options[6:9] == ["2023", "2023-H2", "2023-H1"]
    # 19 periods per full year (1 + 2 + 4 + 12) for 2023 and 2022
    assert len(options) == 6 + 19 + 19
    assert options[-1] == "2022-01"


def test_neighbourhood_path_is_url_safe():
    assert neighbourhood_path("4420011000") == "nb-4420011000"
    assert neighbourhood_path("A/1 동") == "nb-A_1__"


def test_the_default_period_is_compared_a_year_earlier_any_other_with_the_one_before():
    ytd = Period.year_to_date(AS_OF)
    assert default_compare(ytd, AS_OF) == "yoy"
    # the calendar year 2024 has the same dates, but it is a year chosen in the selector
    assert default_compare(Period.year(2024), AS_OF) == "prev"
    assert default_compare(Period.parse("2024-H1"), AS_OF) == "prev"
    assert default_compare(Period.between("2024-01-01", "2024-06-30"), AS_OF) == "prev"
    # the viewer's choice wins; anything else is the default
    assert resolve_compare("prev", ytd, AS_OF) == "prev"
    assert resolve_compare("yoy", Period.parse("2024-H1"), AS_OF) == "yoy"
    assert resolve_compare("YOY", Period.parse("2024-H1"), AS_OF) == "prev"
    assert resolve_compare(None, ytd, AS_OF) == "yoy"
