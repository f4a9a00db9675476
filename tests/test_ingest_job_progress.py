"""What an import's page can show while a long step runs: the ingest job writes its progress before every step that
may take long — a file's parsing, a batch's embedding — so the events before it are never held back by the write
throttle. Found trying real summaries on a busy machine: three files were read, then the page showed nothing new
for 144 s while the batch was embedded (the reads of the last files and the 正在入库 step were still unsaved)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive_fixtures import summary
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.jobs.base import JobContext
from zongjie.jobs.ingest import run_ingest_job
from zongjie.storage.job_files import put_job_files
from zongjie.storage.store import make_store


@dataclass
class RecordingContext(JobContext):
    """The job context, also keeping every snapshot the job writes (what a page polling the row could see)."""

    saved: list[dict] = field(default_factory=list)

    def progress(self, snapshot: dict) -> None:
        super().progress(snapshot)
        self.saved.append(snapshot)


def test_progress_is_written_before_each_long_step(settings):
    store = make_store(settings)
    kb = KnowledgeBase.from_settings(settings.model_copy(update={"vector_store": "memory"}))
    files = [(f"{u}.txt", summary(u, i + 2).encode()) for i, u in enumerate(["东坡镇工会", "西岭乡工会", "青石镇工会"])]
    files.append(("坏文件.docx", b"PK\x03\x04 broken"))
    job_id = store.create_job(None, kind="ingest", payload={"files": [{"name": n, "error": ""} for n, _ in files]})
    put_job_files(store, job_id, files)
    attempt = store.claim_job(job_id, "host:1:test")
    assert attempt == 1
    ctx = RecordingContext(settings, store, kb, store.job(job_id), attempt)
    run_ingest_job(ctx)

    last = [snap["events"][-1]["type"] for snap in ctx.saved if snap.get("events")]
    assert last.count("indexing") == sum(e["type"] == "indexing" for e in ctx.saved[-1]["events"]) >= 1
    assert last.count("file_started") == 4  # each file's parsing, the broken one's too
    before_indexing = next(snap for snap in ctx.saved if snap["events"] and snap["events"][-1]["type"] == "indexing")
    statuses = [f["status"] for f in before_indexing["files"]]
    assert statuses[:3] == ["indexing"] * 3 and statuses[3] == "failed"  # every read and failure shown by then
    assert ctx.saved[-1]["stage"] == "done"
