"""Draft pages: job progress, the draft (stale-facts banner, editing with conflicts shown side by side),
regenerate confirmation, versions (restore, compare any two), the compare view, download confirmation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...auth.policy import Action, Principal, allowed
from ...drafting.editing import (
    CLOSING_KEY,
    MAX_SECTION_CHARS,
    MAX_SIGNATURE_LINE_CHARS,
    MAX_TITLE_CHARS,
    OPENING_KEY,
    SIGNATURE_KEY,
    TITLE_KEY,
    Conflict,
    EditError,
    part_heading,
    part_text,
)
from ...drafting.revisions import CurrentVersion, fact_labels
from ...factsheets.carried import unreviewed
from ...factsheets.model import parse_fact_sheet
from ...stages.marks import open_findings
from ..auth import (
    AccountsDep,
    CurrentUser,
    DraftAccess,
    ReadableDraft,
    ReadableJob,
    WritableFactSheet,
)
from ..compare_view import fact_rows
from ..deps import RunnerDep, SettingsDep, StoreDep
from ..draft_models import VersionPath, VersionQuery
from ..draft_versions import DraftReader, DraftReaderDep, DraftWriterDep
from ..highlight import head_view, sections_view
from ..security import CsrfDep
from ..templating import templates
from .drafts import check_format, diff_rows, export_file, job_out, record_job

router = APIRouter(include_in_schema=False)
TextField = Annotated[str, Form()]  # its length is checked by editing (EditError), and the page keeps the text


@router.post("/facts/{factsheet_id}/draft")
def page_start(user: CurrentUser, sheet: WritableFactSheet, runner: RunnerDep, accounts: AccountsDep, _: CsrfDep):
    parse_fact_sheet(sheet.data).require_values()
    job_id = record_job(accounts, user, sheet.id, runner.submit(sheet.id))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/facts/{factsheet_id}/draft-now")
def page_start_after_save(request: Request, stored: WritableFactSheet):
    """After 'save and draft': a page that posts the start form (a GET never starts work by itself)."""
    return templates.TemplateResponse(request, "start.html", {"sheet": stored})


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def page_job(request: Request, job: ReadableJob, store: StoreDep, settings: SettingsDep):
    if job.kind == "ingest":  # an import of past summaries has its own page (per file)
        return RedirectResponse(f"/knowledge/imports/{job.id}", status_code=303)
    return templates.TemplateResponse(request, "job.html", {"job": job_out(store, settings, job.id)})


def review_context(request: Request, user: Principal, access: DraftAccess) -> dict:
    """What the draft page shows about review: state, comments by section, what this user may do."""
    reviews = request.app.state.reviews
    comments: dict[str, list] = {}
    for c in reviews.comments(access.draft.id):
        comments.setdefault(c.section_key, []).append(c)
    return {
        "review": reviews.review(access.draft.id),
        "comments": comments,
        "can_write": allowed(user, Action.write, access.unit_id),
        "can_comment": allowed(user, Action.comment, access.unit_id),
        "can_review": allowed(user, Action.review, access.unit_id),
        "locked": reviews.editable(access.draft.id),
    }


def _context(store, cur: CurrentVersion) -> dict:
    labels = fact_labels(cur.sheet)
    return {
        "stored": cur.stored,
        "version": cur.version,
        "draft": cur.draft,
        "sheet": cur.sheet,
        "sections": sections_view(cur.draft, labels),
        "head_view": head_view(cur.draft, labels),
        "summary": cur.draft.report.summary,
        "latest": cur.version.number == cur.stored.latest,
        "factsheet_id": cur.stored.factsheet_id,
        "stale": cur.stale,
        "changes": cur.changes,
        "checked_revision": cur.checked_revision,
        "sheet_revision": cur.sheet_revision,
        "open_count": len(open_findings(cur.draft)),
        "carried": unreviewed(cur.sheet),  # notes still 「沿用去年」: drafted, listed for the clerk to confirm
        "title_key": TITLE_KEY,
        "opening_key": OPENING_KEY,
        "closing_key": CLOSING_KEY,
        "signature_key": SIGNATURE_KEY,
        "edit_max": MAX_SECTION_CHARS,
        "title_max": MAX_TITLE_CHARS,
        "signature_max": MAX_SIGNATURE_LINE_CHARS,
    }


def _draft_page(request: Request, reader: DraftReader, v=None, status_code=200, **extra):
    """The draft page (version ``v``, latest by default); after a refused write, with its status and message."""
    cur = reader.current(v)
    context = {
        **_context(reader.store, cur),
        "versions": reader.store.versions(reader.draft_id),
        "edit": "",
        **review_context(request, request.state.user, reader.access),
        **extra,
    }
    return templates.TemplateResponse(request, "draft.html", context, status_code=status_code)


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def page_draft(
    request: Request,
    reader: DraftReaderDep,
    v: VersionQuery = None,
    edit: Annotated[str, Query(max_length=200)] = "",
    ask: Annotated[str, Query(max_length=20)] = "",
):
    return _draft_page(request, reader, v, edit=edit, ask=ask)


@router.post("/drafts/{draft_id}/sections/{key:path}/edit")
def page_edit(
    request: Request,
    writer: DraftWriterDep,
    key: str,
    _: CsrfDep,
    base_version: Annotated[int, Form(ge=1, le=1_000_000)],
    text: TextField = "",
    confirm_empty: Annotated[str, Form(max_length=1)] = "",
):
    def refused(status_code: int, message: str, **extra: object) -> HTMLResponse:
        """The draft page again with the section open and the text typed in it: nothing is lost."""
        return _draft_page(
            request, writer, status_code=status_code, edit=key, edit_text=text, edit_error=message, **extra
        )

    if not text.strip() and confirm_empty != "1" and key not in (TITLE_KEY, SIGNATURE_KEY):
        message = "这一部分将被清空：总结里不再有它的内容，事实覆盖会随之下降。确实要清空吗？"
        return refused(200, message, edit_base=base_version, ask_empty=True)
    try:
        writer.edit(key, text, base_version)
    except HTTPException as exc:  # under review or locked
        return refused(exc.status_code, exc.detail, edit_base=base_version)
    except Conflict as exc:  # someone changed this part since: both texts side by side
        return refused(409, exc.message_zh, conflict=exc)
    except EditError as exc:
        return refused(422, exc.message_zh, edit_base=base_version)
    return RedirectResponse(f"/drafts/{writer.draft_id}#{_anchor(key)}", status_code=303)


def _anchor(key: str) -> str:
    return "draft-title" if key in (TITLE_KEY, OPENING_KEY) else f"sec-{key}"  # closing, signature: their blocks


@router.get("/drafts/{draft_id}/sections/{key:path}/regenerate", response_class=HTMLResponse)
def page_regenerate_confirm(request: Request, writer: DraftWriterDep, key: str):
    """Regenerating replaces the section's text: the page shows what will be replaced and asks first."""
    cur = writer.current()
    try:
        text = part_text(cur.draft, key)
    except EditError as exc:
        raise HTTPException(404, detail=exc.message_zh) from None
    context = {**_context(writer.store, cur), "key": key, "heading": part_heading(cur.draft, key), "text": text}
    return templates.TemplateResponse(request, "regenerate.html", context)


@router.post("/drafts/{draft_id}/sections/{key:path}/regenerate")
def page_regenerate(
    request: Request,
    writer: DraftWriterDep,
    key: str,
    _: CsrfDep,
    base_version: Annotated[int, Form(ge=1, le=1_000_000)],
):
    try:
        writer.regenerate(key, base_version)
    except HTTPException as exc:
        return _draft_page(request, writer, status_code=exc.status_code, page_error=exc.detail)
    except EditError as exc:
        return _draft_page(request, writer, status_code=409, page_error=exc.message_zh)
    return RedirectResponse(f"/drafts/{writer.draft_id}#{_anchor(key)}", status_code=303)


@router.post("/drafts/{draft_id}/versions/{number}/restore")
def page_restore(writer: DraftWriterDep, number: VersionPath, _: CsrfDep):
    writer.restore(number)
    return RedirectResponse(f"/drafts/{writer.draft_id}", status_code=303)


@router.post("/drafts/{draft_id}/recheck")
def page_recheck(writer: DraftWriterDep, _: CsrfDep):
    writer.recheck()
    return RedirectResponse(f"/drafts/{writer.draft_id}", status_code=303)


@router.get("/drafts/{draft_id}/compare", response_class=HTMLResponse)
def page_compare(request: Request, reader: DraftReaderDep, v: VersionQuery = None):
    cur = reader.current(v)
    context = _context(reader.store, cur)
    context["facts"] = fact_rows(cur.sheet, cur.draft, context["sections"])
    return templates.TemplateResponse(request, "compare.html", context)


@router.get("/drafts/{draft_id}/diff", response_class=HTMLResponse)
def page_diff(
    request: Request,
    access: ReadableDraft,
    store: StoreDep,
    draft_id: str,
    a: VersionQuery = None,
    b: VersionQuery = None,
):
    versions = store.versions(draft_id)
    last = versions[-1].number
    b = b or last
    a = a or max(1, b - 1)
    context = {"draft_id": draft_id, "a": a, "b": b, "rows": diff_rows(store, draft_id, a, b), "versions": versions}
    return templates.TemplateResponse(request, "diff.html", context)


@router.get("/drafts/{draft_id}/export", response_class=HTMLResponse)
def page_export(request: Request, reader: DraftReaderDep, fmt: str = "docx", v: VersionQuery = None):
    """Before a download: the count and list of open findings, and a confirmation; straight to the file at 0."""
    check_format(fmt)
    cur = reader.current(v)
    found = open_findings(cur.draft)
    href = f"/drafts/{reader.draft_id}/download.{fmt}?v={cur.version.number}"
    if not found:
        return RedirectResponse(href, status_code=303)
    context = {**_context(reader.store, cur), "found": found, "fmt": fmt, "href": href + "&confirm=1"}
    return templates.TemplateResponse(request, "export.html", context)


@router.get("/drafts/{draft_id}/download.{fmt}")
def page_download(reader: DraftReaderDep, fmt: str, v: VersionQuery = None, confirm: str = ""):
    check_format(fmt)
    cur = reader.current(v)
    if open_findings(cur.draft) and confirm not in ("1", "true"):
        return RedirectResponse(f"/drafts/{reader.draft_id}/export?fmt={fmt}&v={cur.version.number}", status_code=303)
    return export_file(cur.draft, fmt, cur.version.number)
