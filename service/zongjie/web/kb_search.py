"""Knowledge-base search for editors: relevant hits only, the query marked in each hit, a link into its document.

Contract:
- ``search(kb, q, unit_type, period, k)`` returns up to k ``SearchHit``s, best first (sections holding the query
  word for word before the others), keeping only sections that
  contain the query's words: a section must match query terms (jieba words, punctuation and function words
  dropped) carrying at least ``MIN_COVERAGE`` of the query's weight, where a term weighs its inverse document
  frequency over the knowledge base (a word that is everywhere, like 工作, weighs little; 火星 weighs a lot).
  A query with nothing relevant returns [] — the page says so instead of listing unrelated sections.
- ``marks(text, q)`` cuts a text into ``(piece, matched)`` pairs, the query marked (``mark_terms``: its phrases as
  typed, then its words of two characters or more, longest first; terms that touch are one mark, so a phrase of
  the query is marked whole), for the templates to render with <mark> (they escape every piece).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from pydantic import BaseModel

from ..backends.knowledge_base import KnowledgeBase
from ..backends.lexical import tokenize
from ..stages.retrieve import RetrievalQuery, retrieve

MIN_COVERAGE = 0.5


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
    doc_title: str = ""
    matched: list[str] = []
    coverage: float = 0.0


def query_terms(q: str) -> list[str]:
    """The query's content words, longest first, without duplicates."""
    return sorted(dict.fromkeys(t for t in tokenize(q) if len(t) >= 2 or re.match(r"[\u4e00-\u9fff]", t)), key=len)[
        ::-1
    ]


def query_phrases(q: str) -> list[str]:
    """The query as typed, split at spaces and punctuation: the phrases an editor looks for word for word
    (「职工之家」, which the tokenizer cuts into 职工 / 之 / 家), two characters or more, longest first."""
    parts = (p for p in re.split(r"[\s\W_]+", q) if len(p) >= 2)
    return sorted(dict.fromkeys(parts), key=len, reverse=True)


def mark_terms(q: str) -> list[str]:
    """What ``marks`` marks: the query's phrases as typed, then its words of two characters or more (a single
    character such as 家 is marked only inside a phrase: alone it would light up 国家、企业家、3家 everywhere), longest
    first; a one-character query is marked as it is."""
    terms = [*query_phrases(q), *(t for t in query_terms(q) if len(t) >= 2)]
    if not terms:
        terms = query_terms(q)
    return sorted(dict.fromkeys(terms), key=len, reverse=True)


def _weights(kb: KnowledgeBase, terms: list[str]) -> dict[str, float]:
    _, index = kb.lexical()
    n = max(1, len(index))
    return {t: math.log(1 + n / (1 + index.doc_freq(t))) for t in terms}


def search(kb: KnowledgeBase, q: str, unit_type: str | None, period: str | None, k: int) -> list[SearchHit]:
    terms = query_terms(q)
    if not terms:
        return []
    weights = _weights(kb, terms)
    total = sum(weights.values()) or 1.0
    hits = retrieve(kb, RetrievalQuery(text=q, k=max(k * 4, 20), unit_type=unit_type, period=period))
    phrases = query_phrases(q)
    out: list[SearchHit] = []
    for h in hits:
        text = h.chunk.text
        matched = [t for t in terms if t in text]
        coverage = sum(weights[t] for t in matched) / total
        if coverage < MIN_COVERAGE:
            continue
        c = h.chunk
        out.append(
            SearchHit(
                id=c.id,
                heading_path=c.heading_path,
                text=c.body,
                score=h.score,
                unit_name=c.unit_name,
                unit_type=c.unit_type,
                period=c.period,
                year=c.year,
                source=Path(c.source).name,
                doc_id=c.doc_id,
                doc_title=c.doc_title,
                matched=matched,
                coverage=round(coverage, 3),
            )
        )
    # sections holding the query word for word come first (a stable sort: retrieval's order within each group)
    out.sort(key=lambda hit: not any(p in hit.text or p in "".join(hit.heading_path) for p in phrases))
    return out[:k]


def marks(text: str, q: str) -> list[tuple[str, bool]]:
    terms = mark_terms(q)
    if not terms or not text:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        if out and out[-1][1] and m.start() == pos:  # adjacent terms are one mark: 「金秋助学」, not 「金秋」「助学」
            out[-1] = (out[-1][0] + m.group(), True)
        else:
            out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out
