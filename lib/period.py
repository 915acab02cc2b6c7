"""Periods: parsing `2024`, `2024-H1`, `2024-Q3`, `2024-05` or explicit dates, and naming them.

A period is [start, end] with both days included (metrics.md). The previous period is the
period of the same form immediately before; a custom range's is the same number of days
just before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from lib.excerpt import excerpt
from lib.i18n import t

PeriodKind = Literal["year", "half", "quarter", "month", "range"]

# ASCII digits only (re.ASCII): `\d` alone also matches ٢٠٢٤ and other scripts' digits.
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE | re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE | re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|~|/|_)(\d{4}-\d{2}-\d{2})$", re.ASCII)

# The years a period may reach. Outside them a period is absurd for a welfare dashboard
# (`?period=0000`, `0001-01-01..9999-12-31`), and its previous period or year earlier
# would fall outside what `datetime.date` can hold (year 1 to 9999).
MIN_YEAR, MAX_YEAR = 1900, 2100


class PeriodError(ValueError):
    """A period that cannot be parsed; the message says which forms are accepted."""


_YEAR_PREFIX = re.compile(r"^\d{4}(?:$|-)", re.ASCII)


def _within_years(period: Period) -> Period:
    if period.start.year < MIN_YEAR or period.end.year > MAX_YEAR:
        raise PeriodError(
            f"years must lie within {MIN_YEAR}–{MAX_YEAR}, not {period.start}..{period.end}"
        )
    return period


def _year_back(day: dt.date) -> dt.date:
    """The same day one calendar year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A closed date interval with the form it was written in."""

    start: dt.date
    end: dt.date
    kind: PeriodKind = "range"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    # ---- construction ---------------------------------------------------------------

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 1 if half == 1 else 7
        return cls(dt.date(year, first, 1), _month_end(year, first + 5), "half")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(dt.date(year, first, 1), _month_end(year, first + 2), "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), _month_end(year, month), "month")

    @classmethod
    def between(cls, start: dt.date | str, end: dt.date | str) -> Period:
        """An explicit range; dates may be given as `YYYY-MM-DD` text."""
        try:
            start = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
            end = end if isinstance(end, dt.date) else dt.date.fromisoformat(end)
        except ValueError as exc:
            raise PeriodError(f"dates must be written YYYY-MM-DD ({exc})") from exc
        return _within_years(cls(start, end, "range"))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse `2024`, `2024-H1`, `2024-Q3`, `2024-05` or `2024-01-01..2024-03-31`."""
        text = (text or "").strip()
        if _YEAR_PREFIX.match(text) and not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
            raise PeriodError(f"years must lie within {MIN_YEAR}–{MAX_YEAR}, not {excerpt(text)!r}")
        if m := _YEAR.match(text):
            return cls.year(int(m[1]))
        if m := _HALF.match(text):
            return cls.half(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _MONTH.match(text):
            month = int(m[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"month must be 01–12, not {m[2]!r}")
            return cls.month(int(m[1]), month)
        if m := _RANGE.match(text):
            return cls.between(m[1], m[2])
        raise PeriodError(
            f"unknown period {excerpt(text)!r}: use 2024, 2024-H1, 2024-Q3, 2024-05 "
            "or 2024-01-01..2024-03-31"
        )

    @classmethod
    def year_to_date(cls, as_of: dt.date) -> Period:
        """The default period: 1 January of the as-of date's year to the as-of date."""
        return cls(dt.date(as_of.year, 1, 1), as_of, "range")

    # ---- derived --------------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def single_year(self) -> int | None:
        """The calendar year the period lies within, or None when it spans years."""
        return self.start.year if self.start.year == self.end.year else None

    def previous(self) -> Period:
        """The period of the same form immediately before this one."""
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return Period.year(y - 1)
        if self.kind == "half":
            return Period.half(y - 1, 2) if m == 1 else Period.half(y, 1)
        if self.kind == "quarter":
            q = (m - 1) // 3 + 1
            return Period.quarter(y - 1, 4) if q == 1 else Period.quarter(y, q - 1)
        if self.kind == "month":
            return Period.month(y - 1, 12) if m == 1 else Period.month(y, m - 1)
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, "range")

    def year_earlier(self) -> Period:
        """The same period a year earlier (전년 동기): P shifted back one calendar year.

        Years, halves, quarters and months keep their form (2024-H1 → 2023-H1); a range's
        days move back one year each, 29 February becoming 28 February (metrics.md).
        """
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return Period.year(y - 1)
        if self.kind == "half":
            return Period.half(y - 1, 1 if m == 1 else 2)
        if self.kind == "quarter":
            return Period.quarter(y - 1, (m - 1) // 3 + 1)
        if self.kind == "month":
            return Period.month(y - 1, m)
        return Period(_year_back(self.start), _year_back(self.end), "range")

    def in_progress(self, as_of: dt.date | None) -> bool:
        """True when the period is not over on the as-of date (it ends after it)."""
        return as_of is not None and self.start <= as_of < self.end

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches."""
        out, cur = [], self.start.replace(day=1)
        while cur <= self.end:
            out.append(cur)
            cur = (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out

    # ---- naming ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The canonical text form, as accepted by `parse` and used in URLs."""
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return f"{y}"
        if self.kind == "half":
            return f"{y}-H{1 if m == 1 else 2}"
        if self.kind == "quarter":
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{y}-{m:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self, lang: str = "ko") -> str:
        """A human name: `2024년 상반기` / `H1 2024`, `2024.01.01–2024.03.31` for ranges."""
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return t("period.year", lang, year=y)
        if self.kind == "half":
            return t(f"period.half.{1 if m == 1 else 2}", lang, year=y)
        if self.kind == "quarter":
            return t("period.quarter", lang, year=y, quarter=(m - 1) // 3 + 1)
        if self.kind == "month":
            return t("period.month", lang, year=y, month=t(f"month.{m}", lang))
        return f"{self.start:%Y.%m.%d}–{self.end:%Y.%m.%d}"

    def option_label(self, lang: str, as_of: dt.date | None) -> str:
        """The period selector's name: the label, marked "진행 중" while not over on as-of."""
        label = self.label(lang)
        if self.in_progress(as_of):
            return t("period.in_progress", lang, label=label)
        return label

    def __str__(self) -> str:
        return self.key
