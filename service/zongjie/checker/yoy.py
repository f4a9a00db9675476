"""Year on year: a change against last year checked against a metric's value and prior-period value.

Forms: 同比增长/下降 X% (relative change, to one decimal place unless the rounding policy lets the draft's own
precision decide), 增加/减少 N (difference in the metric's unit, scaled: 比上年增加1.2万元), 提高/下降 N 个百分点
(difference of a rate in %), 增长N倍 (ratio − 1) and 是上年的N倍 / 翻一番 (ratio). Approximations (增长近7%) are
ranges that must contain the computed change. The direction of the words must agree with the sign.

``actual_change(mention, anchor)`` gives (the change in the figure's terms, how it was computed) or None when the
figure cannot be a change of that metric (incompatible units, no prior, prior 0 for a ratio); ``change_matches``
compares it with the figure read in the direction of its words.
"""

from __future__ import annotations

import math

from ..factsheets.model import format_value
from ..numbers import Mention
from ..numbers.units import compatible
from .facts_index import FactFigure


def _num(x: float) -> str:
    return format_value(round(x, 4))


def actual_change(m: Mention, anchor: FactFigure) -> tuple[float, str] | None:
    """The change of the anchor metric in the terms of ``m`` (a % change, points, ratio or a difference)."""
    p, v = anchor.prior, anchor.value
    if p is None or math.isnan(v):
        return None
    if m.unit == "个百分点":
        if anchor.unit != "%":
            return None
        return v - p, f"{_num(v)}% − {_num(p)}%"
    if m.unit == "%":
        if p == 0:
            return None
        return (v - p) / p * 100, f"({_num(v)} − {_num(p)}) ÷ {_num(p)}"
    if m.unit == "倍":
        if p == 0:
            return None
        if m.relation == "by":
            return v / p - 1, f"{_num(v)} ÷ {_num(p)} − 1"
        return v / p, f"{_num(v)} ÷ {_num(p)}"
    if m.unit and compatible(m.unit, anchor.unit) and anchor.unit != "%":
        return v - p, f"{_num(v)} − {_num(p)}"
    return None


def change_matches(m: Mention, actual: float, direction: int, allow_rounding: bool) -> bool:
    """Does the figure, read in the direction of its words (下降 → negative), state ``actual``? Percent changes are
    compared at one decimal place (or at the draft's own precision when rounding is allowed); differences exactly
    (or at the written precision with rounding). Approximations must contain the change."""
    if m.value is None:
        return False
    sign = -1.0 if direction < 0 and m.unit != "倍" else 1.0
    if m.approx is not None:
        lo = m.lo if m.lo is not None else -math.inf
        hi = m.hi if m.hi is not None else math.inf
        lo, hi = sorted((lo * sign, hi * sign))
        return lo - 1e-9 <= actual <= hi + 1e-9
    claimed = m.value * sign
    if m.unit in ("%", "个百分点", "倍"):
        places = m.decimals if allow_rounding else max(1, m.decimals)
        return math.isclose(round(actual + 1e-12, places), round(claimed, places), abs_tol=1e-9)
    if math.isclose(actual, claimed, rel_tol=1e-9, abs_tol=1e-9):
        return True
    if allow_rounding:
        return math.isclose(round(actual / m.scale, m.decimals), claimed / m.scale, abs_tol=1e-9)
    return False


def describe(actual: float, m: Mention) -> str:
    """The change as the draft should have written it: 增长6.7% / 下降3人 / 提高2个百分点 / 1.2倍."""
    if m.unit == "倍":
        return f"{actual:.2f}".rstrip("0").rstrip(".") + "倍"
    up = "提高" if m.unit == "个百分点" else "增长" if m.unit == "%" else "增加"
    down = "下降" if m.unit in ("个百分点", "%") else "减少"
    word = up if actual >= 0 else down
    mag = abs(actual)
    if m.unit in ("%", "个百分点"):
        shown = f"{mag:.1f}"
        shown = shown[:-2] if shown.endswith(".0") else shown
        return f"{word}{shown}{m.unit}"
    unit = m.unit
    return f"{word}{_num(mag / m.scale)}{'万' if m.scale == 10_000 else ''}{unit}"
