"""감사 기록 · The audit log: sign-ins, links, partner page views, imports and exports (admins)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib import access, session, ui
from lib.i18n import t
from lib.queries import access as q

_SHOWN = 1000  # rows on the page; the download holds every matching row


def audit_frame(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Events as shown and downloaded: time (KST) and the columns in `lang`."""
    shown = events.copy()
    shown["at"] = [access.format_kst(v, seconds=True) for v in shown["at"]]
    shown["action"] = [t(f"audit.action.{a}", lang) for a in shown["action"]]
    shown["role"] = [t(f"audit.role.{r}", lang) for r in shown["role"]]
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
    frame = audit_frame(events, lang)
    st.caption(t("audit.count", lang, n=f"{len(frame):,}", shown=f"{min(len(frame), _SHOWN):,}"))
    st.dataframe(frame.head(_SHOWN), hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        t("audit.download", lang),
        ui.csv_bytes(frame),
        f"잇다-감사기록-{start:%Y%m%d}-{end:%Y%m%d}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="audit_download",
    )
