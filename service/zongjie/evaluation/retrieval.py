"""Retrieval quality: recall@k and MRR of a retrieval method over a labelled query set.

A labelled query (``eval/retrieval/queries.yaml``) names target sections as {file, heading}: a chunk is relevant
to a target when its source file name equals ``file`` and one heading on its path contains ``heading``.
Targets in files that were not ingested (e.g. ``../shared/seeds`` absent) are dropped, and so are queries left
without targets. recall@k = found targets / targets, per query, averaged; MRR = mean of 1/rank of the first
relevant chunk (0 when none in the top ``depth``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..backends.knowledge_base import KnowledgeBase
from ..corpus.document import Chunk
from ..stages.retrieve import RetrievalQuery, retrieve


@dataclass
class LabelledQuery:
    query: str
    targets: list[dict]
    filters: dict = field(default_factory=dict)


def load_queries(path: Path, available_files: set[str]) -> list[LabelledQuery]:
    out = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        targets = [t for t in item["relevant"] if t["file"] in available_files]
        if targets:
            filters = {k: item[k] for k in ("unit_type", "period", "role") if k in item}
            out.append(LabelledQuery(item["query"], targets, filters))
    return out


def is_relevant(chunk: Chunk, target: dict) -> bool:
    return Path(chunk.source).name == target["file"] and any(target["heading"] in h for h in chunk.heading_path)


@dataclass
class RetrievalScore:
    method: str
    queries: int
    recall_at_k: float
    mrr: float
    k: int
    misses: list[str] = field(default_factory=list)


def evaluate(
    kb: KnowledgeBase, queries: list[LabelledQuery], method: str, k: int = 5, depth: int = 20
) -> RetrievalScore:
    recalls, rr, misses = [], [], []
    for q in queries:
        hits = retrieve(kb, RetrievalQuery(text=q.query, k=depth, method=method, **q.filters))
        top = [h.chunk for h in hits]
        found = sum(1 for t in q.targets if any(is_relevant(c, t) for c in top[:k]))
        recalls.append(found / len(q.targets))
        first = next((i for i, c in enumerate(top) if any(is_relevant(c, t) for t in q.targets)), None)
        rr.append(0.0 if first is None else 1.0 / (first + 1))
        if found < len(q.targets):
            misses.append(q.query)
    n = max(1, len(queries))
    return RetrievalScore(method, len(queries), sum(recalls) / n, sum(rr) / n, k, misses)
