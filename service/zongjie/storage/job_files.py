"""Files handed to a job (uploads to ingest), kept in the job's database until the job ends.

Why the database: with the PostgreSQL queue the job runs in a ``zongjie worker`` process, possibly on another host,
which cannot see the web process's temporary files; the database is the storage both share (and it is in every
backup). Contract: ``put_job_files(store, job_id, files)`` stores ``(name, bytes)`` pairs in order (committed
before it returns, so the job may be queued right after); ``job_files(store, job_id)`` returns them in that order;
``job_file_names`` lists ``(n, name)`` without the bytes and ``job_file_data`` reads one (a job holding many large
files reads them one at a time); ``drop_job_files(store, job_id)`` deletes them (the job runner does, once the job
has ended in any state); ``drop_finished_job_files(store)`` deletes the files of every job that has ended (a
process stopped before it could, or the job was marked interrupted at a restart) — the queue calls it at start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CursorResult, delete, select

from .draft_store import DraftStore
from .models import JobFileRow, JobRow
from .sql_store import SQLDraftStore


@dataclass
class JobFile:
    name: str
    data: bytes


def _sql(store: DraftStore) -> SQLDraftStore:
    if not isinstance(store, SQLDraftStore):
        raise TypeError("job files need a SQL store")
    return store


def put_job_files(store: DraftStore, job_id: str, files: list[tuple[str, bytes]]) -> None:
    with _sql(store).Session.begin() as s:
        for n, (name, data) in enumerate(files, start=1):
            s.add(JobFileRow(job_id=job_id, n=n, name=name[:300], size=len(data), data=data))


def job_files(store: DraftStore, job_id: str) -> list[JobFile]:
    with _sql(store).Session() as s:
        rows = s.execute(select(JobFileRow).where(JobFileRow.job_id == job_id).order_by(JobFileRow.n)).scalars()
        return [JobFile(r.name, r.data) for r in rows]


def job_file_names(store: DraftStore, job_id: str) -> list[tuple[int, str]]:
    with _sql(store).Session() as s:
        rows = s.execute(
            select(JobFileRow.n, JobFileRow.name).where(JobFileRow.job_id == job_id).order_by(JobFileRow.n)
        )
        return [(n, name) for n, name in rows]


def job_file_data(store: DraftStore, job_id: str, n: int) -> bytes:
    with _sql(store).Session() as s:
        data = s.execute(select(JobFileRow.data).where(JobFileRow.job_id == job_id, JobFileRow.n == n)).scalar()
        if data is None:
            raise KeyError((job_id, n))
        return bytes(data)


def drop_job_files(store: DraftStore, job_id: str) -> None:
    with _sql(store).Session.begin() as s:
        s.execute(delete(JobFileRow).where(JobFileRow.job_id == job_id))


FINISHED = ("done", "failed", "interrupted")


def drop_finished_job_files(store: DraftStore) -> int:
    """Delete the files of every job that has ended (done, failed, interrupted); how many files were deleted. A
    finished job never runs again, so its files can only be orphans."""
    if not isinstance(store, SQLDraftStore):
        return 0
    with store.Session.begin() as s:
        ended = select(JobRow.id).where(JobRow.status.in_(FINISHED))
        result = s.execute(delete(JobFileRow).where(JobFileRow.job_id.in_(ended)))
        assert isinstance(result, CursorResult)  # a DELETE's result, typed as any Result by the Session
        return result.rowcount
