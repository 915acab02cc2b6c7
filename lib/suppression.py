"""Small numbers in partner views: the rules of metrics.md "Small numbers (partner views)".

Pure functions over values and frames. The query layer calls them where the numbers are
made (`compute_metrics`, `monthly_metric_frame`, the chart data of `breakdowns` and
`network`) when `scope.partner_view`, so every page, chart, download and report built on
those results shows the same protected numbers.

A number that is not shown becomes a `Suppressed` value, never `None`: `None` means "no
value" (an empty denominator) and reads "–"; a `Suppressed` value says *why* it is not
shown, so a page can add "too small to show" and a change against the previous period
is not worked out from it.

- a count from 1 to T − 1 is `Suppressed("small")` and reads "<T" (0 stays 0);
- a rate, median, rate per 1,000 or money given whose basis is too small is
  `Suppressed("withheld")` and reads "–";
- a cell hidden only so that another cannot be worked out by subtraction is
  `Suppressed("complementary")` and reads "–".
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from lib import config
from lib.metric_defs import METRICS
from lib.scope import Scope

SMALL, WITHHELD, COMPLEMENTARY = "small", "withheld", "complementary"
Reason = Literal["small", "withheld", "complementary"]

# Counts of people, households, cases, services, referrals or donations (metrics.md).
# Programmes (ss_programmes) count no one, so they are always shown.
COUNT_KEYS: tuple[str, ...] = tuple(
    m.key for m in METRICS if m.unit == "count" and m.key != "ss_programmes"
)


@dataclass(frozen=True)
class Suppressed:
    """A number a partner view does not show, and why (`reason`)."""

    reason: Reason
    threshold: int = 5

    @property
    def text(self) -> str:
        """What a page shows: "<5" for a small count, "–" (formatting.DASH) otherwise."""
        return f"<{self.threshold}" if self.reason == SMALL else "–"

    @property
    def too_small(self) -> bool:
        """True when the value itself rests on too few people to be shown."""
        return self.reason != COMPLEMENTARY

    def __str__(self) -> str:  # CSV downloads write what the page shows
        return self.text


def threshold() -> int:
    """T: the setting ITDA_SMALL_COUNT_THRESHOLD, read when the numbers are made."""
    return int(config.get("ITDA_SMALL_COUNT_THRESHOLD"))


def is_suppressed(value: object) -> bool:
    return isinstance(value, Suppressed)


def _number(value: object) -> float | None:
    """A plain number, or None for a missing, NaN or suppressed value."""
    if value is None or is_suppressed(value) or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


# ---- single values ----------------------------------------------------------------------


def small_count(value: Any, t: int) -> Any:
    """A count from 1 to t − 1 as `Suppressed("small")`; 0, t and more, and None unchanged."""
    number = _number(value)
    return Suppressed(SMALL, t) if number is not None and 0 < number < t else value


def withheld_below(value: Any, basis: Any, t: int) -> Any:
    """`value` withheld when its basis counts 1 to t − 1 people.

    The basis is a rate's denominator, a median's number of values, or the households
    given money for `disbursed_krw`. A basis of 0 withholds nothing: the value is then
    undefined (None) or 0, which reveals no one.
    """
    if _number(value) is None:
        return value
    n = _number(basis)
    return Suppressed(WITHHELD, t) if n is not None and 0 < n < t else value


def withheld_with(value: Any, count: Any, t: int) -> Any:
    """`value` (a rate per 1,000 households) withheld whenever its count is not shown.

    Households are public, so the rate times the households would give the count back.
    """
    if _number(value) is None or not is_suppressed(count):
        return value
    return Suppressed(WITHHELD, t)


# ---- complementary suppression ---------------------------------------------------------


def _complete(cells: dict[Hashable, Any], lines: Sequence[Sequence[Hashable]], t: int) -> dict:
    """`cells` with a second cell hidden in every line that hides exactly one, until stable.

    A line is a set of cells that add up to a number shown elsewhere (a row or a column of a
    table with its total). When exactly one of them is hidden, it equals that total minus
    the others, so one more is hidden: the "next-smallest", which is the smallest shown
    cell greater than 0 (it costs the least information and leaves two unknowns).

    Cells of 0 are never chosen. A 0 is shown as 0 (metrics.md: it reveals no one), and
    hiding one protects nothing: zeros are usually known (a status nobody had), and when
    every other cell of a line is 0, the hidden cell *is* the line's total, which for a
    small count is as small as the cell and hidden wherever it is shown.
    Among the candidates, one whose other lines can hide a second cell in turn (they hold
    another hidden or positive cell) comes first: a cell alone in its other line would be
    given back by that line's total. Ties go to the first cell of the line. (A table can
    be too sparse for any choice of cells; the smallest is then hidden all the same.
    Protecting such a table would need its totals hidden too, which cells cannot do.)
    Each pass may hide cells in lines already checked, so passes repeat until none hides
    anything more (it ends: every pass hides at least one more of finitely many cells).
    """
    out = dict(cells)
    through: dict[Hashable, list[int]] = {}  # the lines each cell lies on
    for n, line in enumerate(lines):
        for key in line:
            through.setdefault(key, []).append(n)

    def counts(key: Hashable) -> bool:  # hidden, or a number above 0
        return is_suppressed(out[key]) or (_number(out[key]) or 0) > 0

    def alone(key: Hashable, line_no: int) -> bool:
        return any(
            not any(other != key and counts(other) for other in lines[m])
            for m in through[key]
            if m != line_no
        )

    changed = True
    while changed:
        changed = False
        for n, line in enumerate(lines):
            if sum(is_suppressed(out[k]) for k in line) != 1:
                continue
            candidates = [
                (alone(k, n), number, i, k)
                for i, k in enumerate(line)
                if (number := _number(out[k])) is not None and number > 0
            ]
            if candidates:
                chosen = min(candidates)[-1]
                out[chosen] = Suppressed(COMPLEMENTARY, t)
                changed = True
    return out


def complement_line(values: Sequence[Any], t: int) -> list[Any]:
    """One line of cells (e.g. the months of a period total) completed as in `_complete`."""
    cells = dict(enumerate(values))
    done = _complete(cells, [list(cells)], t)
    return [done[i] for i in range(len(values))]


def complement_long(frame: pd.DataFrame, value: str, axes: Sequence[str], t: int) -> pd.DataFrame:
    """Long rows, one per cell: a line is the cells that share every axis but one.

    With one axis the whole column is one line; with two (e.g. month and donor type) the
    lines are the rows and the columns of the table they form, and so on. Cells that are
    absent are 0, which complementary suppression never needs, so only present rows count.
    """
    frame = frame.reset_index(drop=True)
    lines: list[list[Hashable]] = []
    for axis in axes:
        others = [a for a in axes if a != axis]
        if not others:
            lines.append(list(frame.index))
            continue
        groups = frame.groupby(others, dropna=False, sort=False).indices.values()
        lines += [list(g) for g in groups]
    done = _complete(dict(zip(frame.index, frame[value], strict=True)), lines, t)
    return frame.assign(**{value: pd.Series([done[i] for i in frame.index], dtype=object)})


def complement_table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    t: int,
    *,
    rows: bool = True,
    down: bool = True,
) -> pd.DataFrame:
    """A wide block of cells (`columns` of every row) completed as in `_complete`.

    `rows`: each row across the block is a line (its cells add up to the row's total, or
    the block holds that total); `down`: each column is a line (its cells add up to a
    column total shown elsewhere, e.g. neighbourhoods to the city).
    """
    frame = frame.reset_index(drop=True)
    cells = {(i, c): frame.at[i, c] for i in frame.index for c in columns}
    lines: list[list[Hashable]] = []
    if rows:
        lines += [[(i, c) for c in columns] for i in frame.index]
    if down:
        lines += [[(i, c) for i in frame.index] for c in columns]
    done = _complete(cells, lines, t)
    out = frame.copy()
    for c in columns:
        out[c] = pd.Series([done[(i, c)] for i in frame.index], dtype=object)
    return out


# ---- frames -----------------------------------------------------------------------------


def small_counts(frame: pd.DataFrame, columns: Iterable[str], t: int) -> pd.DataFrame:
    """`frame` with every count in `columns` from 1 to t − 1 suppressed (object columns)."""
    out = frame.copy()
    for c in columns:
        out[c] = pd.Series([small_count(v, t) for v in frame[c]], index=frame.index, dtype=object)
    return out


def protect_counts(frame: pd.DataFrame, value: str, axes: Sequence[str], t: int) -> pd.DataFrame:
    """Long rows of counts as a partner sees them: 1 to t − 1 hidden, lines along `axes` completed."""
    return complement_long(small_counts(frame, [value], t), value, axes, t)


def scoped_counts(
    frame: pd.DataFrame, scope: Scope, value: str, axes: Sequence[str]
) -> pd.DataFrame:
    """Counts as `scope` shows them: `protect_counts` in a partner view, else unchanged."""
    if not scope.partner_view:
        return frame
    return protect_counts(frame, value, axes, threshold())


def as_float(values: pd.Series) -> pd.Series:
    """Numbers for drawing: suppressed and missing values become NaN (nothing is drawn)."""
    return pd.Series([_number(v) for v in values], index=values.index, dtype="float64")


def shows_something(values: Iterable[Any]) -> bool:
    """True when any value is a number other than 0, or a suppressed one (something is there)."""
    return any(is_suppressed(v) or (_number(v) or 0) != 0 for v in values)
