"""Knowledge base: search page and JSON API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from ...corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS, KBDocument
from ...stages.retrieve import RetrievalQuery, retrieve
from ..deps import KBDep

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))

UnitTypeQ = Literal["county_federation", "township", "hospital", "enterprise", "bureau", "school", "other"]
PeriodQ = Literal["annual", "first_half", "second_half"]


class SearchHit(BaseModel):
    id: str
    heading_path: list[str]
    text: str
    score: float
    unit_name: str
    unit_type: str
    period: str
    year: int | None
    source: str
    doc_id: str


def _search(kb, q: str, unit_type, period, k: int) -> list[SearchHit]:
    hits = retrieve(kb, RetrievalQuery(text=q, k=k, unit_type=unit_type, period=period))
    return [SearchHit(id=h.chunk.id, heading_path=h.chunk.heading_path, text=h.chunk.body, score=h.score,
                      unit_name=h.chunk.unit_name, unit_type=h.chunk.unit_type, period=h.chunk.period,
                      year=h.chunk.year, source=Path(h.chunk.source).name, doc_id=h.chunk.doc_id) for h in hits]


@router.get("/api/knowledge/search", response_model=list[SearchHit], tags=["knowledge"])
def api_search(kb: KBDep, q: Annotated[str, Query(min_length=1, max_length=200)],
               unit_type: UnitTypeQ | None = None, period: PeriodQ | None = None,
               k: Annotated[int, Query(ge=1, le=50)] = 5):
    """Search exemplar sections by text, optionally filtered by unit type and period."""
    return _search(kb, q, unit_type, period, k)


@router.get("/api/knowledge/documents", response_model=list[KBDocument], tags=["knowledge"])
def api_documents(kb: KBDep, unit_type: UnitTypeQ | None = None):
    """Every summary in the knowledge base with its metadata and section tree."""
    return kb.store.documents({"unit_type": unit_type} if unit_type else None)


@router.get("/api/knowledge/documents/{doc_id}", response_model=KBDocument, tags=["knowledge"])
def api_document(kb: KBDep, doc_id: str):
    doc = kb.store.document(doc_id)
    if doc is None:
        raise HTTPException(404, detail="没有找到这篇总结")
    return doc


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/knowledge", response_class=HTMLResponse, include_in_schema=False)
def page_search(request: Request, kb: KBDep, q: str = "", unit_type: str = "", period: str = ""):
    error = None
    hits: list[SearchHit] = []
    if unit_type and unit_type not in UNIT_TYPE_LABELS or period and period not in PERIOD_LABELS:
        error = "筛选条件无效，请重新选择。"
    elif q.strip():
        if len(q) > 200:
            error = "检索词太长，请控制在200字以内。"
        else:
            hits = _search(kb, q.strip(), unit_type or None, period or None, 8)
    docs = kb.store.documents()
    return templates.TemplateResponse(request, "knowledge.html", {
        "q": q, "unit_type": unit_type, "period": period, "hits": hits, "error": error, "docs": docs,
        "unit_types": UNIT_TYPE_LABELS, "periods": PERIOD_LABELS,
    })
