"""Errors the whole package shares.

``NotFound``: something asked for by id does not exist (a fact sheet, job, draft, version, knowledge-base summary).
Storage and the knowledge base raise it; the web app maps it to 404 with ``message_zh`` in one exception handler
(``web/main.py``), so routers do not catch it. It subclasses ``KeyError`` for callers that treat it as a lookup miss.

``KnowledgeBaseUnavailable``: a knowledge-base backend cannot be reached (the Chroma server is down, the embedding
endpoint fails). Backends translate their transport errors into it; drafting catches it and goes on without
exemplars or a learned outline.
"""

from __future__ import annotations


class NotFound(KeyError):
    """``what``: the thing's Chinese name with its measure word (这份草稿, 这个起草任务); ``key``: the id asked for."""

    def __init__(self, what: str, key: object = None):
        super().__init__(key)
        self.what = what
        self.key = key

    @property
    def message_zh(self) -> str:
        return f"没有找到{self.what}"

    def __str__(self) -> str:
        return f"{self.message_zh}（{self.key}）" if self.key is not None else self.message_zh


class KnowledgeBaseUnavailable(RuntimeError):
    """A knowledge-base backend cannot be reached; ``str(exc)`` says which and why."""
