"""What the draft store returns: plain records of fact sheets, jobs, drafts and versions, and ``Outdated``.

Contract: records are snapshots (dataclasses, detached from any database session); changing one changes nothing
stored. ``new_id()`` makes the short opaque ids every stored thing (and every account record) gets. ``Outdated`` is
raised when a version is written on a base that is no longer the latest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


def new_id() -> str:
    """A new short opaque id (12 hex characters)."""
    return uuid.uuid4().hex[:12]


@dataclass
class StoredFactSheet:
    id: str
    data: dict
    unit_name: str
    year: int
    period: str
    updated_at: str
    revision: int = 1


@dataclass
class StoredJob:
    id: str
    factsheet_id: str | None
    status: str
    progress: dict
    error: str | None
    draft_id: str | None
    created_at: str
    updated_at: str
    kind: str = "draft"
    payload: dict | None = None
    result: dict | None = None
    worker: str | None = None
    attempts: int = 0
    queued_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None


@dataclass
class QueueStats:
    """The queue as a whole: jobs waiting and running, and (start, finish) epoch seconds of recently finished
    jobs, newest first."""

    queued: int
    running: int
    recent: list[tuple[float, float]]


@dataclass
class StoredVersion:
    draft_id: str
    number: int
    data: dict
    note: str
    created_at: str
    factsheet_revision: int | None = None  # None: stored before revisions were recorded


@dataclass
class StoredDraft:
    id: str
    factsheet_id: str
    job_id: str | None
    title: str
    latest: int
    created_at: str


class Outdated(Exception):
    """A version was written on a base that is no longer the latest; ``latest`` is the current number."""

    def __init__(self, latest: int):
        self.latest = latest
        super().__init__(latest)
