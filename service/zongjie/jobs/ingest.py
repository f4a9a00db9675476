"""The ``ingest`` job: uploaded files (stored with the job) → the ingest stage → the knowledge base.

Progress is the stage's typed events (``stages/ingest_events.py``) folded into an ``IngestProgress`` that is saved
in the job row after every event: one row per file (a zip's members one by one) with its status, the summaries
and sections found in it, or the Chinese reason it failed. A bad file never stops the batch; the job ends
``done`` with the per-file results (``result``), ``failed`` only when nothing could run at all (no files, the
knowledge base unavailable). The files are read from the job's database rows into a temporary folder of the
process that runs the job, so any worker can run it. Payload: ``{"files": [{"name", "error"}]}`` in upload order;
a file refused at upload (``error``: type, size) has no stored bytes and becomes a failed row.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ..backends.knowledge_base import KnowledgeBase
from ..common.errors import KnowledgeBaseUnavailable
from ..stages.ingest import IngestItem, ingest_items
from ..stages.ingest_events import FileStarted, Indexing, IngestEvent, IngestFinished, IngestProgress, Listed
from ..stages.ingest_uploads import upload_items
from ..stages.structure import import_preparer
from ..storage.job_files import job_file_data, job_file_names
from .base import INTERRUPTED_ZH, JOB_KINDS, PROGRESS_MODELS, JobContext, JobFailed, Outcome

KIND = "ingest"
SAVE_EVERY = 0.25  # seconds between progress writes
SAVE_BEFORE = (Listed, FileStarted, Indexing, IngestFinished)  # events after which the progress is always written


def run_ingest_job(ctx: JobContext) -> Outcome:
    if not isinstance(ctx.kb, KnowledgeBase):
        raise JobFailed("资料库不可用，无法导入")
    progress = IngestProgress()
    ctx.progress(progress.model_dump(mode="json"))
    last_saved = 0.0

    def on_event(event: IngestEvent) -> None:
        nonlocal last_saved
        progress.apply(event)
        now = time.monotonic()
        # every event is kept; the row is written at most every SAVE_EVERY s, so a zip of hundreds of files does not
        # rewrite the growing progress thousands of times — but always before a step that may take long (a file's
        # parsing, a batch's embedding: minutes on a busy machine), so nothing that happened before it is held back
        # while it runs, and at the list and the end
        if now - last_saved >= SAVE_EVERY or isinstance(event, SAVE_BEFORE):
            ctx.progress(progress.model_dump(mode="json"))
            last_saved = now

    stored = iter(job_file_names(ctx.store, ctx.job.id))
    listed = (ctx.job.payload or {}).get("files") or []
    with tempfile.TemporaryDirectory(prefix="zongjie-ingest-") as tmp:
        items: list[IngestItem] = []
        for i, entry in enumerate(listed, start=1):
            if entry.get("error"):  # refused when it was uploaded (type, size): a failed row
                items.append(IngestItem(name=entry["name"], error=entry["error"]))
                continue
            n_name = next(stored, None)
            if n_name is None:
                raise JobFailed("没有找到上传的文件（可能已处理过），请重新上传")
            n, name = n_name
            items += upload_items(name, job_file_data(ctx.store, ctx.job.id, n), Path(tmp) / str(i))
        try:
            report = ingest_items(items, ctx.kb, on_event, import_preparer(ctx.store))
        except KnowledgeBaseUnavailable as exc:
            raise JobFailed(f"资料库不可用：{exc}") from None
    result = {
        "files": [
            {"name": r.path, "outcome": r.outcome, "documents": r.documents, "sections": r.chunks, "message": r.message}
            for r in report.files
        ],
        "added": report.count("added"),
        "replaced": report.count("replaced"),
        "unchanged": report.count("unchanged"),
        "failed": report.count("failed"),
        "documents": report.documents,
        "sections": report.chunks,
    }
    return Outcome(result=result)


@JOB_KINDS.register(KIND)
def _ingest(settings):
    return run_ingest_job


PROGRESS_MODELS[KIND] = IngestProgress
INTERRUPTED_ZH[KIND] = "服务重启，导入被中断，请重新上传未入库的文件"
