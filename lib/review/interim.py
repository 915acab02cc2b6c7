"""TEMPORARY: a stand-in for `lib.review.build.build_review` until it lands on main.

The presentation mode (`lib.present`) is built against `ui.review(kind, code, filters,
with_figures=True)`; while that loader does not exist yet, `lib.present` falls back to
`review()` here: the same `Review` shape from the cached metrics, with a placeholder
summary. Delete this module once `ui.review` is on main.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import ui
from lib.charts import dashboard as charts
from lib.formatting import percent_change
from lib.i18n import t
from lib.metric_defs import AGENCY_METRIC_KEYS, AREAS, BY_KEY, metrics_in
from lib.queries.metrics import metric_change
from lib.review.model import Fact, Figure, Review, Section

_HEADLINE = (
    "discovered",
    "active",
    "served_households",
    "referrals_sent",
    "donations_krw",
    "disbursed_krw",
    "acceptance_rate",
    "overdue",
)
_CHARTS = {
    "headline": charts.caseload_trend_chart,
    "caseload": charts.caseload_trend_chart,
    "donations": charts.raised_given_chart,
    "sharing": charts.referrals_trend_chart,
}


def review(kind: str, code: str | None, filters: ui.Filters, with_figures: bool = True) -> Review:
    lang, scope = filters.lang, filters.scope
    by = "city" if kind == "city" else kind
    current = ui.metrics(filters.period, by, scope)
    previous = ui.metrics(filters.comparison, by, scope)
    row = current.iloc[0] if kind == "city" else current.loc[code]
    before = previous.iloc[0] if kind == "city" else previous.loc[code]
    city = ranks = None
    if kind == "neighbourhood" and not scope.partner_view:
        city = ui.metrics(filters.period, "city", scope).iloc[0]
        hoods = ui.neighbourhoods(scope)
        ranks = ui.neighbourhood_ranks(current, hoods.set_index("code")["households"])

    def fact(key: str) -> Fact:
        value, prev = row[key], before[key]
        change = metric_change(value, prev, BY_KEY[key].unit)
        rank = ranked = None
        if ranks is not None:
            r = ranks[key].get(code)
            rank = None if r is None or pd.isna(r) else int(r)
            ranked = int(ranks[key].notna().sum())
        return Fact(
            key,
            value,
            prev,
            change,
            percent_change(change, prev),
            city=None if city is None else city[key],
            rank=rank,
            ranked=ranked,
        )

    if kind == "agency":
        groups = {"sharing": AGENCY_METRIC_KEYS}
    else:
        groups = {"headline": _HEADLINE}
        groups.update(
            {
                area: tuple(m.key for m in metrics_in(area) if m.key != "referrals_received")
                for area in AREAS
            }
        )
    monthly = ui.breakdown("monthly_activity", filters.period, scope) if with_figures else None
    sections = []
    for key, keys in groups.items():
        title = t("present.headline", lang) if key == "headline" else AREAS[key][lang != "ko"]
        figures = ()
        if monthly is not None and key in _CHARTS and kind != "agency":
            figures = (Figure(key, title, _CHARTS[key](monthly, lang)),)
        facts = tuple(fact(k) for k in keys)
        sections.append(Section(key, title, (f"{title}: {len(facts)}",), facts, figures))
    if kind == "city":
        scope_name = t("city_total", lang)
    elif kind == "neighbourhood":
        hoods = ui.neighbourhoods(scope)
        scope_name = hoods.loc[hoods["code"] == code, "name"].iloc[0]
    else:
        agencies = ui.agencies(scope)
        scope_name = agencies.loc[agencies["code"] == code, "name"].iloc[0]
    return Review(
        lang=lang,
        city_name=ui.city_name(lang),
        kind=kind,
        code=code,
        scope_name=scope_name,
        period=filters.period,
        compare=filters.compare,
        comparison=filters.comparison,
        as_of=filters.as_of,
        made_by="",
        made_at=dt.datetime.now(),
        partner_view=scope.partner_view,
        summary=(f"{scope_name} · {filters.period.label(lang)}",),
        sections=tuple(sections),
    )
