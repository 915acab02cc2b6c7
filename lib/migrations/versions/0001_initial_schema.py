"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_info",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("rows_per_sheet", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "neighbourhood",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "agency",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_neighbourhood_code"), ["neighbourhood_code"], unique=False
        )

    op.create_table(
        "donation",
        sa.Column("donation_id", sa.String(length=40), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("donor_type", sa.String(length=40), nullable=False),
        sa.Column("donor_id", sa.String(length=40), nullable=True),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("amount_krw", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("donation_id"),
    )
    with op.batch_alter_table("donation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_donation_received_neighbourhood",
            ["received_on", "neighbourhood_code"],
            unique=False,
        )

    op.create_table(
        "outreach_visit",
        sa.Column("visit_id", sa.String(length=40), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("households_visited", sa.Integer(), nullable=False),
        sa.Column("households_found", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("visit_id"),
    )
    with op.batch_alter_table("outreach_visit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outreach_visit_neighbourhood_code"), ["neighbourhood_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outreach_visit_visited_on"), ["visited_on"], unique=False
        )

    op.create_table(
        "ss_participant",
        sa.Column("participant_id", sa.String(length=40), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=False),
        sa.Column("programme", sa.String(length=200), nullable=False),
        sa.Column("programme_kind", sa.String(length=40), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    with op.batch_alter_table("ss_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ss_participant_ended_on"), ["ended_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ss_participant_neighbourhood_code"), ["neighbourhood_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ss_participant_started_on"), ["started_on"], unique=False
        )

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=True),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    # The contract's key (year, neighbourhood_code, metric), with NULL (the city) folded
    # to '' because NULLs never collide in a unique index.
    op.create_index(
        "ux_target_key",
        "target",
        ["year", sa.text("coalesce(neighbourhood_code, '')"), "metric"],
        unique=True,
    )
    op.create_table(
        "welfare_case",
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("neighbourhood_code", sa.String(length=40), nullable=False),
        sa.Column("discovered_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("risk_level", sa.String(length=40), nullable=False),
        sa.Column("household_type", sa.String(length=40), nullable=False),
        sa.Column("isolated", sa.Boolean(), nullable=False),
        sa.Column("lead_agency_code", sa.String(length=40), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("plan_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_agency_code"],
            ["agency.code"],
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_code"],
            ["neighbourhood.code"],
        ),
        sa.PrimaryKeyConstraint("case_id"),
    )
    with op.batch_alter_table("welfare_case", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_neighbourhood_closed", ["neighbourhood_code", "closed_on"], unique=False
        )
        batch_op.create_index(
            "ix_case_neighbourhood_discovered",
            ["neighbourhood_code", "discovered_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_case_neighbourhood_opened", ["neighbourhood_code", "opened_on"], unique=False
        )

    op.create_table(
        "disbursement",
        sa.Column("disbursement_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("amount_krw", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["welfare_case.case_id"],
        ),
        sa.PrimaryKeyConstraint("disbursement_id"),
    )
    with op.batch_alter_table("disbursement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disbursement_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_disbursement_paid_on"), ["paid_on"], unique=False)

    op.create_table(
        "referral",
        sa.Column("referral_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("from_agency_code", sa.String(length=40), nullable=False),
        sa.Column("to_agency_code", sa.String(length=40), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["welfare_case.case_id"],
        ),
        sa.ForeignKeyConstraint(
            ["from_agency_code"],
            ["agency.code"],
        ),
        sa.ForeignKeyConstraint(
            ["to_agency_code"],
            ["agency.code"],
        ),
        sa.PrimaryKeyConstraint("referral_id"),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_from_agency_code"), ["from_agency_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_requested_on"), ["requested_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_to_agency_code"), ["to_agency_code"], unique=False
        )

    op.create_table(
        "service",
        sa.Column("service_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("provided_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("amount_krw", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agency.code"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["welfare_case.case_id"],
        ),
        sa.PrimaryKeyConstraint("service_id"),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_agency_code"), ["agency_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_provided_on"), ["provided_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_provided_on"))
        batch_op.drop_index(batch_op.f("ix_service_case_id"))
        batch_op.drop_index(batch_op.f("ix_service_agency_code"))

    op.drop_table("service")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_to_agency_code"))
        batch_op.drop_index(batch_op.f("ix_referral_requested_on"))
        batch_op.drop_index(batch_op.f("ix_referral_from_agency_code"))
        batch_op.drop_index(batch_op.f("ix_referral_case_id"))

    op.drop_table("referral")
    with op.batch_alter_table("disbursement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disbursement_paid_on"))
        batch_op.drop_index(batch_op.f("ix_disbursement_case_id"))

    op.drop_table("disbursement")
    with op.batch_alter_table("welfare_case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_neighbourhood_opened")
        batch_op.drop_index("ix_case_neighbourhood_discovered")
        batch_op.drop_index("ix_case_neighbourhood_closed")

    op.drop_table("welfare_case")
    op.drop_index("ux_target_key", table_name="target")
    op.drop_table("target")
    with op.batch_alter_table("ss_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ss_participant_started_on"))
        batch_op.drop_index(batch_op.f("ix_ss_participant_neighbourhood_code"))
        batch_op.drop_index(batch_op.f("ix_ss_participant_ended_on"))

    op.drop_table("ss_participant")
    with op.batch_alter_table("outreach_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_visit_visited_on"))
        batch_op.drop_index(batch_op.f("ix_outreach_visit_neighbourhood_code"))

    op.drop_table("outreach_visit")
    with op.batch_alter_table("donation", schema=None) as batch_op:
        batch_op.drop_index("ix_donation_received_neighbourhood")

    op.drop_table("donation")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_neighbourhood_code"))

    op.drop_table("agency")
    op.drop_table("neighbourhood")
    op.drop_table("import_log")
    op.drop_table("dataset_info")
