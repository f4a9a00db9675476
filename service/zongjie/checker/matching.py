"""Whether a draft's figure states a fact's value: the check policy, value matching, confusable units.

Contract: ``value_matches(mention, fact_figure, policy)`` takes a figure read from the draft (``numbers.Mention``)
and one figure of the facts index and returns whether the figure states that value — exactly, rounded at its
written precision when ``policy.allow_rounding``, or as an approximation containing it; an open-ended fact (300人以上)
only by its own figure; a blank fact never. ``confusable(a, b)`` says whether unit ``a`` could have been written
for unit ``b`` (人 for 户; money never for a count). ``same_value`` is the float equality every comparison uses.
Pure functions of their arguments; nothing is cached but ``confusable``'s answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ..numbers import Mention
from .facts_index import FactFigure


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    """How strict the comparison is. Declared in settings; the defaults are what an editor expects.

    ``allow_rounding``: an exact figure may round a fact at its written precision (323万 for 323.062万元;
    15% for 15.4%; a 同比 percentage at the draft's own precision instead of one decimal place).
    ``bind_min``: label score from which the context is taken to name a fact.
    ``bind_margin``: how much better another fact must be named to call a matching value misattributed.
    ``exempt_year_span``: years within this many years of the period year need no support (今年, 明年, 上年).
    """

    allow_rounding: bool = False
    bind_min: float = 0.6
    bind_margin: float = 0.25
    exempt_year_span: int = 1
    derive_max_terms: int = 3


def same_value(a: float, b: float) -> bool:
    """Equal up to floating-point noise (values in base units: 7.2万元 is 72000.0000001 after conversion)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def value_matches(m: Mention, f: FactFigure, policy: CheckPolicy) -> bool:
    """Does the figure state the fact? An exact figure must equal it (or round it, if allowed); an approximation
    must contain the fact's value; an open-ended fact (300人以上) is stated only by its own figure."""
    if m.value is None or math.isnan(f.value):
        return False
    lo = m.lo if m.lo is not None else -math.inf
    hi = m.hi if m.hi is not None else math.inf
    if f.open_ended:
        return same_value(m.value, f.value) and lo >= f.lo - 1e-9 and hi <= f.hi + 1e-9
    if f.approximate and same_value(m.value, f.value):  # 约3000 written 3000余, 数千 for a fact noted as 数千 (1000)
        return True
    if m.approx is None:
        if f.approximate:
            return False
        if same_value(m.value, f.value):
            return True
        if policy.allow_rounding:
            return same_value(round(f.value / m.scale, m.decimals), m.value / m.scale)
        return False
    return lo - 1e-9 <= f.value <= hi + 1e-9


# Unit families: a figure can be a mistaken statement of a fact in another unit of its family (40人 for 40户, 5% for
# 5个百分点), never of a fact in another family (10万元 is not a wrong count of 56户).
_FAMILIES = (
    frozenset({"人", "人次", "户", "户次", "家", "家次", "个", "所"}),  # who was reached: people, households, units
    frozenset({"次", "场", "场次", "期", "批", "批次", "轮", "届", "项", "个"}),  # how often
    frozenset({"%", "个百分点", "倍", "成"}),
    frozenset({"天", "小时", "年", "个月", "周", "分钟", "课时", "学时"}),
)


@lru_cache(maxsize=1024)
def confusable(a: str, b: str) -> bool:
    """Could a writer have put unit ``a`` where the fact has unit ``b``? Money never stands for a count."""
    return any(a in f and b in f for f in _FAMILIES)
