"""Decide, for each figure in a draft, which fact supports it or why none does.

Order of decisions for a quantity: facts with a compatible unit → those whose value matches (exact, within the
rounding policy, or inside the figure's range) → the best-bound of those by label; if the words around the figure
name another compatible fact clearly better, the figure is **misattributed**. With no value match: a figure whose
words name a fact is a **wrong value**; one introduced by 共/合计/占/增长… that equals a sum, difference or share of
facts is **derived**; one equal to a figure in the exemplars is **leaked**; anything else is **unsupported**.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from ..numbers import Mention
from ..numbers.units import compatible
from .binding import contexts, is_aggregate, label_score
from .facts_index import FactFigure, FactIndex
from .report import Finding


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    """How strict the comparison is. Declared in settings; the defaults are what an editor expects.

    ``allow_rounding``: an exact figure may round a fact at its written precision (323万 for 323.062万元;
    15% for 15.4%). ``bind_min``: label score from which the context is taken to name a fact.
    ``bind_margin``: how much better another fact must be named to call a matching value misattributed.
    ``exempt_year_span``: years within this many years of the period year need no support (今年, 明年, 上年).
    """

    allow_rounding: bool = False
    bind_min: float = 0.6
    bind_margin: float = 0.25
    exempt_year_span: int = 1
    derive_max_terms: int = 3


def _eq(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def value_matches(m: Mention, f: FactFigure, policy: CheckPolicy) -> bool:
    if m.value is None:
        return False
    if m.approx is None:
        if f.approximate:
            return _eq(m.value, f.value)
        if _eq(m.value, f.value):
            return True
        if policy.allow_rounding:
            return _eq(round(f.value / m.scale, m.decimals), m.value / m.scale)
        return False
    lo = m.lo if m.lo is not None else -math.inf
    hi = m.hi if m.hi is not None else math.inf
    if f.approximate:
        return _eq(m.value, f.value) or (lo <= f.hi and f.lo <= hi)
    return lo - 1e-9 <= f.value <= hi + 1e-9


class FigureChecker:
    def __init__(self, index: FactIndex, policy: CheckPolicy, exemplar_figures: list[tuple[Mention, str]]):
        self.index = index
        self.policy = policy
        self.exemplar_figures = exemplar_figures
        self._derived: dict[str, list[tuple[float, list[str], str]]] = {}

    def check(self, text: str, mentions: list[Mention]) -> list[Finding]:
        ctxs = contexts(text, mentions)
        return [self._one(m, left, right) for m, (left, right) in zip(mentions, ctxs)]

    # ---------------------------------------------------------------- per kind
    def _one(self, m: Mention, left: str, right: str) -> Finding:
        base = dict(start=m.start, end=m.end, text=m.text, kind=m.kind, value=m.value, lo=m.lo, hi=m.hi, unit=m.unit)
        if m.kind == "placeholder":
            return Finding(**base, status="placeholder", message="占位符未替换为真实内容")
        if m.kind == "period":
            return Finding(**base, status="exempt", message="时段用语")
        if m.kind == "date":
            return self._date(m, left + right, base)
        return self._quantity(m, left, right, base)

    def _date(self, m: Mention, ctx: str, base: dict) -> Finding:
        year = self.index.year
        if m.month is None:  # a year or a span of years
            years = [m.year] + ([m.year_end] if m.year_end else [])
            if all(y is not None and abs(y - year) <= self.policy.exempt_year_span for y in years):
                return Finding(**base, status="exempt", message="本期或相邻年度")
            for d in self.index.dates:
                if d.year in years:
                    return Finding(**base, status="supported", fact_id=d.fact_id, fact_label=d.label)
            return Finding(**base, status="unsupported", message="事实中没有这个年份")
        want_year = m.year or year
        candidates = [d for d in self.index.dates if d.month is not None]
        scored = sorted(((label_score(ctx, d.label), d) for d in candidates), key=lambda x: -x[0])
        matches = [
            (s, d)
            for s, d in scored
            if (d.year is None or d.year == want_year) and d.month == m.month and (m.day is None or d.day == m.day)
        ]
        if matches:
            s, d = matches[0]
            return Finding(**base, status="supported", fact_id=d.fact_id, fact_label=d.label)
        if scored and scored[0][0] >= self.policy.bind_min:
            s, d = scored[0]
            if d.month == m.month and d.day is None and m.day is not None:
                msg = f"事实只记到月份（{d.display}），草稿多写了日"
            else:
                msg = f"「{d.label}」的日期是 {d.display}"
            return Finding(
                **base, status="wrong_value", fact_id=d.fact_id, fact_label=d.label, expected=d.display, message=msg
            )
        return Finding(**base, status="unsupported", message="事实中没有这个日期")

    def _quantity(self, m: Mention, left: str, right: str, base: dict) -> Finding:
        policy = self.policy
        ctx = left + right
        compat = self._compatible(m.unit)
        scores = {
            id(f): label_score(ctx, f.label) + (0.1 * label_score(ctx, f.context) if f.context else 0.0) for f in compat
        }
        matches = [f for f in compat if value_matches(m, f, policy)]
        bound = max(compat, key=lambda f: scores[id(f)], default=None)
        bound_score = scores[id(bound)] if bound is not None else 0.0
        if matches:
            best = max(matches, key=lambda f: scores[id(f)])
            other = self._named_elsewhere(m, ctx, best, scores[id(best)], compat)
            if other is not None:  # 40人 written where the words name 走访困难职工 (40户)
                return Finding(
                    **base,
                    status="wrong_value",
                    fact_id=other.fact_id,
                    fact_label=self._label(other),
                    expected=other.display,
                    message=f"此处说的是「{self._label(other)}」，应为 {other.display}（单位不同）",
                )
            if (
                bound is not None
                and bound not in matches
                and bound_score >= policy.bind_min
                and bound_score - scores[id(best)] >= policy.bind_margin
                and not _eq(bound.value, best.value)
            ):
                return Finding(
                    **base,
                    status="misattributed",
                    fact_id=bound.fact_id,
                    fact_label=self.index.labels.get(bound.fact_id, bound.label),
                    expected=bound.display,
                    message=f"此处说的是「{self._label(bound)}」（{bound.display}），"
                    f"而 {m.text} 是「{self._label(best)}」的数",
                )
            return Finding(**base, status="supported", fact_id=best.fact_id, fact_label=self._label(best))
        if is_aggregate(left):
            derived = self._derive(m)
            if derived:
                ids, how = derived
                return Finding(**base, status="derived", derived_from=ids, message=how)
        is_bound = bound is not None and bound_score >= policy.bind_min
        for em, source in self.exemplar_figures:
            if em.value is not None and em.unit == m.unit and _eq(em.value, m.value):
                msg = f"与范文（{source}）中的数字相同"
                if is_bound:
                    return Finding(
                        **base,
                        status="leaked",
                        source=source,
                        fact_id=bound.fact_id,
                        fact_label=self._label(bound),
                        expected=bound.display,
                        message=f"{msg}；「{self._label(bound)}」应为 {bound.display}",
                    )
                return Finding(**base, status="leaked", source=source, message=f"{msg}，事实中没有")
        if is_bound:
            return Finding(
                **base,
                status="wrong_value",
                fact_id=bound.fact_id,
                fact_label=self._label(bound),
                expected=bound.display,
                message=f"「{self._label(bound)}」应为 {bound.display}",
            )
        for f in self.index.figures:  # right number, wrong unit: 36人 for 36户
            if (
                f not in compat
                and m.value is not None
                and _eq(f.value, m.value)
                and label_score(ctx, f.label) >= policy.bind_min
            ):
                return Finding(
                    **base,
                    status="wrong_value",
                    fact_id=f.fact_id,
                    fact_label=self._label(f),
                    expected=f.display,
                    message=f"「{self._label(f)}」是 {f.display}，单位不符",
                )
        if m.unit == "年" and m.value is not None and m.value <= 10 and "近" in (left[-2:] + m.text[:1]):
            return Finding(**base, status="exempt", message="时间跨度用语")
        return Finding(**base, status="unsupported", message="事实中找不到这个数")

    def _named_elsewhere(
        self, m: Mention, ctx: str, best: FactFigure, best_score: float, compat: list[FactFigure]
    ) -> FactFigure | None:
        """A fact of another unit that the words around the figure name much better than the matching one."""
        others = [f for f in self.index.figures if f not in compat and f.source != "text"]
        if not others or not m.unit:
            return None
        top = max(others, key=lambda f: label_score(ctx, f.label))
        score = label_score(ctx, top.label)
        if score >= self.policy.bind_min and score - best_score >= self.policy.bind_margin:
            return top
        return None

    def _compatible(self, unit: str) -> list[FactFigure]:
        found = self.index.by_unit.get(unit)
        if found is None:
            found = self.index.by_unit[unit] = [f for f in self.index.figures if compatible(unit, f.unit)]
        return found

    def _label(self, f: FactFigure) -> str:
        return self.index.labels.get(f.fact_id, f.label)

    # ---------------------------------------------------------------- derived figures
    def _derive(self, m: Mention) -> tuple[list[str], str] | None:
        if m.value is None:
            return None
        figs = [f for f in self.index.figures if not f.approximate and f.source != "text"]
        if m.unit == "%":
            for a, b in itertools.permutations(figs, 2):
                if a.unit == b.unit and b.value and a.value <= b.value:
                    share = a.value / b.value * 100
                    if self._close(m, share):
                        return [a.fact_id, b.fact_id], f"{self._label(a)} ÷ {self._label(b)}"
            return None
        same = [f for f in figs if f.unit and compatible(m.unit, f.unit)]
        units = {f.unit for f in same}
        for unit in units:
            group = [f for f in same if f.unit == unit]
            for n in range(2, min(self.policy.derive_max_terms, len(group)) + 1):
                for combo in itertools.combinations(group, n):
                    if self._close(m, sum(f.value for f in combo)):
                        return [f.fact_id for f in combo], " + ".join(self._label(f) for f in combo)
            for a, b in itertools.permutations(group, 2):
                if a.value > b.value and self._close(m, a.value - b.value):
                    return [a.fact_id, b.fact_id], f"{self._label(a)} − {self._label(b)}"
        return None

    def _close(self, m: Mention, value: float) -> bool:
        if m.approx is not None:
            lo = m.lo if m.lo is not None else -math.inf
            hi = m.hi if m.hi is not None else math.inf
            return lo <= value <= hi
        # a computed figure is written rounded to the precision the draft shows
        return _eq(round(value / m.scale, m.decimals), m.value / m.scale)
