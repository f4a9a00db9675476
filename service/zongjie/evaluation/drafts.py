"""Draft evaluation: draft every case in ``eval/cases`` with a backend and measure what an editor cares about.

A case is a YAML file: ``facts`` (inline) or ``facts_file`` (relative path) and ``expect`` — ``min_sections``,
``topics`` (planned topics that must appear), ``max_chars``, ``second_level``. Per case the harness computes:
number precision (share of checked figures the facts support — RotoWire's relation-generation precision), fact
coverage, counts of wrong / misattributed / invented / placeholder / leaked figures and leaked names, copied-span
ratio against the exemplars used, outline validity (title, opening, consecutive 一、二、… and （一）（二）…, problems
and plans sections when the facts have them), the case's expectations, length, wall time and token usage.
``gates`` decide pass/fail: precision 100%, coverage ≥ 98%, no placeholders, no leaks, valid outline, expectations met.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from ..factsheets.model import FactSheet, load_fact_sheet, parse_fact_sheet
from ..stages.assemble import Draft, cn_number

GATES = {"number_precision": 1.0, "coverage": 0.98, "placeholders": 0, "leaks": 0}


@dataclass
class Case:
    name: str
    sheet: FactSheet
    expect: dict


@dataclass
class CaseResult:
    name: str
    unit_type: str
    period: str
    backend: str
    number_precision: float
    coverage: float
    wrong: int
    misattributed: int
    invented: int
    placeholders: int
    leaked_figures: int
    leaked_names: int
    copied_ratio: float
    outline_valid: bool
    outline_problems: list[str]
    expectations_met: bool
    expectation_problems: list[str]
    sections: int
    chars: int
    seconds: float
    llm_calls: int
    prompt_tokens: int
    completion_tokens: int
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(folder: Path) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "facts_file" in spec:
            sheet = load_fact_sheet((path.parent / spec["facts_file"]).resolve())
        else:
            sheet = parse_fact_sheet(spec["facts"], str(path))
        cases.append(Case(path.stem, sheet, spec.get("expect") or {}))
    return cases


def outline_problems(draft: Draft, sheet: FactSheet) -> list[str]:
    problems = []
    if not draft.title or sheet.unit.name not in draft.title:
        problems.append("标题缺少单位名称")
    if not draft.opening or str(sheet.period.year) not in draft.opening:
        problems.append("缺少开头段")
    for i, s in enumerate(draft.sections, 1):
        if s.marker != f"{cn_number(i)}、":
            problems.append(f"一级标题编号不连续：{s.marker}")
        for j, c in enumerate(s.children, 1):
            if c.marker != f"（{cn_number(j)}）":
                problems.append(f"二级标题编号不连续：{c.marker}")
        if not s.children and not s.text.strip():
            problems.append(f"“{s.heading}”没有正文")
    roles = [s.role for s in draft.sections]
    if sheet.problems and not {"problems", "closing"} & set(roles):
        problems.append("缺少存在问题部分")
    if sheet.plans and not {"plans", "closing"} & set(roles):
        problems.append("缺少工作打算部分")
    if roles and "body" in roles and roles.index("body") > 0:
        problems.append("正文应在问题和打算之前")
    return problems


def expectation_problems(draft: Draft, expect: dict) -> list[str]:
    problems = []
    keys = {s.key.split("/")[0] for s in draft.walk()}
    if len(draft.sections) < expect.get("min_sections", 0):
        problems.append(f"部分太少：{len(draft.sections)} < {expect['min_sections']}")
    for topic in expect.get("topics", []):
        if topic not in keys:
            problems.append(f"缺少主题：{topic}")
    if "max_chars" in expect and len(draft.text()) > expect["max_chars"]:
        problems.append(f"篇幅超出：{len(draft.text())} > {expect['max_chars']}")
    if expect.get("second_level") and not any(s.children for s in draft.sections):
        problems.append("应有二级标题")
    return problems


def measure(case: Case, draft: Draft, backend: str, seconds: float) -> CaseResult:
    summary = draft.report.summary
    counts = summary.counts
    outline = outline_problems(draft, case.sheet)
    expectations = expectation_problems(draft, case.expect)
    r = CaseResult(
        name=case.name,
        unit_type=case.sheet.unit.type,
        period=case.sheet.period.kind,
        backend=backend,
        number_precision=summary.number_precision,
        coverage=summary.coverage,
        wrong=counts.get("wrong_value", 0),
        misattributed=counts.get("misattributed", 0),
        invented=counts.get("unsupported", 0),
        placeholders=counts.get("placeholder", 0),
        leaked_figures=counts.get("leaked", 0),
        leaked_names=counts.get("leaked_names", 0),
        copied_ratio=summary.copied_ratio,
        outline_valid=not outline,
        outline_problems=outline,
        expectations_met=not expectations,
        expectation_problems=expectations,
        sections=len(list(draft.walk())),
        chars=len(draft.text()),
        seconds=round(seconds, 3),
        llm_calls=draft.usage.get("llm_calls", 0),
        prompt_tokens=draft.usage.get("prompt_tokens", 0),
        completion_tokens=draft.usage.get("completion_tokens", 0),
    )
    if r.number_precision < GATES["number_precision"]:
        r.failures.append(f"数字精确率 {r.number_precision:.2%} < 100%")
    if r.coverage < GATES["coverage"]:
        r.failures.append(f"事实覆盖 {r.coverage:.2%} < 98%")
    if r.placeholders > GATES["placeholders"]:
        r.failures.append(f"占位符 {r.placeholders}")
    if r.leaked_figures + r.leaked_names > GATES["leaks"]:
        r.failures.append(f"范文泄漏 {r.leaked_figures + r.leaked_names}")
    r.failures += outline + expectations
    return r


def timed_drafts(sheets: list[FactSheet], settings, kb, llm) -> Iterator[tuple[Draft, float]]:
    """Draft each fact sheet in turn: (draft, seconds it took)."""
    from ..drafting.pipeline import run_draft

    for sheet in sheets:
        t = time.perf_counter()
        draft = run_draft(sheet, settings, kb=kb, llm=llm)
        yield draft, time.perf_counter() - t


def evaluate(cases: list[Case], settings, kb, llm, backend: str) -> list[CaseResult]:
    drafts = timed_drafts([c.sheet for c in cases], settings, kb, llm)
    return [measure(case, draft, backend, seconds) for case, (draft, seconds) in zip(cases, drafts, strict=True)]


def totals(results: list[CaseResult]) -> dict:
    n = len(results) or 1
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "number_precision": round(sum(r.number_precision for r in results) / n, 4),
        "coverage": round(sum(r.coverage for r in results) / n, 4),
        "wrong": sum(r.wrong + r.misattributed for r in results),
        "invented": sum(r.invented for r in results),
        "placeholders": sum(r.placeholders for r in results),
        "leaks": sum(r.leaked_figures + r.leaked_names for r in results),
        "copied_ratio": round(sum(r.copied_ratio for r in results) / n, 4),
        "outline_valid": sum(r.outline_valid for r in results),
        "chars": sum(r.chars for r in results),
        "seconds": round(sum(r.seconds for r in results), 2),
        "llm_calls": sum(r.llm_calls for r in results),
        "tokens": sum(r.prompt_tokens + r.completion_tokens for r in results),
    }


def write_report(runs: dict[str, list[CaseResult]], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    data = {
        backend: {"totals": totals(rs), "cases": [asdict(r) | {"passed": r.passed} for r in rs]}
        for backend, rs in runs.items()
    }
    json_path = out / "report.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Draft evaluation",
        "",
        "Gates: number precision 100%, coverage ≥ 98%, 0 placeholders, 0 leaks, valid outline, case expectations met.",
        "",
    ]
    for backend, rs in runs.items():
        t = totals(rs)
        lines += [
            f"## Backend: {backend} — {t['passed']}/{t['cases']} cases pass",
            "",
            f"Totals: precision {t['number_precision']:.2%}, coverage {t['coverage']:.2%}, wrong {t['wrong']}, "
            f"invented {t['invented']}, placeholders {t['placeholders']}, leaks {t['leaks']}, copied "
            f"{t['copied_ratio']:.2%}, valid outlines {t['outline_valid']}/{t['cases']}, {t['chars']} chars, "
            f"{t['seconds']} s, {t['llm_calls']} LLM calls, {t['tokens']} tokens",
            "",
            "| case | type | period | precision | coverage | wrong | invented | placeholders | leaks | copied "
            "| outline | sections | chars | s | tokens | result |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rs:
            leaks = r.leaked_figures + r.leaked_names
            result = "pass" if r.passed else "FAIL: " + "; ".join(r.failures)
            lines.append(
                f"| {r.name} | {r.unit_type} | {r.period} | {r.number_precision:.0%} | {r.coverage:.0%} | "
                f"{r.wrong + r.misattributed} | {r.invented} | {r.placeholders} | {leaks} | "
                f"{r.copied_ratio:.1%} | {'ok' if r.outline_valid else '✗'} | {r.sections} | {r.chars} | {r.seconds} | "
                f"{r.prompt_tokens + r.completion_tokens} | {result} |"
            )
        lines.append("")
    md_path = out / "report.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return md_path, json_path
