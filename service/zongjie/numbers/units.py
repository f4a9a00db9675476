"""Units and measure words: which ones the finder recognises, how they normalise, which ones are comparable.

A figure is compared with a fact only when their units are compatible: 40人 is not 40户, 人 is not 人次, 个 is a
generic classifier that fits any countable thing except people, households, money, percentages and durations.
Scaled units (万元, 亿元, 万人次…) are reduced to their base unit so that 7.2万元 equals 72000元.
"""

from __future__ import annotations

from functools import lru_cache

from ..corpus.measure_words import GENRE_MEASURE_WORDS

# Measure words and units the finder attaches to a number (the genre's lexicon, kept with the corpus: the cleaner
# asks the same question — can a figure stand here? — when it tells page numbers from counts).
MEASURE_WORDS = GENRE_MEASURE_WORDS

# Scale prefixes a fact's unit may carry ("万元" = 10000 元).
SCALES = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百万": 1_000_000, "千万": 10_000_000, "十万": 100_000}

_CANONICAL = {
    "名": "人",
    "位": "人",
    "日": "天",
    "平米": "平方米",
    "千米": "公里",
    "千克": "公斤",
    "百分点": "个百分点",
    "个小时": "小时",
    "％": "%",
    "周岁": "岁",
    "人（次）": "人次",
    "人(次)": "人次",
    "户（次）": "户次",
    "户(次)": "户次",
}

# Units the generic classifier 个 must not stand in for.
_NOT_GENERIC = {
    "人",
    "人次",
    "户",
    "户次",
    "元",
    "%",
    "个百分点",
    "倍",
    "天",
    "小时",
    "年",
    "个月",
    "周",
    "分钟",
    "课时",
    "学时",
    "公里",
    "平方米",
    "米",
    "亩",
    "吨",
    "公斤",
    "斤",
    "岁",
    "度",
}


def canonical_unit(unit: str) -> str:
    unit = unit.strip()
    return _CANONICAL.get(unit, unit)


def split_scale(unit: str) -> tuple[float, str]:
    """'万元' → (10000, '元'); '万人次' → (10000, '人次'); '人' → (1, '人'); '万' alone → (10000, '')."""
    unit = unit.strip()
    for prefix in ("千万", "百万", "十万", "万", "亿", "千"):
        if unit.startswith(prefix) and unit != "千米" and unit != "千克" and unit != "千瓦时":
            rest = unit[len(prefix) :]
            if rest == "" or rest in MEASURE_WORDS or canonical_unit(rest) in _NOT_GENERIC or rest == "元":
                return float(SCALES[prefix]), canonical_unit(rest)
    return 1.0, canonical_unit(unit)


def to_base(value: float, unit: str) -> tuple[float, str]:
    """A fact's value in its base unit: (7.2, '万元') → (72000.0, '元')."""
    factor, base = split_scale(unit)
    return _clean_float(value * factor), base


def _clean_float(x: float) -> float:
    r = round(x, 6)
    return float(int(r)) if r == int(r) else r


@lru_cache(maxsize=4096)
def compatible(draft_unit: str, fact_unit: str) -> bool:
    """Can a figure written with ``draft_unit`` state a fact measured in ``fact_unit`` (both base units)?

    An empty draft unit (a bare number) is compatible with anything; the binding then rests on the words around it.
    """
    a, b = canonical_unit(draft_unit), canonical_unit(fact_unit)
    if not a or a == b:
        return True
    if "个" in (a, b):
        other = b if a == "个" else a
        return other not in _NOT_GENERIC
    return False
