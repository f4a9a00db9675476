"""Which piece of a file is the summary a clerk means when a file holds several (「从往年总结开始」, ``extract``).

Contract: ``default_piece(docs)`` returns the 1-based piece to take when the clerk has not chosen one.
"""

from __future__ import annotations

from .document import KBDocument


def default_piece(docs: list[KBDocument]) -> int:
    """The first document (today's behaviour; see issue 23)."""
    return 1
