"""Knowledge base: search page and JSON API."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from ...corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS, KBDocument
from ..auth import AccountsDep, AdminUser, CurrentUser
from ..deps import KBDep
from ..errors import errors
from ..kb_search import SearchHit, marks, search
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()

UnitTypeQ = Literal["county_federation", "township", "hospital", "enterprise", "bureau", "school", "other"]
PeriodQ = Literal["annual", "first_half", "second_half"]


def _search(kb, q: str, unit_type, period, k: int) -> list[SearchHit]:
    return search(kb, q, unit_type, period, k)


@router.get("/api/knowledge/search", response_model=list[SearchHit], tags=["knowledge"], responses=errors(401, 422))
def api_search(
    user: CurrentUser,
    kb: KBDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    unit_type: UnitTypeQ | None = None,
    period: PeriodQ | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
):
    """Search exemplar sections by text, optionally filtered by unit type and period. Only sections holding most
    of the query's weight are returned (``coverage``, ``matched``): an empty list means nothing relevant."""
    return _search(kb, q, unit_type, period, k)


@router.get("/api/knowledge/documents", response_model=list[KBDocument], tags=["knowledge"], responses=errors(401, 422))
def api_documents(user: CurrentUser, kb: KBDep, unit_type: UnitTypeQ | None = None):
    """Every summary in the knowledge base with its metadata and section tree."""
    return [d.public() for d in kb.store.documents({"unit_type": unit_type} if unit_type else None)]


@router.get(
    "/api/knowledge/documents/{doc_id}", response_model=KBDocument, tags=["knowledge"], responses=errors(401, 404)
)
def api_document(user: CurrentUser, kb: KBDep, doc_id: str):
    """One summary with its metadata and section tree (``source``: its file name)."""
    return kb.document(doc_id).public()


@router.get("/knowledge", response_class=HTMLResponse, include_in_schema=False)
def page_search(request: Request, user: CurrentUser, kb: KBDep, q: str = "", unit_type: str = "", period: str = ""):
    error = None
    hits: list[SearchHit] = []
    if unit_type and unit_type not in UNIT_TYPE_LABELS or period and period not in PERIOD_LABELS:
        error = "筛选条件无效，请重新选择。"
    elif q.strip():
        if len(q) > 200:
            error = "检索词太长，请控制在200字以内。"
        else:
            hits = _search(kb, q.strip(), unit_type or None, period or None, 8)
    docs = [d.public() for d in kb.store.documents()]
    return templates.TemplateResponse(
        request,
        "knowledge.html",
        {
            "q": q,
            "unit_type": unit_type,
            "period": period,
            "hits": hits,
            "marks": marks,
            "error": error,
            "docs": docs,
            "unit_types": UNIT_TYPE_LABELS,
            "periods": PERIOD_LABELS,
        },
    )


# ------------------------------------------------------------------ editing the knowledge base


class MetadataChange(BaseModel):
    unit_name: str | None = None
    unit_type: UnitTypeQ | None = None
    period: PeriodQ | None = None
    year: int | None = None


@router.patch(
    "/api/knowledge/documents/{doc_id}",
    response_model=KBDocument,
    tags=["knowledge"],
    responses=errors(401, 403, 404, 422),
)
def api_update_document(admin: AdminUser, accounts: AccountsDep, kb: KBDep, doc_id: str, change: MetadataChange):
    """Correct a summary's unit name, unit type, period or year (admins)."""
    try:
        doc = kb.update_metadata(doc_id, change.model_dump(exclude_none=True))
    except KeyError:
        raise HTTPException(404, detail="没有找到这篇总结") from None
    accounts.audit(
        admin, "update", "document", doc_id, "修改资料库总结的信息", None, change.model_dump(exclude_none=True)
    )
    return doc.public()


@router.delete(
    "/api/knowledge/documents/{doc_id}", status_code=204, tags=["knowledge"], responses=errors(401, 403, 404)
)
def api_delete_document(admin: AdminUser, accounts: AccountsDep, kb: KBDep, doc_id: str):
    """Remove a summary from the knowledge base (admins)."""
    _delete(admin, accounts, kb, doc_id)
    return Response(status_code=204)


def _delete(admin, accounts, kb, doc_id: str) -> None:
    try:
        kb.delete_document(doc_id)
    except KeyError:
        raise HTTPException(404, detail="没有找到这篇总结") from None
    accounts.audit(admin, "delete", "document", doc_id, "从资料库删除总结")


@router.get("/knowledge/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def page_document(request: Request, user: CurrentUser, kb: KBDep, doc_id: str, saved: int = 0, q: str = ""):
    doc = kb.document(doc_id).public()
    return templates.TemplateResponse(
        request, "kb_document.html", {"doc": doc, "saved": saved, "q": q[:200], "marks": marks}
    )


@router.post("/knowledge/documents/{doc_id}", include_in_schema=False)
def page_update_document(
    admin: AdminUser,
    accounts: AccountsDep,
    kb: KBDep,
    doc_id: str,
    _: CsrfDep,
    unit_name: Annotated[str, Form()] = "",
    unit_type: Annotated[UnitTypeQ, Form()] = "other",
    period: Annotated[PeriodQ, Form()] = "annual",
    year: Annotated[str, Form()] = "",
):
    y = int(year) if year.strip().isdigit() else None
    change = {"unit_name": unit_name.strip() or None, "unit_type": unit_type, "period": period, "year": y}
    try:
        kb.update_metadata(doc_id, change)
    except KeyError:
        raise HTTPException(404, detail="没有找到这篇总结") from None
    accounts.audit(admin, "update", "document", doc_id, "修改资料库总结的信息", None, change)
    return RedirectResponse(f"/knowledge/documents/{doc_id}?saved=1", status_code=303)


@router.post("/knowledge/documents/{doc_id}/delete", include_in_schema=False)
def page_delete_document(admin: AdminUser, accounts: AccountsDep, kb: KBDep, doc_id: str, _: CsrfDep):
    _delete(admin, accounts, kb, doc_id)
    return RedirectResponse("/knowledge", status_code=303)
