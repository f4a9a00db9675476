"""Background draft jobs: a bounded thread pool that runs the pipeline and records progress in the store.

``JobRunner.submit(factsheet_id)`` creates a job row (status queued) and returns its id at once; a worker runs
``run_draft`` and folds its progress events (``stages/events.py``) into a ``JobProgress`` saved in the job row
(per section: waiting → writing → checking/repairing → done), then stores
the draft as version 1 and marks the job done — or failed, with a message a user understands. On start, jobs a
process that is gone left queued or running are marked interrupted (their fact sheets are untouched); jobs
of other live workers sharing the database are left alone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from .backends.llm import make_llm
from .facts import FactSheetError, parse_fact_sheet
from .pipeline import run_draft
from .settings import Settings
from .stages.events import Failed, JobProgress, ProgressEvent
from .storage.store import DraftStore

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, settings: Settings, store: DraftStore, kb=None):
        self.settings = settings
        self.store = store
        self.kb = kb
        self.pool = ThreadPoolExecutor(max_workers=settings.draft_workers, thread_name_prefix="draft-job")
        self.futures: dict[str, Future] = {}
        self._lock = threading.Lock()
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def is_dead(self, worker: str | None) -> bool:
        """Whether the runner that owned a job is gone: same host and its process no longer exists (or it is an
        earlier run of this process id); jobs of other hosts are left alone."""
        if not worker:
            return True
        host, _, rest = worker.partition(":")
        pid_text, _, boot = rest.partition(":")
        if host != socket.gethostname():
            return False
        if worker == self.worker_id:
            return False
        pid = int(pid_text) if pid_text.isdigit() else -1
        if pid == os.getpid():
            return True  # an earlier run with the same pid (containers restart as pid 1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def recover(self) -> int:
        return self.store.interrupt_unfinished_jobs(self.is_dead)

    def submit(self, factsheet_id: str) -> str:
        job_id = self.store.create_job(factsheet_id, self.worker_id)
        future = self.pool.submit(self._run, job_id, factsheet_id)
        with self._lock:
            self.futures[job_id] = future
        return job_id

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job_id: str, factsheet_id: str) -> None:
        progress = JobProgress()
        lock = threading.Lock()

        def on_progress(event: ProgressEvent) -> None:
            with lock:
                progress.apply(event)
                snapshot = progress.model_dump(mode="json")
            self.store.update_job(job_id, progress=snapshot)

        try:
            self.store.update_job(job_id, status="running", progress=progress.model_dump(mode="json"))
            stored = self.store.factsheet(factsheet_id)
            sheet = parse_fact_sheet(stored.data)
            draft = run_draft(sheet, self.settings, kb=self.kb, llm=make_llm(self.settings), progress=on_progress)
            draft_id = self.store.create_draft(
                factsheet_id, job_id, draft.model_dump(mode="json"), "初稿", factsheet_revision=stored.revision
            )
            self.store.update_job(job_id, status="done", draft_id=draft_id, progress=progress.model_dump(mode="json"))
        except FactSheetError as exc:
            self._fail(
                job_id, progress, "事实表有误：" + "；".join(f"{p.path_zh}：{p.message_zh}" for p in exc.problems)
            )
        except Exception as exc:  # the job must end in a state the user sees
            log.exception("draft job %s failed", job_id)
            self._fail(job_id, progress, f"起草失败：{type(exc).__name__}")

    def _fail(self, job_id: str, progress: JobProgress, message: str) -> None:
        progress.apply(Failed(message=message))
        self.store.update_job(job_id, status="failed", error=message, progress=progress.model_dump(mode="json"))
