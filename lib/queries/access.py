"""The SQL of access control: share links (create, read, revoke, count uses) and the audit log.

Times are stored in UTC; SQLite hands back naive datetimes, so every read goes through
`utc()`. Nothing here decides who may do what: that is `lib.access`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from lib.models import Agency, AuditEvent, Neighbourhood, ShareLink


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC datetime (SQLite returns naive ones, already UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass(frozen=True)
class LinkRecord:
    """One share link as stored."""

    id: str
    label: str
    agency_code: str | None
    neighbourhood_codes: tuple[str, ...]
    pages: tuple[str, ...]
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    revoked_by: str | None
    uses: int
    last_used_at: dt.datetime | None


_LINKS = ShareLink.__table__


def _record(row: sa.Row) -> LinkRecord:
    return LinkRecord(
        id=row.id,
        label=row.label,
        agency_code=row.agency_code,
        neighbourhood_codes=tuple(json.loads(row.neighbourhood_codes or "[]")),
        pages=tuple(json.loads(row.pages or "[]")),
        created_by=row.created_by,
        created_at=utc(row.created_at),
        expires_at=utc(row.expires_at),
        revoked_at=utc(row.revoked_at),
        revoked_by=row.revoked_by,
        uses=int(row.uses or 0),
        last_used_at=utc(row.last_used_at),
    )


def insert_link(conn: sa.Connection, record: LinkRecord) -> None:
    """Store a new link (the caller has checked it)."""
    conn.execute(
        sa.insert(ShareLink).values(
            id=record.id,
            label=record.label,
            agency_code=record.agency_code,
            neighbourhood_codes=json.dumps(list(record.neighbourhood_codes)),
            pages=json.dumps(list(record.pages)),
            created_by=record.created_by,
            created_at=record.created_at,
            expires_at=record.expires_at,
            revoked_at=None,
            revoked_by=None,
            uses=0,
            last_used_at=None,
        )
    )


def get_link(conn: sa.Connection, link_id: str) -> LinkRecord | None:
    """The link with this id, or None."""
    row = conn.execute(sa.select(_LINKS).where(_LINKS.c.id == link_id)).one_or_none()
    return None if row is None else _record(row)


def select_links(conn: sa.Connection, created_by: str | None = None) -> list[LinkRecord]:
    """Every link (or those `created_by` made), newest first."""
    stmt = sa.select(_LINKS).order_by(_LINKS.c.created_at.desc(), _LINKS.c.id)
    if created_by is not None:
        stmt = stmt.where(_LINKS.c.created_by == created_by)
    return [_record(row) for row in conn.execute(stmt)]


def mark_revoked(conn: sa.Connection, link_id: str, by: str, at: dt.datetime) -> bool:
    """Revoke a link that is not revoked yet; True when this call revoked it."""
    result = conn.execute(
        sa.update(ShareLink)
        .where(ShareLink.id == link_id, ShareLink.revoked_at.is_(None))
        .values(revoked_at=at, revoked_by=by)
    )
    return result.rowcount == 1


def count_use(conn: sa.Connection, link_id: str, at: dt.datetime) -> None:
    """One more use of the link, now."""
    conn.execute(
        sa.update(ShareLink)
        .where(ShareLink.id == link_id)
        .values(uses=ShareLink.uses + 1, last_used_at=at)
    )


def existing_codes(
    conn: sa.Connection, agency_codes: Sequence[str], neighbourhood_codes: Sequence[str]
) -> tuple[set[str], set[str]]:
    """Which of the given agency and neighbourhood codes exist."""
    agencies = set(
        conn.execute(sa.select(Agency.code).where(Agency.code.in_(list(agency_codes)))).scalars()
    )
    hoods = set(
        conn.execute(
            sa.select(Neighbourhood.code).where(Neighbourhood.code.in_(list(neighbourhood_codes)))
        ).scalars()
    )
    return agencies, hoods


def insert_event(conn: sa.Connection, **values: object) -> None:
    """Append one audit event (columns of `AuditEvent`)."""
    conn.execute(sa.insert(AuditEvent).values(**values))


def event_exists(conn: sa.Connection, actor: str, action: str, detail: str) -> bool:
    """True when the log already holds this actor's `action` with this `detail`."""
    stmt = sa.select(AuditEvent.id).where(
        AuditEvent.actor == actor, AuditEvent.action == action, AuditEvent.detail == detail
    )
    return conn.execute(stmt.limit(1)).first() is not None


AUDIT_COLUMNS = ("at", "actor", "role", "action", "link_id", "page", "scope", "outcome", "detail")


def select_events(
    conn: sa.Connection,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    actor: str | None = None,
    link_id: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Audit events, newest first: start ≤ at < end, optionally one actor, link or action."""
    stmt = sa.select(*(getattr(AuditEvent, c) for c in AUDIT_COLUMNS)).order_by(
        AuditEvent.at.desc(), AuditEvent.id.desc()
    )
    if start is not None:
        stmt = stmt.where(AuditEvent.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.at < end)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if link_id:
        stmt = stmt.where(AuditEvent.link_id == link_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [tuple(r) for r in conn.execute(stmt)]
    frame = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    frame["at"] = pd.Series([utc(v) for v in frame["at"]], dtype=object)
    return frame


def event_actors(conn: sa.Connection) -> list[str]:
    """Every actor that appears in the audit log, sorted."""
    stmt = sa.select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)
    return list(conn.execute(stmt).scalars())


def delete_events_before(conn: sa.Connection, cutoff: dt.datetime) -> int:
    """Delete the audit events older than `cutoff` (at < cutoff); the number deleted."""
    cutoff = cutoff.astimezone(dt.UTC)
    return conn.execute(sa.delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount
