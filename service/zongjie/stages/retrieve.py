"""Stage: retrieve — a query with filters → ranked exemplar sections from the knowledge base.

Input: ``RetrievalQuery``. Output: a list of ``Hit`` (chunk + score + method), best first.
Methods: ``lexical`` (jieba + BM25), ``dense`` (the configured embedder through the vector store), ``hybrid``
(reciprocal-rank fusion of both, k=60). Filters: unit_type, period, role; ``exclude_unit`` drops sections of the
unit being drafted (its own earlier summaries; unit names also compared after ``corpus.unit_names.normalise``) and
``exclude_docs`` those of the documents named (the unit's own: its base summary, documents of its unit) unless asked
for; ``max_per_doc`` keeps results diverse. Filters
are masks applied before ranking in both indexes (``KnowledgeBase.search_view``), so a narrow filter never
leaves a ranking short; the query vector comes from the knowledge base's cache.

For drafting: ``exemplars_for(kb, ExemplarQuery)`` → the ``Exemplar`` sections a section writer imitates (same unit
type and role, other units, one per document; the period is widened to any when none match). An unavailable
knowledge base (``KnowledgeBaseUnavailable``) gives no exemplars, so drafting goes on without them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pydantic import BaseModel

from ..backends.knowledge_base import KnowledgeBase, SearchView
from ..checker.exemplars import Exemplar
from ..common.errors import KnowledgeBaseUnavailable
from ..corpus.document import Chunk, file_name
from ..corpus.unit_names import same_unit
from ..factsheets.model import FactSheet
from ..writers.base import SectionFacts

RRF_K = 60
QUERY_CHARS = 400
log = logging.getLogger(__name__)


class RetrievalQuery(BaseModel):
    text: str
    k: int = 5
    unit_type: str | None = None
    period: str | None = None
    role: str | None = None
    exclude_unit: str | None = None
    exclude_docs: list[str] = []
    max_per_doc: int | None = None
    method: str | None = None  # None: the knowledge base's configured method

    def where(self) -> dict[str, str]:
        return {k: v for k, v in (("unit_type", self.unit_type), ("period", self.period), ("role", self.role)) if v}


@dataclass
class Hit:
    chunk: Chunk
    score: float
    method: str


def lexical_ranking(
    kb: KnowledgeBase, q: RetrievalQuery, depth: int, view: SearchView | None = None
) -> list[tuple[Chunk, float]]:
    """BM25 over the query terms' postings, among the sections the filters keep (masked before ranking)."""
    view = view or kb.search_view()
    if not view.slot_chunks:
        return []
    keep = view.codes.mask(len(view.slot_chunks), q.where(), q.exclude_unit)
    out: list[tuple[Chunk, float]] = []
    for slot, score in view.lexical.top(q.text, _deeper(q, depth), keep):
        chunk = view.slot_chunks[slot]
        if chunk is not None and not _own(chunk, q):
            out.append((chunk, score))
    return out[:depth]


def dense_ranking(
    kb: KnowledgeBase, q: RetrievalQuery, depth: int, view: SearchView | None = None
) -> list[tuple[Chunk, float]]:
    """Exact cosine over the sections the filters keep (the in-process dense index), query vector cached."""
    view = view or kb.search_view()
    if view.dense is None or not len(view.dense):
        return []
    store = kb.store
    ann = (lambda v, k: store.query(v, k, None)) if store.approximate else None  # HNSW, for broad filters
    pairs = view.dense.search(kb.query_vector(q.text), _deeper(q, depth), q.where(), q.exclude_unit, ann)
    return [(view.chunks[i], s) for i, s in pairs if i in view.chunks and not _own(view.chunks[i], q)][:depth]


def _own(chunk: Chunk, q: RetrievalQuery) -> bool:
    """A section of the unit being drafted that the exact-name mask does not catch: its name differs only in page
    digits, spacing, script or 工会委员会 ↔ 工会, or its document is one of the unit's own (``exclude_docs``)."""
    return chunk.doc_id in q.exclude_docs or bool(q.exclude_unit and same_unit(chunk.unit_name, q.exclude_unit))


def _deeper(q: RetrievalQuery, depth: int) -> int:
    """Ranked deeper when the unit's own sections are taken out after ranking, so the ranking is not left short."""
    return depth * 2 if q.exclude_docs or q.exclude_unit else depth


def retrieve(kb: KnowledgeBase, q: RetrievalQuery) -> list[Hit]:
    method = q.method or kb.method
    depth = max(q.k * 4, 20)
    view = kb.search_view()
    if method == "lexical":
        ranked = [Hit(c, s, "lexical") for c, s in lexical_ranking(kb, q, depth, view)]
    elif method == "dense":
        ranked = [Hit(c, s, "dense") for c, s in dense_ranking(kb, q, depth, view)]
    elif method == "hybrid":
        fused: dict[str, float] = {}
        chunk_of: dict[str, Chunk] = {}
        for ranking in (lexical_ranking(kb, q, depth, view), dense_ranking(kb, q, depth, view)):
            for rank, (c, _) in enumerate(ranking):
                fused[c.id] = fused.get(c.id, 0.0) + 1.0 / (RRF_K + rank + 1)
                chunk_of[c.id] = c
        ranked = [Hit(chunk_of[i], s, "hybrid") for i, s in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))]
    else:
        raise ValueError(f"unknown retrieval method {method!r}: lexical, dense or hybrid")
    if q.max_per_doc:
        per: dict[str, int] = {}
        diverse = []
        for h in ranked:
            if per.get(h.chunk.doc_id, 0) < q.max_per_doc:
                diverse.append(h)
                per[h.chunk.doc_id] = per.get(h.chunk.doc_id, 0) + 1
        ranked = diverse
    return ranked[: q.k]


class ExemplarQuery(BaseModel):
    """What exemplars one draft section wants: its heading and facts (in words), and whose summaries may serve."""

    heading: str
    facts: list[str] = []
    role: str | None = None
    unit_type: str | None = None
    period: str | None = None  # widened to any period when nothing matches
    exclude_unit: str | None = None  # the unit being drafted: its own summaries are not exemplars
    exclude_docs: list[str] = []  # the unit's own documents (``stages.base_summary.own_document_ids``)
    k: int = 2

    @classmethod
    def for_section(
        cls, sheet: FactSheet, heading: str, role: str, fact_ids: list[str], own_docs: list[str] | None = None
    ) -> ExemplarQuery:
        facts = SectionFacts.select(sheet, fact_ids)
        return cls(
            heading=heading,
            facts=[text for _, text in facts.statements()],
            role=role,
            unit_type=sheet.unit.type,
            period=sheet.period.kind,
            exclude_unit=sheet.unit.name,
            exclude_docs=list(own_docs or []),
        )

    def text(self) -> str:
        return (self.heading + " " + " ".join(self.facts))[:QUERY_CHARS]


def exemplars_for(kb: KnowledgeBase | None, q: ExemplarQuery) -> list[Exemplar]:
    """Exemplar sections for one draft section, best first; none without a (reachable) knowledge base."""
    if kb is None:
        return []
    hits: list[Hit] = []
    try:
        for period in dict.fromkeys((q.period, None)):  # widen to any period when none match
            query = RetrievalQuery(
                text=q.text(),
                k=q.k,
                unit_type=q.unit_type,
                period=period,
                role=q.role,
                exclude_unit=q.exclude_unit,
                exclude_docs=q.exclude_docs,
                max_per_doc=1,
            )
            hits = retrieve(kb, query)
            if hits:
                break
    except KnowledgeBaseUnavailable as exc:
        log.warning("no exemplars for section %r: %s", q.heading, exc)
        return []
    return [
        Exemplar(
            text=h.chunk.body or h.chunk.text,
            source=h.chunk.doc_title or file_name(h.chunk.source),  # never a server path
            unit_name=h.chunk.unit_name or None,
        )
        for h in hits
    ]
