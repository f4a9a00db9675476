"""Precision and recall of the number finder on the labelled expressions in ``eval/numbers/expressions.txt``.

Each line is ``TEXT | SURFACE => SPEC ; …`` (see the file's header). A predicted mention is a true positive when
an expected one has the same surface text and the same normalised reading (value or range, unit, date, period,
placeholder). Anything predicted and not expected is a false positive; anything expected and not found is a miss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..numbers import Mention, find_numbers


@dataclass(slots=True)
class Expected:
    surface: str
    spec: str


@dataclass(slots=True)
class Case:
    line: int
    text: str
    expected: list[Expected]


@dataclass(slots=True)
class CaseResult:
    case: Case
    predicted: list[str]
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.false_positives and not self.misses


def load_cases(path: Path) -> list[Case]:
    cases = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "|" not in line:
            raise ValueError(f"{path.name}:{n}: missing '|'")
        text, _, rest = line.partition("|")
        expected = []
        for item in filter(None, (x.strip() for x in rest.split(";"))):
            surface, _, spec = item.partition("=>")
            expected.append(Expected(surface.strip(), spec.strip()))
        cases.append(Case(n, text.strip(), expected))
    return cases


def _num(x: float | None) -> str:
    if x is None or math.isinf(x):
        return "inf"
    x = round(x, 4)
    return str(int(x)) if x == int(x) else f"{x:g}"


def spec_of(m: Mention) -> str:
    """The mention in the file's SPEC notation."""
    if m.kind == "placeholder":
        return "!"
    if m.kind == "period":
        return f"#{m.period}"
    if m.kind == "date":
        parts = [str(m.year) if m.year else "?"]
        if m.month is not None or m.day is not None:
            parts.append(str(m.month) if m.month is not None else "?")
        if m.day is not None:
            parts.append(str(m.day))
        return "@" + "-".join(parts)
    if m.lo == m.hi == m.value:
        return f"{_num(m.value)} {m.unit}".strip()
    return f"{_num(m.lo)}..{_num(m.hi)} {m.unit}".strip()


def _canon_spec(spec: str) -> str:
    return " ".join(spec.split())


def evaluate(cases: list[Case]) -> tuple[list[CaseResult], dict[str, float]]:
    results = []
    tp = fp = fn = 0
    for case in cases:
        predicted = [f"{m.text} => {spec_of(m)}" for m in find_numbers(case.text)]
        wanted = [f"{e.surface} => {_canon_spec(e.spec)}" for e in case.expected]
        remaining = list(wanted)
        res = CaseResult(case, predicted)
        for p in predicted:
            if p in remaining:
                remaining.remove(p)
                tp += 1
            else:
                res.false_positives.append(p)
                fp += 1
        res.misses = remaining
        fn += len(remaining)
        results.append(res)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    negatives = [r for r in results if not r.case.expected]
    summary = {
        "expressions": len(cases),
        "mentions": tp + fn,
        "true_positives": tp,
        "false_positives": fp,
        "misses": fn,
        "precision": precision,
        "recall": recall,
        "non_quantity_lines": len(negatives),
        "non_quantity_clean": sum(1 for r in negatives if r.ok),
    }
    return results, summary
