"""Drafting speed: offline draft seconds per example fact sheet, and LLM draft wall time against the scripted
OpenAI-compatible server answering each call after 1 s — as a ratio to the slowest section and to the sum.

    .venv/bin/python benchmarks/draft_speed.py [--delay 1.0] [--concurrency 4]

Results are printed and saved to benchmarks/results/draft_speed.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user  # noqa: E402
from zongjie.drafting.pipeline import run_draft  # noqa: E402
from zongjie.factsheets.model import load_fact_sheet  # noqa: E402
from zongjie.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=Settings().llm_max_concurrency)
    args = ap.parse_args()
    sheets = sorted((ROOT / "knowledge" / "facts").glob("*.*")) + sorted(
        (ROOT / "eval" / "checker").glob("*/facts.yaml")
    )
    offline = {}
    for path in sheets:
        sheet = load_fact_sheet(path)
        t = time.perf_counter()
        run_draft(sheet, Settings(environment="test"), kb=None, llm=None)
        offline[f"{path.parent.name}/{path.name}"] = round(time.perf_counter() - t, 4)

    script = lambda request, n: Reply(facts_answer(last_user(request)), delay=args.delay)  # noqa: E731
    llm = {}
    with ScriptedOpenAI(script) as server:
        for path in sheets:
            settings = Settings(
                environment="test",
                llm="openai",
                llm_base_url=server.base_url,
                llm_model="scripted",
                llm_max_concurrency=args.concurrency,
                llm_max_retries=0,
            )
            draft = run_draft(load_fact_sheet(path), settings, kb=None)
            t = draft.timings
            llm[f"{path.parent.name}/{path.name}"] = {
                "sections": len([s for s in draft.walk() if s.text]),
                "wall_s": t["write"],
                "slowest_section_s": t["slowest_section"],
                "sum_of_sections_s": t["sum_of_sections"],
                "ratio_to_slowest": round(t["write"] / t["slowest_section"], 2),
                "ratio_to_sum": round(t["write"] / t["sum_of_sections"], 2),
            }
    result = {"offline_seconds": offline, "llm_delay_s": args.delay, "concurrency": args.concurrency, "llm": llm}
    out = ROOT / "benchmarks" / "results" / "draft_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("offline draft seconds:")
    for k, v in offline.items():
        print(f"  {k:45s} {v:.3f}")
    print(f"LLM draft against the scripted server ({args.delay:g} s per call, concurrency {args.concurrency}):")
    for k, v in llm.items():
        print(
            f"  {k:45s} {v['sections']} sections  wall {v['wall_s']:.2f} s  slowest {v['slowest_section_s']:.2f} s"
            f"  sum {v['sum_of_sections_s']:.2f} s  wall/slowest {v['ratio_to_slowest']}  wall/sum {v['ratio_to_sum']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
