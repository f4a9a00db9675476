"""Planning from the clerk's own outline: work sections titled with the heading ladder (一、 （一） 1、).

When at least two of a fact sheet's work sections carry a ladder marker, the clerk has written the outline: it is
used as given (``sheet_outline`` returns None otherwise). Levels follow the ladder as the clerk used it: the
highest rank seen (一、/第一、) makes first-level sections, the first marker met under a first-level heading
(（一）, or 1、 when the clerk skipped a rung) is its second level, and every heading of that rank under it is a
sibling; deeper levels are folded into the second-level section above them. A
section's facts are its own notes, the metrics and activities whose section hint names its title (the deepest
heading, without its marker, as the hint is written), the rest by wording (character bigrams of label or title vs
heading + notes, else the topic of the section hint); facts nothing takes go to the last body section. Sections
left without facts are dropped (a first-level section stays while a child has facts).
"""

from __future__ import annotations

from ..checker.binding import bigrams
from ..corpus.patterns import match_heading
from ..factsheets.model import FactSheet
from .outline import OutlineConfig, Plan, PlannedSection, closing_sections, title_for

_LEVEL = {"cn": 1, "di": 1, "pcn": 2, "ar": 3, "par": 4, "circ": 5}


def _style(title: str) -> str | None:
    found = match_heading(title.strip())
    return found[0] if found else None


def _split(title: str) -> tuple[float, str] | None:
    """(ladder rank, title without its marker) or None when the title carries no marker."""
    found = match_heading(title.strip())
    if found is None:
        return None
    style, _, m = found
    return _LEVEL[style], title.strip()[m.end() :].strip()


def sheet_outline(sheet: FactSheet, config: OutlineConfig) -> Plan | None:
    marked = [(_split(w.title), w) for w in sheet.sections]
    if sum(1 for s, _ in marked if s) < 2:
        return None
    if {_style(w.title) for _, w in marked} >= {"cn", "di"}:  # 第一、 under 一、: a rung between 一、 and （一）
        marked = [((1.5, s[1]) if s and _style(w.title) == "di" else s, w) for s, w in marked]
    top_rank = min(s[0] for s, _ in marked if s)
    tops: list[PlannedSection] = []
    child_rank: float = 0  # the rank of the second level under the current first-level section
    leaves: list[tuple[PlannedSection, str, frozenset[str]]] = []  # leaf, its bare title, bigrams of title + notes
    for split, work in marked:
        rank, bare = split if split else (top_rank + 1, work.title.strip())
        notes = [n.id for n in work.notes]
        words = bare + " " + " ".join(n.text for n in work.notes)
        if rank <= top_rank or not tops:
            node = PlannedSection(key=f"s{len(tops) + 1}", heading=bare, fact_ids=notes)
            tops.append(node)
            child_rank = 0
        else:
            parent = tops[-1]
            if not parent.children:
                child_rank = rank
            if rank > child_rank and parent.children:  # deeper levels fold into the second level
                node = parent.children[-1]
                node.fact_ids += notes
                leaves.append((node, bare, frozenset(bigrams(words))))
                continue
            node = PlannedSection(key=f"{parent.key}/{len(parent.children) + 1}", heading=bare, fact_ids=notes)
            parent.children.append(node)
        leaves.append((node, bare, frozenset(bigrams(words))))

    placeable = [(m.id, m.section, m.label) for m in sheet.metrics]
    placeable += [(a.id, a.section, " ".join([a.title] + [o.label for o in a.outcomes])) for a in sheet.activities]
    placeable += [(h.id, None, h.title) for h in sheet.honours]
    unplaced = []
    for fid, hint, wording in placeable:
        target = next((leaf for leaf, bare, _ in leaves if hint and hint.strip() == bare), None)
        if target is None:
            want = bigrams((hint or "") + wording)
            scored = [(len(want & have) / len(want) if want else 0.0, leaf) for leaf, _, have in leaves]
            score, leaf = max(scored, key=lambda x: x[0], default=(0.0, None))
            target = leaf if score >= 0.3 else None
        if target is None:
            unplaced.append(fid)
        else:
            target.fact_ids.append(fid)
    # a parent's own facts stay with it: they open the section, before its subsections (``Plan.written``)
    sections = []
    for top in tops:
        top.children = [c for c in top.children if c.fact_ids]
        if top.children or top.fact_ids:
            sections.append(top)
    if not sections:
        return None
    sections[-1].leaves()[-1].fact_ids.extend(unplaced)
    sections += closing_sections(sheet, config)
    return Plan(title=title_for(sheet), sections=sections, outline_source="sheet")
