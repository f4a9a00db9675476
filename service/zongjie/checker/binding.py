"""Which indicator a figure is attached to: the words around it compared with each fact's label.

The context of a mention is the text since the previous figure (or the sentence start, at most ``LEFT`` characters)
plus the words after it up to the next comma, figure or ``RIGHT`` characters. The score of a fact is the share of
its label's character bigrams found in that context: 1.0 when the label is written out next to the figure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..numbers import Mention

LEFT = 28
WEAK = 0.6
RIGHT = 14
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_LIST_SEP = re.compile(r"[，,、；;]")
_CLAUSE_END = re.compile(r"[，,。；;、！？!?\n：:（(]")
_NOISE = re.compile(r"[\s0-9０-９.．,，、：:；;。“”\"'‘’（）()《》【】\-—%％]")

# Words that say a figure is computed from others (totals, shares, changes).
AGGREGATE_WORDS = (
    "共",
    "合计",
    "总计",
    "累计",
    "总数",
    "总额",
    "总量",
    "占",
    "比例",
    "比重",
    "率",
    "增长",
    "增加",
    "减少",
    "下降",
    "提高",
    "其中",
    "平均",
    "人均",
)


@lru_cache(maxsize=4096)
def bigrams(text: str) -> frozenset[str]:
    t = _NOISE.sub("", text)
    if len(t) < 2:
        return frozenset([t]) if t else frozenset()
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def contexts(text: str, mentions: list[Mention]) -> list[tuple[str, str]]:
    """(left, right) context for each mention, not crossing the neighbouring figures; the words between the previous
    figure and the first separator after it are that figure's, not this one's."""
    out = []
    for i, m in enumerate(mentions):
        floor = mentions[i - 1].end if i else 0
        lo = max(floor, m.start - LEFT)
        left = text[lo : m.start]
        ends = [e.end() for e in _SENTENCE_END.finditer(left)]
        if ends:
            left = left[ends[-1] :]
        elif i and lo == floor:
            # 「10名“劳动模范”、30名“技能标兵”」: up to the first separator the words name the previous figure
            sep = _LIST_SEP.search(left)
            if sep:
                left = left[sep.end() :]
        ceiling = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        right = text[m.end : min(ceiling, m.end + RIGHT)]
        stop = _CLAUSE_END.search(right)
        if stop:
            right = right[: stop.start()]
        out.append((left, right))
    return out


_LABEL_TAILS = re.compile(r"(人数|数量|总数|次数|个数|户数|家数|金额|总额|总量|数)$")


def label_score(context: str, label: str, weak: bool = True) -> float:
    """Share of the label's bigrams present in the context; a label's generic tail (人数, 金额…) may be left out.
    A label of one bigram (会员, or 会员人数 reduced to 会员) names nearly every sentence of a summary: it scores at
    most ``WEAK`` (nothing with ``weak=False``)."""
    have = bigrams(context)
    best = 0.0
    for variant in {label, _LABEL_TAILS.sub("", label)}:
        want = bigrams(variant)
        if want:
            score = len(want & have) / len(want)
            if len(want) < 2:
                score = min(score, WEAK) if weak else 0.0
            best = max(best, score)
    return best


def is_aggregate(left: str) -> bool:
    return any(w in left[-10:] for w in AGGREGATE_WORDS)
