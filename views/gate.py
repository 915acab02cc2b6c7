"""The gate: sign-in page, refusal pages, the signed-in user's box and the banners.

None of these pages queries any data: a visitor who may not see the dashboard gets one
page that says why, in their language, and whom to ask.
"""

from __future__ import annotations

from html import escape

import streamlit as st
from sqlalchemy.engine import Engine

from lib import access, config, session, ui
from lib.access import Viewer
from lib.excerpt import excerpt
from lib.i18n import t

SIGN_IN, ADMIN_ONLY, NO_ROLE = "sign_in", "admin_only", "no_role"
# Refusals about a link are answered by whoever sent it; the others by the city's admins.
_LINK_REASONS = (
    access.TAMPERED,
    access.UNKNOWN,
    access.EXPIRED,
    access.REVOKED,
    access.OUT_OF_SCOPE,
)


def _lang() -> str:
    return ui.current_lang()


def sign_in(_reason: str = SIGN_IN) -> None:
    """The only page a visitor who is not signed in (and holds no link) can see."""
    lang = _lang()
    with st.container(key="sign-in-page"):
        st.title(t("signin.title", lang))
        st.markdown(t("signin.body", lang))
        if st.button(
            t("signin.button", lang), key="sign-in", type="primary", icon=":material/login:"
        ):
            st.login()
        st.caption(t("signin.partners", lang))


def contact_line(reason: str, lang: str) -> str:
    """Whom to ask: the ITDA_CONTACT setting, or who sent the link / the city's admins."""
    contact = str(config.get("ITDA_CONTACT") or "").strip()
    if contact:
        return t("denied.contact", lang, contact=contact)
    if reason == access.OUT_OF_SCOPE:
        return t("denied.ask_sender_pages", lang)
    return t("denied.ask_sender" if reason in _LINK_REASONS else "denied.ask_admin", lang)


def refusal(reason: str) -> None:
    """One clear page: which refusal this is and whom to ask, and nothing else."""
    lang = _lang()
    viewer = session.current_viewer()
    with st.container(key="access-denied"):
        st.title(t(f"denied.{reason}.title", lang))
        st.markdown(t(f"denied.{reason}.body", lang, email=viewer.actor))
        st.info(contact_line(reason, lang), icon=":material/contact_support:")
        if reason in _LINK_REASONS and reason != access.OUT_OF_SCOPE:
            # The browser keeps the link in a cookie: let a staff member drop it and sign in.
            # A plain link (st.link_button opens a new tab): the route clears the cookie here.
            st.html(
                f'<a class="itda-leave-link" href="/share-exit">{escape(t("denied.leave", lang))}</a>'
            )


def not_found(path: str) -> None:
    """An address that names no page: say so in the user's language, and link home."""
    lang = _lang()
    with st.container(key="page-not-found"):
        st.title(t("notfound.title", lang))
        st.markdown(t("notfound.body", lang))
        # The address as typed, as plain text (never Markdown: it is the visitor's text).
        st.text(f"/{excerpt(path)}")
        st.html(
            f'<a class="itda-home-link" href="{escape(ui.page_href())}" target="_self">'
            f"{escape(t('notfound.home', lang))}</a>"
        )


def user_box(engine: Engine, viewer: Viewer, lang: str) -> None:
    """The signed-in user's e-mail, role and sign-out button (oidc mode), in the sidebar."""
    if viewer.is_partner or viewer.problem or viewer.actor == session.OPEN_ACTOR:
        return
    if viewer.role == access.ANONYMOUS:
        return
    with st.sidebar.container(key="itda-user", border=True):
        st.markdown(f"**{viewer.actor}**")
        st.caption(t(f"user.role.{viewer.role}", lang))
        if st.button(t("user.sign_out", lang), key="sign-out", icon=":material/logout:"):
            session.sign_out(engine, viewer)


def banner(viewer: Viewer, lang: str) -> None:
    """The open-mode warning, or a partner's watermark line, at the top of every page."""
    if viewer.actor == session.OPEN_ACTOR:
        # An HTML line rather than st.warning: the pages' own notices stay the only alerts.
        st.html(
            '<div class="st-key-demo-mode-banner" role="status" style="padding:.35rem .75rem;'
            "border-radius:.5rem;background:#fff4e5;color:#7a4100;font-size:.9rem;"
            f'border:1px solid #f0c27b">{escape(t("access.demo_banner", lang))}</div>'
        )
    elif viewer.is_partner:
        # Streamlit's own table and chart downloads carry no watermark: partners use
        # Itda's download menus (ui.downloads), which do.
        st.html("<style>[data-testid=stElementToolbar]{display:none !important}</style>")
        with st.container(key="partner-watermark"):
            st.caption(ui.watermark(lang))
