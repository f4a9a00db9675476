"""Ingestion progress events: what the ingest stage reports per file, as one typed model.

``IngestEvent`` is a discriminated union (field ``type``) like the drafting events (``stages/events.py``), and is
stored and streamed the same way: folded into an ``IngestProgress`` kept in the job row, and sent one by one as
server-sent events by ``/api/jobs/{id}/events`` (the ``type`` names the event). Every ``message`` is Chinese, for
the user, and names the file as the user knows it (``archive.zip/folder/file.docx`` for a file inside a zip).

Contract: ``Listed`` comes first and fixes the files (``n`` counts from 1 in that order); each file then gets
``FileStarted`` → ``FileRead`` → ``FileDone``, or ``FileFailed`` at any point (a file that could not even be
taken out of its archive fails without starting); ``Indexing`` announces a batch of sections being embedded and
stored (several files share a batch); ``IngestFinished`` or ``Failed`` comes last (``Failed``: the job stopped —
every file still without an outcome is then failed, not stored).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .events import Failed

IngestStage = Literal["reading", "indexing", "done", "failed"]
FileStatus = Literal["waiting", "reading", "read", "indexing", "added", "replaced", "unchanged", "failed"]

NOT_STORED_ZH = "未入库"
FILE_STATUS_ZH: dict[str, str] = {
    "waiting": "等待",
    "reading": "正在读取",
    "read": "已读取，等待入库",
    "indexing": "正在入库",
    "added": "已入库",
    "replaced": "已更新（替换旧版本）",
    "unchanged": "未变化，已跳过",
    "failed": "失败",
}


class Listed(BaseModel):
    """The files of this batch, in order (files inside a zip listed one by one)."""

    type: Literal["ingest_listed"] = "ingest_listed"
    files: list[str]


class FileStarted(BaseModel):
    type: Literal["file_started"] = "file_started"
    n: int
    name: str


class FileRead(BaseModel):
    """The file was read and parsed: ``documents`` summaries with ``sections`` sections, waiting to be stored."""

    type: Literal["file_read"] = "file_read"
    n: int
    name: str
    documents: int
    sections: int
    titles: list[str] = Field(default_factory=list)


class Indexing(BaseModel):
    """``sections`` sections of the files ``ns`` are being embedded and stored (one batch)."""

    type: Literal["indexing"] = "indexing"
    ns: list[int]
    sections: int


class FileDone(BaseModel):
    """The file is in the knowledge base (added, replaced an older version of it, or unchanged and skipped)."""

    type: Literal["file_done"] = "file_done"
    n: int
    name: str
    outcome: Literal["added", "replaced", "unchanged"]
    documents: int
    sections: int
    message: str = ""  # why an unchanged file was skipped (e.g. the same content as another file of the import)
    kept_share: float = 1.0  # share of the file's characters kept in its documents (「保留原文 96%」)
    doc_ids: list[str] = Field(default_factory=list)  # its documents, in file order (their structure pages)

    @property
    def kept_label(self) -> str:
        from ..corpus.parsing import REVIEW_BELOW

        return f"保留原文 {self.kept_share:.0%}" + ("，请核对" if self.kept_share < REVIEW_BELOW else "")


class FileFailed(BaseModel):
    """The file could not be ingested; ``message`` says why (Chinese). The batch goes on."""

    type: Literal["file_failed"] = "file_failed"
    n: int
    name: str
    message: str


class IngestFinished(BaseModel):
    """Every file has an outcome."""

    type: Literal["ingest_done"] = "ingest_done"
    added: int
    replaced: int
    unchanged: int
    failed: int
    documents: int
    sections: int
    seconds: float = 0.0


IngestEvent = Annotated[
    Listed | FileStarted | FileRead | Indexing | FileDone | FileFailed | IngestFinished | Failed,
    Field(discriminator="type"),
]
IngestEventFn = Callable[[IngestEvent], None]


class FileProgress(BaseModel):
    n: int
    name: str
    status: FileStatus = "waiting"
    documents: int = 0
    sections: int = 0
    message: str = ""
    titles: list[str] = Field(default_factory=list)  # of its documents, once read
    doc_ids: list[str] = Field(default_factory=list)  # of its documents, once stored

    @property
    def status_zh(self) -> str:
        return FILE_STATUS_ZH[self.status]


class IngestProgress(BaseModel):
    """An ingest job's progress: the stage, one row per file, and every event so far (in arrival order)."""

    kind: Literal["ingest"] = "ingest"
    stage: IngestStage = "reading"
    files: list[FileProgress] = Field(default_factory=list)
    events: list[IngestEvent] = Field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.files)

    @property
    def finished(self) -> int:
        """Files with an outcome (stored, skipped or failed)."""
        return sum(1 for f in self.files if f.status in ("added", "replaced", "unchanged", "failed"))

    @property
    def read(self) -> int:
        """Files read so far (with an outcome, or read and waiting for their batch to be stored)."""
        return self.finished + sum(1 for f in self.files if f.status in ("read", "indexing"))

    def file(self, n: int) -> FileProgress | None:
        return self.files[n - 1] if 0 < n <= len(self.files) else None

    def apply(self, event: IngestEvent) -> None:
        """Fold one event into the snapshot (and keep it in ``events``)."""
        self.events.append(event)
        if isinstance(event, Listed):
            self.files = [FileProgress(n=i, name=name) for i, name in enumerate(event.files, start=1)]
        elif isinstance(event, IngestFinished):
            self.stage = "done"
        elif isinstance(event, Failed):  # the job stopped: the files without an outcome were not stored
            self.stage = "failed"
            for left in self.files:
                if left.status not in ("added", "replaced", "unchanged", "failed"):
                    left.status, left.message = "failed", f"{left.name}：{NOT_STORED_ZH}（{event.message}）"
        elif isinstance(event, Indexing):
            self.stage = "indexing"
            for n in event.ns:
                if (row := self.file(n)) is not None:
                    row.status = "indexing"
        elif (row := self.file(event.n)) is not None:
            if isinstance(event, FileStarted):
                self.stage = "reading"
                row.status = "reading"
            elif isinstance(event, FileRead):
                row.status, row.documents, row.sections = "read", event.documents, event.sections
                row.titles = event.titles
            elif isinstance(event, FileDone):
                row.status, row.documents, row.sections = event.outcome, event.documents, event.sections
                # 「保留原文 96%」(「，请核对」 under 90%), and why a file was skipped
                row.message = "；".join(m for m in (event.kept_label, event.message) if m)
                row.doc_ids = event.doc_ids
            elif isinstance(event, FileFailed):
                row.status, row.message = "failed", event.message
