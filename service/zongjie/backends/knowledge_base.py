"""The knowledge base: a vector store, an embedder and a lexical index, built from one ``Settings``.

``KnowledgeBase.from_settings(settings)`` is called where the program starts (CLI command, app factory); the
embedder model loads on first use (one embedder per knowledge base, one knowledge base per process).

Searching reads ``search_view()``: the lexical (BM25) index, the in-process dense index (``DenseIndex``: exact
cosine over every section's vector, filtered before ranking) and the filter codes of the lexical slots, all current
with the store after ONE version check. Both indexes are updated in place by our own writes (and diffed against the
store after another process's), never rebuilt; query vectors are cached (``query_vector``, a bounded LRU), so a
repeated query costs no model call. Parsing lives in ``corpus/``, ingestion and retrieval in ``stages/ingest.py``
and ``stages/retrieve.py``; this class only holds the backends and keeps them consistent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from ..common.errors import KnowledgeBaseUnavailable, NotFound
from ..corpus.document import Chunk, KBDocument
from ..corpus.parsing import chunks_of
from ..settings import Settings
from .dense_index import DenseIndex
from .embeddings import Embedder, make_embedder
from .lexical import LexicalIndex
from .section_filters import FilterCodes
from .vectorstore import StoreLocked, VectorStore, make_store

AddOutcome = Literal["added", "unchanged", "replaced"]
QUERY_CACHE = 2048  # query vectors kept (a few MB)
VERSION_TTL = 0.5  # seconds a store version check is trusted for (another process's write shows within it)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchView:
    """What one search reads, current with the store: chunks aligned with the lexical slots (None: a removed
    chunk's slot), the lexical index, the slots' filter codes, the dense index (None for lexical-only retrieval)
    and every chunk by id."""

    slot_chunks: list[Chunk | None]
    lexical: LexicalIndex
    codes: FilterCodes
    dense: DenseIndex | None
    chunks: dict[str, Chunk]


class KnowledgeBase:
    def __init__(
        self, store: VectorStore, embedder: Embedder, method: str = "hybrid", lexical_path: Path | None = None
    ):
        self.store = store
        self.embedder = embedder
        self.method = method
        self._lex_lock = threading.RLock()
        self._lex_index = LexicalIndex(path=lexical_path)
        self._lex_version: str | None = None
        self._lex_loaded = False
        self._slot_chunks: list[Chunk | None] = []
        self._slot_codes = FilterCodes()
        self._chunks: tuple[str, dict[str, Chunk]] | None = None
        self._dense: DenseIndex | None = None
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._checked_at = 0.0  # when search_view last read the store's version

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeBase:
        lexical_path = (
            settings.data_dir / "lexical" / f"{settings.collection}.sqlite"
            if settings.vector_store != "memory"
            else None
        )
        kb = cls(make_store(settings), make_embedder(settings), settings.retriever, lexical_path)
        kb.ensure_embedder()
        return kb

    def embedder_tag(self) -> str:
        dim = int(self.embedder.embed(["工会"]).shape[1])
        return f"{self.embedder.name}:{dim}"

    def ensure_embedder(self) -> bool:
        """Re-embed every stored section when the vectors were built by another embedder (a changed
        ZONGJIE_EMBEDDER). Section texts live in the store, so nothing needs re-reading. True if re-indexed."""
        if self.method == "lexical":
            return False
        tag, stored = self.embedder_tag(), self.store.embedder_tag()
        if stored == tag:
            return False
        chunks = self.store.chunks() if self.store.count() else []
        if chunks:
            log.warning(
                "re-indexing %d sections: vectors were built by %s, the embedder is now %s",
                len(chunks),
                stored or "an unrecorded embedder",
                tag,
            )
            self.store.replace_embeddings(chunks, self.embedder.embed([c.text for c in chunks]))
        self.store.set_embedder_tag(tag)
        return bool(chunks)

    # ingestion -------------------------------------------------------------------------------
    def add_documents(self, source: str, docs: list[KBDocument]) -> AddOutcome:
        """Store one source file's documents; returns 'added', 'unchanged' or 'replaced'."""
        return self.add_many([(source, docs)])[0]

    def add_many(self, batch: list[tuple[str, list[KBDocument]]]) -> list[AddOutcome]:
        """Store several source files' documents with ONE embedding call for all their sections (the embedder
        batches far better than file by file); returns 'added', 'unchanged' or 'replaced' per source."""
        outcomes: list[AddOutcome] = []
        todo: list[tuple[str, list[KBDocument], bool]] = []
        for source, docs in batch:
            old = self.store.source_hash(source)
            new_hash = docs[0].file_hash if docs else ""
            if old is not None and old == new_hash:
                outcomes.append("unchanged")
                continue
            outcomes.append("replaced" if old is not None else "added")
            todo.append((source, docs, old is not None))
        if not todo:
            return outcomes
        chunks = [c for _, docs, _ in todo for d in docs for c in chunks_of(d)]
        embeddings = self._embed(chunks)
        before = self.store.version()
        removed: list[str] = []
        for source, _, replacing in todo:
            if replacing:
                removed += self._chunk_ids(lambda c, s=source: c.source == s)
                self.store.delete_source(source)
        self.store.upsert(chunks, embeddings)
        self.store.put_documents([d for _, docs, _ in todo for d in docs])
        self._apply(before, chunks, removed, embeddings)
        return outcomes

    def _embed(self, chunks: list[Chunk]) -> np.ndarray:
        """Section vectors (a placeholder column when retrieval is lexical only)."""
        if self.method == "lexical":
            return np.zeros((len(chunks), 1), dtype=np.float32)
        return self.embedder.embed([c.text for c in chunks])

    def update_metadata(self, doc_id: str, changes: dict) -> KBDocument:
        """Correct a document's unit name, unit type, period or year; its sections are re-indexed with it.
        Raises ``NotFound`` for an unknown id."""
        doc = KBDocument.model_validate({**self.document(doc_id).model_dump(), **changes})
        return self.replace_document(doc)

    def replace_document(self, doc: KBDocument) -> KBDocument:
        """Store a corrected document in place of the one with its id (metadata or section tree changed): its
        sections are embedded and indexed again."""
        doc_id = doc.id
        chunks = chunks_of(doc)
        embeddings = self._embed(chunks)
        before = self.store.version()
        removed = self._chunk_ids(lambda c: c.doc_id == doc_id)
        self.store.delete_document(doc_id)
        self.store.upsert(chunks, embeddings)
        self.store.put_documents([doc])
        self._apply(before, chunks, removed, embeddings)
        return doc

    def document(self, doc_id: str) -> KBDocument:
        """One stored summary, or ``NotFound``."""
        doc = self.store.document(doc_id)
        if doc is None:
            raise NotFound("这篇总结", doc_id)
        return doc

    def delete_document(self, doc_id: str) -> None:
        self.document(doc_id)
        before = self.store.version()
        removed = self._chunk_ids(lambda c: c.doc_id == doc_id)
        self.store.delete_document(doc_id)
        self._apply(before, [], removed)

    def _chunk_ids(self, pick) -> list[str]:
        """Ids of cached chunks matching ``pick`` (empty when the cache is cold: the next read re-syncs)."""
        with self._lex_lock:
            return [cid for cid, c in self._chunks[1].items() if pick(c)] if self._chunks else []

    def _apply(self, before: str, added: list[Chunk], removed: list[str], vectors: np.ndarray | None = None) -> None:
        """Carry our own write into the chunk cache and both indexes without re-reading the store. When the
        caches were not current before the write (another process wrote too), they stay stale and re-sync."""
        after = self.store.version()
        with self._lex_lock:
            if self._chunks is not None and self._chunks[0] == before:
                cmap = dict(self._chunks[1])
                for cid in removed:
                    cmap.pop(cid, None)
                cmap.update({c.id: c for c in added})
                self._chunks = (after, cmap)
            if self._lex_version == before and self._chunks is not None and self._chunks[0] == after:
                self._lex_index.remove(removed)
                self._lex_index.add([(c.id, c.text) for c in added])
                if self._dense is not None:
                    self._dense.remove(removed)
                if self.method != "lexical" and added and vectors is not None:
                    if self._dense is None:
                        self._dense = DenseIndex(int(vectors.shape[1]))
                    self._dense.add(added, vectors)
                self._lex_version = after
                self._align(self._chunks[1])
            self._checked_at = 0.0  # the next search reads the store's version again
        self._warm()

    def _warm(self) -> None:
        """One query of the store's own index right after a write, so the write pays for bringing it up to date
        (at 100k sections Chroma's first query after an upsert took 2.6 s), not the next search."""
        dense = self._dense
        if not self.store.approximate or dense is None or not len(dense):
            return
        try:
            self.store.query(dense.vector(next(iter(dense.ids()))), 1)
        except KnowledgeBaseUnavailable:
            pass

    def chunk_map(self) -> dict[str, Chunk]:
        """Every chunk by id, cached until the store's version changes."""
        version = self.store.version()
        with self._lex_lock:
            if self._chunks is None or self._chunks[0] != version:
                self._chunks = (version, {c.id: c for c in self.store.chunks()})
            return self._chunks[1]

    # search indexes ----------------------------------------------------------------------------
    def _align(self, cmap: dict[str, Chunk]) -> None:
        self._slot_chunks = [cmap.get(cid) if cid else None for cid in self._lex_index.slots]
        self._slot_codes = FilterCodes.of(self._slot_chunks)

    def _sync_dense(self, cmap: dict[str, Chunk]) -> None:
        """Bring the dense index to the store's chunks: drop what is gone, fetch the vectors of what is new."""
        if self.method == "lexical":
            return
        have = self._dense.ids() if self._dense is not None else set()
        new = sorted(cmap.keys() - have)
        if self._dense is not None:
            self._dense.remove(have - cmap.keys())
        if not new:
            return
        vectors = self.store.embeddings(new)
        if self._dense is None or self._dense.dim != vectors.shape[1]:
            self._dense = DenseIndex(int(vectors.shape[1]))
        self._dense.add([cmap[i] for i in new], vectors)

    def search_view(self) -> SearchView:
        """Both indexes and the filter codes, current with the store (one version check, trusted for
        ``VERSION_TTL``: our own writes show at once, another process's within it; see the module doc).

        Kept current incrementally: our own writes are applied as they happen; after a write by another process
        the indexes are diffed against the store by chunk id: only new sections are tokenised and their vectors
        fetched. Token lists are persisted (``lexical_path``), so a restart does not re-tokenise."""
        with self._lex_lock:
            version = self._lex_version
            if version is None or time.monotonic() - self._checked_at >= VERSION_TTL:
                version = self.store.version()
                self._checked_at = time.monotonic()
            if self._lex_version != version:
                if self._chunks is None or self._chunks[0] != version:
                    self._chunks = (version, {c.id: c for c in self.store.chunks()})
                cmap = self._chunks[1]
                idx = self._lex_index
                if not self._lex_loaded:
                    idx.load(set(cmap))
                    self._lex_loaded = True
                have = idx.ids()
                idx.remove(have - cmap.keys())
                idx.add([(cid, cmap[cid].text) for cid in sorted(cmap.keys() - have)])
                self._sync_dense(cmap)
                self._align(cmap)
                self._lex_version = version
            assert self._chunks is not None
            return SearchView(self._slot_chunks, self._lex_index, self._slot_codes, self._dense, self._chunks[1])

    def lexical(self) -> tuple[list[Chunk | None], LexicalIndex]:
        """The BM25 index over every chunk and the chunks aligned with its slots (None: a removed chunk's slot)."""
        view = self.search_view()
        return view.slot_chunks, view.lexical

    def clear_query_cache(self) -> None:
        with self._queries_lock:
            self._queries.clear()

    def query_vector(self, text: str) -> np.ndarray:
        """The embedder's query vector for ``text``, from a bounded LRU cache when it was asked before."""
        with self._queries_lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        vector = self.embedder.embed([text], query=True)[0]
        with self._queries_lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector


def connect_knowledge_base(settings: Settings) -> KnowledgeBase:
    """Connect to the vector store, retrying until ``startup_timeout`` (a Chroma server may start after us); the
    embedded store's single-process lock is not waited for."""
    deadline = time.monotonic() + settings.startup_timeout
    while True:
        try:
            kb = KnowledgeBase.from_settings(settings)
            kb.store.count()
            return kb
        except StoreLocked:
            raise
        except Exception as exc:
            if time.monotonic() >= deadline:
                raise RuntimeError(
                    f"vector store {settings.vector_store} unreachable after {settings.startup_timeout:g} s: {exc}"
                ) from exc
            log.warning("waiting for the vector store (%s): %s", settings.vector_store, type(exc).__name__)
            time.sleep(1.0)
