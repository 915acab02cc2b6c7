"""Who may see what: access modes, roles, share links and the audit log.

- **Modes** (`ITDA_ACCESS_MODE`): `open` (the local demo: every visitor has every staff
  right, and a banner says so) or `oidc` (staff sign in with `st.login`; roles come from
  settings: e-mail lists and groups).
- **Share links**: a partner's bearer credential. The token is signed with
  `ITDA_SHARE_SECRET` (itsdangerous) and carries only the link's id; scope, pages and expiry
  are read from the database on every use, so a link can be revoked and its use counted.
- **Viewer**: the one answer to "who is this and what may they see"; `Viewer.scope` is the
  `Scope` every query of the session receives (`lib.ui.viewer_scope`).
- **Audit**: `audit()` appends one event; never a household's data.

This module holds no Streamlit code: the app (`lib.session`), the CLI and the tests share it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.engine import Engine

from lib import config
from lib.errors import UserError
from lib.models import AppSecret
from lib.queries import access as q
from lib.queries.access import LinkRecord
from lib.scope import Scope

OPEN, OIDC = "open", "oidc"
MODES = (OPEN, OIDC)

ADMIN, STAFF, PARTNER, NO_ROLE, ANONYMOUS = "admin", "staff", "partner", "none", "anonymous"

# What each role may do; pages ask `viewer.may(PERMISSION)`.
DASHBOARD, CREATE_LINKS, MANAGE_LINKS, DATA, AUDIT = (
    "dashboard",
    "create_links",
    "manage_links",
    "data",
    "audit",
)
_PERMISSIONS = {
    ADMIN: {DASHBOARD, CREATE_LINKS, MANAGE_LINKS, DATA, AUDIT},
    STAFF: {DASHBOARD, CREATE_LINKS},
}

# The pages a link may open: its scope's own page(s), and the metric definitions.
HOME, DEFINITIONS = "home", "definitions"
LINK_PAGES = (HOME, DEFINITIONS)

MIN_SECRET_LENGTH = 32
MAX_LINK_DAYS = 365
KST = dt.timezone(dt.timedelta(hours=9), "KST")  # Korea keeps no daylight saving time

# Why a presented link does not open (each has its own refusal page).
TAMPERED, UNKNOWN, EXPIRED, REVOKED, OUT_OF_SCOPE = (
    "tampered",
    "unknown",
    "expired",
    "revoked",
    "out_of_scope",
)

_SALT = "itda.share-link.v1"
_OPEN_SECRET_NAME = "share_secret"


class LinkProblem(Exception):
    """A presented share link that must not open; `reason` is one of the constants above."""

    def __init__(self, reason: str, link_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.link_id = reason, link_id


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_kst(value: dt.datetime | None, seconds: bool = False) -> str:
    """A time in KST as `2026-12-01 21:05 KST` ("–" for none)."""
    if value is None:
        return "–"
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(KST).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else "")) + " KST"


# ---- mode, roles, start-up -------------------------------------------------------------


def access_mode() -> str:
    """`open` or `oidc` (a bad value is a start-up error)."""
    mode = str(config.get("ITDA_ACCESS_MODE")).strip().lower()
    if mode not in MODES:
        raise UserError(
            f"ITDA_ACCESS_MODE 값 '{mode}'을(를) 알 수 없습니다. open 또는 oidc로 설정하세요.",
            f"Unknown ITDA_ACCESS_MODE '{mode}': use open or oidc.",
        )
    return mode


def startup_problems(auth_configured: bool) -> list[UserError]:
    """Why the app must not start as configured (empty: it may).

    Every setting must be usable (`config.problems`: parsed, in range). In oidc mode a
    share-link secret of the city's own is required: a default would let anyone who reads
    this code forge links.
    """
    problems = [UserError(ko, en) for ko, en in config.problems()]
    try:
        mode = access_mode()
    except UserError as exc:
        return [*problems, exc]
    if mode != OIDC:
        return problems
    secret = str(config.get("ITDA_SHARE_SECRET") or "")
    if len(secret) < MIN_SECRET_LENGTH:
        problems.append(
            UserError(
                f"oidc 모드에는 공유 링크 서명 키 ITDA_SHARE_SECRET(최소 {MIN_SECRET_LENGTH}자)가 "
                '필요합니다. 예: python -c "import secrets; print(secrets.token_urlsafe(48))"',
                f"oidc mode needs a share-link secret ITDA_SHARE_SECRET of at least "
                f"{MIN_SECRET_LENGTH} characters, e.g. "
                'python -c "import secrets; print(secrets.token_urlsafe(48))"',
            )
        )
    if not auth_configured:
        problems.append(
            UserError(
                "oidc 모드에는 .streamlit/secrets.toml의 [auth] 설정(OpenID Connect 제공자)이 "
                "필요합니다. README의 '로그인' 절을 보세요.",
                "oidc mode needs an [auth] section (the OpenID Connect provider) in "
                ".streamlit/secrets.toml; see the README's sign-in section.",
            )
        )
    return problems


def _lower(items: Iterable[str]) -> set[str]:
    return {str(i).strip().lower() for i in items if str(i).strip()}


def role_for(email: str | None, groups: Iterable[str] | str | None) -> str:
    """admin, staff or none for a signed-in user, from the e-mail and group settings."""
    if isinstance(groups, str):
        groups = [groups]
    mail = (email or "").strip().lower()
    member = _lower(groups or [])
    if mail and mail in _lower(config.get("ITDA_ADMIN_EMAILS")):
        return ADMIN
    if member & _lower(config.get("ITDA_ADMIN_GROUPS")):
        return ADMIN
    if mail and mail in _lower(config.get("ITDA_STAFF_EMAILS")):
        return STAFF
    if member & _lower(config.get("ITDA_STAFF_GROUPS")):
        return STAFF
    return NO_ROLE


# ---- viewers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role, a name for the audit log, and for a partner their link."""

    role: str
    actor: str  # the e-mail, "link:ID", or "anonymous"
    link: LinkRecord | None = None
    problem: str | None = None  # a presented link that does not open, and why
    problem_link_id: str | None = None

    @property
    def is_partner(self) -> bool:
        return self.role == PARTNER and self.link is not None

    def may(self, permission: str) -> bool:
        return permission in _PERMISSIONS.get(self.role, set())

    @property
    def scope(self) -> Scope:
        """The rows this viewer's queries may read. Nobody but staff sees the whole city."""
        if self.is_partner:
            return link_scope(self.link)
        if self.may(DASHBOARD):
            return Scope.city()
        # Not signed in, no role, or a broken link: a scope that matches nothing.
        return Scope(neighbourhood_codes=(), partner_view=True)


def link_scope(link: LinkRecord) -> Scope:
    """The Scope a link grants: one agency's referrals, or some neighbourhoods."""
    if link.agency_code:
        return Scope(agency_code=link.agency_code, partner_view=True)
    return Scope(neighbourhood_codes=tuple(sorted(link.neighbourhood_codes)), partner_view=True)


def scope_text(link: LinkRecord) -> str:
    """The scope as stored in the audit log: `agency:CODE` or `nb:CODE,CODE`."""
    if link.agency_code:
        return f"agency:{link.agency_code}"
    return "nb:" + ",".join(sorted(link.neighbourhood_codes))


# ---- share-link tokens -----------------------------------------------------------------


def share_secret(engine: Engine) -> str:
    """The key that signs links: the setting, or (open mode only) one kept in the database."""
    configured = str(config.get("ITDA_SHARE_SECRET") or "")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise UserError(
                f"ITDA_SHARE_SECRET는 최소 {MIN_SECRET_LENGTH}자여야 합니다.",
                f"ITDA_SHARE_SECRET must have at least {MIN_SECRET_LENGTH} characters.",
            )
        return configured
    if access_mode() == OIDC:
        raise startup_problems(auth_configured=True)[0]
    stmt = sa.select(AppSecret.value).where(AppSecret.name == _OPEN_SECRET_NAME)
    with engine.begin() as conn:
        stored = conn.execute(stmt).scalar_one_or_none()
        if stored:
            return stored
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(AppSecret).values(name=_OPEN_SECRET_NAME, value=secrets.token_urlsafe(48))
            )
    except sa.exc.IntegrityError:  # another process generated it first: use theirs
        pass
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def make_token(link_id: str, secret: str) -> str:
    """The signed token of a link (what its URL carries)."""
    return _serializer(secret).dumps({"l": link_id})


def token_link_id(token: str, secret: str) -> str:
    """The link id a token carries; LinkProblem(TAMPERED) when its signature is wrong."""
    try:
        claims = _serializer(secret).loads(token)
    except BadData:
        raise LinkProblem(TAMPERED) from None
    link_id = claims.get("l") if isinstance(claims, dict) else None
    if not isinstance(link_id, str) or not link_id:
        raise LinkProblem(TAMPERED)
    return link_id


def link_url(token: str) -> str:
    """The URL to hand out: the app's public address, `/share/`, the token."""
    return str(config.get("ITDA_PUBLIC_URL")).rstrip("/") + "/share/" + token


def check_link(conn: sa.Connection, token: str, secret: str, now: dt.datetime) -> LinkRecord:
    """The link a token opens now; LinkProblem when tampered, unknown, revoked or expired."""
    link_id = token_link_id(token, secret)
    link = q.get_link(conn, link_id)
    if link is None:
        raise LinkProblem(UNKNOWN, link_id)
    if link.revoked_at is not None:
        raise LinkProblem(REVOKED, link_id)
    if link.expires_at <= now:
        raise LinkProblem(EXPIRED, link_id)
    return link


# ---- share-link lifecycle --------------------------------------------------------------


def _expiry(now: dt.datetime, days: int | None, expires_at: dt.datetime | None) -> dt.datetime:
    if days is not None and expires_at is not None:
        raise UserError(
            "만료는 일수나 일시 중 하나만 정하세요.",
            "Give either days or an expiry time, not both.",
        )
    if expires_at is None:
        days = int(config.get("ITDA_SHARE_DAYS")) if days is None else days
        if not 1 <= days <= MAX_LINK_DAYS:
            raise UserError(
                f"유효 기간은 1일에서 {MAX_LINK_DAYS}일 사이여야 합니다: {days}",
                f"A link is valid for 1 to {MAX_LINK_DAYS} days, not {days}.",
            )
        return now + dt.timedelta(days=days)
    if expires_at.tzinfo is None:  # a time typed by a Korean official is KST
        expires_at = expires_at.replace(tzinfo=KST)
    expires_at = expires_at.astimezone(dt.UTC)
    if expires_at <= now:
        raise UserError(
            f"만료 일시가 이미 지났습니다: {format_kst(expires_at)}",
            f"The expiry time is in the past: {format_kst(expires_at)}",
        )
    if expires_at > now + dt.timedelta(days=MAX_LINK_DAYS):
        raise UserError(
            f"링크는 최대 {MAX_LINK_DAYS}일까지 유효할 수 있습니다.",
            f"A link can be valid for at most {MAX_LINK_DAYS} days.",
        )
    return expires_at


def create_link(
    engine: Engine,
    *,
    created_by: str,
    agency_code: str | None = None,
    neighbourhood_codes: Sequence[str] = (),
    pages: Sequence[str] = (HOME,),
    days: int | None = None,
    expires_at: dt.datetime | None = None,
    label: str = "",
    role: str = STAFF,
    now: dt.datetime | None = None,
) -> tuple[LinkRecord, str]:
    """Check and store a new link, audit it; returns the link and its full URL."""
    now = now or now_utc()
    hoods = tuple(dict.fromkeys(c.strip() for c in neighbourhood_codes if c and c.strip()))
    agency = (agency_code or "").strip() or None
    if bool(agency) == bool(hoods):
        raise UserError(
            "링크 범위는 기관 하나 또는 읍면동(하나 이상) 중 하나여야 합니다.",
            "A link's scope is either one agency or one or more neighbourhoods.",
        )
    wanted_pages = tuple(dict.fromkeys(pages or (HOME,)))
    unknown_pages = [p for p in wanted_pages if p not in LINK_PAGES]
    if unknown_pages or HOME not in wanted_pages:
        raise UserError(
            f"링크로 열 수 있는 페이지는 {', '.join(LINK_PAGES)}이며 {HOME}을 포함해야 합니다.",
            f"A link opens pages among {', '.join(LINK_PAGES)}, always including {HOME}.",
        )
    label = label.strip()
    if len(label) > 200:
        raise UserError("이름은 200자 이내로 적으세요.", "Keep the label within 200 characters.")
    expiry = _expiry(now, days, expires_at)
    secret = share_secret(engine)
    with engine.begin() as conn:
        found_agencies, found_hoods = q.existing_codes(conn, [agency] if agency else [], hoods)
        if agency and agency not in found_agencies:
            raise UserError(f"없는 기관 코드입니다: {agency}", f"Unknown agency code: {agency}")
        missing = [c for c in hoods if c not in found_hoods]
        if missing:
            raise UserError(
                f"없는 읍면동 코드입니다: {', '.join(missing)}",
                f"Unknown neighbourhood code: {', '.join(missing)}",
            )
        link = LinkRecord(
            id=secrets.token_hex(8),
            label=label,
            agency_code=agency,
            neighbourhood_codes=hoods,
            pages=wanted_pages,
            created_by=created_by,
            created_at=now,
            expires_at=expiry,
            revoked_at=None,
            revoked_by=None,
            uses=0,
            last_used_at=None,
        )
        q.insert_link(conn, link)
        audit(
            conn,
            actor=created_by,
            role=role,
            action="link_created",
            link_id=link.id,
            scope=scope_text(link),
            detail=f"expires {expiry.isoformat(timespec='minutes')}; pages {','.join(wanted_pages)}",
            now=now,
        )
    return link, link_url(make_token(link.id, secret))


def revoke_link(
    engine: Engine, link_id: str, by: str, role: str = STAFF, now: dt.datetime | None = None
) -> LinkRecord:
    """Revoke a link (audited); UserError when there is no such link or it is revoked already."""
    now = now or now_utc()
    with engine.begin() as conn:
        link = q.get_link(conn, link_id)
        if link is None:
            raise UserError(f"없는 링크입니다: {link_id}", f"No such link: {link_id}")
        if not q.mark_revoked(conn, link_id, by, now):
            raise UserError(
                f"이미 폐기된 링크입니다: {link_id}", f"The link {link_id} is revoked already."
            )
        audit(
            conn,
            actor=by,
            role=role,
            action="link_revoked",
            link_id=link_id,
            scope=scope_text(link),
            now=now,
        )
        return q.get_link(conn, link_id)


def link_status(link: LinkRecord, now: dt.datetime | None = None) -> str:
    """active, expired or revoked."""
    if link.revoked_at is not None:
        return REVOKED
    return EXPIRED if link.expires_at <= (now or now_utc()) else "active"


# ---- audit -------------------------------------------------------------------------------


def audit(
    conn: sa.Connection,
    *,
    actor: str,
    role: str,
    action: str,
    outcome: str = "ok",
    link_id: str | None = None,
    page: str | None = None,
    scope: str | None = None,
    detail: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Append one event to the audit log (inside the caller's transaction)."""
    q.insert_event(
        conn,
        at=now or now_utc(),
        actor=actor[:200],
        role=role,
        action=action,
        outcome=outcome,
        link_id=link_id,
        page=(page or None) and page[:200],
        scope=(scope or None) and scope[:500],
        detail=(detail or None) and detail[:500],
    )


def audit_now(engine: Engine, **fields) -> None:
    """`audit` in a transaction of its own (page views, sign-ins, refusals)."""
    with engine.begin() as conn:
        audit(conn, **fields)
