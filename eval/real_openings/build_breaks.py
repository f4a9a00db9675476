"""Build the learned line-break model (service/zongjie/corpus/break_weights.npy) from the project's own corpus.

.venv/bin/python eval/real_openings/build_breaks.py            → writes the weights, prints how well they place
                                                                  heading ends in texts they were not trained on
The training texts are knowledge/corpus (sample summaries written for the project), each cleaned into its
paragraphs: a gap where a paragraph (a title, a heading, a paragraph of text) ended is a break. ../shared/seeds,
when present, is used only to measure (never to train).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.corpus.breaks import WEIGHTS, break_prob, flatten, train  # noqa: E402
from zongjie.corpus.cleaning import clean_text  # noqa: E402
from zongjie.corpus.reading import read_text  # noqa: E402


def texts(folder: Path) -> list[str]:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    return ["\n".join(clean_text(read_text(p))) for p in files]


def measure(weights: np.ndarray, docs: list[str]) -> str:
    tp = fp = fn = 0
    for text in docs:
        flat, breaks = flatten(text)
        for i in range(1, len(flat)):
            hit = break_prob(flat, i, weights) > 0.5
            tp += hit and i in breaks
            fp += hit and i not in breaks
            fn += (not hit) and i in breaks
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return f"breaks: precision {p:.2f}, recall {r:.2f} ({tp + fn} breaks)"


def main() -> int:
    corpus = texts(ROOT / "knowledge" / "corpus")
    held = corpus[::4]
    print("held-out quarter of the corpus:", measure(train([t for t in corpus if t not in held]), held))
    weights = train(corpus)
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        print("../shared/seeds (measured only):", measure(weights, texts(seeds)))
    np.save(WEIGHTS, weights.astype(np.float16))
    print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
