"""A fact sheet's 底稿 — the past summary its drafts continue — as the sheet's page shows it.

``base_view(kb, data)``: what the 底稿 card says — the linked summary (or that it is gone), else the summary found by
the unit's normalised name with a button to confirm it, else why none was found. ``link_of(doc)``: the sheet's
``base`` for a knowledge-base document. (The routes that link and unlink are in ``start.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass

from ...backends.knowledge_base import KnowledgeBase
from ...corpus.document import KBDocument
from ...factsheets.model import FactSheetError, parse_fact_sheet
from ...stages.base_summary import resolve_base


@dataclass
class BaseChoiceView:
    how: str
    note: str
    doc_id: str | None


def base_view(kb: KnowledgeBase | None, data: dict) -> BaseChoiceView | None:
    try:
        sheet = parse_fact_sheet(data)
    except FactSheetError:
        return None
    choice = resolve_base(kb, sheet)
    return BaseChoiceView(choice.how, choice.note, choice.doc.id if choice.doc else None)


def link_of(doc: KBDocument) -> dict:
    """The sheet's ``base`` for a knowledge-base document."""
    return {
        "doc_id": doc.id,
        "file_hash": doc.file_hash,
        "piece": doc.piece,
        "title": doc.title,
        "unit_name": doc.unit_name,
        "year": doc.year,
    }
