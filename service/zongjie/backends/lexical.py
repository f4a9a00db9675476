"""Lexical index: jieba tokens + BM25 (bm25s), kept outside chroma (local chroma has no sparse search).

Contract of ``LexicalIndex``: ``scores(query)`` returns one BM25 score per indexed text, in index order; an
empty index returns an empty array. Tokenisation drops punctuation and one-character function words.
"""

from __future__ import annotations

import logging
import re
import threading

import numpy as np

_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_STOP = set(
    "的 了 和 与 及 在 是 为 对 把 将 等 中 上 下 也 又 并 而 以 于 之 其 有 被 让 从 到 向 就 都 这 那 我们 我 各 年".split()
)
_jieba_lock = threading.Lock()
_jieba = None


def tokenize(text: str) -> list[str]:
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return [t for t in _jieba.lcut_for_search(text) if _TOKEN_OK.search(t) and t not in _STOP]


class LexicalIndex:
    def __init__(self, texts: list[str]):
        import bm25s

        self.size = len(texts)
        self._bm25 = None
        if texts:
            self._bm25 = bm25s.BM25()
            self._bm25.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        toks = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(toks), dtype=np.float32)
