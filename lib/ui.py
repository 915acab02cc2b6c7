"""Shared pieces of the Streamlit pages: engine, URL filters, cached data, tiles, error boundary.

Conventions every page follows:
- The shared filters (period, from/to, compare, lang) are widgets created once in
  `dashboard.py`; from/to and lang are bound to the URL (`bind="query-params"`), period and
  compare are synchronised with it by hand (`period_selector`, `compare_selector`: their
  URL values are keys, their labels Korean); pages read them through `current_filters()`.
- Data comes through the cached loaders here (`metrics`, `breakdown`, …). Each is keyed
  by the database URL, a cheap data-version token, the period and the scope — never by a
  frame — so one viewer's scope never serves another's, and an import shows on the next
  rerun.
- Page bodies run inside `error_boundary`: the user sees one friendly sentence, the
  server log gets the traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import html
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from pandas.io.formats.style import Styler
from sqlalchemy.engine import Engine
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitDuplicateElementKey
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib import access, chart_specs, config, db_errors, exports, geo, regions, rollup, session
from lib.db import engine_for, prepare, unlimited
from lib.errors import UserError, user_message
from lib.excerpt import literal
from lib.formatting import format_metric, format_metric_change, metric_unit
from lib.i18n import DEFAULT_LANG, LANGS, normalize_lang, t
from lib.metric_defs import BY_KEY
from lib.period import MAX_YEAR, MIN_YEAR, Period, PeriodError
from lib.queries import boundaries, breakdowns, reference
from lib.queries.metrics import metric_change, rank_neighbourhoods
from lib.regions import RegionTree
from lib.review.build import build_review
from lib.review.model import Review
from lib.scope import Scope
from lib.suppression import Suppressed

_log = logging.getLogger("itda.ui")
# The caches' age limit (None: none); new loaders use `cached(max_entries)` below.
_TTL = config.cache_ttl()


def cached(max_entries: int):
    """`st.cache_data` for a loader keyed by the data's version (`data_version`).

    Such an entry is never stale: an import changes the version, so the next run asks
    anew. Entries therefore do not expire by age (unless ITDA_CACHE_TTL_SECONDS says so:
    an expired entry only makes a page cold again); memory is bounded by the number of
    entries (least recently used go first) and by `server.maxCacheDataSize` overall.
    """
    return st.cache_data(ttl=config.cache_ttl(), max_entries=max_entries, show_spinner=False)


# Keys of the shared widgets; each is also its query parameter's name.
LANG_KEY, PERIOD_KEY, FROM_KEY, TO_KEY = "lang", "period", "from", "to"
COMPARE_KEY = "compare"
FILTER_KEYS: tuple[str, ...] = (PERIOD_KEY, FROM_KEY, TO_KEY, COMPARE_KEY, LANG_KEY)
# Presentation mode (`?present=1`, lib.present): a hidden widget bound to the URL.
PRESENT_KEY, PRESENT_ON = "present", "1"
_NOTICE_KEY = "_itda_filter_notice"
# The comparisons of metrics.md: 전기 대비 (previous period), 전년 동기 대비 (a year earlier).
COMPARE_PREV, COMPARE_YOY = "prev", "yoy"
COMPARES: tuple[str, ...] = (COMPARE_PREV, COMPARE_YOY)
# The comparison widget's own key, and the choice the viewer made (kept across pages).
_COMPARE_WIDGET = "_itda_compare_widget"
_COMPARE_CHOSEN = "_itda_compare_chosen"
# The period key chosen earlier in the session (None: the default period).
_PERIOD_CHOSEN = "_itda_period_chosen"


# ---- engine -------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """The engine for `url`, migrated; on an empty database, the demo city when enabled.

    Replicas starting together take turns (`db.prepare`): one migrates and builds, the
    others wait and find it done. A failure (the database unreachable) is not cached: the
    next run, or the page's retry button, tries again.
    """
    engine = engine_for(url)
    prepare(engine, _build_demo if config.get("ITDA_DEMO_ON_EMPTY") else None)
    return engine


def _build_demo(engine: Engine) -> None:
    try:
        from lib.demo import build_demo
    except ImportError:  # the demo builder is optional: show the empty state
        _log.warning("database is empty and lib.demo is not available")
        return
    build_demo(engine, scale="city")


def get_engine() -> Engine:
    """The shared engine of the configured database (created, migrated and filled once).

    On PostgreSQL its statements time out after ITDA_STATEMENT_TIMEOUT_SECONDS."""
    return _engine(config.database_url())


def get_writer_engine() -> Engine:
    """`get_engine()` without the statement timeout (same pool): for imports."""
    return unlimited(get_engine())


def database_url() -> str:
    """The configured database URL (a cache key of every loader)."""
    return config.database_url()


class DataChanged(Exception):
    """The data changed under a script run that can not start again (no script run)."""


# The data version this script run reads (url, version): set once at the start of the run.
_RUN_VERSION = "_itda_run_version"


@st.cache_data(ttl=2, max_entries=8, show_spinner=False)
def _polled_version(url: str) -> str:
    """The database's version now: a tiny query kept for two seconds, so a neighbourhood
    added by an import gets its page on the next rerun instead of after the cache's TTL."""
    with _engine(url).connect() as conn:
        return reference.data_version(conn)


def pin_data_version() -> None:
    """At the start of a script run: fix the data version every loader of this run reads.

    A run draws its sections one after another, each from cached loaders keyed by the
    version; read anew in every call, a version that changes half-way (an import) would
    draw the first sections from the old data and the rest from the new. Pinned, one page
    is one version (`snapshot` makes a cache miss hold to it too).
    """
    st.session_state.pop(_RUN_VERSION, None)  # if the poll fails, nothing stale is kept
    url = database_url()
    st.session_state[_RUN_VERSION] = (url, _polled_version(url))


def data_version(url: str) -> str:
    """A token that changes when data is imported: part of every cache key.

    The version pinned at the start of this script run (`pin_data_version`); outside a
    run that pinned one, the polled version.
    """
    if get_script_run_ctx() is not None:
        pinned = st.session_state.get(_RUN_VERSION)
        if pinned is not None and pinned[0] == url:
            return pinned[1]
    return _polled_version(url)


@contextmanager
def snapshot(url: str, version: str) -> Iterator[sa.Connection]:
    """A connection reading one consistent state of the database, the one of `version`.

    A loader keyed by `version` computes its result here on a cache miss: every statement
    sees the same committed state (PostgreSQL REPEATABLE READ; SQLite one read
    transaction, which in WAL mode is a snapshot), and that state is checked to be
    `version`'s. If an import has committed since the run pinned its version, the run
    starts again on the new version (`st.rerun`) instead of caching new figures under
    the old version's key beside old ones. Imports commit the data and the log row (the
    version) together (`lib.ingest.importer`).
    """
    engine = _engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        else:
            conn.exec_driver_sql("BEGIN")  # pysqlite would not begin before a SELECT
        now = reference.data_version(conn)  # the snapshot is taken here, at the first read
        if now != version:
            _log.info("data changed during a script run (%s -> %s): running it again", version, now)
            _polled_version.clear()
            st.rerun()  # raises inside a script run
            raise DataChanged(f"data version {version} is gone (now {now})")
        yield conn


# Script runs of this process that froze the objects alive (`freeze_long_lived`).
_FREEZES = {"runs": 0}
_FREEZE_RUNS = 5


def freeze_long_lived() -> None:
    """At the start of the process's first few script runs: `gc.freeze()` every object
    alive, so Streamlit's post-script `gc.collect(2)` stops walking them.

    The previous run's garbage has just been collected (Streamlit collects after every
    run), so what is frozen is what the process keeps: modules, Altair's schema, engines,
    the caches' own structures. At nation scale that full collection took 0.7–2 s after
    every run; with them frozen it takes milliseconds (`DEVELOPERS.md` "Page speed").
    Only the first runs freeze, so later sessions' objects stay collectable.
    """
    if _FREEZES["runs"] >= _FREEZE_RUNS:
        return
    _FREEZES["runs"] += 1
    gc.freeze()


def clear_caches() -> None:
    """Forget every cached query result (after an import, for instance)."""
    st.cache_data.clear()


# ---- cached loaders -----------------------------------------------------------------


@cached(16)
def _reference(url: str, version: str) -> dict:
    with snapshot(url, version) as conn:
        return {
            "as_of": reference.as_of_date(conn),
            "first": breakdowns.first_date(conn),
            "info": reference.dataset_info(conn),
        }


@cached(64)
def _neighbourhoods(url: str, version: str, scope: Scope) -> pd.DataFrame:
    with snapshot(url, version) as conn:
        return reference.load_neighbourhoods(conn, scope)


@cached(16)
def _boundaries(url: str, version: str, scope: Scope) -> list[tuple[str, dict]]:
    with snapshot(url, version) as conn:
        return boundaries.load_boundaries(conn, scope)


@cached(64)
def _agencies(url: str, version: str, scope: Scope) -> pd.DataFrame:
    with snapshot(url, version) as conn:
        return reference.load_agencies(conn, scope)


@cached(512)
def _metrics(
    url: str, version: str, period: Period, by: str, scope: Scope, limit: int
) -> pd.DataFrame:
    # From the metric cube where it keeps the answer (lib/rollup.py): a cold page of a
    # standard period reads what any process computed before, for this data version.
    with snapshot(url, version) as conn:
        return rollup.compute_metrics_kept(
            _engine(url), period, by, scope, limit, version, conn=conn
        )


# The chart-data queries a page may ask for, by name (a whitelist: names come from code).
_BREAKDOWNS = {
    "monthly_activity": breakdowns.monthly_activity,
    "channels": breakdowns.channels,
    "active_profile": breakdowns.active_profile,
    "cases_by_stage": breakdowns.cases_by_stage,
    "donations_by_month_type": breakdowns.donations_by_month_type,
    "donations_by_neighbourhood_month": breakdowns.donations_by_neighbourhood_month,
    "donations_vs_targets": breakdowns.donations_vs_targets,
    "referral_statuses": breakdowns.referral_statuses,
    "response_times": breakdowns.response_times,
    "pending_referrals": breakdowns.pending_referrals,
}


@cached(2048)
def _breakdown(
    url: str, version: str, name: str, period: Period, scope: Scope, kwargs: tuple
) -> pd.DataFrame:
    with snapshot(url, version) as conn:
        return _BREAKDOWNS[name](conn, period, scope, **dict(kwargs))


def _version() -> tuple[str, str]:
    url = database_url()
    return url, data_version(url)


@cached(8)
def _page_codes(url: str, version: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    with snapshot(url, version) as conn:
        return reference.page_codes(conn)


def page_codes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every neighbourhood and agency code: the pages that exist (codes only, no data)."""
    return _page_codes(*_version())


def reference_facts() -> dict:
    """{as_of, first, info}: the as-of date, the first data date and dataset_info."""
    return _reference(*_version())


def neighbourhoods(scope: Scope) -> pd.DataFrame:
    """The neighbourhoods the scope may see: code, name, kind, households, population."""
    return _neighbourhoods(*_version(), scope)


def neighbourhood_shapes(scope: Scope) -> list[tuple[str, dict]]:
    """(code, GeoJSON geometry) of the neighbourhoods the scope may see that have a shape."""
    return _boundaries(*_version(), scope)


def agencies(scope: Scope) -> pd.DataFrame:
    """The agencies the scope may see: code, name, sector, kind, neighbourhood_code."""
    return _agencies(*_version(), scope)


def metrics(period: Period, by: str, scope: Scope) -> pd.DataFrame:
    """`compute_metrics` for the period, grouping and scope (cached)."""
    limit = int(config.get("ITDA_RESPONSE_LIMIT_DAYS"))
    return _metrics(*_version(), period, by, scope, limit)


def breakdown(name: str, period: Period, scope: Scope, **kwargs) -> pd.DataFrame:
    """The frame of `lib.queries.breakdowns.<name>` for the period and scope (cached)."""
    return _breakdown(*_version(), name, period, scope, tuple(sorted(kwargs.items())))


@cached(1024)
def _review(
    url: str,
    version: str,
    kind: str,
    code: str | None,
    period: Period,
    compare: str,
    scope: Scope,
    lang: str,
    limit: int,
    city: str,
    with_figures: bool,
) -> Review:
    # Who made it and when are filled in by `review` on every call, not cached.
    # The metrics are the pages' own cached ones (`_metrics`): a cold page computes them once.
    def metrics(p: Period, by: str, within: Scope) -> pd.DataFrame:
        return _metrics(url, version, p, by, within, limit)

    with snapshot(url, version) as conn:
        return build_review(
            conn,
            kind=kind,
            code=code,
            period=period,
            compare=compare,
            scope=scope,
            lang=lang,
            made_by="",
            made_at=dt.datetime(1970, 1, 1, tzinfo=access.KST),
            response_limit_days=limit,
            city_name=city,
            with_figures=with_figures,
            metrics=metrics,
            as_of=_reference(url, version)["as_of"],
        )


def review(kind: str, code: str | None, filters: Filters, with_figures: bool = False) -> Review:
    """The performance review (`lib.review.build.build_review`) of what a page shows (cached).

    `kind` is "city" (`code` None), "neighbourhood" or "agency" (`code` its code); the
    period, comparison (`prev`/`yoy`), scope (the viewer's, `Filters.scope`), language and
    response limit come from `filters`. Cached by database URL, data version, kind, code,
    period, comparison, scope, language, response limit, city name and `with_figures`
    (charts and their tables: the presentation mode and reports; a page's summary needs
    none). `made_by` is the current viewer in words (`actor_name`) and `made_at` now, in KST.
    Its written summaries are `Review.summary` and each `Section.summary`; draw them with
    `summary(...)`. An unknown code raises `lib.errors.UserError`.
    """
    lang = filters.lang
    url, version = _version()
    built = _review(
        url,
        version,
        kind,
        code,
        filters.period,
        filters.compare,
        filters.scope,
        lang,
        int(filters.response_limit_days),
        city_name(lang),
        bool(with_figures),
    )
    return dataclasses.replace(
        built,
        made_by=actor_name(session.current_viewer().actor, lang),
        made_at=access.now_utc().astimezone(access.KST),
    )


# ---- filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the viewer asked to see: period, language, as-of date and scope."""

    period: Period
    lang: str
    as_of: dt.date | None
    scope: Scope
    response_limit_days: int = 7
    compare: str = COMPARE_PREV

    @property
    def comparison(self) -> Period:
        """The period every change is worked out against: 전기 or 전년 동기 (metrics.md)."""
        if self.compare == COMPARE_YOY:
            return self.period.year_earlier()
        return self.period.previous()


def viewer_scope() -> Scope:
    """What the current viewer may see: the one place that decides every query's scope.

    Staff: the whole city; a partner: their link's scope; anyone else: nothing
    (`lib.session.resolve_viewer` decides the viewer at the start of every run).
    """
    return session.current_viewer().scope


def current_lang() -> str:
    """The language of this run (the bound `lang` widget, else the default setting)."""
    return normalize_lang(
        st.session_state.get(LANG_KEY) or config.get("ITDA_DEFAULT_LANG") or DEFAULT_LANG
    )


def link_holder(lang: str) -> str:
    """Who a partner's link is for: its agency's name, or its neighbourhoods' names."""
    viewer = session.current_viewer()
    if not viewer.is_partner:
        return ""
    link = viewer.link
    names = agencies(viewer.scope) if link.agency_code else neighbourhoods(viewer.scope)
    return "·".join(names["name"]) or t("partner.holder", lang)


def actor_name(actor: str, lang: str) -> str:
    """Who did something, in words: the audit log's, import log's and link list's names.

    Stored names are codes for machines ("open-mode visitor", "anonymous", "link:<id>",
    "cli:<login>"); people's e-mail addresses stay as they are.
    """
    if actor == session.OPEN_ACTOR:
        return t("audit.actor.open", lang)
    if actor == access.ANONYMOUS:
        return t("audit.actor.anonymous", lang)
    kind, _, rest = actor.partition(":")
    if rest and kind == "link":
        return t("partner.link_id", lang, id=rest)
    if rest and kind == "cli":
        return t("audit.actor.cli", lang, login=rest)
    return actor


def watermark(lang: str) -> str:
    """ "<holder> 열람용 · <label> · <date time KST>": on every partner page and download."""
    viewer = session.current_viewer()
    if viewer.is_partner:  # a link without a label: "링크 <id>", not the audit's "link:<id>"
        label = viewer.link.label or t("partner.link_id", lang, id=viewer.link.id)
    else:
        label = viewer.actor
    return t(
        "partner.watermark",
        lang,
        holder=link_holder(lang),
        label=label,
        time=access.format_kst(access.now_utc()),
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as CSV for Excel (`exports.table_csv`: BOM, guarded text); a partner's
    carries the watermark line first. The pages use `downloads`, which does the same."""
    note = watermark(current_lang()) if session.current_viewer().is_partner else None
    return exports.table_csv(frame, note=note)


def _parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def resolve_period(
    key: str | None, start: object, end: object, as_of: dt.date | None
) -> tuple[Period, tuple[str, dict] | None]:
    """The period the filters describe, and a notice (i18n key, fields) when they are bad.

    Explicit dates win over `key`; one date alone runs to the as-of date (or from 1 January
    of the end's year). Without either, metrics.md's default: the as-of date's year to date.
    """
    today = as_of or dt.date.today()
    default = Period.year_to_date(today)
    start, end = _parse_date(start), _parse_date(end)
    if start or end:
        start = start or dt.date((end or today).year, 1, 1)
        end = end or max(start, today)
        if start > end:
            return default, ("filter.bad_range", {"start": start, "end": end})
        return Period.between(start, end), None
    if key:
        try:
            return Period.parse(key), None
        except PeriodError:
            return default, ("filter.bad_period", {"value": key})
    return default, None


def default_compare(period: Period, as_of: dt.date | None) -> str:
    """metrics.md: `yoy` for the default period (year to date), `prev` for any other."""
    default = Period.year_to_date(as_of or dt.date.today())
    return COMPARE_YOY if period == default else COMPARE_PREV


def resolve_compare(value: object, period: Period, as_of: dt.date | None) -> str:
    """The comparison asked for (`prev`/`yoy`), else the period's default."""
    return value if value in COMPARES else default_compare(period, as_of)


def _notify(key: str, **fields: object) -> None:
    """Keep a notice about a filter value in the URL (shown once, above the page)."""
    notices = st.session_state.setdefault(_NOTICE_KEY, [])
    if (key, fields) not in notices:
        notices.append((key, fields))


def _one_param(key: str) -> str | None:
    """The URL's single value of `key`, or None. A parameter given twice with different
    values (`?period=2024&period=2025`) is a conflict: a notice, and the parameter leaves
    the URL, so the default applies rather than whichever came last."""
    values = st.query_params.get_all(key)
    if len(set(values)) > 1:
        _notify("filter.repeated", name=key)
        del st.query_params[key]
        return None
    return values[0] if values else None


def notice_text(notice: tuple[str, dict], lang: str) -> str:
    """A filter notice in `lang`, Markdown: what the visitor typed is a short literal
    excerpt (`lib.excerpt.literal`), never Markdown or HTML of theirs."""
    key, fields = notice
    shown = {k: literal(v) if isinstance(v, str) else v for k, v in fields.items()}
    return t(key, lang, **shown)


def _compare_asked() -> str | None:
    """The comparison in the URL (`?compare=`), else the one chosen earlier in the session."""
    raw = st.query_params.get(COMPARE_KEY)
    if raw in COMPARES:
        return raw
    return st.session_state.get(_COMPARE_CHOSEN)


def _compare_changed() -> None:
    """The viewer picked a comparison: remember it and put it in the URL."""
    value = st.session_state.get(_COMPARE_WIDGET)
    if value in COMPARES:
        st.session_state[_COMPARE_CHOSEN] = value
        st.query_params[COMPARE_KEY] = value


def compare_selector(lang: str, period: Period, as_of: dt.date | None) -> str:
    """전기 대비 / 전년 동기 대비 in the sidebar, bound to `?compare=prev|yoy` by hand.

    A bound widget writes the text it shows into the URL, so this one is synchronised
    explicitly: the URL (or the session's earlier choice) sets it before it is drawn, and
    a change writes the key itself (`prev`/`yoy`) to the URL.
    """
    raw = _one_param(COMPARE_KEY)
    if raw is not None and raw not in COMPARES:  # `?compare=evil`: the default, and say so
        _notify("filter.bad_compare", value=raw)
        del st.query_params[COMPARE_KEY]
    asked = _compare_asked()
    if asked and st.query_params.get(COMPARE_KEY) != asked:
        st.query_params[COMPARE_KEY] = asked  # a page change dropped it from the URL
    st.session_state[_COMPARE_WIDGET] = resolve_compare(asked, period, as_of)
    value = st.sidebar.radio(
        t("filter.compare", lang),
        list(COMPARES),
        format_func=lambda c: t(f"compare.{c}", lang),
        key=_COMPARE_WIDGET,
        on_change=_compare_changed,
        horizontal=True,
        help=t("filter.compare.help", lang),
    )
    return value if value in COMPARES else default_compare(period, as_of)


def period_options(first: dt.date | None, as_of: dt.date | None) -> list[str]:
    """Period keys the selector offers, newest first: years, halves, quarters, months.

    From the year before the first data (so one empty period can be compared) to the
    as-of date's year; periods starting after the as-of date are left out.
    """
    last = as_of or dt.date.today()
    first_year = (first.year if first else last.year) - 1
    options: list[str] = []
    for year in range(last.year, first_year - 1, -1):
        periods = [Period.year(year)]
        periods += [Period.half(year, h) for h in (2, 1)]
        periods += [Period.quarter(year, q) for q in (4, 3, 2, 1)]
        periods += [Period.month(year, m) for m in range(12, 0, -1)]
        options += [p.key for p in periods if p.start <= last]
    return options


def _period_asked(options: list[str]) -> str | None:
    """The period key the viewer asked for: the URL's `?period=`, else their earlier choice.

    `?period=2024-h1` is read as `2024-H1`; a range (`2024-01-01..2024-03-31`) fills the
    custom dates instead; a value that is not a period of the data leaves a notice. The URL
    is corrected to what is shown (the key itself, or nothing).
    """
    raw = _one_param(PERIOD_KEY)
    if raw is None:  # a page change drops unbound parameters: the session remembers
        chosen = st.session_state.get(_PERIOD_CHOSEN)
        if chosen in options:
            st.query_params[PERIOD_KEY] = chosen
            return chosen
        return None
    if raw in options:
        st.session_state[_PERIOD_CHOSEN] = raw
        return raw
    try:
        period = Period.parse(raw)
    except PeriodError:
        period = None
    del st.query_params[PERIOD_KEY]
    st.session_state[_PERIOD_CHOSEN] = None
    if period is not None and period.key in options:
        st.session_state[_PERIOD_CHOSEN] = period.key
        st.query_params[PERIOD_KEY] = period.key
        return period.key
    if period is not None and period.kind == "range":
        st.session_state[FROM_KEY], st.session_state[TO_KEY] = period.start, period.end
    elif raw:  # unreadable, or a well-formed period outside the data's years
        _notify("filter.bad_period", value=raw)
    return None


def _dates_asked() -> None:
    """`?from=`/`?to=` that are not one date within the date fields' bounds leave the URL
    with a notice (the bound date fields would drop them without a word)."""
    for key in (FROM_KEY, TO_KEY):
        raw = _one_param(key)
        if raw is None:
            continue
        day = _parse_date(raw)
        if day is None or not DATE_BOUNDS["min_value"] <= day <= DATE_BOUNDS["max_value"]:
            _notify("filter.bad_date", value=raw)
            del st.query_params[key]


# The custom date fields' bounds: the years a period may reach (lib.period).
DATE_BOUNDS = {"min_value": dt.date(MIN_YEAR, 1, 1), "max_value": dt.date(MAX_YEAR, 12, 31)}


def _period_changed() -> None:
    """The viewer picked a period (or cleared it): remember it and put its key in the URL."""
    value = st.session_state.get(PERIOD_KEY)
    st.session_state[_PERIOD_CHOSEN] = value
    if value:
        st.query_params[PERIOD_KEY] = value
    elif PERIOD_KEY in st.query_params:
        del st.query_params[PERIOD_KEY]


def period_selector(lang: str, as_of: dt.date | None, options: list[str]) -> str | None:
    """The period selectbox: Korean names ("2025년 상반기 (진행 중)"), `?period=2025-H1`.

    Not `bind="query-params"`: a bound selectbox writes the text it shows into the URL
    (Streamlit 1.67 serialises a selectbox's value as its `format_func` label,
    `SelectboxSerde.serialize`, and rejects URL values that are not such a label), so
    `?period=2025-H1` would become `?period=2025년 상반기`. Like `compare_selector`, it is
    synchronised by hand: the URL (or the session's earlier choice) sets the widget before
    it is drawn, and a change writes the key to the URL. Returns the chosen key or None.
    """
    chosen = _period_asked(options)
    st.session_state[PERIOD_KEY] = chosen
    labels = {key: Period.parse(key).option_label(lang, as_of) for key in options}
    st.sidebar.selectbox(
        t("filter.period", lang),
        options,
        index=None,
        format_func=labels.__getitem__,
        key=PERIOD_KEY,
        on_change=_period_changed,
        placeholder=t("filter.period.placeholder", lang),
        help=t("filter.period.help", lang),
    )
    value = st.session_state.get(PERIOD_KEY)
    return value if value in labels else None


def language_selector() -> str:
    """The language switch (bound to `?lang=`), in the sidebar; returns ko or en."""
    default = normalize_lang(config.get("ITDA_DEFAULT_LANG"))
    raw = st.query_params.get_all(LANG_KEY)
    if raw and (len(set(raw)) > 1 or raw[0] not in LANGS):  # `?lang=fr`: the default, said
        _notify("filter.bad_lang", value=raw[-1])
        del st.query_params[LANG_KEY]
    # Options are the URL values themselves: a bound widget writes its shown text to the
    # URL, so they must read "ko"/"en" (app.py's CSS shows them in capitals).
    value = st.sidebar.segmented_control(
        t("filter.lang", default),
        list(LANGS),
        default=default,
        key=LANG_KEY,
        bind="query-params",
        width="stretch",
    )
    return normalize_lang(value or default)


def presentation_switch(lang: str) -> bool:
    """Presentation mode's switch (`?present=1`), created on every run; True when it is on.

    A widget bound to the URL, so Streamlit itself keeps `present=1` across page switches
    (st.navigation, st.page_link) and history steps, as it keeps `lang`; hidden (CSS),
    since the page header's button (`present_button`) and the exit button of presentation
    mode (`lib.present.leave`) set it through the session state. Any other value of
    `present` (`0`, `yes`) is not an option, so Streamlit drops it: mode off.
    """
    with st.sidebar.container(key="itda-present-switch"):
        value = st.segmented_control(
            t("present.switch", lang),
            [PRESENT_ON],
            default=None,
            key=PRESENT_KEY,
            bind="query-params",
            label_visibility="collapsed",
        )
    return value == PRESENT_ON


def presenting() -> bool:
    """True while presentation mode is on (after `presentation_switch` ran)."""
    return st.session_state.get(PRESENT_KEY) == PRESENT_ON


def _enter_presentation() -> None:
    st.session_state[PRESENT_KEY] = PRESENT_ON


def present_button(lang: str) -> None:
    """The page header's small "발표 모드" button: this page as slides (`?present=1`)."""
    st.button(
        t("present.enter", lang),
        key="present-enter",
        icon=":material/slideshow:",
        type="tertiary",
        on_click=_enter_presentation,
        help=t("present.enter.help", lang),
    )


def filter_sidebar(lang: str) -> Filters:
    """The shared period filters in the sidebar (bound to the URL); returns the filters."""
    facts = reference_facts()
    as_of, first = facts["as_of"], facts["first"]
    options = period_options(first, as_of)
    _dates_asked()
    period_selector(lang, as_of, options)
    sidebar = st.sidebar
    custom = bool(st.session_state.get(FROM_KEY) or st.session_state.get(TO_KEY))
    with sidebar.expander(t("filter.custom", lang), expanded=custom):
        bounds = DATE_BOUNDS
        st.date_input(
            t("filter.from", lang),
            value=None,
            key=FROM_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
            **bounds,
        )
        st.date_input(
            t("filter.to", lang),
            value=None,
            key=TO_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
            **bounds,
        )
    period = current_filters().period
    compare_selector(lang, period, as_of)
    filters = current_filters()
    sidebar.caption(
        t(
            "filter.shown",
            lang,
            period=period_text(filters.period, lang),
            previous=comparison_text(filters),
        )
    )
    return filters


def filter_notices() -> list[tuple[str, dict]]:
    """The notices about bad filter values in the URL (shown once by dashboard.py)."""
    notices = list(st.session_state.pop(_NOTICE_KEY, None) or [])
    facts = reference_facts()
    _, notice = resolve_period(
        st.session_state.get(PERIOD_KEY),
        st.session_state.get(FROM_KEY),
        st.session_state.get(TO_KEY),
        facts["as_of"],
    )
    if notice and notice not in notices:
        notices.append(notice)
    return notices


def current_filters() -> Filters:
    """The filters of the current run (defaults when a page runs on its own)."""
    lang = current_lang()
    as_of = reference_facts()["as_of"]
    period, _ = resolve_period(
        st.session_state.get(PERIOD_KEY),
        st.session_state.get(FROM_KEY),
        st.session_state.get(TO_KEY),
        as_of,
    )
    return Filters(
        period=period,
        lang=lang,
        as_of=as_of,
        scope=viewer_scope(),
        response_limit_days=int(config.get("ITDA_RESPONSE_LIMIT_DAYS")),
        compare=resolve_compare(_compare_asked(), period, as_of),
    )


def filter_query(filters: Filters | None = None) -> dict[str, str]:
    """The query parameters that reproduce the current view (period or dates, and lang)."""
    state = st.session_state
    params: dict[str, str] = {}
    if state.get(FROM_KEY) or state.get(TO_KEY):
        f = filters or current_filters()
        params[FROM_KEY], params[TO_KEY] = f.period.start.isoformat(), f.period.end.isoformat()
    elif state.get(PERIOD_KEY):
        params[PERIOD_KEY] = str(state[PERIOD_KEY])
    compare = _compare_asked()
    if compare:
        params[COMPARE_KEY] = compare
    lang = state.get(LANG_KEY)
    if lang and lang != normalize_lang(config.get("ITDA_DEFAULT_LANG")):
        params[LANG_KEY] = str(lang)
    return params


def page_href(url_path: str = "", filters: Filters | None = None) -> str:
    """A relative link to a page that keeps the current filters (`""`: the overview), and
    presentation mode while it is on."""
    params = filter_query(filters)
    if presenting():
        params[PRESENT_KEY] = PRESENT_ON
    query = urlencode(params)
    return f"./{url_path}" + (f"?{query}" if query else "")


def neighbourhood_path(code: str) -> str:
    """The URL path of a neighbourhood's page: `nb-` and its code (URL-safe characters)."""
    return "nb-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(code))


def copy_link_button(lang: str) -> None:
    """A "copy link" popover holding the current view's full URL (with a copy icon)."""
    base = st.context.url or ""
    query = urlencode(filter_query())
    url = base + (f"?{query}" if query else "")
    with st.sidebar.popover(
        t("link.copy", lang), icon=":material/link:", key="copy_link", width="stretch"
    ):
        st.caption(t("link.help", lang))
        st.code(url or "./", language=None, wrap_lines=True)


# ---- Streamlit's own words in the user's language -----------------------------------


def _css_text(text: str) -> str:
    """`text` as a CSS string literal (for `content:`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# Streamlit's element toolbar buttons (their aria-label, also their tooltip) → i18n keys.
_TOOLBAR_BUTTONS = {
    "Show/hide columns": "platform.toolbar.columns",
    "Download as CSV": "platform.toolbar.csv",
    "Search": "platform.toolbar.search",
    "Fullscreen": "platform.toolbar.fullscreen",
    "Close fullscreen": "platform.toolbar.close_fullscreen",
    "Show data": "platform.toolbar.show_data",
    "Show chart": "platform.toolbar.show_chart",
    "Download as PNG": "platform.toolbar.png",
    "Copy Vega-Lite spec": "platform.toolbar.spec",
}


def _toolbar_tooltips(lang: str) -> list[str]:
    """CSS rules that write the toolbar tooltip of the hovered or focused button in `lang`."""
    rules = []
    for label, key in _TOOLBAR_BUTTONS.items():
        button = f'[data-testid=stElementToolbar] button[aria-label="{label}"]'
        tip = (
            f"body:has({button}:hover) [data-testid=stTooltipContent] p,"
            f"body:has({button}:focus-visible) [data-testid=stTooltipContent] p"
        )
        rules.append(f"{tip} {{ font-size: 0; }}")
        rules.append(
            tip.replace(" p,", " p::after,") + "::after"
            f" {{ content: {_css_text(t(key, lang))}; font-size: 0.875rem; }}"
        )
    return rules


def platform_words(lang: str) -> None:
    """Streamlit's own English on every page, replaced by CSS with words in `lang`.

    Streamlit 1.67 has no translations (its frontend writes these words itself), so CSS
    hides them and puts ours in their place with `content:` (screen readers read it):
    - the skip link for keyboard users ("Skip to main content" → "본문 바로가기");
    - the empty date field's segments ("yyyy"-"mm"-"dd" → "연도"-"월"-"일");
    - a select box's empty list while typing ("No results" → "결과 없음");
    - the hint under a text field being typed in ("Press Enter to apply"): hidden, as
      every form of Itda's has its own button.
    - the phone's sidebar menu's "View N more" / "View less" (`_nav_more_button`).
    - the tooltips of the tables' and charts' toolbar buttons ("Download as CSV", …):
      CSS `:has()` knows which button the pointer or keyboard is on.
    It also sets `<html lang>` to `lang` (Streamlit's page is `lang="en"`), so screen
    readers read Korean as Korean.
    """
    skip = _css_text(t("platform.skip", lang))
    parts = {kind: _css_text(t(f"platform.date.{kind}", lang)) for kind in ("year", "month", "day")}
    segment = "[data-testid=stDateInputField] span[data-placeholder=true]"
    rules = [
        f"[data-testid=stSkipToContent] {{ font-size: 0; }}"
        f"[data-testid=stSkipToContent]::after {{ content: {skip}; font-size: 1rem; }}",
        f"{segment} {{ font-size: 0; }}",
        *(
            f"{segment}[data-type={kind}]::before {{ content: {text}; font-size: 1rem; }}"
            for kind, text in parts.items()
        ),
        "[role=listbox][data-empty=true] [role=option] > span { font-size: 0; }",
        f"[role=listbox][data-empty=true] [role=option] > span::after "
        f"{{ content: {_css_text(t('platform.no_results', lang))}; font-size: 0.875rem; }}",
        "[data-testid=InputInstructions] { display: none; }",
        *_nav_more_button(lang),
        *_toolbar_tooltips(lang),
        ".st-key-itda-document-lang, .st-key-itda-print-script { display: none; }",
    ]
    st.html("<style>" + "".join(rules) + "</style>")
    # The page's language for screen readers and the browser (Streamlit's page says "en").
    with st.sidebar.container(key="itda-document-lang"):
        st.html(
            f"<script>document.documentElement.lang = {json.dumps(lang)};</script>",
            unsafe_allow_javascript=True,
        )


# Print at the paper's width (see `print_preparation`): the A4 page of dashboard.py's
# `@page` (210mm) less its side margins (2 × 12mm).
PRINT_WIDTH = "186mm"
_PRINT_SCRIPT = """
(() => {
  if (window.itdaPreparePrint) return;
  const root = document.documentElement;
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  // Every chart redrawn for its (narrowed) box, or 3 s gone.
  const settled = () => [...document.querySelectorAll("[data-testid=stVegaLiteChart]")]
    .every((box) => {
      const svg = box.querySelector("svg");
      return !svg || Number(svg.getAttribute("width")) <= box.clientWidth + 1;
    });
  window.itdaPreparePrint = async () => {
    root.classList.add("itda-print-width");
    window.dispatchEvent(new Event("resize"));
    await sleep(300);
    for (let waited = 0; waited < 3000 && !settled(); waited += 100) await sleep(100);
    await sleep(200);
  };
  window.addEventListener("afterprint", () => root.classList.remove("itda-print-width"));
  document.addEventListener("keydown", async (event) => {
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && key === "p") {
      event.preventDefault();
      event.stopPropagation();
      await window.itdaPreparePrint();
      window.print();
    }
  }, true);
})();
"""


def print_preparation() -> None:
    """Ctrl+P (⌘P) prints the page laid out at the paper's width, so charts keep their text.

    Vega draws a chart for the width it has on screen; the browser prints that drawing
    scaled to the paper (dashboard.py's `@media print`), so a chart 1,500px wide on a
    large screen would print its 12px labels at 5px. A browser draws nothing between its
    `beforeprint` event and the print, so the keys are caught instead: the main column
    takes the paper's width (`html.itda-print-width`, dashboard.py's CSS), the charts redraw
    for it (Streamlit follows its charts' boxes), then the browser's print dialog opens;
    after printing the page is as before. Printing from the browser's menu still gives
    whole charts, scaled. Tests call `window.itdaPreparePrint()` before `page.pdf()`.
    """
    with st.sidebar.container(key="itda-print-script"):
        st.html(f"<script>{_PRINT_SCRIPT}</script>", unsafe_allow_javascript=True)


def _nav_more_button(lang: str) -> list[str]:
    """CSS rules that relabel the sidebar menu's "View N more" / "View less" button.

    The menu sits in the sidebar only on a narrow screen, and collapses past ten pages.
    CSS cannot read the button's state, but the list can: the share-links page, the last
    section of every staff menu, is listed only while the menu is expanded.
    """
    button = "[data-testid=stSidebarNavViewButton]"
    expanded = (
        "[data-testid=stSidebarNav]:has([data-testid=stSidebarNavLink][href*='/share-links'])"
    )
    more = _css_text(t("platform.nav.more", lang))
    less = _css_text(t("platform.nav.less", lang))
    return [
        f"{button} {{ font-size: 0; }}",
        f"{button}::after {{ content: {more}; font-size: 0.875rem; }}",
        f"{expanded} {button}::after {{ content: {less}; }}",
    ]


def file_uploader(label: str, types: Sequence[str], box: str, lang: str, **kwargs):
    """`st.file_uploader` whose own English ("Upload", "50MB per file • XLSX",
    "Drag and drop a file here") reads in the user's language, with the real size limit.

    Streamlit 1.67 writes these words in its frontend (FileUploader.*.js) with no option
    to change them; CSS hides them (`display: none`, so they are not read out either) and
    puts ours in their place (`content:`, which screen readers read). The rules are scoped
    to the container `box` (a stable name: the widget's own key may change per upload).
    """
    limit = int(st.get_option("server.maxUploadSize"))
    kinds = ", ".join(kind.upper() for kind in types)
    button = _css_text(t("upload.button", lang))
    limit_text = _css_text(t("upload.limit", lang, size=limit, types=kinds))
    drop = _css_text(t("upload.drop", lang))
    zone = f".st-key-{box} [data-testid=stFileUploaderDropzone]"
    st.html(
        "<style>"
        f"{zone} button [data-testid=stMarkdownContainer] {{ display: none; }}"
        f"{zone} button span[data-has-shortcut]::after {{ content: {button}; }}"
        f"{zone} [data-testid=stFileUploaderDropzoneInstructions] span {{ display: none; }}"
        f"{zone} [data-testid=stFileUploaderDropzoneInstructions] > div::after "
        f"{{ content: {limit_text}; font-size: 0.875rem; opacity: 0.7; }}"
        # shown while a file is dragged over the zone (Streamlit's "Drag and drop … here")
        f"{zone} > div:not([data-testid]) > * {{ display: none; }}"
        f"{zone} > div:not([data-testid])::after {{ content: {drop}; }}"
        "</style>"
    )
    with st.container(key=box):
        return st.file_uploader(label, type=list(types), **kwargs)


# A chart still to be made (`lib.chart_specs`): `ui.chart(chart_call(charts.x, frame, lang))`;
# `prepared_chart(call)` makes its spec now (None: the chart function had nothing to draw).
chart_call = chart_specs.call
prepared_chart = chart_specs.prepare


def known_shapes(scope: Scope, coarse: bool = False) -> chart_specs.Known:
    """The boundaries the scope may see as a chart argument told by its cache key (database,
    data version, scope) instead of by thousands of shapes; loaded only to make the chart.
    `coarse`: simplified for a map of a whole 시·도 (`lib.geo.coarse_geometry`)."""
    url, version = _version()
    if coarse:
        return chart_specs.Known(
            ("coarse-shapes", url, version, scope),
            lambda: [(c, geo.coarse_geometry(g)) for c, g in _boundaries(url, version, scope)],
        )
    return chart_specs.Known(
        ("shapes", url, version, scope), lambda: _boundaries(url, version, scope)
    )


# ---- page furniture -----------------------------------------------------------------


def period_text(period: Period, lang: str) -> str:
    """A period with its dates: "2024년 상반기 (2024.01.01–2024.06.30)"."""
    label = period.label(lang)
    if period.kind == "range":
        return label
    return f"{label} ({period.start:%Y.%m.%d}–{period.end:%Y.%m.%d})"


def comparison_text(filters: Filters) -> str:
    """Which comparison, with its dates: "전년 동기 2025.01.01–2025.10.31"."""
    lang = filters.lang
    return f"{t(f'compare.name.{filters.compare}', lang)} {period_text(filters.comparison, lang)}"


def city_name(lang: str) -> str:
    """The city's name: the ITDA_CITY_NAME setting, the stored name, or a neutral default."""
    return (
        config.get("ITDA_CITY_NAME")
        or reference_facts()["info"].get("city_name")
        or t("city.default_name", lang)
    )


def is_demo() -> bool:
    """True when the data is the generated demo city."""
    return reference_facts()["info"].get("is_demo") == "1"


def page_header(
    title: str,
    filters: Filters,
    subtitle: str | None = None,
    scope: str | None = None,
    report: tuple[str, str | None, str | None] | None = None,
) -> None:
    """Title, demo notice, and the period, comparison period and as-of date of the view.

    `report`: (kind, code, name) of the page's report (`report_button`), offered beside the
    presentation-mode button.

    On paper a first line names the city, the page's scope (`scope`, else the title) and
    the day it was printed, above the title (print-only; dashboard.py's `@media print`).
    """
    lang = filters.lang
    with st.container(key="page-header"):
        printed = f"{access.now_utc().astimezone(access.KST):%Y.%m.%d}"
        line = " · ".join([city_name(lang), scope or title, t("print.printed", lang, date=printed)])
        st.html(f'<p class="itda-print-only itda-print-line">{html.escape(line)}</p>')
        st.title(title)
        if subtitle:
            st.markdown(subtitle)
        if is_demo():
            st.badge(t("header.demo_badge", lang), icon=":material/science:", color="orange")
            st.caption(t("header.demo", lang))
        as_of = f"{filters.as_of:%Y.%m.%d}" if filters.as_of else "–"
        st.caption(
            " · ".join(
                [
                    f"{t('header.period', lang)} {period_text(filters.period, lang)}",
                    f"{t('header.previous', lang)} {comparison_text(filters)}",
                    f"{t('header.as_of', lang)} {as_of}",
                ]
            )
        )
        # Small actions on the page as a whole (presentation mode; hidden in print).
        with st.container(key="page-actions", horizontal=True, gap="small"):
            if report is not None:
                report_button(*report, filters)
            present_button(lang)


# An anchor of a section heading (`st.header(…, anchor=…)`): also the `#…` of its link.
_ANCHOR = re.compile(r"^[a-z][a-z0-9_-]*$")


def section_links(sections: Sequence[tuple[str, str]], lang: str) -> None:
    """A row of in-page links under the page header ("이 페이지의 구성"): (anchor, label) each.

    Plain `#anchor` links, so the browser scrolls Streamlit's main container to the heading
    of that anchor and keeps the path and the query string (the filters) as they are.
    The headings carry the anchors explicitly (`st.subheader(…, anchor="headline")`).
    The look is in dashboard.py's CSS (`.itda-section-links`).
    """
    for anchor, _ in sections:
        if not _ANCHOR.match(anchor):
            raise ValueError(f"not a section anchor: {anchor!r}")
    items = "".join(
        f'<li><a href="#{anchor}">{html.escape(label)}</a></li>' for anchor, label in sections
    )
    label = html.escape(t("toc.label", lang))
    st.html(f'<nav class="itda-section-links" aria-label="{label}"><ul>{items}</ul></nav>')


def show_empty_database(lang: str) -> bool:
    """Show the empty-database state; True when there is no data at all."""
    if reference_facts()["as_of"] is not None:
        return False
    st.info(t("empty.database", lang), icon=":material/inbox:")
    return True


@contextmanager
def error_boundary(lang: str, where: str) -> Iterator[None]:
    """Run a page body; on an error, log the traceback and show one friendly sentence
    (database trouble: what kind, with a retry button; `lib.db_errors`)."""
    try:
        yield
    except Exception as exc:  # st.stop()/rerun are BaseExceptions and pass through
        _log.exception("error while rendering %s", where)
        if not database_trouble(exc, lang):
            st.error(t("error.page", lang), icon=":material/error:")


@contextmanager
def section(lang: str, where: str) -> Iterator[None]:
    """Run one section of a page; an error hides only that section (logged server-side)."""
    try:
        yield
    except (UserError, PeriodError) as exc:
        st.warning(t("error.section", lang, message=user_message(exc, lang)))
    except Exception as exc:
        _log.exception("error while rendering section %s", where)
        kind = db_errors.classify(exc)
        if kind is None:
            st.warning(t("error.page", lang), icon=":material/error:")
        else:  # the rest of the page goes on; one retry button for the whole page
            message = t("error.section", lang, message=db_errors.message(kind, lang))
            st.warning(message, icon=":material/database:")
            retry_button(lang)


RETRY_KEY = "itda-db-retry"


def database_trouble(exc: BaseException, lang: str) -> bool:
    """Show `exc` as database trouble (its kind's sentence and a retry button); False when
    it is not a database error (the caller shows its own message)."""
    kind = db_errors.classify(exc)
    if kind is None:
        return False
    st.error(db_errors.message(kind, lang), icon=":material/database:")
    retry_button(lang)
    return True


def retry_button(lang: str) -> None:
    """A "다시 시도" button (once per run): a click reruns the page. Nothing failed is
    cached (the engine, `data_version` and the loaders keep only what succeeded), so the
    rerun asks the database again and shows the figures as soon as it answers."""
    try:
        st.button(t("db.retry", lang), key=RETRY_KEY, icon=":material/refresh:")
    except StreamlitDuplicateElementKey:  # a second failing section: one button is enough
        pass


def summary(sentences: Sequence[str]) -> None:
    """A written summary (`Review.summary`, `Section.summary`) as the lead paragraph under a
    page's header or a section's heading; nothing when there are no sentences.

    Raw HTML with the text escaped, so a name can never be read as Markdown or LaTeX
    (`$`); the look is dashboard.py's `.itda-summary`.
    """
    if not sentences:
        return
    text = html.escape(" ".join(sentences))
    st.markdown(f'<p class="itda-summary">{text}</p>', unsafe_allow_html=True)


def section_summary(review_: Review, key: str) -> tuple[str, ...]:
    """The summary of `review_`'s section `key` (e.g. "donations"); none without it."""
    return next((s.summary for s in review_.sections if s.key == key), ())


def chart(
    chart_obj,
    key: str,
    *,
    data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    name: str | None = None,
    units: Mapping[str, str] | None = None,
    file_width: int = exports.FILE_WIDTH,
    width: str | int = "stretch",
    **kwargs,
):
    """Draw an Altair chart with the Itda theme (Streamlit's own theme off) and, with
    `name` (a file name without extension, `download_name`), its downloads under it: the
    chart as PNG (2×) and SVG, and `data` (the chart's data as a table,
    `lib.charts.tables`, or a function making it on a click) as CSV and XLSX. Other
    keyword arguments go to Streamlit (`on_select`, `selection_mode`); returns what it
    returns.

    `chart_obj` is best a `chart_call(charts.<thing>_chart, frame, lang, …)`: its spec is
    then made once per content and a warm run skips Altair altogether
    (`lib.chart_specs`); a ready Altair chart is converted on every run (unchecked)."""
    event = chart_specs.draw(chart_obj, theme=None, width=width, key=key, **kwargs)
    if name:
        downloads(
            name,
            key,
            chart=chart_obj,
            data=data,
            units=units,
            file_width=file_width,
        )
    return event


def table(
    frame: pd.DataFrame | Styler,
    *,
    key: str,
    name: str,
    units: Mapping[str, str] | None = None,
    export: pd.DataFrame | None = None,
    column_config: Mapping[str, object] | None = None,
    column_order: Sequence[str] | None = None,
    **kwargs,
) -> None:
    """`st.dataframe` with the table's downloads (CSV and XLSX) under it.

    The files hold the table as shown (`shown_table`): its columns in order, the headers
    of `column_config`, link cells as their text, numbers rounded as shown. `units`
    names the unit of a column (count, krw, rate, days, per_1000, date) where neither
    the metric registry nor the column's format tells it. `export` replaces the file's
    table altogether.
    """
    st.dataframe(frame, key=key, column_config=column_config, column_order=column_order, **kwargs)
    if export is None:  # made on a click, like the file
        export = functools.partial(shown_table, frame, column_config, column_order, units)
    downloads(name, key, data=export)


# ---- downloads ------------------------------------------------------------------------

# Streamlit's number formats (st.column_config) → the unit they show.
_FORMAT_UNITS = {"%d": "count", "%,d": "count", "%.1f%%": "rate", "%.1f": "days"}


def _column_unit(
    column: str, config: object, values: pd.Series, units: Mapping[str, str]
) -> str | None:
    """The unit of a shown column: given, a metric's, its format's, or its values' kind."""
    if column in units:
        return units[column]
    if column in BY_KEY:
        return metric_unit(column)
    type_config = config.get("type_config", {}) if isinstance(config, dict) else {}
    if type_config.get("type") == "date":
        return "date"
    fmt = type_config.get("format")
    if fmt in _FORMAT_UNITS:
        return _FORMAT_UNITS[fmt]
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna()
    if type_config.get("type") == "number" or (
        len(numbers) and len(numbers) == values.notna().sum()
    ):
        whole = bool(len(numbers)) and bool((numbers == numbers.round()).all())
        return "count" if whole else None
    return None


def _link_text(value: object, display: str | None) -> object:
    """A link cell as the grid shows it: `display_text`'s first group, or the text."""
    if not display or not isinstance(value, str):
        return value
    if "(" in display:
        match = re.search(display, value)
        return match.group(1) if match else value
    return display


def shown_table(
    frame: pd.DataFrame | Styler,
    column_config: Mapping[str, object] | None = None,
    column_order: Sequence[str] | None = None,
    units: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The table a viewer sees, for a file: the shown columns in order, headed as shown
    (`column_config` labels), links as their text, numbers rounded as shown; the units
    of the numeric columns in `attrs["units"]` (header → unit)."""
    data = frame.data if isinstance(frame, Styler) else frame
    config = dict(column_config or {})
    units = dict(units or {})
    columns = (
        list(column_order)
        if column_order
        else [c for c in data.columns if config.get(c, "") is not None]
    )
    out, out_units = {}, {}
    for column in columns:
        setting = config.get(column)
        label = setting if isinstance(setting, str) else None
        if isinstance(setting, dict):
            label = setting.get("label")
        header = str(label or column)
        type_config = setting.get("type_config", {}) if isinstance(setting, dict) else {}
        values = data[column]
        if type_config.get("type") == "link":
            values = pd.Series(
                [_link_text(v, type_config.get("display_text")) for v in values], dtype=object
            )
        unit = _column_unit(column, setting, values, units)
        if unit in exports.UNIT_DECIMALS:
            values = pd.Series([exports.round_as_shown(v, unit) for v in values], dtype=object)
        out[header] = list(values)
        if unit:
            out_units[header] = unit
    shown = pd.DataFrame(out, columns=list(out))
    shown.attrs["units"] = out_units
    return shown


def download_name(what: str, filters: Filters, place: str | None = None) -> str:
    """A download's file name without extension: `잇다_<place>_<what>_<period>`, the place
    being the city unless given (a neighbourhood's, an agency's name)."""
    lang = filters.lang
    parts = [t("download.app", lang), place or city_name(lang), what, filters.period.key]
    return exports.file_stem(parts)


@dataclass(frozen=True)
class _Requester:
    """Who is on the page, captured while it is drawn: a download's file is made later,
    on the click, outside the script run (no session state there)."""

    engine: Engine
    actor: str
    role: str
    link_id: str | None
    scope: str
    page: str | None
    note: tuple[str, str, str] | None  # a partner's watermark: (lang, holder, label)

    @classmethod
    def now(cls, lang: str) -> _Requester:
        viewer = session.current_viewer()
        note = None
        if viewer.is_partner:
            label = viewer.link.label or t("partner.link_id", lang, id=viewer.link.id)
            note = (lang, link_holder(lang), label)
        return cls(
            engine=get_engine(),
            actor=viewer.actor,
            role=viewer.role,
            link_id=viewer.link.id if viewer.link else None,
            scope=session.scope_text(viewer),
            page=session.current_page(),
            note=note,
        )

    def watermark(self) -> str | None:
        """The partner's watermark line with the time of the download, or None."""
        if self.note is None:
            return None
        lang, holder, label = self.note
        now = access.format_kst(access.now_utc())
        return t("partner.watermark", lang, holder=holder, label=label, time=now)

    def deliver(self, file_name: str, make) -> bytes:
        """Make the file (`make(note)`) and log the download in the audit log."""
        data = make(self.watermark())
        try:
            access.audit_now(
                self.engine,
                actor=self.actor,
                role=self.role,
                action="download",
                link_id=self.link_id,
                page=self.page,
                scope=self.scope,
                detail=file_name,
            )
        except Exception:  # the file is made; a failed audit write is logged, not fatal
            _log.exception("could not write the audit event of download %s", file_name)
        return data


def _number_formats(data: pd.DataFrame, units: Mapping[str, str] | None) -> dict[str, str]:
    units = dict(data.attrs.get("units", {})) | dict(units or {})
    return {c: exports.UNIT_FORMATS[u] for c, u in units.items() if u in exports.UNIT_FORMATS}


def _rounded(data: pd.DataFrame, units: Mapping[str, str] | None) -> pd.DataFrame:
    """Numbers rounded as the dashboard shows them in their unit."""
    units = dict(data.attrs.get("units", {})) | dict(units or {})
    out = data.copy()
    for column, unit in units.items():
        if column in out and unit in exports.UNIT_DECIMALS:
            out[column] = pd.Series(
                [exports.round_as_shown(v, unit) for v in out[column]], dtype=object
            ).to_numpy()
    return out


def _table_file(
    kind: str, data, units: Mapping[str, str] | None, sheet: str, note: str | None
) -> bytes:
    """A table's CSV or XLSX, made on the click: `data` (or `data()`) rounded as shown."""
    frame = data() if callable(data) else data
    table_data = _rounded(frame, units)
    all_units = dict(frame.attrs.get("units", {})) | dict(units or {})
    if kind == "csv":
        months = [c for c, u in all_units.items() if u == "month"]
        return exports.table_csv(table_data, note=note, months=months)
    formats = _number_formats(frame, units)
    return exports.table_xlsx(table_data, sheet_name=sheet, number_formats=formats, note=note)


def downloads(
    name: str,
    key: str,
    *,
    chart=None,
    data: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    units: Mapping[str, str] | None = None,
    file_width: int = exports.FILE_WIDTH,
    lang: str | None = None,
) -> None:
    """A small "내려받기" menu, right-aligned: the chart as PNG (2×) and SVG, `data` as CSV
    and XLSX. Nothing is made until a button is clicked (deferred downloads; `chart` may
    be a `ChartCall`, `data` a function making the table): each file is made from what the
    page drew, carries a partner's watermark, and is audited.

    `name` is the file name without extension (`download_name`), `key` the element's
    key (the buttons' keys and the menu's CSS class `st-key-dl-<key>` derive from it).
    """
    lang = lang or current_lang()
    who = _Requester.now(lang)
    sheet = name.split("_")[-2] if name.count("_") >= 2 else name
    items = []
    if chart is not None:
        # Made on the click (a `ChartCall` is built then): drawing the page makes no file.
        items += [
            (
                "png",
                exports.PNG_MIME,
                lambda note: exports.chart_png(
                    chart_specs.chart_of(chart), 2, width=file_width, note=note
                ),
            ),
            (
                "svg",
                exports.SVG_MIME,
                lambda note: exports.chart_svg(
                    chart_specs.chart_of(chart), width=file_width, note=note
                ),
            ),
        ]
    if data is not None:
        items += [
            ("csv", exports.CSV_MIME, functools.partial(_table_file, "csv", data, units, sheet)),
            ("xlsx", exports.XLSX_MIME, functools.partial(_table_file, "xlsx", data, units, sheet)),
        ]
    if not items:
        return
    with st.container(key=f"dl-{key}", horizontal=True, horizontal_alignment="right"):
        with st.popover(
            t("download.label", lang),
            icon=":material/download:",
            type="tertiary",
            key=f"dl-{key}-menu",
        ):
            for kind, mime, make in items:
                file_name = f"{name}.{kind}"
                st.download_button(
                    t(f"download.{kind}" if chart is None else f"download.chart.{kind}", lang),
                    functools.partial(who.deliver, file_name, make),
                    file_name=file_name,
                    mime=mime,
                    on_click="ignore",
                    key=f"dl-{key}-{kind}",
                    icon=":material/image:" if kind in ("png", "svg") else ":material/table:",
                    width="stretch",
                )


# ---- metric tiles -------------------------------------------------------------------

_DELTA_COLOUR = {True: "normal", False: "inverse", None: "off"}


def tile_grid(keys: Sequence[str], per_row: int = 4) -> Iterator[tuple[str, DeltaGenerator]]:
    """(key, column) for each metric key, laid out in rows so that tiles line up."""
    for start in range(0, len(keys), per_row):
        columns = st.columns(per_row)
        yield from zip(keys[start : start + per_row], columns, strict=False)


def metric_tile(
    key: str,
    current: object,
    previous: object,
    lang: str,
    *,
    short: bool = False,
    note: str | None = None,
    compare: str = COMPARE_PREV,
) -> None:
    """One metric: value, change against the comparison period, definition as help text.

    `compare` (`prev`/`yoy`, `Filters.compare`) names the comparison under the change.

    A value a partner view does not show (`Suppressed`) reads "<5" or "–" with a caption
    saying why, and no change (it would give the value back).
    """
    metric = BY_KEY[key]
    if isinstance(current, Suppressed):
        why = t(f"suppressed.{current.reason}", lang, threshold=current.threshold)
        note = f"{why} · {note}" if note else why
    change = metric_change(current, previous, metric.unit)
    delta: object = None
    if change is not None:
        text = format_metric_change(key, change, lang, short, base=previous)
        # A change that rounds to nothing is grey with no arrow (Streamlit's numeric 0).
        delta = 0 if text.lstrip("+-") == format_metric_change(key, 0, lang, short) else text
    with st.container(key=f"metric-{key}"):
        st.metric(
            metric.label(lang),
            format_metric(key, current, lang, short),
            delta,
            delta_color=_DELTA_COLOUR[metric.higher_is_better],
            help=metric.definition(lang),
            border=True,
            delta_description=t(f"metric.vs_{compare}", lang) if delta is not None else None,
        )
        if note:
            st.caption(note)


def city_rank_note(
    key: str,
    city_value: object,
    ranks: pd.Series | Mapping[str, float | None],
    code: str,
    lang: str,
    short: bool = False,
    total: str | None = None,
) -> str:
    """ "시 전체 12 · 17개 읍면동 중 3위" for a neighbourhood's metric tile (`ranks`: each
    neighbourhood's rank, a Series or a plain mapping as `metric_ranks` gives); above one
    city `total` names the whole it is compared with ("한빛시 전체 12 · …")."""
    city = format_metric(key, city_value, lang, short)
    rank = ranks.get(code)
    if rank is None or pd.isna(rank):
        if total:
            return t("metric.total_only", lang, total=total, city=city)
        return t("metric.city_only", lang, city=city)
    if isinstance(ranks, pd.Series):
        n = int(ranks.notna().sum())
    else:
        n = sum(1 for value in ranks.values() if value is not None and not pd.isna(value))
    template = "metric.rank_per_1000" if BY_KEY[key].rank_per_1000 else "metric.rank"
    ranked = t(template, lang, n=n, rank=int(rank))
    if total:
        return t("metric.total_rank", lang, total=total, city=city, rank=ranked)
    return t("metric.city_rank", lang, city=city, rank=ranked)


def neighbourhood_ranks(frame: pd.DataFrame, households: pd.Series) -> dict[str, pd.Series]:
    """For every metric column: each neighbourhood's rank (metrics.md comparison rules)."""
    return {key: rank_neighbourhoods(frame, key, households) for key in frame.columns}


@cached(256)
def _ranks(url: str, version: str, period: Period, scope: Scope, limit: int) -> dict:
    frame = _metrics(url, version, period, "neighbourhood", scope, limit)
    households = _neighbourhoods(url, version, scope).set_index("code")["households"]
    # Plain dicts: a page looks up one code per metric, and a freshly unpickled Series
    # rebuilds its index's hash table on the first lookup (pandas 3: 10 ms or more).
    return {
        key: {code: (None if pd.isna(r) else float(r)) for code, r in ranks.items()}
        for key, ranks in neighbourhood_ranks(frame, households).items()
    }


def metric_ranks(period: Period, scope: Scope) -> dict[str, dict[str, float | None]]:
    """`neighbourhood_ranks` of `metrics(period, "neighbourhood", scope)` with the scope's
    households, as {metric: {code: rank or None}} (cached: a neighbourhood page ranks every
    metric of every neighbourhood)."""
    limit = int(config.get("ITDA_RESPONSE_LIMIT_DAYS"))
    return _ranks(*_version(), period, scope, limit)


def has_activity(values: pd.Series) -> bool:
    """True when any metric of the period has a value other than 0 (else: an empty period)."""
    numbers = pd.to_numeric(values, errors="coerce").fillna(0)
    return bool((numbers != 0).any())


def per_1000(value: object, households: object) -> float | None:
    """`value` per 1,000 households; None when either is missing or households is 0."""
    try:
        v, h = float(value), float(households)
    except (TypeError, ValueError):
        return None
    if pd.isna(v) or pd.isna(h) or h <= 0:
        return None
    return v / h * 1000


# ---- report downloads: PDF and PowerPoint (lib/review/report.py) ----------------------


def report_request(kind: str, code: str | None, filters: Filters, fmt: str):
    """The report of `kind`/`code` for this run's filters and viewer, as `fmt`.

    A partner's report is made from the link's scope (suppressed, no city value or rank)
    and says whose it is: the watermark line of every partner download."""
    from lib.review.report import ReportRequest

    viewer = session.current_viewer()
    lang = filters.lang
    made_by = watermark(lang) if viewer.is_partner else actor_name(viewer.actor, lang)
    return ReportRequest(
        kind=kind,
        code=code,
        period=filters.period,
        compare=filters.compare,
        scope=filters.scope,
        lang=lang,
        made_by=made_by,
        response_limit_days=filters.response_limit_days,
        city_name=city_name(lang),
        fmt=fmt,
    )


def _report_file(engine: Engine, request, actor: str, role: str, link_id, page: str) -> bytes:
    """The deferred download: runs on click, in a thread of its own (no `st` here)."""
    from lib.review.report import make_report

    try:
        return make_report(engine, request, actor=actor, role=role, link_id=link_id, page=page)
    except Exception:
        _log.exception("report %s %s %s failed", request.kind, request.code, request.fmt)
        raise


def _page_path() -> str:
    """The url path of the page being drawn (`nb-4420011000`; "" at `/`), for the audit."""
    from urllib.parse import urlparse

    return urlparse(st.context.url or "").path.strip("/").rpartition("/")[2]


def report_download(
    kind: str,
    code: str | None,
    name: str | None,
    filters: Filters,
    fmt: str,
    key: str,
    primary: bool = False,
) -> None:
    """One download button of the report of `kind`/`code` as `fmt` (made when clicked,
    audited as `report` with the page it came from), named like 잇다_보고서_중앙동_2025-H1.pdf."""
    import functools

    from lib.review.report import MIME, file_name

    lang = filters.lang
    viewer = session.current_viewer()
    request = report_request(kind, code, filters, fmt)
    st.download_button(
        t("report.download", lang, format=t(f"report.format.short.{fmt}", lang)),
        data=functools.partial(
            _report_file,
            get_engine(),
            request,
            viewer.actor,
            viewer.role,
            viewer.link.id if viewer.is_partner else None,
            _page_path() or key,
        ),
        file_name=file_name(kind, name, request.city_name, filters.period, lang, fmt),
        mime=MIME[fmt],
        on_click="ignore",
        icon=":material/picture_as_pdf:" if fmt == "pdf" else ":material/slideshow:",
        key=f"report-{key}-{fmt}",
        type="primary" if primary else "secondary",
        width="content" if primary else "stretch",
    )


def report_button(kind: str, code: str | None, name: str | None, filters: Filters) -> None:
    """ "보고서" in a page's header: this page's report (its scope, the filters' period and
    comparison) as a PDF or a PowerPoint deck. `kind` is city, neighbourhood or agency."""
    from lib.review.report import FORMATS

    lang = filters.lang
    key = kind if code is None else f"{kind}-{code}"
    with st.container(key="report-button"):
        with st.popover(t("report.button", lang), icon=":material/download:", key=f"rp-{key}"):
            st.caption(t("report.button.help", lang, period=filters.period.label(lang)))
            for fmt in FORMATS:
                report_download(kind, code, name, filters, fmt, key)


# ---- regions: the levels above the neighbourhood (lib.regions) ----------------------------

# The picker's widgets (sidebar, region deployments) and the page a choice opens next.
PICK_KEYS = {"province": "pick-province", "district": "pick-district", "neighbourhood": "pick-hood"}
PICK_SEARCH = "pick-search"
PICK_GOTO = "_itda_pick_goto"
_PICK_FOR = "_itda_pick_for"  # the page code the selects were last set from
PICK_LIMIT = 10  # search results shown as links


@st.cache_resource(max_entries=32, show_spinner=False)
def _region_tree(url: str, version: str, scope: Scope, top_name: str, nation: str) -> RegionTree:
    # A resource, not data: the tree is frozen and read only, so every run shares one
    # object instead of unpickling 3,500 regions (cache_data copies on every hit).
    tree = RegionTree.from_frame(_neighbourhoods(url, version, scope), top_name)
    if tree.top.level == regions.NATION:
        tree = dataclasses.replace(tree, top=regions.Region(regions.NATION, "", nation))
    return tree


def region_tree(scope: Scope | None = None, lang: str | None = None) -> RegionTree:
    """The regions the scope may see (default the viewer's): the deployment's top (the
    nation, a province, or the one city: `is_city`), its 시·도, 시·군·구 and 읍면동."""
    lang = lang or current_lang()
    scope = viewer_scope() if scope is None else scope
    return _region_tree(*_version(), scope, city_name(lang), t("region.nation", lang))


def region_scope(scope: Scope, tree: RegionTree, code: str | None) -> Scope:
    """`scope` narrowed to the region `code` (the top, or None: `scope` itself, so the
    top keeps its unrestricted meaning: city-wide donations count only there)."""
    if code is None or code == tree.top.code:
        return scope
    return scope.within(code, tree.neighbourhoods_of(code))


def region_page_path(region: regions.Region, tree: RegionTree) -> str:
    """The URL path of a region's page: `""` (the overview at `/`) for the top."""
    if region.code == tree.top.code and region.level == tree.top.level:
        return ""
    if region.level == regions.NEIGHBOURHOOD:
        return neighbourhood_path(region.code)
    return regions.region_path(region.code)


def picker_label(tree: RegionTree, region: regions.Region, lang: str) -> str:
    """A search result: the name with the names above it, its level and code
    ("한빛시 중앙동 · 읍면동 4420051000")."""
    level = t(f"picker.{region.level}", lang)
    return f"{tree.label(region.code)} · {level} {region.code}"


def unique_names(tree: RegionTree, codes: Sequence[str]) -> dict[str, str]:
    """{code: label} for rows shown together: the name, and where two rows share it the
    parent's name before it ("한빛시 중앙동", "누리시 중앙동")."""
    names = {c: (r.name if (r := tree.region(c)) is not None else c) for c in codes}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    out = {}
    for code, name in names.items():
        parent = tree.parent(code)
        if counts[name] > 1 and parent is not None and parent != tree.top:
            out[code] = f"{parent.name} {name}"
        elif counts[name] > 1:
            out[code] = f"{name} ({code})"
        else:
            out[code] = name
    return out


def breadcrumb(tree: RegionTree, code: str, lang: str) -> None:
    """전국 › 한빛도 › 한빛시: links up from a region or neighbourhood page (the filters kept)."""
    parts = []
    for up in tree.ancestors(code):
        href = page_href(region_page_path(up, tree))
        parts.append(f'<a href="{html.escape(href)}" target="_self">{html.escape(up.name)}</a>')
    region = tree.region(code)
    if region is not None:
        parts.append(f'<span aria-current="page">{html.escape(region.name)}</span>')
    label = html.escape(t("region.breadcrumb", lang))
    st.html(f'<nav class="itda-breadcrumb" aria-label="{label}">' + " › ".join(parts) + "</nav>")


def _pick_levels(tree: RegionTree) -> list[str]:
    """The picker's levels below the top: 시도, 시군구, 읍면동 (a province: the last two)."""
    return list(regions.LEVELS[regions.LEVELS.index(tree.top.level) + 1 :])


def _chain(tree: RegionTree, code: str | None) -> dict[str, str]:
    """{level: code} from below the top down to `code` (the page shown)."""
    if not code or tree.region(code) is None:
        return {}
    chain = {r.level: r.code for r in tree.ancestors(code) if r != tree.top}
    region = tree.region(code)
    if region is not None and region != tree.top:
        chain[region.level] = region.code
    return chain


def _picked(level: str) -> None:
    """A select of the picker changed: open the chosen region's page on the next run."""
    code = st.session_state.get(PICK_KEYS[level])
    if code:
        st.session_state[PICK_GOTO] = str(code)


def picker_matches(tree: RegionTree) -> list[regions.Region]:
    """The regions the picker's search box finds (name or code), at most `PICK_LIMIT`."""
    return _picker_found(tree)[:PICK_LIMIT]


def _picker_found(tree: RegionTree) -> list[regions.Region]:
    """Every region the picker's search box finds (name or code)."""
    text = str(st.session_state.get(PICK_SEARCH) or "").strip()
    return tree.search(text, limit=None) if text else []


def region_picker(
    tree: RegionTree,
    current: str | None,
    lang: str,
    pages: Mapping[str, object],
    where: DeltaGenerator | None = None,
    heading: bool = True,
) -> None:
    """시도 → 시군구 → 읍면동: cascading select boxes preselected from the page shown
    (choosing one opens its page), and a search by name or code listing up to ten pages.

    Only the options one level needs are sent: a select lists one region's children,
    never the 3,500 neighbourhoods. `pages` holds the st.Page of every search result
    (registered by dashboard.py, so `st.page_link` can open them).
    """
    box = where if where is not None else st.sidebar
    with box.container(key="itda-picker"):
        if heading:
            st.markdown(f"**{t('picker.title', lang)}**")
        chain = _chain(tree, current)
        if st.session_state.get(_PICK_FOR) != current:
            # Another page is shown: the selects follow it.
            st.session_state[_PICK_FOR] = current
            for level, key in PICK_KEYS.items():
                st.session_state[key] = chain.get(level)
        parent = tree.top.code
        for level in _pick_levels(tree):
            options = [r.code for r in tree.children_of(parent)]
            if parent is None or not options:
                break
            key = PICK_KEYS[level]
            if st.session_state.get(key) not in options:
                st.session_state[key] = None
            names = unique_names(tree, options)
            st.selectbox(
                t(f"picker.{level}", lang),
                options,
                format_func=lambda c, names=names: names.get(c, c),
                index=None,
                placeholder=t("picker.choose", lang),
                key=key,
                on_change=_picked,
                args=(level,),
            )
            parent = st.session_state.get(key)
            if parent is None:
                break
        st.text_input(
            t("picker.search", lang),
            key=PICK_SEARCH,
            placeholder=t("picker.search_hint", lang),
        )
        text = str(st.session_state.get(PICK_SEARCH) or "").strip()
        if text:
            every = _picker_found(tree)
            found = every[:PICK_LIMIT]
            if not found:
                st.caption(t("picker.none", lang))
            for region in found:
                page = pages.get(region_page_path(region, tree))
                if page is not None:
                    st.page_link(page, label=picker_label(tree, region, lang))
            if len(every) > len(found):
                # Higher levels come first: a longer name or a code finds the rest.
                st.caption(t("picker.more", lang, shown=len(found), total=f"{len(every):,}"))


def agency_path(code: str) -> str:
    """The URL path of an agency's page (as views.network.agency_url_path makes it)."""
    return "agency-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(code))


@st.cache_resource(max_entries=8, show_spinner=False)
def _page_index(url: str, version: str) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    hoods, agencies = _page_codes(url, version)
    index: dict[str, tuple[str, str]] = {}
    for code in hoods:
        index[neighbourhood_path(code)] = ("neighbourhood", code)
    for code in agencies:
        index[agency_path(code)] = ("agency", code)
    tree = RegionTree.from_frame(_neighbourhoods(url, version, Scope()), "")
    if not tree.is_city:
        for code, region in tree.regions.items():
            if region.level in regions.PREFIX:
                index[regions.region_path(code)] = ("region", code)
    from streamlit.util import calc_hash

    return index, {calc_hash(path): path for path in index}


def data_page(path: str) -> tuple[str, str] | None:
    """(kind, code) of the data page at `path` — "neighbourhood", "agency" or "region" —
    or None when no such page exists (an unknown code)."""
    return _page_index(*_version())[0].get(path)


def path_of_hash(page_hash: str) -> str | None:
    """The data page whose url_path hashes to `page_hash` (Streamlit names a page by the
    hash of its path when a link or a switch opens it), or None."""
    return _page_index(*_version())[1].get(page_hash)
