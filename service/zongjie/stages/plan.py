"""Stage: plan — a fact sheet (+ the knowledge base) → an outline with the facts each section will state.

Input: ``FactSheet``, optional ``KnowledgeBase``, ``OutlineConfig`` (``knowledge/outlines.yaml``). Output: ``Plan``.

Own voice first: the unit's past summary (``base_summary.py``: the sheet's linked 底稿, else an earlier summary
whose unit name is the sheet's after normalisation) is the model (``plan_own.py``): its headings in their order,
second levels included, each section's length as the target, its text as the section's ``prior`` for an update.
Else, when the clerk titled the sheet's work sections with the heading ladder (一、 （一）), that outline is used as
written (``plan_sheet.py``). Otherwise (peers) which topics appear, and in what order, is learned from the
section trees of past summaries of the same unit type and period (each first-level heading is classified into a
topic by keywords; topics are ordered by their mean relative position), with the median length of the peers'
sections of a topic as its target; with fewer than ``min_learned`` such summaries the configured fallback order
is used. Each fact (metrics, activities, work notes) goes to the topic its section hint names, else the topic
its label names, else the last body section — a metric always stays in the section its hint names. A topic whose
facts carry two or more distinct section hints is split into second-level sections. Problems and plans become
the closing sections. Only sections with facts are kept, so the plan never asks for text without facts.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..backends.knowledge_base import KnowledgeBase
from ..common.errors import KnowledgeBaseUnavailable
from ..corpus.document import Section
from ..factsheets.model import FactSheet
from .base_summary import BaseChoice, resolve_base
from .outline import (
    DEFAULT_OUTLINES,
    PERIOD_TITLE,
    BaseUsed,
    OutlineConfig,
    Plan,
    PlannedSection,
    Topic,
    closing_sections,
    load_outline_config,
    title_for,
)
from .plan_own import plan_from_own
from .plan_sheet import sheet_outline

__all__ = [
    "DEFAULT_OUTLINES",
    "PERIOD_TITLE",
    "OutlineConfig",
    "Plan",
    "PlannedSection",
    "Topic",
    "learned_order",
    "load_outline_config",
    "plan",
]


def _section_chars(section: Section) -> int:
    return len(section.text) + sum(_section_chars(c) + len(c.title) for c in section.children)


def learned_order(
    kb: KnowledgeBase | None, sheet: FactSheet, config: OutlineConfig
) -> tuple[list[str], list[str], dict[str, int]]:
    """Topic order learned from past summaries of the same unit type and period, the titles used, and each
    topic's median section length."""
    if kb is None:
        return [], [], {}
    docs = kb.store.documents({"unit_type": sheet.unit.type, "period": sheet.period.kind})
    docs = [d for d in docs if d.unit_name != sheet.unit.name and d.sections]
    if len(docs) < config.min_learned:
        return [], [], {}
    positions: dict[str, list[float]] = defaultdict(list)
    lengths: dict[str, list[int]] = defaultdict(list)
    body_topics = {k for k in config.topics if k not in ("problems", "plans")}
    for d in docs:
        body = [s for s in d.sections if s.role == "body"]
        for i, s in enumerate(body):
            topic = config.classify(s.title, body_topics) or config.classify(s.title + s.text[:200], body_topics)
            if topic:
                positions[topic].append(i / max(1, len(body) - 1))
                lengths[topic].append(_section_chars(s))
    order = sorted(positions, key=lambda t: (sum(positions[t]) / len(positions[t]), -len(positions[t])))
    medians = {t: sorted(v)[len(v) // 2] for t, v in lengths.items()}
    return order, [d.title for d in docs], medians


def plan(
    sheet: FactSheet,
    kb: KnowledgeBase | None = None,
    config: OutlineConfig | None = None,
    base: BaseChoice | None = None,
) -> Plan:
    """The outline (see the module docstring); ``base``: the past summary to follow, found by ``resolve_base``
    when not given. Whichever outline is used, the plan says which summary was followed or why none was."""
    config = config or load_outline_config()
    base = base or resolve_base(kb, sheet)
    used = BaseUsed(
        how=base.how,
        note=base.note,
        doc_id=base.doc.id if base.doc else None,
        title=base.doc.title if base.doc else None,
    )
    out = _plan(sheet, kb, config, base)
    return out.model_copy(update={"base": used, "own_docs": base.own_ids})


def _plan(sheet: FactSheet, kb: KnowledgeBase | None, config: OutlineConfig, base: BaseChoice) -> Plan:
    if base.doc is not None and base.doc.sections:
        return plan_from_own(sheet, base.doc, config)
    clerk_outline = sheet_outline(sheet, config)
    if clerk_outline is not None:
        return clerk_outline
    try:
        order, learned_from, medians = learned_order(kb, sheet, config)
    except KnowledgeBaseUnavailable:  # the configured outline still works
        order, learned_from, medians = [], [], {}
    source = "learned" if order else "fallback"
    fallback = config.fallback.get(sheet.unit.type) or config.fallback["other"]
    if not order:
        order = list(fallback)
    else:
        order += [t for t in fallback if t not in order]
    body_topics = {k for k in config.topics if k not in ("problems", "plans")}

    assigned: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # topic → (fact id, hint)

    def place(fid: str, hint: str | None, text: str) -> None:
        topic = (config.classify(hint, body_topics) if hint else None) or config.classify(text, body_topics)
        assigned[topic or "_last"].append((fid, hint))

    for m in sheet.metrics:
        place(m.id, m.section, m.label)
    for a in sheet.activities:
        place(a.id, a.section, a.title + " " + " ".join(o.label for o in a.outcomes))
    for work in sheet.sections:  # a section of notes stays together: its title's topic, else its notes' majority
        topic = config.classify(work.title, body_topics)
        if topic is None:
            votes = Counter(t for n in work.notes if (t := config.classify(n.text, body_topics)))
            topic = votes.most_common(1)[0][0] if votes else "_last"
        assigned[topic] += [(n.id, work.title) for n in work.notes]
    for h in sheet.honours:
        assigned["_last"].append((h.id, None))

    clerk = [t for w in sheet.sections if (t := config.classify(w.title, body_topics)) and assigned.get(t)]
    topics = list(dict.fromkeys(clerk + [t for t in order if assigned.get(t)]))  # the clerk's order of sections first
    topics += [t for t in assigned if t not in topics and t != "_last"]
    if not topics:
        topics = [order[0]]
    if assigned.get("_last"):
        assigned[topics[-1]] += assigned.pop("_last")

    sections = []
    for t in topics:
        facts = assigned.get(t, [])
        hints = list(dict.fromkeys(h for _, h in facts if h))
        section = PlannedSection(key=t, heading=config.topics[t].heading, target_chars=medians.get(t))
        if len(hints) >= 2 and len(facts) >= 4:
            for hint in hints:
                section.children.append(
                    PlannedSection(
                        key=f"{t}/{hint}", heading=_sub_heading(hint), fact_ids=[f for f, h in facts if h == hint]
                    )
                )
            rest = [f for f, h in facts if not h]
            if rest:
                section.children[-1].fact_ids += rest
        else:
            section.fact_ids = [f for f, _ in facts]
        sections.append(section)
    sections += closing_sections(sheet, config)
    return Plan(title=title_for(sheet), sections=sections, outline_source=source, learned_from=learned_from)


def _sub_heading(hint: str) -> str:
    hint = hint.strip()
    return hint if len(hint) >= 4 else f"{hint}工作"
