"""The adversarial suite of the checker: traps that must be flagged, true statements that must pass.

Cases live in ``eval/adversarial/cases/*.yaml``, one file per class of trap::

    class: wrong_yoy
    title: 同比写错
    cases:
      - id: growth-percent
        facts: {metrics: [...], plans: [...], ...}       # a small fact sheet; unit and period default below
        revised: {...}                                    # optional: revision B of the sheet
        trap: {text: 工会会员…同比增长8.2%。, at: 8.2%, expect: yoy_wrong}
        pass: [工会会员…同比增长6.8%。]

A trap is **caught** when the checker reports the expected status on the ``at`` span (on one
occurrence of ``at`` when it occurs more than once: 「3起，比去年减少3起」); any other error in the trap
text is **extra**. With ``revised``, the trap text must pass against ``facts`` (revision A) and be caught
against ``revised`` (revision B); pass statements are checked against the sheet in force (B when given).
A pass statement with any error is a **false alarm**. Statements are whole draft snippets: a heading line
(「二、明年工作打算」) puts what follows in the plans part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..factsheets.model import FactSheet, parse_fact_sheet
from ..stages.check import CheckInput, check

DEFAULTS = {"unit": {"name": "青禾镇总工会", "type": "township"}, "period": {"year": 2025, "kind": "annual"}}


@dataclass(slots=True)
class Trap:
    klass: str
    id: str
    facts: FactSheet
    revised: FactSheet | None
    text: str
    at: str
    expect: str
    passes: list[str]


@dataclass(slots=True)
class TrapResult:
    trap: Trap
    caught: bool
    got: str  # the status found on the span (or "none")
    extra: list[str] = field(default_factory=list)  # other errors in the trap text: "「text」status"
    before_revision: list[str] = field(default_factory=list)  # errors against revision A (must be none)
    false_alarms: list[tuple[str, list[str]]] = field(default_factory=list)  # (pass text, its errors)

    @property
    def ok(self) -> bool:
        return self.caught and not self.extra and not self.before_revision and not self.false_alarms


def _sheet(data: dict) -> FactSheet:
    return parse_fact_sheet({**DEFAULTS, **data})


def load_traps(folder: Path) -> list[Trap]:
    traps = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            trap = case["trap"]
            traps.append(
                Trap(
                    klass=spec["class"],
                    id=case["id"],
                    facts=_sheet(case["facts"]),
                    revised=_sheet(case["revised"]) if case.get("revised") else None,
                    text=trap["text"],
                    at=trap["at"],
                    expect=trap["expect"],
                    passes=list(case.get("pass", [])),
                )
            )
    return traps


def _errors(text: str, sheet: FactSheet) -> list[tuple[int, int, str, str]]:
    report = check(CheckInput(text, sheet, with_coverage=False))
    return [(f.start, f.end, f.text, f.status) for f in report.errors]


def run_trap(trap: Trap) -> TrapResult:
    sheet = trap.revised or trap.facts
    spans = {(m.start(), m.end()) for m in re.finditer(re.escape(trap.at), trap.text)}
    if not spans:
        raise ValueError(f"{trap.klass}/{trap.id}: {trap.at!r} is not in the trap text")
    errors = _errors(trap.text, sheet)
    on_span = [e[3] for e in errors if (e[0], e[1]) in spans]
    got = trap.expect if trap.expect in on_span else (on_span[0] if on_span else "none")
    result = TrapResult(trap, caught=got == trap.expect, got=got)
    result.extra = [f"「{t}」{s}" for a, b, t, s in errors if (a, b) not in spans or s != trap.expect]
    if trap.revised is not None:
        result.before_revision = [f"「{t}」{s}" for _, _, t, s in _errors(trap.text, trap.facts)]
    for text in trap.passes:
        errs = _errors(text, sheet)
        if errs:
            result.false_alarms.append((text, [f"「{t}」{s}" for _, _, t, s in errs]))
    return result


@dataclass(slots=True)
class Summary:
    traps: int
    caught: int
    passes: int
    false_alarms: int
    classes: dict[str, tuple[int, int, int, int]]  # class → (traps, caught, passes, false alarms)

    @property
    def ok(self) -> bool:
        return self.caught == self.traps and self.false_alarms == 0


def evaluate(traps: list[Trap]) -> tuple[list[TrapResult], Summary]:
    results = [run_trap(t) for t in traps]
    classes: dict[str, tuple[int, int, int, int]] = {}
    for r in results:
        n, c, p, f = classes.get(r.trap.klass, (0, 0, 0, 0))
        good = r.caught and not r.extra and not r.before_revision
        classes[r.trap.klass] = (n + 1, c + good, p + len(r.trap.passes), f + len(r.false_alarms))
    summary = Summary(
        traps=len(results),
        caught=sum(c for _, c, _, _ in classes.values()),
        passes=sum(p for _, _, p, _ in classes.values()),
        false_alarms=sum(f for _, _, _, f in classes.values()),
        classes=classes,
    )
    return results, summary


def markdown(results: list[TrapResult], s: Summary) -> str:
    lines = [
        "# Adversarial suite of the checker",
        "",
        "Each trap is a small fact sheet and one statement the checker must flag with the expected status; each",
        "true statement next to it must pass with no finding. Cases: `eval/adversarial/cases/` (written for the",
        "project). Regenerate with `.venv/bin/python eval/adversarial/report.py`.",
        "",
        f"- traps caught: {s.caught}/{s.traps}",
        f"- false alarms: {s.false_alarms}/{s.passes} true statements",
        "",
        "| class | traps | caught | true statements | false alarms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for klass, (n, c, p, f) in sorted(s.classes.items()):
        lines.append(f"| {klass} | {n} | {c} | {p} | {f} |")
    bad = [r for r in results if not r.ok]
    if bad:
        lines += ["", "## Failures", ""]
        for r in bad:
            t = r.trap
            what = [] if r.caught else [f"expected {t.expect} on 「{t.at}」, got {r.got}"]
            what += [f"extra {', '.join(r.extra)}"] if r.extra else []
            what += [f"flagged against revision A: {', '.join(r.before_revision)}"] if r.before_revision else []
            what += [f"false alarm on 「{text}」: {', '.join(errs)}" for text, errs in r.false_alarms]
            lines.append(f"- {t.klass}/{t.id}: " + "; ".join(what))
    return "\n".join(lines) + "\n"
