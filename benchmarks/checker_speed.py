"""Checker throughput: MB of Chinese text per second on one core, for the finder alone and the full check.

    .venv/bin/python benchmarks/checker_speed.py [--mb 4]

The text is the sample corpus (knowledge/corpus) repeated to the requested size (UTF-8 bytes). The full check runs
against an example fact sheet, section by section (as drafting does: a section is a few hundred characters),
plus coverage once over the whole text. Results are printed and saved to benchmarks/results/checker_speed.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.checker.facts_index import build_index  # noqa: E402
from zongjie.factsheets.model import load_fact_sheet  # noqa: E402
from zongjie.numbers import find_numbers  # noqa: E402
from zongjie.stages.check import CheckInput, check  # noqa: E402

TARGET_MB_S = 2.0


def corpus_text(mb: float) -> str:
    base = "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "knowledge" / "corpus").glob("*.*"))
        if p.suffix in (".txt", ".md")
    )
    want = int(mb * 1_000_000)
    reps = want // len(base.encode("utf-8")) + 1
    text = "\n".join([base] * reps)
    while len(text.encode("utf-8")) > want:
        text = text[: int(len(text) * 0.95)]
    return text


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=4.0)
    args = ap.parse_args()
    text = corpus_text(args.mb)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    sheet = load_fact_sheet(ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml")

    find_numbers(text[:20000])  # warm caches and compiled pattern
    t = time.perf_counter()
    mentions = find_numbers(text)
    finder_s = time.perf_counter() - t

    paragraphs = [p for p in text.split("\n") if p.strip()]
    index = build_index(sheet)
    t = time.perf_counter()
    findings = 0
    for p in paragraphs:
        findings += len(check(CheckInput(p, sheet, with_coverage=False), index).findings)
    check_s = time.perf_counter() - t

    result = {
        "text_mb": round(size_mb, 2),
        "characters": len(text),
        "figures_found": len(mentions),
        "finder_mb_per_s": round(size_mb / finder_s, 2),
        "check_mb_per_s": round(size_mb / check_s, 2),
        "paragraphs": len(paragraphs),
        "findings": findings,
        "target_mb_per_s": TARGET_MB_S,
    }
    out = ROOT / "benchmarks" / "results" / "checker_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"text {size_mb:.2f} MB, {len(text):,} characters, {len(mentions):,} figures")
    print(f"finder      {result['finder_mb_per_s']:6.2f} MB/s")
    print(
        f"full check  {result['check_mb_per_s']:6.2f} MB/s  ({len(paragraphs):,} paragraphs, target {TARGET_MB_S} MB/s)"
    )
    return 0 if result["check_mb_per_s"] >= TARGET_MB_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
