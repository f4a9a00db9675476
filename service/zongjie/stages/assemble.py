"""Stage: assemble — planned sections + written sections → a numbered ``Draft`` with provenance and a check report.

Numbering follows the heading ladder: first level 一、二、…, second level （一）（二）…. After the sections come the
closing paragraph and the 落款 (signing unit, then date, each on its own line). The whole text is checked
once more (with coverage) so that the report's character offsets refer to ``Draft.text()``; every figure's
provenance (the fact id it came from, or why none) is taken from that report.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from ..checker.exemplars import Exemplar
from ..checker.facts_index import FactIndex, build_index
from ..checker.matching import CheckPolicy
from ..checker.parts import part_of_role
from ..checker.report import CheckReport, Status
from ..factsheets.model import FactSheet
from ..writers.base import with_rollup_remark
from .check import CheckInput, check
from .draft import UNVERIFIED, SectionResult
from .outline import BaseUsed
from .plan import Plan

CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + CN_NUMBERS[n - 11]
    return CN_NUMBERS[n // 10 - 1] + "十" + (CN_NUMBERS[n % 10 - 1] if n % 10 else "")


class DraftSection(BaseModel):
    key: str
    marker: str  # 一、 or （一）
    heading: str
    level: int
    role: str = "body"
    text: str = ""
    fact_ids: list[str] = Field(default_factory=list)
    exemplar_sources: list[str] = Field(default_factory=list)
    rounds: int = 0
    fallback: str = "none"
    note: str = ""
    unverified: int = 0
    seconds: float = 0.0
    children: list[DraftSection] = Field(default_factory=list)

    def walk(self) -> Iterator[DraftSection]:
        yield self
        for c in self.children:
            yield from c.walk()


class Provenance(BaseModel):
    start: int
    end: int
    text: str
    status: Status
    fact_id: str | None = None
    derived_from: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    title: str
    unit_name: str
    year: int
    period: str
    opening: str
    sections: list[DraftSection]
    backend: str
    closing: str = ""
    signature_unit: str = ""
    signature_date: str = ""  # as printed: 2025年12月20日
    outline_source: str = "fallback"
    prompt_version: str = ""  # hash of the prompt templates it was drafted with ("" before it was recorded)
    outline_model: list[str] = Field(default_factory=list)  # the summaries the outline was learned from
    base: BaseUsed = Field(default_factory=lambda: BaseUsed())  # the past summary followed, or why none was
    exemplars: list[dict[str, Any]] = Field(default_factory=list)  # {source, sections: [keys]}
    timings: dict[str, float] = Field(default_factory=dict)
    usage: dict[str, int] = Field(default_factory=dict)
    provenance: list[Provenance] = Field(default_factory=list)
    report: CheckReport = Field(default_factory=CheckReport)
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def walk(self) -> Iterator[DraftSection]:
        for s in self.sections:
            yield from s.walk()

    def set_report(self, report: CheckReport) -> None:
        """Attach a check report of ``text()`` and take every figure's provenance from it."""
        self.report = report
        self.provenance = [
            Provenance(
                start=f.start, end=f.end, text=f.text, status=f.status, fact_id=f.fact_id, derived_from=f.derived_from
            )
            for f in report.findings
        ]

    def _parts(self) -> Iterator[tuple[str | None, str]]:
        """(section key for a section's text, else None; the line) in the order ``text()`` joins them."""
        for line in (self.title, self.opening):
            if line:
                yield None, line
        for s in self.walk():
            yield None, f"{s.marker}{s.heading}"
            if s.text:
                yield s.key, s.text
        for line in (self.closing, self.signature_unit, self.signature_date):
            if line:
                yield None, line

    @property
    def offline_sections(self) -> list[DraftSection]:
        """Sections the offline drafter wrote (all of them when no model was configured)."""
        return [s for s in self.walk() if s.text and (self.backend == "offline" or s.fallback != "none")]

    def text(self) -> str:
        """Plain text: title, opening, numbered sections. Report offsets refer to this string."""
        return "\n".join(line for _, line in self._parts())

    def section_offsets(self) -> dict[str, int]:
        """Where each section's text starts in ``text()``."""
        offsets: dict[str, int] = {}
        pos = 0
        for key, line in self._parts():
            if key is not None:
                offsets[key] = pos
            pos += len(line) + 1
        return offsets


def _section(result: SectionResult, marker: str, level: int) -> DraftSection:
    return DraftSection(
        key=result.key,
        marker=marker,
        heading=result.heading,
        level=level,
        role=result.role,
        text=result.text,
        fact_ids=result.fact_ids,
        exemplar_sources=result.exemplar_sources,
        rounds=result.rounds,
        fallback=result.fallback,
        note=result.note,
        unverified=result.unverified,
        seconds=round(result.seconds, 3),
    )


def assemble(
    sheet: FactSheet,
    plan: Plan,
    opening: str,
    results: list[SectionResult],
    backend: str,
    exemplars: list[Exemplar],
    policy: CheckPolicy | None = None,
    copy_min_chars: int = 20,
    closing: str = "",
    signature: tuple[str, str] = ("", ""),
    index: FactIndex | None = None,
) -> Draft:
    """The sections written into one ``Draft`` in the plan's order, checked as a whole (``index``: the sheet's facts
    index the sections were written with, reused for the final check; built from ``sheet`` when not given)."""
    by_key = {r.key: r for r in results}
    sections = []
    for i, planned in enumerate(plan.sections, 1):
        marker = f"{cn_number(i)}、"
        if planned.children:
            parent = DraftSection(key=planned.key, marker=marker, heading=planned.heading, level=1, role=planned.role)
            if planned.key in by_key:  # the section's own facts open it, before its subsections
                parent = _section(by_key[planned.key], marker, 1)
            for j, child in enumerate(planned.children, 1):
                parent.children.append(_section(by_key[child.key], f"（{cn_number(j)}）", 2))
            sections.append(parent)
        else:
            sections.append(_section(by_key[planned.key], marker, 1))
    used: dict[str, list[str]] = {}
    for r in results:
        for src in r.exemplar_sources:
            used.setdefault(src, []).append(r.key)
    draft = Draft(
        title=plan.title,
        unit_name=sheet.unit.name,
        year=sheet.period.year,
        period=sheet.period.kind,
        opening=with_rollup_remark(opening, sheet),
        sections=sections,
        backend=backend,
        closing=closing,
        signature_unit=signature[0],
        signature_date=signature[1],
        outline_source=plan.outline_source,
        outline_model=plan.learned_from if plan.outline_source == "own" else [],
        base=plan.base,
        exemplars=[{"source": s, "sections": keys} for s, keys in used.items()],
        usage={
            "prompt_tokens": sum(r.prompt_tokens for r in results),
            "completion_tokens": sum(r.completion_tokens for r in results),
            "llm_calls": sum(r.rounds for r in results),
        },
    )
    index = index or build_index(sheet)
    report = check_draft(draft, sheet, exemplars, policy, copy_min_chars, index)
    if mark_remaining(draft, report):  # the whole draft is checked once more: nothing wrong leaves unmarked
        report = check_draft(draft, sheet, exemplars, policy, copy_min_chars, index)
    draft.set_report(report)
    return draft


def mark_remaining(draft: Draft, report: CheckReport) -> int:
    """Mark 【待核实】 after every error the whole-draft check finds in a section's heading or text that is not
    marked yet (a figure the section check let through, a placeholder in a heading or note the clerk wrote);
    returns how many were marked. Offsets are those of ``draft.text()``."""
    where: list[tuple[int, int, DraftSection, str]] = []  # (start, end, section, "heading" | "text")
    pos = sum(len(line) + 1 for line in (draft.title, draft.opening) if line)
    for s in draft.walk():
        where.append((pos + len(s.marker), pos + len(s.marker) + len(s.heading), s, "heading"))
        pos += len(s.marker) + len(s.heading) + 1
        if s.text:
            where.append((pos, pos + len(s.text), s, "text"))
            pos += len(s.text) + 1
    spans = [(f.start, f.end) for f in report.errors]
    spans += [(lk.start, lk.end) for lk in report.leaks if lk.kind == "name"]
    text = draft.text()
    marks: dict[tuple[int, str], set[int]] = {}
    sections: dict[int, DraftSection] = {}
    for start, end in spans:
        if text.startswith(UNVERIFIED, end):
            continue
        for a, b, s, part in where:
            if a <= start and end <= b:
                marks.setdefault((id(s), part), set()).add(end - a)
                sections[id(s)] = s
                break
    for (sid, part), ats in marks.items():
        s = sections[sid]
        value = getattr(s, part)
        for at in sorted(ats, reverse=True):
            value = value[:at] + UNVERIFIED + value[at:]
        setattr(s, part, value)
        s.unverified += len(ats)
    return sum(len(v) for v in marks.values())


def check_draft(
    draft: Draft,
    sheet: FactSheet,
    exemplars: list[Exemplar],
    policy: CheckPolicy | None = None,
    copy_min_chars: int = 20,
    index: FactIndex | None = None,
) -> CheckReport:
    """The whole draft checked against ``sheet`` (problems and plans sections as their part); ``index``: the sheet's
    facts index when the caller has it (else ``check`` builds it)."""
    offsets = draft.section_offsets()
    parts = [  # a plans section is the plans part whatever its heading says (立足新起点，谋划新发展)
        (offsets[s.key], offsets[s.key] + len(s.text) + 1, part_of_role(s.role))
        for s in draft.walk()
        if s.key in offsets and s.role in ("problems", "plans")
    ]
    return check(
        CheckInput(draft.text(), sheet, exemplars, policy or CheckPolicy(), copy_min_chars, parts=parts), index
    )
