"""indexes for narrow scopes at national scale

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

A district's page (17 of 3,502 neighbourhoods) reads the rows of its neighbourhoods'
cases. Without these, PostgreSQL scanned a year of services, disbursements, referrals
and donations of the whole country and threw almost all away. With them it starts from
the district's cases (`neighbourhood_code, case_id`, index-only) and looks up each
case's rows in P (`case_id, date`); a region's donations are one index range.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_case_neighbourhood_case", "welfare_case", ["neighbourhood_code", "case_id"]),
    ("ix_donation_neighbourhood_received", "donation", ["neighbourhood_code", "received_on"]),
    ("ix_service_case_provided", "service", ["case_id", "provided_on"]),
    ("ix_disbursement_case_paid", "disbursement", ["case_id", "paid_on", "amount_krw"]),
    ("ix_referral_case_requested", "referral", ["case_id", "requested_on"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
