"""A fact sheet's 底稿 — the past summary its drafts continue — as the sheet's page shows it.

``base_view(kb, data)``: what the 底稿 card says — the linked summary (or that it is gone), else the summary found by
the unit's normalised name with a button to confirm it, else why none was found. ``link_of(doc)``: the sheet's
``base`` for a knowledge-base document. ``next_year_base``: 「用作下一年度」 after a draft of the sheet was approved —
the approved text is next year's base. (The routes that link and unlink are in ``start.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass

from ...backends.knowledge_base import KnowledgeBase
from ...common.errors import KnowledgeBaseUnavailable
from ...corpus.document import KBDocument
from ...corpus.reading import UnreadableFile
from ...drafting.approved_base import approved_source
from ...factsheets.model import FactSheetError, parse_fact_sheet
from ...stages.assemble import Draft
from ...stages.base_summary import resolve_base
from ...stages.structure import keep_past_summary


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


def next_year_base(kb: KnowledgeBase | None, store, reviews, stored, unit_id: str | None, user: str) -> dict | None:
    """「用作下一年度」 of a sheet whose draft was approved: that approved text is the next year's base — the document
    approval put in the knowledge base (``drafting.approved_base``), or, for an approval made before that, kept now as
    the unit's document (its structure reviewable like an upload) — and linked. None when no draft
    of the sheet is approved (the sheet's own link is kept)."""
    if kb is None:
        return None
    drafts = store.drafts(stored.id)
    states = reviews.reviews([d.id for d in drafts])
    approved = [(states[d.id].updated_at, d) for d in drafts if d.id in states and states[d.id].approved_version]
    if not approved:
        return None
    _, draft = max(approved, key=lambda x: x[0])
    try:  # kept at approval (drafting/approved_base.py): link that one, never a second copy
        kept_at_approval = kb.store.documents({"source": approved_source(stored.unit_name, stored.year, stored.period)})
    except KnowledgeBaseUnavailable:
        kept_at_approval = []
    if kept_at_approval:
        return link_of(kept_at_approval[0])
    text = Draft.model_validate(store.version(draft.id, states[draft.id].approved_version).data).text()
    try:
        kept = keep_past_summary(kb, store, f"{draft.title}（定稿）.txt", text.encode("utf-8"), unit_id, 1, user)
    except (UnreadableFile, ValueError, IndexError, KnowledgeBaseUnavailable):
        return None
    return link_of(next(d for d in kept.docs if d.piece == kept.piece))
