"""The offline drafter: a deterministic writer that needs no LLM and writes paragraphs, not fact lists.

A body section is written as the genre writes one — measures first, then what they achieved:

1. each work note becomes a sentence, with the figures whose labels it names written into it (``phrasing``);
   figures related to those follow in the same sentence;
2. activities (with their description and outcomes) and honours are woven in by date;
3. the remaining figures are stated in clauses of related figures (「走访慰问困难职工39户，发放慰问金8.2万元」), each
   with the verb past summaries use before its label (learned from the exemplars and the unit's own last summary).

With the unit's own last-year text for the section (``task.prior``) the section is an update of it instead
(``update.rewrite``). Problems and plans are written as 「一是…；二是…」. Every figure is exactly the fact's value and
unit; from the exemplars only phrasing (verbs, sentence openers from a fixed list) is learned, never names or
figures. The same input always gives the same text.
"""

from __future__ import annotations

import re
from collections import Counter

from ..checker.exemplars import Exemplar
from . import phrasing
from .base import SectionFacts, SectionTask, date_zh

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
_MEETING_WORDS = ("大会", "会议", "座谈会", "职代会", "教代会", "全委会")
_VERB_STARTS = ("开展", "举办", "组织", "召开", "启动", "实施", "推进", "建成", "评选", "举行", "参加", "承办")
ORDINALS = "一二三四五六七八九十"
_ANNUAL_ONLY = ("全年", "年内", "一年来")
_SHORT_BY_TYPE = {
    "hospital": "院工会",
    "enterprise": "公司工会",
    "school": "校工会",
    "bureau": "机关工会",
    "county_federation": "总工会",
}


def learned_openers(exemplars: list[Exemplar], period: str = "annual") -> list[str]:
    """Sentence openers seen in the exemplars (most frequent first), fit for the period, then the defaults."""
    counts = Counter(m.group(1) for ex in exemplars for m in _SENT_START.finditer(ex.text))
    skip = {"积极", "认真", "扎实", "深入", "大力", "切实", "努力"}
    if period != "annual":
        skip |= set(_ANNUAL_ONLY)
    defaults = DEFAULT_OPENERS if period == "annual" else ("今年以来", "同时", "此外")
    learned = [w for w, _ in counts.most_common() if w not in skip]
    return learned + [w for w in defaults if w not in learned]


def unit_short(name: str, unit_type: str = "other") -> str:
    """How the unit refers to itself in running text: 镇工会, 院工会, 公司工会…"""
    for suffix in ("街道工会", "镇工会", "乡工会", "总工会"):
        if name.endswith(suffix):
            return suffix
    if unit_type == "enterprise" and "公司" not in name:
        return "工会"
    return _SHORT_BY_TYPE.get(unit_type, "工会")


def activity_sentence(a, unit_short: str = "") -> str:
    """「5月1日，举办全镇职工篮球赛，镇机关、企业职工参加，参赛队伍10支。」 — description and outcomes included."""
    when = date_zh(a.date)
    title = a.title
    if title.startswith(_VERB_STARTS):
        action = title
    elif title.endswith(_MEETING_WORDS):
        action = f"召开{title}"
    else:
        action = f"举办{title}"
    s = f"{when}，{action}" if when else f"{unit_short}{action}"
    if a.participants:
        s += f"，{a.participants}参加"
    for o in a.outcomes:
        s += f"，{phrasing.clause(o)}"
    if a.description:
        s += "，" + phrasing.sentence(a.description)[:-1]
    return s + "。"


def honour_sentence(h, unit_short: str) -> str:
    when = date_zh(h.date)
    if h.title.endswith(("奖状", "奖章", "奖", "奖杯", "锦旗", "证书", "称号")) or h.title.startswith("全"):
        s = f"{unit_short}荣获{h.awarded_by + '授予的' if h.awarded_by else ''}“{h.title}”"
    elif h.awarded_by:
        s = f"{unit_short}被{h.awarded_by}评为“{h.title}”"
    else:
        s = f"{unit_short}荣获“{h.title}”"
    return (f"{when}，{s}" if when else s) + "。"


def texts_for_verbs(task: SectionTask) -> list[str]:
    return [e.text for e in task.exemplars] + ([task.prior] if task.prior else [])


def figure_sentences(task: SectionTask, metrics: list, opener: str = "") -> list[str]:
    """Related figures share a sentence: 「走访慰问困难职工39户，发放慰问金8.2万元。」"""
    texts = texts_for_verbs(task)
    out = []
    for n, group in enumerate(phrasing.groups(metrics, related_only=False)):
        body = "，".join(phrasing.clause(m, phrasing.verb_for(m.label, texts)) for m in group)
        out.append((f"{opener}，" if opener and n == 0 else "") + body + "。")
    return out


def write_items(facts: SectionFacts, items=None) -> str:
    items = facts.items if items is None else items
    if len(items) == 1:
        return phrasing.sentence(items[0].text)
    parts = [f"{ORDINALS[i] if i < 10 else i + 1}是{item.text.rstrip('。；;')}" for i, item in enumerate(items)]
    return "；".join(parts) + "。" if parts else ""


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


def write_body(task: SectionTask) -> str:
    facts = task.facts
    short = unit_short(facts.sheet.unit.name, facts.sheet.unit.type)
    remaining = list(facts.metrics)
    named = [m for m in facts.metrics if any(m.label.strip() in n.text for n in facts.notes)]
    measures = []
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
        measures.append(text)
    dated = [(a.date or "9999", 0, activity_sentence(a, short)) for a in facts.activities]
    dated += [(h.date or "9999", 1, honour_sentence(h, short)) for h in facts.honours]
    events = [text for _, _, text in sorted(dated, key=lambda x: (x[0], x[1]))]
    openers = learned_openers(task.exemplars, facts.sheet.period.kind)
    opener = openers[0] if remaining and not measures else ""
    results = figure_sentences(task, remaining, opener)
    paragraphs = ["".join(measures + results), "".join(events)]
    return "\n".join(p for p in paragraphs if p)


def write_section(task: SectionTask) -> str:
    """The section's text (see the module docstring)."""
    if task.role in ("problems", "plans"):
        return write_items(task.facts)
    if task.role == "closing":
        return write_closing_section(task)
    if task.prior:
        from .update import rewrite

        return rewrite(task)
    return write_body(task)


def sentences_for(task: SectionTask, fact_ids: set[str]) -> str:
    """Offline sentences for just these facts (used to replace what an LLM got wrong or left out)."""
    sub = SectionTask(
        task.key, task.heading, task.role, SectionFacts.select(task.facts.sheet, sorted(fact_ids)), task.exemplars
    )
    return write_section(sub).replace("\n", "")
