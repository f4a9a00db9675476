"""Stage: base summary — which past summary of the unit a draft continues, and why (or why none).

Input: a ``FactSheet`` (its ``base`` link, if any), the knowledge base, optionally a document given explicitly
(``zongjie draft --base FILE``). Output: ``BaseChoice`` — the document, how it was found and a sentence in Chinese
that the draft page and the CLI show:
- ``linked``: the sheet names its base summary (「从往年总结开始」, picked in the knowledge base, kept by
  「用作下一年度」, or confirmed on the sheet's page) — used whatever its unit name reads (a placeholder 「zz乡工会」
  in an archive continues as 「桃源镇工会」); a link whose document is gone is looked up by its file and piece, else
  reported, never replaced silently;
- ``matched``: no link; a summary of an earlier period whose unit name (or 落款) is the sheet's unit after
  ``corpus.unit_names.normalise`` (page digits, spaces, punctuation, traditional forms, 工会委员会 ↔ 工会) — shown
  for the clerk to confirm, with the name as the knowledge base holds it;
- ``none``: no link and no match — the note says what was looked for (「未找到本单位往年的总结：…」).

``own_document_ids(kb, sheet, choice)``: the unit's own documents, never exemplars for its drafts (so the copy check,
照抄范文, never fires on the unit's own carried-over words): the base, every document of the tree unit the base
belongs to, and every document whose unit name or 落款 is the sheet's unit after normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..backends.knowledge_base import KnowledgeBase
from ..common.errors import KnowledgeBaseUnavailable, NotFound
from ..corpus.document import PERIOD_LABELS, KBDocument
from ..corpus.unit_names import same_unit
from ..factsheets.model import FactSheet

How = Literal["linked", "matched", "none"]
_PERIOD_RANK = {"first_half": 0, "second_half": 1, "annual": 1}


@dataclass
class BaseChoice:
    doc: KBDocument | None
    how: How
    note: str
    own_ids: list[str] = field(default_factory=list)  # filled by ``own_document_ids``


def describe(doc: KBDocument) -> str:
    """「title」（unit，year period） — how a base summary is named on pages and in the CLI."""
    year = doc.year_text or (str(doc.year) if doc.year else "年份不详")
    unit = doc.unit_name or doc.signed_by or "单位未识别"
    return f"「{doc.title or '（无标题）'}」（{unit}，{year}年{PERIOD_LABELS.get(doc.period, '')}）"


def _documents(kb: KnowledgeBase | None) -> list[KBDocument]:
    if kb is None:
        return []
    try:
        return kb.store.documents()
    except KnowledgeBaseUnavailable:
        return []


def _earlier(doc: KBDocument, sheet: FactSheet) -> bool:
    here = (sheet.period.year, _PERIOD_RANK[sheet.period.kind])
    return bool(doc.year) and (doc.year or 0, _PERIOD_RANK[doc.period]) < here


def _names(doc: KBDocument) -> list[str | None]:
    return [doc.unit_name, doc.signed_by]


def matches_by_name(docs: list[KBDocument], sheet: FactSheet) -> list[KBDocument]:
    """Summaries of an earlier period whose unit is the sheet's after normalisation, the best first (the same
    period kind, then the latest)."""
    found = [
        d for d in docs if d.sections and _earlier(d, sheet) and any(same_unit(n, sheet.unit.name) for n in _names(d))
    ]
    return sorted(found, key=lambda d: (d.period == sheet.period.kind, d.year, _PERIOD_RANK[d.period]), reverse=True)


def resolve_base(kb: KnowledgeBase | None, sheet: FactSheet, explicit: KBDocument | None = None) -> BaseChoice:
    """The summary a draft of ``sheet`` continues (see the module docstring)."""
    docs = _documents(kb)
    if explicit is not None:
        choice = BaseChoice(explicit, "linked", f"续写指定的往年总结{describe(explicit)}")
    elif sheet.base is not None:
        link = sheet.base
        doc = next((d for d in docs if d.id == link.doc_id), None) or next(
            (d for d in docs if link.file_hash and d.file_hash == link.file_hash and d.piece == link.piece), None
        )
        if doc is None and kb is not None and not docs:
            try:
                doc = kb.document(link.doc_id)
            except (NotFound, KnowledgeBaseUnavailable):
                doc = None
        if doc is not None:
            choice = BaseChoice(doc, "linked", f"续写本单位往年的总结{describe(doc)}")
        else:
            shown = f"「{link.title or link.doc_id}」"
            choice = BaseChoice(
                None, "none", f"未找到本单位往年的总结：事实表链接的{shown}已不在资料库中，请在事实表页重新选择或上传"
            )
    else:
        found = matches_by_name(docs, sheet)
        if found:
            doc = found[0]
            held = doc.unit_name if same_unit(doc.unit_name, sheet.unit.name) else doc.signed_by
            choice = BaseChoice(
                doc,
                "matched",
                f"按单位名称找到本单位往年的总结{describe(doc)}，资料库中记为「{held}」：请在事实表页确认是这一篇",
            )
        elif kb is None:
            choice = BaseChoice(None, "none", "未找到本单位往年的总结：没有使用资料库")
        else:
            choice = BaseChoice(
                None,
                "none",
                f"未找到本单位往年的总结：资料库中没有单位名为「{sheet.unit.name}」、早于{sheet.period.year}年"
                f"{PERIOD_LABELS[sheet.period.kind]}的总结（已忽略页码、空格、标点、繁简和“工会委员会/工会”的差别），"
                "可在事实表页上传或从资料库选择",
            )
    choice.own_ids = own_document_ids(docs, sheet, choice.doc)
    return choice


def own_document_ids(docs: list[KBDocument], sheet: FactSheet, base: KBDocument | None = None) -> list[str]:
    """The unit's own documents among ``docs`` (see the module docstring)."""
    unit_id = base.unit_id if base is not None else None
    linked = sheet.base.doc_id if sheet.base else None
    out = [
        d.id
        for d in docs
        if d.id in (linked, base.id if base else None)
        or (unit_id and d.unit_id == unit_id)
        or any(same_unit(n, sheet.unit.name) for n in _names(d))
    ]
    if base is not None and base.id not in out:
        out.append(base.id)
    return out
