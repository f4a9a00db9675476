"""The knowledge base: a vector store, an embedder and a lexical index, built from one ``Settings``.

``KnowledgeBase.from_settings(settings)`` is called where the program starts (CLI command, app factory); the
embedder model loads on first use. Parsing lives in ``corpus/``, ingestion and retrieval in ``stages/ingest.py`` and
``stages/retrieve.py``; this class only holds the backends and keeps them consistent.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from .backends.embeddings import Embedder, make_embedder
from .backends.lexical import LexicalIndex
from .backends.vectorstore import VectorStore, make_store
from .corpus.document import Chunk, KBDocument
from .corpus.parsing import chunks_of
from .errors import NotFound
from .settings import Settings

log = logging.getLogger(__name__)


class KnowledgeBase:
    def __init__(self, store: VectorStore, embedder: Embedder, method: str = "hybrid"):
        self.store = store
        self.embedder = embedder
        self.method = method
        self._lex_lock = threading.Lock()
        self._lex: tuple[str, list[Chunk], LexicalIndex] | None = None
        self._chunks: tuple[str, dict[str, Chunk]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeBase:
        kb = cls(make_store(settings), make_embedder(settings), settings.retriever)
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
    def add_documents(self, source: str, docs: list[KBDocument]) -> str:
        """Store one source file's documents; returns 'added', 'unchanged' or 'replaced'."""
        old = self.store.source_hash(source)
        new_hash = docs[0].file_hash if docs else ""
        if old is not None and old == new_hash:
            return "unchanged"
        if old is not None:
            self.store.delete_source(source)
        chunks = [c for d in docs for c in chunks_of(d)]
        self.store.upsert(chunks, self._embed(chunks))
        self.store.put_documents(docs)
        return "replaced" if old is not None else "added"

    def _embed(self, chunks: list[Chunk]) -> np.ndarray:
        """Section vectors (a placeholder column when retrieval is lexical only)."""
        if self.method == "lexical":
            return np.zeros((len(chunks), 1), dtype=np.float32)
        return self.embedder.embed([c.text for c in chunks])

    def update_metadata(self, doc_id: str, changes: dict) -> KBDocument:
        """Correct a document's unit name, unit type, period or year; its sections are re-indexed with it.
        Raises ``NotFound`` for an unknown id."""
        doc = KBDocument.model_validate({**self.document(doc_id).model_dump(), **changes})
        chunks = chunks_of(doc)
        embeddings = self._embed(chunks)
        self.store.delete_document(doc_id)
        self.store.upsert(chunks, embeddings)
        self.store.put_documents([doc])
        return doc

    def document(self, doc_id: str) -> KBDocument:
        """One stored summary, or ``NotFound``."""
        doc = self.store.document(doc_id)
        if doc is None:
            raise NotFound("这篇总结", doc_id)
        return doc

    def delete_document(self, doc_id: str) -> None:
        self.document(doc_id)
        self.store.delete_document(doc_id)

    def chunk_map(self) -> dict[str, Chunk]:
        """Every chunk by id, cached until the store's version changes."""
        version = self.store.version()
        with self._lex_lock:
            if self._chunks is None or self._chunks[0] != version:
                self._chunks = (version, {c.id: c for c in self.store.chunks()})
            return self._chunks[1]

    # lexical index -----------------------------------------------------------------------------
    def lexical(self) -> tuple[list[Chunk], LexicalIndex]:
        """The BM25 index over every chunk, rebuilt when the store's version changes."""
        version = self.store.version()
        with self._lex_lock:
            if self._lex is None or self._lex[0] != version:
                chunks = (
                    list(self._chunks[1].values())
                    if self._chunks and self._chunks[0] == version
                    else self.store.chunks()
                )
                self._lex = (version, chunks, LexicalIndex([c.text for c in chunks]))
            return self._lex[1], self._lex[2]
