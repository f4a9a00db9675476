"""Differences between two versions of a draft, down to the characters changed inside a paragraph.

Contract: ``diff_lines(old, new)`` aligns the two texts line by line (difflib's SequenceMatcher, no junk
heuristics); a line changed in place becomes one ``changed`` row whose ``pieces`` mark what was deleted and
inserted inside it. Numbers are compared as whole tokens (326 → 362 shows as −326 +362, never as a shuffled
digit), Latin words likewise, every other character (each Chinese character) on its own. Lines only on one side
are ``deleted``/``added`` rows, identical lines ``same``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+|\s+|.", re.S)
PAIR_MIN_RATIO = 0.3  # lines less alike than this are shown as one deleted and one added line


@dataclass
class Piece:
    op: str  # equal | insert | delete
    text: str


@dataclass
class DiffRow:
    kind: str  # same | changed | added | deleted
    old: str = ""
    new: str = ""
    pieces: list[Piece] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def diff_inline(old: str, new: str) -> list[Piece]:
    """The pieces of one line: equal runs, deletions (from ``old``) and insertions (from ``new``) in order."""
    a, b = tokens(old), tokens(new)
    out: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Piece("insert", "".join(b[j1:j2])))
    return out


def _ratio(old: str, new: str) -> float:
    return SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio()


def diff_lines(old: str, new: str) -> list[DiffRow]:
    a, b = old.split("\n"), new.split("\n")
    rows: list[DiffRow] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [DiffRow("same", line, line) for line in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            x = olds[k] if k < len(olds) else None
            y = news[k] if k < len(news) else None
            if x is not None and y is not None and _ratio(x, y) >= PAIR_MIN_RATIO:
                rows.append(DiffRow("changed", x, y, diff_inline(x, y)))
                continue
            if x is not None:
                rows.append(DiffRow("deleted", old=x))
            if y is not None:
                rows.append(DiffRow("added", new=y))
    return rows
