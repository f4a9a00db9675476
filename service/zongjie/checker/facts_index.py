"""Every figure and date a fact sheet allows a draft to state, with the words that name it.

Metrics and activity outcomes give figures in base units (7.2 万元 → 72000 元). Numbers written inside fact text
(a plan "建设3个服务站点", an activity title) are figures too, owned by that fact. Activity and honour dates give
dates. The period gives the years a draft may name freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..facts import FactSheet, date_parts, format_value
from ..numbers import find_numbers
from ..numbers.convert import place_of
from ..numbers.units import to_base


@dataclass(slots=True)
class FactFigure:
    fact_id: str
    label: str  # words that name the figure, used for binding
    value: float  # base unit
    unit: str  # canonical base unit ('' for a bare number in fact text)
    lo: float
    hi: float
    approximate: bool
    display: str  # how the fact reads to an editor: "7.2万元"
    source: str = "metric"  # metric | outcome | text
    context: str = ""  # the activity an outcome belongs to, or the metric's section hint (a weaker cue)


@dataclass(slots=True)
class FactDate:
    fact_id: str
    label: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def display(self) -> str:
        return "-".join(
            f"{x:02d}" if i else str(x)
            for i, x in enumerate(p for p in (self.year, self.month, self.day) if p is not None)
        )


@dataclass(slots=True)
class FactIndex:
    sheet: FactSheet
    figures: list[FactFigure] = field(default_factory=list)
    dates: list[FactDate] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # fact id → what an editor calls it
    text: str = ""  # all fact text, for leak detection (names that are the unit's own)
    by_unit: dict[str, list[FactFigure]] = field(default_factory=dict)  # cache: draft unit → compatible figures

    @property
    def year(self) -> int:
        return self.sheet.period.year


def build_index(sheet: FactSheet) -> FactIndex:
    idx = FactIndex(sheet)
    for a in sheet.activities:
        idx.labels[a.id] = a.title
        for m in a.outcomes:
            _add_metric(idx, m, context=a.title, source="outcome")
        if a.date:
            idx.dates.append(FactDate(a.id, a.title, *date_parts(a.date)))
    for m in sheet.metrics:
        _add_metric(idx, m, context=m.section or "", source="metric")
    for h in sheet.honours:
        idx.labels[h.id] = h.title
        if h.date:
            idx.dates.append(FactDate(h.id, h.title, *date_parts(h.date)))
    for item in sheet.problems + sheet.plans:
        idx.labels[item.id] = item.text

    texts: list[tuple[str, str]] = [("unit", sheet.unit.name)]
    if sheet.unit.superior:
        texts.append(("unit", sheet.unit.superior))
    if sheet.leadership:
        texts.append(("leadership", sheet.leadership))
    texts += [("themes", t) for t in sheet.themes]
    for a in sheet.activities:
        texts.append((a.id, a.title))
        if a.participants:
            texts.append((a.id, a.participants))
    for h in sheet.honours:
        texts.append((h.id, h.title))
        if h.awarded_by:
            texts.append((h.id, h.awarded_by))
    texts += [(i.id, i.text) for i in sheet.problems + sheet.plans]
    for owner, text in texts:
        for mention in find_numbers(text):
            if mention.kind == "quantity" and mention.value is not None:
                idx.figures.append(
                    FactFigure(
                        owner,
                        text,
                        mention.value,
                        mention.unit,
                        mention.lo or 0.0,
                        mention.hi if mention.hi is not None else float("inf"),
                        mention.approx is not None,
                        mention.text,
                        "text",
                    )
                )
            elif mention.kind == "date" and mention.month is not None:
                idx.dates.append(FactDate(owner, text, mention.year, mention.month, mention.day))
    idx.text = "\n".join(t for _, t in texts) + "\n" + "\n".join(m.label for m in sheet.all_metrics())
    return idx


def _add_metric(idx: FactIndex, m, context: str, source: str) -> None:
    value, unit = to_base(m.value, m.unit)
    lo, hi = value, value
    if m.approximate:
        lo, hi = value * 0.9, value + place_of(value)  # 约3000 may be written 近3000, 3000余
    idx.labels[m.id] = m.label
    idx.figures.append(
        FactFigure(
            m.id,
            m.label,
            value,
            unit,
            lo,
            hi,
            m.approximate,
            f"{'约' if m.approximate else ''}{format_value(m.value)}{m.unit}",
            source,
            context,
        )
    )
