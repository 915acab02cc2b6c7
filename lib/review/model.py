"""What a performance review (성과보고회) shows, independent of where it is shown.

One `Review` is built from the database for a scope (the city, a neighbourhood or an
agency), a period and a comparison (`lib.review.build.build_review`). The same object is
drawn by the presentation mode (one `Section` per slide), the PDF report, the PowerPoint
deck and the pages' written summaries, so the numbers cannot disagree between them.

Values are as the metrics engine returns them: a number, `None` (undefined: an empty
denominator) or a `Suppressed` marker in a partner's view. Nothing here formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from lib.metric_defs import BY_KEY, Metric
from lib.period import Period

ScopeKind = Literal["city", "neighbourhood", "agency", "district", "province"]


@dataclass(frozen=True)
class Fact:
    """One metric of a section: its value, the comparison, and where it stands."""

    key: str  # a metric key of lib.metric_defs
    value: Any  # this period: number, None (undefined) or Suppressed
    previous: Any  # the comparison period's value
    change: float | None  # value − previous (lib.queries.metrics.metric_change)
    percent: Decimal | None  # change in % of previous (lib.formatting.percent_change)
    # The value of the unit's parent (staff only): the city's on a city deployment's
    # neighbourhood; with region levels the parent region's (`Review.parent_name`).
    city: Any = None
    rank: int | None = None  # rank among the parent's units (metrics.md rules)
    ranked: int | None = None  # how many units were ranked

    @property
    def metric(self) -> Metric:
        return BY_KEY[self.key]


@dataclass(frozen=True)
class Figure:
    """A chart of a section and the table of numbers behind it (for downloads)."""

    key: str  # stable id, e.g. "caseload_trend"
    title: str  # in the review's language
    chart: Any  # an Altair chart built for the review's language
    table: pd.DataFrame | None = None  # the data as a reader would want it (headers in lang)


@dataclass(frozen=True)
class Movement:
    """How one neighbourhood moved on a section's lead metric (a city's review only).

    The summary names the neighbourhood that moved most (`lib.review.summary`); the
    `fact` holds its value, previous value, change and percent, as for the section.
    """

    code: str
    name: str
    fact: Fact


@dataclass(frozen=True)
class Section:
    """One area of the review: one slide, one report chapter, one page section."""

    key: str  # "headline" or an area of lib.metric_defs.AREAS
    title: str  # in the review's language
    summary: tuple[str, ...]  # two or three sentences (lib.review.summary)
    facts: tuple[Fact, ...]
    figures: tuple[Figure, ...] = ()  # the first is the slide's one chart
    # City reviews: every neighbourhood's change on the section's first metric (its lead),
    # in code order, for the summary's "largest movement". Empty elsewhere.
    movements: tuple[Movement, ...] = ()

    @property
    def lead(self) -> Fact | None:
        """The section's first metric: what its summary opens with."""
        return self.facts[0] if self.facts else None

    @property
    def definitions(self) -> tuple[Metric, ...]:
        """The metrics this section shows, for their definitions in small print."""
        return tuple(fact.metric for fact in self.facts)


@dataclass(frozen=True)
class Review:
    """A whole review: who and what it is about, and its sections."""

    lang: str
    city_name: str
    kind: ScopeKind
    code: str | None  # neighbourhood, region or agency code; None for the city (the top)
    scope_name: str  # "아산시 전체", "중앙동", "아산시노인복지관"
    period: Period
    compare: str  # "prev" or "yoy" (lib.ui.COMPARES)
    comparison: Period
    as_of: dt.date | None
    made_by: str  # who asked for it, in words (lib.ui.actor_name), for the title page
    made_at: dt.datetime  # when, in KST
    partner_view: bool  # numbers come suppressed; no city value or rank
    summary: tuple[str, ...]  # the review's opening sentences
    sections: tuple[Section, ...] = field(default_factory=tuple)
    # With region levels: the region whose value `Fact.city` holds and among whose units
    # `Fact.rank` ranks (a neighbourhood's 시·군·구, a district's 시·도, a province's
    # nation). None on a city deployment: the city, as always.
    parent_name: str | None = None
    # The level of the units in `Section.movements` and the ranking figure: neighbourhoods,
    # or a region overview's districts or provinces (lib.regions levels).
    movement_level: str = "neighbourhood"

    @property
    def rank_level(self) -> str:
        """The level `Fact.rank` ranks among: a region's own, else neighbourhoods."""
        return self.kind if self.kind in ("district", "province") else "neighbourhood"
