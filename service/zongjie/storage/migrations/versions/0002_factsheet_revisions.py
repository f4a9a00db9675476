"""fact-sheet revisions: factsheets.revision, factsheet_revisions, versions.factsheet_revision

Every change of a fact sheet's data increments its revision and keeps that revision's data; every draft version
records the revision it was checked against. Existing sheets start at revision 1 with their current data;
existing versions record no revision (unknown), so they are re-checked against the current facts when read.

Revision ID: 0002_factsheet_revisions
Revises: 0001_baseline
Create Date: 2026-11-23 18:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_factsheet_revisions"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "factsheet_revisions",
        sa.Column("factsheet_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["factsheet_id"], ["factsheets.id"], name=op.f("fk_factsheet_revisions_factsheet_id_factsheets")
        ),
        sa.PrimaryKeyConstraint("factsheet_id", "revision", name=op.f("pk_factsheet_revisions")),
    )
    with op.batch_alter_table("factsheets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("factsheet_revision", sa.Integer(), nullable=True))
    op.execute(
        "INSERT INTO factsheet_revisions (factsheet_id, revision, data, created_at) "
        "SELECT id, 1, data, updated_at FROM factsheets"
    )


def downgrade() -> None:
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_column("factsheet_revision")
    with op.batch_alter_table("factsheets", schema=None) as batch_op:
        batch_op.drop_column("revision")
    op.drop_table("factsheet_revisions")
