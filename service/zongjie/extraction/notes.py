"""The work of a section condensed into short notes (工作要点), and closing text split into problems and plans.

``notes_from(text)`` splits a section's body into statements and keeps those that say what was done (an action
verb or a figure). A note is a whole statement, never cut inside it: the genre writes one measure per sentence,
or several in one sentence as 一是/二是/首先/其次 items or as parts joined by 「；」. A 「；」 part is a statement
of its own unless it continues into the next — its last clause is an open frame with no verb of its own
(「由镇工会根据形势的需要；统一组织…」), it ends on a word that asks for more (和、及、的需要、的要求…), or the
next part is its consequence (「；使…」) — and such parts are joined into one statement. Left out of a statement are
only what the drafter writes itself: connectors in front (同时、此外…), a leading frame clause with no action or
figure (「为进一步丰富职工文化生活，增强凝聚力，」「按照县总工会的部署，」) and the evaluative tail from its
first clause on (「，使…」「，进一步提高了…」「，受到…好评」). ``items_from(text)`` splits a list of problems or
plans into its items. Both are deterministic and return ``(note, source sentence)`` pairs so every note can show
where it came from.
"""

from __future__ import annotations

import re

from ..numbers import find_numbers
from .figures import sentences

MAX_NOTE = 40  # problems and plans items are shortened at a clause boundary past 120 characters, notes never
MAX_NOTE_CHARS = 400  # a note's length in the fact sheet (Note.text)
MAX_NOTES = 10
_FRAME = re.compile(
    r"^(?:为了|为进一步|为切实|为全面|为更好地?|为有效|为使|为|围绕|按照|依照|依据|遵照|根据|针对|本着|结合|随着|"
    r"由|在[^，]{0,30}(?:下|中|期间|之际|的同时|背景下)$)"
)
_TIME_LEAD = re.compile(r"^(?:每年|每月|每季度|全年|今年|年内|平时|同时|并|还|又|都|均)+")
_OPEN_END = re.compile(r"(?:和|及|与|以及|并|或|等|的需要|的要求|的部署|的原则|的精神|的安排|的意愿)$")
_CONSEQUENCE = re.compile(r"^(?:使|从而|进而|以便|以期|以此|致使|让)")
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
_TAIL = re.compile(  # a consequence or an appraisal: the statement has ended
    r"^(?:使|让|从而|进而|受到|得到|赢得|营造|体现|展现|展示|以便|旨在|有利于|此举|如果|以期|力求|"
    r"为[^，]{0,12}(?:奠定|打下|创造|提供)|取得了|收到了|形成了|达到了.*目的|真正)"
)
_TAIL_UNLESS_ACTION = re.compile(  # an appraisal, unless the clause does something (「，进一步落实…」「，切实落实…」)
    r"^(?:进一步|有效|极大|充分|切实|促进|提高了|增强了|激发|丰富了|调动|确保|推动)"
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


def _says_something(clause: str) -> bool:
    return bool(_ACTION.search(clause)) or any(m.kind == "quantity" for m in find_numbers(clause))


def statement(sentence: str) -> str:
    """A statement as a note: connectors in front, a leading frame clause with no action or figure (and the clauses
    continuing it) and the evaluative tail left out; nothing else is cut."""
    clauses = [c for c in re.split(r"[，,]", _clean(sentence)) if c]
    start = 0
    if clauses and _FRAME.match(clauses[0]) and not _ACTION.search(clauses[0]):
        start = next((i for i, c in enumerate(clauses) if _ACTION.search(c)), 0)
    kept: list[str] = []
    for i, c in enumerate(clauses[start:]):
        if i and _ends_statement(c):
            break
        kept.append(c)
    return _clean("，".join(kept))


def _ends_statement(clause: str) -> bool:
    """A clause that is the statement's consequence or appraisal, not more of what was done."""
    return bool(_TAIL.match(clause)) or (bool(_TAIL_UNLESS_ACTION.match(clause)) and not _ACTION.search(clause))


def shorten(sentence: str, limit: int = MAX_NOTE) -> str:
    """A sentence cut to what was done: evaluative tail clauses dropped, at most ``limit`` characters (problems and
    plans items longer than ``limit``; notes are whole statements, see ``statement``)."""
    clauses = [c for c in re.split(r"[，,]", _clean(sentence)) if c]
    kept: list[str] = []
    for i, c in enumerate(clauses):
        if i and _ends_statement(c):
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


def _continues(part: str, following: str) -> bool:
    """Whether a 「；」 part runs on into the next one (one statement) instead of ending a statement of its own."""
    last = re.split(r"[，,]", part.rstrip("；; "))[-1].strip()
    if _OPEN_END.search(last) or _CONSEQUENCE.match(following.lstrip()):
        return True
    return bool(_FRAME.match(_TIME_LEAD.sub("", last))) and not _says_something(last)


def _statements(sentence: str) -> list[str]:
    """The 「；」 parts of a sentence (or of an item) as written, those that run on joined to the next."""
    parts = [p for p in re.split(r"(?<=[；;])", sentence) if p.strip()]
    out: list[str] = []
    for part in parts:
        if out and _continues(out[-1], part):
            out[-1] += part
        else:
            out.append(part)
    return out


def _joined(statement: str) -> str:
    """A statement whose 「；」 parts run on, read as one sentence: the inner 「；」 become 「，」."""
    return re.sub(r"[；;](?=.*\S)", "，", statement.rstrip())


def _measures(text: str) -> list[tuple[str, str]]:
    """(statement, source sentence) for every statement of ``text``, in order."""
    out = []
    for a, b in _sentences(text):
        sentence = text[a:b]
        starts = [m.end() for m in _ITEM_MARK.finditer(sentence)]
        if len(starts) >= 2:  # 一是…；二是…: one measure per item (the words before the first item are a lead-in)
            bounds = starts + [len(sentence)]
            items = [sentence[bounds[k] : bounds[k + 1]] for k in range(len(starts))]
        else:
            items = [sentence]
        out += [(_joined(s), s) for item in items for s in _statements(item)]
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: up to 。！？ or a line end (「；」 is read inside a sentence)."""
    out, start = [], 0
    for m in re.finditer(r"[。！？!?\n]", text):
        if text[start : m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


_DEFINITION = re.compile(
    r"^[^，。]{2,24}是[^。]*(?:途径|措施|手段|基础|关键|职能|纽带|重点|牛鼻子|组成部分|结合点|桥梁)"
)


def notes_from(text: str, has_figure=None) -> list[tuple[str, str]]:
    """(note, source sentence) for each measure of ``text`` that says what was done, at most ``MAX_NOTES``."""

    def figure(s: str) -> bool:
        return any(m.kind == "quantity" for m in find_numbers(s))

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for said, written in _measures(text):
        source = written.strip()
        if not (_ACTION.search(said) or figure(said)) or (_DEFINITION.search(_clean(said)) and not figure(said)):
            continue  # rhetoric: 维权是工会重中之重的工作。 送温暖是帮助困难职工的有效途径。
        note = statement(said)[:MAX_NOTE_CHARS]
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
