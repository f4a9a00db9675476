"""Planning in the unit's own voice: its latest earlier summary in the knowledge base is the model outline.

``stages/base_summary.py`` says which summary that is (the sheet's linked 底稿, else one found by the unit's
normalised name). ``plan_from_own``
turns its section tree into the plan: first- and second-level headings in their order (numbered items written as
whole sentences — no text of their own, or figures in the "heading" — are the parent's text, not headings), each
leaf's text as its ``prior`` and its length as ``target_chars``. Every fact goes to the leaf that best matches it:
among the leaves under a first-level section of the topic its section hint names (all leaves when none), the one
whose heading and last-year text share most of the fact's wording. Facts no leaf takes get a section of their topic
after the unit's own sections. Leaves without facts are dropped; years in headings move on with the period
(「2025年工作打算」 → 「2026年工作打算」); a problems section whose heading also promises plans
(「存在的不足和下一步打算」) takes both, as role ``closing``. Years move on with the period in headings and in the
kept text alike (``numbers.years.move_years``: years that name history — 「2019年以来」「成立于2008年」 — stay as
written, and the writer keeps their sentence only where the sheet states that year; the frame moves the opening's
and closing's); the base's problems and plans sections give their heading and shape, never
their items: this year's problems and plans come from the sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..checker.binding import bigrams
from ..corpus.document import KBDocument, Section
from ..factsheets.model import FactSheet
from ..numbers.years import move_years
from .outline import OutlineConfig, Plan, PlannedSection, plans_heading, title_for

_PLAN_WORDS = ("打算", "计划", "思路", "下一步", "明年")
_DIGIT = re.compile(r"\d")


def _is_item(section: Section) -> bool:
    """A numbered sentence rather than a heading: no text of its own, and long or carrying figures."""
    return (
        not section.text.strip()
        and not section.children
        and (len(section.title) > 16 or bool(_DIGIT.search(section.title)))
    )


def _flat_text(section: Section) -> str:
    parts = [section.text.strip()] if section.text.strip() else []
    for c in section.children:
        if _is_item(c):
            parts.append(c.marker + c.title.rstrip("。；;") + "。")
        elif c.text.startswith(c.title):  # a long first sentence shown as the title: the text repeats it
            parts.append(c.marker + _flat_text(c))
        else:
            parts.append(c.marker + c.title.rstrip("。；;") + "。" + _flat_text(c))
    return "\n".join(p for p in parts if p)


def _wording(sheet: FactSheet) -> dict[str, tuple[str | None, str]]:
    """Every placeable fact: id → (section hint, wording)."""
    out: dict[str, tuple[str | None, str]] = {}
    for m in sheet.metrics:
        out[m.id] = (m.section, m.label)
    for a in sheet.activities:
        out[a.id] = (a.section, " ".join([a.title, a.description or ""] + [o.label for o in a.outcomes]))
    for title, n in sheet.all_notes():
        out[n.id] = (title, n.text)
    for h in sheet.honours:
        out[h.id] = (None, h.title)
    return out


def plan_from_own(sheet: FactSheet, doc: KBDocument, config: OutlineConfig) -> Plan:
    body_topics = {k for k in config.topics if k not in ("problems", "plans")}
    years = sheet.period.year - (doc.year or sheet.period.year)
    tops: list[PlannedSection] = []
    leaves: list[tuple[PlannedSection, str | None, frozenset[str]]] = []  # leaf, its top section's topic, bigrams
    closers: list[tuple[Section, str]] = []
    for i, s in enumerate(doc.sections, 1):
        if s.role != "body":
            closers.append((s, s.role))
            continue
        topic = config.classify(s.title, body_topics) or config.classify(s.title + _flat_text(s)[:200], body_topics)
        key = topic if topic and all(t.key != topic for t in tops) else f"o{i}"
        top = PlannedSection(key=key, heading=move_years(s.title, years, doc.year))
        heads = [c for c in s.children if not _is_item(c)]
        if heads and len(heads) == len(s.children) and not s.text.strip():
            for j, c in enumerate(heads, 1):
                prior = move_years(_flat_text(c), years, doc.year)
                leaf = PlannedSection(
                    key=f"{key}/{j}",
                    heading=move_years(c.title, years, doc.year),
                    prior=prior,
                    target_chars=len(prior),
                )
                top.children.append(leaf)
                leaves.append((leaf, topic, frozenset(bigrams(c.title + prior))))
        else:
            top.prior = move_years(_flat_text(s), years, doc.year)
            top.target_chars = len(top.prior)
            leaves.append((top, topic, frozenset(bigrams(s.title + top.prior))))
        tops.append(top)

    extra: dict[str, list[str]] = defaultdict(list)
    for fid, (hint, wording) in _wording(sheet).items():
        hint_topic = config.classify(hint, body_topics) if hint else None
        topic = hint_topic or config.classify(wording, body_topics)
        candidates = [x for x in leaves if topic and x[1] == topic] or (leaves if not hint_topic else [])
        want = bigrams(wording)
        best, best_score = None, 0.0
        for leaf, _, have in candidates:
            score = len(want & have) / len(want) if want else 0.0
            if score > best_score:
                best, best_score = leaf, score
        if best is None and candidates and hint_topic:
            best = candidates[0][0]
        if best is None or (best_score < 0.3 and not (hint_topic and candidates)):
            extra[topic or "_last"].append(fid)
        else:
            best.fact_ids.append(fid)
    unplaced = extra.pop("_last", [])
    sections = []
    for top in tops:
        top.children = [c for c in top.children if c.fact_ids]
        if top.children or top.fact_ids:
            sections.append(top)
    for topic, ids in extra.items():
        if any(t.key == topic for t in sections):
            next(t for t in sections if t.key == topic).leaves()[-1].fact_ids.extend(ids)
        else:
            sections.append(PlannedSection(key=topic, heading=config.topics[topic].heading, fact_ids=ids))
    if not sections:
        sections.append(PlannedSection(key="o0", heading=config.topics[next(iter(body_topics))].heading))
    sections[-1].leaves()[-1].fact_ids.extend(unplaced)
    sections += _closing_sections(sheet, closers, years, doc.year, config)
    return Plan(
        title=title_for(sheet),
        sections=sections,
        outline_source="own",
        learned_from=[doc.title or doc.source],
        opening_prior=doc.opening or None,
        closing_prior=doc.closing or None,
        prior_year=doc.year,
    )


def _closing_sections(
    sheet: FactSheet, closers: list[tuple[Section, str]], years: int, base_year: int | None, config: OutlineConfig
) -> list[PlannedSection]:
    """The base's problems and plans sections with their headings moved on; their text goes along as ``prior`` only
    for its shape (length, whether it opens with a lead-in): the writers never write last year's problems and plans
    (``SectionTask.prompt_values`` does not show it, the offline drafter writes the sheet's items)."""
    problems, plans = [p.id for p in sheet.problems], [p.id for p in sheet.plans]
    out: list[PlannedSection] = []
    for s, role in closers:
        prior = move_years(_flat_text(s), years, base_year)
        heading = move_years(s.title, years, base_year)
        if role == "problems" and any(w in s.title for w in _PLAN_WORDS) and (problems or plans):
            out.append(
                PlannedSection(key="closing", heading=heading, role="closing", fact_ids=problems + plans, prior=prior)
            )
            problems, plans = [], []
        elif role == "problems" and problems:
            out.append(PlannedSection(key="problems", heading=heading, role="problems", fact_ids=problems, prior=prior))
            problems = []
        elif role == "plans" and plans:
            out.append(PlannedSection(key="plans", heading=heading, role="plans", fact_ids=plans, prior=prior))
            plans = []
    if problems:
        out.append(
            PlannedSection(
                key="problems", heading=config.topics["problems"].heading, role="problems", fact_ids=problems
            )
        )
    if plans:
        out.append(PlannedSection(key="plans", heading=plans_heading(sheet, config), role="plans", fact_ids=plans))
    return out
