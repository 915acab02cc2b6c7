"""잇다 Itda — the server: `streamlit run app.py` serves `dashboard.py` with Itda's own routes.

`app` is an `st.App` (Streamlit's ASGI server), which lets Itda add two routes:
- `/share/{token}`: a partner's share link. The token goes into an HttpOnly cookie and the
  browser is sent on to `/`, so the token never stays in the address bar, the history or
  a Referer; the dashboard checks it (signature, expiry, revocation) on every run.
- `/share-exit`: forget the link held by this browser (to sign in as staff instead).
- `/healthz`: readiness, 200 when the database answers, else 503 (`lib.health`; Streamlit's
  `/_stcore/health` only says the process is up).

Before anything is served, the access settings are checked: in oidc mode the app refuses
to start without its own share-link secret and an `[auth]` provider.
"""

from __future__ import annotations

import sys

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lib import access, config, health, logs, retention
from lib.db import engine_for
from lib.session import SHARE_COOKIE, auth_configured

_NO_TRACE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _secure_cookie() -> bool:
    return str(config.get("ITDA_PUBLIC_URL")).lower().startswith("https://")


async def redeem_share_link(request: Request) -> Response:
    """Keep the token in a cookie of this browser and open the link's first page (`/`)."""
    response = RedirectResponse("/", status_code=303, headers=_NO_TRACE)
    response.set_cookie(
        SHARE_COOKIE,
        request.path_params["token"],
        max_age=access.MAX_LINK_DAYS * 86400,  # the link's own expiry is checked on every run
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure_cookie(),
    )
    return response


async def leave_share_link(request: Request) -> Response:
    """Forget this browser's share link and go to the start page."""
    response = RedirectResponse("/", status_code=303, headers=_NO_TRACE)
    response.delete_cookie(SHARE_COOKIE, path="/", httponly=True, samesite="lax")
    return response


def _refuse_bad_settings() -> None:
    problems = access.startup_problems(auth_configured())
    if problems:
        lines = ["잇다를 시작할 수 없습니다 · Itda cannot start:"]
        lines += [f"- {p.ko}\n  {p.en}" for p in problems]
        print("\n".join(lines), file=sys.stderr, flush=True)
        raise SystemExit(2)


logs.setup()  # ITDA_LOG_FORMAT: text, or one JSON object per line (lib.logs)
_refuse_bad_settings()
# ITDA_AUDIT_RETENTION_DAYS: old audit entries deleted now, then once a day (lib.retention).
retention.start(engine_for(config.database_url()))

app = st.App(
    "dashboard.py",
    routes=[
        Route("/share/{token}", redeem_share_link, methods=["GET"]),
        Route("/share-exit", leave_share_link, methods=["GET"]),
        Route("/healthz", health.readiness, methods=["GET", "HEAD"]),
    ],
)
