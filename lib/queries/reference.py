"""Reference data: neighbourhoods, agencies, the as-of date and facts about the data set."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from lib.models import (
    Agency,
    Case,
    DatasetInfo,
    Disbursement,
    Donation,
    ImportLog,
    Neighbourhood,
    NeighbourhoodBoundary,
    OutreachVisit,
    Referral,
    SelfSufficiencyParticipant,
    Service,
)
from lib.scope import Scope

# Every date column that records something happening; the as-of date is their maximum.
_EVENT_DATES = (
    Case.discovered_on,
    Case.opened_on,
    Case.plan_on,
    Case.closed_on,
    Service.provided_on,
    Donation.received_on,
    Disbursement.paid_on,
    Referral.requested_on,
    Referral.responded_on,
    Referral.closed_on,
    OutreachVisit.visited_on,
    SelfSufficiencyParticipant.started_on,
    SelfSufficiencyParticipant.ended_on,
)


def as_of_date(conn: sa.Connection) -> dt.date | None:
    """The latest date found in the data (metrics.md "As of"), or None on an empty database."""
    parts = [sa.select(sa.func.max(col).label("d")) for col in _EVENT_DATES]
    latest = sa.select(sa.func.max(sa.union_all(*parts).subquery().c.d))
    value = conn.execute(latest).scalar()
    if isinstance(value, str):  # SQLite's max() over a union loses the column type
        value = dt.date.fromisoformat(value)
    return value


def data_version(conn: sa.Connection) -> str:
    """A token that changes when data is imported: part of every cache key of the pages
    and of the metric cube (`lib.rollup`). One tiny statement."""
    stmt = sa.select(
        sa.select(sa.func.count()).select_from(Neighbourhood).scalar_subquery(),
        sa.select(sa.func.count()).select_from(ImportLog).scalar_subquery(),
        sa.select(sa.func.max(ImportLog.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(DatasetInfo).scalar_subquery(),
        # Boundaries have their own import (no import_log row): a new one shows at once.
        sa.select(sa.func.max(NeighbourhoodBoundary.imported_at)).scalar_subquery(),
    )
    return ":".join(str(v) for v in conn.execute(stmt).one())


def load_neighbourhoods(conn: sa.Connection, scope: Scope = Scope()) -> pd.DataFrame:
    """Neighbourhoods in the scope, by code: code, name, kind, households, population,
    province_name, district_name (the region names, None where the data gives none)."""
    stmt = sa.select(
        Neighbourhood.code,
        Neighbourhood.name,
        Neighbourhood.kind,
        Neighbourhood.households,
        Neighbourhood.population,
        Neighbourhood.province_name,
        Neighbourhood.district_name,
    ).order_by(Neighbourhood.code)
    if scope.neighbourhood_codes is not None:
        stmt = stmt.where(Neighbourhood.code.in_(scope.neighbourhood_codes))
    return pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))


def load_agencies(conn: sa.Connection, scope: Scope = Scope()) -> pd.DataFrame:
    """Agencies, by code: code, name, sector, kind, neighbourhood_code."""
    stmt = sa.select(
        Agency.code, Agency.name, Agency.sector, Agency.kind, Agency.neighbourhood_code
    ).order_by(Agency.code)
    if scope.agency_code is not None:
        stmt = stmt.where(Agency.code == scope.agency_code)
    return pd.DataFrame(conn.execute(stmt).all(), columns=list(stmt.selected_columns.keys()))


def dataset_info(conn: sa.Connection) -> dict[str, str]:
    """Facts stored with the data: `city_name`, `is_demo` ('1' for demo data), `seed`, …"""
    return dict(conn.execute(sa.select(DatasetInfo.key, DatasetInfo.value)).all())


def set_dataset_info(conn: sa.Connection, **facts: str) -> None:
    """Store facts about the data set, replacing earlier values of the same keys."""
    if not facts:
        return
    conn.execute(sa.delete(DatasetInfo).where(DatasetInfo.key.in_(list(facts))))
    conn.execute(sa.insert(DatasetInfo), [{"key": k, "value": str(v)} for k, v in facts.items()])


def page_codes(conn: sa.Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every neighbourhood code and every agency code (the pages that exist), nothing else."""
    hoods = conn.execute(sa.select(Neighbourhood.code).order_by(Neighbourhood.code)).scalars()
    agencies = conn.execute(sa.select(Agency.code).order_by(Agency.code)).scalars()
    return tuple(hoods), tuple(agencies)
