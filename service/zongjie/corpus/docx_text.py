"""Text of a Word (.docx) file in reading order, with the heading numbers Word draws but does not store as text.

Contract: ``docx_lines(document)`` (a python-docx ``Document``) returns one line per paragraph and per table row,
in body order:
- a paragraph numbered automatically (``w:numPr`` on the paragraph or inherited from its style, e.g. a Heading style
  linked to a multilevel list) gets its label in front, computed from the numbering part: counters per list and
  level (deeper levels restart), ``w:lvlText`` patterns such as 「%1、」「（%1）」「%1.%2」 and formats decimal,
  chineseCounting (一、二、…十一), decimalEnclosedCircle (①) and letters. Bullets get no label.
- a Heading 1–4 (or outline-level) paragraph with no number at all and no typed marker gets the ladder's marker
  for its level (一、 /（一）/ 1. /（1）) so the section tree survives Word files whose headings are styles only; a
  heading that reads as the summary's title is left alone.
- a table row becomes 「cell｜cell｜cell」 (merged cells once), where the table stands in the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .patterns import HEADING_START_RE, is_title_line

if TYPE_CHECKING:
    from docx.document import Document
    from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
_STYLE_MARKERS = [lambda n: f"{_cn(n)}、", lambda n: f"（{_cn(n)}）", lambda n: f"{n}.", lambda n: f"（{n}）"]


def _cn(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _fmt(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "taiwaneseCounting",
        "japaneseCounting",
        "chineseLegalSimplified",
        "ideographLegalTraditional",
    ):
        return _cn(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out if fmt == "lowerRoman" else out.upper()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


class _Numbering:
    """Word's list counters: every ``w:num`` over the same ``w:abstractNum`` continues one sequence (as Word and
    LibreOffice draw it), unless the ``w:num`` restarts a level with ``w:lvlOverride/w:startOverride`` (「restart
    numbering」), which takes effect where that ``w:num`` is first used."""

    def __init__(self, document: Document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, lvlText, start)
        self.list_of: dict[str, str] = {}  # numId → abstractNumId (the sequence it counts in)
        self.restarts: dict[str, dict[int, int]] = {}  # numId → ilvl → start it restarts at
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → last number drawn
        self.used: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            lv = {}
            for lvl in a.findall(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                lv[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            abstract[a.get(f"{W}abstractNumId")] = lv
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None and ref.get(f"{W}val") in abstract:
                num_id = num.get(f"{W}numId")
                self.levels[num_id] = abstract[ref.get(f"{W}val")]
                self.list_of[num_id] = ref.get(f"{W}val")
                for override in num.findall(f"{W}lvlOverride"):
                    start = override.find(f"{W}startOverride")
                    if start is not None:
                        ilvl = int(override.get(f"{W}ilvl", "0"))
                        self.restarts.setdefault(num_id, {})[ilvl] = int(start.get(f"{W}val", "1"))

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        counters = self.counters.setdefault(self.list_of[num_id], {})
        if num_id not in self.used:
            self.used.add(num_id)
            for level, at in self.restarts.get(num_id, {}).items():
                counters[level] = at - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not text:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            f, _, s = levels.get(k, ("decimal", "", 1))
            return _fmt(counters.get(k, s), f)

        return re.sub(r"%(\d)", sub, text)


def _num_pr(p: etree._Element, document: Document) -> tuple[str, int] | None:
    ppr = p.find(f"{W}pPr")
    style_id = None
    if ppr is not None:
        num = ppr.find(f"{W}numPr")
        if num is not None:
            nid, lvl = num.find(f"{W}numId"), num.find(f"{W}ilvl")
            if nid is not None:
                nid_val = nid.get(f"{W}val")  # a numId without a value numbers nothing
                return (nid_val, int(lvl.get(f"{W}val", "0")) if lvl is not None else 0) if nid_val else None
        ps = ppr.find(f"{W}pStyle")
        style_id = ps.get(f"{W}val") if ps is not None else None
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = document.styles.element.get_by_id(style_id)
        if style is None:
            return None
        sppr = style.find(f"{W}pPr")
        num = sppr.find(f"{W}numPr") if sppr is not None else None
        if num is not None and num.find(f"{W}numId") is not None:
            lvl = num.find(f"{W}ilvl")
            return num.find(f"{W}numId").get(f"{W}val"), int(lvl.get(f"{W}val", "0")) if lvl is not None else 0
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    return None


def _heading_level(p: etree._Element, document: Document) -> int | None:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return None
    ol = ppr.find(f"{W}outlineLvl")
    if ol is not None:
        return int(ol.get(f"{W}val", "9"))
    ps = ppr.find(f"{W}pStyle")
    if ps is None:
        return None
    style = document.styles.element.get_by_id(ps.get(f"{W}val"))
    name = (style.name_val if style is not None else ps.get(f"{W}val")) or ""
    m = re.match(r"(?i)heading\s*(\d)|标题\s*(\d)", name)
    if m:
        return int(m.group(1) or m.group(2)) - 1
    return None


def docx_lines(document: Document) -> list[str]:
    numbering = _Numbering(document)
    style_counters: dict[int, int] = {}
    lines: list[str] = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{W}p":
            text = "".join(node.text or "" for node in el.iter(f"{W}t"))
            num = _num_pr(el, document)
            label = numbering.label(*num) if num else ""
            stripped = text.strip()
            if label and stripped and not HEADING_START_RE.match(stripped):
                text = label + stripped
            elif not label and stripped and not HEADING_START_RE.match(stripped):
                level = _heading_level(el, document)
                if level is not None and level < 4 and len(stripped) <= 40 and not is_title_line(stripped):
                    style_counters[level] = style_counters.get(level, 0) + 1
                    for deeper in [k for k in style_counters if k > level]:
                        del style_counters[deeper]
                    text = _STYLE_MARKERS[level](style_counters[level]) + stripped
            lines.append(text)
        elif el.tag == f"{W}tbl":
            for row in el.iter(f"{W}tr"):
                cells: list[str] = []
                for tc in row.iter(f"{W}tc"):
                    cell = "".join(node.text or "" for node in tc.iter(f"{W}t")).strip()
                    if cell and (not cells or cells[-1] != cell):
                        cells.append(cell)
                if cells:
                    lines.append("｜".join(cells))
    return lines
