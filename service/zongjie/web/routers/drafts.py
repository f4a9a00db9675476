"""Drafts API: start a job and follow it, read a draft (checked against the current facts), edit a part on the
version it was based on (409 with both texts when someone changed it since), regenerate, restore, recheck,
compare versions, download (409 until open findings are confirmed). The HTML pages are in ``draft_pages``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.convertors import Convertor, register_url_convertor

from ...auth.policy import Principal
from ...checker.report import CheckReport
from ...drafting.diffs import diff_lines
from ...drafting.editing import (
    Conflict,
    EditError,
    check_base,
    edit_part,
    part_heading,
    part_text,
    regenerate_section,
    restore,
)
from ...drafting.revisions import CurrentVersion, current_version
from ...factsheets.model import FactSheetError, parse_fact_sheet
from ...jobs import PROGRESS_MODELS
from ...jobs.estimate import QueueEstimate, estimate, note_zh
from ...stages.assemble import Draft
from ...stages.events import JobProgress
from ...stages.export import to_docx, to_markdown
from ...stages.ingest_events import IngestProgress
from ...stages.marks import open_findings
from ...storage.accounts import AccountStore
from ...storage.records import Outdated
from ..auth import (
    AccountsDep,
    CurrentUser,
    ReadableDraft,
    ReadableJob,
    ReviewsDep,
    WritableDraft,
    WritableFactSheet,
    factsheet_unit,
)
from ..deps import KBDep, RunnerDep, SettingsDep, StoreDep
from ..errors import ErrorOut, errors

router = APIRouter()
SAVE_ATTEMPTS = 3
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


# ------------------------------------------------------------------ shared with the pages
def load_job(store, job_id):
    return store.job(job_id)  # NotFound → 404 in the app's handler


def job_out(store, settings, job_id: str) -> JobOut:
    """The job with its place in the queue and an estimate (NotFound → 404)."""
    return JobOut.of(load_job(store, job_id), estimate(store, job_id, settings.draft_workers))


def load_current(store, settings, kb, draft_id: str, v: int | None = None) -> CurrentVersion:
    """The version (latest by default) checked against the current facts (NotFound → 404 in the app's handler)."""
    try:
        return current_version(store, draft_id, v, settings, kb)
    except FactSheetError:
        raise HTTPException(409, detail="这份草稿的事实表有误（可能有未填写的数值），请先修改事实表") from None


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


def _store_version(store, draft_id: str, new: Draft, note: str, revision: int, expect: int) -> VersionOut:
    number = store.add_version(draft_id, new.model_dump(mode="json"), note, revision, expect_latest=expect)
    return version_out(store.version(draft_id, number))


class DraftReader:
    """The draft in the path for a user who may read it (``ReadableDraft``: 404 otherwise), with what reading it
    takes: ``current(v)`` is version ``v`` (latest by default) checked against the current facts (NotFound → 404,
    a fact sheet with missing values → 409). ``DraftReaderDep`` in a route's signature."""

    def __init__(self, access: ReadableDraft, store: StoreDep, settings: SettingsDep, kb: KBDep):
        self.access, self.store, self.settings, self.kb = access, store, settings, kb
        self.draft_id = access.draft.id

    def current(self, v: int | None = None) -> CurrentVersion:
        return load_current(self.store, self.settings, self.kb, self.draft_id, v)


DraftReaderDep = Annotated[DraftReader, Depends()]


class DraftWriter(DraftReader):
    """Writes new versions of the draft in the path for the signed-in user — edit or regenerate a part, restore an
    old version, store a recheck — for the API and the pages alike (``DraftWriterDep``; the route only turns the
    outcome into its answer).

    Contract: the user may write the draft (``WritableDraft``: 404/403 otherwise); every method first refuses with
    409 (``HTTPException``, Chinese) while the draft is submitted for review or approved (locked), and writes the
    new version to the audit log (who, which draft and version, what changed). ``edit`` and ``regenerate`` raise
    ``Conflict`` when the part changed after ``base`` and ``EditError`` for a change that cannot be made; a save
    racing another is retried on the new latest version (and conflicts if it touched the same part)."""

    def __init__(
        self,
        user: CurrentUser,
        access: WritableDraft,
        accounts: AccountsDep,
        reviews: ReviewsDep,
        store: StoreDep,
        settings: SettingsDep,
        kb: KBDep,
    ):
        super().__init__(access, store, settings, kb)
        self.user, self.accounts, self.reviews = user, accounts, reviews

    def edit(self, key: str, text: str, base: int | None) -> VersionOut:
        """Replace one part's text (a section by key, or ``title`` / ``opening``) on version ``base``."""
        return self._audited(self._change(key, text, base), {"section": key})

    def regenerate(self, key: str, base: int | None) -> VersionOut:
        """Write one section again from its facts, on version ``base`` (None: the latest)."""
        return self._audited(self._change(key, None, base), {"section": key})

    def restore(self, number: int) -> VersionOut:
        """Make version ``number``'s text the newest version, checked against the current facts (503 when it cannot
        be saved now)."""
        self._ensure_editable()
        try:
            out = self._restored(number)
        except EditError as exc:
            raise HTTPException(503, detail=exc.message_zh) from None
        return self._audited(out, {"restored": number})

    def recheck(self) -> VersionOut | None:
        """Store the latest version checked against the current facts as a new version (None when it already is)."""
        self._ensure_editable()
        cur = self.current()
        if not cur.stale:
            return None
        note = f"按事实表第 {cur.sheet_revision} 版重新核对"
        try:
            out = _store_version(self.store, self.draft_id, cur.draft, note, cur.sheet_revision, cur.version.number)
        except Outdated:
            return None  # someone saved meanwhile: that version is checked against the current facts already
        return self._audited(out)

    def _ensure_editable(self) -> None:
        locked = self.reviews.editable(self.draft_id)
        if locked:
            raise HTTPException(409, detail=locked)

    def _change(self, key: str, text: str | None, base: int | None) -> VersionOut:
        """Edit (``text``) or regenerate (``text`` None) one part of the latest version, on ``base``."""
        self._ensure_editable()
        store, settings, kb, draft_id = self.store, self.settings, self.kb, self.draft_id
        for _ in range(SAVE_ATTEMPTS):
            cur = self.current()
            latest = cur.version.number
            if base is not None and base != latest:
                if base > latest:
                    raise EditError(f"没有第 {base} 版")
                older = Draft.model_validate(store.version(draft_id, base).data)
                mine = _part_or_none(older, key) if text is None else text
                check_base(older, cur.draft, key, base, latest, mine)
            heading = part_heading(cur.draft, key)
            if text is None:
                new, note = regenerate_section(cur.draft, key, cur.sheet, settings, kb), f"重新生成：{heading}"
            else:
                new, note = edit_part(cur.draft, key, text, cur.sheet, settings, kb), f"编辑：{heading}"
            try:
                return _store_version(store, draft_id, new, note, cur.sheet_revision, latest)
            except Outdated:
                base = latest if base is None else base
        raise EditError("同时保存的人太多，请稍后重试（您的文本没有丢失）")

    def _restored(self, number: int) -> VersionOut:
        cur = self.current(number)
        new = restore(Draft.model_validate(cur.version.data), cur.sheet, self.settings, self.kb)
        for _ in range(SAVE_ATTEMPTS):
            latest = self.store.draft(self.draft_id).latest
            try:
                return _store_version(self.store, self.draft_id, new, f"恢复第 {number} 版", cur.sheet_revision, latest)
            except Outdated:
                continue
        raise EditError("同时保存的人太多，请稍后重试")

    def _audited(self, out: VersionOut, detail: dict | None = None) -> VersionOut:
        access = self.access
        summary = f"{out.note}（第 {out.number} 版）"
        self.accounts.audit(
            self.user, "edit", "version", f"{access.draft.id} v{out.number}", summary, access.unit_id, detail or {}
        )
        return out


DraftWriterDep = Annotated[DraftWriter, Depends()]


def _part_or_none(draft: Draft, key: str) -> str:
    try:
        return part_text(draft, key)
    except EditError:
        return ""


def conflict_json(exc: Conflict) -> JSONResponse:
    return JSONResponse(
        {
            "detail": exc.message_zh,
            "key": exc.key,
            "base_version": exc.base,
            "latest_version": exc.latest,
            "your_text": exc.mine,
            "current_text": exc.theirs,
            "problems": [{"path": exc.key, "message": exc.message_zh}],
        },
        status_code=409,
    )


def export_file(draft: Draft, fmt: str) -> Response:
    """The draft as a download, marked (comments and highlights in .docx, 【待核实：…】 in Markdown)."""
    name = f"draft.{fmt}"
    disposition = {"Content-Disposition": f"attachment; filename={name}; filename*=UTF-8''{quote(draft.title)}.{fmt}"}
    if fmt == "md":
        return Response(to_markdown(draft), media_type="text/markdown; charset=utf-8", headers=disposition)
    with tempfile.TemporaryDirectory() as tmp:
        data = to_docx(draft, Path(tmp) / name).read_bytes()
    return Response(
        data, headers=disposition, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def record_job(accounts: AccountStore, user: Principal, factsheet_id: str, job_id: str) -> str:
    """Record who asked for a draft job and for which unit (``records``, kind ``job``: the unit decides who may
    follow it) and audit the request; the job id."""
    unit, _ = factsheet_unit(accounts, factsheet_id)
    accounts.claim("job", job_id, unit, user.user_id)
    accounts.audit(user, "draft", "factsheet", factsheet_id, f"开始起草（任务 {job_id}）", unit)
    return job_id


def check_format(fmt: str) -> None:
    if fmt not in ("docx", "md"):
        raise HTTPException(404, detail="只提供 docx 和 md 两种格式")


def diff_rows(store, draft_id: str, a: int, b: int):
    left = Draft.model_validate(store.version(draft_id, a).data).text()
    right = Draft.model_validate(store.version(draft_id, b).data).text()
    return diff_lines(left, right)


# ------------------------------------------------------------------ API
@router.post(
    "/api/factsheets/{factsheet_id}/drafts",
    response_model=JobOut,
    status_code=202,
    tags=["drafts"],
    responses=errors(401, 403, 404, 422),
)
def api_start(
    user: CurrentUser,
    sheet: WritableFactSheet,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    accounts: AccountsDep,
):
    """Start drafting in the background; follow GET /api/jobs/{id} (status, progress, place in the queue). 422
    while a metric has no value yet."""
    parse_fact_sheet(sheet.data).require_values()
    job_id = runner.submit(sheet.id)
    out = job_out(store, settings, job_id)  # as submitted (a free worker may take it at once)
    record_job(accounts, user, sheet.id, job_id)
    return out


@router.get("/api/jobs/{job_id}", response_model=JobOut, tags=["drafts"], responses=errors(401, 404))
def api_job(job: ReadableJob, store: StoreDep, settings: SettingsDep):
    """A job's status and per-section progress (queued, running, done, failed, interrupted); while it waits or
    runs, its place in the queue and an estimate."""
    return job_out(store, settings, job.id)


@router.get("/api/drafts/{draft_id}", response_model=DraftOut, tags=["drafts"], responses=errors(401, 404, 409, 422))
def api_draft(reader: DraftReaderDep, draft_id: str, v: VersionQuery = None):
    """A draft version (latest by default) with sections, provenance and the check report — always against the
    current facts: when the fact sheet changed after this version was checked, ``facts_changed`` is true, the
    report is recomputed and ``fact_changes`` lists what changed."""
    cur = reader.current(v)
    return DraftOut(
        **cur.draft.model_dump(),
        version=cur.version.number,
        latest=cur.stored.latest,
        checked_revision=cur.checked_revision,
        factsheet_revision=cur.sheet_revision,
        facts_changed=cur.stale,
        fact_changes=[FactChangeOut(**asdict(c)) for c in cur.changes],
        open_findings=len(open_findings(cur.draft)),
    )


@router.get(
    "/api/drafts/{draft_id}/versions", response_model=list[VersionOut], tags=["drafts"], responses=errors(401, 404)
)
def api_versions(access: ReadableDraft, store: StoreDep, draft_id: str):
    return [version_out(v) for v in store.versions(draft_id)]


# The routes below name ``draft_id`` although the reader or writer reads it: the path parameters then stay in path order
# in the OpenAPI document (a route's own parameters come before its dependencies').
_CONFLICT = {
    **errors(401, 403, 404, 422),
    409: {
        "model": ErrorOut,
        "description": "该部分在 base_version 之后已被修改（返回双方文本 your_text / current_text，未保存），"
        "或草稿正在审核、已锁定",
    },
}


@router.put(
    "/api/drafts/{draft_id}/sections/{key:section}", response_model=VersionOut, tags=["drafts"], responses=_CONFLICT
)
def api_edit(writer: DraftWriterDep, draft_id: str, key: str, body: PartEdit):
    """Replace one part's text — a section by key, or ``title`` / ``opening`` — on the version it was based on.
    The whole draft is re-checked against the current facts and stored as a new version. When that part was
    changed after ``base_version`` the edit is refused with 409 and both texts (``your_text``, ``current_text``)."""
    return _api_change(lambda: writer.edit(key, body.text, body.base_version))


@router.post(
    "/api/drafts/{draft_id}/sections/{key:section}/regenerate",
    response_model=VersionOut,
    tags=["drafts"],
    responses=_CONFLICT,
)
def api_regenerate(writer: DraftWriterDep, draft_id: str, key: str, body: Regenerate | None = None):
    """Write one section again from its facts; stored as a new version (the old text stays in the old version)."""
    return _api_change(lambda: writer.regenerate(key, body.base_version if body else None))


def _api_change(change: Callable[[], VersionOut]) -> VersionOut | JSONResponse:
    """An edit or a regeneration as the API answers it: the new version; 409 with both texts when the part changed
    meanwhile; 422 for a change that cannot be made."""
    try:
        return change()
    except Conflict as exc:
        return conflict_json(exc)
    except EditError as exc:
        raise HTTPException(422, detail=exc.message_zh) from None


@router.post(
    "/api/drafts/{draft_id}/versions/{number}/restore",
    response_model=VersionOut,
    status_code=201,
    tags=["drafts"],
    responses=errors(401, 403, 404, 409, 422, 503),
)
def api_restore(writer: DraftWriterDep, draft_id: str, number: VersionPath):
    """Make an old version's text the newest version (checked against the current facts); nothing is deleted."""
    return writer.restore(number)


@router.post(
    "/api/drafts/{draft_id}/recheck",
    response_model=VersionOut,
    tags=["drafts"],
    responses=errors(401, 403, 404, 409),
)
def api_recheck(writer: DraftWriterDep):
    """Store the latest version's check against the current facts as a new version (after the facts changed)."""
    return writer.recheck() or version_out(writer.store.version(writer.draft_id))


@router.get(
    "/api/drafts/{draft_id}/diff", response_model=list[DiffRowOut], tags=["drafts"], responses=errors(401, 404, 422)
)
def api_diff(access: ReadableDraft, store: StoreDep, draft_id: str, a: VersionNumber, b: VersionNumber):
    """Version ``a`` → version ``b`` line by line; changed lines carry the inserted and deleted characters."""
    return [DiffRowOut(**asdict(r)) for r in diff_rows(store, draft_id, a, b)]


@router.get(
    "/api/drafts/{draft_id}/download.{fmt}",
    tags=["drafts"],
    responses={
        **errors(401, 404, 422),
        409: {"model": ErrorOut, "description": "草稿还有待核实处：加 confirm=true 确认后下载（导出文件中会标注）"},
    },
)
def api_download(
    reader: DraftReaderDep,
    draft_id: str,
    fmt: str,
    v: VersionQuery = None,
    confirm: Annotated[bool, Query(description="确认带着待核实处下载")] = False,
):
    """The draft as .docx (official layout) or Markdown, checked against the current facts. Every open finding is
    marked in the file (Word comment + highlight; 【待核实：…】 in Markdown). While there are open findings the
    download needs ``confirm=true``; without it: 409 with their count and list."""
    check_format(fmt)
    cur = reader.current(v)
    found = open_findings(cur.draft)
    if found and not confirm:
        return JSONResponse(
            {
                "detail": f"草稿中还有 {len(found)} 处待核实。确认后（confirm=true）下载，文件中会标注这些位置。",
                "open_findings": len(found),
                "findings": [{"text": f.text, "start": f.start, "end": f.end, "message": f.message} for f in found],
                "problems": [{"path": f"text[{f.start}:{f.end}]", "message": f.message} for f in found],
            },
            status_code=409,
        )
    return export_file(cur.draft, fmt)
