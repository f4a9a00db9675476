"""Lexical index: jieba tokens + BM25, kept outside chroma (local chroma has no sparse search), updated in place.

Contract of ``LexicalIndex``:
- ``add(items)`` indexes ``(chunk_id, text)`` pairs (re-adding an id replaces it); ``remove(ids)`` drops them;
  both cost time in proportion to the change, never to the index: a BM25 inverted index (postings per term) whose
  statistics (document frequencies, lengths) are kept current, so scores equal those of a fresh index.
- ``scores(query)`` returns one BM25 score (k1 = 1.5, b = 0.75, Lucene idf) per slot, aligned with ``slots``
  (a chunk id, or None for a removed chunk's slot, which always scores 0; slots are renumbered only when more
  than half are free); an empty index returns an empty array.
- ``top(query, k, keep)`` returns the k best ``(slot, score)`` pairs with a positive score, best first (ties by
  slot), among the slots ``keep`` (a boolean array over ``slots``, e.g. a metadata filter) allows: only the
  query terms' postings are scored and only the slots holding one are ranked — no sort over the whole index.
- ``ids()`` is the set of indexed chunk ids.
- With a ``path``, token lists are persisted in SQLite (one row per chunk) as they change, so a restart re-reads
  tokens instead of re-running jieba over the whole knowledge base (the expensive part: tens of seconds per 10k
  sections); ``load()`` rebuilds the postings from them.
Tokenisation drops punctuation and one-character function words.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from array import array
from collections import Counter
from pathlib import Path

import numpy as np

_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_STOP = set(
    (
        "的 了 和 与 及 在 是 为 对 把 将 等 中 上 下 也 又 并 而 以 于 之 其 有 被 让 从 到 向 就 都 这 那 "
        "我们 我 各 年"
    ).split()
)
_jieba_lock = threading.Lock()
_jieba = None
K1, B = 1.5, 0.75


def tokenize(text: str) -> list[str]:
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return [t for t in _jieba.lcut_for_search(text) if _TOKEN_OK.search(t) and t not in _STOP]


def best_first(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, largest first, ties by position (what a stable sort of the whole
    array gives) — in time linear in ``len(values)``, not a full sort."""
    if k <= 0 or len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(values) > k:
        kth = np.partition(values, len(values) - k)[len(values) - k]  # the k-th largest value
        above = np.flatnonzero(values > kth)
        ties = np.flatnonzero(values == kth)[: k - len(above)]
        pos = np.concatenate([above, ties])
    else:
        pos = np.arange(len(values))
    return pos[np.lexsort((pos, -values[pos]))]


class LexicalIndex:
    def __init__(self, texts: list[str] | None = None, path: Path | None = None):
        self.slots: list[str | None] = []
        self._slot_of: dict[str, int] = {}
        self._alive = array("b")
        self._len = array("f")
        self._terms: dict[str, Counter] = {}  # slot → term frequencies, per chunk (for removal)
        self._post: dict[str, tuple[array, array]] = {}  # term → (slots, tfs)
        self._df: Counter = Counter()
        self._total_len = 0.0
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, tokens TEXT NOT NULL)")
            self._db.commit()
        if texts:
            self.add([(str(i), t) for i, t in enumerate(texts)])

    # ------------------------------------------------------------------ size and ids
    @property
    def size(self) -> int:
        return len(self.slots)

    def __len__(self) -> int:
        return len(self._slot_of)

    def ids(self) -> set[str]:
        return set(self._slot_of)

    def doc_freq(self, term: str) -> int:
        """How many indexed chunks hold ``term`` (a token as ``tokenize`` cuts it)."""
        return self._df.get(term, 0)

    # ------------------------------------------------------------------ updates
    def load(self, wanted: set[str] | None = None) -> set[str]:
        """Index the persisted token lists (only ``wanted`` ids when given); returns the ids loaded."""
        if self._db is None:
            return set()
        loaded = set()
        rows = self._db.execute("SELECT id, tokens FROM tokens").fetchall()
        stale = []
        with self._lock:
            for cid, toks in rows:
                if wanted is not None and cid not in wanted:
                    stale.append((cid,))  # removed from the store while this process was away
                    continue
                self._put(cid, toks.split(" ") if toks else [])
                loaded.add(cid)
        if stale:
            self._db.executemany("DELETE FROM tokens WHERE id = ?", stale)
            self._db.commit()
        return loaded

    def add(self, items: list[tuple[str, str]]) -> None:
        tokenized = [(cid, tokenize(text)) for cid, text in items]
        with self._lock:
            for cid, toks in tokenized:
                self._put(cid, toks)
        if self._db is not None and tokenized:
            self._db.executemany(
                "INSERT OR REPLACE INTO tokens (id, tokens) VALUES (?, ?)", [(c, " ".join(t)) for c, t in tokenized]
            )
            self._db.commit()

    def remove(self, ids) -> None:
        ids = list(ids)
        with self._lock:
            for cid in ids:
                self._drop(cid)
        if self._db is not None and ids:
            self._db.executemany("DELETE FROM tokens WHERE id = ?", [(c,) for c in ids])
            self._db.commit()

    def _put(self, cid: str, toks: list[str]) -> None:
        if cid in self._slot_of:
            self._drop(cid)
        tf = Counter(toks)
        self._place(cid, tf, len(toks))
        self._terms[cid] = tf
        self._total_len += len(toks)
        for term in tf:
            self._df[term] += 1

    def _place(self, cid: str, tf: Counter[str], length: float) -> None:
        """Give ``cid`` the next slot and post its terms there (term statistics are the caller's)."""
        slot = len(self.slots)  # slots are never re-used: a posting's slot belongs to one chunk for good
        self.slots.append(cid)
        self._alive.append(1)
        self._len.append(length)
        self._slot_of[cid] = slot
        for term, n in tf.items():
            post = self._post.get(term)
            if post is None:
                post = self._post[term] = (array("i"), array("f"))
            post[0].append(slot)
            post[1].append(n)

    def _drop(self, cid: str) -> None:
        slot = self._slot_of.pop(cid, None)
        if slot is None:
            return
        tf = self._terms.pop(cid)
        self._total_len -= self._len[slot]
        self.slots[slot] = None
        self._alive[slot] = 0
        for term in tf:
            self._df[term] -= 1
            if self._df[term] <= 0:
                del self._df[term], self._post[term]
        if len(self.slots) > 64 and len(self._slot_of) < len(self.slots) // 2:
            self._compact()

    def _compact(self) -> None:
        """Renumber the live chunks into fresh slots (after many removals); ``slots`` changes."""
        live = [(cid, self._terms[cid], self._len[s]) for s, cid in enumerate(self.slots) if cid is not None]
        self.slots, self._slot_of = [], {}
        self._alive, self._len = array("b"), array("f")
        self._post = {}
        for cid, tf, length in live:
            self._place(cid, tf, length)

    # ------------------------------------------------------------------ scoring
    def scores(self, query: str) -> np.ndarray:
        with self._lock:
            return self._accumulate(tokenize(query), None)

    def _accumulate(self, terms: list[str], keep: np.ndarray | None) -> np.ndarray:
        """BM25 per slot from the terms' postings alone (slots without a posting stay 0)."""
        n = len(self._slot_of)
        out = np.zeros(len(self.slots), dtype=np.float32)
        if n == 0:
            return out
        lengths = np.frombuffer(self._len, dtype=np.float32)
        allowed = np.frombuffer(self._alive, dtype=np.int8).astype(bool)
        if keep is not None:
            allowed &= keep[: len(allowed)]
        avg = self._total_len / n or 1.0
        for term in dict.fromkeys(terms):
            post = self._post.get(term)
            if post is None:
                continue
            slots = np.frombuffer(post[0], dtype=np.int32)
            tfs = np.frombuffer(post[1], dtype=np.float32)
            live = allowed[slots]  # postings of removed chunks stay until a compaction; they never count
            slots, tfs = slots[live], tfs[live]
            df = self._df[term]
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            denom = tfs + K1 * (1 - B + B * lengths[slots] / avg)
            out[slots] += idf * tfs * (K1 + 1) / denom  # one posting per slot and term
        return out

    def top(self, query: str, k: int, keep: np.ndarray | None = None) -> list[tuple[int, float]]:
        terms = tokenize(query)
        with self._lock:
            out = self._accumulate(terms, keep)
            cand = np.flatnonzero(out > 0)
            return [(int(cand[i]), float(out[cand[i]])) for i in best_first(out[cand], k)]
