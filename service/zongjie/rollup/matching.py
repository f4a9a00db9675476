"""Which metrics of different units are one figure: by indicator key, else by normalised label and a compatible
unit of measure; and near-matches (labels worded a little differently) proposed for the clerk to confirm.

Units of measure are compared with the project's own unit code (``numbers.units``): 名 = 人, 万元 is 元 scaled by
10000, 人次 is not 人.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from ..numbers.units import MEASURE_WORDS, compatible, split_scale
from .indicators import IndicatorList

_NOISE = re.compile(r"[\s、，,。．.：:；;（）()【】\[\]“”\"'‘’·\-—_/　]+")
_UNIT_SUFFIX = re.compile(r"\s*\(([^()]{1,4})\)\s*$")  # 「发放慰问金（万元）」: a spreadsheet header's unit
_DIGITS = re.compile(r"\d+|[一二三四五六七八九十百千万]+")
NEAR = 0.75  # similarity from which two labels are proposed as one metric


@lru_cache(maxsize=16384)
def normalise_label(label: str) -> str:
    """The label as compared: NFKC (full-width → half-width), lower case, no unit in brackets at its end, no
    spaces or punctuation."""
    text = unicodedata.normalize("NFKC", label).lower()
    m = _UNIT_SUFFIX.search(text)
    if m and split_scale(m.group(1))[1] in (*MEASURE_WORDS, "元", "%"):
        text = text[: m.start()]
    return _NOISE.sub("", text)


@lru_cache(maxsize=1024)
def measure(unit: str) -> tuple[Decimal, str]:
    """A unit of measure as (scale, base unit): '万元' → (10000, '元'); '名' → (1, '人')."""
    factor, base = split_scale(unit)
    return Decimal(int(factor)) if factor == int(factor) else Decimal(str(factor)), base


def same_measure(a: str, b: str) -> bool:
    """Can values in base units ``a`` and ``b`` be added up? (人次 ≠ 人; 个 and 家 count the same things)."""
    return a == b or (compatible(a, b) and compatible(b, a))


def label_key(label: str) -> str:
    return "l:" + normalise_label(label)


def indicator_key(key: str) -> str:
    return "k:" + key


def match_key(label: str, indicator: str | None, indicators: IndicatorList | None, by_label: dict[str, str]) -> str:
    """The key a metric is rolled under: its indicator's, or an indicator whose label reads the same, or its label.

    ``by_label`` maps normalised indicator labels to indicator keys (built once per roll-up).
    """
    if indicator is not None and indicators is not None and indicators.get(indicator) is not None:
        return indicator_key(indicator)
    norm = normalise_label(label)
    if norm in by_label:
        return indicator_key(by_label[norm])
    return "l:" + norm


def similarity(a: str, b: str) -> float:
    """How alike two normalised labels are (0–1); one label containing the other counts as at least 0.8."""
    if not a or not b:
        return 0.0
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.5:
        return 0.0
    ratio = m.ratio()
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and short in long_:
        ratio = max(ratio, 0.8)
    return ratio


@dataclass
class Group:
    """The metrics rolled under one key, as the matcher sees them before summing."""

    key: str
    label: str
    base: str  # the base unit of measure the group is summed in
    units: list[str] = field(default_factory=list)
    keyed: bool = False

    @property
    def weight(self) -> tuple[int, int]:
        return (1 if self.keyed else 0, len(self.units))


@dataclass(frozen=True)
class NearMatch:
    source: Group
    target: Group
    score: float


def near_matches(groups: list[Group]) -> list[NearMatch]:
    """For every label group, the group it most likely is, if any: one that is keyed or reported by more units,
    with a compatible unit of measure and a label alike enough (labels that differ in their digits never are:
    「第二期培训」 is not 「第三期培训」)."""
    targets = [t for t in groups if t.keyed or len(t.units) > 1]
    norms = {t.key: normalise_label(t.label) for t in targets}
    out = []
    for g in groups:
        if g.keyed:
            continue
        norm = g.key[2:]
        digits = _DIGITS.findall(norm)
        best: NearMatch | None = None
        for t in targets:
            if t is g or t.weight <= g.weight or not same_measure(g.base, t.base):
                continue
            if _DIGITS.findall(norms[t.key]) != digits:
                continue
            score = similarity(norm, norms[t.key])
            if score >= NEAR and (best is None or score > best.score):
                best = NearMatch(g, t, round(score, 2))
        if best is not None:
            out.append(best)
    return out


def confirmation(source_label: str, target_label: str, indicators: IndicatorList | None) -> tuple[str, str]:
    """A near-match confirmed by labels (「新发展会员人数」 is 「新发展会员」) as (source key, target key)."""
    by_label = {normalise_label(i.label): i.key for i in indicators.indicators} if indicators else {}
    return label_key(source_label), match_key(target_label, None, indicators, by_label)
