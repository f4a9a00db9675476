"""The offline drafter: a deterministic writer that needs no LLM.

It writes each section from its facts with fixed sentence patterns, so every figure is exactly the fact's value
and unit. From the exemplars it learns only phrasing — which connectives open sentences in this kind of section
(全年, 同时, 积极…, from a fixed list of connectives, never names or figures) — and uses them in order of
frequency. The same facts and exemplars always give the same text.
"""

from __future__ import annotations

import re
from collections import Counter

from ..checker.exemplars import Exemplar
from ..facts import format_value
from .base import SectionFacts, SectionTask, date_zh, metric_phrase

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


def learned_openers(exemplars: list[Exemplar], period: str = "annual") -> list[str]:
    """Sentence openers seen in the exemplars (most frequent first), fit for the period, then the defaults."""
    counts = Counter(m.group(1) for ex in exemplars for m in _SENT_START.finditer(ex.text))
    skip = {"积极", "认真", "扎实", "深入", "大力", "切实", "努力"}
    if period != "annual":
        skip |= set(_ANNUAL_ONLY)
    defaults = DEFAULT_OPENERS if period == "annual" else ("今年以来", "同时", "此外")
    learned = [w for w, _ in counts.most_common() if w not in skip]
    return learned + [w for w in defaults if w not in learned]


def activity_sentence(a, unit_short: str) -> str:
    when = date_zh(a.date)
    title = a.title
    if title.startswith(_VERB_STARTS):
        action = title
    elif title.endswith(_MEETING_WORDS):
        action = f"召开{title}"
    else:
        action = f"举办{title}"
    s = f"{when}，{unit_short}{action}" if when else f"{unit_short}{action}"
    if a.participants:
        s += f"，{a.participants}参加"
    for o in a.outcomes:
        s += f"，{o.label}{'约' if o.approximate else ''}{format_value(o.value)}{o.unit}"
    return s + "。"


def honour_sentence(h, unit_short: str) -> str:
    when = date_zh(h.date)
    if h.title.endswith(("奖状", "奖章", "奖", "奖杯", "锦旗", "证书", "称号")):
        s = f"{unit_short}荣获{h.awarded_by + '授予的' if h.awarded_by else ''}“{h.title}”"
    elif h.awarded_by:
        s = f"{unit_short}被{h.awarded_by}评为“{h.title}”"
    else:
        s = f"{unit_short}荣获“{h.title}”"
    return (f"{when}，{s}" if when else s) + "。"


_SHORT_BY_TYPE = {
    "hospital": "院工会",
    "enterprise": "公司工会",
    "school": "校工会",
    "bureau": "机关工会",
    "county_federation": "总工会",
}


def unit_short(name: str, unit_type: str = "other") -> str:
    """How the unit refers to itself in running text: 镇工会, 院工会, 公司工会…"""
    for suffix in ("街道工会", "镇工会", "乡工会", "总工会"):
        if name.endswith(suffix):
            return suffix
    if unit_type == "enterprise" and "公司" not in name:
        return "工会"
    return _SHORT_BY_TYPE.get(unit_type, "工会")


def metric_sentences(facts: SectionFacts, openers: list[str]) -> list[str]:
    phrases = [metric_phrase(m) for m in facts.metrics]
    out = []
    for i in range(0, len(phrases), 3):
        opener = openers[(i // 3) % len(openers)] if openers else ""
        body = "，".join(phrases[i : i + 3])
        out.append(f"{opener}，{body}。" if opener else f"{body}。")
    return out


def write_items(facts: SectionFacts) -> str:
    if len(facts.items) == 1:
        return facts.items[0].text.rstrip("。；;") + "。"
    parts = [f"{ORDINALS[i] if i < 10 else i + 1}是{item.text.rstrip('。；;')}" for i, item in enumerate(facts.items)]
    return "；".join(parts) + "。" if parts else ""


def write_section(task: SectionTask) -> str:
    """The section's text: one paragraph of figures, one of activities and honours (problems/plans: one list)."""
    facts = task.facts
    if task.role in ("problems", "plans"):
        return write_items(facts)
    short = unit_short(facts.sheet.unit.name, facts.sheet.unit.type)
    openers = learned_openers(task.exemplars, facts.sheet.period.kind)
    paragraphs = []
    figures = metric_sentences(facts, openers)
    if figures:
        paragraphs.append("".join(figures))
    dated = [(a.date or "9999", 0, activity_sentence(a, short)) for a in facts.activities]
    dated += [(h.date or "9999", 1, honour_sentence(h, short)) for h in facts.honours]
    events = [text for _, _, text in sorted(dated, key=lambda x: (x[0], x[1]))]  # in date order
    if events:
        paragraphs.append("".join(events))
    return "\n".join(paragraphs)


def sentences_for(task: SectionTask, fact_ids: set[str]) -> str:
    """Offline sentences for just these facts (used to replace what an LLM got wrong or left out)."""
    sub = SectionTask(
        task.key, task.heading, task.role, SectionFacts.select(task.facts.sheet, sorted(fact_ids)), task.exemplars
    )
    return write_section(sub).replace("\n", "")


def write_opening(sheet) -> str:
    """The opening paragraph: year and period, leadership, themes; no figures beyond the year."""
    period = {"annual": "", "first_half": "上半年", "second_half": "下半年"}[sheet.period.kind]
    whole = {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}[sheet.period.kind]
    s = f"{sheet.period.year}年{period}，{sheet.unit.name}"
    if sheet.leadership:
        s += f"在{sheet.leadership}的领导下"
    if sheet.themes:
        s += f"，围绕{'、'.join(sheet.themes)}"
    s += "，团结带领广大职工，扎实推进各项工作，取得了新的成效。"
    return s + f"现将{whole}工作总结如下。"
