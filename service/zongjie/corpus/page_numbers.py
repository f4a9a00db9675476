"""Page numbers that PDF extraction or copy-paste glued into sentences ("促进3构建", "72011年工作总体安排").

Contract: ``strip_page_numbers(lines)`` returns the lines with glued page numbers removed, found two ways:
- **the page sequence**: three or more numbers glued between Chinese characters that count up from the first
  pages (the first ≤ 3; 3, 4, 5 … with at most one page missed) at page-like distances (200–4,000 characters
  apart, about equally spaced, running through the whole text) are page numbers wherever they sit, even before
  a measure word ("促进3个" when 3 is in the chain);
- **the lone number**: any other number glued between two Chinese characters that is neither introduced
  (第/共/约/达…) nor followed by a measure word (个/人/名/次…) cannot be a quantity, so it is a page number.
Years with a page number glued in front ("72011年") lose the page number. Numbers that are dates (followed by
年/月/日/号) never join a page sequence.
"""

from __future__ import annotations

import re

HAN = r"\u4e00-\u9fff"

# Characters that may follow a number in a real quantity.
MEASURE_CHARS = set(
    "年月日号时分秒点天周岁个名人位户家项条场次件份元角万千百亿余多来几届期批台辆套本册篇张所座栋间处"
    "支队组类种起例床门节课层米吨斤亩平立公里克股笔单票科室校村镇乡县市省区级等轮遍回趟版集章段部首幅副"
    "把块片只头匹棵株箱袋包盒瓶桶季度成倍至到比强佳星型大中小班团网站线代"
)
_NUMBER_INTRO_CHARS = set("第共有达约近计余每前后至到和与或及占了为是逾超仅只约合增减")
_GLUED_RE = re.compile(rf"(?<=[{HAN}，、。；：”）])(\d{{1,3}})(?=[{HAN}“（])")
_GLUED_YEAR_RE = re.compile(rf"(^|(?<=[{HAN}，。；：]))(\d{{1,3}})((?:19|20)\d\d年)")
_DATE_AFTER = set("年月日号时")
MIN_PAGE_GAP = 200
MAX_PAGE_GAP = 4000
MIN_CHAIN = 3


def _page_chain(text: str) -> set[int]:
    """Start offsets of glued numbers that form the longest counting-up page sequence (≥ 2 numbers)."""
    cands = [
        (m.start(), int(m.group(1)))
        for m in _GLUED_RE.finditer(text)
        if text[m.end() : m.end() + 1] not in _DATE_AFTER and text[m.start() - 1 : m.start()] != "第"
    ]
    if len(cands) < 2:
        return set()
    best: list[tuple[int, int]] = []  # (chain length, previous index)
    for i, (pos, val) in enumerate(cands):
        length, prev = 1, -1
        for j in range(i):
            pj, vj = cands[j]
            if 1 <= val - vj <= 2 and MIN_PAGE_GAP <= pos - pj <= MAX_PAGE_GAP and best[j][0] + 1 > length:
                length, prev = best[j][0] + 1, j
        best.append((length, prev))
    for end in sorted(range(len(cands)), key=lambda i: -best[i][0]):
        if best[end][0] < MIN_CHAIN:
            return set()
        chain = []
        while end >= 0:
            chain.append(end)
            end = best[end][1]
        chain.reverse()
        if cands[chain[0]][1] <= 3 and _page_like(text, [cands[i][0] for i in chain]):
            return {cands[i][0] for i in chain}
    return set()


def _page_like(text: str, positions: list[int]) -> bool:
    """Pages are about equally long, and a page sequence runs through the whole text: real quantities that happen
    to count up (2 … 3 … 4) are spaced at random and cover only part of it."""
    gaps = sorted(b - a for a, b in zip(positions, positions[1:], strict=False))
    median = gaps[len(gaps) // 2]
    if gaps[-1] > 2.5 * gaps[0]:
        return False
    return len(positions) >= 0.5 * len(text) / median


def _lone_ok(text: str, m: re.Match) -> bool:
    """True when the glued number reads as a quantity (keep it)."""
    prev = text[m.start() - 1]
    nxt = text[m.end()] if m.end() < len(text) else ""
    return nxt in MEASURE_CHARS or prev in _NUMBER_INTRO_CHARS or prev in "，、。；：”）" or nxt in "“（"


def remove_glued_page_numbers(line: str, chain: set[int] | None = None, offset: int = 0) -> str:
    """One line without glued page numbers; ``chain`` holds offsets (in the whole text) of sequence numbers."""

    def repl(m: re.Match) -> str:
        if chain and offset + m.start() in chain:
            return ""
        if not re.match(f"[{HAN}]", line[m.start() - 1]) or not re.match(f"[{HAN}]", line[m.end() : m.end() + 1]):
            return m.group(0)
        return m.group(0) if _lone_ok(line, m) else ""

    line = _GLUED_RE.sub(repl, line)
    return _GLUED_YEAR_RE.sub(lambda m: m.group(1) + m.group(3), line)


def strip_page_numbers(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    chain = _page_chain(text)
    out, offset = [], 0
    for line in lines:
        out.append(remove_glued_page_numbers(line, chain, offset))
        offset += len(line) + 1
    return out
