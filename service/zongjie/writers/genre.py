"""The genre's framing of a body section: the sentence that opens it, the words that link its measures, and the
成效 sentence that closes it — built only from what the sheet gives (heading, themes, notes), never a figure or a
fact of its own.

``aims(heading)`` splits a heading into its clauses, each as verb + object (「建立健全民主管理，认真履行组织职能」 →
建立健全 | 民主管理, 履行 | 组织职能).

``topic_sentence(heading, theme, subject, position, exemplars)`` opens a section the way summaries do: the objects
of the heading's aims in new words (the heading is printed just above, so no heading clause is repeated), tied to
the year's theme this section takes (``pick_theme``: theme *n* goes to body section *n*, so each theme is named
once and never where the heading already says it) — 「公司工会把民主管理作为服务构建和谐劳动关系的重要抓手，同时注重组织
职能。」. Six patterns exist; their order is learned from the exemplars (``pattern_order``: those whose cue words the
peers use most come first) and a section takes the one at its position, so neighbouring sections never open alike.
Every third section announces its measures (「…重点抓了以下几项工作：」) and they are enumerated. A heading that
reports rather than aims (figures, 了) or has no verb–object aim gets no topic sentence.

``join_measures(sentences, position, enumerate_)`` links a section's measures: 「一是…；二是…；十一是…」 when the
topic sentence announced them, else with connectives (同时 / 此外 / 在此基础上 …), none twice within a section.

``result_sentence(heading, position)`` closes a section whose figures support it with what the heading's aim came
to (「通过这些举措，民主管理更加健全。」): the aim's object and the result word its verb takes (加强 → 得到切实加强,
健全 → 更加健全…); None for a heading without such an aim.

``with_adverb(sentence, position, exemplars)`` gives a measure that opens with a bare verb the adverb the genre puts
before it (开展 → 积极开展 / 深入开展), the one the exemplars use most, else one in turn by position.

Everything here is deterministic: the same section gets the same words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..checker.binding import bigrams

ORDINALS = "一二三四五六七八九十"

# verbs a heading's aim opens with, and what they come to in a 成效 sentence
_RESULT = {
    "建立健全": "更加健全",
    "健全": "更加健全",
    "完善": "不断完善",
    "建立": "逐步建立",
    "加强": "得到切实加强",
    "强化": "得到有效强化",
    "维护": "得到有效维护",
    "保障": "得到有效保障",
    "提高": "明显提高",
    "提升": "有效提升",
    "推进": "稳步推进",
    "推动": "有力推动",
    "深化": "不断深化",
    "开展": "取得实效",
    "抓好": "取得实效",
    "做好": "取得实效",
    "落实": "落到实处",
    "丰富": "更加丰富",
    "营造": "日益浓厚",
    "发挥": "得到充分发挥",
    "履行": "得到较好履行",
    "服务": "取得新成效",
    "关爱": "落到实处",
    "关心": "落到实处",
    "创新": "不断创新",
    "规范": "更加规范",
    "扩大": "不断扩大",
    "创建": "扎实推进",
    "树立": "不断彰显",
    "促进": "有效促进",
    "构建": "扎实推进",
    "打造": "初见成效",
    "弘扬": "蔚然成风",
}
_LEADING = re.compile(r"^(?:积极|认真|切实|扎实|着力|大力|努力|全面|突出|狠抓|不断|进一步|深入|依法|全力)")


@dataclass(frozen=True)
class Aim:
    """A heading clause split into its verb (may be empty: a noun heading) and its object."""

    verb: str
    obj: str
    text: str


def aims(heading: str) -> list[Aim]:
    """The heading's clauses (marker and punctuation removed), each split into verb and object:
    「建立健全民主管理，认真履行组织职能」 → [建立健全 | 民主管理, 履行 | 组织职能]."""
    heading = re.sub(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])", "", heading.strip())
    out = []
    for part in re.split(r"[，,；;：:。！!？?]", heading):
        part = part.strip(' “”"')
        if len(part) < 2:
            continue
        bare = _LEADING.sub("", part)
        verb = next((v for v in sorted(_RESULT, key=len, reverse=True) if bare.startswith(v)), "")
        obj = bare[len(verb) :] if verb else bare
        if verb and obj.startswith(("好", "实", "牢")):  # 关心好 / 抓实 / 守牢: the verb's complement
            obj = obj[1:]
        if verb and len(obj) < 2:
            obj, verb = bare, ""
        out.append(Aim(verb, obj.strip("的"), part))
    return out


@dataclass(frozen=True)
class _Pattern:
    name: str
    cues: tuple[str, ...]  # words in peers' sections that show the pattern is the house's


_PATTERNS = (
    _Pattern("围绕", ("紧紧围绕", "围绕")),
    _Pattern("作为", ("作为", "摆在")),
    _Pattern("坚持", ("坚持以", "坚持")),
    _Pattern("着眼", ("着眼", "着力")),
    _Pattern("为了", ("为了", "为进一步")),
    _Pattern("重视", ("高度重视", "重视")),
)


def pattern_order(exemplars: list[str]) -> list[str]:
    """The topic-sentence patterns, those whose cue words the exemplars use most first (stable otherwise)."""
    counts: Counter[str] = Counter()
    for p in _PATTERNS:
        counts[p.name] = sum(text.count(c) for text in exemplars for c in p.cues)
    return [p.name for p in sorted(_PATTERNS, key=lambda p: -counts[p.name])]


def pick_theme(themes: list[str], heading: str, position: int) -> str:
    """The year's theme a section ties its opening to: the body section at ``position`` takes theme number
    ``position`` — so each theme is named once in the body, by the first sections — unless the heading already
    says it (「紧紧围绕促进民主管理，建立健全民主管理」 would say it twice); empty otherwise."""
    themes = [t.strip("。，；; ") for t in themes if t.strip("。，；; ")]
    if position >= len(themes):
        return ""
    theme = themes[position]
    want = bigrams(_theme_object(theme))
    return "" if not want or len(want & bigrams(heading)) >= 0.5 * len(want) else theme


def _theme_object(theme: str) -> str:
    return re.sub(r"^(?:紧紧|始终|坚持)?(?:围绕|紧扣|聚焦|突出)", "", theme)


def topic_sentence(
    heading: str, theme: str, subject: str, position: int, exemplars: list[str] | None = None
) -> tuple[str, bool]:
    """The sentence opening a section and whether it announces the measures (「…重点抓了以下几项工作：」, after which
    they are enumerated 一是…二是…). It names the objects of the heading's aims in new words — never a heading
    clause again (the heading is printed just above it) — and the theme without the opening's 「紧紧围绕」. Empty
    when the heading has no verb–object aim (「以人为本，亲切关怀」) or reports rather than aims (figures, 了)."""
    parts = [a for a in aims(heading) if a.verb and len(a.obj) >= 2]
    if not parts or re.search(r"[0-9０-９]|了", heading):
        return "", False
    order = pattern_order(exemplars or [])
    name = order[position % len(order)]
    first, second = parts[0].obj, (parts[1].obj if len(parts) > 1 else "")
    theme = _theme_object(theme)
    announce = position % 3 == 1
    if name == "作为":
        s = f"{subject}把{first}作为" + (f"服务{theme}的重要抓手" if theme else "工会工作的重要内容")
    elif name == "坚持":
        s = f"{subject}坚持以{theme}为目标，在{first}上下功夫" if theme else f"{subject}坚持在{first}上下功夫"
    elif name == "着眼":
        s = f"{subject}" + (f"着眼于{theme}，" if theme else "") + f"着力抓好{first}"
    elif name == "为了":
        s = f"为进一步做好{first}工作，{subject}" + (f"结合{theme}，" if theme else "") + "精心谋划、统筹推进"
    elif name == "重视":
        s = f"{subject}高度重视{first}" + (f"，将其作为服务{theme}的重要一环" if theme else "")
    else:
        s = f"{subject}" + (f"以{theme}为主线，" if theme else "") + f"突出抓好{first}"
    if second and second not in s:
        s += f"，同时注重{second}"
    end = _ANNOUNCE[position // 3 % len(_ANNOUNCE)] if announce else "。"
    return s + end, announce


def ordinal(n: int) -> str:
    """1 → 一, 11 → 十一, 21 → 二十一: how 「一是…；十一是…」 counts (never digits, which read as figures)."""
    if n <= 10:
        return ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else ORDINALS[tens - 1]) + "十" + (ORDINALS[ones - 1] if ones else "")


_ANNOUNCE = (
    "，主要做了以下几方面工作：",
    "，重点抓了以下几项工作：",
    "，着力做好以下工作：",
    "，主要从以下几方面入手：",
)
_CONNECTIVES = ("同时", "此外", "在此基础上", "与此同时", "另外", "另一方面")


def join_measures(sentences: list[str], position: int, enumerate_: bool) -> str:
    """The measures of a section as one paragraph: enumerated (一是…；二是…。) or linked by connectives."""
    sentences = [s.strip() for s in sentences if s.strip()]
    if not sentences:
        return ""
    if enumerate_ and len(sentences) >= 2:
        parts = [f"{ordinal(i + 1)}是{s.rstrip('。；;')}" for i, s in enumerate(sentences)]
        return "；".join(parts) + "。"
    out = [sentences[0]]
    used: set[str] = set()
    for i, s in enumerate(sentences[1:], 1):
        if s.startswith(_CONNECTIVES + ("全年", "年内", "今年以来")) or re.match(r"^\d{1,2}月", s):
            out.append(s)
            continue
        free = [
            w
            for k in range(len(_CONNECTIVES))
            if (w := _CONNECTIVES[(position + i + k) % len(_CONNECTIVES)]) not in used
        ]
        if not free:  # every connective said once in this section: the rest follow plainly
            out.append(s)
            continue
        used.add(free[0])
        out.append(f"{free[0]}，{s}")
    return "".join(out)


_RESULT_OPENERS = ("通过这些举措，", "通过以上工作，", "经过努力，", "一系列工作扎实推进，", "由此，")


def result_sentence(heading: str, position: int) -> str | None:
    """A 成效 sentence from the heading's aim (see the module docstring), or None — also for a heading that reports
    rather than aims (figures, 了: 「积极发挥了厂务公开办公室的作用」)."""
    if re.search(r"[0-9０-９]|了", heading):
        return None
    for aim in aims(heading):
        if aim.verb and aim.obj and len(aim.obj) <= 14:
            opener = _RESULT_OPENERS[position % len(_RESULT_OPENERS)]
            return f"{opener}{aim.obj}{_RESULT[aim.verb]}。"
    return None


_ADVERBS = {
    "开展": ("积极", "深入", "广泛"),
    "组织": ("积极", "认真"),
    "召开": ("及时", "按时"),
    "举办": ("精心", "成功"),
    "落实": ("认真", "切实"),
    "推进": ("扎实", "稳步"),
    "加强": ("切实", "进一步"),
    "建立": ("逐步", "进一步"),
    "完善": ("不断", "进一步"),
    "维护": ("切实", "依法"),
    "做好": ("认真", "扎实"),
    "参加": ("积极", "踊跃"),
    "宣传": ("广泛", "大力"),
    "参与": ("积极", "主动"),
    "帮助": ("主动", "积极"),
    "配合": ("积极", "主动"),
    "协调": ("积极", "主动"),
    "督促": ("及时", "认真"),
    "收集": ("广泛", "认真"),
    "走访": ("深入", "逐户"),
    "探望": ("主动", "及时"),
    "听取": ("认真", "广泛"),
    "关心": ("时刻", "真心"),
    "指导": ("积极", "具体"),
    "推动": ("积极", "大力"),
    "倾听": ("认真", "耐心"),
}


def with_adverb(sentence: str, position: int, exemplars: list[str] | None = None) -> str:
    """「开展…」 → 「积极开展…」 (see the module docstring); anything else is left as it is."""
    verb = next((v for v in _ADVERBS if sentence.startswith(v)), None)
    if verb is None:
        return sentence
    choices = _ADVERBS[verb]
    counts = Counter({a: sum(t.count(a + verb) for t in exemplars or []) for a in choices})
    best = max(choices, key=lambda a: counts[a]) if any(counts.values()) else choices[position % len(choices)]
    return best + sentence
