"""Real summaries (../shared/seeds, skipped when absent) checked against fact sheets written from them: every
figure a sheet holds comes out supported where the summary states it, and no figure equal to a sheet figure is
reported wrong. Sheets: eval/adversarial/real/*.yaml (written for the project, in a clerk's words)."""

from pathlib import Path

import pytest
import yaml

from zongjie.checker.facts_index import build_index
from zongjie.facts import parse_fact_sheet
from zongjie.stages.check import CheckInput, check

REAL = Path(__file__).resolve().parents[1] / "eval" / "adversarial" / "real"
SHEETS = sorted(REAL.glob("*.yaml"))


@pytest.mark.parametrize("path", SHEETS, ids=[p.stem for p in SHEETS])
def test_every_sheet_figure_is_supported_in_the_real_summary(path, seeds):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    sheet = parse_fact_sheet(spec["facts"])
    text = (seeds / spec["seed"]).read_text(encoding="utf-8")
    report = check(CheckInput(text, sheet))
    supported = {f.fact_id for f in report.findings if f.status == "supported"}
    missing = [f"{m.label} {m.value:g}{m.unit}" for m in sheet.all_metrics() if m.id not in supported]
    assert missing == [], report.to_text(text)
    # a figure stated with exactly a sheet figure's value and unit is never an error (unit before wording)
    figures = {(f.value, f.unit) for f in build_index(sheet).figures if f.source in ("metric", "outcome")}
    wrong = [
        f"{f.text} {f.status}: {f.message}"
        for f in report.errors
        if f.kind == "quantity" and f.lo == f.hi and (f.value, f.unit) in figures
    ]
    assert wrong == []
