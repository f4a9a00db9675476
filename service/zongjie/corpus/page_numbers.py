"""Page numbers that PDF extraction or copy-paste glued into sentences ("促进3构建", "72011年工作总体安排").

Contract: ``strip_page_numbers(lines, footers)`` returns the lines with glued page numbers removed. ``footers`` are
the page-number lines the cleaner dropped (「— 3 —」「第3页 共9页」), as (index of the line they stood before,
page number): they are certain pages and anchor the sequence. A glued number (between Chinese characters) is a page
number when the evidence says so, and is kept when in doubt — a real figure lost is worse than a page number left:
- **it splits a word**: the characters on either side make one word without it (「加8强」「合资3企业」「以2人为本」),
  unless it is followed by a measure word that word starts with (「企业188家」 gives 企业家, still a count);
- **the page sequence**: numbers that count up by one (a page may be missed) across the file at page-like distances
  (200–4,000 characters, about evenly spaced), through the footer pages when there are any: two with a footer, three
  or more without one (the first ≤ 3, the chain running through the whole text). Among same-valued candidates the
  one in page-like context wins; a member that reads as a quantity on both sides (「出刊了3期」), or that the number
  finder reads as a count (「资金4万多元」「床垫2床」: a measure word follows and no word is split) is kept;
- **the lone number**: any other glued number that is neither introduced (第/共/约/达…) nor followed by a measure
  word (个/人/名/次…) cannot be a quantity.
Years with a page number glued in front ("72011年") lose the page number. Numbers that are dates (followed by
年/月/日/号) join a sequence only where they split a word.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

HAN = r"\u4e00-\u9fff"

# Characters that may follow a number in a real quantity.
MEASURE_CHARS = set(
    "年月日号时分秒点天周岁个名人位户家项条场次件份元角万千百亿余多来几届期批台辆套本册篇张所座栋间处"
    "支队组类种起例床门节课层米吨斤亩平立公里克股笔单票科室校村镇乡县市省区级等轮遍回趟版集章段部首幅副"
    "把块片只头匹棵株箱袋包盒瓶桶季度成倍至到比强佳星型大中小班团网站线代"
)
_SCALE_OR_DATE = set("万千百亿余多来几年月日号")
_NUMBER_INTRO_CHARS = set("第共有达约近计余每前后至到和与或及占了为是逾超仅只约合增减")
_GLUED_RE = re.compile(rf"(?<=[{HAN}，、。；：”）])(\d{{1,3}})(?=[{HAN}“（])")
# 「72011年工作总体安排」; also right after a heading's marker (「五、82025年工作打算」: a PDF page number in front of
# the plans part's year)
_GLUED_YEAR_RE = re.compile(rf"(^|(?<=[{HAN}，。；：、]))(\d{{1,3}})((?:19|20)\d\d年)")
_DATE_AFTER = set("年月日号时")
MIN_PAGE_GAP = 200
MAX_PAGE_GAP = 4000
MIN_CHAIN = 3
_WINDOW = 6


@dataclass
class _Cand:
    pos: int  # offset in the whole text (-1 for a footer)
    value: int
    anchor: bool = False  # a footer line: certainly a page
    splits: bool = False  # the number splits a word
    quantity: bool = False  # introduced AND followed by a measure word: reads as a count
    counted: bool = False  # followed by a measure word the number finder reads (「资金4万多元」「床垫2床」)
    lone_page: bool = False  # neither introduced nor followed by a measure word

    @property
    def weight(self) -> float:
        if self.anchor:
            return 3.0
        return 1.0 + (1.0 if self.splits else 0.0) + (0.5 if self.lone_page else 0.0) - (1.5 if self.quantity else 0.0)


@functools.cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def splits_word(text: str, start: int, end: int) -> bool:
    """True when the characters around ``text[start:end]`` form one word without it (「加强」 around 「加8强」), or
    the number follows a Chinese numeral (「一3年来」: no writer mixes the two)."""
    left = text[max(0, start - _WINDOW) : start]
    right = text[end : end + _WINDOW]
    if not left or not right or not re.match(f"[{HAN}]", left[-1]) or not re.match(f"[{HAN}]", right[0]):
        return False
    if left[-1] in "一二三四五六七八九十两" or re.search(r"[\d万千百亿][余多]$", left):
        return True  # 「一3年来」「260万余3元」: no figure follows a numeral or an approximation
    if any(left.endswith(u[:k]) and right.startswith(u[k:]) for u in _finder_units() for k in range(1, len(u))):
        return True  # 「610人1次」: a measure word cut in two
    pos = 0
    for word in _jieba().cut(left + right, HMM=False):
        if pos < len(left) < pos + len(word):
            tail = pos + len(word) - len(left)
            return tail >= 2 or not counts_there(right)
        pos += len(word)
    return False


def counts_there(after: str) -> bool:
    """The number finder's view: a number right before ``after`` can be a figure — a measure word it knows follows
    (「企业188家」), a scale or an approximation (「3万」「30余」), or a date (「3月」)."""
    if after[:1] in _SCALE_OR_DATE:
        return True
    return any(after.startswith(w) for w in _finder_units())


@functools.cache
def _finder_units() -> tuple[str, ...]:
    from .measure_words import GENRE_MEASURE_WORDS

    return GENRE_MEASURE_WORDS


def _context(text: str, m: re.Match[str]) -> tuple[bool, bool, bool, bool]:
    prev = text[m.start() - 1] if m.start() else ""
    nxt = text[m.end()] if m.end() < len(text) else ""
    introduced = prev in _NUMBER_INTRO_CHARS or prev in "，、。；：”）" or nxt in "“（"
    counted = counts_there(text[m.end() : m.end() + 4])
    measured = nxt in MEASURE_CHARS or counted
    splits = splits_word(text, m.start(), m.end())
    return splits, introduced and measured, not introduced and not measured, counted and not splits


# a page number that stands at the start of a hard-wrapped line, the line before ending in mid-word
# (「…有利\n15时机…」: PDF and e-mail text wrapped at the width): glued once the lines are joined
_WRAPPED_RE = re.compile(rf"(?<=[{HAN}]\n)(\d{{1,3}})(?=[{HAN}])")


def _glued(text: str) -> list[re.Match[str]]:
    return sorted([*_GLUED_RE.finditer(text), *_WRAPPED_RE.finditer(text)], key=lambda m: m.start())


def _word_after(text: str, at: int) -> bool:
    """The 时/号 after a number opens a word (「有利15时机」「响应3号召」), so the number is no clock time or date."""
    if text[at : at + 1] not in "时号":
        return False
    first = next(iter(_jieba().cut(text[at : at + 6])), "")
    return len(first) >= 2


def _candidates(text: str, footers: list[tuple[int, int]]) -> list[_Cand]:
    cands = []
    for m in _glued(text):
        if text[m.start() - 1 : m.start()] == "第":
            continue
        splits, quantity, lone, counted = _context(text, m)
        if text[m.end() : m.end() + 1] in _DATE_AFTER and not splits and not _word_after(text, m.end()):
            continue
        cands.append(
            _Cand(m.start(), int(m.group(1)), splits=splits, quantity=quantity, lone_page=lone, counted=counted)
        )
    cands.extend(_Cand(pos, value, anchor=True) for pos, value in footers)
    return sorted(cands, key=lambda c: (c.pos, not c.anchor))


def _page_chain(text: str, footers: list[tuple[int, int]] | None = None) -> set[int]:
    """Offsets of glued numbers in the best counting-up page sequence (see the module docstring)."""
    cands = _candidates(text, footers or [])
    if len(cands) < 2:
        return set()
    best: list[tuple[float, int, int]] = []  # (score, length, previous index)
    for i, c in enumerate(cands):
        score, length, prev = c.weight, 1, -1
        for j in range(i):
            cj = cands[j]
            if 1 <= c.value - cj.value <= 2 and MIN_PAGE_GAP <= c.pos - cj.pos <= MAX_PAGE_GAP * (c.value - cj.value):
                if best[j][0] + c.weight > score:
                    score, length, prev = best[j][0] + c.weight, best[j][1] + 1, j
        best.append((score, length, prev))
    for end in sorted(range(len(cands)), key=lambda i: -best[i][0]):
        chain = []
        k = end
        while k >= 0:
            chain.append(k)
            k = best[k][2]
        chain.reverse()
        members = [cands[i] for i in chain]
        anchored = any(c.anchor for c in members)
        if len(members) < (2 if anchored else MIN_CHAIN):
            continue
        if not anchored and (members[0].value > 3 or not _page_like(text, [c.pos for c in members])):
            continue
        # a member the number finder reads as a count goes only when the rest of the sequence is evidence enough
        strong = sum(not c.counted for c in members) >= MIN_CHAIN
        return {c.pos for c in members if not c.anchor and not c.quantity and (strong or not c.counted)}
    return set()


def _page_like(text: str, positions: list[int]) -> bool:
    """Pages are about equally long, and a page sequence runs through the whole text: real quantities that happen
    to count up (2 … 3 … 4) are spaced at random and cover only part of it."""
    gaps = sorted(b - a for a, b in zip(positions, positions[1:], strict=False))
    median = gaps[len(gaps) // 2]
    if gaps[-1] > 2.5 * gaps[0]:
        return False
    return len(positions) >= 0.5 * len(text) / median


def _lone_ok(text: str, m: re.Match[str]) -> bool:
    """True when the glued number reads as a quantity (keep it)."""
    prev = text[m.start() - 1]
    nxt = text[m.end()] if m.end() < len(text) else ""
    enumerator = prev == "是" and m.start() >= 2 and text[m.start() - 2] in "一二三四五六七八九十"
    if nxt in "一二三四五六七八九十两":
        return False  # 「为1一线医护人员」: no figure runs into a Chinese numeral
    return (
        nxt in MEASURE_CHARS
        or counts_there(text[m.end() : m.end() + 4])
        or (prev in _NUMBER_INTRO_CHARS and not enumerator)  # 「三是1完善」: 一是/二是 open an item, not a figure
        or prev in "，、。；：”）"
        or nxt in "“（"
    )


def remove_glued_page_numbers(line: str, chain: set[int] | None = None, offset: int = 0) -> str:
    """One line without glued page numbers; ``chain`` holds offsets (in the whole text) of sequence numbers."""

    def repl(m: re.Match[str]) -> str:
        if chain and offset + m.start() in chain:
            return ""
        if not re.match(f"[{HAN}]", line[m.start() - 1]) or not re.match(f"[{HAN}]", line[m.end() : m.end() + 1]):
            return m.group(0)
        if splits_word(line, m.start(), m.end()) and (
            line[m.end()] not in _DATE_AFTER or line[m.start() - 1] in "一二三四五六七八九十两余多"
        ):
            return ""
        return m.group(0) if _lone_ok(line, m) else ""

    line = _GLUED_RE.sub(repl, line)
    lead = re.match(rf"\d{{1,3}}(?=[{HAN}])", line)
    if chain and lead and offset in chain:  # a sequence page at the start of a wrapped line
        line = line[lead.end() :]
    return _GLUED_YEAR_RE.sub(lambda m: m.group(1) + m.group(3), line)


def strip_page_numbers(lines: list[str], footers: list[tuple[int, int]] | None = None) -> list[str]:
    """``footers``: (index in ``lines`` of the line a dropped page-number line stood before, its page number)."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    anchors = [(starts[min(i, len(lines))] - 1, n) for i, n in footers or []]
    chain = _page_chain(text, anchors)
    return [remove_glued_page_numbers(line, chain, starts[k]) for k, line in enumerate(lines)]


def footer_page(line: str) -> int | None:
    """The page number a page-number line shows (「— 3 —」「第3页 共9页」「3/9」「3」), or None."""
    m = re.match(r"^\s*(?:[-—–]\s*(\d{1,4})\s*[-—–]|第\s*(\d{1,4})\s*页.*|(\d{1,4})\s*/\s*\d{1,4}|(\d{1,4}))\s*$", line)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))
