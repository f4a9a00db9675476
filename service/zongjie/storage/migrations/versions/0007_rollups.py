"""roll-ups: indicator lists, fact-sheet approvals, remembered near-match confirmations, roll-ups (issue 26)

Revision ID: 0007_rollups
Revises: 0006_accounts
Create Date: 2026-12-08 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_rollups"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_lists",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("published_by", sa.String(length=32), nullable=True),
        sa.Column("published_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_indicator_lists_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_lists")),
        sa.UniqueConstraint("unit_id", "year", "period", name="uq_indicator_lists_unit_period"),
    )
    op.create_table(
        "factsheet_approvals",
        sa.Column("factsheet_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        sa.Column("approved_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["factsheet_id"], ["factsheets.id"], name=op.f("fk_factsheet_approvals_factsheet_id_factsheets")
        ),
        sa.PrimaryKeyConstraint("factsheet_id", name=op.f("pk_factsheet_approvals")),
    )
    op.create_table(
        "rollup_confirmations",
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("target_key", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_rollup_confirmations_unit_id_units")),
        sa.PrimaryKeyConstraint("unit_id", "source_key", name=op.f("pk_rollup_confirmations")),
    )
    op.create_table(
        "rollups",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("factsheet_id", sa.String(length=32), nullable=True),
        sa.Column("uploads", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["factsheet_id"], ["factsheets.id"], name=op.f("fk_rollups_factsheet_id_factsheets")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_rollups_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollups")),
    )
    with op.batch_alter_table("rollups", schema=None) as batch_op:
        batch_op.create_index("ix_rollups_unit_id_year", ["unit_id", "year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_rollups_unit_id_year")
    op.drop_table("rollups")
    op.drop_table("rollup_confirmations")
    op.drop_table("factsheet_approvals")
    op.drop_table("indicator_lists")
