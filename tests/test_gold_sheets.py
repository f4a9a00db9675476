"""The hand-written gold fact sheets (eval/seeds for the real summaries, eval/extraction/corpus for ours)."""

from pathlib import Path

import cn2an
import pytest
import yaml

from zongjie.corpus.parsing import parse_file
from zongjie.factsheets.model import load_fact_sheet
from zongjie.numbers import find_numbers
from zongjie.numbers.units import to_base

ROOT = Path(__file__).resolve().parents[1]
SEED_GOLD = ROOT / "eval" / "seeds"
CORPUS_GOLD = ROOT / "eval" / "extraction" / "corpus"
INDEX = yaml.safe_load((SEED_GOLD / "index.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SEED_GOLD.glob("*-*.yaml")) + sorted(CORPUS_GOLD.glob("*.yaml")), ids=str)
def test_gold_sheets_are_valid_fact_sheets(path):
    sheet = load_fact_sheet(path)
    assert sheet.metrics and sheet.sections
    assert all(m.label and m.unit and m.section for m in sheet.metrics)


def test_index_names_every_gold_sheet():
    assert sorted(e["gold"] for e in INDEX) == sorted(p.name for p in SEED_GOLD.glob("*-*.yaml"))
    assert len(INDEX) == 13


def _doc(seeds, entry):
    return parse_file(seeds / entry["seed"])[entry["doc"] - 1]


@pytest.mark.parametrize("entry", INDEX, ids=lambda e: e["gold"])
def test_gold_sheet_matches_its_seed_document(seeds, entry):
    """The index points at the right document; every metric sits under one of its headings; every stated value
    is written in the text: as the number finder reads it, or as digits / a Chinese numeral where the finder cannot
    (a lost measure word, 召开一次, 323、062 with its decimal point lost, 一半)."""
    doc = _doc(seeds, entry)
    assert doc.title == entry["title"]
    sheet = load_fact_sheet(SEED_GOLD / entry["gold"])
    headings = {s.title for _, s in doc.walk()}
    assert {m.section for m in sheet.metrics} <= headings
    text = doc.full_text()
    found = {m.value for m in find_numbers(text) if m.kind == "quantity"}
    for m in sheet.metrics:
        if m.value is None:
            continue
        base, _ = to_base(m.value, m.unit)
        written = f"{m.value:g}"
        forms = {written, written.replace(".", "、")}
        if m.value == int(m.value):
            forms.add(cn2an.an2cn(int(m.value)) + m.unit[-1])
        if m.value == 50 and m.unit == "%":
            forms.add("一半")
        assert base in found or any(f in text for f in forms), (entry["gold"], m.label)


@pytest.mark.parametrize("entry", INDEX, ids=lambda e: e["gold"])
def test_gold_sheet_says_the_work_in_its_own_words_and_covers_its_substance(seeds, entry):
    """The clerk's notes cover the real text's substance (the sheet's words are ≥ 45% of its characters, unless the
    index states why the case cannot: ``short``) in the clerk's own words: no run of 10 characters of the real text
    except names (quoted, headings, lists of short items) and figures (``evaluation.gold.copied_runs``)."""
    from zongjie.evaluation.gold import _drafting_sheet, copied_runs, sheet_share

    doc = _doc(seeds, entry)
    data = yaml.safe_load((SEED_GOLD / entry["gold"]).read_text(encoding="utf-8"))
    headings = tuple(s.title for _, s in doc.walk())
    assert copied_runs(load_fact_sheet(SEED_GOLD / entry["gold"]), doc.full_text(), headings) == []
    share = sheet_share(_drafting_sheet(data, entry["gold"]), doc.full_text())
    assert share >= 0.45 or entry.get("short"), (entry["gold"], share)
