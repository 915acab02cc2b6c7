"""Neighbourhood boundaries: read them for the maps, replace them all on an import."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import sqlalchemy as sa

from lib.models import Neighbourhood, NeighbourhoodBoundary
from lib.scope import Scope


def load_boundaries(conn: sa.Connection, scope: Scope = Scope()) -> list[tuple[str, dict]]:
    """(code, GeoJSON geometry) of every neighbourhood in the scope that has a shape, by code.

    A partner's neighbourhood link sees only its own neighbourhoods' shapes, as it sees only
    their rows everywhere else.
    """
    table = NeighbourhoodBoundary
    stmt = sa.select(table.neighbourhood_code, table.geometry).order_by(table.neighbourhood_code)
    if scope.neighbourhood_codes is not None:
        stmt = stmt.where(table.neighbourhood_code.in_(scope.neighbourhood_codes))
    return [(code, json.loads(text)) for code, text in conn.execute(stmt)]


def neighbourhood_names(conn: sa.Connection) -> dict[str, str]:
    """Every neighbourhood's code → name (what a boundaries file is matched against)."""
    return dict(conn.execute(sa.select(Neighbourhood.code, Neighbourhood.name)).all())


def replace_boundaries(
    conn: sa.Connection, shapes: Iterable[tuple[str, str]], at: dt.datetime
) -> int:
    """Make the stored shapes exactly `shapes` ((code, geometry JSON text)); return how many.

    Runs in the caller's transaction, so a failure leaves the earlier shapes as they were.
    """
    rows = [{"neighbourhood_code": c, "geometry": g, "imported_at": at} for c, g in shapes]
    conn.execute(sa.delete(NeighbourhoodBoundary))
    if rows:
        conn.execute(sa.insert(NeighbourhoodBoundary), rows)
    return len(rows)


def boundary_count(conn: sa.Connection) -> int:
    """How many neighbourhoods have a shape."""
    return conn.execute(sa.select(sa.func.count()).select_from(NeighbourhoodBoundary)).scalar_one()
