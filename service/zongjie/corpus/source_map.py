"""Place cleaned text back in the text as read, so that what was read can be shown beside the source.

Serves the structure page and the import report (issue 23): cleaning changes the text (spaces, punctuation,
traditional forms, glued page numbers), so a cleaned snippet is found in the source by its letters, digits and
Chinese characters only, folded the same way on both sides (simplified forms, NFKC, lower case).

Contract: ``SourceMap(text).find(snippet, start)`` returns ``(start, end)`` character offsets into ``text`` of the
first place at or after ``start`` where ``snippet`` stands, or None. A snippet with a page number the cleaner took
out of the middle is found by its two ends. ``SourceMap.chars(a, b)`` counts the folded characters in a range.
"""

from __future__ import annotations

import bisect
import unicodedata

from .script import to_simplified


def _fold(ch: str) -> str:
    f = unicodedata.normalize("NFKC", ch).lower()
    return f if len(f) == 1 and f.isalnum() else ""


class SourceMap:
    def __init__(self, text: str) -> None:
        simple = to_simplified(text)
        chars = simple if len(simple) == len(text) else text
        folded: list[str] = []
        self.index: list[int] = []
        for i, ch in enumerate(chars):
            f = _fold(ch)
            if f:
                folded.append(f)
                self.index.append(i)
        self.folded = "".join(folded)
        self.text = text

    def _pos(self, offset: int) -> int:
        return bisect.bisect_left(self.index, offset)

    def chars(self, start: int, end: int) -> int:
        return self._pos(end) - self._pos(start)

    @property
    def total(self) -> int:
        return len(self.folded)

    def find(self, snippet: str, start: int = 0) -> tuple[int, int] | None:
        key = "".join(_fold(c) for c in snippet)
        if not key:
            return None
        k = self.folded.find(key, self._pos(start))
        if k >= 0:
            return self.index[k], self.index[k + len(key) - 1] + 1
        if len(key) < 12:
            return None
        head = self.folded.find(key[:6], self._pos(start))
        if head < 0:
            return None
        tail = self.folded.find(key[-6:], head + 6)
        if tail < 0 or tail + 6 - head > len(key) + 8:
            return None
        return self.index[head], self.index[tail + 5] + 1
