"""Stage: check a draft against its facts (and the exemplars it was written from).

Input ``CheckInput`` (draft text, fact sheet, exemplars, policy, and the part of the draft a text without headings
belongs to); output ``CheckReport``: one finding per figure (supported / derived / exempt / wrong_value /
misattributed / unsupported / leaked / placeholder / stale / plan_as_done / yoy_wrong), coverage of the facts,
leaked names, copied spans. Deterministic: the same input gives the same report. A whole draft's parts (body,
problems, plans) are read from its headings; a section checked on its own passes its role as ``part``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..checker.coverage import coverage
from ..checker.exemplars import Exemplar, copied_spans, exemplar_figures, name_leaks
from ..checker.facts_index import FactIndex, build_index
from ..checker.figures import FigureChecker
from ..checker.matching import CheckPolicy
from ..checker.parts import Part
from ..checker.report import CheckReport, Leak
from ..checker.totals import mark_totals
from ..corpus.document import KBDocument
from ..corpus.parsing import parse_file
from ..corpus.reading import read_text
from ..factsheets.model import FactSheet
from ..numbers import find_numbers
from .exported import checkable_text


@dataclass(slots=True)
class CheckInput:
    text: str
    facts: FactSheet
    exemplars: list[Exemplar] = field(default_factory=list)
    policy: CheckPolicy = field(default_factory=CheckPolicy)
    copy_min_chars: int = 20
    with_coverage: bool = True
    part: Part = "body"  # the part of the draft a text without headings belongs to (a plans section: "plans")
    parts: list[tuple[int, int, Part]] | None = None  # known sections: (start, end, part), over the headings


def check(inp: CheckInput, index: FactIndex | None = None) -> CheckReport:
    """Check one draft (or one section of it: pass ``with_coverage=False`` and reuse ``index``)."""
    index = index or build_index(inp.facts)
    mentions = find_numbers(inp.text)
    checker = FigureChecker(index, inp.policy, exemplar_figures(inp.exemplars))
    findings = mark_totals(checker.check(inp.text, mentions, inp.part, inp.parts), inp.facts)
    leaks = name_leaks(inp.text, inp.exemplars, index.text)
    leaks += [
        Leak(start=f.start, end=f.end, text=f.text, kind="figure", source=f.source or "")
        for f in findings
        if f.status == "leaked"
    ]
    leaks.sort(key=lambda lk: lk.start)
    return CheckReport(
        findings=findings,
        coverage=coverage(inp.text, inp.facts, findings) if inp.with_coverage else [],
        leaks=leaks,
        copies=copied_spans(inp.text, inp.exemplars, inp.copy_min_chars),
        length=len(inp.text),
    )


def summary_parts(doc: KBDocument) -> tuple[str, list[tuple[int, int, Part]]]:
    """A parsed past summary as checkable text (``doc.full_text()``) and the part of each of its sections, as the
    parser read them (a plans list introduced by 「重点抓好以下几方面：」 has no plan word in its headings)."""
    spans: list[tuple[int, int, Part]] = []
    lines: list[tuple[str, Part | None]] = [(doc.title, None), (doc.opening, None)]
    for _, s in doc.walk():
        lines += [(f"{s.marker}{s.title}", s.role), (s.text, s.role)]
    lines.append((doc.closing, None))
    pos = 0
    for line, part in lines:
        if not line:
            continue
        if part is not None:
            spans.append((pos, pos + len(line) + 1, part))
        pos += len(line) + 1
    return doc.full_text(), spans


def read_draft(path: Path) -> str:
    """A draft from .txt, .md or .docx (paragraphs joined by newlines; Word headings get their ladder marker), as
    the app checked it: an exported draft's 【待核实：…】 marks, note and Markdown escapes are not part of it."""
    if path.suffix.lower() not in (".txt", ".md", ".docx"):
        raise ValueError(f"不支持的草稿格式 {path.suffix}：请用 .txt、.md 或 .docx")
    text = read_text(path)
    return text if path.suffix.lower() == ".docx" else checkable_text(text)


def exemplars_from_file(path: Path) -> list[Exemplar]:
    """Every summary in a past-summary file as an exemplar (its unit name taken from the parsed document)."""
    return [
        Exemplar(text=d.full_text(), source=d.title or f"{path.name}#{d.piece}", unit_name=d.unit_name)
        for d in parse_file(path)
    ]
