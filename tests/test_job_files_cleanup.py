"""Files handed to a job (uploads to ingest) are deleted once the job has ended, in every way a job can end: done,
failed, interrupted by a restart — and, when a queue starts, the files of jobs that ended without deleting theirs
(a process killed between finishing and deleting). An interrupted import says so in Chinese, per file."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from zongjie.jobs import make_queue
from zongjie.stages.ingest_events import FileDone, IngestProgress, Listed
from zongjie.storage.job_files import job_files, put_job_files
from zongjie.storage.store import make_store

pytestmark = pytest.mark.databases

FILES = [("东坡镇工会.txt", "东坡镇工会2024年工作总结".encode()), ("西岭乡工会.txt", b"x")]


def _dead_worker() -> str:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}:dead"


def _ingest_job(store, worker: str | None, status: str = "queued") -> str:
    job = store.create_job(None, worker, kind="ingest", payload={"files": [{"name": n, "error": ""} for n, _ in FILES]})
    put_job_files(store, job, FILES)
    if status != "queued":
        store.update_job(job, status=status)
    return job


def test_restart_interrupts_an_import_of_a_dead_process_and_deletes_its_files(settings):
    store = make_store(settings)
    half = IngestProgress()
    for event in (
        Listed(files=[n for n, _ in FILES]),
        FileDone(n=1, name=FILES[0][0], outcome="added", documents=1, sections=3),
    ):
        half.apply(event)
    running = _ingest_job(store, _dead_worker())
    store.claim_job(running, store.job(running).worker or "")
    store.update_job(running, progress=half.model_dump(mode="json"))
    queued = _ingest_job(store, _dead_worker())
    finished_orphan = _ingest_job(store, None, status="done")  # ended, files left behind by a killed process
    other_host = _ingest_job(store, "elsewhere:1:live")  # a live worker elsewhere: its job is left alone

    queue = make_queue(settings, store)
    try:
        assert queue.recover() == 2
    finally:
        queue.shutdown()

    for job_id in (running, queued, finished_orphan):
        assert job_files(store, job_id) == []
    assert [f.name for f in job_files(store, other_host)] == [n for n, _ in FILES]
    assert store.job(other_host).status == "queued"

    job = store.job(running)
    assert job.status == "interrupted" and "导入被中断" in (job.error or "")
    rows = {r["name"]: r for r in job.progress["files"]}
    assert rows["东坡镇工会.txt"]["status"] == "added"  # stored before the restart: kept as it was
    assert rows["西岭乡工会.txt"]["status"] == "failed"
    assert rows["西岭乡工会.txt"]["message"].startswith("西岭乡工会.txt：未入库")
    assert job.progress["events"][-1]["type"] == "failed"  # the event stream tells the page too
    assert store.job(queued).status == "interrupted"


def test_a_failed_import_deletes_its_files(settings):
    """The job fails as a whole (no knowledge base to write to): its files go, and it says why in Chinese."""
    store = make_store(settings)
    queue = make_queue(settings, store)  # no knowledge base
    try:
        job_id = queue.submit(
            kind="ingest", payload={"files": [{"name": n, "error": ""} for n, _ in FILES]}, files=FILES
        )
        job = queue.wait(job_id, timeout=60)
    finally:
        queue.shutdown()
    assert job.status == "failed" and "资料库不可用" in (job.error or "")
    assert job_files(store, job_id) == []
