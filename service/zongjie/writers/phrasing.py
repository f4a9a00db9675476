"""How the genre states figures and notes: verbs learned from past summaries, related figures in one clause.

``verb_for(label, texts)`` is the verb past summaries put before a metric's label (「建立」困难职工档案43户,
「开展」工资集体协商): the most frequent word from ``VERBS`` written right before the label in ``texts``; None when
the label already starts with an action or no text uses it. ``clause(metric, verb)`` writes one figure the way the
genre does (率 and 度 「达到」, approximate values 「约」, totals 「达到」). ``related(a, b)`` says two metrics belong
in one clause: they share wording, or the second is a part of or a follow-up to the first (其中…, 发放…, 采纳…,
…成功). ``note_sentence(note, metrics)`` turns a work note into a sentence and writes into it the figures whose
labels it names (「春节期间走访慰问困难职工」 + 39户 → 「春节期间走访慰问困难职工39户」); it returns the metrics used.
"""

from __future__ import annotations

import re
from collections import Counter

from ..checker.binding import bigrams
from ..factsheets.model import Metric, Note
from ..numbers import find_numbers
from ..numbers.units import compatible, to_base
from .base import SectionTask, date_zh, filled, note_text

VERBS = (
    "走访慰问",
    "审议通过",
    "建立",
    "开展",
    "组织",
    "举办",
    "召开",
    "发放",
    "走访",
    "慰问",
    "签订",
    "调解",
    "新建",
    "发展",
    "评选",
    "表彰",
    "培训",
    "资助",
    "收集",
    "采纳",
    "获得",
    "公开",
    "征集",
    "立案",
    "办理",
    "建成",
    "设立",
    "救助",
    "帮扶",
    "吸纳",
    "推荐",
    "完成",
    "节约",
    "排查",
    "整改",
    "检查",
    "指导",
    "慰问",
    "服务",
    "覆盖",
    "培养",
    "选树",
    "命名",
    "创建",
    "筹集",
    "投入",
    "受理",
    "帮助",
)
_FOLLOW_UPS = ("其中", "发放", "采纳", "办结", "调解成功", "签订", "惠及", "覆盖", "涉及", "帮助", "兑现", "节约")
_RATE_ENDINGS = ("率", "度", "比例", "比重", "覆盖面")
_TOTAL_ENDINGS = ("人数", "总数", "数量", "规模", "总额", "总量")
_MEETING_WORDS = ("大会", "会议", "座谈会", "职代会", "教代会", "全委会")
_VERB_STARTS = ("开展", "举办", "组织", "召开", "启动", "实施", "推进", "建成", "评选", "举行", "参加", "承办")
_SHORT_BY_TYPE = {
    "hospital": "院工会",
    "enterprise": "公司工会",
    "school": "校工会",
    "bureau": "机关工会",
    "county_federation": "总工会",
}


_END = re.compile(r"[。；;，,、\s]+$")
_CLAUSE = re.compile(r"[，。；、,;：:（）()]")


def verb_for(label: str, texts: list[str]) -> str | None:
    if label.startswith(VERBS) or label.startswith(("其中", "各", "全年", "共")):
        return None
    counts: Counter[str] = Counter()
    for text in texts:
        start = text.find(label)
        while start >= 0:
            before = text[max(0, start - 4) : start]
            for v in VERBS:
                if before.endswith(v):
                    counts[v] += 1
                    break
            start = text.find(label, start + 1)
    return counts.most_common(1)[0][0] if counts else None


def figure(m: Metric) -> str:
    """The value with its unit: 39户, 约340万元, 97%."""
    value = ("约" if m.approximate else "") + filled(m)
    return f"{value}%" if m.unit in ("%", "％") else f"{value}{m.unit}"


def clause(m: Metric, verb: str | None = None) -> str:
    """One figure as the genre writes it: 新建企业工会9家; 建会率达到97%; 建立困难职工档案39户."""
    label = m.label.strip()
    if m.unit in ("%", "％") or label.endswith(_RATE_ENDINGS) or label.endswith(_TOTAL_ENDINGS):
        return f"{verb or ''}{label}达到{figure(m)}"
    return f"{verb or ''}{label}{figure(m)}"


def follows(m: Metric) -> bool:
    """A figure that continues the one before it: 其中…, 发放…, 采纳…, 调解成功…"""
    return m.label.startswith(_FOLLOW_UPS)


def related(a: Metric, b: Metric) -> bool:
    if b.label.startswith(_FOLLOW_UPS):
        return True
    return bool(bigrams(a.label) & bigrams(b.label))


def groups(metrics: list[Metric], size: int = 3, related_only: bool = True) -> list[list[Metric]]:
    """Consecutive metrics grouped (at most ``size`` per group, only related ones when ``related_only``), in the
    order given; a follow-up (其中…, 发放…) always joins the group before it."""
    out: list[list[Metric]] = []
    for m in metrics:
        fits = out and (len(out[-1]) < size or m.label.startswith(_FOLLOW_UPS))
        if fits and (not related_only or related(out[-1][-1], m)):
            out[-1].append(m)
        else:
            out.append([m])
    return out


def sentence(text: str) -> str:
    """A note or item as a sentence: trimmed, one full stop."""
    return _END.sub("", text.strip()) + "。"


def states(note_text: str, m: Metric) -> bool:
    """Whether a note already states the metric: a figure in the note holds the metric's value in a compatible unit
    (「30多名」 holds 30名, 「8.2万元」 is 82000元) and the words around it — its clause, left and right — are mostly
    the metric's label (「一月慰问30多名特困职工」 for 「一月慰问特困职工」, 「分3个片召开工会主席会议」 for
    「分片召开工会主席会议的片区」). Such a metric is told by the note and is not written again as a figure."""
    if m.value is None:
        return False
    value, unit = to_base(m.value, m.unit)
    label = bigrams(m.label)
    for hit in find_numbers(note_text):
        if hit.kind != "quantity" or hit.lo is None or not compatible(hit.unit, unit):
            continue
        if not (hit.lo <= value <= (hit.hi if hit.hi is not None else value)) and hit.value != value:
            continue
        left = _CLAUSE.split(note_text[: hit.start])[-1][-16:]
        right = _CLAUSE.split(note_text[hit.end :])[0][:16]
        around = bigrams(left) | bigrams(right)
        shared = len(around & label)
        if shared >= 2 and shared >= 0.5 * min(len(around), len(label)):
            return True
    return False


def note_sentence(note: Note, metrics: list[Metric]) -> tuple[str, list[Metric]]:
    """The note as a sentence with the figures of the metrics whose labels it names written in after them; a note
    jotted in parts (「…4期33项；管好用好工会经费」) is one sentence, its parts joined by commas."""
    text = _END.sub("", note_text(note).strip()).replace("；", "，").replace(";", "，")
    used = []
    for m in sorted(metrics, key=lambda m: -len(m.label)):
        label = m.label.strip()
        at = text.find(label)
        if at < 0 or m in used:
            continue
        end = at + len(label)
        if end < len(text) and re.match(r"[0-9０-９一二三四五六七八九十百千万两约近余多]", text[end]):
            continue  # the note already gives a figure here
        if re.search(r"[0-9０-９][0-9０-９.]*[^\W\d]?$", text[max(0, at - 6) : at]):
            continue  # … or just before it: 「6个希望工程互助会」
        word = "达到" if m.unit in ("%", "％") or label.endswith(_RATE_ENDINGS) else ""
        rest = text[end:]
        if rest and not re.match(r"[，,。；;、）)”]", rest):  # 「困难职工档案41户，实行动态管理」
            rest = "，" + rest
        text = text[:end] + word + figure(m) + rest
        used.append(m)
    return text + "。", used


_DATE_START = re.compile(
    r"^(\d{1,2}月(?:\d{1,2}日)?(?:[上中下]旬)?|[上下]半年|年初|年中|年底|年末|[^，。；\d]{1,6}(?:前后|期间|之际))"
)


def _starts_with_action(text: str) -> bool:
    """The text opens with a verb or a preposition (开展…, 把…作为…, 按…): the work of a subject left unsaid."""
    if text.startswith(VERBS) or text.startswith(_VERB_STARTS):
        return True
    import jieba.posseg  # type: ignore[import-untyped]

    first = next(iter(jieba.posseg.cut(text[:12])), None)
    return first is not None and first.flag in ("v", "vn", "p", "vd") and len(first.word) <= 2


def with_subject(sentence: str, subject: str) -> str:
    """A note written as a clerk jots it, without a subject, given the unit as its subject the way the genre opens
    a paragraph: 「把维权作为基本职能。」 → 「镇工会把维权作为基本职能。」, 「3月27日参加执法检查。」 →
    「3月27日，镇工会参加执法检查。」. Anything else (a noun first, the unit already named) is left as it is."""
    if not subject or sentence.startswith(("工会", "如", subject)) or subject in sentence[:12]:
        return sentence
    when = _DATE_START.match(sentence)
    if when:
        rest = sentence[when.end() :].lstrip("，,")
        return f"{when.group()}，{subject}{rest}" if rest and _starts_with_action(rest) else sentence
    return subject + sentence if _starts_with_action(sentence) else sentence


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
    if title.startswith(_VERB_STARTS) or any(v in title for v in ("慰问", "走访", "表彰", "评选", "开展")):
        action = title
    elif title.endswith(_MEETING_WORDS):
        action = f"召开{title}"
    else:
        action = f"举办{title}"
    s = f"{when}，{action}" if when else f"{unit_short}{action}"
    if a.participants:
        s += f"，{a.participants}参加"
    for o in a.outcomes:
        s += f"，{clause(o)}"
    if a.description:
        s += "，" + sentence(a.description)[:-1]
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
    for n, group in enumerate(groups(metrics, related_only=False)):
        body = "，".join(clause(m, verb_for(m.label, texts)) for m in group)
        out.append((f"{opener}，" if opener and n == 0 else "") + body + "。")
    return out
