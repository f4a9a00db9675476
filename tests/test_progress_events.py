"""Typed progress events: what run_draft reports while it works, folded by JobProgress and read back from JSON."""

import threading

from conftest import ROOT, scripted_llm_settings
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet
from zongjie.stages.events import (
    EVENT,
    Done,
    JobProgress,
    Planned,
    SectionChecked,
    SectionFallback,
    SectionRepairing,
    SectionStarted,
    SectionWritten,
    StageChanged,
)

SHEET = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _run(script, **over):
    events, lock = [], threading.Lock()

    def record(event):
        with lock:
            events.append(event)

    with ScriptedOpenAI(script) as server:
        settings = scripted_llm_settings(server.base_url, **over)
        draft = run_draft(load_fact_sheet(SHEET), settings, kb=None, progress=record)
    return draft, events


def test_events_come_in_order_and_carry_sections_and_usage():
    def script(request, n):
        prompt = last_user(request)
        if "你上一次写的正文如下" in prompt:
            return Reply(facts_answer(prompt.split("本单位事实（仅可使用这些数字）：", 1)[1]))
        return Reply(facts_answer(prompt) + "另外组织职工志愿者服务237人次。")  # an invented figure: one repair

    draft, events = _run(script, draft_repair_rounds=2, llm_max_concurrency=3)
    assert events[0] == StageChanged(stage="planning")
    (planned,) = [e for e in events if isinstance(e, Planned)]
    keys = [s.key for s in planned.sections]
    assert keys == ["opening", *[s.key for s in draft.walk() if not s.children], "ending"]  # the frame is written too
    body = keys[1:-1]
    assert events.index(planned) < min(i for i, e in enumerate(events) if hasattr(e, "key"))
    assert isinstance(events[-1], Done) and events[-2] == StageChanged(stage="assembling")
    for key in body:  # per section: started → checked → repairing → checked … → written
        mine = [e for e in events if getattr(e, "key", None) == key]
        assert isinstance(mine[0], SectionStarted) and isinstance(mine[-1], SectionWritten)
        section = next(s for s in draft.walk() if s.key == key)
        assert mine[-1].text == section.text and mine[-1].rounds == section.rounds
        if section.role == "body":
            assert [type(e) for e in mine[1:-1]] == [SectionChecked, SectionRepairing, SectionChecked]
            assert mine[1].errors >= 1 and mine[3].errors == 0
    done = events[-1]
    assert done.errors == 0 and done.llm_calls == draft.usage["llm_calls"]
    assert done.prompt_tokens == draft.usage["prompt_tokens"] > 0
    assert sum(e.prompt_tokens for e in events if isinstance(e, SectionChecked)) == done.prompt_tokens

    progress = JobProgress()
    for e in events:
        progress.apply(EVENT.validate_json(e.model_dump_json()))  # what a stream or the job record carries
    assert progress.stage == "done" and [s.key for s in progress.sections] == keys
    assert all(s.status == "done" and s.errors == 0 for s in progress.sections)
    assert JobProgress.model_validate_json(progress.model_dump_json()) == progress


def test_a_failing_llm_is_reported_as_a_fallback_per_section():
    draft, events = _run(lambda r, n: Reply("", status=500), llm_max_concurrency=1)
    fallbacks = [e for e in events if isinstance(e, SectionFallback)]
    frame = {"opening", "ending"}  # the opening and closing paragraphs fall back too
    assert {e.key for e in fallbacks} == {s.key for s in draft.walk() if s.fallback == "offline"} | frame
    assert fallbacks and all(e.kind == "server" and e.message for e in fallbacks)
    progress = JobProgress()
    for e in events:
        progress.apply(e)
    assert {s.fallback for s in progress.sections} == {"offline"}
