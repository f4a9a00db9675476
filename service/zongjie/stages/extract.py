"""Stage: extract — a past summary → a proposed fact sheet for the clerk to confirm (「从往年总结开始」).

Input: a parsed document (``KBDocument``: cleaned, split, sectioned by the corpus parser) or a file/text holding
one or more summaries. Output: ``Extraction`` per document — ``data``, a FactSheet-shaped dict (it validates
once the clerk has filled what the text does not say, e.g. a unit name or year hidden behind 20xx), and
``problems``, what is still missing. Every metric, note, problem, plan, activity and honour carries the sentence
it came from in ``data["sources"]`` (id → sentence), shown next to the item in the form.

What goes where: each heading becomes a section (``sections``: title with its marker, the work condensed into
notes); every figure claimed in a body section becomes a metric (label from the words around it, value, unit as
written, section = the heading's title, approximate when written so; placeholders like XX名 become blank metrics);
sections whose role is problems/plans become problem/plan items (their figures stay in the item text: they are
targets, not results); a 「不足：一是…」 paragraph inside the body becomes problems; the opening gives the
leadership (在…领导下) and the themes (quoted phrases); the parser's signature gives the 落款.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.choice import default_piece
from ..corpus.document import KBDocument, Section
from ..corpus.parsing import parse_file, parse_text
from ..extraction.figures import Figure, figures_in
from ..extraction.notes import items_from, notes_from
from ..factsheets.model import FactSheet, FactSheetError, parse_fact_sheet

_LEADERSHIP = re.compile(r"在([^，。；]{2,40}?)的(?:正确|坚强|大力|亲切|精心)?(?:领导|指导)")
_THEME = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")
_NOT_THEME = re.compile(r"三个代表|两个维护|四个意识|重要思想|^\W*$")
_PROBLEM_LEAD = re.compile(r"(?:不足|问题|差距)[^。：:]{0,12}[：:]")
_SIGNATURE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_PERIOD_YEAR = re.compile(r"^\d{4}$")
_GENERIC_PLAN = re.compile(r"^[^，,]{0,12}(?:打算|思路|计划|要点|安排|意见|设想)$")


@dataclass
class Extraction:
    """A proposed fact sheet for one document, with provenance and what the clerk still has to fill in."""

    data: dict[str, Any]
    title: str = ""
    problems: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)  # as found, in document order (for the eval)
    # the piece to take when the clerk has not chosen one: the first that is a summary, not a short note in front
    # of it (``corpus.choice.default_piece``); exactly one of a file's extractions has it
    is_default: bool = False
    preview: str = ""  # the piece's first words, to name an untitled piece in a list

    def validate(self) -> FactSheet:
        """The FactSheet, or ``FactSheetError`` naming what is missing."""
        return parse_fact_sheet(self.data)


def _signature(doc: KBDocument) -> dict[str, str | None] | None:
    if not doc.signature:
        return None
    m = _SIGNATURE_DATE.search(doc.signature)
    date = None
    if m:
        date = "-".join([m.group(1), f"{int(m.group(2)):02d}"] + ([f"{int(m.group(3)):02d}"] if m.group(3) else []))
    return {"unit": doc.unit_name, "date": date}


class _Builder:
    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.counters: dict[str, int] = {}

    def new_id(self, prefix: str, source: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        fid = f"{prefix}{self.counters[prefix]}"
        self.sources[fid] = source.strip()[:400]
        return fid


def _metric(b: _Builder, f: Figure, section: str | None) -> dict[str, Any]:
    return {
        "id": b.new_id("m", f.sentence),
        "label": f.label[:80],
        "value": int(f.value) if f.value is not None and f.value == int(f.value) else f.value,
        "unit": f.unit,
        "section": (section or None) and section[:60],
        "approximate": f.approximate,
    }


def _reports_done_work(text: str) -> bool:
    """A section filed under plans that reports finished work (most sentences with 了): read it as body."""
    spans = [s for s in re.split(r"[。；\n]", text) if s.strip()]
    return len(spans) >= 2 and sum("了" in s for s in spans) * 2 >= len(spans)


def _body_problems(text: str) -> tuple[str, str]:
    """Split a body text at a 「…不足：一是…」 paragraph: (work part, problems part)."""
    m = _PROBLEM_LEAD.search(text)
    if not m:
        return text, ""
    start = text.rfind("\n", 0, m.start()) + 1
    sentence_start = max(text.rfind(c, 0, m.start()) for c in "。\n") + 1
    start = max(start, sentence_start)
    end = text.find("\n", m.end())
    end = len(text) if end < 0 else end
    return text[:start] + text[end:], text[m.end() : end]


def extract_document(doc: KBDocument) -> Extraction:
    """A proposed fact sheet for one parsed summary (see the module docstring)."""
    b = _Builder()
    metrics: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    figures: list[Figure] = []

    def walk(sec: Section) -> None:
        heading = f"{sec.marker}{sec.title}"
        if sec.role == "plans" and not _reports_done_work(sec.text):
            source = (sec.title + "。" + sec.text) if sec.text else sec.title
            items = items_from(sec.text) if sec.text and not sec.children else []
            if sec.title and not _GENERIC_PLAN.search(sec.title):
                plans.append({"id": b.new_id("n", source), "text": sec.title[:300]})
            plans.extend({"id": b.new_id("n", src), "text": item[:300]} for item, src in items)
        elif sec.role == "problems":
            problems.extend({"id": b.new_id("p", src), "text": item[:300]} for item, src in items_from(sec.text))
        else:
            work, trouble = _body_problems(sec.text)
            problems.extend({"id": b.new_id("p", src), "text": item[:300]} for item, src in items_from(trouble))
            found = figures_in(sec.title + "。\n" + work)
            figures.extend(found)
            metrics.extend(_metric(b, f, sec.title) for f in found)
            notes = [{"id": b.new_id("w", src), "text": note} for note, src in notes_from(work)]
            sections.append({"title": heading[:60], "notes": notes})
        for child in sec.children:
            walk(child)

    for sec in doc.sections:
        walk(sec)
    lead = _LEADERSHIP.search(doc.opening or "")
    themes = [t for t in _THEME.findall(doc.opening or "") if not _NOT_THEME.search(t)][:5]
    year_text = doc.year_text or ""
    year = doc.year if doc.year else (int(year_text) if _PERIOD_YEAR.match(year_text) else None)
    data = {
        "unit": {"name": doc.unit_name or "", "type": doc.unit_type},
        "period": {"year": year, "kind": doc.period},
        "leadership": lead.group(1)[:120] if lead else None,
        "themes": themes,
        "metrics": metrics,
        "sections": sections,
        "activities": [],
        "honours": [],
        "problems": problems,
        "plans": plans,
        "signature": _signature(doc),
        "sources": b.sources,
    }
    missing = []
    try:
        parse_fact_sheet(data)
    except FactSheetError as exc:
        missing = [f"{p.path_zh}：{p.message_zh}" for p in exc.problems]
    first = doc.opening or next((f"{sec.marker}{sec.title}" for _, sec in doc.walk()), "")
    return Extraction(data=data, title=doc.title, problems=missing, figures=figures, preview=first[:20])


def _all(docs: list[KBDocument]) -> list[Extraction]:
    found = [extract_document(d) for d in docs]
    if found:
        found[default_piece(docs) - 1].is_default = True
    return found


def extract_text(text: str, source: str = "") -> list[Extraction]:
    """Every summary in ``text`` (a file may hold several), each as a proposed fact sheet; one ``is_default``."""
    return _all(parse_text(text, source=source))


def extract_file(path: Path) -> list[Extraction]:
    """Read (txt/md/docx/pdf), clean, split and extract every summary in a file; one ``is_default``."""
    return _all(parse_file(path))


def chosen(found: list[Extraction], doc: int | None) -> tuple[int, str]:
    """The 1-based piece to take — ``doc`` when given and in range, else the default — and, when the file holds
    several, the list a clerk reads: 「文件里有 3 篇总结，取第 2 篇：1. 标题…；2. …」. ValueError (Chinese) when
    ``doc`` is out of range."""
    if doc is not None and not 1 <= doc <= len(found):
        raise ValueError(f"这个文件里有 {len(found)} 篇总结，应在 1 到 {len(found)} 之间选择")
    n = doc if doc is not None else next((i for i, ex in enumerate(found, 1) if ex.is_default), 1)
    if len(found) <= 1:
        return n, ""
    titles = "；".join(f"{i}. {ex.title or f'（无标题）{ex.preview}…'}" for i, ex in enumerate(found, 1))
    return n, f"文件里有 {len(found)} 篇总结，取第 {n} 篇：{titles}"
