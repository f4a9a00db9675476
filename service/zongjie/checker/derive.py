"""Figures a draft derives from the facts: a sum, a difference or a share of facts (共/合计/占/增长…).

Contract: ``derive(mention, index, max_terms)`` takes a figure of the draft introduced by an aggregating word and the
facts index; it returns the ids of the facts it is computed from and how (``"A + B"``, ``"A − B"``, ``"A ÷ B"``,
with the labels editors know the facts by), or ``None`` when no sum of up to ``max_terms`` facts of one unit, no
difference of two and no share (for a %) gives it at the precision the draft writes it. Approximate facts never
take part. Reads the index, changes nothing.
"""

from __future__ import annotations

import itertools
import math

from ..numbers import Mention
from ..numbers.units import compatible
from .facts_index import FactFigure, FactIndex
from .matching import same_value


def derive(m: Mention, index: FactIndex, max_terms: int) -> tuple[list[str], str] | None:
    """The facts ``m`` is computed from and how, or ``None`` (see the module docstring)."""
    if m.value is None:
        return None
    figs = [f for f in index.figures if not f.approximate and f.source in ("metric", "outcome", "note", "activity")]
    if m.unit == "%":
        for a, b in itertools.permutations(figs, 2):
            if a.unit == b.unit and b.value and a.value <= b.value:
                share = a.value / b.value * 100
                if _close(m, share):
                    return [a.fact_id, b.fact_id], f"{_label(index, a)} ÷ {_label(index, b)}"
        return None
    same = [f for f in figs if f.unit and compatible(m.unit, f.unit)]
    units = {f.unit for f in same}
    for unit in units:
        group = [f for f in same if f.unit == unit]
        for n in range(2, min(max_terms, len(group)) + 1):
            for combo in itertools.combinations(group, n):
                if _close(m, sum(f.value for f in combo)):
                    return [f.fact_id for f in combo], " + ".join(_label(index, f) for f in combo)
        for a, b in itertools.permutations(group, 2):
            if a.value > b.value and _close(m, a.value - b.value):
                return [a.fact_id, b.fact_id], f"{_label(index, a)} − {_label(index, b)}"
    return None


def _close(m: Mention, value: float) -> bool:
    """Does ``value`` read as ``m``: inside its range, or equal at the precision the draft writes it?"""
    if m.approx is not None:
        lo = m.lo if m.lo is not None else -math.inf
        hi = m.hi if m.hi is not None else math.inf
        return lo <= value <= hi
    if m.value is None:
        return False
    # a computed figure is written rounded to the precision the draft shows
    return same_value(round(value / m.scale, m.decimals), m.value / m.scale)


def _label(index: FactIndex, f: FactFigure) -> str:
    return index.labels.get(f.fact_id, f.label)
