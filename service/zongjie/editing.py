"""Editors' changes to a stored draft, each producing a new Draft (stored as a new version by the caller).

``edit_section``: replace one section's text as typed, re-check the whole draft. ``regenerate_section``: write one
section again from its facts (same facts, new exemplars and a new LLM answer — or the offline drafter), with the
same check and repair loop, then re-check the whole draft.
"""

from __future__ import annotations

from .backends.llm import make_llm
from .checker.exemplars import Exemplar
from .checker.facts_index import build_index
from .facts import FactSheet
from .settings import Settings
from .stages.assemble import Draft, check_draft
from .stages.draft import DraftInput, write_one
from .stages.retrieve import ExemplarQuery, exemplars_for
from .writers.base import SectionFacts, SectionTask

MAX_SECTION_CHARS = 5000


class EditError(ValueError):
    """A change that cannot be applied; ``message_zh`` says why."""

    def __init__(self, message_zh: str):
        self.message_zh = message_zh
        super().__init__(message_zh)


def _section(draft: Draft, key: str):
    for s in draft.walk():
        if s.key == key and not s.children:
            return s
    raise EditError("没有这个部分")


def _exemplars(draft: Draft, kb, sheet: FactSheet) -> list[Exemplar]:
    out = []
    for s in draft.walk():
        if s.children:
            continue
        out += exemplars_for(kb, ExemplarQuery.for_section(sheet, s.heading, s.role, s.fact_ids))
    return list({(e.source, e.text): e for e in out}.values())


def recheck(draft: Draft, sheet: FactSheet, settings: Settings, exemplars: list[Exemplar]) -> Draft:
    draft.set_report(check_draft(draft, sheet, exemplars, settings.check_policy(), settings.check_copy_min_chars))
    return draft


def edit_section(draft: Draft, key: str, text: str, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    text = "\n".join(line.strip() for line in text.replace("\r", "").split("\n") if line.strip())
    if len(text) > MAX_SECTION_CHARS:
        raise EditError(f"这一部分太长了（{len(text)} 字），请控制在 {MAX_SECTION_CHARS} 字以内")
    new = draft.model_copy(deep=True)
    section = _section(new, key)
    section.text = text
    section.fallback, section.note = "none", "编辑修改"
    return recheck(new, sheet, settings, _exemplars(new, kb, sheet))


def regenerate_section(draft: Draft, key: str, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    new = draft.model_copy(deep=True)
    section = _section(new, key)
    task = SectionTask(
        section.key,
        section.heading,
        section.role,
        SectionFacts.select(sheet, section.fact_ids),
        exemplars_for(kb, ExemplarQuery.for_section(sheet, section.heading, section.role, section.fact_ids)),
    )
    result = write_one(
        DraftInput(
            [task],
            build_index(sheet),
            make_llm(settings),
            1,
            settings.draft_repair_rounds,
            settings.check_policy(),
            settings.check_copy_min_chars,
        ),
        task,
    )
    section.text, section.rounds, section.fallback = result.text, result.rounds, result.fallback
    section.note = result.note or "重新生成"
    section.exemplar_sources = result.exemplar_sources
    return recheck(new, sheet, settings, _exemplars(new, kb, sheet))
