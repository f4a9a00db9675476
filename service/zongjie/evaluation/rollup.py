"""Roll-up evaluation (``eval/rollup/*.yaml``): roll a unit tree's sheets up, draft the federation's summary and
check it — every total equals its parts and the hand-worked total, the missing units are named, the rate is
recomputed (not summed), approximate parts make approximate totals, and the draft's figures are all supported.

A case holds ``federation``, ``period``, ``scope``, ``tree`` (nested ``name``/``units``), ``indicators`` (an
indicator list), ``sheets`` (``unit``, ``revision``, ``source``, ``facts``), ``confirm`` (near-match source label →
target label), ``picks`` (``[unit, note id]`` 典型经验), ``own`` (the federation's own facts) and ``expect``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..factsheets.model import FactSheet, PeriodInfo, Unit, format_value, parse_fact_sheet
from ..rollup import IndicatorList, RollUp, Submission, UnitTree, roll_up, total_mismatches
from ..rollup.indicators import parse_indicator_list
from ..rollup.matching import confirmation
from .drafts import Case, CaseResult, measure


@dataclass
class RollupCase:
    name: str
    federation: Unit
    period: PeriodInfo
    scope: str
    tree: UnitTree
    indicators: IndicatorList | None
    submissions: list[Submission]
    confirm: dict[str, str]
    picks: list[tuple[str, str]]
    own: dict
    expect: dict

    def run(self, confirmed: bool = True) -> RollUp:
        keys = dict(confirmation(a, b, self.indicators) for a, b in self.confirm.items()) if confirmed else {}
        return roll_up(
            self.federation,
            self.period,
            self.submissions,
            tree=self.tree,
            scope="direct" if self.scope == "direct" else "all",
            indicators=self.indicators,
            confirmed=keys,
        )

    def sheet(self, result: RollUp) -> FactSheet:
        base = parse_fact_sheet(
            {"unit": self.federation.model_dump(), "period": self.period.model_dump(), **self.own}, self.name
        )
        return result.to_sheet(base, self.picks)


def load_rollup_cases(folder: Path) -> list[RollupCase]:
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        subs = [
            Submission(
                unit=s["unit"],
                sheet=parse_fact_sheet(s["facts"], f"{path}:{s['unit']}"),
                revision=s.get("revision"),
                sheet_id=s.get("sheet_id"),
                source=s.get("source", "approved"),
            )
            for s in spec["sheets"]
        ]
        cases.append(
            RollupCase(
                name=path.stem,
                federation=Unit.model_validate(spec["federation"]),
                period=PeriodInfo.model_validate(spec["period"]),
                scope=spec.get("scope", "all"),
                tree=UnitTree.from_nested(spec["tree"]),
                indicators=parse_indicator_list(spec["indicators"], str(path)) if spec.get("indicators") else None,
                submissions=subs,
                confirm=dict(spec.get("confirm") or {}),
                picks=[tuple(p) for p in spec.get("picks") or []],
                own=dict(spec.get("own") or {}),
                expect=dict(spec.get("expect") or {}),
            )
        )
    return cases


def rollup_problems(case: RollupCase, result: RollUp, sheet: FactSheet) -> list[str]:
    """Where the roll-up departs from the case's hand-worked expectations (empty: it is right)."""
    exp, out = case.expect, []
    by_id = {m.id: m for m in sheet.metrics}
    info = sheet.rollup or result.info
    for mm in total_mismatches(sheet):
        out.append(mm.message_zh)
    if "included" in exp and len(info.included) != exp["included"]:
        out.append(f"纳入单位 {len(info.included)} 个，应为 {exp['included']} 个")
    missing = [m.unit for m in info.missing]
    for name in exp.get("missing", []):
        if name not in missing:
            out.append(f"缺报单位未列出：{name}")
    for key, value in (exp.get("totals") or {}).items():
        m = by_id.get(key)
        if m is None:
            out.append(f"缺少合计：{key}")
            continue
        if m.value != value:
            out.append(f"{m.label}合计 {format_value(m.value or 0)}，应为 {format_value(value)}")
        if m.formula is not None or not m.parts:
            out.append(f"{m.label}应为各单位之和并带构成")
        for name in missing:
            if name not in m.not_included:
                out.append(f"{m.label}未标明未含{name}")
        if (key in exp.get("approximate", [])) != m.approximate:
            out.append(f"{m.label}约数标记不对")
    for key, value in (exp.get("rates") or {}).items():
        m = by_id.get(key)
        if m is None or m.formula is None:
            out.append(f"比率{key}没有由分子、分母重新计算")
            continue
        if m.value != value:
            out.append(f"{m.label} {format_value(m.value or 0)}%，应为 {format_value(value)}%")
        if m.value == sum(p.value for p in m.parts):
            out.append(f"{m.label}是各单位比率相加")
    if "proposals_before_confirm" in exp:
        before = [p.label for p in case.run(confirmed=False).info.proposals]
        if sorted(before) != sorted(exp["proposals_before_confirm"]):
            out.append(f"相近指标建议为 {before}，应为 {exp['proposals_before_confirm']}")
        if info.proposals:
            out.append(f"确认后仍有相近指标建议：{[p.label for p in info.proposals]}")
    return out


@dataclass
class RollupResult:
    draft: CaseResult
    rollup_failures: list[str] = field(default_factory=list)
    draft_failures: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return self.rollup_failures + self.draft_failures + self.draft.failures

    @property
    def passed(self) -> bool:
        return not self.failures


def draft_problems(case: RollupCase, sheet: FactSheet, text: str) -> list[str]:
    """The draft names what the totals leave out and writes picked notes with their unit's name."""
    out = []
    for m in sheet.rollup.missing if sheet.rollup else []:
        if m.unit not in text:
            out.append(f"稿中没有写明未含{m.unit}")
    for unit, _ in case.picks:
        if unit not in text:
            out.append(f"典型经验没有写明单位：{unit}")
    return out


def evaluate_rollup(cases: list[RollupCase], settings, kb, llm, backend: str) -> list[RollupResult]:
    from ..drafting.pipeline import run_draft

    results = []
    for case in cases:
        result = case.run()
        sheet = case.sheet(result)
        t = time.perf_counter()
        draft = run_draft(sheet, settings, kb=kb, llm=llm)
        measured = measure(Case(case.name, sheet, {}), draft, backend, time.perf_counter() - t)
        results.append(
            RollupResult(measured, rollup_problems(case, result, sheet), draft_problems(case, sheet, draft.text()))
        )
    return results
