"""Regular expressions shared by cleaning, splitting and section parsing (all on normalised, full-width text)."""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十百零〇"

# 篇1 / 篇 2 at the end of a repeated collection title: "乡镇工会上半年工作总结 篇3"
PIECE_MARKER_RE = re.compile(r"篇\s*(\d{1,2})\s*$")
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

TITLE_RE = re.compile(r"(工作总结|工作汇报|工作报告|总结)(范文|报告|材料)?\s*([(（][^)）]{0,12}[)）])?$")


def is_title_line(line: str) -> bool:
    """A line that reads as a summary title: short, no sentence punctuation, ends with 总结/汇报."""
    s = PIECE_MARKER_RE.sub("", line).strip()
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
