"""What the PDF report and the PowerPoint deck share: texts, table cells, chart renderings.

Both renderers draw the same `Review` (lib/review/model.py); the words and numbers they
write come from here, so the report and the deck cannot say different things. Values are
formatted with `lib.formatting` exactly as the pages' tiles show them (money short,
"1,260만원"; suppressed "<5"/"–"; undefined "–"). Nothing here touches the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal

import altair as alt

from lib import config, fonts
from lib.access import format_kst
from lib.formatting import DASH, format_change, format_metric, metric_unit
from lib.i18n import t
from lib.period import Period
from lib.review.model import Fact, Review, Section

# The columns of a section's metric table, in order; `city` and `rank` only where the
# review has them (a staff review of a neighbourhood), never in a partner's.
COLUMNS = ("metric", "value", "previous", "change", "percent", "city", "rank")


def period_text(period: Period, lang: str) -> str:
    """ "2024년 상반기 (2024.01.01–2024.06.30)"; a range is its dates already."""
    label = period.label(lang)
    if period.kind == "range":
        return label
    return f"{label} ({period.start:%Y.%m.%d}–{period.end:%Y.%m.%d})"


def comparison_text(review: Review) -> str:
    """ "전년 동기 2023년 상반기 (2023.01.01–2023.06.30)"."""
    name = t(f"compare.name.{review.compare}", review.lang)
    return f"{name} {period_text(review.comparison, review.lang)}"


def as_of_text(review: Review) -> str:
    return f"{review.as_of:%Y.%m.%d}" if review.as_of else DASH


def scope_line(review: Review) -> str:
    """The scope as a reader names it: "테스트시 · 온양1동", or the city's own name."""
    if review.kind == "city" or review.scope_name == review.city_name:
        return review.scope_name or review.city_name
    return f"{review.city_name} · {review.scope_name}"


def title(review: Review) -> str:
    """The report's title: "온양1동 성과 보고서"."""
    return t("report.title", review.lang, scope=review.scope_name)


def title_facts(review: Review) -> list[tuple[str, str]]:
    """(label, text) lines of the title page."""
    lang = review.lang
    return [
        (t("report.field.city", lang), review.city_name),
        (t("report.field.scope", lang), review.scope_name),
        (t("header.period", lang), period_text(review.period, lang)),
        (t("header.previous", lang), comparison_text(review)),
        (t("header.as_of", lang), as_of_text(review)),
        (t("report.field.made_by", lang), review.made_by),
        (t("report.field.made_at", lang), format_kst(review.made_at)),
    ]


def footer_text(review: Review) -> str:
    """The line on every page and slide: scope, period, comparison, as-of date."""
    lang = review.lang
    return " · ".join(
        [
            scope_line(review),
            f"{t('header.period', lang)} {period_text(review.period, lang)}",
            f"{t('report.vs', lang)} {comparison_text(review)}",
            f"{t('header.as_of', lang)} {as_of_text(review)}",
        ]
    )


def partner_note(review: Review) -> str | None:
    """Why some numbers read "<5" or "–" in a partner's review."""
    if not review.partner_view:
        return None
    threshold = int(config.get("ITDA_SMALL_COUNT_THRESHOLD"))
    return t("report.partner_note", review.lang, threshold=threshold, last=threshold - 1)


# ---- the metric table --------------------------------------------------------------------


def percent_text(percent: Decimal | None) -> str:
    """A change in per cent as `lib.formatting.format_percent_change` writes it: "+8.5%"."""
    if percent is None:
        return DASH
    if percent == 0:
        return "0.0%"
    return ("+" if percent > 0 else "-") + f"{abs(percent):,.1f}%"


def rank_text(fact: Fact, lang: str) -> str:
    """ "3위/17" (and a mark when the rank is per 1,000 households); "–" without a rank."""
    if fact.rank is None or not fact.ranked:
        return DASH
    text = t("report.rank", lang, rank=fact.rank, n=fact.ranked)
    return text + "*" if fact.metric.rank_per_1000 else text


def shows_city(review: Review, facts: Sequence[Fact]) -> bool:
    """Whether the table has the city's value and the rank: never in a partner's view."""
    if review.partner_view:
        return False
    return any(f.city is not None or f.rank is not None for f in facts)


def columns(review: Review, section: Section) -> tuple[str, ...]:
    if shows_city(review, section.facts):
        return COLUMNS
    return COLUMNS[:5]


def headers(review: Review, shown: Sequence[str]) -> list[str]:
    lang = review.lang
    names = {
        "metric": t("report.col.metric", lang),
        "value": review.period.label(lang),
        "previous": review.comparison.label(lang),
        "change": t("report.col.change", lang),
        "percent": t("report.col.percent", lang),
        # With region levels the column holds the parent region's value: named by it.
        "city": review.parent_name or t("report.col.city", lang),
        "rank": t("report.col.rank", lang),
    }
    return [names[c] for c in shown]


def cells(review: Review, fact: Fact, shown: Sequence[str]) -> list[str]:
    """One table row of `fact`, as the pages write its numbers."""
    lang = review.lang
    key = fact.key
    values = {
        "metric": fact.metric.label(lang),
        "value": format_metric(key, fact.value, lang, short=True),
        "previous": format_metric(key, fact.previous, lang, short=True),
        "change": format_change(fact.change, metric_unit(key), lang, short=True),
        "percent": percent_text(fact.percent),
        "city": format_metric(key, fact.city, lang, short=True),
        "rank": rank_text(fact, lang),
    }
    return [values[c] for c in shown]


def table_notes(review: Review, section: Section) -> list[str]:
    """Small print under a section's table: how ranks read, why values are hidden."""
    lang = review.lang
    notes = []
    if "rank" in columns(review, section):
        notes.append(t("report.rank_note", lang))
        if any(f.rank is not None and f.metric.rank_per_1000 for f in section.facts):
            notes.append(t("report.rank_per_1000_note", lang))
    if any(f.metric.unit == "rate" for f in section.facts):
        notes.append(t("report.rate_note", lang))
    if (note := partner_note(review)) is not None:
        notes.append(note)
    return notes


def definitions(review: Review, section: Section) -> list[tuple[str, str]]:
    """(metric label, definition) of every metric the section shows, each once."""
    seen: dict[str, tuple[str, str]] = {}
    for metric in section.definitions:
        seen.setdefault(metric.key, (metric.label(review.lang), metric.definition(review.lang)))
    return list(seen.values())


# ---- charts ------------------------------------------------------------------------------


def _spec(chart: alt.TopLevelMixin, width: float, height: float | None = None) -> dict:
    """The chart's Vega-Lite spec drawn `width` wide (and `height` high when given), axes
    and legend inside that size. A concatenation keeps its own sizes (no "fit" there)."""
    with alt.data_transformers.disable_max_rows():
        spec = json.loads(chart.to_json())
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet")):
        spec["width"] = round(width)
        if height is not None:
            spec["height"] = round(height)
        spec["autosize"] = {"type": "fit", "contains": "padding"}
    return spec


def _locale(lang: str) -> dict:
    locale = "ko-KR" if lang == "ko" else "en-US"
    return {"format_locale": locale, "time_format_locale": locale}


def chart_pdf(chart: alt.TopLevelMixin, width: float, lang: str) -> bytes:
    """A vector PDF of `chart` (one page), its text in Pretendard GOV, embedded."""
    import vl_convert as vlc

    fonts.register_with_vl_convert()
    spec = _spec(chart, width)
    return vlc.vegalite_to_pdf(spec, **_locale(lang))


def chart_png(
    chart: alt.TopLevelMixin, width: float, lang: str, scale: float = 2, height: float | None = None
) -> bytes:
    """A PNG of `chart` at `scale` (2: sharp on a projector), text in Pretendard GOV."""
    import vl_convert as vlc

    fonts.register_with_vl_convert()
    spec = _spec(chart, width, height)
    return vlc.vegalite_to_png(spec, scale=scale, **_locale(lang))


# ---- file names ----------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def name_file(lang: str, scope: str, period: Period, fmt: str) -> str:
    """ "잇다_보고서_중앙동_2025-H1.pdf": app, report, scope, period key, in the user's words."""
    key = period.key.replace("..", "_")
    parts = [t("app.name", lang), t("report.file_word", lang), scope, key]
    stem = "_".join(_UNSAFE.sub("_", p).strip("_") for p in parts if p)
    return f"{stem}.{fmt}"


def file_name(review: Review, fmt: str) -> str:
    return name_file(review.lang, review.scope_name, review.period, fmt)
