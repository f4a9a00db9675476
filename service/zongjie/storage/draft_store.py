"""The draft store's interface (``DraftStore``): fact sheets, draft jobs, drafts and their versions.

Contract: every write is committed before the method returns, so a crash never loses what a call reported as saved;
ids are opaque strings; a version is immutable once written (editing a draft adds a version). Reads return records
(``records.py``); an unknown id raises ``NotFound``. ``SQLDraftStore`` (``sql_store.py``) implements it;
``store.make_store(settings)`` builds the one the settings name.

Fact-sheet revisions: every save that changes a sheet's data increments its ``revision`` (saving the same data
again does not) and keeps that revision's data in ``factsheet_revisions``; every draft version records the
``factsheet_revision`` its check was computed against, so a reader can tell when the facts moved on since.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from .records import QueueStats, StoredDraft, StoredFactSheet, StoredJob, StoredVersion


class DraftStore(ABC):
    def healthy(self) -> bool:
        return True

    @abstractmethod
    def save_factsheet(self, data: dict, factsheet_id: str | None = None) -> str: ...

    @abstractmethod
    def factsheet(self, factsheet_id: str) -> StoredFactSheet: ...

    @abstractmethod
    def factsheets(self) -> list[StoredFactSheet]: ...

    @abstractmethod
    def factsheet_revision(self, factsheet_id: str, revision: int) -> dict:
        """The sheet's data as it was at ``revision`` (NotFound when that revision was never recorded)."""

    @abstractmethod
    def create_job(
        self, factsheet_id: str | None, worker: str | None = None, *, kind: str = "draft", payload: dict | None = None
    ) -> str:
        """A queued job (NotFound for an unknown fact sheet)."""

    @abstractmethod
    def update_job(self, job_id: str, attempt: int | None = None, **fields) -> bool:
        """Set fields; with ``attempt``, only while that attempt still owns the running job. Whether it wrote."""

    @abstractmethod
    def claim_job(self, job_id: str, worker: str) -> int | None:
        """Mark a queued (or orphaned running) job running for ``worker``: its new attempt number, or None when
        the job is finished or unknown."""

    @abstractmethod
    def finish_job(
        self,
        job_id: str,
        attempt: int,
        status: str,
        *,
        error: str | None = None,
        draft: dict | None = None,
        note: str = "初稿",
        result: dict | None = None,
        factsheet_revision: int | None = None,
    ) -> bool:
        """End the job if ``attempt`` still owns it, storing ``draft`` as a new draft (version 1) in the same
        transaction; False (and nothing written) when another attempt took over or the job already ended."""

    @abstractmethod
    def job(self, job_id: str) -> StoredJob: ...

    @abstractmethod
    def queue_position(self, job_id: str) -> int | None:
        """1 for the next queued job to start; None unless the job is queued."""

    @abstractmethod
    def queue_stats(self, recent: int = 50, within: float = 900) -> QueueStats:
        """Queued and running counts; start and finish times of up to ``recent`` jobs done in the last ``within``
        seconds."""

    @abstractmethod
    def interrupt_unfinished_jobs(self, is_dead=lambda worker: True, ending=None) -> int:
        """Mark queued/running jobs whose runner process is gone (``is_dead(worker)``) as interrupted; other live
        workers keep theirs. ``ending(kind, progress)`` gives each job's Chinese error and final progress (the job
        layer's, which knows each kind); how many jobs were interrupted."""

    @abstractmethod
    def create_draft(
        self, factsheet_id: str, job_id: str | None, data: dict, note: str, factsheet_revision: int | None = None
    ) -> str: ...

    @abstractmethod
    def add_version(
        self,
        draft_id: str,
        data: dict,
        note: str,
        factsheet_revision: int | None = None,
        expect_latest: int | None = None,
    ) -> int:
        """Store a new version; with ``expect_latest``, raise ``Outdated`` unless that is still the latest number
        (checked under the draft row's lock, so two concurrent saves on the same base cannot both succeed)."""

    @abstractmethod
    def draft(self, draft_id: str) -> StoredDraft: ...

    @abstractmethod
    def drafts(self, factsheet_id: str | None = None) -> list[StoredDraft]: ...

    @abstractmethod
    def version(self, draft_id: str, number: int | None = None) -> StoredVersion: ...

    @abstractmethod
    def versions(self, draft_id: str) -> list[StoredVersion]: ...
