"""발표 모드 · Presentation mode: a performance review on a projector, one section per slide.

`?present=1` on any page's URL (a hidden widget bound to the URL, `ui.presentation_switch`,
so Streamlit keeps it across page switches like the language) turns the page into slides.
`dashboard.py` then hides the sidebar, the header and the toolbar, enlarges the type
(`CSS`) and puts the page menu and the exit button in the top corner (`corner`). A page
with numbers calls `show(kind, code, filters)`: the review of its scope
(`lib.review.model.Review`, built once for slides, report and deck alike) as slides:

- a title slide (scope, period, comparison, as-of date, the review's summary, the agenda),
  then one slide per section: its title, summary sentences, its metrics with their change
  and rank (big enough for the back of a room), its first figure, and the definitions of
  its metrics in small print;
- a footer with the city, scope, period, comparison and as-of date, the slide number
  ("3 / 7") and the previous/next buttons, which the arrow keys press
  (`st.button(shortcut=…)`);
- the slide in the URL (`?slide=3`), so a reload or a shared link opens the same slide;
  a page switch drops it (it is not bound) and starts at slide 1; a value out of range or
  not a number is slide 1.

The layout is sized for 1920×1080 (tests/browser/test_present.py measures it).
"""

from __future__ import annotations

import copy
import html
from collections.abc import Sequence

import altair as alt
import streamlit as st

from lib import ui
from lib.formatting import format_metric, format_metric_change
from lib.i18n import t
from lib.review.model import Fact, Review, Section
from lib.suppression import Suppressed

SLIDE_KEY = "slide"
# Chart text on a projector: Vega's 12px axis labels are unreadable from the back of a room.
_CHART_FONT = {"axis": 20, "legend": 20, "title": 22, "text": 18}
CHART_HEIGHT = 470  # px: the chart's box on a section slide (with its axes and legend)

# What presentation mode changes on every page (dashboard.py adds it while presenting).
# Root font 20px: Streamlit sizes its text in rem, so every page's type grows by a quarter.
CSS = """
<style>
html { font-size: 20px; }
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl],
[data-testid=stExpandSidebarButton], [data-testid=stHeader], [data-testid=stToolbar],
[data-testid=stDecoration], [data-testid=stStatusWidget], [data-testid=stElementToolbar],
.st-key-page-actions, .itda-section-links { display: none !important; }
[data-testid=stMainBlockContainer] {
  max-width: none; padding: 1.25rem 2.5rem 5.5rem 2.5rem !important;
}
/* The page menu and the way out, small, in the top right corner. */
.st-key-itda-present-corner {
  position: fixed; top: 0.6rem; right: 1rem; z-index: 1000; width: auto !important;
}
.st-key-itda-present-corner button { font-size: 0.7rem; min-height: 1.9rem; padding: 0.15rem 0.6rem; }
.st-key-itda-present-corner button p { font-size: 0.7rem; }
/* Slides */
.itda-slide h1 { font-size: 2.2rem; line-height: 1.2; margin: 0 0 0.4rem 0; padding: 0; }
.itda-slide-summary p { font-size: 1.3rem; line-height: 1.5; margin: 0 0 0.2rem 0; }
.itda-facts {
  display: grid; grid-template-columns: repeat(var(--itda-fact-columns, 3), minmax(0, 1fr));
  gap: 0.6rem;
}
.itda-fact {
  border: 1px solid #cdd1d5; border-radius: 8px; padding: 0.45rem 0.75rem;
  container-type: inline-size;
}
.itda-fact-label { font-size: 0.95rem; color: #464c53; line-height: 1.3; }
/* A long value ("9,476만원") shrinks with its tile rather than overflowing it. */
.itda-fact-value { font-size: min(2.6rem, 15cqi); font-weight: 700; line-height: 1.15; color: #1e2124; }
.itda-fact-change { font-size: 1.05rem; font-weight: 600; line-height: 1.35; }
.itda-facts .itda-vs { grid-column: 1 / -1; font-size: 0.8rem; color: #464c53; margin: 0; }
.itda-fact-change.good { color: #267337; }
.itda-fact-change.bad { color: #bd2c0f; }
.itda-fact-change.flat { color: #464c53; }
.itda-fact-rank { font-size: 0.8rem; color: #464c53; line-height: 1.35; }
.itda-figure-title { font-size: 1rem; font-weight: 600; margin: 0 0 0.25rem 0; }
.itda-defs {
  columns: 2; column-gap: 2rem; font-size: 0.65rem; line-height: 1.4; color: #464c53;
  margin: 0 !important; padding: 0.4rem 0 0 0 !important; border-top: 1px solid #e6e8ea;
}
.itda-defs div { break-inside: avoid; margin: 0 0 0.1rem 0; }
.itda-defs dt { display: inline; font-weight: 600; }
.itda-defs dt::after { content: " · "; font-weight: 400; }
.itda-defs dd { display: inline; margin: 0; }
/* The title slide */
.itda-title-slide { padding-top: 3rem; }
.itda-title-slide .itda-kicker { font-size: 1.3rem; color: #0b50d0; font-weight: 600; margin: 0; }
.itda-title-slide h1 { font-size: 3.4rem; margin: 0.3rem 0 1rem 0; }
.itda-title-slide .itda-when { font-size: 1.3rem; line-height: 1.6; margin: 0; color: #1e2124; }
.itda-title-slide .itda-slide-summary { margin: 1.6rem 0; max-width: 70rem; }
.itda-agenda { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; padding: 0 !important; margin: 0;
  list-style: none; font-size: 1.05rem; color: #464c53; }
.itda-agenda li::before { content: counter(list-item) ". "; color: #0b50d0; font-weight: 600; }
/* The footer: where this is from, the slide number and the buttons, fixed at the bottom. */
.st-key-itda-present-bar {
  position: fixed; left: 0; right: 0; bottom: 0; z-index: 999; background: #ffffff;
  border-top: 1px solid #cdd1d5; padding: 0.4rem 2.5rem; align-items: center;
}
.itda-footer { font-size: 0.75rem; line-height: 1.4; color: #464c53; }
.itda-footer strong { color: #1e2124; }
.itda-slide-number { font-size: 1rem; font-weight: 600; white-space: nowrap; }
</style>
"""


def slide_number(count: int) -> int:
    """The slide the URL asks for (`?slide=3`), 1-based; 1 when it is missing, not a whole
    number or out of range."""
    raw = st.query_params.get(SLIDE_KEY)
    try:
        number = int(str(raw))
    except ValueError:
        return 1
    return number if 1 <= number <= count else 1


def _step(delta: int, count: int) -> None:
    """A button's callback: the slide before or after the one the URL shows now (not the
    one drawn when the button was: a second quick click moves on again), kept in the URL
    for a reload."""
    number = min(max(slide_number(count) + delta, 1), count)
    st.query_params[SLIDE_KEY] = str(number)


def leave() -> None:
    """The exit button's callback: presentation mode off, the slide forgotten."""
    st.session_state[ui.PRESENT_KEY] = None
    if SLIDE_KEY in st.query_params:
        del st.query_params[SLIDE_KEY]


def show(
    kind: str, code: str | None, filters: ui.Filters, only: Sequence[str] | None = None
) -> None:
    """The review of `kind`/`code` as slides: a title slide and every section, or only the
    sections named in `only` (the donations and network pages) without a title slide."""
    review = ui.review(kind, code, filters, with_figures=True)
    sections = [s for s in review.sections if only is None or s.key in only]
    slides: list[Section | None] = ([] if only is not None else [None]) + sections
    if not slides:
        st.info(t("present.nothing", review.lang))
        return
    number = slide_number(len(slides))
    if st.query_params.get(SLIDE_KEY) not in (None, str(number)):
        del st.query_params[SLIDE_KEY]  # garbage or out of range: the URL says slide 1
    slide = slides[number - 1]
    if slide is None:
        _title_slide(review, sections)
    else:
        _section_slide(review, slide)
    _footer(review, number, len(slides))


def _title_slide(review: Review, sections: Sequence[Section]) -> None:
    lang = review.lang
    when = [
        f"{t('header.period', lang)} {ui.period_text(review.period, lang)}",
        f"{t('header.previous', lang)} {t(f'compare.name.{review.compare}', lang)} "
        f"{ui.period_text(review.comparison, lang)}",
        f"{t('header.as_of', lang)} {_as_of(review)}",
    ]
    agenda = "".join(f"<li>{html.escape(s.title)}</li>" for s in sections)
    # The review's sentences, unless the first slide after this one opens with them too.
    summary = _summary(review.summary)
    st.html(
        '<section class="itda-slide itda-title-slide" data-slide="title">'
        f'<p class="itda-kicker">{html.escape(t("present.kicker", lang, city=review.city_name))}</p>'
        f"<h1>{html.escape(review.scope_name)}</h1>"
        + "".join(f'<p class="itda-when">{html.escape(line)}</p>' for line in when)
        + (summary if summary != _summary(sections[0].summary if sections else ()) else "")
        + f'<ol class="itda-agenda" aria-label="{html.escape(t("present.agenda", lang))}">'
        f"{agenda}</ol></section>"
    )


def _summary(sentences: Sequence[str]) -> str:
    body = "".join(f"<p>{html.escape(s)}</p>" for s in sentences)
    return f'<div class="itda-slide-summary">{body}</div>'


def _section_slide(review: Review, section: Section) -> None:
    lang = review.lang
    st.html(
        f'<section class="itda-slide" data-slide="{html.escape(section.key)}">'
        f"<h1>{html.escape(section.title)}</h1>{_summary(section.summary)}</section>"
    )
    # The comparison once for every tile (a tile has no room for "전년 동기 대비" twice).
    facts = f'<p class="itda-vs">{html.escape(_changes_against(review))}</p>' + "".join(
        _fact(fact, review) for fact in section.facts
    )
    columns = 4 if len(section.facts) > 6 else 3
    figure = section.figures[0] if section.figures else None
    if figure is None:
        _facts_html(facts, columns + 1)
    else:
        left, right = st.columns([3, 2], gap="medium")
        with left:
            _facts_html(facts, columns)
        with right:
            st.html(f'<p class="itda-figure-title">{html.escape(figure.title)}</p>')
            st.altair_chart(
                projector_chart(figure.chart),
                theme=None,
                width="stretch",
                key=f"present_{section.key}_{figure.key}",
            )
    defs = "".join(
        f"<div><dt>{html.escape(m.label(lang))}</dt><dd>{html.escape(m.definition(lang))}</dd></div>"
        for m in section.definitions
    )
    st.html(
        f'<dl class="itda-defs" aria-label="{html.escape(t("present.defs", lang))}">{defs}</dl>'
    )


def _facts_html(facts: str, columns: int) -> None:
    st.html(f'<div class="itda-facts" style="--itda-fact-columns:{columns}">{facts}</div>')


def _changes_against(review: Review) -> str:
    """ "변화: 전년 동기 2025년 상반기 (2025.01.01–2025.06.30) 대비"."""
    lang = review.lang
    return t(
        "present.changes",
        lang,
        comparison=f"{t(f'compare.name.{review.compare}', lang)} "
        f"{ui.period_text(review.comparison, lang)}",
    )


def _fact(fact: Fact, review: Review) -> str:
    """One metric's tile: label, value, change against the comparison, city value and rank."""
    lang, metric = review.lang, fact.metric
    parts = [
        f'<div class="itda-fact-label">{html.escape(metric.label(lang))}</div>',
        f'<div class="itda-fact-value">{html.escape(format_metric(fact.key, fact.value, lang, True))}</div>',
    ]
    if fact.change is not None:
        text = format_metric_change(fact.key, fact.change, lang, True, base=fact.previous)
        zero = text.lstrip("+-") == format_metric_change(fact.key, 0, lang, True)
        arrow, tone = "", "flat"
        if not zero:
            up = float(fact.change) > 0
            arrow = "▲ " if up else "▼ "
            if metric.higher_is_better is not None:
                tone = "good" if up == metric.higher_is_better else "bad"
        parts.append(f'<div class="itda-fact-change {tone}">{arrow}{html.escape(text)}</div>')
    note = _rank_note(fact, lang)
    if note:
        parts.append(f'<div class="itda-fact-rank">{html.escape(note)}</div>')
    return f'<div class="itda-fact" data-key="{html.escape(fact.key)}">{"".join(parts)}</div>'


def _rank_note(fact: Fact, lang: str) -> str:
    """ "시 전체 12 · 17개 읍면동 중 3위(높은 순)"; a suppressed value says why instead."""
    if isinstance(fact.value, Suppressed):
        return t(f"suppressed.{fact.value.reason}", lang, threshold=fact.value.threshold)
    parts = []
    if fact.city is not None:
        parts.append(
            t("metric.city_only", lang, city=format_metric(fact.key, fact.city, lang, True))
        )
    if fact.rank is not None and fact.ranked:
        template = "metric.rank_per_1000" if fact.metric.rank_per_1000 else "metric.rank"
        parts.append(t(template, lang, n=fact.ranked, rank=fact.rank))
    return " · ".join(parts)


def projector_chart(chart: alt.TopLevelMixin, height: int = CHART_HEIGHT) -> alt.TopLevelMixin:
    """`chart` with text for a projector and the slide's height (the chart is not changed)."""
    big = chart.copy(deep=True)
    config = big.config.to_dict() if isinstance(big.config, alt.Config) else {}
    config = copy.deepcopy(config)
    for part in ("axis", "legend"):
        size = _CHART_FONT[part]
        config.setdefault(part, {}).update(labelFontSize=size, titleFontSize=size)
    # Larger labels need more room: drop those that would overlap (Vega's "parity").
    config["axis"].update(labelOverlap=True, labelSeparation=8)
    config["legend"].update(symbolSize=200)
    config.setdefault("title", {}).update(fontSize=_CHART_FONT["title"])
    config.setdefault("text", {}).update(fontSize=_CHART_FONT["text"])
    config.setdefault("axisY", {}).update(titlePadding=24)  # Vega places it too close
    big.config = alt.Config.from_dict(config)
    _scale_marks(big, _CHART_FONT["text"] / 11)
    try:
        return big.properties(height=height)
    except Exception:  # a concatenated chart has no height of its own: keep its own
        return big


def _scale_marks(chart: object, factor: float) -> None:
    """Text marks with a size of their own (value labels: 11px) grow by `factor` (in place)."""
    for part in ("layer", "hconcat", "vconcat", "concat"):
        for child in getattr(chart, part, None) or ():
            _scale_marks(child, factor)
    spec = getattr(chart, "spec", None)
    if isinstance(spec, alt.SchemaBase):
        _scale_marks(spec, factor)
    mark = getattr(chart, "mark", None)
    size = getattr(mark, "fontSize", None) if isinstance(mark, alt.MarkDef) else None
    if isinstance(size, int | float):
        mark.fontSize = round(size * factor)


def _as_of(review: Review) -> str:
    return f"{review.as_of:%Y.%m.%d}" if review.as_of else "–"


def footer_text(review: Review) -> tuple[str, str]:
    """The footer's two lines: city and scope; period, comparison and as-of date."""
    lang = review.lang
    where = f"{review.city_name} · {review.scope_name}"
    when = " · ".join(
        [
            f"{t('header.period', lang)} {ui.period_text(review.period, lang)}",
            f"{t('header.previous', lang)} {t(f'compare.name.{review.compare}', lang)} "
            f"{ui.period_text(review.comparison, lang)}",
            f"{t('header.as_of', lang)} {_as_of(review)}",
        ]
    )
    return where, when


def _footer(review: Review, number: int, count: int) -> None:
    lang = review.lang
    where, when = footer_text(review)
    lines = [f"<strong>{html.escape(where)}</strong>", html.escape(when)]
    if review.partner_view:
        lines.append(html.escape(ui.watermark(lang)))
    with st.container(key="itda-present-bar", horizontal=True, gap="small"):
        st.html(f'<div class="itda-footer">{"<br>".join(lines)}</div>', width="stretch")
        st.button(
            t("present.previous", lang),
            key="present-previous",
            icon=":material/chevron_left:",
            on_click=_step,
            args=(-1, count),
            disabled=number <= 1,
            shortcut="Left",
        )
        st.html(
            f'<div class="itda-slide-number" aria-live="polite">{number} / {count}</div>',
            width="content",
        )
        st.button(
            t("present.next", lang),
            key="present-next",
            icon=":material/chevron_right:",
            icon_position="right",
            on_click=_step,
            args=(1, count),
            disabled=number >= count,
            shortcut="Right",
        )


def corner(pages: Sequence[tuple[str, Sequence[st.Page]]], here: str, lang: str) -> None:
    """The top corner of every page in presentation mode: a menu of the pages (their links
    keep `present=1`, a bound parameter) and the button that leaves presentation mode.

    The menu is a new element on every page (`here` in its key), so it opens closed after
    a page was chosen from it.
    """
    with st.container(key="itda-present-corner", horizontal=True, gap="small"):
        menu = t("present.pages", lang)
        with st.popover(menu, icon=":material/menu:", key=f"present-pages-{here}"):
            for section, section_pages in pages:
                if section:
                    st.caption(section)
                for page in section_pages:
                    st.page_link(page)
        st.button(
            t("present.leave", lang),
            key="present-leave",
            icon=":material/close:",
            on_click=leave,
        )
