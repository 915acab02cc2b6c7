"""공유 링크 · Share links: staff make links for partners, list them and revoke them.

Staff see and revoke the links they made; admins see and revoke every link. A new link's
address is shown once, right after it is made (the token is a bearer credential).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import access, exports, session, ui
from lib.access import Viewer
from lib.errors import UserError, user_message
from lib.i18n import t
from lib.queries import access as q
from lib.queries.access import LinkRecord
from lib.scope import Scope

_CREATED = "_itda_link_created"


def _scope_names(link: LinkRecord, hoods: dict[str, str], agencies: dict[str, str]) -> str:
    if link.agency_code:
        return agencies.get(link.agency_code, link.agency_code)
    return "·".join(hoods.get(c, c) for c in link.neighbourhood_codes)


def _kst(value) -> str:
    """A time in KST without the zone's name (the column header carries it)."""
    return access.format_kst(value).removesuffix(" KST")


def links_frame(
    links: list[LinkRecord], hoods: dict[str, str], agencies: dict[str, str], lang: str
) -> pd.DataFrame:
    """The links as the page lists them: id, label, scope, creator, times (KST), status, uses."""
    now = access.now_utc()
    rows = [
        {
            t("links.col.id", lang): link.id,
            t("links.col.label", lang): link.label or "–",
            t("links.col.scope", lang): _scope_names(link, hoods, agencies),
            t("links.col.creator", lang): ui.actor_name(link.created_by, lang),
            t("links.col.created", lang): _kst(link.created_at)[:10],  # the day is enough
            t("links.col.expires", lang): _kst(link.expires_at),
            t("links.col.status", lang): t(f"links.status.{access.link_status(link, now)}", lang),
            t("links.col.uses", lang): link.uses,
            t("links.col.last_used", lang): _kst(link.last_used_at),
        }
        for link in links
    ]
    return pd.DataFrame(rows)


def _create_form(
    viewer: Viewer, hoods: dict[str, str], agencies: dict[str, str], lang: str
) -> None:
    st.markdown(f"**{t('links.new', lang)}**")
    # Outside the form, so that the form shows the one selector the chosen scope needs.
    kind = st.radio(
        t("links.kind", lang),
        ["agency", "neighbourhood"],
        format_func=lambda k: t(f"links.kind.{k}", lang),
        horizontal=True,
        key="link_kind",
    )
    with st.form("create-link", border=True):
        left, right = st.columns([3, 2])
        with left:
            if kind == "agency":
                agency = st.selectbox(
                    t("links.agency", lang),
                    list(agencies),
                    format_func=agencies.get,
                    index=None,
                    placeholder=t("links.choose", lang),
                    key="link_agency",
                )
                chosen: list[str] = []
            else:
                agency = None
                chosen = st.multiselect(
                    t("links.neighbourhoods", lang),
                    list(hoods),
                    format_func=hoods.get,
                    placeholder=t("links.choose", lang),
                    key="link_hoods",
                )
            label = st.text_input(t("links.label", lang), max_chars=200, key="link_label")
        with right:
            days = st.number_input(
                t("links.days", lang),
                min_value=1,
                max_value=access.MAX_LINK_DAYS,
                value=int(access.config.get("ITDA_SHARE_DAYS")),
                step=1,
                key="link_days",
            )
            with_definitions = st.checkbox(t("links.with_definitions", lang), key="link_defs")
        submitted = st.form_submit_button(t("links.create", lang), type="primary")
    if not submitted:
        return
    pages = (access.HOME, access.DEFINITIONS) if with_definitions else (access.HOME,)
    try:
        link, url = access.create_link(
            ui.get_engine(),
            created_by=viewer.actor,
            role=viewer.role,
            agency_code=agency,
            neighbourhood_codes=chosen,
            pages=pages,
            days=int(days),
            label=label,
        )
    except UserError as exc:
        st.error(user_message(exc, lang), icon=":material/error:")
        return
    st.session_state[_CREATED] = (link.id, url)


def _revoke(viewer: Viewer, links: list[LinkRecord], lang: str) -> None:
    active = [link for link in links if access.link_status(link) == "active"]
    st.markdown(f"**{t('links.revoke.title', lang)}**")
    if not active:
        st.caption(t("links.revoke.none", lang))
        return
    labels = {link.id: f"{link.id} · {link.label or '–'}" for link in active}
    with st.form("revoke-link", border=True):
        chosen = st.selectbox(
            t("links.revoke.which", lang), list(labels), format_func=labels.get, key="revoke_link"
        )
        sure = st.checkbox(t("links.revoke.confirm", lang), key="revoke_confirm")
        submitted = st.form_submit_button(t("links.revoke.button", lang))
    if submitted:
        if not sure:
            st.warning(t("links.revoke.unconfirmed", lang))
            return
        try:
            access.revoke_link(ui.get_engine(), chosen, by=viewer.actor, role=viewer.role)
        except UserError as exc:
            st.error(user_message(exc, lang))
            return
        st.success(t("links.revoked", lang, id=chosen))
        st.rerun()


def render() -> None:
    """Draw the share-link page."""
    lang = ui.current_lang()
    viewer = session.current_viewer()
    if not viewer.may(access.CREATE_LINKS):  # the navigation never offers it; belt and braces
        st.error(t("denied.admin_only.title", lang))
        return
    st.title(t("links.title", lang))
    st.markdown(t("links.intro", lang))
    city = Scope.city()
    hoods, agencies = ui.neighbourhoods(city), ui.agencies(city)
    hoods = dict(zip(hoods["code"], hoods["name"], strict=True))
    agencies = dict(zip(agencies["code"], agencies["name"], strict=True))
    _create_form(viewer, hoods, agencies, lang)
    created = st.session_state.get(_CREATED)
    if created:
        with st.container(key="link-created", border=True):
            st.success(t("links.created", lang, id=created[0]), icon=":material/check_circle:")
            st.code(created[1], language=None, wrap_lines=True)
            st.caption(t("links.created.note", lang))
    mine = None if viewer.may(access.MANAGE_LINKS) else viewer.actor
    with ui.get_engine().connect() as conn:
        links = q.select_links(conn, created_by=mine)
    st.subheader(t("links.list", lang) if mine is None else t("links.list.mine", lang))
    if not links:
        st.info(t("links.empty", lang), icon=":material/link_off:")
        return
    frame = links_frame(links, hoods, agencies, lang)
    # Pixel widths so that every column fits at 1440 px (a long label is cut with "…").
    widths = {"id": 130, "label": 170, "scope": 130, "creator": 105, "created": 88}
    widths |= {"expires": 125, "status": 56, "uses": 44, "last_used": 125}
    ui.table(
        frame,
        name=exports.file_stem([t("download.app", lang), t("links.title", lang)]),
        hide_index=True,
        width="stretch",
        column_config={
            t(f"links.col.{c}", lang): st.column_config.Column(width=w) for c, w in widths.items()
        },
        key="links_table",
    )
    _revoke(viewer, links, lang)
