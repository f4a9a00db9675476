"""The search indexes kept in each process: filters applied before ranking give what filtering a full ranking
gives, the dense index is exact and follows every write in place, query vectors are cached. Latency is measured
by benchmarks/kb_scale.py, not here."""

import random

import numpy as np

from conftest import CORPUS
from zongjie.backends.dense_index import DenseIndex
from zongjie.backends.embeddings import Embedder, HashingEmbedder
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.backends.lexical import LexicalIndex
from zongjie.backends.section_filters import FilterCodes
from zongjie.backends.vectorstore import MemoryStore
from zongjie.corpus.document import Chunk
from zongjie.corpus.parsing import parse_file
from zongjie.stages.ingest import ingest
from zongjie.stages.retrieve import RetrievalQuery, retrieve

TYPES = ["township", "hospital", "school"]
ROLES = ["body", "problems", "plans"]


def _chunks(n: int, seed: int = 3) -> list[Chunk]:
    rng = random.Random(seed)
    words = "职工 帮扶 劳动 竞赛 女职工 技能 培训 集体 协商 安全 生产 书屋 慰问 困难 会员 建会 文化 维权".split()
    return [
        Chunk(
            id=f"c{i:04d}",
            doc_id=f"d{i // 5}",
            text=" ".join(rng.choices(words, k=12)),
            body="",
            heading_path=[],
            level=1,
            role=rng.choice(ROLES),
            unit_name=f"第{i % 7}工会",
            unit_type=rng.choice(TYPES),
            period=rng.choice(["annual", "first_half"]),
        )
        for i in range(n)
    ]


def _keeps(c: Chunk, where: dict, exclude: str | None) -> bool:
    return all(getattr(c, k) == v for k, v in where.items()) and not (exclude and c.unit_name == exclude)


FILTERS = [
    ({}, None),
    ({"unit_type": "hospital"}, None),
    ({"unit_type": "township", "role": "plans"}, "第3工会"),
    ({"unit_type": "school", "period": "first_half", "role": "body"}, None),
    ({"unit_type": "bureau"}, None),  # a value no section has
]


def test_lexical_top_with_a_filter_equals_filtering_the_full_ranking():
    chunks = _chunks(300)
    index = LexicalIndex()
    index.add([(c.id, c.text) for c in chunks])
    index.remove([c.id for c in chunks[::9]])  # removed slots never come back
    slot_chunks = [chunks[int(cid[1:])] if cid else None for cid in index.slots]
    codes = FilterCodes.of(slot_chunks)
    for query in ("困难 职工 帮扶", "技能 培训 竞赛", "书屋"):
        scores = index.scores(query)
        for where, exclude in FILTERS:
            full = [
                (int(i), float(scores[i]))
                for i in np.argsort(-scores, kind="stable")
                if scores[i] > 0 and slot_chunks[i] is not None and _keeps(slot_chunks[i], where, exclude)
            ][:20]
            assert index.top(query, 20, codes.mask(len(slot_chunks), where, exclude)) == full


def test_dense_index_is_exact_filtered_and_follows_removals_and_replacements():
    chunks = _chunks(2500)
    vectors = HashingEmbedder(dim=64).embed([c.text for c in chunks])
    dense = DenseIndex(64)
    dense.add(chunks, vectors)
    dense.remove([c.id for c in chunks[:1500]])  # more than half gone: the matrix is compacted
    live = chunks[1500:]
    replaced = live[0].model_copy(update={"role": "plans", "unit_type": "hospital"})
    new_vector = HashingEmbedder(dim=64).embed(["女职工 三八 关爱"])[0]
    dense.add([replaced], new_vector[None, :])
    live[0] = replaced
    matrix = {c.id: v for c, v in zip(chunks, vectors, strict=True)} | {replaced.id: new_vector}
    query = HashingEmbedder(dim=64).embed(["困难职工 帮扶 慰问"])[0]
    for where, exclude in FILTERS:
        got = dense.search(query, 15, where, exclude)
        kept = [c for c in live if _keeps(c, where, exclude)]
        sims = np.array([float(matrix[c.id] @ query) for c in kept])
        want = [kept[i].id for i in np.argsort(-sims, kind="stable")[:15]]
        assert [cid for cid, _ in got] == want
    assert len(dense) == 1000 and replaced.id in dense.ids()
    # broad filters may be served by an approximate search without filters (a store's HNSW), cut by the filter;
    # here it is exact, so the answers are the same — and one that finds too few falls back to the exact product
    asked: list[int] = []

    def exact_ann(vector, k):
        asked.append(k)
        pairs = sorted(((c.id, float(matrix[c.id] @ vector)) for c in live), key=lambda p: -p[1])
        return pairs[:k]

    dense.ann_from = 100

    def ids(pairs):
        return [cid for cid, _ in pairs]

    for where, exclude in FILTERS:
        assert ids(dense.search(query, 15, where, exclude, exact_ann)) == ids(dense.search(query, 15, where, exclude))
    assert asked  # the broad filters went to it
    assert ids(dense.search(query, 15, {}, None, lambda v, k: [])) == ids(dense.search(query, 15))


class CountingEmbedder(Embedder):
    """The hashing embedder, counting the texts it embeds (a fake with the real interface)."""

    name = "hashing"

    def __init__(self):
        self.inner = HashingEmbedder()
        self.calls: list[str] = []

    def embed(self, texts, query=False):
        self.calls += texts
        return self.inner.embed(texts, query)


def test_knowledge_base_indexes_follow_writes_in_place_and_queries_are_cached(tmp_path):
    embedder = CountingEmbedder()
    kb = KnowledgeBase(MemoryStore(), embedder, "hybrid")
    ingest([CORPUS], kb)
    q = RetrievalQuery(text="困难职工帮扶 送温暖", unit_type="township", k=3, method="dense")
    first = retrieve(kb, q)
    assert first and all(h.chunk.unit_type == "township" for h in first)
    dense = kb.search_view().dense
    embedder.calls.clear()
    assert [h.chunk.id for h in retrieve(kb, q)] == [h.chunk.id for h in first]
    assert embedder.calls == []  # the query vector came from the cache
    # a new summary is searchable at once, through the same index objects (updated, not rebuilt)
    src = tmp_path / "新源镇工会2025年工作总结.txt"
    src.write_text(
        "新源镇工会2025年工作总结\n一、困难职工帮扶\n全年走访慰问困难职工帮扶对象58户，送温暖资金12万元。\n"
        "二、职工文化\n举办职工运动会1次。\n",
        encoding="utf-8",
    )
    docs = parse_file(src)
    for d in docs:
        d.unit_type, d.unit_name = "township", "新源镇工会"
    kb.add_documents(str(src), docs)
    view = kb.search_view()
    assert view.dense is dense and len(dense) == len(kb.store.chunks())
    for method in ("lexical", "dense"):
        hits = retrieve(
            kb, RetrievalQuery(text="走访慰问困难职工帮扶对象 送温暖资金", unit_type="township", method=method)
        )
        assert any(h.chunk.unit_name == "新源镇工会" for h in hits), method
    kb.delete_document(docs[0].id)
    assert len(dense) == len(kb.store.chunks())
    hits = retrieve(kb, RetrievalQuery(text="走访慰问困难职工帮扶对象 送温暖资金", k=20))
    assert all(h.chunk.unit_name != "新源镇工会" for h in hits)
