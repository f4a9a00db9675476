"""The draft store on any SQLAlchemy database (``SQLDraftStore``): fact sheets, jobs, drafts and their versions.

Contract: implements ``DraftStore`` (``draft_store.py``) — every write committed before the method returns, ids
opaque, versions immutable — on a SQLite file by default or PostgreSQL by URL; an in-memory SQLite URL gets a scratch
file instead. The tables are in ``models.py``; the constructor migrates the database to the newest Alembic revision
(``migrate.upgrade``: idempotent, one process at a time, round-1 databases adopted in place). Unknown ids raise
``NotFound`` naming the thing in Chinese.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import weakref
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import CursorResult, create_engine, event, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from ..common.errors import NotFound
from . import migrate
from .draft_store import DraftStore
from .models import DraftRow, FactSheetRevisionRow, FactSheetRow, JobRow, VersionRow
from .records import Outdated, QueueStats, StoredDraft, StoredFactSheet, StoredJob, StoredVersion, new_id


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_WHAT = {
    FactSheetRow: "这份事实表",
    FactSheetRevisionRow: "这份事实表的这个版本",
    JobRow: "这个起草任务",
    DraftRow: "这份草稿",
}


def _interrupted(kind: str, progress: dict) -> tuple[str, dict]:
    return "服务重启，任务被中断，请重新提交", progress


def _row(session: Session, model, key, **kwargs):
    """The row with this primary key, or NotFound (naming what is missing in Chinese)."""
    row = session.get(model, key, **kwargs)
    if row is None:
        raise NotFound(_WHAT[model], key)
    return row


IN_MEMORY_SQLITE = ("sqlite://", "sqlite:///:memory:")


def _scratch_sqlite() -> tuple[str, str]:
    """``(url, folder)``: a SQLite file in a new temporary folder (the caller removes the folder).

    Why not an in-memory database: the web process uses its store from several threads at once (requests and the
    in-process job runner), and each needs its own connection and transaction. A ``:memory:`` database lives in a
    single connection, so sharing it means one connection (``StaticPool``) for every thread — their transactions
    mix (a request's INSERT inside a job's open transaction: "cannot start a transaction within a transaction"),
    which SQLAlchemy documents as unsupported for any concurrency. A file gives every thread its own connection
    from the pool, with WAL and the busy timeout, exactly like the ``sql`` store."""
    folder = tempfile.mkdtemp(prefix="zongjie-store-")
    return f"sqlite:///{Path(folder) / 'zongjie.db'}", folder


class SQLDraftStore(DraftStore):
    """The draft store on any SQLAlchemy database. Thread-safe: every call opens its own session, and each
    session takes its own connection from the engine's pool (never one connection shared between threads). An
    in-memory SQLite URL (``sqlite://``) is given a scratch file instead (see ``_scratch_sqlite``), removed when
    the engine is collected or the process exits."""

    def __init__(self, url: str):
        kwargs: dict = {}
        scratch = None
        if url in IN_MEMORY_SQLITE:
            url, scratch = _scratch_sqlite()
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine = create_engine(url, **kwargs)
        if scratch is not None:  # the engine, not the store: account and review stores share it
            weakref.finalize(self.engine, shutil.rmtree, scratch, ignore_errors=True)
        if url.startswith("sqlite"):

            @event.listens_for(self.engine, "connect")
            def _pragmas(conn, _record):
                cur = conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self.create_schema()

    def create_schema(self) -> None:
        """Bring the database to the newest Alembic revision (see ``storage/migrate.py``)."""
        migrate.upgrade(self.engine)

    def healthy(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1

    # fact sheets
    def save_factsheet(self, data: dict, factsheet_id: str | None = None) -> str:
        now = _now()
        with self.Session.begin() as s:
            row = _row(s, FactSheetRow, factsheet_id, with_for_update=True) if factsheet_id else None
            data = json.loads(json.dumps(data, ensure_ascii=False))
            if row is None:
                row = FactSheetRow(id=new_id(), created_at=now, revision=1)
                s.add(row)
            elif row.data == data:
                return row.id
            else:
                row.revision = (row.revision or 1) + 1
            row.data = data
            row.unit_name = data["unit"]["name"]
            row.unit_type = data["unit"]["type"]
            row.year = int(data["period"]["year"])
            row.period = data["period"].get("kind", "annual")
            row.updated_at = now
            s.flush()
            s.add(FactSheetRevisionRow(factsheet_id=row.id, revision=row.revision, data=data, created_at=now))
            return row.id

    def _fs(self, row: FactSheetRow) -> StoredFactSheet:
        return StoredFactSheet(row.id, row.data, row.unit_name, row.year, row.period, row.updated_at, row.revision or 1)

    def factsheet(self, factsheet_id: str) -> StoredFactSheet:
        with self.Session() as s:
            return self._fs(_row(s, FactSheetRow, factsheet_id))

    def factsheets(self) -> list[StoredFactSheet]:
        with self.Session() as s:
            rows = s.scalars(select(FactSheetRow).order_by(FactSheetRow.updated_at.desc())).all()
            return [self._fs(r) for r in rows]

    def factsheet_revision(self, factsheet_id: str, revision: int) -> dict:
        with self.Session() as s:
            return _row(s, FactSheetRevisionRow, (factsheet_id, revision)).data

    # jobs
    def create_job(
        self, factsheet_id: str | None, worker: str | None = None, *, kind: str = "draft", payload: dict | None = None
    ) -> str:
        if factsheet_id is not None:
            self.factsheet(factsheet_id)
        now = _now()
        with self.Session.begin() as s:
            row = JobRow(
                id=new_id(),
                kind=kind,
                factsheet_id=factsheet_id,
                payload=payload,
                status="queued",
                progress={},
                attempts=0,
                queued_at=time.time(),
                created_at=now,
                updated_at=now,
                worker=worker,
            )
            s.add(row)
            return row.id

    def update_job(self, job_id: str, attempt: int | None = None, **fields) -> bool:
        with self.Session.begin() as s:
            if attempt is None:
                row = _row(s, JobRow, job_id)
                for k, v in fields.items():
                    setattr(row, k, v)
                row.updated_at = _now()
                return True
            fenced = update(JobRow).where(JobRow.id == job_id, JobRow.attempts == attempt, JobRow.status == "running")
            result = s.execute(fenced.values(updated_at=_now(), **fields))
            assert isinstance(result, CursorResult)  # an UPDATE's result, typed as any Result by the Session
            return result.rowcount == 1

    def claim_job(self, job_id: str, worker: str) -> int | None:
        with self.Session.begin() as s:
            return s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status.in_(("queued", "running")))
                .values(
                    status="running",
                    worker=worker,
                    attempts=JobRow.attempts + 1,
                    started_at=func.coalesce(JobRow.started_at, time.time()),
                    updated_at=_now(),
                )
                .returning(JobRow.attempts)
            ).scalar()

    def finish_job(
        self,
        job_id: str,
        attempt: int,
        status: str,
        *,
        error: str | None = None,
        draft: dict | None = None,
        note: str = "初稿",
        result: dict | None = None,
        factsheet_revision: int | None = None,
    ) -> bool:
        with self.Session.begin() as s:
            ended = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.attempts == attempt, JobRow.status == "running")
                .values(status=status, error=error, result=result, finished_at=time.time(), updated_at=_now())
                .returning(JobRow.factsheet_id)
            ).first()
            if ended is None:
                return False
            if draft is not None:
                if ended[0] is None:
                    raise ValueError(f"job {job_id} has no fact sheet to store a draft for")
                draft_id = self._add_draft(s, ended[0], job_id, draft, note, factsheet_revision)
                s.execute(update(JobRow).where(JobRow.id == job_id).values(draft_id=draft_id))
            return True

    def job(self, job_id: str) -> StoredJob:
        with self.Session() as s:
            row = _row(s, JobRow, job_id)
            return StoredJob(
                row.id,
                row.factsheet_id,
                row.status,
                row.progress or {},
                row.error,
                row.draft_id,
                row.created_at,
                row.updated_at,
                kind=row.kind,
                payload=row.payload,
                result=row.result,
                worker=row.worker,
                attempts=row.attempts,
                queued_at=row.queued_at,
                started_at=row.started_at,
                finished_at=row.finished_at,
            )

    def queue_position(self, job_id: str) -> int | None:
        with self.Session() as s:
            row = _row(s, JobRow, job_id)
            if row.status != "queued" or row.queued_at is None:
                return None
            earlier = (JobRow.queued_at < row.queued_at) | ((JobRow.queued_at == row.queued_at) & (JobRow.id < row.id))
            ahead = s.scalar(select(func.count()).select_from(JobRow).where(JobRow.status == "queued", earlier))
            return int(ahead or 0) + 1

    def queue_stats(self, recent: int = 50, within: float = 900) -> QueueStats:
        with self.Session() as s:
            counts = dict(
                s.execute(
                    select(JobRow.status, func.count())
                    .where(JobRow.status.in_(("queued", "running")))
                    .group_by(JobRow.status)
                ).all()
            )
            done = s.execute(
                select(JobRow.started_at, JobRow.finished_at)
                .where(
                    JobRow.status == "done",
                    JobRow.finished_at >= time.time() - within,
                    JobRow.started_at.is_not(None),
                )
                .order_by(JobRow.finished_at.desc())
                .limit(recent)
            ).all()
            return QueueStats(
                counts.get("queued", 0),
                counts.get("running", 0),
                [(a, b) for a, b in done if a is not None and b is not None],
            )

    def interrupt_unfinished_jobs(self, is_dead=lambda worker: True, ending=None) -> int:
        with self.Session.begin() as s:
            rows = s.scalars(select(JobRow).where(JobRow.status.in_(("queued", "running")))).all()
            rows = [r for r in rows if is_dead(r.worker)]
            for row in rows:
                error, progress = (ending or _interrupted)(row.kind, row.progress or {})
                row.status = "interrupted"
                row.error = error
                row.progress = progress
                row.updated_at = _now()
            return len(rows)

    # drafts and versions
    def create_draft(
        self, factsheet_id: str, job_id: str | None, data: dict, note: str, factsheet_revision: int | None = None
    ) -> str:
        with self.Session.begin() as s:
            return self._add_draft(s, factsheet_id, job_id, data, note, factsheet_revision)

    @staticmethod
    def _add_draft(
        s: Session, factsheet_id: str, job_id: str | None, data: dict, note: str, factsheet_revision: int | None
    ) -> str:
        now = _now()
        title = data.get("title", "")
        row = DraftRow(id=new_id(), factsheet_id=factsheet_id, job_id=job_id, title=title, latest=1, created_at=now)
        s.add(row)
        s.flush()
        s.add(
            VersionRow(
                draft_id=row.id,
                number=1,
                data=data,
                note=note,
                factsheet_revision=factsheet_revision,
                created_at=now,
            )
        )
        return row.id

    def add_version(
        self,
        draft_id: str,
        data: dict,
        note: str,
        factsheet_revision: int | None = None,
        expect_latest: int | None = None,
    ) -> int:
        with self.Session.begin() as s:
            # one atomic increment (a row lock on PostgreSQL, the write lock on SQLite): no two edits share a number;
            # with expect_latest it only happens while that is still the latest number
            cond = [DraftRow.id == draft_id]
            if expect_latest is not None:
                cond.append(DraftRow.latest == expect_latest)
            values: dict = {"latest": DraftRow.latest + 1}
            if data.get("title"):
                values["title"] = data["title"]
            number = s.execute(update(DraftRow).where(*cond).values(**values).returning(DraftRow.latest)).scalar()
            if number is None:
                raise Outdated(_row(s, DraftRow, draft_id).latest)  # NotFound when the draft does not exist
            s.add(
                VersionRow(
                    draft_id=draft_id,
                    number=number,
                    data=data,
                    note=note,
                    factsheet_revision=factsheet_revision,
                    created_at=_now(),
                )
            )
            return number

    def _draft(self, row: DraftRow) -> StoredDraft:
        return StoredDraft(row.id, row.factsheet_id, row.job_id, row.title, row.latest, row.created_at)

    def draft(self, draft_id: str) -> StoredDraft:
        with self.Session() as s:
            return self._draft(_row(s, DraftRow, draft_id))

    def drafts(self, factsheet_id: str | None = None) -> list[StoredDraft]:
        with self.Session() as s:
            q = select(DraftRow).order_by(DraftRow.created_at.desc())
            if factsheet_id:
                q = q.where(DraftRow.factsheet_id == factsheet_id)
            return [self._draft(r) for r in s.scalars(q).all()]

    def version(self, draft_id: str, number: int | None = None) -> StoredVersion:
        with self.Session() as s:
            if number is None:
                number = self.draft(draft_id).latest
            row = s.scalars(
                select(VersionRow).where(VersionRow.draft_id == draft_id, VersionRow.number == number)
            ).first()
            if row is None:
                raise NotFound("这份草稿的这个版本", f"{draft_id} v{number}")
            return StoredVersion(draft_id, row.number, row.data, row.note, row.created_at, row.factsheet_revision)

    def versions(self, draft_id: str) -> list[StoredVersion]:
        self.draft(draft_id)
        with self.Session() as s:
            rows = s.scalars(
                select(VersionRow).where(VersionRow.draft_id == draft_id).order_by(VersionRow.number)
            ).all()
            return [StoredVersion(draft_id, r.number, r.data, r.note, r.created_at, r.factsheet_revision) for r in rows]
