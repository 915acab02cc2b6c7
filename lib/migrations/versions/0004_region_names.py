"""region names on neighbourhoods (시도명, 시군구명)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Above one city the region levels come from the code (its first 2 digits: the 시·도, its
first 5: the 시·군·구); their names travel with the neighbourhoods' rows (import-format.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("neighbourhood") as batch:
        batch.add_column(sa.Column("province_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("district_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("neighbourhood") as batch:
        batch.drop_column("district_name")
        batch.drop_column("province_name")
