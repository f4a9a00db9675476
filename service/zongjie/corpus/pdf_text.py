"""Text of a PDF, read as a person reads the page: no page furniture, wrapped lines joined, tables as rows.

Contract: ``pdf_text(path)`` returns the text of a PDF's text layer (pdfplumber, which keeps quotation marks and
CJK runs in reading order where pypdf often does not), one paragraph per line:
- **page furniture** is dropped: page-number lines at the top or bottom of a page (「3」「- 3 -」「— 3 —」「第 3 页」
  「第3页 共9页」「3/9」「Page 3 of 9」), and running headers and footers — a line among the first or last two of a
  page that recurs (digits aside) on at least half of the pages and on two or more. Only one line per page is
  dropped for each repeated line, so a title printed under a running header that repeats it stays;
- **wrapped lines are joined**: a line that reaches the right margin of the text block (within about one character,
  measured in the line's own font size, so a heading in a bigger font counts too) continues on the next line in
  the same font size, also across a page break — unless it ends a sentence;
- **tables** become one line per row, 「cell｜cell｜cell」, where the table stands on the page.
``join_pages(pages)`` applies the furniture rule to plain page texts (for other extractors).
Raises whatever pdfplumber raises on a broken file; ``reading`` turns that into a user message.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pdfplumber.page import Page

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?|\d{1,4})\s*$"
)
EDGE = 2
_TERMINAL = "。！？；：!?;:…"


@dataclass
class Line:
    text: str
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    table: bool = False


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    edges: Counter[str] = Counter()
    for lines in pages:
        content = [i for i, ln in enumerate(lines) if ln.text.strip()]
        edges.update({_key(lines[i].text) for i in content[:EDGE] + content[-EDGE:]} - {""})
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in edges.items() if n >= threshold} if len(pages) >= 2 else set()
    out = []
    for lines in pages:
        content = [i for i, ln in enumerate(lines) if ln.text.strip()]
        edge = set(content[:EDGE] + content[-EDGE:])
        dropped: set[str] = set()
        kept = []
        for i, ln in enumerate(lines):
            if i in edge and _PAGE_NUMBER_RE.match(ln.text):
                continue
            key = _key(ln.text)
            if i in edge and key in repeated and key not in dropped:
                dropped.add(key)
                continue
            kept.append(ln)
        out.append(kept)
    return out


def join_pages(pages: list[str]) -> str:
    cleaned = drop_furniture([[Line(t) for t in page.splitlines()] for page in pages])
    return "\n".join(ln.text for lines in cleaned for ln in lines)


def _page_lines(page: Page) -> list[Line]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    items: list[tuple[float, Line]] = []
    for ln in page.filter(outside).extract_text_lines(return_chars=True):
        sizes = sorted(c.get("size", 0.0) for c in ln.get("chars", [])) or [0.0]
        items.append((ln["top"], Line(ln["text"], ln["x0"], ln["x1"], sizes[len(sizes) // 2])))
    for t in tables:
        for row, cells in zip(t.rows, t.extract(), strict=False):
            texts: list[str] = []
            for cell in cells:
                c = re.sub(r"\s+", "", cell or "")
                if c and (not texts or texts[-1] != c):
                    texts.append(c)
            if texts:
                items.append((row.bbox[1], Line("｜".join(texts), table=True)))
    items.sort(key=lambda it: it[0])
    return [ln for _, ln in items]


def _join_wrapped(lines: list[Line]) -> list[str]:
    body = [ln for ln in lines if not ln.table and ln.text.strip()]
    if not body:
        return [ln.text for ln in lines]
    right = max(ln.x1 for ln in body)
    at_margin = sum(1 for ln in body if ln.x1 >= right - 1.2 * (ln.size or 10.0))
    if at_margin < max(3, len(body) // 7):  # no justified block: nothing is known to be wrapped
        return [ln.text.strip() for ln in lines if ln.text.strip()]
    out: list[str] = []
    carry = False
    prev_size = 0.0
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if carry and not ln.table and abs(ln.size - prev_size) <= 0.5:  # a wrapped line goes on in its own font
            out[-1] += text
        else:
            out.append(text)
        prev_size = ln.size
        tolerance = 1.2 * (ln.size or 10.0)
        carry = not ln.table and ln.x1 >= right - tolerance and text[-1] not in _TERMINAL
    return out


def pdf_text(path: str | Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [_page_lines(page) for page in pdf.pages]
    lines = [ln for page in drop_furniture(pages) for ln in page]
    return "\n".join(_join_wrapped(lines))
