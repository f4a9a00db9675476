"""Which figures of a past summary's paragraph are claims, and what each one counts.

``figures_in(text)`` runs the number finder over one block of text (a section's own body, or its heading) and
keeps the quantities a clerk would carry into a fact sheet: counts, amounts, rates, with their measure word as
written (名 stays 名, 150万元 stays 150 万元), whether they are approximate (余/多/近/约/以上…), a label taken from the
words around them and the sentence they came from. Placeholders that stand for a figure (XX名, xx万人次) become
figures with no value (still to fill). What is *not* a claim is left out: anniversaries and durations in years,
enumerations that only count the items listed next (「主要做法有三条：」), meeting numbers (市九次工代会), size
thresholds and assignments (「25人以下的学校」「每组负责1至2个县」), list markers and bare numbers that are part of
dates. A few forms the finder leaves alone are recovered here because extraction needs them: counts written with
一/二 in a tally (「共召开一次…、二次…」「历时二天」「其中一篇」), 人（次）, a decimal point lost to 、 before 万/元
(323、062万元), 摄氏N度 and 「占…一半」.

Contract: deterministic; offsets are character offsets into ``text``; every returned figure's ``sentence`` is a
substring of ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..numbers import Mention, find_numbers
from ..numbers.units import MEASURE_WORDS

_SENTENCE_END = "。！？；!?;\n"
_CLAUSE_BREAK = set('，,；;。：:！？!?\n（）()“”"')
_PUNCT = set('，,、；;。：:！？!?）)”"\n ')
_MEASURES = sorted(set(MEASURE_WORDS) | {"度"}, key=len, reverse=True)
_EXTRA_UNIT = re.compile(r"^(?:（次）|\(次\))")
_DEGREE = re.compile(r"^度")
_TALLY = re.compile(r"(?<![第统唯之万逐同单专每])([一二])(次|份|天|队|篇|名|人|家|项|场|期|张|所|位)(?![性些])")
_TALLY_CUE = re.compile(r"共|累计|合计|其中|历时|分别")
_LOST_POINT = re.compile(r"(?<![0-9])([0-9]{1,4})、([0-9]{3})(万元|万|元)")
_HALF = re.compile(r"占[^，。；]{0,12}?(?:的)?一半")
_ENUMERATION = re.compile(r"^[^，。；,;]{0,6}?(?:[：:]|，?即)")
_MEETING = re.compile(r"^[^，。；、\s“”]{0,6}?(?:会|会议|主席团)(?![员长])")
_ASSIGNMENT = re.compile(r"负责|安排|应当|必须|力争|确保|争取|计划(?!生育)|目标(?!责任|管理|考核)")
_LEAD = re.compile(
    r"^(?:年(?![度初中底末])|我们|我会|我局|我院|我镇|我乡|全年|今年|年内|上半年|下半年|一年来|半年来|其中|共计|共|累计|合计|先后|同时|并且|并|还|又|已|分别|此外|另外|"
    r"特别是|据统计|截至目前|截止目前|目前|现有|[一二三四五六七八九十]是|首先|其次|再次|最后|全县|全镇|全乡|全局|全院)+"
)
_TAIL = re.compile(r"(?:为|达到了|达到|达|共计|共|计|有|约|近|了|的|是|至|到|超过|逾|累计|总计|合计|分别|各)+$")
_RIGHT_STOP = re.compile(r"[，,。；;：:！？、（(\n]")


@dataclass
class Figure:
    """One figure a fact sheet should hold: ``value`` None for a placeholder (XX名)."""

    value: float | None
    unit: str
    approximate: bool
    label: str
    sentence: str
    start: int
    end: int
    written: str
    unit_written: bool = True  # False when the text lost the measure word (a bare number)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ends included."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            if text[start : i + 1].strip():
                out.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _written_unit(span: str) -> str:
    core = re.sub(r"(?:左右|以上|以下|上下|之多|有余)$", "", span)
    for w in _MEASURES:
        if core.endswith(w):
            return w
    return ""


def _as_fact(value: float, m: Mention) -> tuple[float, str]:
    """A mention's ``value`` as a fact value and unit as written: 150万元 → (150, 万元); 2848户 → (2848, 户)."""
    unit = _written_unit(m.text)
    if unit == "%" or unit == "％":
        return value, "%"
    if unit == "成":
        return value, "%"
    if "万" in m.text and m.approx not in ("数", "上", "几") and not m.text.startswith(("近万", "逾万", "超万")):
        scaled = round(value / 10_000, 6)
        return (int(scaled) if scaled == int(scaled) else scaled), "万" + unit
    if "亿" in m.text:
        scaled = round(value / 100_000_000, 6)
        return (int(scaled) if scaled == int(scaled) else scaled), "亿" + unit
    return value, unit


def _not_a_claim(m: Mention, text: str, s0: int) -> bool:
    after, before = text[m.end : m.end + 12], text[max(0, m.start - 6) : m.start]
    if re.search(r"(?:此|这|上述|前述)$", before):
        return True  # 此两项举措: a reference back, not a new count
    if before.endswith(("“", '"', "「")) and re.match(r"^[^，。；、“”]{0,6}[”\"」]", after):
        return True  # “三个规范”: a name in quotes
    if m.unit in ("年", "周年"):
        return True  # 近五年来, 五年发展战略, 建院55周年
    if m.unit == "个" and re.match(r"学期|月|小时|工作日", after):
        return True
    if _ENUMERATION.match(after) and m.value is not None and m.value <= 12 and m.exact:
        return True  # 主要做法有三条：…  四个结合，即…
    if m.text.endswith("次") and _MEETING.match(after) and not re.search(r"[开了办行共展织举、]$", before):
        return True  # 市九次工代会 (but 召开一次会员代表大会 is a count)
    if m.approx in ("以上", "以下") and after[:1] and after[0] not in _PUNCT:
        return True  # 25人以下的学校, 20人以上企业
    clause_start = max([s0] + [text.rfind(c, s0, m.start) + 1 for c in "，,；;"])
    if _ASSIGNMENT.search(text[clause_start : m.start]):
        return True
    if not m.unit:
        if re.match(r"[月日号时点年个]", after) or re.search(r"[0-9月年]$", before):
            return True  # 1-8月份, dates
        if not before.strip() or before[-1] in "\n":
            return True  # a list marker glued to its text: 4在…
    return False


_VERB_NEXT = re.compile(r"^(?:参加|参与|出席|到场|获|荣获|被|受到|得到|达到|完成|实现|以上|左右|的|之多|次)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def label_for(text: str, start: int, end: int, prev_end: int, next_start: int | None = None) -> str:
    """The words naming a figure.

    A figure closing its clause (「发放慰问金8.6万元，」) is named by the words before it; a figure followed by the
    thing it counts (「走访慰问了2848户困难职工」「召开一次会员代表大会、」) by those words, prefixed with a short
    verb before it. Words are taken within the clause and never across the previous or next figure.
    """
    i = start
    while i > prev_end and text[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    left = re.sub(r"（[^）]*）|\([^)]*\)", "", text[i:start])
    left = _TAIL.sub("", _LEAD.sub("", left.strip(" 、，,"))).strip(" 、，,")
    if len(left) > 22:
        cut = max(left.rfind(c, 0, len(left) - 4) for c in "、和及与")
        left = left[cut + 1 :] if cut > 0 else left[-22:]
    stop = next_start if next_start is not None else len(text)
    right = _RIGHT_STOP.split(text[end : min(stop, end + 30)], 1)[0].split("的", 1)[0]
    right = re.sub(r"^(?:名|位|个|人|余|多)+", "", right)[:16]
    left_cjk = len(_CJK.findall(left))
    if right and _CJK.match(right) and not _VERB_NEXT.match(right):
        return (left if 0 < left_cjk <= 4 else "") + right
    if left_cjk >= 2 and not re.fullmatch(r"[为对向给有拿出共经]+", left):
        return left
    return (left + right).strip() or text[max(0, start - 8) : start].strip() or "（待填名称）"


def _extra_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Figures the finder leaves alone but a fact sheet needs (see the module docstring)."""

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    out: list[Mention] = []
    for s0, s1 in sentences(text):
        sentence = text[s0:s1]
        for m in _TALLY.finditer(sentence):
            a, b = s0 + m.start(), s0 + m.end()
            cue = _TALLY_CUE.search(sentence[: m.start()])
            before = sentence[max(0, m.start() - 1) : m.start()]
            listed = before in ("、", "") or sentence[m.end() : m.end() + 1] in ("、", "，", "。")
            if free(a, b) and cue and (listed or m.start() - cue.end() <= 8):
                v = 1.0 if m.group(1) == "一" else 2.0
                out.append(Mention(a, b, m.group(), "quantity", v, v, v, m.group(2)))
    for m in _LOST_POINT.finditer(text):
        a, b = m.start(), m.end()
        v = float(f"{m.group(1)}.{m.group(2)}") * (10_000 if "万" in m.group(3) else 1)
        out.append(Mention(a, b, m.group(1) + "." + m.group(2) + m.group(3), "quantity", v, v, v, "元"))
    for m in _HALF.finditer(text):
        a, b = m.end() - 2, m.end()
        if free(a, b):
            out.append(Mention(a, b, "一半", "quantity", 50.0, 50.0, 50.0, "%"))
    return out


def _placeholder_unit(text: str, end: int) -> tuple[str, str]:
    """The unit written after a placeholder (XX名, XX万余份), with its scale; ('', '') when it names no figure."""
    m = re.match(r"(余|多)?(万)?(余|多)?", text[end:])
    rest = text[end + (m.end() if m else 0) :]
    before, wan, after = m.groups() if m else (None, None, None)
    for w in _MEASURES:
        if rest.startswith(w) and w not in ("年", "月", "日"):
            return (wan or "") + w, (before or after or "")
    return "", ""


def figures_in(text: str) -> list[Figure]:
    """Every claimed figure in one block of text, in order (see the module docstring)."""
    mentions = [m for m in find_numbers(text) if m.kind in ("quantity", "placeholder")]
    # the last of 323、062万元 is found as 062万元: the lost decimal point is recovered as one figure
    lost = [(m.start(), m.end()) for m in _LOST_POINT.finditer(text)]
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in lost)]
    extra = _extra_mentions(text, [(m.start, m.end) for m in mentions])
    mentions = sorted(mentions + extra, key=lambda m: m.start)
    spans = sentences(text)
    out: list[Figure] = []
    prev_end = 0
    for k, m in enumerate(mentions):
        next_start = mentions[k + 1].start if k + 1 < len(mentions) else None
        s0, s1 = next(((a, b) for a, b in spans if a <= m.start < b), (0, len(text)))
        sentence = text[s0:s1]
        prev = max(prev_end, s0)
        if m.kind == "placeholder":
            unit, approx = _placeholder_unit(text, m.end)
            if unit:
                label = label_for(text, m.start, m.end, prev, next_start)
                out.append(Figure(None, unit, bool(approx), label, sentence.strip(), m.start, m.end, m.text))
            prev_end = m.end
            continue
        if m.value is None or _not_a_claim(m, text, s0):
            prev_end = m.end
            continue
        value, unit = _as_fact(m.value, m)
        end = m.end
        if unit == "人" and _EXTRA_UNIT.match(text[end:]):
            unit, end = "人次", end + 3
        if not unit and _DEGREE.match(text[end:]):
            unit, end = "度", end + 1
        label = label_for(text, m.start, m.end, prev, next_start)
        approximate = m.approx is not None and m.approx not in ("成",)
        figure = Figure(value, unit, approximate, label, sentence.strip(), m.start, end, text[m.start : end])
        figure.unit_written = bool(unit)
        if not unit:
            figure.unit = guess_unit(label)
        for item in _each(text, prev, m.start) or [label]:
            out.append(replace(figure, label=item))
        prev_end = end
    return out


def _each(text: str, prev: int, start: int) -> list[str]:
    """「评选“优秀医师”“优秀护士”各10名」「自学成才标兵和职业道德标兵各10名」: one figure per item named."""
    if text[start - 1 : start] != "各":
        return []
    i = start - 1
    while i > prev and text[i - 1] not in "，,；;。\n：:":
        i -= 1
    clause = text[i : start - 1]
    quoted = re.findall(r"[“\"「]([^”\"」]{1,20})[”\"」]", clause)
    if len(quoted) >= 2:
        return quoted
    parts = [p for p in re.split(r"[和、及与]", _LEAD.sub("", clause)) if p]
    return parts if 2 <= len(parts) <= 6 else []


_UNIT_GUESS = (
    (re.compile(r"企业|单位|公司|工厂|学校|医院"), "家"),
    (re.compile(r"会员|职工|员工|人员|民工|代表|干部|学生|劳模|人"), "名"),
    (re.compile(r"户"), "户"),
    (re.compile(r"信访|来访|仲裁|案件|纠纷|争议|投诉"), "件"),
    (re.compile(r"率|比例|占比"), "%"),
)


def guess_unit(label: str) -> str:
    """A measure word for a bare number (the text lost it): from the thing the label counts, else 个."""
    for pattern, unit in _UNIT_GUESS:
        if pattern.search(label):
            return unit
    return "个"
