"""감사 기록 · The audit log: sign-ins, links, partner page views, imports and exports (admins)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from lib import access, exports, session, ui
from lib.i18n import t
from lib.queries import access as q

_SHOWN = 1000  # rows on the page; the download holds every matching row


# The fixed pages' paths (dashboard.py) → their navigation titles.
_PAGE_TITLES = {
    "city-overview": "nav.overview",
    "case-sharing": "nav.network",
    "city-donations": "nav.donations",
    "metric-definitions": "nav.definitions",
    "data-import": "nav.data",
    "share-links": "nav.links",
    "audit-log": "nav.audit",
    "start": "audit.page.start",
}
# Outcomes written by the app: ok, an import's rejected/failed, a refusal's reason.
_OUTCOMES = (
    "ok",
    "rejected",
    "failed",
    "no_role",
    "admin_only",
    "sign_in",
    access.TAMPERED,
    access.UNKNOWN,
    access.EXPIRED,
    access.REVOKED,
    access.OUT_OF_SCOPE,
)


def _names() -> dict[str, str]:
    """Page paths of neighbourhoods and agencies → their names (the admin sees the city)."""
    from views.network import agency_url_path

    scope = ui.viewer_scope()
    hoods, agencies = ui.neighbourhoods(scope), ui.agencies(scope)
    names = {ui.neighbourhood_path(c): n for c, n in zip(hoods["code"], hoods["name"], strict=True)}
    names |= {
        agency_url_path(c): n for c, n in zip(agencies["code"], agencies["name"], strict=True)
    }
    names |= {f"nb:{c}": n for c, n in zip(hoods["code"], hoods["name"], strict=True)}
    names |= {f"agency:{c}": n for c, n in zip(agencies["code"], agencies["name"], strict=True)}
    return names


def page_name(path: object, names: dict[str, str], lang: str) -> str:
    """A page's path as its title: `city-overview` → 시 전체 개요, `nb-…` → its name."""
    if path is None or pd.isna(path) or not path:
        return ""
    path = str(path)
    if path in _PAGE_TITLES:
        return t(_PAGE_TITLES[path], lang)
    return names.get(path, path)


def scope_name(scope: object, names: dict[str, str], lang: str) -> str:
    """`city` → 시 전체; `agency:CODE` → the agency; `nb:A,B` → the neighbourhoods."""
    if scope is None or pd.isna(scope) or not scope:
        return ""
    scope = str(scope)
    if scope == "city":
        return t("audit.scope.city", lang)
    kind, _, codes = scope.partition(":")
    if kind not in ("agency", "nb"):
        return scope
    shown = [names.get(f"{kind}:{code}", code) for code in codes.split(",") if code]
    return t(f"audit.scope.{kind}", lang, names="·".join(shown))


_IMPORT = re.compile(
    r"^(?P<file>.*); (?P<mode>upsert|replace); (?P<rows>\d+) rows; (?P<problems>\d+) problems$"
)
_LINK = re.compile(r"^expires (?P<at>\S+); pages (?P<pages>[a-z,]*)$")
_ROWS = re.compile(r"^(?P<rows>\d+) rows$")
_ISSUED = re.compile(r"^iat (?P<at>\d+)$")


def detail_text(detail: object, lang: str) -> str:
    """The stored detail (written for the log: `city.xlsx; upsert; 13 rows; 0 problems`) in
    words of `lang`; a detail of another form as it is."""
    if detail is None or pd.isna(detail) or not detail:
        return ""
    text = str(detail)
    if m := _IMPORT.match(text):
        return t(
            "audit.detail.import",
            lang,
            file=m["file"],
            mode=t(f"data.mode.short.{m['mode']}", lang),
            rows=f"{int(m['rows']):,}",
            problems=f"{int(m['problems']):,}",
        )
    if m := _LINK.match(text):
        try:
            expires = access.format_kst(dt.datetime.fromisoformat(m["at"]))
        except ValueError:
            return text
        pages = [t(f"audit.detail.page.{p}", lang) for p in m["pages"].split(",") if p]
        return t("audit.detail.link", lang, expires=expires, pages=", ".join(pages))
    if m := _ROWS.match(text):
        return t("audit.detail.rows", lang, rows=f"{int(m['rows']):,}")
    if m := _ISSUED.match(text):
        issued = dt.datetime.fromtimestamp(int(m["at"]), dt.UTC)
        return t("audit.detail.issued", lang, time=access.format_kst(issued, seconds=True))
    return text


def audit_frame(
    events: pd.DataFrame, lang: str, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Events as shown and downloaded: time (KST), words in `lang` instead of codes."""
    names = names or {}
    shown = events.copy()
    shown["at"] = [access.format_kst(v, seconds=True) for v in shown["at"]]
    shown["actor"] = [ui.actor_name(a, lang) for a in shown["actor"]]
    shown["action"] = [t(f"audit.action.{a}", lang) for a in shown["action"]]
    shown["role"] = [t(f"audit.role.{r}", lang) for r in shown["role"]]
    shown["page"] = [page_name(p, names, lang) for p in shown["page"]]
    shown["scope"] = [scope_name(s, names, lang) for s in shown["scope"]]
    shown["detail"] = [detail_text(d, lang) for d in shown["detail"]]
    shown["outcome"] = [
        t(f"audit.outcome.{o}", lang) if o in _OUTCOMES else ("" if pd.isna(o) else o)
        for o in shown["outcome"]
    ]
    # No "None" in the table: an empty cell says there is nothing.
    shown = shown.astype(object).where(shown.notna(), "")
    return shown.rename(columns={c: t(f"audit.col.{c}", lang) for c in q.AUDIT_COLUMNS})


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """KST calendar days start..end as UTC instants [from, to)."""
    low = dt.datetime.combine(start, dt.time(), access.KST)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), access.KST)
    return low.astimezone(dt.UTC), high.astimezone(dt.UTC)


def render() -> None:
    """Draw the audit log page with its filters and CSV download."""
    lang = ui.current_lang()
    if not session.current_viewer().may(access.AUDIT):  # the navigation never offers it
        st.error(t("denied.admin_only.title", lang))
        return
    st.title(t("audit.title", lang))
    st.caption(t("audit.intro", lang))
    today = access.now_utc().astimezone(access.KST).date()
    engine = ui.get_engine()
    with engine.connect() as conn:
        actors = q.event_actors(conn)
    left, middle, right = st.columns(3)
    with left:
        days = st.date_input(
            t("audit.dates", lang),
            value=(today - dt.timedelta(days=30), today),
            format="YYYY-MM-DD",
            key="audit_dates",
        )
    with middle:
        actor = st.selectbox(
            t("audit.actor", lang),
            actors,
            index=None,
            format_func=lambda a: ui.actor_name(a, lang),
            placeholder=t("audit.all", lang),
            key="audit_actor",
        )
    with right:
        link_id = st.text_input(t("audit.link", lang), key="audit_link").strip()
    start, end = days if isinstance(days, tuple) and len(days) == 2 else (today, today)
    low, high = _bounds(start, end)
    with engine.connect() as conn:
        events = q.select_events(conn, low, high, actor=actor, link_id=link_id or None)
    if events.empty:
        st.info(t("audit.empty", lang), icon=":material/search_off:")
        return
    frame = audit_frame(events, lang, _names())
    st.caption(t("audit.count", lang, n=f"{len(frame):,}", shown=f"{min(len(frame), _SHOWN):,}"))
    # The page shows the newest rows; the files hold every matching one.
    ui.table(
        frame.head(_SHOWN),
        key="audit_table",
        name=exports.file_stem(
            [t("download.app", lang), t("audit.title", lang), f"{start:%Y%m%d}-{end:%Y%m%d}"]
        ),
        export=frame,
        hide_index=True,
        width="stretch",
    )
