"""The checker: each status, the rounding policy, derived figures, coverage, reports, CLI and draft formats."""

import json
from dataclasses import replace

import docx
import pytest
from typer.testing import CliRunner

from zongjie.checker.exemplars import Exemplar, copied_spans
from zongjie.checker.matching import CheckPolicy
from zongjie.cli import app
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.stages.check import CheckInput, check

SHEET = parse_fact_sheet(
    {
        "unit": {"name": "柳岸街道工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m_households", "label": "走访困难职工", "value": 40, "unit": "户"},
            {"id": "m_lectures", "label": "举办法律讲座", "value": 12, "unit": "场"},
            {"id": "m_models", "label": "表彰劳模", "value": 40, "unit": "人"},
            {"id": "m_funds", "label": "发放帮扶资金", "value": 323.062, "unit": "万元"},
            {"id": "m_rate", "label": "建会率", "value": 15.4, "unit": "%"},
            {"id": "m_members", "label": "新发展会员", "value": 300, "unit": "名"},
            {"id": "m_women", "label": "其中女会员", "value": 120, "unit": "名"},
        ],
        "activities": [{"id": "a_run", "title": "职工健步走", "date": "2025-04-20"}],
        "plans": [{"id": "n_sites", "text": "新建3个户外劳动者驿站"}],
    }
)


def _status(text, policy=None, **kw):
    report = check(CheckInput(text, SHEET, policy=policy or CheckPolicy(), with_coverage=False, **kw))
    return [(f.text, f.status) for f in report.findings]


def test_unit_must_match():
    assert _status("走访困难职工40户") == [("40户", "supported")]
    assert _status("走访困难职工40人")[0][1] == "wrong_value"  # 40人 is the count of 劳模, but here it is 户
    assert _status("表彰劳模40人") == [("40人", "supported")]
    assert _status("表彰劳模40人次") == [("40人次", "wrong_value")]  # the fact is counted in 人
    assert _status("慰问环卫工人40人次") == [("40人次", "unsupported")]


def test_right_value_wrong_indicator_is_misattributed():
    assert _status("举办法律讲座40场") == [("40场", "wrong_value")]
    assert _status("新发展会员120名") == [("120名", "misattributed")]


def test_rounding_policy_is_declared():
    assert _status("发放帮扶资金323万余元") == [("323万余元", "supported")]  # an approximation is fine
    assert _status("发放帮扶资金323万元") == [("323万元", "wrong_value")]
    rounding = CheckPolicy(allow_rounding=True)
    assert _status("发放帮扶资金323万元", rounding) == [("323万元", "supported")]
    assert _status("建会率15%") == [("15%", "wrong_value")]
    assert _status("建会率15%", rounding) == [("15%", "supported")]


def test_derived_totals_and_shares_need_an_aggregate_word():
    assert _status("女会员占新会员的40%") == [("40%", "derived")]
    assert _status("新会员与劳模合计340人") == [("340人", "derived")]
    assert _status("另有80名志愿者") == [("80名", "unsupported")]


def test_years_dates_and_text_facts():
    assert _status("2025年") == [("2025年", "exempt")]
    assert _status("2026年，新建3个户外劳动者驿站") == [("2026年", "exempt"), ("3个", "supported")]
    assert _status("2019年") == [("2019年", "unsupported")]
    assert _status("4月20日组织职工健步走") == [("4月20日", "supported")]
    assert _status("4月21日组织职工健步走") == [("4月21日", "wrong_value")]
    assert _status("6月8日召开座谈会") == [("6月8日", "unsupported")]


def test_leaked_figures_and_names_and_copies():
    ex = [
        Exemplar(
            "桃源县红星镇工会全年走访困难职工52户，举办讲座9场，在全镇范围内营造了尊重劳动、崇尚技能的浓厚氛围。",
            "红星镇2024",
            "红星镇工会",
        )
    ]
    report = check(CheckInput("红星镇工会另举办讲座9场。在全镇范围内营造了尊重劳动、崇尚技能的浓厚氛围。", SHEET, ex))
    assert [(f.text, f.status) for f in report.findings] == [("9场", "leaked")]
    assert {lk.text for lk in report.leaks if lk.kind == "name"} == {"红星镇工会"}
    assert len(report.copies) == 1 and report.copies[0].text == "在全镇范围内营造了尊重劳动、崇尚技能的浓厚氛围。"
    assert report.copied_ratio() > 0


def test_copy_threshold():
    ex = [Exemplar("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", "x")]
    assert (
        copied_spans("前言甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉后记", ex, 20)[0].text
        == "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
    )
    assert copied_spans("甲乙丙丁戊己庚辛壬癸", ex, 20) == []


def test_coverage_lists_facts_never_stated():
    report = check(CheckInput("走访困难职工40户，4月20日组织职工健步走。", SHEET))
    stated = {c.fact_id for c in report.coverage if c.stated}
    assert stated == {"m_households", "a_run"}
    assert 0 < report.coverage_ratio() < 1


def test_json_and_text_reports():
    text = "走访困难职工41户，表彰劳模XX名。"
    report = check(CheckInput(text, SHEET))
    data = report.to_json()
    assert data["summary"]["ok"] is False and data["summary"]["errors"] == 2
    wrong = data["findings"][0]
    assert text[wrong["start"] : wrong["end"]] == "41户" and wrong["expected"] == "40户"
    assert "数值不符" in report.to_text(text) and "占位符" in report.to_text(text)


@pytest.fixture
def facts_file(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(SHEET.model_dump_json(), encoding="utf-8")
    return path


def test_cli_exit_codes_and_json(tmp_path, facts_file):
    runner = CliRunner()
    good = tmp_path / "good.md"
    good.write_text("走访困难职工40户。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("走访困难职工44户。", encoding="utf-8")
    assert runner.invoke(app, ["check", str(good), "--facts", str(facts_file)]).exit_code == 0
    result = runner.invoke(app, ["check", str(bad), "--facts", str(facts_file), "--json", "-"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["status"] == "wrong_value"
    assert runner.invoke(app, ["check", str(tmp_path / "x.pdf"), "--facts", str(facts_file)]).exit_code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("unit: {name: 1}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(good), "--facts", str(broken)])
    assert result.exit_code == 2 and "必填项" in result.stdout


def test_docx_drafts_are_read(tmp_path, facts_file):
    d = docx.Document()
    d.add_paragraph("柳岸街道工会2025年工作总结")
    d.add_paragraph("全年走访困难职工40户，举办法律讲座13场。")
    path = tmp_path / "draft.docx"
    d.save(path)
    result = CliRunner().invoke(app, ["check", str(path), "--facts", str(facts_file), "--json", "-"])
    assert result.exit_code == 1
    statuses = [f["status"] for f in json.loads(result.stdout)["findings"]]
    assert statuses == ["exempt", "supported", "wrong_value"]


def test_policy_defaults_come_from_settings():
    from zongjie.settings import Settings

    assert Settings(check_allow_rounding=True).check_policy().allow_rounding is True
    assert replace(CheckPolicy(), bind_min=0.5).bind_min == 0.5


def _sheet2(**over):
    data = {
        "unit": {"name": "东湖街道工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m_members", "label": "新发展会员", "value": 320, "unit": "人", "prior": 300, "target": 350},
            {"id": "m_blank", "label": "培训农民工", "value": None, "unit": "人次", "prior": 800},
        ],
        "sections": [{"title": "帮扶", "notes": ["走访困难职工家庭86户，发放慰问金12.9万元"]}],
        "plans": [{"id": "n_posts", "text": "再新建8个职工驿站"}],
        "problems": [{"id": "p_gap", "text": "仍有3家企业未建会"}],
        "signature": {"unit": "东湖街道工会", "date": "2025-12-26"},
    }
    data.update(over)
    return parse_fact_sheet(data)


def _st(text, sheet=None, **kw):
    report = check(CheckInput(text, sheet or _sheet2(), with_coverage=False, **kw))
    return [(f.text, f.status) for f in report.findings]


def test_plans_targets_and_problems_support_only_forward_statements():
    assert _st("全年新建8个职工驿站。") == [("8个", "plan_as_done")]
    assert _st("明年再新建8个职工驿站。") == [("8个", "supported")]
    assert _st("再新建8个职工驿站。", part="plans") == [("8个", "supported")]
    text = "一、组织建设\n新建8个职工驿站。\n二、立足新起点\n再新建8个职工驿站。"
    assert [s for _, s in _st(text)] == ["plan_as_done", "plan_as_done"]
    assert [s for _, s in _st(text, parts=[(text.index("二"), len(text), "plans")])] == ["plan_as_done", "supported"]
    assert _st("全年新发展会员350人。") == [("350人", "plan_as_done")]
    assert _st("全年新建工会3家。") == [("3家", "plan_as_done")]
    assert _st("三、存在的问题\n仍有3家企业未建会。") == [("3家", "supported")]


def test_last_year_blank_values_and_notes():
    assert _st("新发展会员300人。") == [("300人", "stale")]
    assert _st("新发展会员320人，上年为300人，同比增长6.7%。") == [
        ("320人", "supported"),
        ("300人", "supported"),
        ("6.7%", "derived"),
    ]
    assert _st("新发展会员320人，同比增长7%。")[1] == ("7%", "yoy_wrong")
    assert _st("新发展会员320人，同比增长7%。", policy=CheckPolicy(allow_rounding=True))[1] == ("7%", "derived")
    assert _st("培训农民工800人次。") == [("800人次", "stale")]
    assert _st("培训农民工0人次。") == [("0人次", "unsupported")]
    assert _st("走访困难职工家庭86户，发放慰问金12.9万元。") == [("86户", "supported"), ("12.9万元", "supported")]
    assert _st("走访困难职工家庭68户。") == [("68户", "wrong_value")]


def test_signature_date_is_a_fact():
    assert _st("东湖街道工会\n2025年12月26日") == [("2025年12月26日", "supported")]
    assert _st("东湖街道工会\n2025年12月28日") == [("2025年12月28日", "unsupported")]


def test_an_assembled_draft_is_checked_with_its_sections_parts():
    from zongjie.drafting.pipeline import run_draft
    from zongjie.settings import Settings
    from zongjie.stages.assemble import check_draft

    sheet = _sheet2(metrics=[{"id": "m_new", "label": "新建工会", "value": 5, "unit": "家"}], sections=[])
    draft = run_draft(sheet, Settings(environment="test"), kb=None, llm=None)
    plans = next(s for s in draft.walk() if s.role == "plans")
    plans.heading = "立足新起点谋划新发展"  # no plan word: the part comes from the section's role
    assert "8个" in plans.text
    report = check_draft(draft, sheet, [])
    assert report.ok, report.to_text(draft.text())
