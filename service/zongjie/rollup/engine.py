"""``roll_up()``: a federation's metrics summed from its units' fact sheets, every total with its parts.

Rules (issue 26): metrics are matched by indicator key, else by normalised label with a compatible unit of
measure (``matching``); sums are exact (``Decimal``); a total with an approximate part is approximate; a rate or
share is never summed — it is recomputed from its numerator's and denominator's totals where the indicator list
names them, otherwise left out with the reason; units missing, not approved or reporting an incompatible unit are
listed, and a total that lacks some unit's part names it (``not_included``, written 「未含：…」).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import TypeAdapter

from ..factsheets.model import (
    Conflict,
    FactSheet,
    IncludedUnit,
    LeftOut,
    Metric,
    MissingUnit,
    Note,
    Part,
    PeriodInfo,
    Proposal,
    RateFormula,
    RollupInfo,
    SectionWork,
    Unit,
)
from ..numbers.exact import Exact, to_decimal
from .indicators import NOT_SUMMABLE_UNITS, IndicatorList
from .matching import Group, match_key, measure, near_matches, normalise_label, same_measure
from .tree import Scope, UnitTree

_PARTS = TypeAdapter(list[Part])
_NOT_SUMMABLE_LABEL = re.compile(r"率|占比|比例|比重|平均|人均|均值|增长|增幅|同比|环比")
PERIOD_ZH = {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}


@dataclass
class Submission:
    """A unit's fact sheet offered to the roll-up: an approved sheet in the store, or a file uploaded for it."""

    unit: str
    sheet: FactSheet
    revision: int | None = None
    sheet_id: str | None = None
    source: str = "approved"  # approved | file | pending (saved but not approved: listed as missing)


@dataclass
class _Entry:
    unit: str
    sub: Submission
    metric: Metric
    factor: Decimal
    base: str


@dataclass
class RolledMetric:
    id: str
    key: str
    label: str
    unit: str
    value: Decimal
    approximate: bool
    section: str | None = None
    indicator: str | None = None
    prior: Decimal | None = None
    parts: list[Part] = field(default_factory=list)
    not_included: list[str] = field(default_factory=list)
    formula: RateFormula | None = None

    def to_metric(self) -> Metric:
        return Metric(
            id=self.id,
            indicator=self.indicator,
            label=self.label,
            value=_float(self.value),
            unit=self.unit,
            section=self.section,
            approximate=self.approximate,
            prior=None if self.prior is None else _float(self.prior),
            parts=self.parts,
            not_included=self.not_included,
            formula=self.formula,
        )


@dataclass
class RollUp:
    unit: Unit
    period: PeriodInfo
    metrics: list[RolledMetric]
    info: RollupInfo
    notes: list[tuple[str, str, Note]]  # (unit, section title, note): candidates for 典型经验

    def to_sheet(self, base: FactSheet | None = None, picks: Sequence[tuple[str, str]] | None = ()) -> FactSheet:
        """The federation's fact sheet: its own facts (``base``) with the rolled metrics and the picked notes.

        Metrics of ``base`` that came from an earlier roll-up (they have parts or a formula) are replaced; picked
        notes (``(unit, note id)``) are added to their section with the unit's name, for 「如××镇工会……」, in
        place of those picked before (``picks=None`` keeps the picked notes ``base`` has). Built
        from validated parts without a second validation of every part (a county's roll-up has thousands).
        """
        if base is None:
            base = FactSheet.model_validate({"unit": self.unit.model_dump(), "period": self.period.model_dump()})
        own = [m for m in base.metrics if not m.parts and m.formula is None]
        replaced = {m.id for m in base.metrics if m not in own}
        if picks is not None:
            replaced |= {n.id for _, n in base.all_notes() if n.unit}
        taken = set(base.all_ids()) - replaced
        rolled: list[Metric] = []
        renamed: dict[str, str] = {}
        for r in self.metrics:
            m = r.to_metric()
            mid = m.id
            while mid in taken:  # the federation's own fact has this id: the rolled one gives way
                mid += "_r"
            renamed[r.id] = mid
            update: dict[str, Any] = {"id": mid}
            if m.formula is not None:  # its numerator and denominator are rolled before it
                update["formula"] = RateFormula(
                    numerator=renamed.get(m.formula.numerator, m.formula.numerator),
                    denominator=renamed.get(m.formula.denominator, m.formula.denominator),
                )
            taken.add(mid)
            rolled.append(m.model_copy(update=update))
        # notes from an earlier roll-up's picks are replaced by this one's
        sections = [
            s.model_copy(update={"notes": [n for n in s.notes if picks is None or not n.unit]}) for s in base.sections
        ]
        wanted = set(picks or ())
        for unit, title, note in self.notes:
            if (unit, note.id) not in wanted:
                continue
            sec = next((x for x in sections if x.title == title), None)
            if sec is None:
                sec = SectionWork(title=title)
                sections.append(sec)
            nid = note.id
            while nid in taken:
                nid += "_u"
            taken.add(nid)
            sec.notes.append(Note(id=nid, text=note.text, unit=unit))
        return base.model_copy(
            update={
                "metrics": own + rolled,
                "sections": [x for x in sections if x.notes],
                "rollup": self.info.model_copy(deep=True),
            }
        )


def _float(d: Decimal) -> float:
    """A sum as a fact's number: every digit kept (``Exact``)."""
    return Exact(d)


def _dec(v: float) -> Decimal:
    """A fact's number as the exact decimal it holds (an ``Exact`` by its digits, a float by its shortest repr)."""
    return to_decimal(v)


def _text(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def may_sum(metric: Metric, base: str) -> bool:
    return base not in NOT_SUMMABLE_UNITS and not _NOT_SUMMABLE_LABEL.search(metric.label)


def roll_up(
    unit: Unit,
    period: PeriodInfo,
    submissions: Sequence[Submission],
    *,
    tree: UnitTree | None = None,
    scope: Scope = "all",
    indicators: IndicatorList | None = None,
    confirmed: Mapping[str, str] | None = None,
    made_at: str | None = None,
) -> RollUp:
    """Roll the units' sheets up into ``unit``'s metrics for ``period``.

    ``tree`` names the units expected (those below ``unit`` in ``scope``); without it every submission is
    expected. ``confirmed`` maps a near-match's source key to the key it was confirmed to be (an empty target
    records "not the same": no proposal again).
    """
    confirmed = dict(confirmed or {})
    info = RollupInfo(scope=scope, made_at=made_at)
    expected = tree.below(unit.name, scope) if tree is not None else list(dict.fromkeys(s.unit for s in submissions))
    expected_set = set(expected)
    latest: dict[str, Submission] = {}
    for s in submissions:
        if s.unit not in expected_set:
            why = (
                "只汇总直属下级单位" if tree is not None and unit.name in tree.path(s.unit) else "不是本单位的下级单位"
            )
            info.conflicts.append(Conflict(unit=s.unit, reason=f"不在汇总范围内（{why}），未纳入"))
            continue
        if (s.sheet.period.year, s.sheet.period.kind) != (period.year, period.kind):
            p = s.sheet.period
            info.conflicts.append(
                Conflict(unit=s.unit, reason=f"事实表时段为{p.year}年{PERIOD_ZH[p.kind]}，与汇总时段不符，未纳入")
            )
            continue
        if s.unit in latest and latest[s.unit].source != "pending":
            if s.source == "pending":
                continue
            info.conflicts.append(Conflict(unit=s.unit, reason="同一单位有多份事实表，采用后一份"))
        latest[s.unit] = s
    used: list[Submission] = []
    for name in expected:
        got = latest.get(name)
        if got is None:
            info.missing.append(MissingUnit(unit=name, reason="未报送"))
        elif got.source == "pending":
            info.missing.append(MissingUnit(unit=name, reason="事实表未审核"))
        else:
            used.append(got)
            info.included.append(IncludedUnit(unit=name, revision=got.revision, sheet=got.sheet_id, source=got.source))
    missing_names = [m.unit for m in info.missing]
    place = {name: i for i, name in enumerate(expected)}

    by_label = {normalise_label(i.label): i.key for i in indicators.indicators} if indicators else {}
    entries: dict[str, list[_Entry]] = {}
    labels: dict[str, str] = {}
    for s in used:
        seen: set[str] = set()
        for m in s.sheet.metrics:
            if scope == "all" and (m.parts or m.formula):
                info.left_out.append(
                    LeftOut(label=f"{s.unit}：{m.label}", reason="为该单位的下级汇总数；按全部层级汇总时各单位分别计入")
                )
                continue
            key = match_key(m.label, m.indicator, indicators, by_label)
            key = confirmed.get(key) or key
            if key in seen:
                info.conflicts.append(
                    Conflict(
                        unit=s.unit, label=m.label, value=m.value, measure=m.unit, reason="同一指标填了两次，只计第一项"
                    )
                )
                continue
            seen.add(key)
            factor, base = measure(m.unit)
            entries.setdefault(key, []).append(_Entry(s.unit, s, m, factor, base))
            labels.setdefault(key, m.label)

    # The base unit of measure each key is summed in: the indicator's, else the one most units use.
    bases: dict[str, str] = {}
    for key, es in entries.items():
        ind = indicators.get(key[2:]) if indicators and key.startswith("k:") else None
        bases[key] = measure(ind.unit)[1] if ind else Counter(e.base for e in es).most_common(1)[0][0]

    groups = [
        Group(key, labels[key], bases[key], [e.unit for e in es], key.startswith("k:")) for key, es in entries.items()
    ]
    for nm in near_matches(groups):
        if nm.source.key in confirmed:  # confirmed "not the same" (empty target)
            continue
        info.proposals.append(
            Proposal(
                label=nm.source.label,
                measure=nm.source.base,
                units=nm.source.units,
                into=nm.target.label,
                into_key=nm.target.key,
                similarity=nm.score,
            )
        )

    order = [indicator_key_of(i.key) for i in indicators.indicators] if indicators else []
    order += [k for k in entries if k not in order]
    rolled: list[RolledMetric] = []
    ids: dict[str, str] = {}
    n = 0
    for key in order:
        ind = indicators.get(key[2:]) if indicators and key.startswith("k:") else None
        es = entries.get(key, [])
        if not es and ind is None:
            continue
        if ind is not None and ind.is_rate:
            continue  # rates after every sum they are computed from
        label = ind.label if ind else labels[key]
        if not es:
            info.left_out.append(LeftOut(label=label, reason="各单位均未填报"))
            continue
        base = bases[key]
        summable = ind.may_sum if ind else all(may_sum(e.metric, base) for e in es)
        if not summable:
            info.left_out.append(
                LeftOut(label=label, reason="比率、平均数等不能相加，指标清单也未给出分子和分母，未汇总")
            )
            continue
        target_unit = ind.unit if ind else _common_unit(es, base)
        t_factor, _ = measure(target_unit)
        total = Decimal(0)
        prior: Decimal | None = Decimal(0)
        parts: list[dict[str, Any]] = []  # validated at once below (one call for thousands of parts)
        lacking: list[str] = []
        approx = False
        sections: Counter[str] = Counter()
        for e in es:
            m = e.metric
            if not same_measure(e.base, base):
                info.conflicts.append(
                    Conflict(
                        unit=e.unit,
                        label=m.label,
                        value=m.value,
                        measure=m.unit,
                        expected=target_unit,
                        reason=f"计量单位“{m.unit}”与“{target_unit}”不同，不能相加，未计入合计",
                    )
                )
                lacking.append(e.unit)
                continue
            if m.value is None:
                lacking.append(e.unit)
                continue
            value = _dec(m.value) * e.factor / t_factor
            total += value
            if prior is not None:
                prior = None if m.prior is None else prior + _dec(m.prior) * e.factor / t_factor
            approx = approx or m.approximate or any(p.approximate for p in m.parts)
            reported = None if m.unit == target_unit else f"{_text(_dec(m.value))}{m.unit}"
            parts.append(
                {
                    "unit": e.unit,
                    "value": _float(value),
                    "reported": reported,
                    "approximate": m.approximate,
                    "revision": e.sub.revision,
                    "sheet": e.sub.sheet_id,
                    "metric": m.id,
                }
            )
            lacking += [u for u in m.not_included if u not in lacking]
            if m.section:
                sections[m.section] += 1
        if not parts:
            info.left_out.append(LeftOut(label=label, reason="没有可相加的单位数值"))
            continue
        if ind is None and len(es) == 1 and len(used) > 1:  # one unit's own figure among several: not a total
            info.left_out.append(
                LeftOut(label=label, reason=f"只有{es[0].unit}填报，不是汇总数（可作为该单位的典型经验写入）")
            )
            continue
        if ind is not None:  # every included unit was asked for this indicator
            have = {e.unit for e in es}
            lacking += [s.unit for s in used if s.unit not in have]
        mid = ind.key if ind else _label_id(n := n + 1)
        ids[key] = mid
        rolled.append(
            RolledMetric(
                id=mid,
                key=key,
                label=label,
                unit=target_unit,
                value=total,
                approximate=approx,
                section=(ind.section if ind else None) or (sections.most_common(1)[0][0] if sections else None),
                indicator=ind.key if ind else None,
                prior=prior,
                parts=_PARTS.validate_python(parts),
                not_included=sorted(set(missing_names) | set(lacking), key=lambda u: (place.get(u, len(place)), u)),
            )
        )
    if indicators:
        _rates(indicators, entries, rolled, ids, info)
    notes = [(s.unit, title, note) for s in used for title, note in s.sheet.all_notes() if not note.unit]
    return RollUp(unit, period, rolled, info, notes)


def indicator_key_of(key: str) -> str:
    return "k:" + key


def _label_id(n: int) -> str:
    return f"r{n}"


def _common_unit(entries: list[_Entry], base: str) -> str:
    """The unit most parts are written in (the larger scale on a tie: 万元 before 元)."""
    counts = Counter(e.metric.unit for e in entries if e.base == base)
    return max(counts, key=lambda u: (counts[u], measure(u)[0]))


def _rates(
    indicators: IndicatorList,
    entries: dict[str, list[_Entry]],
    rolled: list[RolledMetric],
    ids: dict[str, str],
    info: RollupInfo,
) -> None:
    """Rates recomputed from their numerator's and denominator's totals (never summed)."""
    by_id = {r.id: r for r in rolled}
    for ind in indicators.indicators:
        if not ind.is_rate:
            continue
        assert ind.numerator is not None and ind.denominator is not None
        num = by_id.get(ids.get(indicator_key_of(ind.numerator), ""))
        den = by_id.get(ids.get(indicator_key_of(ind.denominator), ""))
        if num is None or den is None:
            info.left_out.append(LeftOut(label=ind.label, reason="分子或分母没有汇总数，无法重新计算比率"))
            continue
        if {p.unit for p in num.parts} != {p.unit for p in den.parts}:
            only = sorted({p.unit for p in num.parts} ^ {p.unit for p in den.parts})
            info.left_out.append(
                LeftOut(label=ind.label, reason=f"分子和分母的填报单位不一致（{'、'.join(only)}），无法重新计算比率")
            )
            continue
        if den.value == 0:
            info.left_out.append(LeftOut(label=ind.label, reason="分母合计为 0，无法计算比率"))
            continue
        value = rate_value(num.value, den.value, ind.unit)
        parts = []
        for e in entries.get(indicator_key_of(ind.key), []):
            if e.metric.value is not None:
                parts.append(
                    Part(
                        unit=e.unit,
                        value=e.metric.value,
                        approximate=e.metric.approximate,
                        revision=e.sub.revision,
                        sheet=e.sub.sheet_id,
                        metric=e.metric.id,
                    )
                )
        rolled.append(
            RolledMetric(
                id=ind.key,
                key=indicator_key_of(ind.key),
                label=ind.label,
                unit=ind.unit,
                value=value,
                approximate=num.approximate or den.approximate,
                section=ind.section or num.section,
                indicator=ind.key,
                parts=parts,
                not_included=list(dict.fromkeys(num.not_included + den.not_included)),
                formula=RateFormula(numerator=num.id, denominator=den.id),
            )
        )


def rate_value(num: Decimal, den: Decimal, unit: str) -> Decimal:
    """numerator / denominator, × 100 for a percentage, to one decimal place (half up) as a report writes it."""
    scale = Decimal(100) if measure(unit)[1] == "%" else Decimal(1)
    v = (num * scale / den).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return v.normalize() if v == v.to_integral_value() else v
