"""Who the current Streamlit session is: sign-in, share links, and the audit of what they open.

`resolve_viewer()` runs once per script run (app.py) and decides the `Viewer` of the
session: a partner holding a valid share link, a signed-in admin or staff member, the
open-mode demo visitor, someone signed in without a role, an anonymous visitor, or the
holder of a link that must not open (and why). `lib.ui.viewer_scope()` reads the result;
nothing else decides what a session may see.

A link's token arrives in the `itda_share` cookie, set by the `/share/{token}` route of
app.py (so the token never stays in the visible URL), or, as a fallback for set-ups
without that route (AppTest, `streamlit run dashboard.py`), in `?share=` of the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st
from sqlalchemy.engine import Engine

from lib import access
from lib.access import ADMIN, ANONYMOUS, OIDC, PARTNER, LinkProblem, Viewer
from lib.queries import access as q

_log = logging.getLogger("itda.session")

SHARE_COOKIE = "itda_share"
SHARE_PARAM = "share"
_VIEWER_KEY = "_itda_viewer"
_TOKEN_KEY = "_itda_share_token"
_COUNTED_KEY = "_itda_link_counted"
_SIGNED_IN_KEY = "_itda_signed_in"
_LAST_PAGE_KEY = "_itda_last_page"
OPEN_ACTOR = "open-mode visitor"


def auth_configured() -> bool:
    """True when secrets.toml has an `[auth]` section (the OpenID Connect provider)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _presented_token() -> str | None:
    """The share token this session presents: `?share=` (remembered), else the cookie."""
    from_url = st.query_params.get(SHARE_PARAM)
    if from_url:
        st.session_state[_TOKEN_KEY] = str(from_url)
        return str(from_url)
    remembered = st.session_state.get(_TOKEN_KEY)
    if remembered:
        return str(remembered)
    cookies: Mapping[str, str] = st.context.cookies or {}
    return cookies.get(SHARE_COOKIE) or None


def _signed_in_viewer() -> Viewer:
    user = st.user
    if not user.get("is_logged_in"):
        return Viewer(ANONYMOUS, "anonymous")
    email = str(user.get("email") or user.get("preferred_username") or user.get("sub") or "")
    groups = user.get(str(access.config.get("ITDA_GROUPS_CLAIM"))) or []
    return Viewer(access.role_for(email, groups), email or "signed-in user")


def _resolve(engine: Engine) -> Viewer:
    token = _presented_token()
    if token:
        try:
            secret = access.share_secret(engine)
            with engine.connect() as conn:
                link = access.check_link(conn, token, secret, access.now_utc())
        except LinkProblem as problem:
            actor = f"link:{problem.link_id}" if problem.link_id else "anonymous"
            return Viewer(ANONYMOUS, actor, problem=problem.reason, problem_link_id=problem.link_id)
        return Viewer(PARTNER, f"link:{link.id}", link=link)
    if access.access_mode() == OIDC:
        return _signed_in_viewer()
    return Viewer(ADMIN, OPEN_ACTOR)


def resolve_viewer(engine: Engine) -> Viewer:
    """Decide this run's viewer (checked on every run: a revoked link stops at once)."""
    viewer = _resolve(engine)
    st.session_state[_VIEWER_KEY] = viewer
    _audit_session_start(engine, viewer)
    return viewer


def current_viewer() -> Viewer:
    """The viewer `resolve_viewer` decided for this run (anonymous before it ran)."""
    viewer = st.session_state.get(_VIEWER_KEY)
    return viewer if isinstance(viewer, Viewer) else Viewer(ANONYMOUS, "anonymous")


# ---- audit ---------------------------------------------------------------------------


def _scope_text(viewer: Viewer) -> str:
    return access.scope_text(viewer.link) if viewer.is_partner else "city"


def _audit_session_start(engine: Engine, viewer: Viewer) -> None:
    """A link's first run in a session counts as one use; a new sign-in is logged once."""
    state = st.session_state
    if viewer.is_partner and state.get(_COUNTED_KEY) != viewer.link.id:
        state[_COUNTED_KEY] = viewer.link.id
        now = access.now_utc()
        with engine.begin() as conn:
            q.count_use(conn, viewer.link.id, now)
            access.audit(
                conn,
                actor=viewer.actor,
                role=PARTNER,
                action="link_redeemed",
                link_id=viewer.link.id,
                scope=_scope_text(viewer),
                now=now,
            )
    elif viewer.role in (access.ADMIN, access.STAFF, access.NO_ROLE) and viewer.actor != OPEN_ACTOR:
        # The identity cookie lives 30 days; its `iat` tells a new sign-in from a return.
        issued = str(st.user.get("iat") or "")
        marker = f"{viewer.actor}|{issued}"
        if state.get(_SIGNED_IN_KEY) == marker:
            return
        state[_SIGNED_IN_KEY] = marker
        detail = f"iat {issued}" if issued else None
        with engine.begin() as conn:
            if detail and q.event_exists(conn, viewer.actor, "sign_in", detail):
                return
            access.audit(
                conn,
                actor=viewer.actor,
                role=viewer.role,
                action="sign_in",
                outcome="ok" if viewer.role != access.NO_ROLE else "no_role",
                detail=detail,
            )


def audit_page(engine: Engine, viewer: Viewer, page: str, outcome: str = "ok") -> None:
    """Log a page view (once per page and session, not on every rerun) or a refusal."""
    key = (viewer.actor, page, outcome)
    if outcome == "ok" and st.session_state.get(_LAST_PAGE_KEY) == key:
        return
    st.session_state[_LAST_PAGE_KEY] = key
    try:
        access.audit_now(
            engine,
            actor=viewer.actor,
            role=viewer.role,
            action="page_view" if outcome == "ok" else "access_denied",
            outcome=outcome,
            link_id=viewer.link.id if viewer.link else viewer.problem_link_id,
            page=page,
            scope=_scope_text(viewer) if viewer.role != ANONYMOUS else None,
        )
    except Exception:  # an audit failure must not take the page down; it is logged
        _log.exception("could not write the audit event for %s", page)


def current_page() -> str | None:
    """The path of the page this run shows (as `audit_page` logged it), or None."""
    last = st.session_state.get(_LAST_PAGE_KEY)
    return last[1] if last else None


def scope_text(viewer: Viewer) -> str:
    """How the audit log names what `viewer` may see: `city`, or a link's scope."""
    return _scope_text(viewer)


def sign_out(engine: Engine, viewer: Viewer) -> None:
    """Log the sign-out, then end the Streamlit identity cookie."""
    access.audit_now(engine, actor=viewer.actor, role=viewer.role, action="sign_out")
    st.session_state.pop(_SIGNED_IN_KEY, None)
    st.logout()
