"""The facts column of the compare view: every fact with each of its uses in the draft and how it was used.

Contract: ``fact_rows(sheet, draft, sections)`` → one ``FactRow`` per fact in sheet order. ``uses`` are the ids of
the draft elements to jump to, in text order: every highlighted figure bound to the fact — supported, derived
from it, and also wrong-value, misattributed or leaked figures the checker tied to it — and, for facts stated in
words (activities, honours, notes, problems, plans), the sections where the report found them. ``state`` is
``wrong`` when any use is an error (so a fact written with a wrong value is never shown as unused), else ``used``
when it has uses or the report says it is stated, else ``unused``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checker.report import STATUS_ZH
from ..drafting.revisions import fact_labels
from ..factsheets.model import FactSheet
from ..stages.assemble import Draft
from .highlight import SectionView

OK = {"supported", "derived", "exempt"}


@dataclass
class FactRow:
    id: str
    kind: str
    text: str
    uses: list[str] = field(default_factory=list)
    ok: int = 0
    problems: list[str] = field(default_factory=list)  # 「数值不符：写成 12个」…
    stated: bool = False

    @property
    def state(self) -> str:
        if self.problems:
            return "wrong"
        return "used" if self.uses or self.stated else "unused"


def _facts(sheet: FactSheet) -> list[tuple[str, str]]:
    out = [(m.id, "指标") for m in sheet.metrics]
    out += [(n.id, "要点") for _, n in sheet.all_notes()]
    for a in sheet.activities:
        out.append((a.id, "活动"))
        out += [(o.id, "成果") for o in a.outcomes]
    out += [(h.id, "荣誉") for h in sheet.honours]
    out += [(p.id, "问题") for p in sheet.problems]
    out += [(p.id, "打算") for p in sheet.plans]
    return out


def _section_at(draft: Draft, offset: int) -> str | None:
    best = None
    for key, start in sorted(draft.section_offsets().items(), key=lambda kv: kv[1]):
        if start <= offset:
            best = key
    return best


def fact_rows(sheet: FactSheet, draft: Draft, sections: list[SectionView]) -> list[FactRow]:
    labels = fact_labels(sheet)
    rows = {fid: FactRow(fid, kind, labels.get(fid, fid)) for fid, kind in _facts(sheet)}
    for s in sections:
        for para in s.paragraphs:
            for seg in para:
                for fid in seg.facts:
                    row = rows.get(fid)
                    if row is None or seg.mark_id is None:
                        continue
                    row.uses.append(seg.mark_id)
                    if seg.status in OK:
                        row.ok += 1
                    else:
                        row.problems.append(f"{STATUS_ZH.get(seg.status or '', seg.status)}：写成「{seg.text}」")
    for c in draft.report.coverage:
        row = rows.get(c.fact_id)
        if row is None:
            continue
        row.stated = c.stated
        if row.uses:
            continue
        for start, _ in c.spans:
            key = _section_at(draft, start)
            if key and f"sec-{key}" not in row.uses:
                row.uses.append(f"sec-{key}")
    return list(rows.values())
