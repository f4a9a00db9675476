"""The work of a section condensed into short notes (工作要点), and closing text split into problems and plans.

``notes_from(text)`` splits a section's body into measures — sentences, and the 一是/二是/首先/其次 items inside
them — keeps those that say what was done (an action verb or a figure), drops the connectors in front and the
evaluative tail clauses (「，使…」「，进一步提高了…」「，受到…好评」), and shortens what is left to at most
``MAX_NOTE`` characters at a clause boundary. ``items_from(text)`` splits a list of problems or plans into its
items. Both are deterministic and return ``(note, source sentence)`` pairs so every note can show where it came
from.
"""

from __future__ import annotations

import re

from .figures import sentences

MAX_NOTE = 40
MAX_NOTES = 10
_ITEM_MARK = re.compile(
    r"(?:^|(?<=[。；;：:，,]))\s*(?:[一二三四五六七八九十]是|首先|其次|再次|最后|另一方面|一方面|第[一二三四五六七八九十]|"
    r"[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．])"
)
_LEAD = re.compile(
    r"^(?:同时|此外|另外|并且|并|还|又|特别是|尤其是|今年|全年|一年来|半年来|上半年|下半年|今年以来|目前|"
    r"我们|我会|我局|我院|我镇|我乡|我县|本单位|为此|因此|所以|通过|根据[^，]{0,20}，|按照[^，]{0,20}，|"
    r"为了[^，]{0,24}，|针对[^，]{0,24}，|在[^，]{0,24}(?:的同时|下|中)，|多年来|每逢[^，]{0,8}，)+[，,]?"
)
_ACTION = re.compile(
    r"开展|组织|举办|召开|建立|成立|慰问|走访|推行|签订|完成|评选|表彰|发放|制定|参加|参与|设立|选派|资助|捐|"
    r"培训|检查|调解|帮助|办理|落实|实施|推进|创建|组建|发展|吸纳|收缴|编印|出刊|宣传|接待|处理|解决|"
    r"协调|指导|督促|整改|配合|举行|承办|邀请|推荐|聘请|改选|选举|公开|审议|征集|投入|拨|筹|建成|新建|改造"
)
_TAIL = re.compile(
    r"^(?:使|让|从而|进而|进一步|有效|极大|充分|切实|受到|得到|赢得|促进|提高了|增强了|营造|体现|展现|展示|激发|"
    r"丰富了|调动|确保|以便|旨在|有利于|此举|如果|以期|力求|为[^，]{0,12}(?:奠定|打下|创造|提供)|取得了|收到了|形成了|达到了.*目的|真正|推动)"
)


_MARK_AT_START = re.compile(
    r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|另一方面|一方面|第[一二三四五六七八九十]、?|"
    r"[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．](?![0-9]))"
)


def _clean(s: str) -> str:
    s = re.sub(r"\s+", "", s).strip("，,、；;。：: ")
    prev = None
    while prev != s:
        prev = s
        s = _LEAD.sub("", _MARK_AT_START.sub("", s)).strip("，,、；;。：: ").removeprefix("的")
    return s


def shorten(sentence: str, limit: int = MAX_NOTE) -> str:
    """A sentence cut to what was done: evaluative tail clauses dropped, at most ``limit`` characters."""
    clauses = [c for c in re.split(r"[，,]", _clean(sentence)) if c]
    kept: list[str] = []
    for i, c in enumerate(clauses):
        if i and _TAIL.match(c):
            break
        kept.append(c)
    out = ""
    for c in kept:
        candidate = f"{out}，{c}" if out else c
        if len(candidate) > limit and (len(out) >= 8 or len(candidate) > 2 * limit):
            break  # a short lead clause (截至10月底) keeps its main clause
        out = candidate
    if not out and kept:
        head = kept[0]
        cut = max(head.rfind(ch, 0, limit) for ch in "、和及与")
        out = head[: cut if cut > limit // 2 else limit]
    return out


def _measures(text: str) -> list[str]:
    out = []
    for a, b in sentences(text):
        sentence = text[a:b]
        starts = [m.end() for m in _ITEM_MARK.finditer(sentence)]
        if len(starts) >= 2:  # 一是…；二是…: one measure per item (the words before the first item are a lead-in)
            bounds = starts + [len(sentence)]
            out += [sentence[bounds[k] : bounds[k + 1]] for k in range(len(starts))]
        else:
            out.append(sentence)
    return out


_DEFINITION = re.compile(
    r"^[^，。]{2,24}是[^。]*(?:途径|措施|手段|基础|关键|职能|纽带|重点|牛鼻子|组成部分|结合点|桥梁)"
)


def notes_from(text: str, has_figure=None) -> list[tuple[str, str]]:
    """(note, source sentence) for each measure of ``text`` that says what was done, at most ``MAX_NOTES``."""
    from ..numbers import find_numbers

    def figure(s: str) -> bool:
        return any(m.kind == "quantity" for m in find_numbers(s))

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in _measures(text):
        source = raw.strip()
        if not (_ACTION.search(source) or figure(source)) or (
            _DEFINITION.search(_clean(source)) and not figure(source)
        ):
            continue  # rhetoric: 维权是工会重中之重的工作。 送温暖是帮助困难职工的有效途径。
        note = shorten(source)
        if len(note) >= 4 and note not in seen:
            seen.add(note)
            out.append((note, source))
        if len(out) >= MAX_NOTES:
            break
    return out


def items_from(text: str, limit: int = 120) -> list[tuple[str, str]]:
    """(item, source) for each problem or plan in a list written 一是…；二是… / （一）… / sentences."""
    out: list[tuple[str, str]] = []
    for a, b in sentences(text):
        sentence = text[a:b]
        starts = [m.end() for m in _ITEM_MARK.finditer(sentence)]
        parts = (
            [sentence[starts[k] : (starts + [len(sentence)])[k + 1]] for k in range(len(starts))]
            if starts
            else [sentence]
        )
        for part in parts:
            item = _clean(part)
            if len(item) > limit:
                item = shorten(item, limit)
            if len(item) >= 4:
                out.append((item, sentence.strip()))
    return out
