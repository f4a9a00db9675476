"""Resident memory with the default embedder: the web process idle, and a process holding what a worker holds (the
knowledge base with the default embedder) idle, while ingesting real-size summaries and while drafting.

    .venv/bin/python benchmarks/memory.py [--summaries 10] [--drafts 4]

1. ``zongjie serve`` is started on a fresh data folder (SQLite, embedded Chroma, no sample corpus so start-up does
   not spend minutes embedding) and its RSS is read from /proc once /healthz answers: the web process idle, the
   embedder loaded (the service embeds one word at start to check the stored vectors' embedder).
2. In this process, as a worker: ``connect_knowledge_base`` (default embedder, embedded Chroma); RSS idle; peak
   RSS while ingesting ``--summaries`` real-size summaries (kb_scale's); peak while drafting ``--drafts`` example
   sheets with retrieval (the offline drafter: a model's answers cost no memory here). A thread samples RSS every
   20 ms. The number of embedder instances in the process is counted (one is expected).
Results: benchmarks/results/memory.json with the load average.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kb_scale import real_size_summaries  # noqa: E402
from zongjie.backends.embeddings import Embedder  # noqa: E402
from zongjie.backends.knowledge_base import connect_knowledge_base  # noqa: E402
from zongjie.drafting.pipeline import run_draft  # noqa: E402
from zongjie.factsheets.model import load_fact_sheet  # noqa: E402
from zongjie.settings import Settings  # noqa: E402
from zongjie.stages.ingest import ingest  # noqa: E402


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


class Peak:
    """The highest RSS of this process while the block runs."""

    def __enter__(self) -> Peak:
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def web_idle(tmp: Path) -> dict:
    port = 18000 + os.getpid() % 1000
    empty = tmp / "no-corpus"
    empty.mkdir()
    env = dict(
        os.environ,
        ZONGJIE_DATA_DIR=str(tmp / "web"),
        ZONGJIE_SAMPLE_CORPUS=str(empty),
        ZONGJIE_ADMIN_PASSWORD="memory-benchmark-pw",
        PYTHONPATH=str(ROOT / "service"),
    )
    cmd = [str(Path(sys.executable).parent / "zongjie"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(2)
        return {"web_idle_rss_mb": rss_mb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--summaries", type=int, default=10)
    ap.add_argument("--drafts", type=int, default=4)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "memory.json")
    args = ap.parse_args()
    result: dict = {"measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": os.cpu_count()}
    result["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        result.update(web_idle(tmp))
        settings = Settings(data_dir=tmp / "worker", _env_file=None)
        result["embedder"] = settings.embedder
        result["process_start_rss_mb"] = rss_mb()
        kb = connect_knowledge_base(settings)
        result["worker_idle_rss_mb"] = rss_mb()
        files = real_size_summaries(tmp / "summaries", args.summaries)
        with Peak() as peak:
            report = ingest(files, kb)
        result["worker_ingest_peak_rss_mb"] = peak.peak
        result["ingested_sections"] = report.chunks
        sheets = sorted((ROOT / "knowledge" / "facts").glob("*.*")) + sorted(
            (ROOT / "eval" / "checker").glob("*/facts.yaml")
        )
        with Peak() as peak:
            for i in range(args.drafts):
                run_draft(load_fact_sheet(sheets[i % len(sheets)]), settings, kb=kb, llm=None)
        result["worker_drafting_peak_rss_mb"] = peak.peak
        result["embedder_instances"] = sum(1 for o in gc.get_objects() if isinstance(o, Embedder))
    result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
