"""The LLM path against a real OpenAI-compatible HTTP server on loopback, scripted to answer well or badly."""

import re
import threading
import time

from conftest import ROOT, scripted_llm_settings
from zongjie.checker.exemplars import names_in
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet
from zongjie.settings import Settings

SHEET = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _settings(server, **over):
    return scripted_llm_settings(server.base_url, **({"llm_max_concurrency": 4, "draft_repair_rounds": 2} | over))


def _heading(prompt: str) -> str:
    m = re.search(r"本部分标题：(.+)", prompt)
    return m.group(1) if m else ""


def _exemplar_name(prompt: str) -> str | None:
    part = prompt.split("参考范文", 1)[1] if "参考范文" in prompt else ""
    names = sorted(names_in(part))
    return names[0] if names else None


def _bad(prompt: str) -> str:
    """A section that gets a value wrong, invents a figure, leaks an exemplar name and leaves a placeholder."""
    good = facts_answer(prompt)
    bad = re.sub(r"(\d+)(?=[^\d.])", lambda m: str(int(m.group(1)) + 1), good, count=1)
    bad += "另外组织职工志愿者服务237人次。表彰XX名先进。"
    name = _exemplar_name(prompt)
    if name:
        bad += f"学习借鉴{name}的做法。"
    return bad


def test_good_answers_are_assembled_in_order_with_usage_and_provenance(sample_kb):
    with ScriptedOpenAI() as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server), kb=sample_kb)
    assert draft.backend == "scripted"
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0
    assert [s.marker for s in draft.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert all(s.fallback == "none" and s.rounds == 1 for s in draft.walk())
    assert draft.usage["llm_calls"] == 8 and draft.usage["prompt_tokens"] > 0  # 6 sections, opening and closing
    assert draft.exemplars and all(e["source"] for e in draft.exemplars)
    supported = [p for p in draft.provenance if p.status == "supported"]
    assert {p.fact_id for p in supported} >= {"m_new_unions", "m_hardship_funds", "m_trainees"}
    # prompts carry the facts with ids and the exemplars, from the jinja2 templates
    request = next(r for r in server.requests if "本部分标题" in last_user(r))
    prompt = last_user(request)
    assert "[m_" in prompt or "[a_" in prompt or "[p_" in prompt or "[n_" in prompt
    assert request["messages"][0]["role"] == "system"


def test_streaming_answers_work_too(sample_kb):
    with ScriptedOpenAI() as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server, llm_streaming=True), kb=sample_kb)
        assert all(r.get("stream") for r in server.requests)
    assert draft.report.summary.errors == 0
    assert draft.usage["completion_tokens"] > 0


def test_errors_in_a_first_answer_are_repaired_in_the_next_round(sample_kb):
    def script(request, n):
        prompt = last_user(request)
        if "你上一次写的正文如下" in prompt:  # a repair request: answer well, and it lists the findings
            # (an opening or closing sent back again lists only what its role still lacks: 「没有写明…」, 「太短」)
            assert any(w in prompt for w in ("应为", "无出处", "占位符", "事实中", "没有写", "太短", "开头应以"))
            return Reply(facts_answer(prompt.split("本单位事实（仅可使用这些数字）：", 1)[1]))
        return Reply(_bad(prompt))

    with ScriptedOpenAI(script) as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server), kb=sample_kb)
    assert draft.report.summary.errors == 0, draft.report
    body = [s for s in draft.walk() if s.role == "body"]
    assert all(s.rounds == 2 and s.fallback == "none" for s in body)
    assert "XX" not in draft.text() and "237" not in draft.text()


def test_answers_that_stay_wrong_are_repaired_without_the_llm_or_flagged(sample_kb):
    planted = {"wrong": 0}

    def script(request, n):
        planted["wrong"] += 1
        return Reply(_bad(last_user(request)))

    with ScriptedOpenAI(script) as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server, draft_repair_rounds=1), kb=sample_kb)
    summary = draft.report.summary
    text = draft.text()
    flagged = text.count("【待核实】")
    assert summary.errors == flagged  # nothing wrong is left unmarked
    assert summary.coverage == 1.0
    assert "237" not in text and "XX" not in text
    assert all(s.fallback == "partial" and s.rounds == 2 for s in draft.walk() if s.role == "body")


def test_unreachable_endpoint_falls_back_to_the_offline_drafter():
    settings = Settings(environment="test", llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0)
    draft = run_draft(load_fact_sheet(SHEET), settings, kb=None)
    assert draft.report.summary.errors == 0
    notes = {s.note for s in draft.walk()}
    assert any("无法连接大模型服务" in n for n in notes)
    assert all(s.fallback == "offline" for s in draft.walk())


def test_slow_answers_time_out_and_fall_back():
    with ScriptedOpenAI(lambda r, n: Reply("迟到的回答。", delay=3)) as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server, llm_timeout=0.5), kb=None)
    assert all(s.fallback == "offline" and "超时" in s.note for s in draft.walk())
    assert draft.report.summary.errors == 0


def test_sections_are_written_concurrently():
    arrivals = []
    lock = threading.Lock()

    def script(request, n):
        with lock:
            arrivals.append(time.monotonic())
        return Reply(facts_answer(last_user(request)), delay=0.6)

    with ScriptedOpenAI(script) as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server, llm_max_concurrency=3), kb=None)
    assert draft.report.summary.errors == 0
    first = min(arrivals)
    in_first_window = sum(1 for t in arrivals if t - first < 0.5)
    assert in_first_window == 3  # three sections in flight before the first answer came back, never more


def test_wrong_key_is_a_clear_error_for_the_section():
    with ScriptedOpenAI(api_key="right") as server:
        draft = run_draft(load_fact_sheet(SHEET), _settings(server, llm_api_key="wrong"), kb=None)
    assert all("API Key" in s.note for s in draft.walk())
