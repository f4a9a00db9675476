"""Knowledge-base throughput and latency.

    .venv/bin/python benchmarks/kb_scale.py                       # ingest docs/s + search p50/p95 at 10k and 100k
    .venv/bin/python benchmarks/kb_scale.py --sizes 10000 --store memory

1. Ingest throughput: the full pipeline (read, clean, split, parse, embed in batches, store) over real-size
   summaries — files of about 5,000 characters assembled from knowledge/corpus sections (titles, openings and
   sections recombined, so the parser sees the genre; about 21 sections of ~220 characters each, as real summaries
   of that size have) — with the configured default embedder, into a fresh embedded chroma: documents/s and
   sections/s (sections of several files embedded in one batch).
2. Search latency: synthetic sections (sentences of the sample corpus recombined, random unit types/periods)
   whose vectors are the normalised sums of their sentences' vectors by the default embedder (embedding 100k
   sections with the model would take hours here; this keeps its space and dimension, so queries are embedded by
   the real model). The base is built once into ``--cache`` (outside the repository) and re-opened by later runs.
   200 queries (unit type and period filters drawn at random) run through ``retrieve`` (hybrid) with their query
   vectors cached: p50/p95 ms; ``breakdown``: each part timed alone over 60 queries — query embedding (cache
   emptied), the indexes' view (store version check), lexical ranking, dense ranking — and the whole retrieve with
   a cold query vector (``total_cold``); ``rss_mb`` of the process holding the base.
3. Right after an update: one summary is added to the 100k-section base through the knowledge base (as an upload
   does); the update's cost, the first query's latency and p50/p95 of the next 200 queries show that the lexical
   index is updated in place, not rebuilt (the rebuild is ``bm25_build_s``).
Results are printed and written to benchmarks/results/kb_scale.json with the load average at the start and after
each part (``machine``): on a shared machine the figures scale with the load, so say under what load they were
taken.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))

import numpy as np  # noqa: E402

from zongjie.backends.embeddings import EMBEDDERS  # noqa: E402
from zongjie.backends.knowledge_base import KnowledgeBase  # noqa: E402
from zongjie.corpus.document import Chunk  # noqa: E402
from zongjie.corpus.parsing import parse_file  # noqa: E402
from zongjie.settings import Settings  # noqa: E402
from zongjie.stages.ingest import ingest  # noqa: E402
from zongjie.stages.retrieve import RetrievalQuery, dense_ranking, lexical_ranking, retrieve  # noqa: E402

QUERIES = [
    "困难职工帮扶",
    "劳动竞赛 技能比武",
    "院务公开 职代会",
    "企业建会 发展会员",
    "女职工 三八节",
    "工资集体协商",
    "安康杯 安全生产",
    "教代会 师德",
    "机关工会 政治学习",
    "下半年工作打算",
]
SECTION_CHARS = 220
TYPES = ["county_federation", "township", "hospital", "enterprise", "bureau", "school"]
PERIODS = ["annual", "first_half", "second_half"]


def corpus() -> list[Path]:
    paths = [ROOT / "knowledge" / "corpus"]
    seeds = ROOT.parent / "shared" / "seeds"
    return paths + ([seeds] if seeds.is_dir() else [])


def real_size_summaries(folder: Path, n: int, chars: int = 5000, seed: int = 5) -> list[Path]:
    """n files of about ``chars`` characters each, recombined from the sample corpus' parsed sections: a title, an
    opening, then numbered sections of about ``SECTION_CHARS`` characters (real summaries of this size hold some
    20 sections; the sample corpus' sections are shorter, so a section here joins several of them)."""
    rng = random.Random(seed)
    docs = [d for p in sorted((ROOT / "knowledge" / "corpus").iterdir()) for d in parse_file(p)]
    sections = [(s.title, s.text) for d in docs for _, s in d.walk() if s.text]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        d = docs[i % len(docs)]
        lines = [f"合成{i}号{d.title}", d.opening]
        k, size = 0, 0
        while size < chars:
            title, text = rng.choice(sections)
            while len(text) < SECTION_CHARS:
                text += rng.choice(sections)[1]
            k += 1
            lines += [f"{'一二三四五六七八九十'[(k - 1) % 10] if k <= 10 else k}、{title}", text]
            size += len(title) + len(text)
        path = folder / f"summary_{i:03d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        out.append(path)
    return out


def bench_ingest(tmp: Path, n: int = 40, embedder: str | None = None) -> dict:
    s = Settings(data_dir=tmp / "ingest", _env_file=None, **({"embedder": embedder} if embedder else {}))
    kb = KnowledgeBase.from_settings(s)
    kb.embedder.embed(["预热"])  # model load is start-up cost, not throughput
    files = real_size_summaries(tmp / "summaries", n)
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
    cpu = time.process_time()
    t = time.perf_counter()
    report = ingest(files, kb)
    dt = time.perf_counter() - t
    cpu = time.process_time() - cpu
    return {
        "embedder": s.embedder,
        "store": s.vector_store,
        "documents": report.documents,
        "mean_chars": round(chars / len(files)),
        "sections": report.chunks,
        "sections_per_document": round(report.chunks / max(report.documents, 1), 1),
        "seconds": round(dt, 2),
        "cpu_seconds": round(cpu, 2),  # this process's CPU time: on a loaded machine it got cpu/seconds of a core
        "documents_per_s": round(report.documents / dt, 2),
        "documents_per_cpu_s": round(report.documents / cpu, 2),
        "sections_per_s": round(report.chunks / dt, 1),
        "sections_per_cpu_s": round(report.chunks / cpu, 1),
        "embedder_passages_per_s": raw_speed(kb),
    }


def raw_speed(kb: KnowledgeBase, n: int = 32) -> float:
    """The embedder alone: passages of 190 characters of the sample corpus embedded per second (one batch)."""
    text = re.sub(
        r"\s+", "", "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "knowledge" / "corpus").iterdir()))
    )
    passages = [text[i : i + 190] for i in range(0, 190 * n, 190)]
    t = time.perf_counter()
    kb.embedder.embed(passages)
    return round(n / (time.perf_counter() - t), 1)


def synthetic_chunks(n: int, seed: int = 7) -> list[Chunk]:
    rng = random.Random(seed)
    sentences = []
    for path in (ROOT / "knowledge" / "corpus").iterdir():
        sentences += [s for s in re.split(r"(?<=[。；])", path.read_text(encoding="utf-8")) if len(s) > 12]
    out = []
    for i in range(n):
        body = "".join(rng.sample(sentences, 3))
        heading = f"{'一二三四五六'[i % 6]}、" + body[:12]
        out.append(
            Chunk(
                id=f"syn{i:07d}",
                doc_id=f"sd{i // 12}",
                text=f"{heading}\n{body}",
                body=body,
                heading_path=[heading],
                level=1,
                role="body",
                unit_name=f"合成单位{i // 12}工会",
                unit_type=rng.choice(TYPES),
                period=rng.choice(PERIODS),
                year=2000 + i % 25,
                source=f"synthetic/{i // 12}.txt",
                file_hash="x",
            )
        )
    return out


def sentence_vectors(embedder_name: str) -> tuple[list[str], np.ndarray]:
    """The sample corpus' sentences and their embeddings by the named embedder (passages)."""
    sentences: list[str] = []
    for path in sorted((ROOT / "knowledge" / "corpus").iterdir()):
        sentences += [s for s in re.split(r"(?<=[。；])", path.read_text(encoding="utf-8")) if len(s) > 12]
    sentences = list(dict.fromkeys(sentences))
    emb = EMBEDDERS.make(embedder_name, Settings(_env_file=None))
    return sentences, emb.embed(sentences)


def section_vectors(chunks: list[Chunk], sentences: list[str], vectors: np.ndarray) -> np.ndarray:
    """A synthetic section's vector: the normalised sum of its sentences' vectors (embedding 100k sections with a
    neural model would take hours here; this keeps the real embedder's space and dimension, so queries are
    embedded by the real model and searched as in production)."""
    row = {s: i for i, s in enumerate(sentences)}
    out = np.zeros((len(chunks), vectors.shape[1]), dtype=np.float32)
    for j, c in enumerate(chunks):
        parts = [row[s] for s in re.split(r"(?<=[。；])", c.body) if s in row]
        out[j] = vectors[parts].sum(axis=0)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    return out


def built_kb(n: int, store: str, embedder: str, cache: Path) -> tuple[KnowledgeBase, dict]:
    """The n-section knowledge base, built once into ``cache`` (outside the repository) and re-opened by later
    runs: loading 100k sections into chroma and tokenising them is minutes of CPU that measures nothing here."""
    data_dir = cache / f"{store}-{embedder}-{n}"
    marker = data_dir / "built.json"
    s = Settings(data_dir=data_dir, vector_store=store, embedder=embedder, _env_file=None)
    if store != "memory" and marker.is_file():
        t = time.perf_counter()
        kb = KnowledgeBase.from_settings(s)
        info = json.loads(marker.read_text(encoding="utf-8"))
        info["reopen_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        kb.lexical()
        info["bm25_load_s"] = round(time.perf_counter() - t, 2)
        return kb, info
    if data_dir.exists() and store != "memory":
        shutil.rmtree(data_dir)
    kb = KnowledgeBase.from_settings(s)
    sentences, vectors = sentence_vectors(embedder)
    chunks = synthetic_chunks(n)
    t = time.perf_counter()
    for i in range(0, n, 5000):
        part = chunks[i : i + 5000]
        kb.store.upsert(part, section_vectors(part, sentences, vectors))
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    kb.lexical()
    info = {"load_s": round(load_s, 1), "bm25_build_s": round(time.perf_counter() - t, 2)}
    if store != "memory":
        marker.write_text(json.dumps(info), encoding="utf-8")
    return kb, info


def _pct(values: list[float]) -> dict:
    values = sorted(values)
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(values[int(len(values) * 0.95) - 1], 1)}


def _queries(rng: random.Random, n: int = 200) -> list[RetrievalQuery]:
    return [
        RetrievalQuery(
            text=QUERIES[i % len(QUERIES)],
            k=5,
            unit_type=rng.choice(TYPES + [None, None]),
            period=rng.choice(PERIODS + [None]),
        )
        for i in range(n)
    ]


def rss_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def bench_search(n: int, store: str, embedder: str, cache: Path) -> dict:
    kb, info = built_kb(n, store, embedder, cache)
    kb.embedder.embed(["预热"], query=True)  # model load is start-up cost, not latency
    rng = random.Random(1)
    queries = _queries(rng)
    # the parts, each timed alone: query embedding (the model, cache emptied), the indexes' view (one store version
    # check), lexical ranking (filter mask + BM25 over the query's postings), dense ranking (filter mask + exact
    # cosine over the kept rows), and the whole retrieve (fusion and diversity included) with the vector cached
    parts: dict[str, list[float]] = {k: [] for k in ("query_embedding", "view", "lexical", "dense", "total_cold")}
    for q in queries[:60]:
        kb.clear_query_cache()
        t = time.perf_counter()
        kb.query_vector(q.text)
        parts["query_embedding"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        view = kb.search_view()
        parts["view"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        lexical_ranking(kb, q, 20, view)
        parts["lexical"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        dense_ranking(kb, q, 20, view)
        parts["dense"].append((time.perf_counter() - t) * 1000)
        kb.clear_query_cache()
        t = time.perf_counter()
        retrieve(kb, q)
        parts["total_cold"].append((time.perf_counter() - t) * 1000)
    for text in QUERIES:  # the warm series: every query vector cached (the cold cost is ``total_cold``)
        kb.query_vector(text)
    times = []
    for q in queries:
        t = time.perf_counter()
        retrieve(kb, q)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "sections": n,
        "store": store,
        "embedder": embedder,
        "method": "hybrid",
        **info,
        "rss_mb": rss_mb(),
        **_pct(times),
        "breakdown": {k: _pct(v) for k, v in parts.items()},
        **after_update(kb, rng),
    }


def after_update(kb: KnowledgeBase, rng: random.Random) -> dict:
    """Add one summary as an upload does, then query: the update is applied to the index, nothing is rebuilt."""
    src = sorted((ROOT / "knowledge" / "corpus").iterdir())[0]
    docs = parse_file(src)
    for d in docs:
        d.source = "benchmark/update.txt"
    t = time.perf_counter()
    kb.add_documents("benchmark/update.txt", docs)
    update_s = time.perf_counter() - t
    times = []
    for q in _queries(rng, 201):
        t = time.perf_counter()
        retrieve(kb, q)
        times.append((time.perf_counter() - t) * 1000)
    first, rest = times[0], sorted(times[1:])
    for d in docs:  # leave the cached base as it was built
        kb.delete_document(d.id)
    return {
        "update_sections": sum(1 for d in docs for _ in d.walk()),
        "update_s": round(update_s, 2),
        "first_query_after_update_ms": round(first, 1),
        "after_update_p50_ms": round(statistics.median(rest), 1),
        "after_update_p95_ms": round(rest[int(len(rest) * 0.95) - 1], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--store", default="chroma-embedded", choices=["chroma-embedded", "memory"])
    ap.add_argument("--embedder", default=Settings(_env_file=None).embedder, help="default: the configured default")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "zongjie-kb-scale",
        help="where built search bases are kept between runs (outside the repository)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "kb_scale.json")
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--ingest-docs", type=int, default=40, help="real-size summaries ingested (default 40)")
    args = ap.parse_args()
    results: dict = {}
    args.out.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every step, so a long run that is cut short keeps what it measured
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    def machine(when: str) -> None:  # the load the figures were taken under (2 shared cores here)
        results.setdefault("machine", {"cpus": os.cpu_count()})[f"loadavg_{when}"] = [
            round(x, 2) for x in os.getloadavg()
        ]

    machine("start")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if not args.skip_ingest:
            results["ingest"] = bench_ingest(tmp, args.ingest_docs, args.embedder)
            print("ingest:", json.dumps(results["ingest"], ensure_ascii=False), flush=True)
            machine("after_ingest")
            save()
        results["search"] = []
        for n in [] if args.skip_search else args.sizes:
            r = bench_search(n, args.store, args.embedder, args.cache)
            results["search"].append(r)
            print("search:", json.dumps(r), flush=True)
            machine(f"after_{n}")
            save()


if __name__ == "__main__":
    main()
