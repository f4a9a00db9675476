"""The checker's adversarial suite (eval/adversarial): every trap caught, no true statement flagged, and the
committed report tells the truth about both."""

import re
from pathlib import Path

import pytest

from zongjie.evaluation.adversarial import evaluate, load_traps, run_trap

HERE = Path(__file__).resolve().parents[1] / "eval" / "adversarial"
TRAPS = load_traps(HERE / "cases")


def test_suite_is_large_and_covers_every_class():
    assert len(TRAPS) >= 60
    classes = {t.klass for t in TRAPS}
    assert {
        "targets_as_achievements",
        "open_ranges",
        "approximations",
        "unit_mixups",
        "money_scale",
        "percent_vs_points",
        "chinese_numerals",
        "copied_sheets",
        "stale_figures",
        "wrong_yoy",
        "revisions",
    } <= classes
    assert sum(len(t.passes) for t in TRAPS) >= len(TRAPS)
    assert all(t.revised is not None for t in TRAPS if t.klass == "revisions")


@pytest.mark.parametrize("trap", TRAPS, ids=[f"{t.klass}-{t.id}" for t in TRAPS])
def test_trap_is_caught_and_true_statements_pass(trap):
    result = run_trap(trap)
    assert result.caught, f"expected {trap.expect} on {trap.at}, got {result.got}"
    assert result.extra == []
    assert result.before_revision == []
    assert result.false_alarms == []


def test_committed_report_matches_the_suite():
    _, summary = evaluate(TRAPS)
    report = (HERE / "report.md").read_text(encoding="utf-8")
    assert f"- traps caught: {summary.caught}/{summary.traps}" in report
    assert f"- false alarms: {summary.false_alarms}/{summary.passes} true statements" in report
    assert summary.ok and re.search(r"traps caught: (\d+)/\1\b", report)
