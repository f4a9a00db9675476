"""procrastinate's tables and functions (PostgreSQL only: the job queue of team deployments)

procrastinate ships its schema as SQL (``procrastinate/sql/schema.sql``); this revision applies the schema of the
pinned version (pyproject: procrastinate 3.10.x). Upgrading procrastinate = a new revision that runs the SQL
files it adds under ``procrastinate/sql/migrations/`` (its release notes name them). SQLite databases use the
in-process runner and get nothing here.

Revision ID: 0004_procrastinate
Revises: 0003_job_queue
Create Date: 2026-11-23 18:20:00
"""

from importlib.resources import files

from alembic import op

revision = "0004_procrastinate"
down_revision = "0003_job_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is None:
        schema = files("procrastinate.sql").joinpath("schema.sql").read_text(encoding="utf-8")
        driver = bind.connection.driver_connection  # psycopg, no parameters: the SQL goes as written
        assert driver is not None  # a live connection's DBAPI connection
        driver.execute(schema)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    for table in (
        "procrastinate_events",
        "procrastinate_periodic_defers",
        "procrastinate_jobs",
        "procrastinate_workers",
    ):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE p.proname LIKE 'procrastinate%%' AND n.nspname = current_schema()"
    ).scalars()
    for signature in list(functions):
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for kind in ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status"):
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS {kind} CASCADE")
