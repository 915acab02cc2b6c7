"""metric_cube: metric values kept per period, grouping and unit (lib/rollup.py)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A region overview at national scale aggregates a year of every table of its region (the
top overview: the whole country), 4-11 s of SQL. Its values per standard period are
kept here once computed, keyed by the data's version; every writer of data empties the
table in its own transaction, so a kept value is always the rows' value.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_cube",
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("grouping", sa.String(20), nullable=False),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(
            "version", "period_start", "period_end", "grouping", "limit_days", "unit"
        ),
    )


def downgrade() -> None:
    op.drop_table("metric_cube")
