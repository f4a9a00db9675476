"""Bring a database to the newest schema with Alembic; adopt round-1 databases that predate Alembic.

``upgrade(engine)`` is called wherever the service opens its database (``SQLDraftStore`` — so ``zongjie serve``,
``zongjie worker`` and every test — and ``zongjie db upgrade``). It is idempotent and safe when several
processes start at once: on PostgreSQL they take turns on an advisory lock, on a SQLite file on a lock file
next to it.

Round-1 databases (tables made by ``create_all`` and a ``zongjie_meta.schema_version`` marker, no
``alembic_version``) are adopted in place: schema version 1 gets the ``jobs.worker`` column it lacked, the
marker is removed, and the database is stamped at the baseline revision, after which the ordinary migrations
run. Nothing stored is rewritten.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
ADVISORY_LOCK_KEY = 0x5A4F4E474A4945  # "ZONGJIE": one lock id for migrations on a shared PostgreSQL


def include_name(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """What Alembic compares with the models: everything but procrastinate's own tables (migration 0003)."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration (no ini file needed); ``url`` is used only when no connection is passed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head() -> str:
    """The newest revision in ``migrations/versions`` (there must be exactly one head)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads {heads}: re-point your down_revision at the head")
    return heads[0]


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision`` (adopting a round-1 database first)."""
    with _exclusive(engine), engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # batch migrations copy tables; SQLite checks foreign keys only outside a transaction
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg = alembic_config()
                cfg.attributes["connection"] = conn
                if _is_round_one(conn):
                    _adopt_round_one(conn)
                    command.stamp(cfg, BASELINE)
                if current(conn) != head() or revision != "head":
                    command.upgrade(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("a migration left rows pointing at missing rows (PRAGMA foreign_key_check)")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _is_round_one(conn: Connection) -> bool:
    tables = set(inspect(conn).get_table_names())
    return "alembic_version" not in tables and "factsheets" in tables


def _adopt_round_one(conn: Connection) -> None:
    """Round-1 schema v1 lacked ``jobs.worker``; v2 equals the baseline. The marker goes (Alembic keeps it now)."""
    columns = {c["name"] for c in inspect(conn).get_columns("jobs")}
    if "worker" not in columns:
        conn.execute(text("ALTER TABLE jobs ADD COLUMN worker VARCHAR(120)"))
    if "zongjie_meta" in inspect(conn).get_table_names():
        conn.execute(text("DELETE FROM zongjie_meta WHERE key = 'schema_version'"))
    else:
        conn.execute(
            text("CREATE TABLE zongjie_meta (key VARCHAR(64) NOT NULL PRIMARY KEY, value VARCHAR(200) NOT NULL)")
        )
    log.info("adopted a round-1 database (schema marker → Alembic %s)", BASELINE)


@contextlib.contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    """One migrating process at a time per database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock_conn:
            lock_conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
            lock_conn.commit()
            try:
                yield
            finally:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                lock_conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".migrate-lock"), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
