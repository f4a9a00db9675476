"""Split a draft's sections into text segments marked with their check status, for the draft and compare views.

Report offsets refer to ``Draft.text()``; ``Draft.section_offsets()`` says where each section's text starts in
that string, and this module cuts it at every finding and leaked name. Segments are plain data; templates escape them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..checker.report import STATUS_ZH
from ..stages.assemble import Draft


@dataclass
class Segment:
    text: str
    status: str | None = None  # a finding status, or "name_leak" / "copied"
    tip: str = ""
    fact_id: str | None = None
    mark_id: str | None = None
    facts: list[str] = field(default_factory=list)  # every fact this figure uses: its fact, or what it derives from


@dataclass
class SectionView:
    key: str
    marker: str
    heading: str
    level: int
    role: str
    text: str
    paragraphs: list[list[Segment]] = field(default_factory=list)
    editable: bool = True
    fallback: str = "none"
    note: str = ""
    exemplars: list[str] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)
    errors: int = 0


# (start, end, status or "name_leak" / "copied", tip, fact id, facts used)
_Mark = tuple[int, int, str, str, str | None, list[str]]


def _marks(draft: Draft, labels: dict[str, str]) -> list[_Mark]:
    report = draft.report
    marks: list[_Mark] = []
    for f in report.findings:
        if f.status == "exempt":
            continue
        tip = STATUS_ZH[f.status]
        if f.fact_id:  # the fact by its name: ids are never shown
            tip += f"：{labels.get(f.fact_id) or f.fact_label or '事实表中的一项'}"
        if f.message:
            tip += f"（{f.message}）"
        if f.derived_from:
            tip += "：由" + "、".join(f"「{labels.get(x) or '事实表中的一项'}」" for x in f.derived_from) + "推算"
        used = [f.fact_id] if f.fact_id else list(f.derived_from)
        marks.append((f.start, f.end, f.status, tip, f.fact_id, used))
    for lk in report.leaks:
        if lk.kind == "name":
            marks.append((lk.start, lk.end, "name_leak", f"范文中其他单位的名称（{lk.source}）", None, []))
    taken = sorted(marks)
    for c in report.copies:
        if not any(a < c.end and c.start < b for a, b, *_ in taken):
            marks.append((c.start, c.end, "copied", f"照抄范文：{c.source}", None, []))
    marks.sort()
    out: list[_Mark] = []
    last = -1
    for m in marks:
        if m[0] >= last:
            out.append(m)
            last = m[1]
    return out


def _paragraph(full: str, cursor: int, para: str, marks, ids) -> tuple[list[Segment], int]:
    """One paragraph starting at ``cursor`` in ``full`` cut into segments; and how many of them are errors."""
    segs: list[Segment] = []
    end = cursor + len(para)
    pos, errors = cursor, 0
    for a, b, status, tip, fid, used in marks:
        if a < cursor or b > end:
            continue
        if a > pos:
            segs.append(Segment(full[pos:a]))
        segs.append(Segment(full[a:b], status, tip, fid, f"f{next(ids)}", used))
        if status not in ("supported", "derived"):
            errors += 1
        pos = b
    if pos < end:
        segs.append(Segment(full[pos:end]))
    return segs, errors


def head_view(draft: Draft, labels: dict[str, str]) -> dict[str, list[Segment]]:
    """The title and the opening cut into segments (``title``, ``opening``; mark ids t1, t2…)."""
    full, marks, ids = draft.text(), _marks(draft, labels), itertools.count(1)
    out, pos = {}, 0
    for key, line in (("title", draft.title), ("opening", draft.opening)):
        if line:
            segs, _ = _paragraph(full, pos, line, marks, ids)
            out[key] = [
                Segment(x.text, x.status, x.tip, x.fact_id, x.mark_id and "t" + x.mark_id, x.facts) for x in segs
            ]
            pos += len(line) + 1
        else:
            out[key] = []
    return out


def sections_view(draft: Draft, labels: dict[str, str]) -> list[SectionView]:
    offsets = draft.section_offsets()
    marks = _marks(draft, labels)
    views = []
    ids = itertools.count(1)
    full = draft.text()
    for s in draft.walk():
        view = SectionView(
            s.key,
            s.marker,
            s.heading,
            s.level,
            s.role,
            s.text,
            editable=not s.children or bool(s.text),
            fallback=s.fallback,
            note=s.note,
            exemplars=s.exemplar_sources,
            fact_ids=s.fact_ids,
        )
        start = offsets.get(s.key)
        if start is not None:
            cursor = start
            for para in s.text.split("\n"):
                segs, errors = _paragraph(full, cursor, para, marks, ids)
                view.paragraphs.append(segs)
                view.errors += errors
                cursor += len(para) + 1
        views.append(view)
    return views
