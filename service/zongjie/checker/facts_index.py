"""Every figure and date a fact sheet allows a draft to state, with the words that name it and what it may support.

Metrics and activity outcomes give figures in base units (7.2 万元 → 72000 元). A metric's prior-period value
(``prior``) and target (``target``) are figures of their own kinds; a blank value (``None``: not filled in yet) is
kept as a figure that binds but never matches, so a draft stating it is caught instead of passing as 0.

Numbers written inside any free text of the sheet — plans, problems, activity titles, participants and
descriptions, section work notes, honours — are figures too, owned by that text's fact. Each is bound by its own
context inside that text (the words since the previous figure and up to the clause end, as for a draft), not by
the whole text, so 「走访困难职工120户，发放慰问金36万元」 gives two figures named 走访困难职工 and 发放慰问金.

Every figure has a ``source`` saying what it can support:

- ``current`` kinds (metric, outcome, note, activity, honour, text): anything stated as this period's;
- ``plan`` and ``target``: forward-looking statements only (the plans/problems part of a draft);
- ``problem``: statements in the problems/plans part or in a sentence speaking of a shortcoming;
- ``prior``: figures presented as last year's (去年/上年/同期/由…增至…);
- ``blank``: nothing (a value still to be filled in).

Activity, honour and signature (落款) dates give dates; dates written in fact text are dates of that fact. The
period gives the years a draft may name freely.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..factsheets.model import FactSheet, Metric, date_parts, format_value
from ..numbers import find_numbers
from ..numbers.convert import place_of
from ..numbers.units import to_base
from .binding import bigrams, contexts, label_score

CURRENT_SOURCES = frozenset({"metric", "outcome", "note", "activity", "honour", "text"})
FORWARD_SOURCES = frozenset({"plan", "target"})
_CLAUSE_START = re.compile(r"[，,；;：:、]")


@dataclass(slots=True)
class FactFigure:
    fact_id: str
    label: str  # words that name the figure, used for binding
    value: float  # base unit; NaN for a blank value
    unit: str  # canonical base unit ('' for a bare number in fact text)
    lo: float
    hi: float
    approximate: bool
    display: str  # how the fact reads to an editor: "7.2万元"
    source: str = "metric"  # see the module docstring
    context: str = ""  # a weaker cue: the activity, section or whole text the figure sits in
    prior: float | None = None  # metrics and outcomes: the prior-period value in base units
    open_ended: bool = False  # 「300人以上」「不少于50家」: a bound, not a value
    aliases: list[str] = field(default_factory=list)  # words of fact text restating this metric (a work note)

    @property
    def current(self) -> bool:
        return self.source in CURRENT_SOURCES

    @property
    def blank(self) -> bool:
        return self.source == "blank"


def name_score(context: str, f: FactFigure, weak: bool = True) -> float:
    """How well the context names the figure: by its label or by the words of a note restating it."""
    return max(label_score(context, name, weak) for name in (f.label, *f.aliases))


def label_hits(context: str, f: FactFigure) -> int:
    """How many of the words (character bigrams) of the figure's label, or of a note restating it, the context holds:
    with two facts both named, the one more of whose words stand there is the one meant."""
    have = bigrams(context)
    return max(len(bigrams(name) & have) for name in (f.label, *f.aliases))


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
    kinds: dict[str, str] = field(default_factory=dict)  # fact id → metric / plan / problem / note / activity …
    text: str = ""  # all fact text, for leak detection (names that are the unit's own)
    by_unit: dict[str, list[FactFigure]] = field(default_factory=dict)  # cache: draft unit → compatible figures

    @property
    def year(self) -> int:
        return self.sheet.period.year

    def metric_figures(self) -> list[FactFigure]:
        """This period's figure (or blank) of every metric and outcome: the anchors of year-on-year statements."""
        return [f for f in self.figures if f.source in ("metric", "outcome", "blank")]


def build_index(sheet: FactSheet) -> FactIndex:
    idx = FactIndex(sheet)
    for a in sheet.activities:
        idx.labels[a.id] = a.title
        idx.kinds[a.id] = "activity"
        for m in a.outcomes:
            _add_metric(idx, m, context=a.title, source="outcome")
        if a.date:
            idx.dates.append(FactDate(a.id, a.title, *date_parts(a.date)))
    for m in sheet.metrics:
        _add_metric(idx, m, context=m.section or "", source="metric")
    for h in sheet.honours:
        idx.labels[h.id] = h.title
        idx.kinds[h.id] = "honour"
        if h.date:
            idx.dates.append(FactDate(h.id, h.title, *date_parts(h.date)))
    if sheet.signature is not None and sheet.signature.date:  # 落款: the date printed under the summary
        idx.labels["signature"] = "落款"
        idx.dates.append(FactDate("signature", "落款日期", *date_parts(sheet.signature.date)))
    for kind, items in (("problem", sheet.problems), ("plan", sheet.plans)):
        for item in items:
            idx.labels[item.id] = item.text
            idx.kinds[item.id] = kind
    for _, note in sheet.all_notes():
        idx.labels[note.id] = note.text
        idx.kinds[note.id] = "note"
    if sheet.signature and sheet.signature.date:  # the 落款 date is printed under the draft
        idx.dates.append(FactDate("signature", "落款", *date_parts(sheet.signature.date)))

    # (owner, text, source, weak context)
    texts: list[tuple[str, str, str, str]] = [("unit", sheet.unit.name, "text", "")]
    if sheet.signature is not None and sheet.signature.unit:
        texts.append(("signature", sheet.signature.unit, "text", ""))
    if sheet.unit.superior:
        texts.append(("unit", sheet.unit.superior, "text", ""))
    if sheet.leadership:
        texts.append(("leadership", sheet.leadership, "text", ""))
    texts += [("themes", t, "text", "") for t in sheet.themes]
    for a in sheet.activities:
        texts.append((a.id, a.title, "activity", ""))
        for extra in (a.participants, a.description):
            if extra:
                texts.append((a.id, extra, "activity", a.title))
    for h in sheet.honours:
        texts.append((h.id, h.title, "honour", ""))
        if h.awarded_by:
            texts.append((h.id, h.awarded_by, "honour", h.title))
    texts += [(i.id, i.text, "problem", "") for i in sheet.problems]
    texts += [(i.id, i.text, "plan", "") for i in sheet.plans]
    texts += [(n.id, n.text, "note", title) for title, n in sheet.all_notes()]
    texts += [("sections", w.title, "note", "") for w in sheet.sections]  # the clerk's own headings, read as notes
    for owner, text, source, weak in texts:
        _add_text(idx, owner, text, source, weak)
    _merge_restatements(idx)
    idx.text = "\n".join(t for _, t, _, _ in texts) + "\n" + "\n".join(m.label for m in sheet.all_metrics())
    return idx


_RESTATING = frozenset({"note", "activity", "honour"})


def _merge_restatements(idx: FactIndex) -> None:
    """A figure of fact text that restates a metric (a note 「走访困难职工家庭120户」 and the metric 走访困难职工
    120户) is that metric: its words become an alias of the metric instead of a rival fact. With several metrics
    of that value the one whose label the note's words name best (and at all) takes it."""
    metrics = [f for f in idx.figures if f.source in ("metric", "outcome")]
    keep = []
    for f in idx.figures:
        if f.source in _RESTATING and f.unit:
            same = [  # 「重组率达80%以上」 in a note restates the metric written 80% (approximate: 以上)
                g
                for g in metrics
                if g.unit == f.unit
                and (g.approximate if f.open_ended else g.approximate == f.approximate)
                and math.isclose(g.value, f.value)
            ]
            # the metric's label against the whole note, its figure's own words breaking ties — or deciding, when
            # the note holds several figures (「信访接待2件、协调解决2件」: each names its own metric)
            several = sum(1 for h in idx.figures if h.fact_id == f.fact_id) > 1
            wc, wo = (0.25, 1.0) if several else (1.0, 0.5)
            scored = sorted(
                ((label_score(f.context, g.label), label_score(f.label, g.label), i, g) for i, g in enumerate(same)),
                key=lambda x: (wc * x[0] + wo * x[1], -x[2]),
                reverse=True,
            )
            best = wc * scored[0][0] + wo * scored[0][1] if scored else 0.0
            second = wc * scored[1][0] + wo * scored[1][1] if len(scored) > 1 else -1.0
            if scored and scored[0][0] >= 0.3 and best > second:
                scored[0][3].aliases.append(f.label)
                continue
        keep.append(f)
    idx.figures = keep


def _add_text(idx: FactIndex, owner: str, text: str, source: str, weak: str) -> None:
    mentions = find_numbers(text)
    for mention, (left, right) in zip(mentions, contexts(text, mentions), strict=True):
        if mention.kind == "quantity" and mention.value is not None:
            clause = _CLAUSE_START.split(left)[-1]  # 「资助子女上学，受助学生逾百名」: named by 受助学生
            label = (clause + right if len(bigrams(clause + right)) >= 2 else left + right).strip() or text
            hi = mention.hi if mention.hi is not None else math.inf
            idx.figures.append(
                FactFigure(
                    owner,
                    label,
                    mention.value,
                    mention.unit,
                    mention.lo if mention.lo is not None else 0.0,
                    hi,
                    mention.approx is not None,
                    mention.text,
                    source,
                    f"{weak} {text}".strip(),
                    open_ended=mention.hi is None or (mention.lo == 0.0 and mention.approx is not None),
                )
            )
        elif mention.kind == "date" and mention.month is not None:
            idx.dates.append(FactDate(owner, text, mention.year, mention.month, mention.day))


def _add_metric(idx: FactIndex, m: Metric, context: str, source: str) -> None:
    idx.labels[m.id] = m.label
    idx.kinds[m.id] = "metric"
    prior = to_base(m.prior, m.unit)[0] if m.prior is not None else None
    if m.value is None:
        _, unit = to_base(0.0, m.unit)
        idx.figures.append(
            FactFigure(m.id, m.label, math.nan, unit, math.nan, math.nan, False, "（未填写）", "blank", context, prior)
        )
    else:
        value, unit = to_base(m.value, m.unit)
        lo, hi = value, value
        if m.approximate:
            lo, hi = value * 0.9, value + place_of(value)  # 约3000 may be written 近3000, 3000余
        shown = f"{'约' if m.approximate else ''}{format_value(m.value)}{m.unit}"
        idx.figures.append(FactFigure(m.id, m.label, value, unit, lo, hi, m.approximate, shown, source, context, prior))
    if prior is not None and m.prior is not None:
        _, unit = to_base(0.0, m.unit)
        shown = f"上年同期 {format_value(m.prior)}{m.unit}"
        idx.figures.append(FactFigure(m.id, m.label, prior, unit, prior, prior, False, shown, "prior", context))
    if m.target is not None:
        target, unit = to_base(m.target, m.unit)
        shown = f"目标 {format_value(m.target)}{m.unit}"
        idx.figures.append(FactFigure(m.id, m.label, target, unit, target, target, False, shown, "target", context))
