"""Exact dense search in this process: every section's vector in one float32 matrix, filtered before it is ranked.

Why not the vector store's own search: a Chroma query with a metadata filter (unit type, period, role — every
exemplar query has them) took 0.5–0.8 s at 100k sections (the filter is resolved in its metadata tables), against
about 1.5 ms without one; an exact matrix product over the rows the filter keeps takes a few ms and needs no
over-fetching. The price is memory: 4 bytes × dimension per section (154 MB for 100k sections of 384 dimensions).

Contract of ``DenseIndex``: ``add(chunks, vectors)`` indexes (or re-indexes) sections with their L2-normalised
vectors; ``remove(ids)`` drops them; both cost time in proportion to the change (rows are appended in a matrix
grown by doubling; removed rows are cleared and reclaimed when more than half are free). ``search(vector, k,
where, exclude_unit)`` returns up to k ``(chunk_id, cosine)`` pairs, best first (ties by row order), among the
sections that pass the filter (``FilterCodes.mask``). ``ids()`` is the set of indexed ids. Thread-safe.

With ``ann`` (the vector store's HNSW search, which is fast without a filter) and more than ``ANN_FROM`` sections, a
filter keeping enough rows that an over-fetch of k × rows / kept × 2 stays under ``ANN_MAX_FETCH`` is served from
that approximate ranking cut by the filter — reading the matrix (or gathering a sixth of it) is memory-bound, about
60 ms at 100k sections on this loaded machine, against a few ms for HNSW; when the cut leaves fewer than k, the
exact product is used. Narrower filters use the exact product over their few rows. The approximate search runs
outside the lock (a Chroma server is a round trip away), so concurrent searches do not wait for each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from ..corpus.document import Chunk
from .lexical import best_first
from .section_filters import FilterCodes

# an approximate nearest-neighbour search without filters (the vector store's HNSW): (vector, k) → (id, cosine)
Approximate = Callable[[np.ndarray, int], list[tuple[str, float]]]
ANN_FROM = 20_000  # sections from which filters are served by the approximate search
ANN_MAX_FETCH = 2000  # … when the over-fetch this needs stays under this (else the filter is narrow: exact)


class DenseIndex:
    def __init__(self, dim: int, ann_from: int = ANN_FROM):
        self.dim = dim
        self.ann_from = ann_from
        self._mat = np.zeros((0, dim), dtype=np.float32)
        self._n = 0  # rows in use (live or cleared)
        self._ids: list[str | None] = []
        self._row: dict[str, int] = {}
        self._codes = FilterCodes()
        self._generation = 0  # changes when rows are renumbered (compaction)
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._row)

    def ids(self) -> set[str]:
        return set(self._row)

    def vector(self, chunk_id: str) -> np.ndarray:
        with self._lock:
            return self._mat[self._row[chunk_id]].copy()

    def add(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(chunks), -1)
        if len(chunks) and vectors.shape[1] != self.dim:
            raise ValueError(f"vectors of dimension {vectors.shape[1]}, the index holds {self.dim}")
        with self._lock:
            self._remove([c.id for c in chunks if c.id in self._row])
            need = self._n + len(chunks)
            if need > len(self._mat):
                grown = np.zeros((max(need, 2 * len(self._mat), 1024), self.dim), dtype=np.float32)
                grown[: self._n] = self._mat[: self._n]
                self._mat = grown
            self._mat[self._n : need] = vectors
            for i, c in enumerate(chunks):
                self._row[c.id] = self._n + i
                self._ids.append(c.id)
                self._codes.append(c)
            self._n = need

    def remove(self, ids) -> None:
        with self._lock:
            self._remove(list(ids))

    def _remove(self, ids: list[str]) -> None:
        for cid in ids:
            row = self._row.pop(cid, None)
            if row is None:
                continue
            self._ids[row] = None
            self._codes.clear(row)
            self._mat[row] = 0.0
        if self._n > 1024 and len(self._row) < self._n // 2:
            self._compact()

    def _compact(self) -> None:
        live = [r for r in range(self._n) if self._ids[r] is not None]
        self._codes = self._codes.take(live)
        self._mat = self._mat[live].copy()
        self._ids = [self._ids[r] for r in live]
        self._row = {cid: i for i, cid in enumerate(self._ids) if cid is not None}
        self._n = len(live)
        self._generation += 1

    def search(
        self,
        vector: np.ndarray,
        k: int,
        where: dict[str, str] | None = None,
        exclude_unit: str | None = None,
        ann: Approximate | None = None,
    ) -> list[tuple[str, float]]:
        vector = np.asarray(vector, dtype=np.float32).ravel()
        if k <= 0:
            return []
        with self._lock:
            n, generation = self._n, self._generation
            mask = self._codes.mask(n, where, exclude_unit)
            kept = int(mask.sum())
        if kept == 0:
            return []
        fetch = min(n, int(k * n / kept * 2) + k)  # expected to hold 2k rows the filter keeps
        if ann is not None and n > self.ann_from and fetch <= ANN_MAX_FETCH:
            pairs = ann(vector, fetch)  # outside the lock: a store round trip must not hold other searches up
            with self._lock:
                if self._generation == generation:  # rows not renumbered since the mask was taken
                    found = self._filtered(pairs, mask, k)
                    if found is not None:
                        return found
        with self._lock:
            n = self._n
            rows = np.flatnonzero(self._codes.mask(n, where, exclude_unit))
            if len(rows) == 0:
                return []
            if len(rows) * 4 < n:  # a narrow filter: score only its rows
                sims = self._mat[rows] @ vector
            else:
                sims = (self._mat[:n] @ vector)[rows]
            ids = self._ids
            return [(ids[rows[i]], float(sims[i])) for i in best_first(sims, k)]

    def _filtered(self, pairs: list[tuple[str, float]], mask: np.ndarray, k: int) -> list[tuple[str, float]] | None:
        """The first k of an approximate ranking that the filter keeps; None when fewer than k are kept."""
        out = []
        for cid, sim in pairs:
            row = self._row.get(cid)
            if row is not None and row < len(mask) and mask[row]:
                out.append((cid, sim))
                if len(out) == k:
                    return out
        return None
