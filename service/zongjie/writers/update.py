"""Update mode: rewrite the unit's own last-year section with this year's facts, keeping its words.

``rewrite(task)`` takes ``task.prior`` (the section as the unit wrote it last year) and, sentence by sentence
(split at 。 and ；):

- figures are bound to this year's facts by the checker run against last year's values (each metric's ``prior``,
  or its value when no prior is given; binding by the words around the figure, as the checker does for drafts).
  A sentence whose every figure binds to a fact of this section keeps its words with this year's values
  (「新建企业工会11家」 → 「新建企业工会9家」); a sentence holding a figure or date that binds to no fact of this
  section is dropped — last year's numbers never survive into this year's text;
- a sentence that looks ahead (明年、下一步、力争、计划…: last year's plans, even where the parser left them in the
  body) is dropped — this year's plans come from the sheet;
- a sentence without figures is kept, unless a work note of this year says nearly the same thing in other words,
  in which case the note's wording replaces it (this year's facts win);
- work notes, activities, honours and figures the kept sentences do not state are added in the offline drafter's
  words after them (notes and activities first, figures last), so nothing in the section's facts is lost.
"""

from __future__ import annotations

import re

from ..checker.binding import bigrams
from ..checker.exemplars import exemplar_figures
from ..checker.facts_index import build_index
from ..checker.figures import FigureChecker
from ..checker.matching import CheckPolicy
from ..checker.parts import forward
from ..checker.report import Finding
from ..factsheets.model import FactSheet, Metric
from ..numbers import find_numbers
from . import phrasing
from .base import SectionTask, filled
from .phrasing import activity_sentence, figure_sentences, honour_sentence, unit_short

_PIECE = re.compile(r"[^。；;！？\n]*[。；;！？]?")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_APPROX = ("余", "多", "约", "近")
KEEP_NOTE = 0.6  # a note this much contained in a kept sentence is stated by it (its new clauses are added)
REPLACE_NOTE = 0.4  # a figure-less sentence this close to a note is replaced by the note


def _looks_ahead(sentence: str) -> bool:
    """A sentence of last year's text that speaks of what was to be done (明年、下一步、力争、计划…)."""
    return forward(sentence.replace("计划生育", ""))


def _last_year_sheet(sheet: FactSheet) -> FactSheet:
    """The fact sheet with each figure at last year's value (when known), to bind last year's text."""
    data = sheet.model_dump()
    for m in data["metrics"] + [o for a in data["activities"] for o in a["outcomes"]]:
        if m.get("prior") is not None:
            m["value"] = m["prior"]
        elif m.get("value") is None:
            m["value"] = 0
    return FactSheet.model_validate(data)


def _new_text(old: str, m: Metric) -> str:
    """A figure as written last year with this year's value: 「1100余人次」 → 「1300余人次」."""
    new = filled(m)
    text = _NUMBER.sub(new, old, count=1)
    if not m.approximate:
        text = text.replace("余", "").replace("约", "").replace("近", "")
    elif not any(w in text for w in _APPROX):
        text = "约" + text
    return text


def _binds(f: Finding, mine: dict[str, Metric], dated: set[str]) -> bool:
    """A figure of last year's text that names a fact of this section: last year's value of one of its metrics
    (or, for a metric with no recorded prior, its words), or a date of one of its notes, activities, honours."""
    if f.fact_id in mine:
        return f.status == "supported" or (f.status == "wrong_value" and mine[f.fact_id].prior is None)
    return f.kind == "date" and f.status == "supported" and f.fact_id in dated


def _replacement(text: str, notes: list, events: list, metrics: list[Metric], stated: set[str]) -> str | None:
    """This year's sentence for a figure-less sentence of last year that a note, activity or honour says nearly
    the same as (this year's wording wins: 「获团体二等奖」 becomes this year's honour); None to keep it."""
    have = bigrams(text)

    def share(words: str) -> float:
        want = bigrams(words)
        return len(want & have) / len(want) if want else 0.0

    scored = [(share(n.text), 0, n) for n in notes] + [
        (share(title), 1, (fid, sentence)) for fid, title, sentence in events if fid not in stated
    ]
    if not scored:
        return None
    score, kind, best = max(scored, key=lambda x: x[0])
    if score < REPLACE_NOTE or (kind == 0 and score >= KEEP_NOTE):
        return None
    if kind == 1:
        stated.add(best[0])
        return best[1]
    notes.remove(best)
    sentence, used = phrasing.note_sentence(best, metrics)
    stated.update(m.id for m in used)
    return sentence


def _with_new_clauses(text: str, note: str, have: frozenset[str] | set[str]) -> str:
    """The kept sentence with the clauses of a matching note it does not say yet."""
    new = [
        c
        for c in re.split(r"[，,、]", phrasing.sentence(note)[:-1])
        if c and len(bigrams(c) & have) < 0.34 * len(bigrams(c))
    ]
    if not new:
        return text
    end = len(text.rstrip("。；;！？"))
    return text[:end] + "，" + "，".join(new) + text[end:]


def rewrite(task: SectionTask) -> str:
    facts = task.facts
    sheet = facts.sheet
    prior = task.prior or ""
    mine = {m.id: m for m in facts.metrics} | {o.id: o for a in facts.activities for o in a.outcomes}
    dated = {a.id for a in facts.activities} | {h.id for h in facts.honours} | {n.id for n in facts.notes}
    last_year = FigureChecker(build_index(_last_year_sheet(sheet)), CheckPolicy(), exemplar_figures([]))
    in_labels = [
        (m.start(), m.end())
        for label in {x.label for x in sheet.all_metrics()}
        for m in re.finditer(re.escape(label), prior)
    ]  # 「25人以上企业建会率」: a figure inside a label is part of the label
    findings = [
        f
        for f in last_year.check(prior, find_numbers(prior))
        if f.status != "exempt" and not any(a <= f.start and f.end <= b for a, b in in_labels)
    ]
    stated: set[str] = set()
    notes = list(facts.notes)
    short = unit_short(sheet.unit.name, sheet.unit.type)
    events = [(a.id, a.title, activity_sentence(a, short)) for a in facts.activities]
    events += [(h.id, h.title, honour_sentence(h, short)) for h in facts.honours]
    out: list[str] = []
    for piece in _PIECE.finditer(prior):
        text, start, end = piece.group(), piece.start(), piece.end()
        if not text.strip():
            if end < len(prior) and prior[end : end + 1] == "\n":
                out.append("\n")
            continue
        if _looks_ahead(text):
            continue  # last year's plans (a plans part the parser left in the body) are not this year's work
        inside = [f for f in findings if start <= f.start < end]
        if inside:
            if not all(_binds(f, mine, dated) for f in inside):
                continue  # a figure with no fact this year: the sentence goes
            for f in sorted(inside, key=lambda f: -f.start):
                if f.fact_id in mine:
                    a, b = f.start - start, f.end - start
                    text = text[:a] + _new_text(text[a:b], mine[f.fact_id]) + text[b:]
                if f.fact_id is not None:
                    stated.add(f.fact_id)
        else:
            replaced = _replacement(text, notes, events, [m for m in facts.metrics if m.id not in stated], stated)
            if replaced is not None:
                text = replaced[:-1] + (text[-1] if text[-1] in "。；;" else "。")
        have = bigrams(text)
        for fid, title, _ in events:  # activities and honours the kept sentence names
            if len(bigrams(title) & have) >= 0.6 * len(bigrams(title)):
                stated.add(fid)
        for n in list(notes):
            if len(bigrams(n.text) & have) / max(1, len(bigrams(n.text))) >= KEEP_NOTE:
                notes.remove(n)
                text = _with_new_clauses(text, n.text, have)
        out.append(text)
    body = re.sub(r"[；;]\s*$", "。", "".join(out).strip())
    body = re.sub(r"[；;](\n)", r"。\1", body)
    added = []
    remaining = [m for m in facts.metrics if m.id not in stated]
    for n in notes:
        text, used = phrasing.note_sentence(n, remaining)
        remaining = [m for m in remaining if m not in used]
        added.append(text)
    added += [sentence for fid, _, sentence in events if fid not in stated]
    added += figure_sentences(task, remaining)
    if body and added and not body.endswith(("。", "！", "？")):
        body += "。"
    return (body + "".join(added)).strip()
