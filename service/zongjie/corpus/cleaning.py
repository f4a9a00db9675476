"""Clean text scraped from web pages, Word files and PDF extraction.

Contract: ``clean_text(text)`` returns a list of clean lines, one paragraph per line, with
- web furniture removed from inside each line, never the line around it (``furniture.furniture_spans``: site
  headers, posting dates, "小编…整理", collection titles such as "(精选4篇)", notices, ads; "猜你喜欢" and what
  follows it once the text has begun); text on either side of a furniture sentence stands on lines of its own;
  ``clean_source`` also returns every span dropped (``DroppedSpan``: class and place in the text as read);
- page numbers that PDF extraction glued into sentences removed ("促进3构建" → "促进构建",
  "72011年工作总体安排" → "2011年工作总体安排") and page-number lines dropped;
- lines broken in mid-sentence joined back, while headings and titles stay on their own line;
- stray spaces between Chinese characters removed and half-width punctuation in Chinese context made full-width.

Document separators (``… 篇2`` titles and ``扩展阅读:`` lines) are kept: ``splitting`` consumes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .document import DroppedSpan
from .furniture import furniture_spans, tail_start
from .inline import resegment
from .page_numbers import MEASURE_CHARS, footer_page, remove_glued_page_numbers, strip_page_numbers
from .patterns import (
    EXTENDED_READING_RE,
    HEADING_START_RE,
    PIECE_MARKER_RE,
    is_title_line,
)
from .script import repair_punctuation, to_simplified
from .source_map import SourceMap

__all__ = ["MEASURE_CHARS", "Cleaned", "clean_source", "clean_text", "remove_glued_page_numbers"]

HAN = r"\u4e00-\u9fff"
_CJK_CHAR = re.compile(rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’]")

_PAGE_LINE_RE = re.compile(
    r"^\s*([-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)

_TAIL_AFTER = 200  # characters kept (or one sentence) before a 「猜你喜欢」 can open the page's tail
_TERMINAL = "。！？；：!?;:…」』"
_SPACE_RE = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u200b]+")


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\ufeff", "")
    line = re.sub(r"^\s*#{1,6}\s+", "", line).replace("**", "")  # Markdown headings and emphasis
    line = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in line)  # full-width digits
    # Spaces count only between two ASCII letters/digits ("5 G", "Word 2010"); elsewhere they are extraction noise.
    line = _SPACE_RE.sub(lambda m: _keep_space(line, m), line).strip()
    return _fullwidth_punct(line)


def _keep_space(line: str, m: re.Match[str]) -> str:
    before = line[m.start() - 1] if m.start() > 0 else ""
    after = line[m.end()] if m.end() < len(line) else ""
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return " "
    if (
        before.isascii()
        and after.isascii()
        and before
        and after
        and not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after))
    ):
        return " "
    return ""


def _fullwidth_punct(line: str) -> str:
    if not re.search(rf"[{HAN}]", line):
        return line
    # parentheses with Chinese inside or next to them
    line = re.sub(
        r"\(([^()]{0,120})\)",
        lambda m: f"（{m.group(1)}）" if re.search(rf"[{HAN}]", m.group(1)) or _near_han(line, m) else m.group(0),
        line,
    )
    out = []
    for i, ch in enumerate(line):
        prev = line[i - 1] if i else ""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if ch in ",:;?!" and not (prev.isdigit() and nxt.isdigit()):
            ch = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}[ch]
        out.append(ch)
    return "".join(out)


def _near_han(line: str, m: re.Match[str]) -> bool:
    before = line[m.start() - 1] if m.start() else ""
    after = line[m.end()] if m.end() < len(line) else ""
    return bool(re.match(rf"[{HAN}]", before) or re.match(rf"[{HAN}]", after))


def _without_furniture(line: str, in_prose: bool, drop: Callable[[str, str], None]) -> list[tuple[str, bool]]:
    """The line without its furniture, as (piece, whole line kept): the furniture inside a line goes, never the line
    around it. Text on either side of a furniture sentence stands on lines of their own (a page whose line breaks
    were lost gets them back where its furniture stood); a site name inside a title (「…总结范文」) just goes."""
    if _is_separator(line):
        return [(line, True)]
    spans = furniture_spans(line, in_prose)
    if not spans:
        return [(line, True)]
    pieces: list[tuple[str, bool]] = []
    pos = 0
    buf = ""
    for a, b, rule in spans:
        buf += line[pos:a]
        drop(line[a:b], rule)
        if rule != "site_name" and buf.strip():
            pieces.append((buf.strip(), False))
            buf = ""
        pos = b
    buf += line[pos:]
    if buf.strip():
        pieces.append((buf.strip(), False))
    return pieces


def _is_separator(line: str) -> bool:
    return bool(
        (PIECE_MARKER_RE.search(line) and not re.search(r"[(（]\s*\d+\s*篇\s*[)）]", line))
        or EXTENDED_READING_RE.match(line)
    )


def _standalone(line: str) -> bool:
    """A line that must not be joined with the next one: a short heading, a title, a date signature."""
    if _is_separator(line) or is_title_line(line) or "｜" in line:  # a table row (cell｜cell) stands alone
        return True
    if re.fullmatch(r"[\d*xX×_]{2,4}年\d{0,2}月?(\d{1,2}日)?", line):
        return True
    if HEADING_START_RE.match(line) and (len(line) <= 40 or line[-1] in _TERMINAL):
        return True
    # a short line without any inner punctuation reads as an unnumbered heading ("2012年工作思路和要点")
    return len(line) <= 30 and not re.search(r"[，。、；：,;:]", line)


def _width(line: str) -> float:
    """Visual width in full-width characters (ASCII letters and digits are half as wide)."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in line)


def _wrap_at(widths: list[float]) -> float | None:
    widths = sorted(widths)
    if len(widths) < 6:
        return None
    top = widths[int(len(widths) * 0.9)]
    full = [w for w in widths if top - 1.5 <= w <= top + 0.5]
    return top if len(full) >= max(5, len(widths) // 4) else None


def wrap_measure(lines: list[str]) -> Callable[[str], bool] | None:
    """How a hard-wrapped text (PDF text layer, e-mail, fixed columns) measures its lines, or None when it is not
    hard-wrapped: a function telling whether a line is full (at least a quarter of the lines, and five, end within
    1.5 characters of the widest common width — measured visually as a PDF wraps, or in characters)."""
    long = [line for line in lines if len(line) >= 12]
    tests: list[tuple[Callable[[str], float], float]] = []
    for measure in (_width, len):
        top = _wrap_at([measure(line) for line in long])
        if top is not None:
            tests.append((measure, top))
    if not tests:
        return None
    return lambda line: any(measure(line) >= top - 1.5 for measure, top in tests)


@dataclass
class Cleaned:
    """Clean paragraphs of one file and the furniture taken out of it (placed in the text as read)."""

    paragraphs: list[str]
    dropped: list[DroppedSpan] = field(default_factory=list)


def clean_text(text: str) -> list[str]:
    """Return clean paragraphs (one per line) from raw extracted text. See the module docstring."""
    return clean_source(text).paragraphs


def clean_source(text: str, source_map: SourceMap | None = None) -> Cleaned:
    """Clean paragraphs and the furniture dropped, each span placed in ``text`` (see the module docstring)."""
    smap = source_map or SourceMap(text)
    dropped: list[DroppedSpan] = []
    cursor = 0

    def drop(piece: str, rule: str) -> None:
        nonlocal cursor
        if not piece.strip():
            return
        at = smap.find(piece, cursor) or smap.find(piece)  # furniture within a line is found in its order
        dropped.append(DroppedSpan(start=at[0] if at else None, end=at[1] if at else None, rule=rule, text=piece))
        if at:
            cursor = at[1]

    text = to_simplified(text)
    # the shape of each line as it stood (for measuring hard wraps: 「，，」 collapsed below still took room)
    shapes = [
        _normalise_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    ]
    raw = [repair_punctuation(line) for line in shapes]
    raw_full = wrap_measure(shapes)
    lines: list[str] = []
    footers: list[tuple[int, int]] = []  # page-number lines dropped: (the line they stood before, the page)
    in_tail = False
    kept_shapes: list[str] = []
    kept_chars = 0
    began = False  # the text has begun: a sentence, or 200 characters, kept
    for line, shape in zip(raw, shapes, strict=True):
        if not line:
            lines.append("")
            kept_shapes.append("")
            continue
        if _is_separator(line):
            in_tail = False
        elif in_tail:
            drop(line, "tail")
            continue
        tail = tail_start(line) if not _is_separator(line) else None
        if tail is not None and not began:
            # a page's tail comes after its text: 「相关推荐」 above the summary is a menu item or part of a notice
            if len(line) <= 20:
                drop(line, "menu")
                continue
            # in a run-on page: only the cue's words go (「- 相关推荐县教育局工会工作总结…」)
            cue = re.match(r"[-–\s]*\S{2,6}", line[tail:])
            cue_end = tail + (cue.end() if cue else 0)
            drop(line[tail:cue_end], "menu")
            line, shape = (line[:tail] + line[cue_end:]).strip(), shape
            tail = None
        if tail is not None:
            in_tail = True
            drop(line[tail:], "tail")
            line = line[:tail].strip()
            shape = shape[: len(line)]
            if not line:
                continue
        in_prose = bool(raw_full and raw_full(shape)) or bool(HEADING_START_RE.match(line)) or line[-1] in "。；"
        if _PAGE_LINE_RE.match(line):
            page = footer_page(line)
            if page is not None:
                footers.append((len(lines), page))
            drop(line, "page_number")
            continue
        for piece, kept in _without_furniture(line, in_prose, drop):
            lines.append(piece)
            kept_shapes.append(shape if kept else piece)
            kept_chars += len(piece)
            began = began or "。" in piece or kept_chars >= _TAIL_AFTER
    lines = strip_page_numbers(lines, footers)

    # join lines broken in mid-sentence (a hard-wrapped text: every line as wide as the wrap width)
    is_full = wrap_measure(kept_shapes)
    paragraphs: list[str] = []
    pending = ""
    pending_full = False
    for line, shape in zip(lines, kept_shapes, strict=True):
        if not line:
            if pending:
                paragraphs.append(pending)
                pending = ""
            continue
        if pending and pending_full and pending[-1] not in _TERMINAL and not _is_separator(line):
            pending += line
            pending_full = bool(is_full and is_full(shape))
            continue
        if (
            pending
            and not _standalone(pending)
            and pending[-1] not in _TERMINAL
            and not _is_separator(line)
            and not HEADING_START_RE.match(line)
            and not is_title_line(line)
            and "｜" not in line
        ):
            pending += line
            pending_full = bool(is_full and is_full(shape))
            continue
        if pending:
            paragraphs.append(pending)
        pending = line
        pending_full = bool(is_full and is_full(shape))
    if pending:
        paragraphs.append(pending)
    return Cleaned(resegment(paragraphs), dropped)
