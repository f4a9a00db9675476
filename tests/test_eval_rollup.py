"""The roll-up evaluation case (issue 26), gated: rolled up, drafted offline and with the simulator (a loopback
OpenAI-compatible endpoint that writes prose and errs like a model), and checked — every total equals its parts
and the hand-worked figure, precision 100%, the missing unit named, the rate recomputed not summed."""

from __future__ import annotations

from conftest import ROOT, scripted_llm_settings
from zongjie.backends.llm import make_llm
from zongjie.devtools.scripted_openai import ScriptedOpenAI
from zongjie.devtools.simulated_model import simulator_script
from zongjie.evaluation.rollup import draft_problems, evaluate_rollup, load_rollup_cases, rollup_problems
from zongjie.factsheets.model import FactSheet
from zongjie.settings import Settings

CASES = ROOT / "eval" / "rollup"


def _assert_pass(results):
    assert results
    for r in results:
        assert r.passed, (r.draft.name, r.failures)
        assert r.draft.number_precision == 1.0 and r.draft.coverage >= 0.98


def test_rollup_case_offline(sample_kb):
    _assert_pass(evaluate_rollup(load_rollup_cases(CASES), Settings(environment="test"), sample_kb, None, "offline"))


def test_rollup_case_simulator(sample_kb):
    with ScriptedOpenAI(simulator_script()) as server:
        settings = scripted_llm_settings(server.base_url, llm_model="simulator")
        results = evaluate_rollup(load_rollup_cases(CASES), settings, sample_kb, make_llm(settings), "simulator")
    _assert_pass(results)


def test_the_gate_fails_on_a_wrong_roll_up():
    (case,) = [c for c in load_rollup_cases(CASES) if c.name == "county_songxi_2025"]
    result = case.run()
    sheet = case.sheet(result)
    assert rollup_problems(case, result, sheet) == []
    data = sheet.model_dump()
    rate = next(m for m in data["metrics"] if m["id"] == "membership_rate")
    rate["value"] = round(sum(p["value"] for p in rate["parts"]), 1)  # the units' rates summed
    funds = next(m for m in data["metrics"] if m["id"] == "relief_funds")
    funds["value"] = 194006.8  # 6.8 万元 added as if it were 元
    next(p for p in funds["parts"] if p["unit"] == "柳塘乡工会")["value"] = 6.8
    data["rollup"]["missing"] = []
    bad = FactSheet.model_validate(data)
    problems = rollup_problems(case, result, bad)
    assert any("职工入会率" in p for p in problems)
    assert any("发放慰问金合计 194006.8，应为 262000" in p for p in problems)
    assert any(p.startswith("合计不符") for p in problems)  # the rate no longer equals members / employees
    assert any("缺报单位未列出：白沙镇工会" in p for p in problems)
    assert draft_problems(case, sheet, "全县新建基层工会25个。") != []
    # without the confirmation, the near-match stays a proposal and the member total lacks its unit
    unconfirmed = case.run(confirmed=False)
    assert [p.label for p in unconfirmed.info.proposals] == ["新发展会员人数"]
    members = next(m for m in unconfirmed.metrics if m.id == "new_members")
    assert members.value == 1805 and "石桥镇绿源食品有限公司工会" in members.not_included
