"""A learned line-break model: where a text whose line breaks were lost had one (the end of a title or a heading).

Serves run-on text (PDF copies, web pages saved without line breaks) where a boundary must be guessed: where a
heading's title ends and its body begins (「（一）提升技术能力引领广大职工…」). Instead of listing the words titles end
with and bodies start with, a logistic regression over character n-grams around each gap is learned from texts
whose line breaks are intact: flattening them gives the labels for free (a gap where a line ended is a break).

Training data: the project's own sample summaries (``knowledge/corpus``), by ``eval/real_openings/build_breaks.py``,
which writes the learned parameters to ``break_weights.npy`` next to this module (hashed features, float16). The
third-party texts in ../shared are never used to train it (only to measure it).

Contract: ``break_prob(text, i)`` is the probability that a line ended between ``text[i-1]`` and ``text[i]``;
``train(texts)`` returns weights; ``DIM`` is the hashed feature space. Deterministic; no model is downloaded.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

DIM = 1 << 15
WEIGHTS = Path(__file__).with_name("break_weights.npy")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_STRONG = set("。！？；：")
_MARKER_RE = re.compile(
    r"^([一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d))"
)


def _cls(ch: str) -> str:
    if not ch:
        return "E"
    if ch.isdigit():
        return "D"
    if _HAN.match(ch):
        return "H"
    if ch in _STRONG:
        return "S"
    if ch in "，、,":
        return "C"
    return "P"


def _bucket(n: int) -> str:
    for b in (0, 2, 4, 8, 12, 16, 24, 32, 48):
        if n <= b:
            return str(b)
    return "more"


def features(text: str, i: int) -> list[str]:
    left, right = text[max(0, i - 4) : i], text[i : i + 4]
    since = 0
    while since < i and since < 60 and text[i - 1 - since] not in _STRONG and text[i - 1 - since] != "\n":
        since += 1
    line_start = i - since
    marker = bool(_MARKER_RE.match(text[line_start : line_start + 5]))
    out = [
        "b",
        f"L1={left[-1:]}",
        f"L2={left[-2:]}",
        f"L3={left[-3:]}",
        f"R1={right[:1]}",
        f"R2={right[:2]}",
        f"R3={right[:3]}",
        f"LR={left[-1:]}|{right[:1]}",
        f"L2R1={left[-2:]}|{right[:1]}",
        f"L1R2={left[-1:]}|{right[:2]}",
        f"C={_cls(left[-1:])}{_cls(right[:1])}",
        f"D={_bucket(since)}",
        f"DM={_bucket(since)}{int(marker)}",
        f"M={int(marker)}{_cls(right[:1])}",
        f"RM={int(bool(_MARKER_RE.match(right)))}",
    ]
    return out


def _index(feats: Iterable[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(f.encode("utf-8")) % DIM for f in feats), dtype=np.int64)


def flatten(text: str) -> tuple[str, set[int]]:
    """A text with its line breaks removed, and the offsets (gaps) where a line ended."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    flat, breaks, pos = [], set(), 0
    for line in lines:
        if pos:
            breaks.add(pos)
        flat.append(line)
        pos += len(line)
    return "".join(flat), breaks


def train(texts: Iterable[str], epochs: int = 8, rate: float = 0.2, l2: float = 1e-6, seed: int = 23) -> np.ndarray:
    """Logistic regression by SGD over every gap of every flattened text (breaks weighted up to balance)."""
    rows: list[tuple[np.ndarray, float]] = []
    for text in texts:
        flat, breaks = flatten(text)
        for i in range(1, len(flat)):
            rows.append((_index(features(flat, i)), 1.0 if i in breaks else 0.0))
    positives = sum(y for _, y in rows) or 1.0
    balance = (len(rows) - positives) / positives
    w = np.zeros(DIM, dtype=np.float64)
    rng = np.random.default_rng(seed)
    order = np.arange(len(rows))
    for epoch in range(epochs):
        rng.shuffle(order)
        step = rate / (1 + epoch)
        for k in order:
            idx, y = rows[k]
            z = w[idx].sum()
            p = 1.0 / (1.0 + np.exp(-z))
            g = (p - y) * (balance if y else 1.0)
            w[idx] -= step * (g + l2 * w[idx])
    return w


@functools.cache
def _weights() -> np.ndarray:
    loaded: np.ndarray = np.load(WEIGHTS)
    return loaded.astype(np.float64)


def available() -> bool:
    return WEIGHTS.exists()


def break_prob(text: str, i: int, weights: np.ndarray | None = None) -> float:
    w = _weights() if weights is None else weights
    z = float(w[_index(features(text, i))].sum())
    return 1.0 / (1.0 + float(np.exp(-z)))
