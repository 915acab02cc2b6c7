"""A real OpenID Connect provider on loopback, and sign-in through it, for browser tests.

The provider is `oidc-provider-mock` (requirements-dev.txt): an Authlib-based OpenID
provider that issues real RS256-signed ID tokens and shows an authorization form where the
browser types the user's subject. It runs in its own process, like the Streamlit server:

    with start_provider() as provider, tempfile.TemporaryDirectory() as tmp:
        with start_oidc_streamlit(db_url, provider, Path(tmp), env={...}) as server:
            sign_in(page, server.base_url, "staff@itda.test", groups=["itda-staff"])
            ...
            sign_out(page, server.base_url)

- Clients must be registered (`--require-registration`): `start_oidc_streamlit` registers
  one per server, with that server's exact redirect URI, as an operator does in Keycloak.
- A user is the claims put at `PUT /users/<sub>` before the form is sent: `email`, and any
  extra claim such as `groups`. Claims outside the standard scopes go into the ID token
  whatever the scope, which is what Keycloak's "Group Membership" mapper does.
- The subject is a UUID derived from the e-mail (like Keycloak's), never the e-mail itself,
  so an app that confused `sub` with `email` would fail.
- The server gets its own secrets.toml (`[auth]` only) through Streamlit's `secrets.files`
  (tests/server.py), so the project's `.streamlit/secrets.toml` is neither read nor touched.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.server import (
    START_TIMEOUT_S,
    ProcessHandle,
    ServerHandle,
    free_port,
    start_streamlit,
)

# Streamlit's own auth cookie (streamlit/web/server/starlette/starlette_server_config.py).
USER_COOKIE = "_streamlit_user"
# The contract of the sign-in page and the user box (container keys → CSS classes).
SIGN_IN_BUTTON = ".st-key-sign-in button"
SIGN_OUT_BUTTON = ".st-key-sign-out button"
_SUBJECT_NAMESPACE = uuid.UUID("5b0e6c1e-7d5e-4c47-9a36-6f1d1f3e2a10")


def subject_for(email: str) -> str:
    """The provider's subject (`sub`) for an e-mail: a stable UUID, as Keycloak uses."""
    return str(uuid.uuid5(_SUBJECT_NAMESPACE, email.lower()))


@dataclass(frozen=True)
class OidcClient:
    """A client registered with the provider, for one redirect URI."""

    client_id: str
    client_secret: str
    redirect_uri: str


class OidcProvider(ProcessHandle):
    """A running oidc-provider-mock process on 127.0.0.1 (also a context manager)."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: Path) -> None:
        super().__init__(process, port, log_path)
        self.issuer = f"http://127.0.0.1:{port}"
        self.metadata_url = self.issuer + "/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document."""
        return _request_json("GET", self.metadata_url)

    def register_client(self, redirect_uri: str) -> OidcClient:
        """Register a confidential client allowed to return to `redirect_uri` only."""
        body = _request_json(
            "POST",
            self.issuer + "/oauth2/clients",
            {"redirect_uris": [redirect_uri], "token_endpoint_auth_method": "client_secret_basic"},
        )
        return OidcClient(body["client_id"], body["client_secret"], redirect_uri)

    def set_user(self, email: str, groups: Iterable[str] = (), **claims: Any) -> str:
        """Define (or redefine) the user of `email`; returns the subject to sign in as."""
        return set_user(self.issuer, email, groups, **claims)


def _request_json(method: str, url: str, body: Any = None) -> Any:
    """Send `body` as JSON; the decoded answer (None for an empty one)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
    return json.loads(raw) if raw.strip() else None


def set_user(issuer: str, email: str, groups: Iterable[str] = (), **claims: Any) -> str:
    """Give the provider at `issuer` a user: `email`, `groups` (a list claim, left out when
    empty) and any other claims; returns the user's subject."""
    sub = subject_for(email)
    user_claims: dict[str, Any] = {"email": email, "email_verified": True, **claims}
    groups = list(groups)
    if groups:
        user_claims["groups"] = groups
    _request_json("PUT", f"{issuer}/users/{urllib.parse.quote(sub, safe='')}", user_claims)
    return sub


def start_provider(port: int | None = None, timeout_s: float = START_TIMEOUT_S) -> OidcProvider:
    """oidc-provider-mock on 127.0.0.1, requiring registered clients and a nonce."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "oidc_provider_mock",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--require-registration", "true",
        "--require-nonce", "true",
    ]  # fmt: skip
    log_file = tempfile.NamedTemporaryFile(  # closed below, kept on disk until stop()
        prefix="itda-oidc-", suffix=".log", delete=False
    )
    with log_file:
        process = subprocess.Popen(
            command,
            env={**os.environ, "NO_COLOR": "1"},
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    provider = OidcProvider(process, port, Path(log_file.name))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = provider.log()
            provider.stop()
            raise RuntimeError(f"The OIDC provider exited with code {process.returncode}:\n{log}")
        try:
            if provider.metadata().get("issuer") == provider.issuer:
                return provider
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
            pass
        time.sleep(0.1)
    log = provider.log()
    provider.stop()
    raise RuntimeError(f"The OIDC provider did not answer within {timeout_s:.0f} s:\n{log}")


def write_secrets(path: Path, provider: OidcProvider, client: OidcClient) -> Path:
    """Write a secrets.toml whose `[auth]` block signs in through `provider` as `client`."""
    values = {
        "redirect_uri": client.redirect_uri,
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "server_metadata_url": provider.metadata_url,
    }
    lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in values.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def oidc_env(**settings: str) -> dict[str, str]:
    """The environment of an app in oidc mode: a fresh share secret, then `settings`."""
    return {
        "ITDA_ACCESS_MODE": "oidc",
        "ITDA_SHARE_SECRET": secrets.token_urlsafe(48),
        **settings,
    }


def start_oidc_streamlit(
    database_url: str,
    provider: OidcProvider,
    secrets_dir: Path,
    env: Mapping[str, str] | None = None,
    script: str | Path = "app.py",
) -> ServerHandle:
    """The app in oidc mode on a free port: a client registered for its callback, its own
    secrets.toml in `secrets_dir`, and `env` (e.g. ITDA_STAFF_EMAILS) on top of
    `oidc_env()`."""
    port = free_port()
    # Streamlit sends this exact URI; the provider accepts no other for this client.
    client = provider.register_client(f"http://127.0.0.1:{port}/oauth2callback")
    secrets_file = write_secrets(secrets_dir / f"secrets-{port}.toml", provider, client)
    return start_streamlit(
        database_url,
        port=port,
        env={**oidc_env(), **(env or {})},
        script=script,
        secrets_file=secrets_file,
    )


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in(
    page: Page,
    base_url: str,
    email: str,
    groups: Iterable[str] = (),
    *,
    lang: str | None = None,
    **claims: Any,
) -> None:
    """Sign in as `email` (with a `groups` claim and other `claims`) through the app's
    sign-in button and the provider's authorization form; return once the app has drawn
    its first page for the signed-in user (Streamlit always lands on `/`)."""
    from tests.browser.conftest import wait_for_app  # browser helpers; no fixtures

    base_url = base_url.rstrip("/")
    page.goto(base_url + "/" + (f"?lang={lang}" if lang else ""))
    wait_for_app(page)
    page.locator(SIGN_IN_BUTTON).click()
    # Streamlit's /auth/login answers with a redirect to the provider's authorization page.
    page.wait_for_url(lambda url: _origin(url) != base_url)
    parts = urllib.parse.urlsplit(page.url)
    if parts.path != "/oauth2/authorize":
        raise AssertionError(f"sign-in went to {page.url}, not to a provider's authorization")
    issuer = _origin(page.url)
    sub = set_user(issuer, email, groups, **claims)
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    # Provider → /oauth2callback (code exchanged, ID token checked, cookie set) → /.
    page.wait_for_url(lambda url: url.rstrip("/") == base_url or url.startswith(base_url + "/?"))
    if USER_COOKIE not in {c["name"] for c in page.context.cookies(base_url)}:
        raise AssertionError(
            f"signing in as {email} came back to the app without Streamlit's {USER_COOKIE} "
            "cookie: the token exchange failed (see the Streamlit server's log)"
        )
    wait_for_app(page)


def sign_out(page: Page, base_url: str) -> None:
    """Click the app's sign-out button and confirm the provider's end-of-session page (the
    provider advertises an end_session_endpoint, so Streamlit sends the browser there);
    return once the app has drawn its page for a visitor."""
    from tests.browser.conftest import wait_for_app

    base_url = base_url.rstrip("/")
    page.locator(SIGN_OUT_BUTTON).click()
    page.wait_for_url(lambda url: _origin(url) != base_url)
    if urllib.parse.urlsplit(page.url).path != "/oauth2/end_session":
        raise AssertionError(f"sign-out went to {page.url}, not to the provider's end_session")
    page.get_by_role("button", name="End session", exact=True).click()
    # The provider returns to /oauth2callback (Streamlit's post-logout URI), which sends the
    # browser on to /.
    page.wait_for_url(lambda url: url.rstrip("/") == base_url or url.startswith(base_url + "/?"))
    wait_for_app(page)
