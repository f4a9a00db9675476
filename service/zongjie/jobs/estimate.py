"""Where a queued job stands: its place in the queue and an estimate of when it starts and ends.

Contract: ``estimate(store, job_id, workers)`` → ``QueueEstimate`` or None when the job is not waiting or running.
The estimate comes from what the queue actually achieved recently — the finish rate of the last jobs, which
already reflects the provider's rate limit and the number of workers — and, with no history yet, from the median
duration of finished jobs (else ``DEFAULT_JOB_SECONDS``) and ``workers`` jobs at a time. It is a guide for the
user ("约 3 分钟"), never a promise.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from ..storage.draft_store import DraftStore

DEFAULT_JOB_SECONDS = 60.0


@dataclass
class QueueEstimate:
    position: int | None  # 1 = next to start; None while running
    ahead: int  # queued jobs before this one
    running: int  # jobs running now (all workers)
    start_in: float  # seconds until it starts (0 when running)
    finish_in: float  # seconds until it is done


def estimate(store: DraftStore, job_id: str, workers: int) -> QueueEstimate | None:
    job = store.job(job_id)
    if job.status not in ("queued", "running"):
        return None
    stats = store.queue_stats()
    durations = [b - a for a, b in stats.recent if b >= a]
    job_seconds = statistics.median(durations) if durations else DEFAULT_JOB_SECONDS
    finishes = sorted(b for _, b in stats.recent)
    rate = None  # jobs finished per second, recently
    if len(finishes) >= 5 and finishes[-1] > finishes[0]:
        rate = (len(finishes) - 1) / (finishes[-1] - finishes[0])
    if job.status == "running":
        elapsed = time.time() - (job.started_at or time.time())
        return QueueEstimate(None, 0, stats.running, 0.0, max(job_seconds - elapsed, 0.0))
    position = store.queue_position(job_id) or 1
    ahead = position - 1
    if rate:
        start_in = ahead / rate
    else:
        slots = max(workers, 1)
        start_in = (ahead // slots) * job_seconds + (job_seconds / 2 if stats.running >= slots else 0.0)
    return QueueEstimate(position, ahead, stats.running, start_in, start_in + job_seconds)


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return "不到1分钟"
    return f"约{round(seconds / 60)}分钟"


def note_zh(est: QueueEstimate | None) -> str | None:
    """What the job page says about the queue, in Chinese."""
    if est is None:
        return None
    if est.position is None:
        return f"正在起草，预计{_minutes(est.finish_in)}后完成"
    if est.ahead == 0:
        return f"排在第1位，即将开始；预计{_minutes(est.finish_in)}后完成"
    return (
        f"排在第{est.position}位（前面还有{est.ahead}个任务），预计{_minutes(est.start_in)}后开始、"
        f"{_minutes(est.finish_in)}后完成"
    )
