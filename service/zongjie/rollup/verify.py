"""Checks on a rolled-up sheet: totals that differ from the sum of their parts (合计不符) and parts whose unit's
sheet changed after the roll-up (「下级单位事实表已修改」)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..factsheets.model import FactSheet, format_value
from ..numbers.exact import to_decimal
from .engine import rate_value


@dataclass(frozen=True)
class TotalMismatch:
    metric: str
    label: str
    stated: float
    expected: float
    unit: str

    @property
    def message_zh(self) -> str:
        return (
            f"合计不符：“{self.label}”填的是 {format_value(self.stated)}{self.unit}，"
            f"各单位之和为 {format_value(self.expected)}{self.unit}"
        )


def _dec(v: float) -> Decimal:
    """A fact's number as the exact decimal it holds (an ``Exact`` by its digits, a float by its shortest repr)."""
    return to_decimal(v)


def total_mismatches(sheet: FactSheet) -> list[TotalMismatch]:
    """Every rolled metric whose value is not the exact sum of its parts (or, for a rate, not its numerator's
    total over its denominator's)."""
    by_id = {m.id: m for m in sheet.metrics}
    out = []
    for m in sheet.metrics:
        if m.value is None:
            continue
        if m.formula is not None:
            num, den = by_id.get(m.formula.numerator), by_id.get(m.formula.denominator)
            if num is None or den is None or num.value is None or not den.value:
                continue
            expected = rate_value(_dec(num.value), _dec(den.value), m.unit)
        elif m.parts:
            expected = sum((_dec(p.value) for p in m.parts), Decimal(0))
        else:
            continue
        if _dec(m.value) != expected:
            out.append(TotalMismatch(m.id, m.label, m.value, float(expected), m.unit))
    return out


@dataclass(frozen=True)
class StalePart:
    unit: str
    sheet: str
    revision: int  # the revision the roll-up used
    now: int  # the sheet's revision now


def stale_parts(sheet: FactSheet, current: Mapping[str, int]) -> list[StalePart]:
    """Units whose sheet (by id) has a newer revision than the one the roll-up used; ``current`` maps sheet ids to
    their revision now (a sheet no longer there is left out: the roll-up lists what it used)."""
    if sheet.rollup is None:
        return []
    out = []
    for inc in sheet.rollup.included:
        if inc.sheet is None or inc.revision is None or inc.sheet not in current:
            continue
        if current[inc.sheet] != inc.revision:
            out.append(StalePart(inc.unit, inc.sheet, inc.revision, current[inc.sheet]))
    return out
