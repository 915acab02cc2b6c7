"""Typed SQLAlchemy models: one table per sheet of the import contract.

Column names are the contract's English column names, so an import, an export and a
query all speak the same words. Enumerations are stored as their Korean value
(see `lib.enums`). Indexes follow what the metrics filter on (dates) and group by
(neighbourhood, case, agency).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so


class Base(so.DeclarativeBase):
    pass


# Short names for the column types used throughout.
Code = sa.String(40)
Label = sa.String(200)
Enum = sa.String(40)


class Neighbourhood(Base):
    """읍면동: a neighbourhood of the city with its own welfare centre."""

    __tablename__ = "neighbourhood"

    code: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    name: so.Mapped[str] = so.mapped_column(Label)
    kind: so.Mapped[str] = so.mapped_column(Enum)
    households: so.Mapped[int] = so.mapped_column(sa.Integer)
    population: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    # Above one city: the names of its 시·도 (code[:2]) and 시·군·구 (code[:5]); lib.regions.
    province_name: so.Mapped[str | None] = so.mapped_column(Label)
    district_name: so.Mapped[str | None] = so.mapped_column(Label)


class Agency(Base):
    """협업기관: a partner agency of the case-sharing network."""

    __tablename__ = "agency"

    code: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    name: so.Mapped[str] = so.mapped_column(Label)
    sector: so.Mapped[str] = so.mapped_column(Enum)
    kind: so.Mapped[str] = so.mapped_column(Enum)
    neighbourhood_code: so.Mapped[str | None] = so.mapped_column(
        sa.ForeignKey(Neighbourhood.code), index=True
    )


class Case(Base):
    """사례: one household identified in crisis, under a pseudonymous case number."""

    __tablename__ = "welfare_case"  # "case" is an SQL keyword

    case_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    neighbourhood_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Neighbourhood.code))
    # The event dates each lead an index of their own (migration 0006): the data's first
    # and as-of dates (lib.queries.reference) are then a MIN or MAX read from an index end.
    discovered_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    channel: so.Mapped[str] = so.mapped_column(Enum)
    risk_level: so.Mapped[str] = so.mapped_column(Enum)
    household_type: so.Mapped[str] = so.mapped_column(Enum)
    isolated: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    lead_agency_code: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey(Agency.code))
    opened_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    plan_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    closed_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    close_reason: so.Mapped[str | None] = so.mapped_column(Enum)

    __table_args__ = (
        sa.Index("ix_case_neighbourhood_discovered", "neighbourhood_code", "discovered_on"),
        sa.Index("ix_case_neighbourhood_opened", "neighbourhood_code", "opened_on"),
        sa.Index("ix_case_neighbourhood_closed", "neighbourhood_code", "closed_on"),
        # A region's cases without their rows (index-only): where a narrow scope's joins
        # to services, disbursements and referrals start (migration 0005).
        sa.Index("ix_case_neighbourhood_case", "neighbourhood_code", "case_id"),
    )


class Service(Base):
    """서비스제공: one service delivered to a case by an agency."""

    __tablename__ = "service"

    service_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    case_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Case.case_id), index=True)
    agency_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Agency.code), index=True)
    provided_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    category: so.Mapped[str] = so.mapped_column(Enum)
    amount_krw: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)

    # A case's services in P, read from the index alone (a narrow scope's nested loop).
    __table_args__ = (sa.Index("ix_service_case_provided", "case_id", "provided_on"),)


class Donation(Base):
    """후원: a donation raised in a neighbourhood, or city-wide when it has none."""

    __tablename__ = "donation"

    donation_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    neighbourhood_code: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey(Neighbourhood.code))
    received_on: so.Mapped[dt.date] = so.mapped_column(sa.Date)
    donor_type: so.Mapped[str] = so.mapped_column(Enum)
    donor_id: so.Mapped[str | None] = so.mapped_column(Code)
    form: so.Mapped[str] = so.mapped_column(Enum)
    amount_krw: so.Mapped[int] = so.mapped_column(sa.BigInteger)

    __table_args__ = (
        sa.Index("ix_donation_received_neighbourhood", "received_on", "neighbourhood_code"),
        # A few neighbourhoods' donations in P (a region's page) without the year's others.
        sa.Index("ix_donation_neighbourhood_received", "neighbourhood_code", "received_on"),
    )


class Disbursement(Base):
    """후원금지원: donated money given to a case."""

    __tablename__ = "disbursement"

    disbursement_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    case_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Case.case_id), index=True)
    paid_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    purpose: so.Mapped[str] = so.mapped_column(Enum)
    amount_krw: so.Mapped[int] = so.mapped_column(sa.BigInteger)

    # A case's money given in P, read from the index alone (a narrow scope's nested loop).
    __table_args__ = (sa.Index("ix_disbursement_case_paid", "case_id", "paid_on", "amount_krw"),)


class Referral(Base):
    """사례공유: one agency referring a case to another, with its status."""

    __tablename__ = "referral"

    referral_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    case_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Case.case_id), index=True)
    from_agency_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Agency.code), index=True)
    to_agency_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey(Agency.code), index=True)
    requested_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    status: so.Mapped[str] = so.mapped_column(Enum)
    responded_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    closed_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    reason: so.Mapped[str | None] = so.mapped_column(Enum)

    # A case's referrals that may count in P, without the others (a narrow scope).
    __table_args__ = (sa.Index("ix_referral_case_requested", "case_id", "requested_on"),)


class OutreachVisit(Base):
    """찾아가는방문: an outreach round in a neighbourhood (e.g. 달행이)."""

    __tablename__ = "outreach_visit"

    visit_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    neighbourhood_code: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey(Neighbourhood.code), index=True
    )
    visited_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    households_visited: so.Mapped[int] = so.mapped_column(sa.Integer)
    households_found: so.Mapped[int] = so.mapped_column(sa.Integer)


class SelfSufficiencyParticipant(Base):
    """자활참여: a participant in a self-sufficiency programme."""

    __tablename__ = "ss_participant"

    participant_id: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    neighbourhood_code: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey(Neighbourhood.code), index=True
    )
    programme: so.Mapped[str] = so.mapped_column(Label)
    programme_kind: so.Mapped[str] = so.mapped_column(Enum)
    started_on: so.Mapped[dt.date] = so.mapped_column(sa.Date, index=True)
    ended_on: so.Mapped[dt.date | None] = so.mapped_column(sa.Date, index=True)
    outcome: so.Mapped[str | None] = so.mapped_column(Enum)


class Target(Base):
    """목표: a yearly target for a metric, for a neighbourhood or (no code) the city."""

    __tablename__ = "target"

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    year: so.Mapped[int] = so.mapped_column(sa.Integer)
    neighbourhood_code: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey(Neighbourhood.code))
    metric: so.Mapped[str] = so.mapped_column(sa.String(60))
    value: so.Mapped[float] = so.mapped_column(sa.Float)

    # The contract's key is (year, neighbourhood_code, metric) with an empty code for the
    # city; NULLs never collide in a unique index, so the index folds NULL to ''.
    __table_args__ = (
        sa.Index(
            "ux_target_key",
            "year",
            sa.func.coalesce(sa.literal_column("neighbourhood_code"), ""),
            "metric",
            unique=True,
        ),
    )


class DatasetInfo(Base):
    """Facts about the data set as a whole: its city's name, whether it is a demo."""

    __tablename__ = "dataset_info"

    key: so.Mapped[str] = so.mapped_column(sa.String(60), primary_key=True)
    value: so.Mapped[str] = so.mapped_column(sa.Text)


class MetricCube(Base):
    """Metric values kept per period, grouping and unit (`lib.rollup`): what
    `compute_metrics` computed from the rows for that data version, as JSON."""

    __tablename__ = "metric_cube"

    version: so.Mapped[str] = so.mapped_column(sa.String(200), primary_key=True)
    period_start: so.Mapped[dt.date] = so.mapped_column(sa.Date, primary_key=True)
    period_end: so.Mapped[dt.date] = so.mapped_column(sa.Date, primary_key=True)
    grouping: so.Mapped[str] = so.mapped_column(sa.String(20), primary_key=True)
    limit_days: so.Mapped[int] = so.mapped_column(sa.Integer, primary_key=True)
    unit: so.Mapped[str] = so.mapped_column(Code, primary_key=True)
    data: so.Mapped[str] = so.mapped_column(sa.Text)  # JSON {metric key: value}


class ImportLog(Base):
    """One import run: when, who, which file, what it held, and how it ended."""

    __tablename__ = "import_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    imported_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime(timezone=True))
    imported_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    file_name: so.Mapped[str] = so.mapped_column(sa.String(500))
    content_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    mode: so.Mapped[str] = so.mapped_column(sa.String(20))  # upsert | replace
    rows_per_sheet: so.Mapped[str] = so.mapped_column(sa.Text)  # JSON {sheet: rows}
    outcome: so.Mapped[str] = so.mapped_column(sa.String(20))  # ok | rejected | failed
    problem_count: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class ShareLink(Base):
    """A partner's share link: its scope, pages, expiry, who made it, and how it was used.

    The token handed out is signed and carries only `id`; everything else is read from
    here on every use, so a link can be revoked and its use counted.
    """

    __tablename__ = "share_link"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    label: so.Mapped[str] = so.mapped_column(Label)
    agency_code: so.Mapped[str | None] = so.mapped_column(Code)
    neighbourhood_codes: so.Mapped[str | None] = so.mapped_column(sa.Text)  # JSON list
    pages: so.Mapped[str] = so.mapped_column(sa.Text)  # JSON list of page kinds
    created_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime(timezone=True))
    expires_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime(timezone=True))
    revoked_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    revoked_by: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    uses: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    last_used_at: so.Mapped[dt.datetime | None] = so.mapped_column(sa.DateTime(timezone=True))


class AuditEvent(Base):
    """One audited event: who (a user, a link or the CLI) did what, where, and how it ended.

    Never a household's data: `page`, `scope` and `detail` hold page paths, codes and
    counts only.
    """

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_at", "at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=True)
    at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime(timezone=True))
    actor: so.Mapped[str] = so.mapped_column(sa.String(200))  # e-mail, or "cli:NAME"
    role: so.Mapped[str] = so.mapped_column(sa.String(20))  # admin|staff|partner|anonymous|cli
    action: so.Mapped[str] = so.mapped_column(sa.String(40))
    link_id: so.Mapped[str | None] = so.mapped_column(sa.String(32), index=True)
    page: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    scope: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    outcome: so.Mapped[str] = so.mapped_column(sa.String(20))  # ok | denied | expired | …
    detail: so.Mapped[str | None] = so.mapped_column(sa.String(500))


class NeighbourhoodBoundary(Base):
    """A neighbourhood's shape for the maps, from the city's 행정동 GeoJSON (`lib.geo`).

    Not part of the import workbook: its own import (`python -m lib.cli boundaries import`,
    the data page) replaces every row at once. `geometry` is a simplified GeoJSON Polygon
    or MultiPolygon as compact JSON text. A neighbourhood that an import deletes takes its
    shape with it (ON DELETE CASCADE).
    """

    __tablename__ = "neighbourhood_boundary"

    neighbourhood_code: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey(Neighbourhood.code, ondelete="CASCADE"), primary_key=True
    )
    geometry: so.Mapped[str] = so.mapped_column(sa.Text)
    imported_at: so.Mapped[dt.datetime] = so.mapped_column(sa.DateTime(timezone=True))


class AppSecret(Base):
    """Secrets the app generates for itself (open mode's share-link key when none is set)."""

    __tablename__ = "app_secret"

    name: so.Mapped[str] = so.mapped_column(sa.String(60), primary_key=True)
    value: so.Mapped[str] = so.mapped_column(sa.Text)


# The data tables in dependency order (parents first): imports, exports and the demo
# builder write in this order and delete in the reverse.
DATA_TABLES: tuple[sa.Table, ...] = tuple(
    m.__table__
    for m in (
        Neighbourhood,
        Agency,
        Case,
        Service,
        Donation,
        Disbursement,
        Referral,
        OutreachVisit,
        SelfSufficiencyParticipant,
        Target,
    )
)
