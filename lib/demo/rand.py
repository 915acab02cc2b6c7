"""Small random helpers for the demo generator: weighted picks and skewed durations."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed set of values with weights; `pick` returns one in proportion to its weight."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.values: list[T] = list(weights)
        # Cumulative weights once, so a pick is one random() and one bisect.
        self._cumulative = list(itertools.accumulate(weights.values()))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        """One value, chosen with probability weight / total."""
        return self.values[bisect.bisect_right(self._cumulative, rng.random() * self._total)]


def skewed_days(rng: random.Random, median: float, spread: float, low: int, high: int) -> int:
    """Whole days from a log-normal with this median, clipped to [low, high]: a long right tail."""
    return min(high, max(low, int(rng.lognormvariate(math.log(median), spread))))


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A value between low and high whose logarithm is uniform: many small, some large."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def round_to(value: float, step: int) -> int:
    """The value rounded to a whole multiple of `step`, never below one step."""
    return max(step, int(round(value / step)) * step)
