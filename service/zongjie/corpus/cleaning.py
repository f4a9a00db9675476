"""Clean text scraped from web pages, Word files and PDF extraction.

Contract: ``clean_text(text)`` returns a list of clean lines, one paragraph per line, with
- web boilerplate removed (site headers, posting dates, "预览阅读已结束…", "猜你喜欢" and what follows it,
  "小编…整理", collection titles such as "(精选4篇)", related-article lists, ads and contact lines);
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

from .inline import resegment
from .page_numbers import MEASURE_CHARS, footer_page, remove_glued_page_numbers, strip_page_numbers
from .patterns import (
    EXTENDED_READING_RE,
    HEADING_START_RE,
    PIECE_MARKER_RE,
    is_title_line,
)
from .script import repair_punctuation, to_simplified

__all__ = ["MEASURE_CHARS", "clean_text", "is_boilerplate", "remove_glued_page_numbers"]

HAN = r"\u4e00-\u9fff"
_CJK_CHAR = re.compile(rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’]")

# Lines that are web-page furniture, never part of a summary, whatever their length.
_BOILERPLATE_LINE_RES = [
    re.compile(p)
    for p in (
        r"内容页$",
        r"^\s*(首页|当前位置|您的位置|位置)\s*[:：>]",
        r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?",  # posting date/time
        r"^\s*(发布|更新|来源|作者|编辑|责任编辑|浏览|阅读|点击)(时间|日期|次数|量)?\s*[:：]",
        r"小编",
        r"范文",
        r"希望(能够|能|可以)?(对|为)?(大家|您|你)",
        r"(热门|精选|推荐|优秀|通用|最新|实用|汇总|合集|集锦|大全)\s*\d*\s*篇",
        r"[(（]\s*\d+\s*篇\s*[)）]",
        r"^\s*《[^》]*》\s*$",
        r"相关(文章|推荐|阅读|内容|范文)",
        r"(上一篇|下一篇|返回列表|返回首页|打印本页|关闭窗口|收藏本页|分享到|加入收藏)",
        r"(版权所有|免责声明|联系删除|转载请注明|代笔|联系老师|会员专享|预览阅读)",
        r"[👉👈☞]",
        r"^\s*(广告|推广|赞助)\s*[:：]?",
        r"^\s*(TAGS?|标签)\s*[:：]",
    )
]
# Words that mark furniture only on a short line: a real paragraph may well mention 微信 or 下载.
_SHORT_BOILERPLATE_RE = re.compile(
    r"(https?://|www\.|\.com\b|\.cn\b|点击|扫码|扫一扫|关注公众号|下载|复制|全文|客服|微信|QQ|VIP|本站|本网|侵权|[★☆▲▼●◆])"
)
_SHORT = 50

# A line after which the rest of the page (up to the next document separator) is furniture.
_TAIL_START_RE = re.compile(r"(预览阅读已结束|猜你喜欢|相关文章|相关推荐|热门推荐|推荐阅读|精选相关文章|更多相关)")

_PAGE_LINE_RE = re.compile(
    r"^\s*([-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)

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


def is_boilerplate(line: str, in_prose: bool = False) -> bool:
    """Web furniture. ``in_prose``: the line is a piece of a hard-wrapped paragraph (as wide as the wrap width, or a
    heading, or ending a sentence), so a short line that mentions 微信 or 下载 is prose, not an advert."""
    if _is_separator(line):
        return False
    if not in_prose and len(line) <= _SHORT and _SHORT_BOILERPLATE_RE.search(line):
        return True
    return any(r.search(line) for r in _BOILERPLATE_LINE_RES)


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


def clean_text(text: str) -> list[str]:
    """Return clean paragraphs (one per line) from raw extracted text. See the module docstring."""
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
    for line, shape in zip(raw, shapes, strict=True):
        if not line:
            lines.append("")
            kept_shapes.append("")
            continue
        if _is_separator(line):
            in_tail = False
        elif in_tail:
            continue
        if _TAIL_START_RE.search(line) and not _is_separator(line):
            in_tail = True
            continue
        in_prose = bool(raw_full and raw_full(shape)) or bool(HEADING_START_RE.match(line)) or line[-1] in "。；"
        if _PAGE_LINE_RE.match(line):
            page = footer_page(line)
            if page is not None:
                footers.append((len(lines), page))
            continue
        if is_boilerplate(line, in_prose):
            continue
        lines.append(line)
        kept_shapes.append(shape)
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
    return resegment(paragraphs)
