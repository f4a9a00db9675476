"""Place a parsed document in its file's text as read: where it starts and ends, where each heading starts, where
its title ends and where its own body starts (the structure page shows the source beside what was read).

Contract: ``place(doc, title, paragraphs, smap, cursor)`` sets ``KBDocument.start/end`` and every section's
``start/title_end/body_start`` (offsets into the text ``smap`` was built on; None where a piece cannot be found)
and returns the offset where the next document's search starts. ``norm_chars(text)`` is the text's letters, digits
and Chinese characters, folded as ``SourceMap`` folds them (what ``kept_share`` counts).
"""

from __future__ import annotations

from .document import KBDocument
from .source_map import SourceMap, _fold


def norm_chars(text: str) -> str:
    return "".join(_fold(c) for c in text)


def place(doc: KBDocument, title: str, paragraphs: list[str], smap: SourceMap, cursor: int) -> int:
    first = next((p for p in [title, *paragraphs] if norm_chars(p)), "")
    at = smap.find(first, cursor) if first else None
    doc.start = at[0] if at else None
    pos = at[0] if at else cursor
    for _, sec in doc.walk():
        head = smap.find(f"{sec.marker}{sec.title}", pos)
        if head is None:
            continue
        sec.start, sec.title_end = head
        pos = head[1]
        if sec.text:
            # a run-on heading's body may open with its title's own words (the title was cut from its first
            # sentence): the body is looked for from the heading's start
            body = smap.find(sec.text[:12], head[0]) or smap.find(sec.text[:6], head[0])
            if body is not None:
                sec.body_start = body[0]
                pos = body[0]
    last = next((p for p in reversed([*paragraphs, doc.signature or ""]) if norm_chars(p)), "")
    tail = smap.find(last[-12:], pos) if last else None
    doc.end = tail[1] if tail else (pos if doc.start is not None else None)
    return doc.end if doc.end is not None else cursor
