"""knowledge-base reviews: the text of each file as read (kb_sources) and the corrections of what was read from
each of its summaries (kb_reviews), by content hash

Revision ID: 0009_kb_reviews
Revises: 0008_keep_rates
Create Date: 2026-12-08 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_kb_reviews"
down_revision = "0008_keep_rates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_sources",
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("file_hash", name=op.f("pk_kb_sources")),
    )
    op.create_table(
        "kb_reviews",
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("piece", sa.Integer(), nullable=False),
        sa.Column("fixes", sa.JSON(), nullable=False),
        sa.Column("unit_id", sa.String(length=32), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_kb_reviews_unit_id_units")),
        sa.PrimaryKeyConstraint("file_hash", "piece", name=op.f("pk_kb_reviews")),
    )


def downgrade() -> None:
    op.drop_table("kb_reviews")
    op.drop_table("kb_sources")
