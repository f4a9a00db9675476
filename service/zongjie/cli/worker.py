"""``zongjie worker``: a job worker process for the PostgreSQL queue (team deployments)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console

from .settings import load_settings

console = Console()


def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs run at the same time (default ZONGJIE_DRAFT_WORKERS)")
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="Level of Zongjie's own log lines: debug also logs every provider-limit wait")
    ] = "info",
) -> None:
    """Run draft (and other) jobs from the PostgreSQL queue until stopped (SIGTERM lets running jobs finish).

    Needs ZONGJIE_JOB_QUEUE=procrastinate and a PostgreSQL ZONGJIE_DATABASE_URL; start as many as you like, on any
    host, next to `zongjie serve` processes. A worker that dies mid-job loses nothing: its jobs run again on
    another worker after ZONGJIE_WORKER_STALLED_TIMEOUT seconds.

    Example:

        ZONGJIE_JOB_QUEUE=procrastinate ZONGJIE_DATABASE_URL=postgresql+psycopg://zongjie@db/zongjie \\
          ZONGJIE_VECTOR_STORE=chroma-server zongjie worker --concurrency 4
    """
    from ..backends.knowledge_base import connect_knowledge_base
    from ..jobs.procrastinate_queue import run_worker
    from ..storage.store import make_store

    settings = load_settings(console)
    if settings.job_queue != "procrastinate":
        console.print("[red]zongjie worker 需要 ZONGJIE_JOB_QUEUE=procrastinate（以及 PostgreSQL 数据库）")
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("zongjie").setLevel(log_level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per LLM or Chroma request
    store = make_store(settings)  # migrates the database first
    kb = connect_knowledge_base(settings)
    run_worker(settings, store, kb, concurrency or settings.draft_workers)
