"""The LLM writes the opening and closing paragraphs: their prompts (prompts/opening.md.j2, ending.md.j2), checked
like every section, sent back while they hold a wrong figure or leave out the period, leadership or themes, and
written offline when the model still fails — against the simulator and the scripted loopback endpoint."""

import threading

from conftest import ROOT, scripted_llm_settings
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, frame_answer, last_user
from zongjie.devtools.simulated_model import Rates, simulator_script
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet
from zongjie.settings import Settings
from zongjie.stages.events import SectionWritten
from zongjie.writers.frame import write_closing, write_opening

SHEET = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _run(script, **over):
    events, lock, prompts = [], threading.Lock(), []

    def record(event):
        with lock:
            events.append(event)

    def recording(request, n):
        with lock:
            prompts.append(last_user(request))
        return script(request, n)

    with ScriptedOpenAI(recording) as server:
        settings = scripted_llm_settings(
            server.base_url, **({"llm_max_concurrency": 3, "draft_repair_rounds": 2} | over)
        )
        draft = run_draft(load_fact_sheet(SHEET), settings, kb=None, progress=record)
    written = {e.key: e for e in events if isinstance(e, SectionWritten)}
    return draft, written, prompts


def test_the_model_writes_opening_and_closing_with_leadership_and_themes():
    draft, written, prompts = _run(simulator_script(Rates(drop=0, leak_figure=0, yoy=0)))
    sheet = load_fact_sheet(SHEET)
    assert any("本部分：总结的开头段" in p for p in prompts) and any("本部分：总结的结尾段" in p for p in prompts)
    opening, ending = written["opening"], written["ending"]
    assert opening.fallback == "none" and opening.rounds == 1 and draft.opening == opening.text
    assert ending.fallback == "none" and ending.rounds == 1 and draft.closing == ending.text
    assert draft.opening != write_opening(sheet) and draft.closing != write_closing(sheet)  # not the offline text
    assert draft.opening.startswith("2025年") and sheet.leadership in draft.opening
    assert all(t in draft.opening for t in sheet.themes) and draft.opening.endswith("现将全年工作总结如下：")
    assert "2026年" in draft.closing and sheet.leadership in draft.closing
    assert draft.report.summary.errors == 0
    assert draft.usage["llm_calls"] == sum(w.rounds for w in written.values())


def test_an_opening_with_an_invented_figure_is_sent_back_and_fixed():
    def script(request, n):
        prompt = last_user(request)
        if "本部分：总结的开头段" in prompt:  # first answer: an invented achievement with a figure
            return Reply(frame_answer(prompt).replace("现将", "全年为职工办实事28件。现将"))
        if "你上一次写的正文如下" in prompt and "28件" in prompt:
            return Reply(
                prompt.split("你上一次写的正文如下：", 1)[1].split("\n\n")[1].replace("全年为职工办实事28件。", "")
            )
        return Reply(facts_answer(prompt))

    draft, written, prompts = _run(script)
    repair = next(p for p in prompts if "你上一次写的正文如下" in p and "28件" in p)
    assert "「28件」" in repair  # the finding is quoted back to the model
    assert written["opening"].rounds == 2 and written["opening"].fallback == "none"
    assert "28件" not in draft.opening and "现将全年工作总结如下" in draft.opening
    assert draft.report.summary.errors == 0


def test_a_frame_that_keeps_leaving_out_the_leadership_is_written_offline():
    sheet = load_fact_sheet(SHEET)

    def script(request, n):
        prompt = last_user(request)
        if "本部分：总结的结尾段" in prompt or ("你上一次写的正文如下" in prompt and "领导下" in prompt):
            return Reply("明年我们将继续努力，把各项工作做得更好，为发展作出新贡献。")
        return Reply(facts_answer(prompt))

    draft, written, prompts = _run(script)
    repairs = [p for p in prompts if "你上一次写的正文如下" in p and f"没有写明在{sheet.leadership}的领导下" in p]
    assert len(repairs) == 2  # sent back every round with what is missing
    assert written["ending"].fallback == "offline" and written["ending"].rounds == 3
    assert draft.closing == write_closing(sheet)
    assert written["opening"].fallback == "none" and draft.report.summary.errors == 0


def test_an_unreachable_endpoint_leaves_the_frame_to_the_offline_drafter():
    settings = Settings(
        environment="test", llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0, llm_timeout=2
    )
    events = []
    draft = run_draft(load_fact_sheet(SHEET), settings, kb=None, progress=events.append)
    sheet = load_fact_sheet(SHEET)
    outline = [s.heading for s in draft.sections if s.role == "body"]
    assert draft.opening == write_opening(sheet, outline=outline) and draft.closing == write_closing(sheet)
    frame = [e for e in events if isinstance(e, SectionWritten) and e.key in ("opening", "ending")]
    assert [e.fallback for e in frame] == ["offline", "offline"]
