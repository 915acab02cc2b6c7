"""Dates the demo needs: its fixed as-of date, its three-year window and the lunar holidays."""

from __future__ import annotations

import datetime as dt

# A fixed default, never today's date, so the demo data and its tests are reproducible.
DEFAULT_AS_OF = dt.date(2026, 10, 31)
YEARS_OF_DATA = 3

# 설날 and 추석 follow the lunar calendar; donations and holiday support peak before them.
SEOLLAL = {
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 7),
    2028: dt.date(2028, 1, 27),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}
CHUSEOK = {
    2019: dt.date(2019, 9, 13),
    2020: dt.date(2020, 10, 1),
    2021: dt.date(2021, 9, 21),
    2022: dt.date(2022, 9, 10),
    2023: dt.date(2023, 9, 29),
    2024: dt.date(2024, 9, 17),
    2025: dt.date(2025, 10, 6),
    2026: dt.date(2026, 9, 25),
    2027: dt.date(2027, 9, 15),
    2028: dt.date(2028, 10, 3),
    2029: dt.date(2029, 9, 22),
    2030: dt.date(2030, 9, 12),
}


def seollal(year: int) -> dt.date:
    """설날 of the year (outside the table: a typical date, early February)."""
    return SEOLLAL.get(year, dt.date(year, 2, 5))


def chuseok(year: int) -> dt.date:
    """추석 of the year (outside the table: a typical date, late September)."""
    return CHUSEOK.get(year, dt.date(year, 9, 20))


def window_start(as_of: dt.date, years: int = YEARS_OF_DATA) -> dt.date:
    """The first day of `years` years of data ending on `as_of`."""
    try:
        same_day = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February in a non-leap year
        same_day = as_of.replace(year=as_of.year - years, day=28)
    return same_day + dt.timedelta(days=1)
