"""The drafts API's request and response models and its path and query parameters.

Contract: ``JobOut``, ``VersionOut``, ``DraftOut`` (a draft version checked against the current facts), ``PartEdit``,
``Regenerate``, ``DiffRowOut``… are the shapes of the OpenAPI document (names and fields are the API); ``version_out``
turns a stored version into its ``VersionOut``. Importing this module registers the ``section`` path convertor
(``{key:section}``: a section key that may hold a ``/`` but never swallows a trailing ``/regenerate``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Query
from pydantic import BaseModel, Field
from starlette.convertors import Convertor, register_url_convertor

from ..checker.report import CheckReport
from ..jobs import PROGRESS_MODELS
from ..jobs.estimate import QueueEstimate, note_zh
from ..stages.assemble import Draft
from ..stages.events import JobProgress
from ..stages.ingest_events import IngestProgress

MAX_VERSION = 1_000_000
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_VERSION, description="版本号，默认最新版")]
VersionNumber = Annotated[int, Query(ge=1, le=MAX_VERSION)]
VersionPath = Annotated[int, PathParam(ge=1, le=MAX_VERSION)]


class SectionKey(Convertor):
    """A section key in a path: ``topic`` or ``topic/hint`` — never swallowing a trailing ``/regenerate``, so the
    edit route (PUT …/sections/{key}) and the regenerate route (POST …/sections/{key}/regenerate) do not overlap."""

    regex = r"[^/]+(?:/(?!regenerate$)[^/]+)*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("section", SectionKey())


class JobOut(BaseModel):
    id: str
    kind: str = "draft"
    factsheet_id: str | None
    status: str
    progress: JobProgress | IngestProgress = Field(description="Drafting: per section; ingest jobs: per file")
    error: str | None
    draft_id: str | None
    attempts: int = Field(0, description="Times a worker started it (more than 1: picked up again after a failure)")
    position: int | None = Field(None, description="Place in the queue while queued (1 = next to start)")
    start_in_seconds: float | None = Field(None, description="Estimated seconds until it starts (while queued)")
    finish_in_seconds: float | None = Field(None, description="Estimated seconds until it is done")
    queue_note: str | None = Field(None, description="Place in the queue and the estimate, in words (Chinese)")

    @classmethod
    def of(cls, job, est: QueueEstimate | None = None) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind,
            factsheet_id=job.factsheet_id,
            status=job.status,
            progress=PROGRESS_MODELS.get(job.kind, JobProgress).model_validate(job.progress),
            error=job.error,
            draft_id=job.draft_id,
            attempts=job.attempts,
            position=est.position if est else None,
            start_in_seconds=round(est.start_in, 1) if est else None,
            finish_in_seconds=round(est.finish_in, 1) if est else None,
            queue_note=note_zh(est),
        )


class VersionOut(BaseModel):
    number: int
    note: str
    created_at: str
    errors: int
    coverage: float
    factsheet_revision: int | None = Field(None, description="事实表的第几版：本版本的核对依据")


class FactChangeOut(BaseModel):
    fact_id: str
    before: str | None
    after: str | None


class DraftOut(Draft):
    """A draft version whose check report refers to the current facts (recomputed when the facts changed)."""

    version: int
    latest: int
    checked_revision: int | None = Field(description="存储时核对所依据的事实表版本")
    factsheet_revision: int = Field(description="事实表当前版本")
    facts_changed: bool = Field(description="事实表在本版本核对之后修改过；report 已按当前事实重新计算")
    fact_changes: list[FactChangeOut] = Field(default_factory=list)
    open_findings: int = Field(description="待核实处数（下载前需确认）")


class PartEdit(BaseModel):
    text: str = Field(max_length=20000)
    base_version: int = Field(ge=1, le=MAX_VERSION, description="编辑所基于的版本号；其间该部分被他人修改时返回 409")


class Regenerate(BaseModel):
    base_version: int | None = Field(
        None, ge=1, le=MAX_VERSION, description="所基于的版本号；其间该部分被修改时返回 409"
    )


class DiffPieceOut(BaseModel):
    op: str
    text: str


class DiffRowOut(BaseModel):
    kind: str
    old: str
    new: str
    pieces: list[DiffPieceOut]


def version_out(v) -> VersionOut:
    summary = CheckReport.model_validate(v.data.get("report", {})).summary
    return VersionOut(
        number=v.number,
        note=v.note,
        created_at=v.created_at,
        errors=summary.errors,
        coverage=summary.coverage,
        factsheet_revision=v.factsheet_revision,
    )
