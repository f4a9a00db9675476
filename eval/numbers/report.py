"""Precision/recall of the number finder on eval/numbers/expressions.txt; writes results.md next to this file.

.venv/bin/python eval/numbers/report.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "service"))

from zongjie.evaluation.numbers import evaluate, load_cases  # noqa: E402


def main() -> int:
    results, s = evaluate(load_cases(HERE / "expressions.txt"))
    lines = [
        "# Number finder on the labelled expressions",
        "",
        f"- expressions: {s['expressions']} ({s['non_quantity_lines']} with no figure: ordinals, names, idioms…)",
        f"- expected figures: {s['mentions']}",
        f"- precision: {s['precision']:.4f} ({s['false_positives']} false positives)",
        f"- recall: {s['recall']:.4f} ({s['misses']} misses)",
        "",
    ]
    bad = [r for r in results if not r.ok]
    if bad:
        lines += ["## Failures", ""]
        lines += [f"- line {r.case.line}: {r.case.text} — extra {r.false_positives}, missed {r.misses}" for r in bad]
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
