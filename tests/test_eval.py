"""The draft evaluation harness: every case passes the gates offline; a bad draft fails them."""

from typer.testing import CliRunner

from conftest import ROOT
from zongjie.cli import app
from zongjie.drafting.pipeline import run_draft
from zongjie.evaluation.drafts import Case, load_cases, measure
from zongjie.settings import Settings

CASES = ROOT / "eval" / "cases"


def test_cases_cover_every_unit_type_and_both_periods():
    cases = load_cases(CASES)
    assert len(cases) >= 12
    assert {c.sheet.unit.type for c in cases} >= {
        "county_federation",
        "township",
        "hospital",
        "enterprise",
        "bureau",
        "school",
    }
    assert {c.sheet.period.kind for c in cases} >= {"annual", "first_half", "second_half"}


def test_cli_eval_offline_and_scripted_pass_the_gates(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ZONGJIE_EMBEDDER", "hashing")
    result = CliRunner().invoke(app, ["eval", "-b", "offline", "-b", "simulator", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    n = len(load_cases(CASES))
    assert report.count(f"{n}/{n} cases pass") == 2  # offline and simulator
    gold = (tmp_path / "drafting" / "report.md").read_text(encoding="utf-8")
    assert gold.count("Gates: **pass**") == 2 and "update bleu4" in gold
    assert (tmp_path / "report.json").exists()


def test_gates_fail_on_a_bad_draft():
    case = next(c for c in load_cases(CASES) if c.name == "township_qingshan_2025")
    draft = run_draft(case.sheet, Settings(environment="test"), kb=None, llm=None)
    good = measure(case, draft, "offline", 0.1)
    assert good.passed
    bad = draft.model_copy(deep=True)
    bad.sections[0].text = bad.sections[0].text.replace("520名", "XX名") + "另有志愿者88人。"
    bad.sections[1].marker = "三、"
    from zongjie.drafting.editing import recheck

    recheck(bad, case.sheet, Settings(environment="test"), [])
    r = measure(case, bad, "offline", 0.1)
    assert not r.passed and r.placeholders == 1 and r.invented == 1 and r.number_precision < 1
    assert any("编号不连续" in f for f in r.failures)
    assert not measure(Case("x", case.sheet, {"min_sections": 20}), draft, "offline", 0.1).passed
