"""Vector stores holding knowledge-base chunks (with embeddings) and parsed documents (section trees).

Contract of ``VectorStore``:
- ``upsert(chunks, embeddings)`` adds or replaces chunks by id; ``embeddings`` rows are L2-normalised.
- ``delete_source(source)`` removes every chunk and document of one source file.
- ``query(embedding, k, where)`` returns up to k ``(chunk_id, similarity)`` pairs, best first, cosine similarity;
  ``where`` is a dict of equality filters on chunk metadata (unit_type, period, role, doc_id, …).
- ``chunks(where)`` returns all matching chunks in a stable order (the lexical index is built from it).
- ``embeddings(ids)`` returns the stored vectors of those chunks, one row per id in that order (the knowledge
  base's in-process dense index is loaded from it).
- ``put_documents(docs)`` / ``documents(where)`` / ``document(id)`` / ``delete_document(id)`` keep section trees.
- ``source_hash(source)`` is the file hash stored for a source, or None.
- ``version()`` changes whenever contents change (caches key on it).

- A store that cannot be reached raises ``KnowledgeBaseUnavailable`` (from any method).

Registered names: ``memory`` (numpy, in-process), ``chroma-embedded`` (PersistentClient, one process only),
``chroma-server`` (HttpClient to ``chroma run``, any number of workers).
"""

from __future__ import annotations

import functools
import json
import threading
import types
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from ..common.errors import KnowledgeBaseUnavailable
from ..common.registry import Registry
from ..corpus.document import Chunk, KBDocument
from ..settings import Settings

STORES: Registry[VectorStore] = Registry("vector store")
register = STORES.register


def make_store(settings: Settings) -> VectorStore:
    return STORES.make(settings.vector_store, settings)


def _match(meta: dict, where: dict | None) -> bool:
    return not where or all(meta.get(k) == v for k, v in where.items())


class VectorStore(ABC):
    approximate = False  # query() is a fast approximate (HNSW) search: worth over-fetching from for broad filters

    @abstractmethod
    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray) -> None: ...

    @abstractmethod
    def delete_source(self, source: str) -> None: ...

    @abstractmethod
    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]: ...

    @abstractmethod
    def chunks(self, where: dict | None = None) -> list[Chunk]: ...

    @abstractmethod
    def embeddings(self, ids: list[str]) -> np.ndarray: ...

    @abstractmethod
    def put_documents(self, docs: list[KBDocument]) -> None: ...

    @abstractmethod
    def documents(self, where: dict | None = None) -> list[KBDocument]: ...

    @abstractmethod
    def delete_document(self, doc_id: str) -> None: ...

    @abstractmethod
    def version(self) -> str: ...

    def embedder_tag(self) -> str | None:
        """Which embedder (name:dimension) built the stored vectors; None when never recorded."""
        return None

    def set_embedder_tag(self, tag: str) -> None:  # noqa: B027 (optional hook)
        """Record the embedder that built the stored vectors."""

    def replace_embeddings(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        """Swap every stored vector (a different embedder): the default re-upserts in place."""
        self.upsert(chunks, embeddings)

    def document(self, doc_id: str) -> KBDocument | None:
        found = self.documents({"id": doc_id})
        return found[0] if found else None

    def source_hash(self, source: str) -> str | None:
        docs = self.documents({"source": source})
        return docs[0].file_hash if docs else None

    def count(self) -> int:
        return len(self.chunks())


@register("memory")
class MemoryStore(VectorStore):
    """A real in-memory store (numpy cosine search); used by tests and benchmarks, lost on exit."""

    def __init__(self, settings: Settings | None = None):
        self._chunks: dict[str, Chunk] = {}
        self._emb: dict[str, np.ndarray] = {}
        self._docs: dict[str, KBDocument] = {}
        self._version = 0
        self._matrix: tuple[int, list[str], np.ndarray] | None = None
        self._lock = threading.RLock()

    _tag: str | None = None

    def embedder_tag(self) -> str | None:
        return self._tag

    def set_embedder_tag(self, tag: str) -> None:
        self._tag = tag

    def _bump(self) -> None:
        self._version += 1
        self._matrix = None

    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        with self._lock:
            for c, e in zip(chunks, embeddings, strict=True):
                self._chunks[c.id] = c
                self._emb[c.id] = np.asarray(e, dtype=np.float32)
            self._bump()

    def delete_source(self, source: str) -> None:
        with self._lock:
            for cid in [cid for cid, c in self._chunks.items() if c.source == source]:
                del self._chunks[cid], self._emb[cid]
            for did in [d.id for d in self._docs.values() if d.source == source]:
                del self._docs[did]
            self._bump()

    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        with self._lock:
            if self._matrix is None or self._matrix[0] != self._version:
                ids = list(self._chunks)
                mat = np.vstack([self._emb[i] for i in ids]) if ids else np.zeros((0, 1), np.float32)
                self._matrix = (self._version, ids, mat)
            _, ids, mat = self._matrix
        if not ids:
            return []
        sims = mat @ np.asarray(embedding, dtype=np.float32).ravel()
        order = np.argsort(-sims)
        out = []
        for i in order:
            if _match(self._chunks[ids[i]].metadata(), where):
                out.append((ids[i], float(sims[i])))
                if len(out) >= k:
                    break
        return out

    def chunks(self, where: dict | None = None) -> list[Chunk]:
        with self._lock:
            return [c for _, c in sorted(self._chunks.items()) if _match(c.metadata(), where)]

    def embeddings(self, ids: list[str]) -> np.ndarray:
        with self._lock:
            rows = [self._emb[i] for i in ids]
        return np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)

    def put_documents(self, docs: list[KBDocument]) -> None:
        with self._lock:
            for d in docs:
                self._docs[d.id] = d
            self._bump()

    def documents(self, where: dict | None = None) -> list[KBDocument]:
        with self._lock:
            return [d for _, d in sorted(self._docs.items()) if _match(d.model_dump(), where)]

    def delete_document(self, doc_id: str) -> None:
        with self._lock:
            self._docs.pop(doc_id, None)
            for cid in [cid for cid, c in self._chunks.items() if c.doc_id == doc_id]:
                del self._chunks[cid], self._emb[cid]
            self._bump()

    def version(self) -> str:
        return str(self._version)


F = TypeVar("F", bound=Callable[..., Any])


def _reachable(method: F) -> F:
    """Translate a Chroma server's transport failures and internal errors into ``KnowledgeBaseUnavailable``."""
    import httpx
    from chromadb.errors import InternalError

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (httpx.TransportError, InternalError) as exc:
            raise KnowledgeBaseUnavailable(f"向量库 {self.name} 无法访问：{type(exc).__name__}: {exc}") from exc

    return wrapper  # type: ignore[return-value]


def _all_reachable(cls: type) -> type:
    for name, value in list(vars(cls).items()):
        if isinstance(value, types.FunctionType) and not name.startswith("__"):
            setattr(cls, name, _reachable(value))
    return cls


@_all_reachable
class ChromaStore(VectorStore):
    """Chroma behind the same interface: one collection for chunks (our own embeddings, cosine space) and one for
    documents (section trees as JSON in metadata, with a constant one-dimensional embedding)."""

    DOC_FIELDS = ("id", "source", "unit_type", "period", "unit_name", "year", "file_hash", "unit_id")
    approximate = True

    def __init__(self, client, collection: str):
        self.client = client
        self.name = collection
        self.sections = client.get_or_create_collection(
            collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.docs = client.get_or_create_collection(f"{collection}-documents", embedding_function=None)
        self._batch = max(1, min(2000, client.get_max_batch_size()))

    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        for i in range(0, len(chunks), self._batch):
            part = chunks[i : i + self._batch]
            self.sections.upsert(
                ids=[c.id for c in part],
                embeddings=np.asarray(embeddings[i : i + self._batch], dtype=np.float32).tolist(),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
        self._bump()

    def delete_source(self, source: str) -> None:
        self.sections.delete(where={"source": source})
        self.docs.delete(where={"source": source})
        self._bump()

    @staticmethod
    def _where(where: dict | None) -> dict | None:
        if not where:
            return None
        items = [{k: v} for k, v in where.items()]
        return items[0] if len(items) == 1 else {"$and": items}

    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        res = self.sections.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32).ravel().tolist()],
            n_results=k,
            where=self._where(where),
            include=["distances"],
        )
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def chunks(self, where: dict | None = None) -> list[Chunk]:
        out: list[Chunk] = []
        offset, page = 0, 5000
        while True:
            res = self.sections.get(
                where=self._where(where), include=["documents", "metadatas"], limit=page, offset=offset
            )
            out.extend(
                Chunk.from_record(i, t, m)
                for i, t, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
            )
            if len(res["ids"]) < page:
                break
            offset += page
        return sorted(out, key=lambda c: c.id)

    def embeddings(self, ids: list[str]) -> np.ndarray:
        rows: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 5000):
            res = self.sections.get(ids=ids[i : i + 5000], include=["embeddings"])
            rows.update(zip(res["ids"], np.asarray(res["embeddings"], dtype=np.float32), strict=True))
        return np.vstack([rows[i] for i in ids]) if ids else np.zeros((0, 1), dtype=np.float32)

    def put_documents(self, docs: list[KBDocument]) -> None:
        if not docs:
            return
        self.docs.upsert(
            ids=[d.id for d in docs],
            embeddings=[[1.0] for _ in docs],
            documents=[d.title or d.id for d in docs],
            metadatas=[
                {
                    **{f: (getattr(d, f) if getattr(d, f) is not None else "") for f in self.DOC_FIELDS},
                    "json": d.model_dump_json(),
                }
                for d in docs
            ],
        )
        self._bump()

    def documents(self, where: dict | None = None) -> list[KBDocument]:
        res = self.docs.get(where=self._where(where), include=["metadatas"])
        return sorted((KBDocument.model_validate(json.loads(m["json"])) for m in res["metadatas"]), key=lambda d: d.id)

    def delete_document(self, doc_id: str) -> None:
        self.docs.delete(ids=[doc_id])
        self.sections.delete(where={"doc_id": doc_id})
        self._bump()

    def _meta(self) -> dict:
        return dict(self.client.get_collection(self.docs.name, embedding_function=None).metadata or {})

    def version(self) -> str:
        """A revision token in the documents collection's metadata, changed by every write (one round trip;
        other processes writing through the same Chroma server change it too)."""
        return str(self._meta().get("zj_rev", "0"))

    def _bump(self, **extra) -> None:
        import uuid

        meta = {k: v for k, v in self._meta().items() if k.startswith("zj_")}
        meta.update(zj_rev=uuid.uuid4().hex, **extra)
        self.docs.modify(metadata=meta)

    def embedder_tag(self) -> str | None:
        return self._meta().get("zj_embedder")

    def set_embedder_tag(self, tag: str) -> None:
        self._bump(zj_embedder=tag)

    def replace_embeddings(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        """A new embedding dimension needs a new collection: drop the sections collection and rebuild it."""
        self.client.delete_collection(self.name)
        self.sections = self.client.get_or_create_collection(
            self.name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.upsert(chunks, embeddings)

    def count(self) -> int:
        return self.sections.count()


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


class StoreLocked(RuntimeError):
    """The embedded store is in use by another process."""


_HELD_LOCKS: dict[str, object] = {}
_LOCKS_GUARD = threading.Lock()


def lock_embedded(path) -> None:
    """Hold an exclusive lock on an embedded store folder for this process's lifetime.

    Chroma's PersistentClient is not process-safe (a second process can hang or read stale data), so a second
    process opening the same folder is refused with a clear message; use chroma-server for several processes.
    """
    import fcntl
    import os

    key = str(path.resolve())
    with _LOCKS_GUARD:
        if key in _HELD_LOCKS:
            return
        fd = os.open(os.path.join(key, "zongjie.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(
                f"嵌入式向量库 {key} 正被另一个进程使用；多个进程请改用 chroma-server "
                f"(ZONGJIE_VECTOR_STORE=chroma-server). The embedded store is single-process."
            ) from None
        _HELD_LOCKS[key] = fd


@register("chroma-embedded")
def _embedded(settings: Settings) -> ChromaStore:
    import chromadb

    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    lock_embedded(settings.chroma_path)
    return ChromaStore(
        chromadb.PersistentClient(path=str(settings.chroma_path), settings=_chroma_settings()), settings.collection
    )


@register("chroma-server")
def _server(settings: Settings) -> ChromaStore:
    import chromadb

    client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings())
    return ChromaStore(client, settings.collection)
