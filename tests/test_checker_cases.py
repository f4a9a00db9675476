"""Drafts with deliberately injected errors are caught completely; their clean versions raise no alarm."""

from pathlib import Path

import pytest
import yaml

from zongjie.factsheets.model import load_fact_sheet
from zongjie.stages.check import CheckInput, check, exemplars_from_file

CASES = Path(__file__).resolve().parents[1] / "eval" / "checker"
CASE_DIRS = sorted(p.parent for p in CASES.glob("*/case.yaml"))


def _load(case_dir: Path):
    spec = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    sheet = load_fact_sheet((case_dir / spec["facts"]).resolve())
    draft = (case_dir / spec["draft"]).read_text(encoding="utf-8")
    exemplars = [e for p in spec.get("exemplars", []) for e in exemplars_from_file((case_dir / p).resolve())]
    return spec, sheet, draft, exemplars


def _errors(report):
    out = [(f.status, f.start, f.end) for f in report.errors]
    out += [("name_leak", lk.start, lk.end) for lk in report.leaks if lk.kind == "name"]
    out += [("copied", c.start, c.end) for c in report.copies]
    return out


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_clean_draft_has_no_errors_and_states_every_fact(case_dir):
    spec, sheet, draft, exemplars = _load(case_dir)
    report = check(CheckInput(draft, sheet, exemplars))
    assert _errors(report) == [], report.to_text(draft)
    missing = [c.fact_id for c in report.coverage if not c.stated]
    assert missing == [], report.to_text(draft)
    assert report.number_precision() == 1.0


def _injections():
    for case_dir in CASE_DIRS:
        spec = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
        for i, inj in enumerate(spec["injections"]):
            yield pytest.param(case_dir, inj, id=f"{case_dir.name}-{i}-{inj['name']}")


@pytest.mark.parametrize("case_dir,inj", list(_injections()))
def test_injected_error_is_caught_exactly(case_dir, inj):
    spec, sheet, draft, exemplars = _load(case_dir)
    assert draft.count(inj["find"]) == 1, f"{inj['find']!r} must occur once in the clean draft"
    bad = draft.replace(inj["find"], inj["replace"])
    pos = draft.index(inj["find"]) + inj["replace"].index(inj["at"])
    report = check(CheckInput(bad, sheet, exemplars))
    errors = _errors(report)
    assert errors == [(inj["expect"], pos, pos + len(inj["at"]))], report.to_text(bad)
