"""Zongjie (总结): drafts Chinese trade-union work summaries and checks every figure in them.

The public API, importable from the package itself::

    import zongjie

    sheet = zongjie.load_fact_sheet("facts.yaml")            # or parse_fact_sheet(dict); FactSheet
    draft = zongjie.run_draft(sheet, zongjie.Settings(), llm=None)   # offline drafter; kb=KnowledgeBase(...)
    report = zongjie.check(zongjie.CheckInput(draft.text(), sheet))  # CheckReport; report.summary, report.ok

Names are imported on first use, so ``import zongjie`` stays cheap (no chromadb, FastAPI or model libraries).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "FactSheet": "zongjie.facts",
    "FactSheetError": "zongjie.facts",
    "load_fact_sheet": "zongjie.facts",
    "parse_fact_sheet": "zongjie.facts",
    "Settings": "zongjie.settings",
    "run_draft": "zongjie.pipeline",
    "Draft": "zongjie.stages.assemble",
    "check": "zongjie.stages.check",
    "CheckInput": "zongjie.stages.check",
    "CheckReport": "zongjie.checker.report",
    "KnowledgeBase": "zongjie.knowledge_base",
    "NotFound": "zongjie.errors",
    "KnowledgeBaseUnavailable": "zongjie.errors",
}
__all__ = [  # the keys of _EXPORTS, spelled out for tools that read __all__ statically
    "CheckInput",
    "CheckReport",
    "Draft",
    "FactSheet",
    "FactSheetError",
    "KnowledgeBase",
    "KnowledgeBaseUnavailable",
    "NotFound",
    "Settings",
    "check",
    "load_fact_sheet",
    "parse_fact_sheet",
    "run_draft",
]

if TYPE_CHECKING:
    from .checker.report import CheckReport
    from .errors import KnowledgeBaseUnavailable, NotFound
    from .facts import FactSheet, FactSheetError, load_fact_sheet, parse_fact_sheet
    from .knowledge_base import KnowledgeBase
    from .pipeline import run_draft
    from .settings import Settings
    from .stages.assemble import Draft
    from .stages.check import CheckInput, check


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'zongjie' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
