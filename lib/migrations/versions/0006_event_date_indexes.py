"""indexes on the event dates that had none: the data's first and as-of dates

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Every page asks for the data's as-of date (the latest date of any event, metrics.md "As
of") and its first date: a MAX or MIN over each event-date column. PostgreSQL answers a
MAX from the end of an index on the column in a few page reads; without one it scans the
table. At national scale (1.2 M cases, 380,000 referrals) the six columns below cost
0.7-1.0 s per as-of date, the largest part of a cold neighbourhood page's SQL. The other
event dates already lead an index of their own.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_welfare_case_discovered_on", "welfare_case", ["discovered_on"]),
    ("ix_welfare_case_opened_on", "welfare_case", ["opened_on"]),
    ("ix_welfare_case_plan_on", "welfare_case", ["plan_on"]),
    ("ix_welfare_case_closed_on", "welfare_case", ["closed_on"]),
    ("ix_referral_responded_on", "referral", ["responded_on"]),
    ("ix_referral_closed_on", "referral", ["closed_on"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
