"""Data-to-text metrics of a draft against a gold text written from the same facts (RotoWire-style).

All functions are pure and deterministic; texts are compared with whitespace removed.

- ``bleu4(draft, gold)``: BLEU-4 of the whole draft against the whole gold as one segment, by sacrebleu's ``zh``
  tokenizer (every CJK character is a token; runs of Latin letters and digits stay words), 0–100.
- ``rouge_l(draft, gold)``: ROUGE-L F1 (β = 1) over characters — the longest common character subsequence
  (rapidfuzz's bit-parallel LCS) divided by the draft's and the gold's length, 0–100.
- ``length_ratio(draft, gold)``: draft characters / gold characters.
- ``mentions(text, sheet, report)``: which facts a text states and where, in order of first mention: a figure
  bound to a fact by the checker, or an activity / honour / problem / plan / work note whose wording one sentence
  of the text carries (≥ 60% of its character bigrams).
- ``content_selection(draft_ids, gold_ids)``: precision and recall of the facts the draft mentions against those
  the gold mentions.
- ``content_ordering(draft_ids, gold_ids)``: normalised Damerau–Levenshtein similarity (0–1) between the orders
  of first mention of the facts both texts mention.
- ``repetition(text)``: how much of a text is said more than once — the share of its characters in clauses (between
  punctuation, at least ``CLAUSE_MIN`` characters, figures written as one sign) that occur again elsewhere in it, 0–1.
  Padding (the same filler after every measure, the same opening for every section) scores high; real summaries
  score low (their only repeats are a few set phrases).
- ``distinct4(text)``: distinct character 4-grams / all character 4-grams (figures written as one sign), 0–1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein, LCSseq
from sacrebleu.metrics import BLEU

from ..checker.binding import bigrams
from ..checker.report import CheckReport
from ..factsheets.model import FactSheet

_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
TEXT_MIN = 0.6
CLAUSE_MIN = 6
_CLAUSE = re.compile(r"[^，,。；;：:！？!?、\n（）()“”「」]+")
_FIGURE = re.compile(r"[0-9０-９][0-9０-９.．%％]*")


def squeeze(text: str) -> str:
    """The text without any whitespace (line breaks and indentation are layout, not wording)."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=1)
def _bleu() -> BLEU:
    return BLEU(tokenize="zh", effective_order=True)


def bleu4(draft: str, gold: str) -> float:
    """BLEU-4 (0–100) of ``draft`` against ``gold``, CJK characters as tokens."""
    return round(_bleu().sentence_score(squeeze(draft), [squeeze(gold)]).score, 2)


def rouge_l(draft: str, gold: str) -> float:
    """ROUGE-L F1 (0–100) over characters."""
    d, g = squeeze(draft), squeeze(gold)
    if not d or not g:
        return 0.0
    lcs = LCSseq.similarity(d, g)
    if not lcs:
        return 0.0
    p, r = lcs / len(d), lcs / len(g)
    return round(100 * 2 * p * r / (p + r), 2)


def length_ratio(draft: str, gold: str) -> float:
    g = len(squeeze(gold))
    return round(len(squeeze(draft)) / g, 3) if g else 0.0


def _text_facts(sheet: FactSheet) -> list[tuple[str, str]]:
    """Facts stated in words: (id, wording)."""
    out = [(a.id, a.title) for a in sheet.activities]
    out += [(h.id, h.title) for h in sheet.honours]
    out += [(p.id, p.text) for p in sheet.problems + sheet.plans]
    out += [(n.id, n.text) for _, n in sheet.all_notes()]
    return out


def mentions(text: str, sheet: FactSheet, report: CheckReport) -> list[str]:
    """Fact ids the text states, in order of first mention."""
    first: dict[str, int] = {}
    for f in report.findings:
        if f.fact_id and f.status in ("supported", "derived"):
            first[f.fact_id] = min(first.get(f.fact_id, f.start), f.start)
    sentences = [(m.start(), bigrams(m.group())) for m in _SENTENCE.finditer(text)]
    for fid, wording in _text_facts(sheet):
        want = bigrams(wording)
        if not want or fid in first:
            continue
        for start, have in sentences:
            if len(want & have) / len(want) >= TEXT_MIN:
                first[fid] = start
                break
    return [fid for fid, _ in sorted(first.items(), key=lambda kv: (kv[1], kv[0]))]


@dataclass(frozen=True)
class Selection:
    precision: float
    recall: float


def content_selection(draft_ids: list[str], gold_ids: list[str]) -> Selection:
    d, g = set(draft_ids), set(gold_ids)
    both = len(d & g)
    return Selection(round(both / len(d), 4) if d else 1.0, round(both / len(g), 4) if g else 1.0)


def content_ordering(draft_ids: list[str], gold_ids: list[str]) -> float:
    common = set(draft_ids) & set(gold_ids)
    a = [i for i in draft_ids if i in common]
    b = [i for i in gold_ids if i in common]
    if not a:
        return 0.0 if gold_ids else 1.0
    return round(DamerauLevenshtein.normalized_similarity(a, b), 4)


def _skeleton(text: str) -> str:
    return _FIGURE.sub("#", squeeze(text))


def repetition(text: str) -> float:
    """Share of the text's characters in clauses that occur more than once (see the module docstring)."""
    clauses = [c for c in _CLAUSE.findall(_skeleton(text)) if len(c) >= CLAUSE_MIN]
    total = sum(len(c) for c in _CLAUSE.findall(_skeleton(text)))
    if not total:
        return 0.0
    seen: dict[str, int] = {}
    for c in clauses:
        seen[c] = seen.get(c, 0) + 1
    repeated = sum(len(c) for c in clauses if seen[c] > 1)
    return round(repeated / total, 4)


def distinct4(text: str) -> float:
    """Distinct character 4-grams over all of them (1.0 for a text too short to have any)."""
    t = _skeleton(text)
    grams = [t[i : i + 4] for i in range(len(t) - 3)]
    return round(len(set(grams)) / len(grams), 4) if grams else 1.0
