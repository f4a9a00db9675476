"""The ``draft`` job: fact sheet → ``run_draft`` → a stored draft (version 1).

Progress is the pipeline's typed events (``stages/events.py``) folded into a ``JobProgress`` that is saved in the
job row after every event (per section: waiting → writing → checking/repairing → done).
"""

from __future__ import annotations

import threading

from ..backends.llm import make_llm
from ..drafting.pipeline import run_draft
from ..factsheets.model import FactSheetError, parse_fact_sheet
from ..stages.events import JobProgress, ProgressEvent
from .base import JOB_KINDS, JobContext, JobFailed, Outcome


def run_draft_job(ctx: JobContext) -> Outcome:
    progress = JobProgress()
    lock = threading.Lock()

    def on_progress(event: ProgressEvent) -> None:
        with lock:  # one write at a time per job: sections report from several threads
            progress.apply(event)
            ctx.progress(progress.model_dump(mode="json"))

    ctx.progress(progress.model_dump(mode="json"))
    if ctx.job.factsheet_id is None:
        raise JobFailed("起草任务没有指定事实表")
    stored = ctx.store.factsheet(ctx.job.factsheet_id)
    try:
        sheet = parse_fact_sheet(stored.data)
    except FactSheetError as exc:
        raise JobFailed("事实表有误：" + "；".join(f"{p.path_zh}：{p.message_zh}" for p in exc.problems)) from None
    draft = run_draft(sheet, ctx.settings, kb=ctx.kb, llm=make_llm(ctx.settings), progress=on_progress)
    return Outcome(draft=draft.model_dump(mode="json"), note="初稿", factsheet_revision=stored.revision)


@JOB_KINDS.register("draft")
def _draft(settings):
    return run_draft_job
