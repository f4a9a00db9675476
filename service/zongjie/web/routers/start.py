"""「从往年总结开始」 — a past summary of the unit → its structure confirmed → a proposed fact sheet linked to it — and
the link itself (the sheet's 底稿).

- ``GET /facts/start``: upload last year's summary, or pick one of the unit's summaries in the knowledge base.
- ``POST /facts/start/upload`` (``file``, ``doc`` = 「取第 N 篇」, a form field; blank: the piece that is a summary):
  the file is kept in the knowledge base as the clerk's unit's document (deduplicated by content;
  ``stages/structure.py``), then its structure page opens (how many summaries the file holds, their titles, what
  was read) with 「用这篇开始」.
- ``POST /facts/start/kb/{id}``: the proposed sheet in the form, linked to that summary; when the summary names
  its unit otherwise than the unit tree (a placeholder 「zz乡工会」, an old name), the sheet takes the clerk's unit
  and says so.
- ``POST /facts/{id}/base`` (``doc_id``, empty to unlink): link a summary to a saved sheet (confirming the one found
  by name, or any other); a new revision of the sheet, audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from ...common.errors import KnowledgeBaseUnavailable
from ...corpus.reading import UnreadableFile
from ...corpus.unit_names import same_unit
from ...stages.extract import extract_document
from ...stages.structure import keep_past_summary
from ..auth import AccountsDep, CurrentUser, WritableFactSheet
from ..deps import KBDep, SettingsDep, StoreDep
from ..forms import data_to_rows
from ..security import CsrfDep
from ..templating import templates
from .base_link import link_of
from .factsheets import SUMMARY_TYPES, _form_page, read_upload, save

router = APIRouter()


def _start_page(request: Request, kb, user, unit: str = "", message: str = "", doc: str = "", status_code=200):
    unit = unit.strip()[:60]
    try:
        docs = kb.store.documents()
    except KnowledgeBaseUnavailable:  # an unavailable knowledge base still leaves the upload
        docs = []
    if unit:
        docs = [d for d in docs if unit in (d.unit_name or "") or unit in d.title or same_unit(d.unit_name, unit)]
    else:  # the unit's own first
        docs.sort(key=lambda d: not (d.unit_id == user.unit_id or same_unit(d.unit_name, user.unit_name)))
    return templates.TemplateResponse(
        request,
        "factsheet_start.html",
        {"docs": docs[:200], "unit": unit, "message": message, "doc": doc},
        status_code=status_code,
    )


@router.get("/facts/start", response_class=HTMLResponse, include_in_schema=False)
def page_start_from_summary(request: Request, user: CurrentUser, kb: KBDep, unit: str = "", message: str = ""):
    return _start_page(request, kb, user, unit, message)


@router.post("/facts/start/upload", include_in_schema=False)
def page_start_upload(
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    kb: KBDep,
    store: StoreDep,
    accounts: AccountsDep,
    _: CsrfDep,
    file: Annotated[UploadFile, File()],
    doc: Annotated[str, Form(max_length=8)] = "",
):
    name = Path((file.filename or "总结").replace("\\", "/")).name  # a Windows path as some browsers send it
    typed = doc.strip()  # blank: the piece that is a summary
    if typed and (not typed.isdigit() or int(typed) < 1):
        message = f"「文件里有几篇总结时取第几篇」：「{typed}」不是篇数，请填 1、2、3……"
        return _start_page(request, kb, user, message=message, doc=typed, status_code=422)
    try:
        data = read_upload(file, settings, SUMMARY_TYPES)
    except HTTPException as exc:
        return _start_page(request, kb, user, message=str(exc.detail), doc=typed, status_code=exc.status_code)
    unit_id = None if user.is_admin else user.unit_id
    try:
        kept = keep_past_summary(kb, store, name, data, unit_id, int(typed) if typed else None, user.username)
    except IndexError as exc:
        titles = exc.args[0]
        listed = "；".join(f"第{i}篇「{t or '（无标题）'}」" for i, t in enumerate(titles, 1))
        message = f"「取第几篇」：「{name}」里只有 {len(titles)} 篇总结（{listed}），请填 1 到 {len(titles)}"
        return _start_page(request, kb, user, message=message, doc=typed, status_code=422)
    except (UnreadableFile, ValueError) as exc:
        return _start_page(request, kb, user, message=f"无法读取「{name}」：{exc}", doc=typed, status_code=422)
    except KnowledgeBaseUnavailable:
        message = "资料库暂时无法访问，这份总结没有保存，请稍后再试"
        return _start_page(request, kb, user, message=message, doc=typed, status_code=503)
    chosen = next(d for d in kept.docs if d.piece == kept.piece)
    if not kept.existed:
        summary = f"从往年总结开始：「{name}」存入资料库（{len(kept.docs)} 篇）"
        accounts.audit(user, "create", "document", chosen.id, summary, unit_id)
    return RedirectResponse(f"/knowledge/documents/{chosen.id}/structure?start=1", status_code=303)


@router.post("/facts/start/kb/{doc_id}", include_in_schema=False)
def page_start_from_document(request: Request, user: CurrentUser, kb: KBDep, doc_id: str, _: CsrfDep):
    doc = kb.document(doc_id)
    ex = extract_document(doc)
    data = {**ex.data, "base": link_of(doc)}
    name = doc.title or doc.unit_name or "资料库中的总结"
    message = f"已从「{name}」提取：指标 {len(data['metrics'])} 项、章节 {len(data['sections'])} 个。请核对后保存。"
    read = (data.get("unit") or {}).get("name") or ""
    if not user.is_admin and user.unit_name and not same_unit(read, user.unit_name):
        data["unit"] = {**(data.get("unit") or {}), "name": user.unit_name}
        if data.get("signature") and same_unit(data["signature"].get("unit"), read):
            data["signature"] = {**data["signature"], "unit": user.unit_name}
        message += f" 总结里写的单位是「{read or '（未识别）'}」，事实表用您的单位「{user.unit_name}」。"
    if ex.problems:
        message += " 还需补充：" + "；".join(ex.problems)
    return _form_page(request, data_to_rows(data), message=message, extracted=name)


@router.post("/facts/{factsheet_id}/base", include_in_schema=False)
def page_link_base(
    user: CurrentUser,
    stored: WritableFactSheet,
    store: StoreDep,
    accounts: AccountsDep,
    kb: KBDep,
    _: CsrfDep,
    doc_id: Annotated[str, Form(max_length=64)] = "",
):
    data = dict(stored.data)
    data["base"] = link_of(kb.document(doc_id)) if doc_id else None
    save(store, accounts, user, data, stored.id)
    return RedirectResponse(f"/facts/{stored.id}?saved=1", status_code=303)
