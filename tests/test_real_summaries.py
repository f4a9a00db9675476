"""Real summaries (../shared/seeds, skipped when absent) checked against fact sheets written from them.

Two sets of sheets: the gold sheets of every seed document (eval/seeds, index.yaml names the document) and the
checker's own (eval/adversarial/real). Each document is checked against its sheet with the parts the parser read
(body / problems / plans). Every figure the sheet holds must come out supported where the document states it, and
no figure stated with exactly a sheet figure's value and unit may be reported as an error.
"""

import math
from pathlib import Path

import pytest
import yaml

from zongjie.checker.facts_index import build_index
from zongjie.corpus.parsing import parse_file
from zongjie.factsheets.model import FactSheet, load_fact_sheet, parse_fact_sheet
from zongjie.numbers.units import to_base
from zongjie.stages.check import CheckInput, check, summary_parts

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "seeds"
OWN = ROOT / "eval" / "adversarial" / "real"


def _cases():
    if (GOLD / "index.yaml").is_file():
        for e in yaml.safe_load((GOLD / "index.yaml").read_text(encoding="utf-8")):
            yield pytest.param(GOLD / e["gold"], e["seed"], e["doc"], id=f"gold-{Path(e['gold']).stem}")
    for path in sorted(OWN.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield pytest.param(path, spec["seed"], spec.get("doc"), id=f"own-{path.stem}")


def _sheet(path: Path) -> FactSheet:
    if path.parent == OWN:
        return parse_fact_sheet(yaml.safe_load(path.read_text(encoding="utf-8"))["facts"])
    return load_fact_sheet(path)


def _key(value: float, unit: str) -> tuple[float, str]:
    v, u = to_base(value, unit)
    return round(v, 6), u


@pytest.mark.parametrize("path,seed,doc", list(_cases()))
def test_every_sheet_figure_is_supported_in_the_real_summary(path, seed, doc, seeds):
    sheet = _sheet(path)
    if doc is None:
        text, parts = (seeds / seed).read_text(encoding="utf-8"), None
    else:
        text, parts = summary_parts(parse_file(seeds / seed)[doc - 1])
    report = check(CheckInput(text, sheet, parts=parts))
    index = build_index(sheet)
    by_id = {f.fact_id: f for f in index.figures if f.source in ("metric", "outcome")}
    # a figure supports every fact of the same value and unit (a sheet may hold one figure twice: 各10名)
    stated = {
        (round(by_id[f.fact_id].value, 6), by_id[f.fact_id].unit)
        for f in report.findings
        if f.status in ("supported", "derived") and f.fact_id in by_id
    }
    missing = [
        f"{m.label} {m.value:g}{m.unit}"
        for m in sheet.all_metrics()
        if m.value is not None and not _article(m, text) and _key(m.value, m.unit) not in stated
    ]
    assert missing == [], report.to_text(text)
    figures = {(f.value, f.unit) for f in by_id.values() if not math.isnan(f.value)}
    wrong = [
        f"{f.text} {f.status}: {f.message}"
        for f in report.errors
        if f.kind == "quantity" and f.lo == f.hi and (f.value, f.unit) in figures
    ]
    assert wrong == []


def _article(m, text: str) -> bool:
    """一次 / 一份 / 二次会议: a lone 一 is an article and 二次 an ordinal in this genre; the finder never reads
    them as figures, so a sheet recording them as counts has nothing to bind to."""
    return m.value in (1, 2) and f"{'一' if m.value == 1 else '二'}{m.unit}" in text
