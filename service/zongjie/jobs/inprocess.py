"""The in-process queue (the embedded SQLite default): a bounded thread pool inside the web process.

Jobs run in this process only, ``draft_workers`` at a time. At start, jobs that a process which is gone left
queued or running are marked interrupted (fact sheets untouched); jobs of other live processes sharing the
database are left alone. Use the ``procrastinate`` queue for jobs that outlive a process.
"""

from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from ..storage.records import StoredJob
from .base import QUEUES, JobQueue, execute, interrupted_ending


class InProcessQueue(JobQueue):
    runs_jobs_here = True

    def __init__(self, settings, store, kb=None):
        super().__init__(settings, store, kb)
        self.pool = ThreadPoolExecutor(max_workers=settings.draft_workers, thread_name_prefix="draft-job")
        self.futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    def _enqueue(self, job_id: str) -> None:
        future = self.pool.submit(execute, job_id, self.settings, self.store, self.kb, self.worker_id)
        with self._lock:
            self.futures[job_id] = future

    def wait(self, job_id: str, timeout: float | None = None) -> StoredJob:
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)
        return super().wait(job_id, timeout)

    def is_dead(self, worker: str | None) -> bool:
        """Whether the runner that owned a job is gone: same host and its process no longer exists (or it is an
        earlier run of this process id); jobs of other hosts are left alone."""
        if not worker:
            return True
        host, _, rest = worker.partition(":")
        pid_text, _, _boot = rest.partition(":")
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

    def _interrupt_orphans(self) -> int:
        return self.store.interrupt_unfinished_jobs(self.is_dead, ending=interrupted_ending)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


@QUEUES.register("inprocess")
def _inprocess(settings) -> type[JobQueue]:
    return InProcessQueue
