"""What the app checks, the exported file checks the same (issue 23 item 6): `zongjie check` on an exported Markdown
or .docx draft, or a draft pasted into an edit, reads Markdown headings and Word headings as parts with their roles
and ignores what the export added (【待核实：…】 marks, the note under the title, escapes); binding prefers a fact
stated outright in the figure's own clause over one named by a shared verb phrase. Texts and figures are invented."""

from __future__ import annotations

import json
from contextlib import ExitStack

import docx
import pytest
from typer.testing import CliRunner

from conftest import ROOT, SEEDS
from zongjie.cli import app
from zongjie.drafting.editing import edit_part, recheck
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.settings import Settings
from zongjie.stages.check import CheckInput, check, read_draft
from zongjie.stages.export import to_docx, to_markdown

SHEET = parse_fact_sheet(
    {
        "unit": {"name": "桃源镇工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m_unions", "label": "新建企业工会", "value": 9, "unit": "家", "section": "组织建设"},
            {"id": "m_homes", "label": "新建职工之家", "value": 4, "unit": "个", "section": "组织建设"},
        ],
        "plans": [{"id": "n_books", "text": "新建职工书屋3个"}, {"id": "n_rate", "text": "建会率达到95%"}],
        "problems": [{"id": "p_staff", "text": "专职干部只有2名"}],
    }
)


def _statuses(text: str, sheet=SHEET) -> list[tuple[str, str]]:
    return [(f.text, f.status) for f in check(CheckInput(text, sheet, with_coverage=False)).findings]


@pytest.mark.parametrize(
    "heading",
    ["## 三、2026年工作打算", "### 三、2026年工作打算", "## 下一步工作打算", "### 工作打算"],
)
def test_markdown_headings_are_parts_so_plans_are_not_plan_as_done(heading):
    text = f"# 桃源镇工会2025年工作总结\n\n## 一、组织建设\n\n新建企业工会9家。\n\n{heading}\n\n新建职工书屋3个，建会率达到95%。\n"
    found = _statuses(text)
    assert ("3个", "supported") in found and ("95%", "supported") in found and ("9家", "supported") in found
    body = text.replace(heading, "## 二、服务职工")
    assert ("3个", "plan_as_done") in _statuses(body)  # the same sentence in the body is still caught


def test_a_markdown_title_naming_plans_is_no_plans_part():
    text = "# 桃源镇工会2025年工作总结和2026年工作打算\n\n新建职工书屋3个。\n"
    assert ("3个", "plan_as_done") in _statuses(text)


def test_word_heading_styles_without_numbers_are_parts(tmp_path):
    d = docx.Document()
    d.add_heading("桃源镇工会2025年工作总结", level=0)
    d.add_heading("组织建设", level=1)
    d.add_paragraph("新建企业工会9家。")
    d.add_heading("存在的问题", level=1)
    d.add_paragraph("专职干部只有2名。")
    d.add_heading("工作打算", level=1)
    d.add_paragraph("新建职工书屋3个。")
    path = tmp_path / "human.docx"
    d.save(path)
    found = _statuses(read_draft(path))
    assert ("3个", "supported") in found and ("2名", "supported") in found and ("9家", "supported") in found


def _draft_with_findings():
    """An offline draft of the invented sheet with a wrong and an invented figure, checked as the app does."""
    draft = run_draft(SHEET, Settings(environment="test"), kb=None, llm=None)
    bad = draft.model_copy(deep=True)
    bad.sections[0].text += "新建职工之家13个，另有志愿者88人。"
    return recheck(bad, SHEET, Settings(environment="test"), [])


def test_cli_check_of_exported_files_gives_the_apps_findings(tmp_path):
    draft = _draft_with_findings()
    app_findings = sorted((f.text, f.status) for f in draft.report.findings)
    assert ("13个", "wrong_value") in app_findings and ("88人", "unsupported") in app_findings
    md, word = tmp_path / "d.md", tmp_path / "d.docx"
    md.write_text(to_markdown(draft), encoding="utf-8")
    to_docx(draft, word)
    assert "【待核实：" in md.read_text(encoding="utf-8")  # the marks quote the expected figure (4个)
    for path in (md, word):
        assert sorted((f.text, f.status) for f in check(CheckInput(read_draft(path), SHEET)).findings) == app_findings
    facts = tmp_path / "facts.json"
    facts.write_text(SHEET.model_dump_json(), encoding="utf-8")
    for path in (md, word):
        out = CliRunner().invoke(app, ["check", str(path), "--facts", str(facts), "--json", "-"])
        assert out.exit_code == 1
        assert sorted((f["text"], f["status"]) for f in json.loads(out.stdout)["findings"]) == app_findings


def test_a_draft_pasted_into_an_edit_is_read_with_its_headings():
    """A clerk pastes exported Markdown — a plans heading, its text and the export's marks — into a section."""
    draft = run_draft(SHEET, Settings(environment="test"), kb=None, llm=None)
    key = next(s.key for s in draft.walk() if s.role == "body" and not s.children)
    pasted = (
        "新建企业工会9家【待核实：数值不符：「新建企业工会」应为 9家】。\n### （二）下一步打算\n新建职工书屋3个\\*。"
    )
    edited = edit_part(draft, key, pasted, SHEET, Settings(environment="test"))
    found = [(f.text, f.status) for f in edited.report.findings]
    assert ("3个", "supported") in found and not any(t == "9家" and s != "supported" for t, s in found)
    assert "【待核实：" not in edited.text() and "\\*" not in edited.text()


# --- binding: a fact stated outright in the figure's own clause --------------------------------------------------

AID = parse_fact_sheet(
    {
        "unit": {"name": "桃源镇工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m_grants", "label": "发放助学金", "value": 2, "unit": "万元"},
            {"id": "m_migrant", "label": "外来务工人员子女助学金", "value": 0.8, "unit": "万元"},
            {"id": "m_books", "label": "新建职工书屋", "value": 13, "unit": "个"},
            {"id": "m_homes", "label": "新建职工之家", "value": 8, "unit": "个"},
        ],
    }
)


def test_a_fact_stated_outright_in_its_clause_beats_a_shared_verb_phrase():
    found = check(CheckInput("为外来务工人员子女28人发放助学金0.8万元。", AID, with_coverage=False)).findings
    money = next(f for f in found if f.text == "0.8万元")
    assert (money.status, money.fact_id) == ("supported", "m_migrant")


@pytest.mark.parametrize(
    "text, at",
    [
        ("新建职工书屋8个、职工之家13个。", "8个"),  # swapped: 职工之家 is the next figure's words
        ("建成职工书屋8个，新建职工之家13个。", "8个"),  # and in the next clause
        ("发放外来务工人员子女助学金2万元。", "2万元"),  # the other label is the longer one the clause holds
    ],
)
def test_a_value_of_another_fact_is_still_misattributed(text, at):
    found = check(CheckInput(text, AID, with_coverage=False)).findings
    assert next(f for f in found if f.text == at).status == "misattributed"


# --- every eval draft, exported and checked again -----------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_drafts():
    """Every eval draft (eval/cases, eval/drafting update cases, reconstruction cases when ../shared is present),
    written offline and by the simulator over a loopback endpoint, with the knowledge base the eval builds."""
    from zongjie.backends.embeddings import make_embedder
    from zongjie.backends.knowledge_base import KnowledgeBase
    from zongjie.backends.llm import make_llm
    from zongjie.backends.vectorstore import MemoryStore
    from zongjie.devtools.scripted_openai import ScriptedOpenAI
    from zongjie.devtools.simulated_model import simulator_script
    from zongjie.evaluation.drafts import load_cases
    from zongjie.evaluation.gold import load_gold_cases
    from zongjie.stages.ingest import ingest

    settings = Settings(embedder="hashing")
    kb = KnowledgeBase(MemoryStore(settings), make_embedder(settings), settings.retriever)
    ingest([ROOT / "knowledge" / "corpus"], kb)
    cases = [(c.name, c.sheet) for c in load_cases(ROOT / "eval" / "cases")]
    gold, _ = load_gold_cases(ROOT / "eval" / "drafting", SEEDS if SEEDS.is_dir() else None, ROOT / "eval" / "seeds")
    cases += [(g.name, g.sheet) for g in gold]
    out = []
    with ExitStack() as stack:
        server = stack.enter_context(ScriptedOpenAI(simulator_script()))
        simulator = settings.model_copy(
            update={"llm": "openai", "llm_base_url": server.base_url, "llm_model": "simulator", "llm_max_retries": 0}
        )
        for backend, s, llm in (("offline", settings, None), ("simulator", simulator, make_llm(simulator))):
            for name, sheet in cases:
                out.append((f"{backend}/{name}", sheet, run_draft(sheet, s, kb=kb, llm=llm)))
    return out


def test_every_eval_draft_exported_checks_the_same(eval_drafts, tmp_path):
    assert len(eval_drafts) >= 2 * (20 if SEEDS.is_dir() else 17)  # reconstruction cases need ../shared/seeds
    differences = {}
    for name, sheet, draft in eval_drafts:
        marked = draft.model_copy(deep=True)  # and once with open findings, so that the export marks them
        marked.sections[0].text += "另有志愿者88人，新建职工活动室X个。"
        recheck(marked, sheet, Settings(environment="test"), [])
        for variant, d in (("", draft), ("+marks", marked)):
            app_findings = sorted((f.text, f.status) for f in d.report.findings)
            for suffix in (".md", ".docx"):
                path = tmp_path / f"{name.replace('/', '-')}{variant}{suffix}"
                if suffix == ".md":
                    path.write_text(to_markdown(d), encoding="utf-8")
                else:
                    to_docx(d, path)
                again = sorted((f.text, f.status) for f in check(CheckInput(read_draft(path), sheet)).findings)
                if again != app_findings:
                    differences[path.name] = sorted(set(again) ^ set(app_findings))
    assert differences == {}
