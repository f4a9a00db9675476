import json
import subprocess
import sys

from conftest import ROOT
from zongjie.settings import Settings


def test_default_retriever_is_the_measured_best():
    results = json.loads((ROOT / "eval" / "retrieval" / "results.json").read_text(encoding="utf-8"))
    assert results["queries"] >= 40
    best = results["best"]
    s = Settings(_env_file=None)
    assert (s.retriever, s.embedder) == (best["method"], best["embedder"])


def test_quick_benchmark_runs_and_lexical_recall_is_sound():
    out = subprocess.run(
        [sys.executable, str(ROOT / "eval" / "retrieval" / "benchmark.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("lexical"))
    recall = float(line.split("recall@5=")[1].split()[0])
    assert recall >= 0.8, out
