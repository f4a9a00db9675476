"""Where a figure stands in a draft and how its sentence presents it: the part (body / problems / plans) and the
cues that say a statement looks forward, names a shortcoming, or speaks of last year.

``draft_parts(text, default, spans)`` follows the heading ladder of a draft (一、 / （一） / 1. …; a sub-heading
inherits a problems or plans part from its parent) and returns the part of every line; text before the first
heading, or a text with no headings, has the ``default`` part (the role of the section being checked, or
``body``). Callers that know the sections (a parsed summary, a stored draft) pass them as ``spans``. Markdown
headings (an exported draft, or one pasted into an edit: 「## 六、2025年工作打算」, 「### 工作打算」) are headings
too: their ``#`` count is their level when they carry no ladder marker.

Cues are read from the sentence a figure stands in (``sentence_at``): ``forward`` (明年、下一步、力争、计划…,
unless the sentence says the thing was done: 完成、实现、已…), ``problem`` (仍有、尚未、不足…). Whether a figure is
presented as last year's, as a change, or as this period's level is decided by ``presentation``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

from ..corpus.patterns import match_heading

Part = Literal["body", "problems", "plans"]
Presentation = Literal["level", "prior", "change"]


def part_of_role(role: str) -> Part:
    """The part of the draft a section with this role stands in: problems, plans, or body (anything else)."""
    return "problems" if role == "problems" else "plans" if role == "plans" else "body"


_PROBLEM_TITLE = re.compile(r"问题|不足|差距|短板|薄弱|困难和|存在的")
_PLAN_TITLE = re.compile(
    r"打算|计划|思路|要点|安排|下一步|明年|来年|今后|展望|设想|重点工作|努力方向|目标任务|工作措施|目标"
)
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")

_FUTURE_STRONG = re.compile(
    r"明年|来年|下一步|下一年|今后|未来|新的一年|力争|争取|计划|拟|打算|预计|将(?=继续|进一步|全面|着力|重点|大力|"
    r"积极|持续|加快|加强|推动|推进|深入|不断|力争|争取|在|于|开展|组织|举办|实现|完成|新建|建成|建设|新增|发展|投入|"
    r"覆盖|达到|围绕|以|把|对|做|抓|启动|实施|筹建|扩大|提高|提升)|准备|要(?=继续|进一步|着力|重点|加快|加强|推动|"
    r"实现|完成|新建|建成|新增|发展|达到|确保|力争|争取|全面|坚持|切实|认真|积极|大力|深入|不断|努力|提高|提升|扩大|"
    r"健全|完善|建立|组织|开展|举办|抓好|做好|把|在|以)"
)
_FUTURE_WEAK = re.compile(r"目标|确保|努力|力求|有望")
_DONE = re.compile(r"完成|实现|达到|达成|超额|已经|已|建成|累计|共计|全年|圆满|如期|顺利")
_PROBLEM_CUE = re.compile(  # not 困难: 困难职工 is in every summary
    r"仍有|还有|尚有|尚未|仍然|仍|尚|不足|欠缺|差距|短板|薄弱|问题|有待|不够|不高|偏低|偏少|滞后|缺乏|不到位|"
    r"未能|没有|只有|仅有"
)

# How a figure relates to last year.
_PRIOR_CUE = re.compile(r"(?:去年|上年|上一年|前一年|上年度|上一年度|同期|往年)(?!以来)")
_TO_AT_END = re.compile(
    r"(?:增至|增加到|增长到|增加至|增长至|提高到|提高至|提升到|提升至|上升到|上升至|达到|达|降至|降到|下降到|下降至|"
    r"减少到|减少至|降低到|降低至|扩大到|扩大至|发展到|发展至|升至)(?:了)?(?:近|约|超过|逾|将近)?$"
)
_CURRENT_CUE = re.compile(r"今年|本年度|本年|当年|本期|目前|现有|截至|截止")
_COMPARE = re.compile(r"同比|环比|较|比|相比|相较|对比")
_UP = "增长|增加|提高|提升|上升|上涨|增多|扩大|多|增"
_DOWN = "下降|减少|降低|回落|减|少|缩小|下滑"
_CHANGE_AT_END = re.compile(rf"(?:{_UP}|{_DOWN}|增幅|涨幅|降幅|减幅)(?:了|为|达|是)?(?:近|约|超过|逾|不到|将近)?$")
_CHANGE_DOWN_AT_END = re.compile(rf"(?:{_DOWN}|降幅|减幅)(?:了|为|达|是)?(?:近|约|超过|逾|不到|将近)?$")
_FROM = re.compile(r"(?:由|从)$")
_TO_AFTER = re.compile(
    r"^[^，。；;！？!?\n]{0,12}?(?:增至|增加到|增长到|增加至|增长至|提高到|提高至|提升到|提升至|上升到|上升至|"
    r"下降到|下降至|降至|降到|减少到|减少至|降低到|降低至|达到|变为|扩大到|扩大至|缩小到|缩小至|发展到|发展至|升至)"
)


class Parts:
    """The part of every line of a text (read from its headings on first use), unless an explicit span says
    otherwise."""

    def __init__(self, text: str, default: Part = "body", spans: list[tuple[int, int, Part]] | None = None):
        self._text = text
        self._default: Part = default
        self.spans = tuple(spans or ())
        self._lines: tuple[list[int], list[Part]] | None = None

    def at(self, offset: int) -> Part:
        for start, end, part in self.spans:
            if start <= offset < end:
                return part
        if self._lines is None:
            self._lines = _line_parts(self._text, self._default)
        starts, roles = self._lines
        i = bisect_right(starts, offset) - 1
        return roles[i] if i >= 0 else roles[0]


def title_part(title: str) -> Part:
    if _PROBLEM_TITLE.search(title):
        return "problems"
    if _PLAN_TITLE.search(title):
        return "plans"
    return "body"


_MARKER_START = re.compile(r"\s*[（(0-9０-９一二三四五六七八九十百零〇第①②③④⑤⑥⑦⑧⑨⑩]")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")


def _heading_title(line: str) -> tuple[str, str] | None:
    """(style, title) when the line is a heading: a ladder marker then a short title (or a title and its text), or
    a Markdown heading (its ladder marker, if any, gives its style; else its ``#`` count)."""
    md = _MARKDOWN_HEADING.match(line)
    if md:
        rest = line[md.end() :].strip()
        return _heading_title(rest) or (f"md{len(md.group(1))}", rest[:40])
    if not _MARKER_START.match(line):
        return None
    h = match_heading(line.strip())
    if h is None:
        return None
    style, _, m = h
    rest = line.strip()[m.end() :].strip()
    cut = re.search(r"[。：:；;！？]", rest)
    title = rest[: cut.start()] if cut else rest
    if len(title) > 40:
        return None
    return style, title


def draft_parts(text: str, default: Part = "body", spans: list[tuple[int, int, Part]] | None = None) -> Parts:
    """Parts from the heading ladder; ``spans`` (start, end, part), when given, take precedence where they lie."""
    return Parts(text, default, spans)


def _line_parts(text: str, default: Part) -> tuple[list[int], list[Part]]:
    starts: list[int] = []
    roles: list[Part] = []
    stack: list[tuple[str, Part]] = []
    pos = 0
    seen_text = False
    for line in text.split("\n"):
        # a Markdown document's leading 「# …」 line is its title, not a part (「…总结和明年打算」 names both)
        h = None if not seen_text and line.lstrip().startswith("# ") else _heading_title(line)
        seen_text = seen_text or bool(line.strip())
        if h is not None:
            style, title = h
            styles = [s for s, _ in stack]
            if style in styles:
                del stack[styles.index(style) :]
            own = title_part(title)
            inherited = stack[-1][1] if stack else "body"
            stack.append((style, own if own != "body" else inherited))
        starts.append(pos)
        roles.append(stack[-1][1] if stack else default)
        pos += len(line) + 1
    return starts or [0], roles or [default]


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。；！？ or line ends) holding text[start:end]."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    close = _SENTENCE_END.search(text, end)
    return lo, (close.start() if close else len(text))


def forward(sentence: str) -> bool:
    """The sentence speaks of what is to be done (a plan or target), not of what was done."""
    if _FUTURE_STRONG.search(sentence):
        return True
    return bool(_FUTURE_WEAK.search(sentence)) and not _DONE.search(sentence)


def problem(sentence: str) -> bool:
    return bool(_PROBLEM_CUE.search(sentence))


def presentation(before: str, after: str, prev_end_in_sentence: str) -> tuple[Presentation, int]:
    """How the figure is presented, from the sentence text ``before`` it (from the sentence start) and ``after`` it
    (to the sentence end); ``prev_end_in_sentence`` is the text since the previous figure.

    Returns ("change", +1/-1) for a change against last year (比上年增加20人, 同比下降3%), ("prior", 0) for last
    year's value (去年为300人, 上年同期300人, 由300人增至320人), ("level", 0) for this period's value.
    """
    local = prev_end_in_sentence
    if _CHANGE_AT_END.search(local) and (_COMPARE.search(before) or _PRIOR_CUE.search(before)):
        return "change", (-1 if _CHANGE_DOWN_AT_END.search(local) else 1)
    if _FROM.search(local.rstrip()) and _TO_AFTER.search(after):
        return "prior", 0
    if _TO_AT_END.search(local):  # 较上年增长到320人: the level reached
        return "level", 0
    prior_at = max((m.end() for m in _PRIOR_CUE.finditer(local)), default=-1)
    current_at = max((m.end() for m in _CURRENT_CUE.finditer(local)), default=-1)
    if prior_at > current_at:
        return "prior", 0
    return "level", 0


def change_direction(local: str) -> int:
    """+1 for 增长/提高…, -1 for 下降/减少…, 0 when the words before the figure say neither."""
    if _CHANGE_DOWN_AT_END.search(local):
        return -1
    if _CHANGE_AT_END.search(local):
        return 1
    return 0
