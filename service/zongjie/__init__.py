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
    "FactSheet": "zongjie.factsheets.model",
    "FactSheetError": "zongjie.factsheets.model",
    "load_fact_sheet": "zongjie.factsheets.model",
    "parse_fact_sheet": "zongjie.factsheets.model",
    "Settings": "zongjie.settings",
    "run_draft": "zongjie.drafting.pipeline",
    "Draft": "zongjie.stages.assemble",
    "check": "zongjie.stages.check",
    "CheckInput": "zongjie.stages.check",
    "CheckReport": "zongjie.checker.report",
    "KnowledgeBase": "zongjie.backends.knowledge_base",
    "NotFound": "zongjie.common.errors",
    "KnowledgeBaseUnavailable": "zongjie.common.errors",
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
    from .backends.knowledge_base import KnowledgeBase
    from .checker.report import CheckReport
    from .common.errors import KnowledgeBaseUnavailable, NotFound
    from .drafting.pipeline import run_draft
    from .factsheets.model import FactSheet, FactSheetError, load_fact_sheet, parse_fact_sheet
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
