"""The check report: one finding per figure, plus coverage, leaks and copied spans; JSON and readable text.

``CheckReport`` is the one typed report: ``Draft.report`` holds it, the web pages, the CLI, the JSON export, the
eval and editing read it. Its JSON form (``model_dump(mode="json")``) carries a computed ``summary``
(``ReportSummary``) so stored drafts and exports can be read without recomputing; reading a stored report back
ignores that summary and recomputes it. Statuses are a ``Literal`` that only grows: add the status here and its
Chinese name to ``STATUS_ZH``; every status but supported, derived and exempt is an error (``ERROR_STATUSES``).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, computed_field

Status = Literal[
    "supported",
    "derived",
    "exempt",
    "wrong_value",
    "misattributed",
    "unsupported",
    "leaked",
    "placeholder",
    "stale",
    "plan_as_done",
    "yoy_wrong",
    "total_mismatch",
]
# every status but the three that need no editor's attention
ERROR_STATUSES = set(get_args(Status)) - {"supported", "derived", "exempt"}

STATUS_ZH = {
    "supported": "有据",
    "derived": "可推算",
    "exempt": "无需核对",
    "wrong_value": "数值不符",
    "misattributed": "张冠李戴",
    "unsupported": "无出处",
    "leaked": "范文数字",
    "placeholder": "占位符",
    "stale": "沿用去年数字",
    "plan_as_done": "计划当成绩",
    "yoy_wrong": "同比不符",
    "total_mismatch": "合计不符",
}


class Finding(BaseModel):
    """One figure, date or placeholder in the draft and what the facts say about it."""

    start: int
    end: int
    text: str
    kind: str
    status: Status
    fact_id: str | None = None
    fact_label: str | None = None
    expected: str | None = None
    derived_from: list[str] = Field(default_factory=list)
    source: str | None = None  # for leaks: the exemplar it came from
    message: str = ""
    value: float | None = None
    lo: float | None = None
    hi: float | None = None
    unit: str = ""

    @property
    def is_error(self) -> bool:
        return self.status in ERROR_STATUSES


class Coverage(BaseModel):
    fact_id: str
    kind: Literal["metric", "activity", "honour", "problem", "plan", "note"]
    label: str
    stated: bool
    spans: list[tuple[int, int]] = Field(default_factory=list)


class Leak(BaseModel):
    start: int
    end: int
    text: str
    kind: Literal["name", "figure"]
    source: str


class CopiedSpan(BaseModel):
    start: int
    end: int
    text: str
    source: str


class ReportSummary(BaseModel):
    """The figures an editor (and CI) looks at first."""

    ok: bool
    errors: int
    counts: dict[str, int]
    number_precision: float
    coverage: float
    copied_ratio: float


class CheckReport(BaseModel):
    findings: list[Finding] = Field(default_factory=list)
    coverage: list[Coverage] = Field(default_factory=list)
    leaks: list[Leak] = Field(default_factory=list)
    copies: list[CopiedSpan] = Field(default_factory=list)
    length: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def error_count(self) -> int:
        names = [lk for lk in self.leaks if lk.kind == "name"]
        return len(self.errors) + len(names) + len(self.copies)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUS_ZH}
        for f in self.findings:
            out[f.status] += 1
        out["leaked_names"] = sum(1 for lk in self.leaks if lk.kind == "name")
        out["copied_spans"] = len(self.copies)
        out["facts_missing"] = sum(1 for c in self.coverage if not c.stated)
        return out

    def number_precision(self) -> float:
        """Share of checkable figures that the facts support (RotoWire's relation-generation precision)."""
        checked = [f for f in self.findings if f.kind == "quantity" or f.kind == "date" or f.kind == "placeholder"]
        checked = [f for f in checked if f.status != "exempt"]
        if not checked:
            return 1.0
        return sum(1 for f in checked if f.status in ("supported", "derived")) / len(checked)

    def coverage_ratio(self) -> float:
        if not self.coverage:
            return 1.0
        return sum(1 for c in self.coverage if c.stated) / len(self.coverage)

    def copied_ratio(self) -> float:
        return sum(c.end - c.start for c in self.copies) / self.length if self.length else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> ReportSummary:
        return ReportSummary(
            ok=self.ok,
            errors=self.error_count,
            counts=self.counts(),
            number_precision=round(self.number_precision(), 4),
            coverage=round(self.coverage_ratio(), 4),
            copied_ratio=round(self.copied_ratio(), 4),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form: every finding, coverage, leaks, copies and the ``summary``."""
        return self.model_dump(mode="json")

    def to_text(self, draft: str | None = None) -> str:
        """A report an editor can read: errors first with line:column, then coverage gaps and a summary."""
        lines: list[str] = []

        def where(offset: int) -> str:
            if draft is None:
                return f"@{offset}"
            line = draft.count("\n", 0, offset) + 1
            col = offset - (draft.rfind("\n", 0, offset) + 1) + 1
            return f"{line}:{col}"

        errs = self.errors
        if errs:
            lines.append(f"错误 {len(errs)} 处（数字）：")
            for f in errs:
                lines.append(f"  {where(f.start)}  「{f.text}」 {STATUS_ZH[f.status]}：{f.message}")
        names = [lk for lk in self.leaks if lk.kind == "name"]
        if names:
            lines.append(f"范文名称泄漏 {len(names)} 处：")
            for lk in names:
                lines.append(f"  {where(lk.start)}  「{lk.text}」 来自 {lk.source}")
        if self.copies:
            lines.append(f"照抄范文 {len(self.copies)} 处：")
            for cp in self.copies:
                lines.append(
                    f"  {where(cp.start)}  「{cp.text[:30]}{'…' if len(cp.text) > 30 else ''}」"
                    f"（{cp.end - cp.start} 字，来自 {cp.source}）"
                )
        missing = [c for c in self.coverage if not c.stated]
        if missing:
            lines.append(f"未写入的事实 {len(missing)} 项：")
            for cov in missing:
                lines.append(f"  [{cov.fact_id}] {cov.label}")
        c = self.counts()
        lines.append(
            f"共检查数字 {len(self.findings)} 个：有据 {c['supported']}，可推算 {c['derived']}，"
            f"无需核对 {c['exempt']}，"
            f"数值不符 {c['wrong_value']}，张冠李戴 {c['misattributed']}，无出处 {c['unsupported']}，"
            f"范文数字 {c['leaked']}，占位符 {c['placeholder']}，沿用去年数字 {c['stale']}，"
            f"计划当成绩 {c['plan_as_done']}，同比不符 {c['yoy_wrong']}；事实覆盖 {self.coverage_ratio():.0%}。"
        )
        lines.append("结论：通过" if self.ok else f"结论：不通过（{self.error_count} 处错误）")
        return "\n".join(lines)
