"""Alembic migrations: a fresh database reaches the head and equals the models; round-1 databases (tables from
``create_all`` plus a ``zongjie_meta.schema_version`` marker) are upgraded in place with nothing lost."""

import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from zongjie.storage import migrate
from zongjie.storage.models import Base
from zongjie.storage.sql_store import SQLDraftStore

# What round 1 wrote (SQLAlchemy create_all on SQLite), schema marker 2; v1 lacked jobs.worker.
ROUND_ONE_DDL = """
CREATE TABLE factsheets (id VARCHAR(32) NOT NULL, unit_name VARCHAR(120) NOT NULL, unit_type VARCHAR(32) NOT NULL,
  year INTEGER NOT NULL, period VARCHAR(16) NOT NULL, data JSON NOT NULL, created_at VARCHAR(32) NOT NULL,
  updated_at VARCHAR(32) NOT NULL, PRIMARY KEY (id));
CREATE TABLE zongjie_meta ("key" VARCHAR(64) NOT NULL, value VARCHAR(200) NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE jobs (id VARCHAR(32) NOT NULL, factsheet_id VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL,
  progress JSON NOT NULL, error TEXT, draft_id VARCHAR(32), {worker} created_at VARCHAR(32) NOT NULL,
  updated_at VARCHAR(32) NOT NULL, PRIMARY KEY (id), FOREIGN KEY(factsheet_id) REFERENCES factsheets (id));
CREATE TABLE drafts (id VARCHAR(32) NOT NULL, factsheet_id VARCHAR(32) NOT NULL, job_id VARCHAR(32),
  title VARCHAR(200) NOT NULL, latest INTEGER NOT NULL, created_at VARCHAR(32) NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(factsheet_id) REFERENCES factsheets (id));
CREATE TABLE versions (id INTEGER NOT NULL, draft_id VARCHAR(32) NOT NULL, number INTEGER NOT NULL,
  data JSON NOT NULL, note VARCHAR(200) NOT NULL, created_at VARCHAR(32) NOT NULL, PRIMARY KEY (id),
  FOREIGN KEY(draft_id) REFERENCES drafts (id));
CREATE INDEX ix_versions_draft_id ON versions (draft_id);
"""

SHEET = {"unit": {"name": "青山镇总工会", "type": "township"}, "period": {"year": 2025, "kind": "annual"}}


def _round_one_database(path, version: int) -> None:
    con = sqlite3.connect(path)
    con.executescript(ROUND_ONE_DDL.format(worker="worker VARCHAR(120)," if version >= 2 else ""))
    now = "2025-12-01T08:00:00+00:00"
    con.execute("INSERT INTO zongjie_meta VALUES ('schema_version', ?)", (str(version),))
    con.execute(
        "INSERT INTO factsheets VALUES ('fs1', '青山镇总工会', 'township', 2025, 'annual', ?, ?, ?)",
        (json.dumps(SHEET, ensure_ascii=False), now, now),
    )
    con.execute(
        "INSERT INTO jobs (id, factsheet_id, status, progress, error, draft_id, created_at, updated_at) "
        "VALUES ('job1', 'fs1', 'done', '{}', NULL, 'd1', ?, ?)",
        (now, now),
    )
    con.execute("INSERT INTO drafts VALUES ('d1', 'fs1', 'job1', '青山镇总工会2025年工作总结', 2, ?)", (now,))
    for n in (1, 2):
        data = json.dumps({"title": "青山镇总工会2025年工作总结", "n": n}, ensure_ascii=False)
        con.execute(
            "INSERT INTO versions (draft_id, number, data, note, created_at) VALUES ('d1', ?, ?, ?, ?)",
            (n, data, "初稿" if n == 1 else "编辑", now),
        )
    con.commit()
    con.close()


def _schema_diff(url: str) -> list:
    with create_engine(url).connect() as conn:
        opts = {"compare_type": True, "include_name": migrate.include_name}
        return compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)


def test_one_head():
    assert migrate.head()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'fresh.db'}"


def test_fresh_database_reaches_the_head_and_equals_the_models(fresh_url):
    url = fresh_url
    SQLDraftStore(url)
    with create_engine(url).connect() as conn:
        assert migrate.current(conn) == migrate.head()
    assert _schema_diff(url) == [], "a model changed without a migration: run `zongjie db revision -m …`"
    SQLDraftStore(url)  # idempotent: a second start changes nothing
    assert _schema_diff(url) == []


@pytest.mark.parametrize("version", [1, 2])
def test_round_one_database_is_upgraded_in_place(tmp_path, version):
    path = tmp_path / "zongjie.db"
    _round_one_database(path, version)
    store = SQLDraftStore(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert migrate.current(conn) == migrate.head()
        assert "worker" in {c["name"] for c in inspect(conn).get_columns("jobs")}
        assert conn.exec_driver_sql("SELECT count(*) FROM zongjie_meta WHERE key='schema_version'").scalar() == 0
    assert store.factsheet("fs1").data == SHEET
    job = store.job("job1")
    assert job.status == "done" and job.draft_id == "d1"
    assert [v.note for v in store.versions("d1")] == ["初稿", "编辑"]
    assert store.version("d1").data["n"] == 2
    assert store.add_version("d1", {"title": "x", "n": 3}, "再编辑") == 3  # and it keeps working
    new_job = store.create_job("fs1", worker="host:1:abc")
    assert store.job(new_job).status == "queued"
    SQLDraftStore(f"sqlite:///{path}")  # a second start is a no-op
    assert [v.number for v in store.versions("d1")] == [1, 2, 3]
    assert _schema_diff(f"sqlite:///{path}") == []


def _open(url: str) -> str:
    store = SQLDraftStore(url)
    with store.engine.connect() as conn:
        return migrate.current(conn)


def test_processes_starting_together_migrate_once(fresh_url):
    url = fresh_url
    with ProcessPoolExecutor(4) as pool:
        revisions = list(pool.map(_open, [url] * 4))
    assert revisions == [migrate.head()] * 4
    assert _schema_diff(url) == []


def test_db_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZONGJIE_")}
    env["ZONGJIE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args):
        cmd = [sys.executable, "-m", "zongjie.cli", "db", *args]
        return subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True)

    assert run("current").returncode == 1  # empty database: behind the head
    up = run("upgrade")
    assert up.returncode == 0 and migrate.head() in up.stdout
    assert run("current").returncode == 0
