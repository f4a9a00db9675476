"""Regular expressions shared by cleaning, splitting and section parsing (all on normalised, full-width text)."""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十百零〇"

_PIECE_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# The number of a piece in a collection page, after its repeated title: 「乡镇工会上半年工作总结 篇3」「…总结 篇一」
# 「…总结【第二篇】」, or a bare number right after the title's last word (「社区工会工作总结2」).
# Serves essay-site pages that hold several summaries under one collection title.
PIECE_MARKER_RE = re.compile(
    rf"(?:篇\s*(?P<n1>{_PIECE_NUM})|[【\[]\s*第\s*(?P<n2>{_PIECE_NUM})\s*篇\s*[】\]]"
    rf"|(?<=总结|汇报|计划|思路|打算)\s*(?P<n3>\d{{1,2}}))\s*$"
)
# the same number in front of the title: 「第1篇 镇工会上半年工作总结 2200字」「【第1篇】中学工会年终工作总结」
PIECE_LEAD_RE = re.compile(rf"^\s*[【\[]?\s*第\s*(?P<n>{_PIECE_NUM})\s*篇\s*[】\]]?\s*(?=\S)")
_LENGTH_NOTE_RE = re.compile(r"\s*\d{3,5}字$")


def piece_number(m: re.Match[str]) -> int:
    raw = next(g for g in m.groups() if g)
    if raw.isdigit():
        return int(raw)
    return "一二三四五六七八九十".index(raw[-1]) + 1 + (10 if len(raw) > 1 and raw[0] == "十" else 0)


def piece_title(line: str) -> tuple[str, int] | None:
    """(title, piece number) of a collection piece's title line, or None."""
    if len(line) > 60:
        return None
    m = PIECE_MARKER_RE.search(line)
    if m:
        return _LENGTH_NOTE_RE.sub("", line[: m.start()]).strip(), piece_number(m)
    lead = PIECE_LEAD_RE.match(line)
    if lead and is_title_line(_LENGTH_NOTE_RE.sub("", line[lead.end() :])):
        return _LENGTH_NOTE_RE.sub("", line[lead.end() :]).strip(), int(piece_number(lead))
    return None


# "扩展阅读:201*年工会工作总结" introduces another summary
EXTENDED_READING_RE = re.compile(r"^\s*(扩展阅读|延伸阅读|拓展阅读|附[：:]?)\s*[：:]\s*(?P<title>.*)$")

# Heading markers of the ladder, each a style; the ladder order is learnt per document.
HEADING_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^(?P<num>[{CN_DIGITS}]{{1,4}})\s*[、．.](?![{CN_DIGITS}][、．.])")),
    ("di", re.compile(rf"^第(?P<num>[{CN_DIGITS}]{{1,4}})\s*[、，,．.：:](?![{CN_DIGITS}])")),
    ("pcn", re.compile(rf"^[（(](?P<num>[{CN_DIGITS}]{{1,4}})[)）]\s*[、．.]?")),
    ("ar", re.compile(r"^(?P<num>\d{1,2})\s*(?:、|[.．](?!\d))")),
    ("par", re.compile(r"^[（(](?P<num>\d{1,2})[)）]\s*[、．.]?")),
    ("circ", re.compile(r"^(?P<num>[①②③④⑤⑥⑦⑧⑨⑩])")),
]
HEADING_START_RE = re.compile("|".join(f"(?:{p.pattern.replace('?P<num>', '')})" for _, p in HEADING_STYLES))

# Markers that may start a new section in the middle of a paragraph, right after a sentence end.
INLINE_HEADING_RE = re.compile(
    rf"(?<=[。；！？：])(?=(?:[（(][{CN_DIGITS}]{{1,3}}[)）]|[{CN_DIGITS}]{{1,3}}、(?![{CN_DIGITS}])|[（(]\d{{1,2}}[)）]|\d{{1,2}}、)[\u4e00-\u9fff“《])"
)

# A title ends with 总结/汇报/报告, or names a review and what follows it (「…工作总结及下半年工作思路」「…总结和明年
# 工作计划」「…工作总结：亮点与不足」).
TITLE_RE = re.compile(
    r"((工作总结|工作汇报|工作报告|总结)(范文|报告|材料)?"
    r"|(总结|汇报)[^，。；]{0,3}(及|和|与|暨|、|：|:)[^，。；]{0,16}(计划|打算|思路|要点|安排|不足|展望|设想))"
    r"\s*([(（][^)）]{0,12}[)）])?$"
)


def is_title_line(line: str) -> bool:
    """A line that reads as a summary title: short, no sentence punctuation, ends with 总结/汇报."""
    s = PIECE_LEAD_RE.sub("", PIECE_MARKER_RE.sub("", line)).strip()
    return (
        bool(s)
        and len(s) <= 40
        and not re.search(r"[，。；！？]", s)
        and bool(TITLE_RE.search(s))
        and not HEADING_START_RE.match(s)
    )


def match_heading(line: str) -> tuple[str, str, re.Match[str]] | None:
    """Return (style, number text, match) if the line starts with a heading marker."""
    for style, pattern in HEADING_STYLES:
        m = pattern.match(line)
        if m:
            return style, m.group("num"), m
    return None
