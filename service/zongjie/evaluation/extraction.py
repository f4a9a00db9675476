"""Measuring extraction against hand-written gold fact sheets: figures, sections, labels.

``score(gold, extraction)`` compares one document: a gold metric is found when an extracted metric has the same
value and unit (both reduced to their base unit: 150 万元 = 1500000 元, 名 = 人); an extracted bare number whose
text lost its measure word matches on value alone. Pairs are made greedily, preferring the same section and then
the closest label. Figure precision = matched / extracted, recall = matched / gold (metrics with a value);
section accuracy = matched pairs whose section agrees; label agreement = mean character F1 of the two labels
(and the share ≥ 0.5). Placeholders (gold metrics without a value) are counted apart, matched by unit and section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from ..factsheets.model import FactSheet
from ..numbers.units import to_base
from ..stages.extract import Extraction


def _norm_section(s: str | None) -> str:
    return re.sub(r"\s", "", s or "")


def label_f1(a: str, b: str) -> float:
    """Character-bag F1 of two labels (Chinese labels share characters, not word boundaries)."""
    ca, cb = Counter(re.sub(r"\W", "", a)), Counter(re.sub(r"\W", "", b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


@dataclass
class DocScore:
    name: str
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    section_ok: int = 0
    label_f1_sum: float = 0.0
    label_ok: int = 0
    placeholders_gold: int = 0
    placeholders_found: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


def score(name: str, gold: FactSheet, extraction: Extraction) -> DocScore:
    """Compare one document's extraction with its gold sheet (see the module docstring)."""
    out = DocScore(name)
    metrics = extraction.data["metrics"]
    unit_written = [f.unit_written for f in extraction.figures]
    extracted = [(m, unit_written[i] if i < len(unit_written) else True) for i, m in enumerate(metrics)]
    valued = [(m, w) for m, w in extracted if m["value"] is not None]
    blanks = [m for m, _ in extracted if m["value"] is None]
    out.extracted = len(valued)
    used: set[int] = set()
    for g in gold.metrics:
        if g.value is None:
            out.placeholders_gold += 1
            hit = next(
                (
                    k
                    for k, m in enumerate(blanks)
                    if to_base(1, m["unit"])[1] == to_base(1, g.unit)[1]
                    and _norm_section(m["section"]) == _norm_section(g.section)
                ),
                None,
            )
            if hit is not None:
                out.placeholders_found += 1
                blanks.pop(hit)
            continue
        out.gold += 1
        gv, gu = to_base(g.value, g.unit)
        candidates = []
        for k, (m, written) in enumerate(valued):
            if k in used:
                continue
            mv, mu = to_base(m["value"], m["unit"])
            if mv == gv and (mu == gu or not written):
                same_section = _norm_section(m["section"]) == _norm_section(g.section)
                candidates.append((same_section, label_f1(m["label"], g.label), k))
        if not candidates:
            out.missed.append(f"{g.label} {g.value:g}{g.unit}")
            continue
        same_section, f1, k = max(candidates)
        used.add(k)
        out.matched += 1
        out.section_ok += same_section
        out.label_f1_sum += f1
        out.label_ok += f1 >= 0.5
    # only the figure (not the label, which is words of the source text) so reports never quote a source
    out.spurious = [
        f"{m['value']:g}{m['unit']}（{m['section'] or '开头'}）" for k, (m, _) in enumerate(valued) if k not in used
    ]
    return out


@dataclass
class Totals:
    documents: int
    gold: int
    extracted: int
    matched: int
    precision: float
    recall: float
    section_accuracy: float
    label_agreement: float
    label_f1: float
    placeholders_gold: int
    placeholders_found: int


def totals(scores: list[DocScore]) -> Totals:
    gold = sum(s.gold for s in scores)
    extracted = sum(s.extracted for s in scores)
    matched = sum(s.matched for s in scores)
    return Totals(
        documents=len(scores),
        gold=gold,
        extracted=extracted,
        matched=matched,
        precision=round(matched / extracted, 4) if extracted else 1.0,
        recall=round(matched / gold, 4) if gold else 1.0,
        section_accuracy=round(sum(s.section_ok for s in scores) / matched, 4) if matched else 1.0,
        label_agreement=round(sum(s.label_ok for s in scores) / matched, 4) if matched else 1.0,
        label_f1=round(sum(s.label_f1_sum for s in scores) / matched, 4) if matched else 1.0,
        placeholders_gold=sum(s.placeholders_gold for s in scores),
        placeholders_found=sum(s.placeholders_found for s in scores),
    )


def as_json(scores: list[DocScore]) -> dict:
    return {
        "totals": asdict(totals(scores)),
        "documents": [{**asdict(s), "precision": round(s.precision, 4), "recall": round(s.recall, 4)} for s in scores],
    }


def seed_scores(seeds_dir, gold_dir) -> list[DocScore]:
    """Score extraction on every seed document named in ``gold_dir/index.yaml`` (the seeds are read at run time)."""
    from pathlib import Path

    import yaml

    from ..corpus.parsing import parse_file
    from ..factsheets.model import load_fact_sheet
    from ..stages.extract import extract_document

    gold_dir, seeds_dir = Path(gold_dir), Path(seeds_dir)
    out, docs = [], {}
    for entry in yaml.safe_load((gold_dir / "index.yaml").read_text(encoding="utf-8")):
        if entry["seed"] not in docs:
            docs[entry["seed"]] = parse_file(seeds_dir / entry["seed"])
        doc = docs[entry["seed"]][entry["doc"] - 1]
        out.append(score(entry["gold"], load_fact_sheet(gold_dir / entry["gold"]), extract_document(doc)))
    return out


def corpus_scores(corpus_dir, gold_dir) -> list[DocScore]:
    """Score extraction on our own corpus: ``gold_dir/<stem>.yaml`` is the gold for ``corpus_dir/<stem>.*``."""
    from pathlib import Path

    from ..factsheets.model import load_fact_sheet
    from ..stages.extract import extract_file

    out = []
    for gold in sorted(Path(gold_dir).glob("*.yaml")):
        (source,) = [p for p in Path(corpus_dir).glob(gold.stem + ".*") if p.suffix in (".txt", ".md")]
        out.append(score(gold.name, load_fact_sheet(gold), extract_file(source)[0]))
    return out
