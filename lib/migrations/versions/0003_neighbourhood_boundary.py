"""neighbourhood boundaries for the maps

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "neighbourhood_boundary",
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["neighbourhood_code"], ["neighbourhood.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("neighbourhood_code"),
    )


def downgrade() -> None:
    op.drop_table("neighbourhood_boundary")
