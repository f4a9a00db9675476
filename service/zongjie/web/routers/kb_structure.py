"""The structure page of a knowledge-base summary: the source text beside what was read, corrected by a form.

``GET /knowledge/documents/{id}/structure`` shows title, unit, type, year, period, 落款, the heading tree (level,
where each heading ends and its text begins, role) and, on the left, the text as read with the headings marked
(and the furniture the parser dropped struck through, when it reports it). ``POST`` the same address saves the
corrections typed there (one plain form: no script needed); a field that cannot be used is named in Chinese and
everything typed is shown again. ``…/structure/reset`` undoes the corrections. JSON: ``GET`` and ``POST
/api/knowledge/documents/{id}/fixes``. Admins correct any summary; a clerk the summaries of their own unit.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ...auth.policy import Principal, Role
from ...common.errors import NotFound
from ...corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS, KBDocument
from ...corpus.furniture import RULES
from ...corpus.review import DocumentFixes, Fix
from ...stages.structure import reset_structure, save_structure, source_text
from ...storage import kb_reviews
from ..auth import AccountsDep, CurrentUser
from ..deps import KBDep, StoreDep
from ..errors import errors
from ..security import check_csrf
from ..templating import templates

router = APIRouter()
ROLES = ("body", "problems", "plans")
START_CHARS = 40


def can_edit(user: Principal, doc: KBDocument) -> bool:
    """Admins correct any summary; clerks the summaries of their own unit."""
    return user.is_admin or (user.role == Role.clerk and bool(doc.unit_id) and doc.unit_id == user.unit_id)


def _require_edit(user: Principal, doc: KBDocument) -> None:
    if not can_edit(user, doc):
        raise HTTPException(403, detail="只有管理员或这篇总结所属单位的填报员可以更正")


# ------------------------------------------------------------------ what the page shows
def _rows(doc: KBDocument) -> list[dict[str, Any]]:
    return [
        {
            "anchor": f"{s.marker}{s.title}",
            "marker": s.marker,
            "title": s.title,
            "level": len(path),
            "role": s.role,
            "text_start": s.text[:START_CHARS],
            "text_more": len(s.text) > START_CHARS,
            "merge": False,
            "split": "",
            "errors": {},
        }
        for path, s in doc.walk()
    ]


def _meta(doc: KBDocument) -> dict[str, Any]:
    return {
        "title": doc.title,
        "unit_name": doc.unit_name or "",
        "unit_type": doc.unit_type,
        "year": doc.year_text or (str(doc.year) if doc.year else ""),
        "period": doc.period,
        "signed_by": doc.signed_by or "",
        "signature": doc.signature or "",
        "unit_id": doc.unit_id or "",
        "drop": "",
    }


def segments(text: str, doc: KBDocument) -> list[tuple[str, str, str]]:
    """The source text cut into (piece, kind, tip): ``heading`` where a heading of the tree stands (placed by the
    parser, else found by its words after the heading before it), ``dropped`` for what the parser left out (tip:
    why), ``text`` for the rest."""
    marks: list[tuple[int, int, str, str]] = []
    pos = doc.start or 0
    for _, s in doc.walk():
        if s.start is not None and s.title_end is not None and s.title_end <= len(text):
            marks.append((s.start, s.title_end, "heading", ""))
            pos = s.title_end
            continue
        pos = s.start if s.start is not None else pos
        for probe in (f"{s.marker}{s.title}", s.title):
            at = text.find(probe, pos) if probe else -1
            if at >= 0:
                marks.append((at, at + len(probe), "heading", ""))
                pos = at + len(probe)
                break
    for d in doc.dropped:
        start, end = d.start, d.end
        if start is None or end is None:
            found = text.find(d.text) if d.text else -1
            start, end = (found, found + len(d.text)) if found >= 0 else (None, None)
        if start is not None and end is not None:
            marks.append((start, end, "dropped", f"作为{RULES.get(d.rule, d.rule)}删去"))
    out: list[tuple[str, str, str]] = []
    pos = 0
    for start, end, kind, tip in sorted(marks):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], "text", ""))
        out.append((text[start:end], kind, tip))
        pos = end
    if pos < len(text):
        out.append((text[pos:], "text", ""))
    return out


def _page(
    request: Request,
    user: Principal,
    kb,
    store,
    accounts,
    doc: KBDocument,
    *,
    rows: list[dict[str, Any]] | None = None,
    meta: dict[str, Any] | None = None,
    errors_: dict[str, str] | None = None,
    message: str = "",
    unapplied: list[Fix] | None = None,
    start: bool = False,
    status_code: int = 200,
):
    found = source_text(store, doc)
    name, text = found if found else (doc.source.rsplit("/", 1)[-1], doc.full_text())
    pieces = sorted(kb.store.documents({"file_hash": doc.file_hash}), key=lambda d: d.piece) or [doc]
    stored = kb_reviews.review(store, doc.file_hash, doc.piece)
    return templates.TemplateResponse(
        request,
        "kb_structure.html",
        {
            "doc": doc,
            "rows": rows if rows is not None else _rows(doc),
            "meta": meta if meta is not None else _meta(doc),
            "errors": errors_ or {},
            "message": message,
            "unapplied": unapplied or [],
            "start": start,
            "pieces": pieces,
            "source_name": name,
            "source_kept": found is not None,
            "segments": segments(text, doc),
            "kept": doc.kept_share,
            "dropped": doc.dropped,
            "reviewed": len(stored.fixes.fixes) if stored else 0,
            "can_edit": can_edit(user, doc),
            "units": accounts.units() if user.is_admin else [],
            "unit_types": UNIT_TYPE_LABELS,
            "rules": RULES,
            "periods": PERIOD_LABELS,
        },
        status_code=status_code,
    )


@router.get("/knowledge/documents/{doc_id}/structure", response_class=HTMLResponse, include_in_schema=False)
def page_structure(
    request: Request,
    user: CurrentUser,
    kb: KBDep,
    store: StoreDep,
    accounts: AccountsDep,
    doc_id: str,
    start: int = 0,
    saved: int = 0,
):
    doc = kb.document(doc_id)
    message = "已保存更正，并已重新入库。" if saved else ""
    return _page(request, user, kb, store, accounts, doc, message=message, start=bool(start))


# ------------------------------------------------------------------ reading the form
def _typed_rows(form, doc: KBDocument) -> list[dict[str, Any]]:
    current = _rows(doc)
    lists = {k: form.getlist(f"h_{k}") for k in ("anchor", "level", "title", "role", "split")}
    merged = {str(v) for v in form.getlist("h_merge")}
    rows = []
    for i, anchor in enumerate(lists["anchor"]):
        # the row at the same place (two headings may read alike), else the first that reads like it
        same = [r for r in current if r["anchor"] == str(anchor)]
        was = current[i] if i < len(current) and current[i]["anchor"] == str(anchor) else (same[0] if same else None)
        if was is None:
            continue
        row = dict(was)
        row["level"] = int(lists["level"][i]) if i < len(lists["level"]) and str(lists["level"][i]).isdigit() else 0
        row["title"] = str(lists["title"][i]).strip() if i < len(lists["title"]) else was["title"]
        row["role"] = str(lists["role"][i]) if i < len(lists["role"]) else was["role"]
        row["split"] = str(lists["split"][i]).strip() if i < len(lists["split"]) else ""
        row["merge"] = str(i + 1) in merged
        row["was"] = was
        row["errors"] = {}
        rows.append(row)
    return rows


def _unit_exists(accounts, unit_id: str) -> bool:
    try:
        accounts.unit(unit_id)
    except NotFound:
        return False
    return True


def _fixes_from_form(form, doc: KBDocument, user: Principal, accounts):
    """The corrections the form asks for, or the problems (field → Chinese message) with everything typed."""
    meta = {k: str(form.get(k, "")).strip() for k in ("title", "unit_name", "year", "signed_by", "signature", "drop")}
    meta["unit_type"] = str(form.get("unit_type", doc.unit_type))
    meta["period"] = str(form.get("period", doc.period))
    meta["unit_id"] = str(form.get("unit_id", doc.unit_id or "")) if user.is_admin else (doc.unit_id or "")
    problems: dict[str, str] = {}
    was = _meta(doc)
    changes: dict[str, Any] = {}
    for key in ("title", "unit_name", "signed_by", "signature"):
        if meta[key] != was[key]:
            if key == "title" and not meta[key]:
                problems["title"] = "标题：不能为空"
            changes[key] = meta[key] or None
    if meta["unit_type"] not in UNIT_TYPE_LABELS:
        problems["unit_type"] = "单位类型：请从列表中选择"
    elif meta["unit_type"] != doc.unit_type:
        changes["unit_type"] = meta["unit_type"]
    if meta["period"] not in PERIOD_LABELS:
        problems["period"] = "时段：请从列表中选择"
    elif meta["period"] != doc.period:
        changes["period"] = meta["period"]
    if meta["year"] != was["year"]:
        if meta["year"].isdigit() and len(meta["year"]) == 4 and 1949 <= int(meta["year"]) <= 2100:
            changes["year"] = int(meta["year"])
        else:
            problems["year"] = f"年度：「{meta['year']}」不是年份，请填四位数字，如 2024"
    if user.is_admin and meta["unit_id"] != (doc.unit_id or ""):
        if meta["unit_id"] and not _unit_exists(accounts, meta["unit_id"]):
            problems["unit_id"] = "属于单位树中的：没有这个单位，请从列表中选择"
        changes["unit_id"] = meta["unit_id"] or None

    rows = _typed_rows(form, doc)
    fixes: list[Fix] = []
    merges: list[Fix] = []
    splits: list[Fix] = []
    previous = 0
    for n, row in enumerate(rows, start=1):
        was_row, anchor = row["was"], row["anchor"]
        if row["level"] not in (1, 2, 3, 4):
            row["errors"]["level"] = f"第{n}个标题的层级：请选 1 到 4 级"
        elif not row["merge"] and row["level"] > previous + 1:
            row["errors"]["level"] = f"第{n}个标题的层级：比上一个标题深了不止一级，请改为 {previous + 1} 级或更高"
        if row["role"] not in ROLES:
            row["errors"]["role"] = f"第{n}个标题的作用：请从列表中选择"
        if not row["title"] and not row["merge"]:
            row["errors"]["title"] = f"第{n}个标题：不能为空（不是标题请勾选“并入上一节”）"
        if row["split"] and row["split"] not in doc_text_of(doc, was_row):
            row["errors"]["split"] = f"第{n}个标题的“另起标题”：这一节的正文里找不到「{row['split'][:30]}」"
        if row["errors"]:
            continue
        if row["merge"]:
            merges.append(Fix(heading=anchor, merge=True))
            continue
        previous = row["level"]
        if row["title"] != was_row["title"]:
            fixes.append(Fix(heading=anchor, title=row["title"]))
            anchor = row["marker"] + row["title"].rstrip("。；;：:")
        if row["level"] != was_row["level"]:
            fixes.append(Fix(heading=anchor, level=row["level"]))
        if row["role"] != was_row["role"]:
            fixes.append(Fix(heading=anchor, role=row["role"]))
        if row["split"]:
            splits.append(Fix(split=row["split"], level=row["level"]))
    full = doc.full_text()
    drops = [line.strip() for line in meta["drop"].splitlines() if line.strip()]
    for line in drops:
        if line not in full:
            problems["drop"] = f"要删去的网页杂项：原文里找不到「{line[:30]}」"
    restores = [str(t).strip() for t in form.getlist("restore") if str(t).strip()]
    known = {d.text.strip() for d in doc.dropped}
    for text in restores:
        if text not in known:
            problems["restore"] = f"恢复删去的文字：「{text[:30]}」不在删去的文字里（页面可能已过期，请刷新）"
    if any(r["errors"] for r in rows):
        problems["rows"] = "标题有误"
    if problems:
        return None, rows, meta, problems
    ops = [Fix(restore=t) for t in restores] + fixes + merges + splits + [Fix(drop=line) for line in drops]
    return DocumentFixes(**changes, fixes=ops), rows, meta, {}


def doc_text_of(doc: KBDocument, row: dict[str, Any]) -> str:
    for _, s in doc.walk():
        if f"{s.marker}{s.title}" == row["anchor"]:
            return s.text
    return ""


@router.post("/knowledge/documents/{doc_id}/structure", include_in_schema=False)
async def page_save_structure(
    request: Request,
    user: CurrentUser,
    kb: KBDep,
    store: StoreDep,
    accounts: AccountsDep,
    doc_id: str,
    start: int = 0,
):
    form = await request.form()  # the rest re-parses and re-indexes: off the event loop
    return await run_in_threadpool(_save_structure, request, user, kb, store, accounts, doc_id, start, form)


def _save_structure(request: Request, user, kb, store, accounts, doc_id: str, start: int, form):
    check_csrf(request, str(form.get("csrf_token", "")))
    doc = kb.document(doc_id)
    _require_edit(user, doc)
    fixes, rows, meta, problems = _fixes_from_form(form, doc, user, accounts)
    if fixes is None:
        first = next(iter(v for k, v in problems.items() if k != "rows"), None)
        row_error = next((e for r in rows for e in r["errors"].values()), None)
        message = "请按提示修改标红的内容，其余内容已保留：" + (first or row_error or "")
        return _page(
            request,
            user,
            kb,
            store,
            accounts,
            doc,
            rows=rows,
            meta=meta,
            errors_=problems,
            message=message,
            start=bool(start),
            status_code=422,
        )
    if fixes.is_empty():
        return RedirectResponse(f"/knowledge/documents/{doc_id}/structure?start={start}", status_code=303)
    fixed, unapplied = save_structure(kb, store, doc_id, fixes, user.username)
    accounts.audit(
        user, "update", "document", doc_id, "更正资料库总结的识别结果", None, fixes.model_dump(exclude_none=True)
    )
    if unapplied:
        return _page(
            request,
            user,
            kb,
            store,
            accounts,
            fixed,
            message="已保存其余更正。",
            unapplied=unapplied,
            start=bool(start),
        )
    return RedirectResponse(f"/knowledge/documents/{doc_id}/structure?saved=1&start={start}", status_code=303)


@router.post("/knowledge/documents/{doc_id}/structure/reset", include_in_schema=False)
async def page_reset_structure(
    request: Request, user: CurrentUser, kb: KBDep, store: StoreDep, accounts: AccountsDep, doc_id: str
):
    form = await request.form()  # the rest re-parses and re-indexes: off the event loop
    return await run_in_threadpool(_reset_structure, request, user, kb, store, accounts, doc_id, form)


def _reset_structure(request: Request, user, kb, store, accounts, doc_id: str, form):
    check_csrf(request, str(form.get("csrf_token", "")))
    doc = kb.document(doc_id)
    _require_edit(user, doc)
    if reset_structure(kb, store, doc_id, user.username) is None:
        return _page(request, user, kb, store, accounts, doc, message="原文没有保存，无法恢复自动识别。")
    accounts.audit(user, "update", "document", doc_id, "撤销资料库总结的更正")
    return RedirectResponse(f"/knowledge/documents/{doc_id}/structure?saved=1", status_code=303)


# ------------------------------------------------------------------ JSON
class StructureOut(BaseModel):
    document: KBDocument
    fixes: DocumentFixes
    unapplied: list[Fix] = []


@router.get(
    "/api/knowledge/documents/{doc_id}/fixes",
    response_model=StructureOut,
    tags=["knowledge"],
    responses=errors(401, 404),
)
def api_fixes(user: CurrentUser, kb: KBDep, store: StoreDep, doc_id: str):
    """A summary as read (corrections applied) and the corrections stored for it."""
    doc = kb.document(doc_id)
    stored = kb_reviews.review(store, doc.file_hash, doc.piece)
    return StructureOut(document=doc, fixes=stored.fixes if stored else DocumentFixes())


@router.post(
    "/api/knowledge/documents/{doc_id}/fixes",
    response_model=StructureOut,
    tags=["knowledge"],
    responses=errors(401, 403, 404, 422),
)
def api_add_fixes(
    user: CurrentUser,
    kb: KBDep,
    store: StoreDep,
    accounts: AccountsDep,
    doc_id: str,
    fixes: DocumentFixes,
):
    """Correct what was read (metadata and heading tree; see ``corpus/review.py``): applied now, kept with the file
    (re-imports of the same content get them back), re-indexed. ``unapplied``: operations whose text was not
    found (not kept). Admins: any summary; clerks: their unit's."""
    doc = kb.document(doc_id)
    _require_edit(user, doc)
    if fixes.unit_id is not None and not user.is_admin and fixes.unit_id != doc.unit_id:
        raise HTTPException(403, detail="只有管理员可以改变总结所属的单位")
    if fixes.unit_id is not None and not _unit_exists(accounts, fixes.unit_id):
        raise HTTPException(422, detail=f"unit_id：没有编号为「{fixes.unit_id}」的单位")
    fixed, unapplied = save_structure(kb, store, doc_id, fixes, user.username)
    accounts.audit(
        user, "update", "document", doc_id, "更正资料库总结的识别结果", None, fixes.model_dump(exclude_none=True)
    )
    stored = kb_reviews.review(store, fixed.file_hash, fixed.piece)
    return StructureOut(document=fixed, fixes=stored.fixes if stored else DocumentFixes(), unapplied=unapplied)
