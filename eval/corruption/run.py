"""Corruption benchmark: every summary in knowledge/corpus (and ../shared/seeds when present) in messy shapes.

.venv/bin/python eval/corruption/run.py [--only no_breaks,pdf]    → eval/corruption/results.md and results.json
Exit status 1 when a variant class misses a target.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.evaluation.corruption import load_summaries, report_markdown, run, summarise, to_json  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated variant classes")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--work", type=Path, default=ROOT / "var" / "corruption")
    args = ap.parse_args()
    seeds = ROOT.parent / "shared" / "seeds"
    paths = [ROOT / "knowledge" / "corpus"] + ([seeds] if seeds.is_dir() else [])
    summaries = load_summaries(paths, private=(seeds,))
    results = run(summaries, args.work, [c for c in args.only.split(",") if c] or None)
    classes = summarise(results)
    sources = ["knowledge/corpus"] + (["../shared/seeds"] if seeds.is_dir() else [])
    md = report_markdown(classes, results, sources)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(md, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps(to_json(classes, results), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(md.split("\n## ")[0])
    return 0 if all(c.meets_targets() for c in classes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
