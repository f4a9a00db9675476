"""The offline drafter: a deterministic writer that needs no LLM and writes paragraphs, not fact lists.

A body section is written as the genre writes one — measures first, then what they achieved:

1. each work note becomes a sentence, with the figures whose labels it names written into it (``phrasing``);
   figures related to those follow in the same sentence;
2. activities (with their description and outcomes) and honours are woven in by date;
3. the remaining figures are stated in clauses of related figures (「走访慰问困难职工39户，发放慰问金8.2万元」), each
   with the verb past summaries use before its label (learned from the exemplars and the unit's own last summary).

With the unit's own last-year text for the section (``task.prior``) the section is an update of it instead
(``update.rewrite``). Problems and plans are written as 「一是…；二是…」; the frame (roles ``opening`` and
``ending``: the opening and closing paragraphs) by ``frame``. Every figure is exactly the fact's value and
unit; from the exemplars only phrasing (verbs, sentence openers from a fixed list) is learned, never names or
figures. The same input always gives the same text.
"""

from __future__ import annotations

import re
from collections import Counter

from ..checker.binding import bigrams
from ..checker.coverage import twin_outcome
from ..checker.exemplars import Exemplar
from . import frame, genre, phrasing, update
from .base import SectionFacts, SectionTask
from .phrasing import activity_sentence, figure_sentences, honour_sentence, texts_for_verbs, unit_short

CONNECTIVES = (
    "全年",
    "年内",
    "今年以来",
    "同时",
    "此外",
    "一年来",
    "积极",
    "认真",
    "扎实",
    "深入",
    "持续",
    "进一步",
    "不断",
    "努力",
    "大力",
    "切实",
)
DEFAULT_OPENERS = ("全年", "同时", "此外")
_SENT_START = re.compile(r"(?:^|[。；！？\n])\s*(" + "|".join(CONNECTIVES) + ")")
_ANNUAL_ONLY = ("全年", "年内", "一年来")


def learned_openers(exemplars: list[Exemplar], period: str = "annual") -> list[str]:
    """Sentence openers seen in the exemplars (most frequent first), fit for the period, then the defaults."""
    counts = Counter(m.group(1) for ex in exemplars for m in _SENT_START.finditer(ex.text))
    skip = {"积极", "认真", "扎实", "深入", "大力", "切实", "努力"}
    if period != "annual":
        skip |= set(_ANNUAL_ONLY)
    defaults = DEFAULT_OPENERS if period == "annual" else ("今年以来", "同时", "此外")
    learned = [w for w, _ in counts.most_common() if w not in skip]
    return learned + [w for w in defaults if w not in learned]


def write_items(facts: SectionFacts, items=None) -> str:
    items = facts.items if items is None else items
    if len(items) == 1:
        return phrasing.sentence(items[0].text)
    parts = [f"{genre.ordinal(i + 1)}是{item.text.rstrip('。；;')}" for i, item in enumerate(items)]
    return "；".join(parts) + "。" if parts else ""


def _items_intro(task: SectionTask) -> str:
    """The sentence that leads into the problems (「回顾一年来的工作，我们也清醒地看到存在的不足，主要是：」) or the
    plans (「2026年，院工会将重点抓好以下几方面工作：」) of a section written without the unit's own model."""
    sheet = task.facts.sheet
    if len(task.facts.items) < 2:
        return ""
    if task.role == "problems":
        when = {"annual": "一年来", "first_half": "上半年", "second_half": "下半年"}[sheet.period.kind]
        return f"回顾{when}的工作，我们也清醒地看到存在的不足，主要是："
    nxt = f"{sheet.period.year + 1}年" if sheet.period.kind != "first_half" else "下半年"
    return f"{nxt}，{unit_short(sheet.unit.name, sheet.unit.type)}将重点抓好以下几方面工作："


def write_closing_section(task: SectionTask) -> str:
    """Problems and plans in one section: 「一是…；二是…。2026年，院工会将…。」"""
    facts = task.facts
    sheet = facts.sheet
    parts = []
    if facts.problems:
        parts.append(write_items(facts, facts.problems))
    if facts.plans:
        nxt = f"{sheet.period.year + 1}年" if sheet.period.kind == "annual" else "下半年"
        short = unit_short(sheet.unit.name, sheet.unit.type)
        plans = "，".join(p.text.rstrip("。；;") for p in facts.plans)
        parts.append(f"{nxt}，{short}将{plans}。")
    return "".join(parts)


def _twin_ids(facts: SectionFacts) -> set[str]:
    """Metrics the clerk also entered as an outcome of one of the section's activities (written once, there)."""
    return {m.id for m in facts.metrics if twin_outcome(m, facts.activities) is not None}


def write_body(task: SectionTask) -> str:
    facts = task.facts
    short = unit_short(facts.sheet.unit.name, facts.sheet.unit.type)
    twins = _twin_ids(facts)
    remaining = [m for m in facts.metrics if m.id not in twins]
    named = [m for m in facts.metrics if any(m.label.strip() in n.text for n in facts.notes)]
    exemplar_texts = [e.text for e in task.exemplars]
    position = task.position
    measures: list[str] = []
    for note in facts.notes:
        text, used = phrasing.note_sentence(note, remaining)
        remaining = [m for m in remaining if m not in used]
        if used:  # follow-up figures (发放…, 其中…) of the ones the note names go in the same sentence
            follow = [m for m in remaining if m not in named and phrasing.follows(m)][:2]
            remaining = [m for m in remaining if m not in follow]
            if follow:
                texts = texts_for_verbs(task)
                text = (
                    text[:-1]
                    + "，"
                    + "，".join(phrasing.clause(m, phrasing.verb_for(m.label, texts)) for m in follow)
                    + "。"
                )
        measures.append(genre.with_adverb(text, position + len(measures), exemplar_texts))
    remaining = [m for m in remaining if not any(phrasing.states(n.text, m) for n in facts.notes)]
    sentences = [x for x in re.split(r"[。；]", "".join(measures)) if x]

    def told(title: str, date: str | None = None) -> bool:
        """An activity or honour a note already tells: one sentence carries most of its words (half of them when
        the sentence also gives its date, 「4月12日举行诚信市民宣誓…」)."""
        want = bigrams(title)
        when = phrasing.date_zh(date)
        return bool(want) and any(
            len(want & bigrams(x)) >= (0.45 if when and when in x else 0.6) * len(want) for x in sentences
        )

    dated = [
        (a.date or "9999", 0, activity_sentence(a, short))
        for a in facts.activities
        if a.outcomes or not told(a.title, a.date)
    ]
    dated += [(h.date or "9999", 1, honour_sentence(h, short)) for h in facts.honours if not told(h.title, h.date)]
    events = [text for _, _, text in sorted(dated, key=lambda x: (x[0], x[1]))]
    openers = learned_openers(task.exemplars, facts.sheet.period.kind)
    base = sum(len(x) for x in measures + events) + sum(len(phrasing.clause(m)) + 1 for m in remaining)
    frame = bool(measures) and (not task.target_chars or base < 1.2 * task.target_chars)
    topic, announce = "", False
    if frame:
        theme = genre.pick_theme(facts.sheet.themes, task.heading, position)
        topic, announce = genre.topic_sentence(task.heading, theme, short, position, exemplar_texts)
    if topic:
        body = topic + genre.join_measures(measures, position, announce)
    else:
        measures = [phrasing.with_subject(measures[0], short), *measures[1:]] if measures else []
        body = "".join(measures)
    opener = openers[0] if remaining and not measures else ""
    results = figure_sentences(task, remaining, opener)
    paragraphs = [body + "".join(results), "".join(events)]
    with_figures = bool(facts.metrics) or any(a.outcomes for a in facts.activities)
    closing = genre.result_sentence(task.heading, position) if frame and with_figures else None
    if closing and not any(closing[:-1] in p for p in paragraphs):
        paragraphs = [p for p in paragraphs if p]
        paragraphs[-1] += closing
    return "\n".join(p for p in paragraphs if p)


def write_section(task: SectionTask) -> str:
    """The section's text (see the module docstring)."""
    if task.role in ("problems", "plans"):
        return ("" if task.prior else _items_intro(task)) + write_items(task.facts)
    if task.role == "closing":
        return write_closing_section(task)
    if task.role == "opening":
        return frame.write_opening(task.facts.sheet, task.prior, task.prior_year, task.outline)
    if task.role == "ending":
        return frame.write_closing(task.facts.sheet, task.prior, task.prior_year)
    if task.prior:
        return update.rewrite(task)
    return write_body(task)


def sentences_for(task: SectionTask, fact_ids: set[str]) -> str:
    """Offline sentences for just these facts (used to replace what an LLM got wrong or left out)."""
    sub = SectionTask(
        task.key, task.heading, task.role, SectionFacts.select(task.facts.sheet, sorted(fact_ids)), task.exemplars
    )
    return write_section(sub).replace("\n", "")
