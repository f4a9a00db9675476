"""Corruption benchmark: every summary in knowledge/corpus (and ../shared/seeds when present) in messy shapes.

.venv/bin/python eval/corruption/run.py [--only no_breaks,pdf] [--seeds 8]   → eval/corruption/results.md and .json
Exit status 1 when a variant class misses a target, or a figure is lost under another seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.evaluation.corruption import (  # noqa: E402
    load_summaries,
    report_markdown,
    robustness,
    run,
    summarise,
    to_json,
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated variant classes")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "corruption")
    ap.add_argument("--seeds", type=int, default=8, help="other seeds for the randomised classes (0: none)")
    args = ap.parse_args()
    seeds = ROOT.parent / "shared" / "seeds"
    paths = [ROOT / "knowledge" / "corpus"] + ([seeds] if seeds.is_dir() else [])
    summaries = load_summaries(paths, private=(seeds,))
    results = run(summaries, args.work, [c for c in args.only.split(",") if c] or None)
    classes = summarise(results)
    sources = ["knowledge/corpus"] + (["../shared/seeds"] if seeds.is_dir() else [])
    robust = robustness(summaries, list(range(1, args.seeds + 1))) if args.seeds else []
    md = report_markdown(classes, results, sources, robust)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(md, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps(to_json(classes, results, robust), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(md.split("\n## ")[0])
    return 0 if all(c.meets_targets() for c in classes) and all(r.lost_digits == 0 for r in robust) else 1


if __name__ == "__main__":
    raise SystemExit(main())
