"""Which facts the draft states. A figure is stated when a finding is bound to it; an activity, honour, problem,
plan or work note when one sentence of the draft carries most of its wording (or one of its figures or dates is
stated)."""

from __future__ import annotations

import re

from ..factsheets.model import Activity, FactSheet, Metric
from ..numbers.units import to_base
from .binding import bigrams
from .report import Coverage, Finding

_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
TEXT_MIN = 0.6


def _best_sentence(sentences: list[tuple[int, int, frozenset[str]]], text: str) -> tuple[float, tuple[int, int]]:
    want = bigrams(text)
    if not want:
        return 0.0, (0, 0)
    best, where = 0.0, (0, 0)
    for start, end, have in sentences:
        s = len(want & have) / len(want)
        if s > best:
            best, where = s, (start, end)
    return best, where


def twin_outcome(metric: Metric, activities: list[Activity]) -> Metric | None:
    """The outcome of one of ``activities`` that is the same figure as ``metric`` — the clerk entered it twice, as
    a metric and as the activity's outcome: the same value in the same unit (as base units), with the metric's
    label naming the outcome or its activity (a shared character bigram). A draft writes it once; either
    binding states both."""
    if metric.value is None:
        return None
    value, unit = to_base(metric.value, metric.unit)
    label = bigrams(metric.label)
    for a in activities:
        for o in a.outcomes:
            if o.value is None or to_base(o.value, o.unit) != (value, unit):
                continue
            if label & (bigrams(o.label) | bigrams(a.title)):
                return o
    return None


def coverage(draft: str, sheet: FactSheet, findings: list[Finding]) -> list[Coverage]:
    used: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.status in ("supported",) and f.fact_id:
            used.setdefault(f.fact_id, []).append((f.start, f.end))
        for fid in f.derived_from:
            used.setdefault(fid, [])
    for m in sheet.metrics:  # a figure entered twice (metric and outcome) is stated by either binding
        twin = twin_outcome(m, sheet.activities)
        if twin is not None and (used.get(m.id) or used.get(twin.id)):
            both = used.get(m.id, []) + used.get(twin.id, [])
            used[m.id] = used[twin.id] = both
    sentences = [(m.start(), m.end(), bigrams(m.group())) for m in _SENTENCE.finditer(draft)]
    out: list[Coverage] = []
    for m in sheet.metrics:
        out.append(
            Coverage(
                fact_id=m.id,
                kind="metric",
                label=m.label,
                stated=m.id in used and bool(used[m.id]),
                spans=used.get(m.id, []),
            )
        )
    for a in sheet.activities:
        score, where = _best_sentence(sentences, a.title)
        spans = used.get(a.id, []) + ([where] if score >= TEXT_MIN else [])
        stated = bool(spans) or any(used.get(o.id) for o in a.outcomes)
        out.append(Coverage(fact_id=a.id, kind="activity", label=a.title, stated=stated, spans=spans))
        for o in a.outcomes:
            out.append(
                Coverage(
                    fact_id=o.id,
                    kind="metric",
                    label=f"{a.title}：{o.label}",
                    stated=bool(used.get(o.id)),
                    spans=used.get(o.id, []),
                )
            )
    for kind, items in (
        ("honour", [(h.id, h.title) for h in sheet.honours]),
        ("problem", [(p.id, p.text) for p in sheet.problems]),
        ("plan", [(p.id, p.text) for p in sheet.plans]),
        ("note", [(n.id, n.text) for _, n in sheet.all_notes()]),
    ):
        for fid, text in items:
            score, where = _best_sentence(sentences, text)
            spans = used.get(fid, []) + ([where] if score >= TEXT_MIN else [])
            out.append(Coverage(fact_id=fid, kind=kind, label=text, stated=bool(spans), spans=spans))
    return out
