"""Draft jobs and drafts: start a job, follow its progress, view/compare/edit/regenerate, versions, downloads."""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ...checker.report import CheckReport
from ...editing import EditError, edit_section, regenerate_section
from ...facts import parse_fact_sheet
from ...stages.assemble import Draft
from ...stages.events import JobProgress
from ...stages.export import to_docx, to_markdown
from ..deps import KBDep, RunnerDep, SettingsDep, StoreDep
from ..highlight import sections_view
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()


class JobOut(BaseModel):
    id: str
    factsheet_id: str
    status: str
    progress: JobProgress
    error: str | None
    draft_id: str | None

    @classmethod
    def of(cls, job) -> JobOut:
        return cls(
            id=job.id,
            factsheet_id=job.factsheet_id,
            status=job.status,
            progress=JobProgress.model_validate(job.progress),
            error=job.error,
            draft_id=job.draft_id,
        )


class VersionOut(BaseModel):
    number: int
    note: str
    created_at: str
    errors: int
    coverage: float


class SectionEdit(BaseModel):
    text: str = Field(max_length=20000)


def _load(store, draft_id: str, v: int | None = None):
    stored = store.draft(draft_id)
    version = store.version(draft_id, v)
    sheet = parse_fact_sheet(store.factsheet(stored.factsheet_id).data)
    return stored, version, Draft.model_validate(version.data), sheet


def _labels(sheet) -> dict[str, str]:
    labels = {m.id: f"{m.label} {m.value:g}{m.unit}" for m in sheet.all_metrics()}
    labels.update({a.id: a.title for a in sheet.activities})
    labels.update({h.id: h.title for h in sheet.honours})
    labels.update({i.id: i.text for i in sheet.problems + sheet.plans})
    return labels


# ------------------------------------------------------------------ API
@router.post("/api/factsheets/{factsheet_id}/drafts", response_model=JobOut, status_code=202, tags=["drafts"])
def api_start(store: StoreDep, runner: RunnerDep, factsheet_id: str):
    """Start drafting in the background; follow GET /api/jobs/{id}. 422 while a metric has no value yet."""
    parse_fact_sheet(store.factsheet(factsheet_id).data).require_values()
    job_id = runner.submit(factsheet_id)
    return JobOut.of(store.job(job_id))


@router.get("/api/jobs/{job_id}", response_model=JobOut, tags=["drafts"])
def api_job(store: StoreDep, job_id: str):
    """A job's status and per-section progress (queued, running, done, failed, interrupted)."""
    return JobOut.of(store.job(job_id))


@router.get("/api/drafts/{draft_id}", response_model=Draft, tags=["drafts"])
def api_draft(store: StoreDep, draft_id: str, v: int | None = None):
    """A draft version (latest by default) with sections, provenance and the check report."""
    return _load(store, draft_id, v)[2]


@router.get("/api/drafts/{draft_id}/versions", response_model=list[VersionOut], tags=["drafts"])
def api_versions(store: StoreDep, draft_id: str):
    versions = store.versions(draft_id)
    return [
        VersionOut(
            number=v.number,
            note=v.note,
            created_at=v.created_at,
            errors=summary.errors,
            coverage=summary.coverage,
        )
        for v in versions
        for summary in [CheckReport.model_validate(v.data.get("report", {})).summary]
    ]


def _apply_edit(store, settings, kb, draft_id: str, key: str, text: str | None) -> int:
    stored, version, draft, sheet = _load(store, draft_id)
    heading = next((f"{s.marker}{s.heading}" for s in draft.walk() if s.key == key), key)
    try:
        if text is None:
            new = regenerate_section(draft, key, sheet, settings, kb)
            note = f"重新生成：{heading}"
        else:
            new = edit_section(draft, key, text, sheet, settings, kb)
            note = f"编辑：{heading}"
    except EditError as exc:
        raise HTTPException(422, detail=exc.message_zh) from None
    return store.add_version(draft_id, new.model_dump(mode="json"), note)


@router.put("/api/drafts/{draft_id}/sections/{key:path}", response_model=VersionOut, tags=["drafts"])
def api_edit(store: StoreDep, settings: SettingsDep, kb: KBDep, draft_id: str, key: str, body: SectionEdit):
    """Replace one section's text; the whole draft is re-checked and stored as a new version."""
    number = _apply_edit(store, settings, kb, draft_id, key, body.text)
    return api_versions(store, draft_id)[number - 1]


@router.post("/api/drafts/{draft_id}/sections/{key:path}/regenerate", response_model=VersionOut, tags=["drafts"])
def api_regenerate(store: StoreDep, settings: SettingsDep, kb: KBDep, draft_id: str, key: str):
    """Write one section again from the same facts; stored as a new version."""
    number = _apply_edit(store, settings, kb, draft_id, key, None)
    return api_versions(store, draft_id)[number - 1]


def _download(draft: Draft, fmt: str) -> Response:
    name = f"draft.{fmt}"
    disposition = {"Content-Disposition": f"attachment; filename={name}; filename*=UTF-8''{_quote(draft.title)}.{fmt}"}
    if fmt == "md":
        return Response(to_markdown(draft), media_type="text/markdown; charset=utf-8", headers=disposition)
    with tempfile.TemporaryDirectory() as tmp:
        data = to_docx(draft, Path(tmp) / name).read_bytes()
    return Response(
        data, headers=disposition, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def _quote(s: str) -> str:
    from urllib.parse import quote

    return quote(s, safe="")


@router.get("/api/drafts/{draft_id}/download.{fmt}", tags=["drafts"])
def api_download(store: StoreDep, draft_id: str, fmt: str, v: int | None = None):
    """The draft as .docx (official layout) or Markdown."""
    if fmt not in ("docx", "md"):
        raise HTTPException(404, detail="只提供 docx 和 md 两种格式")
    return _download(_load(store, draft_id, v)[2], fmt)


# ------------------------------------------------------------------ pages
@router.post("/facts/{factsheet_id}/draft", include_in_schema=False)
def page_start(store: StoreDep, runner: RunnerDep, factsheet_id: str, _: CsrfDep):
    parse_fact_sheet(store.factsheet(factsheet_id).data).require_values()
    job_id = runner.submit(factsheet_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/facts/{factsheet_id}/draft-now", include_in_schema=False)
def page_start_after_save(request: Request, store: StoreDep, factsheet_id: str):
    """After 'save and draft': a page that posts the start form (a GET never starts work by itself)."""
    stored = store.factsheet(factsheet_id)
    return templates.TemplateResponse(request, "start.html", {"sheet": stored})


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def page_job(request: Request, store: StoreDep, job_id: str):
    job = store.job(job_id)
    return templates.TemplateResponse(request, "job.html", {"job": JobOut.of(job)})


@router.get("/drafts/{draft_id}", response_class=HTMLResponse, include_in_schema=False)
def page_draft(request: Request, store: StoreDep, draft_id: str, v: int | None = None, edit: str = ""):
    return _draft_page(request, store, draft_id, v, edit=edit)


def _draft_page(request: Request, store, draft_id: str, v: int | None = None, status_code: int = 200, **extra):
    stored, version, draft, sheet = _load(store, draft_id, v)
    return templates.TemplateResponse(
        request,
        "draft.html",
        {
            "stored": stored,
            "version": version,
            "draft": draft,
            "sections": sections_view(draft, _labels(sheet)),
            "summary": draft.report.summary,
            "latest": version.number == stored.latest,
            "versions": store.versions(draft_id),
            "factsheet_id": stored.factsheet_id,
            "edit": "",
            **extra,
        },
        status_code=status_code,
    )


@router.get("/drafts/{draft_id}/compare", response_class=HTMLResponse, include_in_schema=False)
def page_compare(request: Request, store: StoreDep, draft_id: str, v: int | None = None):
    stored, version, draft, sheet = _load(store, draft_id, v)
    sections = sections_view(draft, _labels(sheet))
    uses: dict[str, list[str]] = {}
    for s in sections:
        for para in s.paragraphs:
            for seg in para:
                if seg.fact_id and seg.status in ("supported",):
                    uses.setdefault(seg.fact_id, []).append(seg.mark_id)
    coverage = {c.fact_id: c.stated for c in draft.report.coverage}
    return templates.TemplateResponse(
        request,
        "compare.html",
        {
            "stored": stored,
            "version": version,
            "draft": draft,
            "sections": sections,
            "sheet": sheet,
            "uses": uses,
            "coverage": coverage,
            "labels": _labels(sheet),
        },
    )


@router.post("/drafts/{draft_id}/sections/{key:path}/edit", include_in_schema=False)
def page_edit(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    kb: KBDep,
    draft_id: str,
    key: str,
    _: CsrfDep,
    text: Annotated[str, Form(max_length=20000)] = "",
):
    try:
        _apply_edit(store, settings, kb, draft_id, key, text)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return _draft_page(request, store, draft_id, status_code=422, edit=key, edit_text=text, edit_error=exc.detail)
    return RedirectResponse(f"/drafts/{draft_id}#sec-{key}", status_code=303)


@router.post("/drafts/{draft_id}/sections/{key:path}/regenerate", include_in_schema=False)
def page_regenerate(store: StoreDep, settings: SettingsDep, kb: KBDep, draft_id: str, key: str, _: CsrfDep):
    _apply_edit(store, settings, kb, draft_id, key, None)
    return RedirectResponse(f"/drafts/{draft_id}#sec-{key}", status_code=303)


@router.get("/drafts/{draft_id}/diff", response_class=HTMLResponse, include_in_schema=False)
def page_diff(request: Request, store: StoreDep, draft_id: str, a: int, b: int):
    left = Draft.model_validate(_load(store, draft_id, a)[1].data).text().split("\n")
    right = Draft.model_validate(_load(store, draft_id, b)[1].data).text().split("\n")
    rows = []
    for op in difflib.ndiff(left, right):
        if op.startswith("?"):
            continue
        rows.append({"kind": {"-": "del", "+": "add"}.get(op[0], "same"), "text": op[2:]})
    return templates.TemplateResponse(request, "diff.html", {"draft_id": draft_id, "a": a, "b": b, "rows": rows})


@router.get("/drafts/{draft_id}/download.{fmt}", include_in_schema=False)
def page_download(store: StoreDep, draft_id: str, fmt: str, v: int | None = None):
    return api_download(store, draft_id, fmt, v)
