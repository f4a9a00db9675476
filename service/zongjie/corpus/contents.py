"""A table of contents in front of a summary is not its headings.

Serves reports exported from Word or copied from document-sharing sites with a 目录: a run of heading lines with no
text between them (often with dot leaders and page numbers: 「一、组织建设……3」), whose headings come again below
with their text. Read as headings, they would give every section twice and the first copy empty.

Contract: ``split_contents(paragraphs)`` returns ``(paragraphs without the table, the table's lines)``. A table is a
run of at least three consecutive short lines (≤ 40 characters, no sentence end), optionally under a 「目录」 line,
at least three of which are headings of the ladder whose titles stand again as headings later in the piece.
"""

from __future__ import annotations

import re

from .patterns import match_heading

_LEADER_RE = re.compile(r"[.．·…\-—_\s]*\d{0,3}$")
_CONTENTS_WORD_RE = re.compile(r"^(目\s*录|目\s*次|contents)$", re.IGNORECASE)
_MIN_RUN = 3


def _title(line: str) -> str | None:
    h = match_heading(line)
    if h is None:
        return None
    return _LEADER_RE.sub("", line[h[2].end() :]).strip() or None


def _short(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(("。", "；", "！", "？"))


def split_contents(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    i = 0
    while i < len(paragraphs):
        j = i
        if _CONTENTS_WORD_RE.match(paragraphs[i].strip()):
            j += 1
        k = j
        while k < len(paragraphs) and _short(paragraphs[k]) and _title(paragraphs[k]) is not None:
            k += 1
        run = paragraphs[j:k]
        if len(run) >= _MIN_RUN:
            later = {t for p in paragraphs[k:] if (t := _title(p))}
            heads = [_title(p) or "" for p in run]
            again = sum(1 for h in heads if any(h == t or t.startswith(h) for t in later))
            if again >= _MIN_RUN:
                return paragraphs[:i] + paragraphs[k:], paragraphs[i:k]
        i = max(k, i + 1)
    return paragraphs, []
