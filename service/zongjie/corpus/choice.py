"""Which pieces of a file are summaries, and which one a clerk means when a file holds several.

Serves web pages and archives that hold more than one piece: a site header with the page title repeated, a
download notice, a table of contents, then one or more summaries (篇1/篇2, 扩展阅读). A piece that is only a header,
a notice or a table of contents is not a document (the parser records it as dropped, never silently).

Contract:
- ``not_a_summary(raw)`` returns None for a piece that reads as a summary, or the class of what it is instead
  (``"not_a_summary"``: a furniture class of ``corpus.furniture.RULES``).
- ``default_piece(docs)`` returns the 1-based piece ``extract`` and 「从往年总结开始」 take when the clerk has not
  chosen: the first piece with a summary's substance (a heading, or 200 characters of prose), else the longest.
"""

from __future__ import annotations

import re

from .document import KBDocument
from .patterns import match_heading
from .splitting import MIN_BODY_CHARS, RawDocument

_PROSE_RE = re.compile(r"[，。；]")
_SUBSTANCE = 200


def _is_prose(p: str) -> bool:
    """A paragraph a person wrote as text: a sentence with inner punctuation, not a bare title or a menu item."""
    return len(p) >= 12 and bool(_PROSE_RE.search(p))


def not_a_summary(raw: RawDocument) -> str | None:
    if raw.body_chars < MIN_BODY_CHARS:
        return "not_a_summary"  # a title alone, a header
    paras = raw.paragraphs
    if not any(_is_prose(p) for p in paras):
        return "not_a_summary"  # headers, titles, menus: no sentence of prose
    heads = [p for p in paras if match_heading(p)]
    # a table of contents: headings one after another, none with a body, no sentence between them
    if len(heads) >= 3 and len(heads) >= 0.8 * len(paras) and not any(p.endswith(("。", "；")) for p in paras):
        return "not_a_summary"
    return None


def _substance(doc: KBDocument) -> bool:
    prose = len(doc.opening) + sum(len(s.text) + len(s.title) for _, s in doc.walk()) + len(doc.closing)
    return bool(doc.sections) or prose >= _SUBSTANCE


def default_piece(docs: list[KBDocument]) -> int:
    for i, d in enumerate(docs, start=1):
        if _substance(d):
            return i
    if not docs:
        return 1
    return max(range(len(docs)), key=lambda i: len(docs[i].full_text())) + 1
