"""Approved is next year's base: when a draft is approved, its text enters the knowledge base as that unit's summary
for the period, so next year's draft of the unit can continue it without an import.

Contract: ``keep_approved(kb, store, draft_id, version)`` parses the approved version's text into one knowledge-base
document, with the unit name, unit type, year and period of the draft's fact sheet (not guessed from the text) and
the draft's unit in the tree (``unit_id``), its text kept for the structure page (``storage.kb_reviews``), and
stores it under the source ``approved_source(sheet)`` — one per unit and period — so approving again (a re-approval
after reopening, or another draft of the same sheet's unit and period) replaces the earlier approved text and never
adds a second copy. Returns the stored document.
"""

from __future__ import annotations

from ..backends.knowledge_base import KnowledgeBase
from ..corpus.document import KBDocument
from ..corpus.parsing import parse_text, sha
from ..stages.assemble import Draft
from ..storage import kb_reviews
from ..storage.draft_store import DraftStore

SOURCE_PREFIX = "approved:"


def approved_source(unit_name: str, year: int, period: str) -> str:
    """The knowledge-base source of a unit's approved summary for a period: the same for every approval of it."""
    return f"{SOURCE_PREFIX}{unit_name}/{year}/{period}"


def keep_approved(
    kb: KnowledgeBase, store: DraftStore, draft_id: str, version: int, unit_id: str | None = None
) -> KBDocument:
    draft = Draft.model_validate(store.version(draft_id, version).data)
    sheet = store.factsheet(store.draft(draft_id).factsheet_id)
    unit = sheet.data.get("unit") or {}
    text = draft.text()
    source = approved_source(sheet.unit_name, sheet.year, sheet.period)
    overrides = {"unit_name": sheet.unit_name, "year": sheet.year, "period": sheet.period}
    if unit.get("type"):
        overrides["unit_type"] = unit["type"]
    file_hash = sha(text, 32)
    docs = parse_text(text, source, overrides, file_hash)
    if not docs:
        raise ValueError("定稿文本没有可存入资料库的内容")
    doc = docs[0].model_copy(
        update={"unit_name": sheet.unit_name, "year": sheet.year, "period": sheet.period, "unit_id": unit_id}
    )
    kb_reviews.put_source(store, file_hash, f"{draft.title}（定稿）.txt", text)  # its structure page can show it
    kb.add_documents(source, [doc])
    return doc
