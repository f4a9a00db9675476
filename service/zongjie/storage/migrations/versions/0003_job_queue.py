"""job queue: job kinds, payload/result, attempts and timings; one draft per job; unique version numbers;
shared provider rate limits

Revision ID: 0003_job_queue
Revises: 0002_factsheet_revisions
Create Date: 2026-11-23 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_job_queue"
down_revision = "0002_factsheet_revisions"
branch_labels = None
depends_on = None


def _renumber_duplicate_versions() -> None:
    """Round-1 stores could give two concurrent edits the same version number: renumber such drafts' versions
    1..n in the order they were written (id), and point ``latest`` at n, so the unique constraint can hold."""
    bind = op.get_bind()
    drafts = bind.execute(
        sa.text("SELECT draft_id FROM versions GROUP BY draft_id, number HAVING count(*) > 1")
    ).scalars()
    for draft_id in sorted(set(drafts)):
        ids = list(
            bind.execute(sa.text("SELECT id FROM versions WHERE draft_id = :d ORDER BY id"), {"d": draft_id}).scalars()
        )
        for n, version_id in enumerate(ids, start=1):
            bind.execute(sa.text("UPDATE versions SET number = :n WHERE id = :i"), {"n": -n, "i": version_id})
        bind.execute(sa.text("UPDATE versions SET number = -number WHERE draft_id = :d"), {"d": draft_id})
        bind.execute(sa.text("UPDATE drafts SET latest = :n WHERE id = :d"), {"n": len(ids), "d": draft_id})


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="draft", nullable=False))
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("queued_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.Float(), nullable=True))
        batch_op.alter_column("factsheet_id", existing_type=sa.String(length=32), nullable=True)
        batch_op.create_index("ix_jobs_status_queued_at", ["status", "queued_at"], unique=False)

    _renumber_duplicate_versions()
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_versions_draft_id_number", ["draft_id", "number"])
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_drafts_job_id"), ["job_id"])

    op.create_table(
        "llm_rate_limits",
        sa.Column("endpoint", sa.String(length=300), nullable=False),
        sa.Column("tat_requests", sa.Float(), server_default="0", nullable=False),
        sa.Column("tat_tokens", sa.Float(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("endpoint", name=op.f("pk_llm_rate_limits")),
    )


def downgrade() -> None:
    op.drop_table("llm_rate_limits")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_drafts_job_id"), type_="unique")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_versions_draft_id_number", type_="unique")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_status_queued_at")
        batch_op.alter_column("factsheet_id", existing_type=sa.String(length=32), nullable=False)
        for column in ("finished_at", "started_at", "queued_at", "attempts", "result", "payload", "kind"):
            batch_op.drop_column(column)
