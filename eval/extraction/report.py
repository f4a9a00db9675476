"""Extraction eval: figure precision/recall (value + unit), section accuracy and label agreement of
``zongjie extract`` against the hand-written gold sheets — the real seeds (../shared/seeds with eval/seeds, skipped
when absent) and our corpus (knowledge/corpus with eval/extraction/corpus). Writes results.md and results.json
next to this file (committed by hand); exits 1 when a gate fails.

.venv/bin/python eval/extraction/report.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.evaluation.extraction import as_json, corpus_scores, seed_scores, totals  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
GATES = {"precision": 0.95, "recall": 0.95}


def _table(name: str, scores) -> list[str]:
    t = totals(scores)
    lines = [
        f"## {name}",
        "",
        f"- documents: {t.documents}; gold figures: {t.gold}; extracted: {t.extracted}; matched: {t.matched}",
        f"- **figure precision {t.precision:.1%}**, **recall {t.recall:.1%}** (value + unit)",
        f"- section accuracy {t.section_accuracy:.1%}; label agreement {t.label_agreement:.1%} "
        f"(character F1 ≥ 0.5; mean F1 {t.label_f1:.2f})",
        f"- placeholders (XX名…) proposed as blank metrics: {t.placeholders_found} of {t.placeholders_gold}",
        "",
        "| document | gold | extracted | precision | recall | section | missed | spurious |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for s in scores:
        sec = f"{s.section_ok / s.matched:.0%}" if s.matched else "–"
        lines.append(
            f"| {s.name} | {s.gold} | {s.extracted} | {s.precision:.0%} | {s.recall:.0%} | {sec} | "
            f"{'; '.join(s.missed) or '–'} | {'; '.join(s.spurious) or '–'} |"
        )
    return lines + [""]


def main() -> int:
    results, lines = {}, ["# Extraction from past summaries (`zongjie extract`)", ""]
    lines += [f"Gates on the seeds: precision ≥ {GATES['precision']:.0%}, recall ≥ {GATES['recall']:.0%}.", ""]
    failed = False
    if SEEDS.is_dir():
        scores = seed_scores(SEEDS, ROOT / "eval" / "seeds")
        results["seeds"] = as_json(scores)
        lines += _table("Real summaries (../shared/seeds, gold in eval/seeds)", scores)
        t = totals(scores)
        failed = t.precision < GATES["precision"] or t.recall < GATES["recall"]
    else:
        lines += ["## Real summaries", "", "../shared/seeds is absent: skipped.", ""]
    scores = corpus_scores(ROOT / "knowledge" / "corpus", HERE / "corpus")
    results["corpus"] = as_json(scores)
    lines += _table("Our corpus (knowledge/corpus, gold in eval/extraction/corpus)", scores)
    (HERE / "results.md").write_text("\n".join(lines), encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
