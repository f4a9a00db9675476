"""The job interface: what a job is, how it runs once, and the queue that runs it.

Contract. A job is a row in ``jobs`` (kind, fact sheet, payload, status, progress, result) plus a body registered
by kind in ``JOB_KINDS`` (``draft`` here; ``ingest`` and others register the same way). ``JobQueue.submit``
writes the row (status ``queued``) and hands it to the queue; it returns the job id at once. Whatever runs the
job calls ``execute``, which

1. claims the row (status ``running``, ``attempts + 1``); the attempt number fences every later write, so an
   attempt that lost its claim (its worker was presumed dead and the job was picked up again) can no longer
   change the job, and a job already finished is never run again;
2. runs the body with a ``JobContext`` (settings, store, knowledge base, fenced ``progress``);
3. finishes the row and stores the result (a draft, with its first version) in one transaction — once;
4. once the job has ended (done, or failed for good), deletes the files handed to it (``submit(files=…)``: kept
   in the database, ``storage/job_files.py``, so that a worker on another host can read them). A job that ends
   otherwise (interrupted: its process is gone) loses its files when a queue starts (``JobQueue.recover``).

Errors a user can fix end the job ``failed`` with a Chinese message; unexpected errors are retried by the queue
while attempts remain (``Retry``), then end ``failed``. Queues: ``inprocess`` (threads in the web process, the
embedded SQLite default) and ``procrastinate`` (PostgreSQL, separate ``zongjie worker`` processes).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, Self

from ..common.registry import Registry
from ..settings import Settings
from ..stages.events import Failed, JobProgress
from ..storage.draft_store import DraftStore
from ..storage.job_files import drop_finished_job_files, drop_job_files, put_job_files
from ..storage.records import StoredJob

if TYPE_CHECKING:
    from ..backends.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)

FINISHED = ("done", "failed", "interrupted")


class JobFailed(Exception):
    """The job cannot succeed (bad input); ``message_zh`` is shown to the user. Not retried."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class Retry(Exception):
    """Raised by ``execute`` when an unexpected error should be retried by the queue (attempts remain)."""


@dataclass
class Outcome:
    """What a job body returns: a draft to store as version 1 (``draft``: ``Draft.model_dump``) and/or a small
    JSON result (counts, ids)."""

    draft: dict | None = None
    note: str = "初稿"
    result: dict = field(default_factory=dict)
    factsheet_revision: int | None = None  # the fact-sheet revision the draft was written and checked against


@dataclass
class JobContext:
    settings: Settings
    store: DraftStore
    kb: KnowledgeBase | None
    job: StoredJob
    attempt: int

    def progress(self, snapshot: dict) -> None:
        """Record the job's progress (ignored once this attempt has lost the job)."""
        self.store.update_job(self.job.id, attempt=self.attempt, progress=snapshot)


JobBody = Callable[[JobContext], Outcome]
JOB_KINDS: Registry[JobBody] = Registry("job kind")


class ProgressModel(Protocol):
    """What a kind keeps as progress in its row: a pydantic model that folds events, ``Failed`` among them."""

    @classmethod
    def model_validate(cls, obj: Any) -> Self: ...

    def apply(self, event: Failed) -> None: ...

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


# The progress model of each kind (drafting's by default).
PROGRESS_MODELS: dict[str, type[ProgressModel]] = {"draft": JobProgress}
# What a job interrupted by a restart tells its user, per kind (a kind registers its own; drafting's by default).
INTERRUPTED_ZH: dict[str, str] = {"draft": "服务重启，起草被中断，请重新提交"}


def failed_progress(kind: str, progress: dict, message: str) -> dict:
    """``progress`` with the failure folded in (``Failed``: the kind's model marks what did not finish)."""
    try:
        folded = PROGRESS_MODELS.get(kind, JobProgress).model_validate(progress)
        folded.apply(Failed(message=message))
        return folded.model_dump(mode="json")
    except ValueError:
        return progress


def interrupted_ending(kind: str, progress: dict) -> tuple[str, dict]:
    """The error and final progress of a job of ``kind`` interrupted by a restart."""
    message = INTERRUPTED_ZH.get(kind, INTERRUPTED_ZH["draft"])
    return message, failed_progress(kind, progress, message)


def worker_name() -> str:
    """host:pid:random — who runs a job (the in-process runner also uses it to tell dead processes)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def execute(job_id: str, settings: Settings, store: DraftStore, kb, worker: str, max_attempts: int = 1) -> str:
    """Run one job once (see the module contract); the job's final (or current) status."""
    attempt = store.claim_job(job_id, worker)
    if attempt is None:
        return store.job(job_id).status  # finished already, or unknown: nothing to do
    job = store.job(job_id)
    try:
        body = JOB_KINDS.make(job.kind, settings)
        outcome = body(JobContext(settings, store, kb, job, attempt))
    except JobFailed as exc:
        _fail(store, job_id, attempt, exc.message_zh)
        return "failed"
    except Exception as exc:
        log.exception("job %s (%s) attempt %d failed", job_id, job.kind, attempt)
        if attempt < max_attempts:
            store.update_job(job_id, attempt=attempt, status="queued", error=f"第{attempt}次尝试出错，稍后重试")
            raise Retry(str(exc)) from exc
        _fail(store, job_id, attempt, f"任务失败：{type(exc).__name__}")
        return "failed"
    finished = _finish(store, job_id, attempt, outcome)
    return "done" if finished else store.job(job_id).status


def _finish(store: DraftStore, job_id: str, attempt: int, outcome: Outcome) -> bool:
    finished = store.finish_job(
        job_id,
        attempt,
        "done",
        draft=outcome.draft,
        note=outcome.note,
        result=outcome.result,
        factsheet_revision=outcome.factsheet_revision,
    )
    if finished:
        drop_job_files(store, job_id)
    return finished


def _fail(store: DraftStore, job_id: str, attempt: int, message: str) -> None:
    """End the job failed with ``message``; its progress (a ``JobProgress``) records the failure too."""
    job = store.job(job_id)
    store.update_job(job_id, attempt=attempt, progress=failed_progress(job.kind, job.progress, message))
    if store.finish_job(job_id, attempt, "failed", error=message):
        drop_job_files(store, job_id)


class JobQueue(ABC):
    """Runs jobs; see the module docstring. ``submit`` returns at once; ``wait`` blocks until the job ends."""

    runs_jobs_here = False

    def __init__(self, settings: Settings, store: DraftStore, kb=None):
        self.settings = settings
        self.store = store
        self.kb = kb
        self.worker_id = worker_name()

    def submit(
        self,
        factsheet_id: str | None = None,
        *,
        kind: str = "draft",
        payload: dict | None = None,
        files: list[tuple[str, bytes]] | None = None,
    ) -> str:
        """Queue a job of ``kind``; ``files`` (name, bytes) are stored with it for the body to read
        (``storage.job_files.job_files``), before it can start."""
        if kind not in JOB_KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        owner = self.worker_id if self.runs_jobs_here else None  # in-process: recover() knows whose jobs they are
        job_id = self.store.create_job(factsheet_id, owner, kind=kind, payload=payload)
        if files:
            try:
                put_job_files(self.store, job_id, files)
            except Exception:
                self.store.update_job(job_id, status="failed", error="无法保存上传的文件，请稍后重试")
                raise
        self._enqueue(job_id)
        return job_id

    @abstractmethod
    def _enqueue(self, job_id: str) -> None: ...

    def wait(self, job_id: str, timeout: float | None = None) -> StoredJob:
        """Block until the job is finished (done, failed or interrupted); its row. TimeoutError after ``timeout``."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.05
        while True:
            job = self.store.job(job_id)
            if job.status in FINISHED:
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job.status}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)

    def recover(self) -> int:
        """At start: end the jobs a previous process left unfinished (``_interrupt_orphans``) and delete the files of
        every job that has ended — those a process stopped before deleting; how many jobs were interrupted."""
        interrupted = self._interrupt_orphans()
        drop_finished_job_files(self.store)
        return interrupted

    def _interrupt_orphans(self) -> int:
        """Jobs whose runner is gone, marked interrupted (``interrupted_ending``); the in-process queue's own."""
        return 0

    def shutdown(self) -> None:  # noqa: B027 (optional hook)
        """Stop taking work (jobs already handed to separate workers keep running there)."""


QUEUES: Registry[type[JobQueue]] = Registry("job queue")


def make_queue(settings: Settings, store: DraftStore, kb=None) -> JobQueue:
    """The queue named by ``settings.job_queue``."""
    return QUEUES.make(settings.job_queue, settings)(settings, store, kb)
