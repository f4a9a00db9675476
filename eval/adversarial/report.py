"""Run the checker's adversarial suite (eval/adversarial/cases) and write report.md next to this file.

.venv/bin/python eval/adversarial/report.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "service"))

from zongjie.evaluation.adversarial import evaluate, load_traps, markdown  # noqa: E402


def main() -> int:
    results, summary = evaluate(load_traps(HERE / "cases"))
    text = markdown(results, summary)
    (HERE / "report.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
