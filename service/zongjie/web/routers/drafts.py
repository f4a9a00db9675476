"""Drafts API: start a job and follow it, read a draft (checked against the current facts), edit a part on the
version it was based on (409 with both texts when someone changed it since), regenerate, restore, recheck,
compare versions, download (409 until open findings are confirmed). The HTML pages are in ``draft_pages``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from ...auth.policy import Principal
from ...drafting.diffs import diff_lines
from ...drafting.editing import Conflict, EditError
from ...factsheets.model import parse_fact_sheet
from ...jobs.estimate import estimate
from ...stages.assemble import Draft
from ...stages.export import to_docx, to_markdown
from ...stages.marks import open_findings
from ...storage.accounts import AccountStore
from ..auth import AccountsDep, CurrentUser, ReadableDraft, ReadableJob, WritableFactSheet, factsheet_unit
from ..deps import RunnerDep, SettingsDep, StoreDep
from ..draft_models import (
    DiffRowOut,
    DraftOut,
    FactChangeOut,
    JobOut,
    PartEdit,
    Regenerate,
    VersionNumber,
    VersionOut,
    VersionPath,
    VersionQuery,
    version_out,
)
from ..draft_versions import DraftReaderDep, DraftWriterDep
from ..errors import ErrorOut, errors

router = APIRouter()


# ------------------------------------------------------------------ shared with the pages
def load_job(store, job_id):
    return store.job(job_id)  # NotFound → 404 in the app's handler


def job_out(store, settings, job_id: str) -> JobOut:
    """The job with its place in the queue and an estimate (NotFound → 404)."""
    return JobOut.of(load_job(store, job_id), estimate(store, job_id, settings.draft_workers))


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


def download_name(title: str, version: int, fmt: str) -> tuple[str, str]:
    """The downloaded file's names — ASCII fallback and UTF-8 — with the version, so every version downloads under
    its own name: 「东坡镇工会2025年工作总结（第3版）.docx」 (draft-v3.docx)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", title).strip() or "草稿"
    return f"draft-v{version}.{fmt}", f"{safe}（第{version}版）.{fmt}"


def export_file(draft: Draft, fmt: str, version: int) -> Response:
    """The draft as a download, marked (comments and highlights in .docx, 【待核实：…】 in Markdown)."""
    ascii_name, name = download_name(draft.title, version, fmt)
    disposition = {"Content-Disposition": f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(name)}"}
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
    accounts.audit(user, "draft", "factsheet", factsheet_id, "开始起草", unit)
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
    return export_file(cur.draft, fmt, cur.version.number)
