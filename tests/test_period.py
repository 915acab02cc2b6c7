"""Periods: every form of metrics.md, their previous periods, names and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.errors import user_message
from lib.period import Period, PeriodError

D = dt.date


@pytest.mark.parametrize(
    "text, start, end, kind, key",
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
        ("2024-h2", D(2024, 7, 1), D(2024, 12, 31), "half", "2024-H2"),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024-Q1"),
        ("2024-Q2", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024-Q2"),
        ("2024-q3", D(2024, 7, 1), D(2024, 9, 30), "quarter", "2024-Q3"),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31), "quarter", "2024-Q4"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month", "2024-02"),  # leap year
        ("2023-2", D(2023, 2, 1), D(2023, 2, 28), "month", "2023-02"),
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "month", "2024-12"),
        ("2024-01-15..2024-03-10", D(2024, 1, 15), D(2024, 3, 10), "range", "2024-01-15..2024-03-10"),
        ("2024-01-15~2024-03-10", D(2024, 1, 15), D(2024, 3, 10), "range", "2024-01-15..2024-03-10"),
        (" 2024-05-01..2024-05-01 ", D(2024, 5, 1), D(2024, 5, 1), "range", "2024-05-01..2024-05-01"),
    ],
)  # fmt: skip
def test_every_form_parses_and_round_trips(text, start, end, kind, key):
    p = Period.parse(text)
    assert (p.start, p.end, p.kind, p.key) == (start, end, kind, key)
    assert Period.parse(p.key) == p


@pytest.mark.parametrize(
    "text, previous",
    [
        ("2024", "2023"),
        ("2024-H1", "2023-H2"),
        ("2024-H2", "2024-H1"),
        ("2024-Q1", "2023-Q4"),
        ("2024-Q3", "2024-Q2"),
        ("2024-01", "2023-12"),
        ("2024-03", "2024-02"),
        # 31 days (01-15 … 02-14) → the 31 days just before: 2023-12-15 … 2024-01-14
        ("2024-01-15..2024-02-14", "2023-12-15..2024-01-14"),
        # one day → the day before
        ("2024-03-01..2024-03-01", "2024-02-29..2024-02-29"),
    ],
)
def test_previous_period_has_the_same_form(text, previous):
    assert Period.parse(text).previous() == Period.parse(previous)


def test_previous_of_a_month_keeps_month_lengths():
    # March 2024 (31 days) → February 2024 (29 days), not "31 days before"
    feb = Period.parse("2024-03").previous()
    assert (feb.start, feb.end, feb.days) == (D(2024, 2, 1), D(2024, 2, 29), 29)


def test_year_to_date_is_the_default_period():
    p = Period.year_to_date(D(2024, 12, 31))
    assert (p.start, p.end, p.kind) == (D(2024, 1, 1), D(2024, 12, 31), "range")
    p = Period.year_to_date(D(2025, 3, 15))
    assert (p.start, p.end) == (D(2025, 1, 1), D(2025, 3, 15))
    # its previous period: the 74 days just before (2024-10-19 … 2024-12-31)
    assert p.previous() == Period.between("2024-10-19", "2024-12-31")


def test_months_days_and_single_year():
    assert Period.parse("2024-H1").months() == [D(2024, m, 1) for m in range(1, 7)]
    assert Period.parse("2024-01-31..2024-02-01").months() == [D(2024, 1, 1), D(2024, 2, 1)]
    assert Period.parse("2024").days == 366
    assert Period.parse("2024-Q4").single_year == 2024
    assert Period.parse("2024-12-01..2025-01-31").single_year is None


@pytest.mark.parametrize(
    "text, ko, en",
    [
        ("2024", "2024년", "2024"),
        ("2025", "2025년", "2025"),
        ("2025-H1", "2025년 상반기", "H1 2025"),
        ("2024-H2", "2024년 하반기", "H2 2024"),
        ("2025-Q3", "2025년 3분기", "Q3 2025"),
        ("2025-05", "2025년 5월", "May 2025"),
        ("2025-12", "2025년 12월", "Dec 2025"),
        ("2024-01-01..2024-03-31", "2024.01.01–2024.03.31", "2024.01.01–2024.03.31"),
    ],
)
def test_labels(text, ko, en):
    p = Period.parse(text)
    assert (p.label("ko"), p.label("en")) == (ko, en)


@pytest.mark.parametrize(
    "text, earlier",
    [
        ("2024", "2023"),
        ("2024-H1", "2023-H1"),
        ("2024-H2", "2023-H2"),
        ("2024-Q1", "2023-Q1"),
        ("2024-Q4", "2023-Q4"),
        ("2024-05", "2023-05"),
        ("2024-01", "2023-01"),
        # February of a leap year → February of the year before, 28 days
        ("2024-02", "2023-02"),
        # each day back one calendar year; 29 February → 28 February
        ("2024-02-29..2024-03-31", "2023-02-28..2023-03-31"),
        ("2024-01-01..2024-02-29", "2023-01-01..2023-02-28"),
        ("2024-02-29..2024-02-29", "2023-02-28..2023-02-28"),
        # a range that crosses the new year stays one: 2024-12-15..2025-01-10 → 2023-12-15..
        ("2024-12-15..2025-01-10", "2023-12-15..2024-01-10"),
        # 2025-03-01 is not moved to 29 February 2024: just one year back
        ("2025-02-28..2025-03-01", "2024-02-28..2024-03-01"),
    ],
)
def test_same_period_a_year_earlier(text, earlier):
    assert Period.parse(text).year_earlier() == Period.parse(earlier)


def test_year_earlier_keeps_the_form_and_a_range_stays_a_range():
    assert Period.parse("2024-H1").year_earlier().kind == "half"
    assert Period.parse("2024-05").year_earlier().kind == "month"
    feb = Period.parse("2024-02").year_earlier()
    assert (feb.start, feb.end, feb.days) == (D(2023, 2, 1), D(2023, 2, 28), 28)


def test_year_to_date_compared_with_the_same_dates_a_year_earlier():
    # metrics.md: 2026-01-01..2026-10-31 → 2025-01-01..2025-10-31 (not the 304 days before)
    ytd = Period.year_to_date(D(2026, 10, 31))
    assert ytd.year_earlier() == Period.between("2025-01-01", "2025-10-31")
    # a leap year's year to date ending on 29 February → 2023-01-01..2023-02-28
    assert Period.year_to_date(D(2024, 2, 29)).year_earlier() == Period.between(
        "2023-01-01", "2023-02-28"
    )


@pytest.mark.parametrize(
    "text, as_of, ko, en",
    [
        # 2025-10-31: the year, H2, Q4 and October are not over; H1, Q3 and May are
        ("2025", D(2025, 10, 31), "2025년 (진행 중)", "2025 (in progress)"),
        ("2025-H2", D(2025, 10, 31), "2025년 하반기 (진행 중)", "H2 2025 (in progress)"),
        ("2025-Q4", D(2025, 10, 31), "2025년 4분기 (진행 중)", "Q4 2025 (in progress)"),
        ("2025-10", D(2025, 10, 31), "2025년 10월", "Oct 2025"),  # ends on the as-of date
        ("2025-H1", D(2025, 10, 31), "2025년 상반기", "H1 2025"),
        ("2025-Q3", D(2025, 10, 31), "2025년 3분기", "Q3 2025"),
        ("2025-05", D(2025, 10, 31), "2025년 5월", "May 2025"),
        # on its last day a period is over
        ("2025", D(2025, 12, 31), "2025년", "2025"),
        # without data there is nothing to be in progress against
        ("2025", None, "2025년", "2025"),
    ],
)
def test_selector_labels_mark_periods_not_over(text, as_of, ko, en):
    p = Period.parse(text)
    assert (p.option_label("ko", as_of), p.option_label("en", as_of)) == (ko, en)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "unknown period"),
        ("24", "unknown period"),
        ("2024-H3", "unknown period"),
        ("2024-Q5", "unknown period"),
        ("2024/05", "unknown period"),
        ("2024-13", "month must be 01–12"),
        ("2024-00", "month must be 01–12"),
        ("2024-02-30..2024-03-01", "dates must be written YYYY-MM-DD"),
        ("2024-03-01..2024-02-01", "ends (2024-02-01) before it starts (2024-03-01)"),
    ],
)
def test_invalid_periods_are_refused_with_a_clear_message(text, fragment):
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    assert fragment in str(info.value)
    assert user_message(info.value, "ko").startswith("기간을 이해할 수 없습니다: ")
    assert user_message(info.value, "en").startswith("Invalid period: ")
