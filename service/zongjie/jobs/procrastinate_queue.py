"""The PostgreSQL queue: jobs go through procrastinate to separate ``zongjie worker`` processes.

The web process only writes the job row and defers one procrastinate job (task ``zongjie.run_job``, queue
``zongjie``, lock ``job-<id>`` so one job never runs twice at once). Workers (``run_worker``) fetch jobs with
``FOR UPDATE SKIP LOCKED``, send heartbeats, and each runs a reaper that hands the jobs of workers whose heartbeat
stopped (killed, host lost) back to the queue; the job is then claimed again with a new attempt number, so the
lost attempt can write nothing (``jobs/base.py``). Unexpected errors are retried with exponential backoff while
``job_max_attempts`` allows.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import procrastinate
from sqlalchemy.engine import make_url

from ..settings import Settings
from ..storage.draft_store import DraftStore
from .base import QUEUES, JobQueue, Retry, execute, worker_name

log = logging.getLogger(__name__)

QUEUE_NAME = "zongjie"
TASK_NAME = "zongjie.run_job"


def conninfo(database_url: str) -> str:
    """A libpq URI for psycopg from the SQLAlchemy URL (``postgresql+psycopg://…`` → ``postgresql://…``)."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        raise ValueError("ZONGJIE_JOB_QUEUE=procrastinate needs a PostgreSQL ZONGJIE_DATABASE_URL")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class WorkerRuntime:
    """What a worker process's jobs run with (built once per process)."""

    settings: Settings
    store: DraftStore
    kb: object | None
    name: str


def build_app(settings: Settings, runtime: WorkerRuntime | None = None) -> procrastinate.App:
    """The procrastinate app with Zongjie's one task; ``runtime`` is needed only where jobs run (workers)."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.effective_database_url))
    )

    @app.task(
        name=TASK_NAME,
        queue=QUEUE_NAME,
        retry=procrastinate.RetryStrategy(
            max_attempts=settings.job_max_attempts + 2,
            exponential_wait=2,
            retry_exceptions={Retry, procrastinate.exceptions.JobAborted},  # aborted by a worker's shutdown
        ),
    )
    def run_job(job_id: str) -> str:
        if runtime is None:
            raise RuntimeError("jobs run in `zongjie worker` processes")
        return execute(job_id, runtime.settings, runtime.store, runtime.kb, runtime.name, settings.job_max_attempts)

    return app


class ProcrastinateQueue(JobQueue):
    def __init__(self, settings, store, kb=None):
        super().__init__(settings, store, kb)
        self.app = build_app(settings)
        self.app.open()

    def _enqueue(self, job_id: str) -> None:
        try:
            self.app.configure_task(TASK_NAME, lock=f"job-{job_id}", queue=QUEUE_NAME).defer(job_id=job_id)
        except Exception:
            log.exception("could not queue job %s", job_id)
            self.store.update_job(job_id, status="failed", error="无法加入任务队列，请稍后重试")
            raise

    def shutdown(self) -> None:
        self.app.close()


@QUEUES.register("procrastinate")
def _procrastinate(settings) -> type[JobQueue]:
    return ProcrastinateQueue


async def _reap(app: procrastinate.App, settings: Settings) -> None:
    """Hand the jobs of workers whose heartbeat stopped back to the queue, forever (every heartbeat interval)."""
    while True:
        await asyncio.sleep(settings.worker_heartbeat)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE_NAME, seconds_since_heartbeat=settings.worker_stalled_timeout
            )
            for job in stalled:
                try:
                    await app.job_manager.retry_job(job)
                    log.warning("job %s of a stalled worker handed back to the queue", job.task_kwargs)
                except Exception:  # another worker's reaper was first
                    pass
            await app.job_manager.prune_stalled_workers(settings.worker_stalled_timeout * 4)
        except Exception:
            log.exception("stalled-job reaper")


def run_worker(settings: Settings, store: DraftStore, kb, concurrency: int) -> None:
    """Run jobs until SIGINT/SIGTERM (a graceful stop lets running jobs finish)."""
    runtime = WorkerRuntime(settings, store, kb, worker_name())
    app = build_app(settings, runtime)

    async def main() -> None:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(concurrency + 2, "zongjie-job"))
        async with app.open_async():
            reaper = asyncio.create_task(_reap(app, settings))
            try:
                await app.run_worker_async(
                    queues=[QUEUE_NAME],
                    name=runtime.name,
                    concurrency=concurrency,
                    update_heartbeat_interval=settings.worker_heartbeat,
                    stalled_worker_timeout=settings.worker_stalled_timeout,
                    shutdown_graceful_timeout=settings.worker_shutdown_timeout,
                )
            finally:
                reaper.cancel()

    log.info("worker %s: %d jobs at a time", runtime.name, concurrency)
    asyncio.run(main())
