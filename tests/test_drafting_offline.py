"""The offline drafter and the plan: every example fact sheet gives a draft with 0 errors and every fact stated."""

import pytest

from conftest import FACT_SHEETS, ROOT
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet, parse_fact_sheet
from zongjie.settings import Settings
from zongjie.stages.plan import plan


@pytest.mark.parametrize("path", FACT_SHEETS, ids=[f"{p.parent.name}/{p.name}" for p in FACT_SHEETS])
@pytest.mark.parametrize("with_kb", [False, True], ids=["no-kb", "kb"])
def test_offline_draft_is_correct_and_complete(path, with_kb, sample_kb):
    sheet = load_fact_sheet(path)
    draft = run_draft(sheet, Settings(environment="test"), kb=sample_kb if with_kb else None, llm=None)
    summary = draft.report.summary
    assert summary.errors == 0, draft.report
    assert summary.coverage == 1.0 and summary.number_precision == 1.0
    assert draft.backend == "offline"
    text = draft.text()
    assert text.startswith(sheet.unit.name) and "一、" in text
    # provenance: every supported figure names its fact
    assert all(p.fact_id for p in draft.provenance if p.status == "supported")
    if with_kb:
        assert draft.exemplars, "exemplars are retrieved and recorded"
        assert all(sheet.unit.name not in e["source"] for e in draft.exemplars)


def test_offline_draft_is_deterministic(sample_kb):
    sheet = load_fact_sheet(FACT_SHEETS[0])
    a = run_draft(sheet, Settings(environment="test"), kb=sample_kb, llm=None)
    b = run_draft(sheet, Settings(environment="test"), kb=sample_kb, llm=None)
    assert a.text() == b.text()


def _sheet(**over):
    data = {
        "unit": {"name": "东湖街道工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m1", "label": "新建工会", "value": 5, "unit": "家", "section": "组织建设"},
            {"id": "m2", "label": "慰问困难职工", "value": 12, "unit": "户"},
            {"id": "m3", "label": "职工书屋", "value": 2, "unit": "个"},
        ],
        "problems": [{"id": "p1", "text": "专职干部不足"}],
        "plans": [{"id": "n1", "text": "推进联合建会"}],
    }
    data.update(over)
    return parse_fact_sheet(data)


def test_plan_assigns_facts_by_hint_and_label_and_closes_with_problems_and_plans():
    p = plan(_sheet())
    keys = [s.key for s in p.sections]
    assert keys[-2:] == ["problems", "plans"]
    where = {fid: s.key for s in p.sections for fid in s.all_fact_ids()}
    assert where["m1"] == "organisation" and where["m2"] == "welfare" and where["m3"] == "culture"
    assert p.sections[-1].heading == "2026年工作打算"
    assert p.outline_source == "fallback"


def test_plan_learns_topic_order_from_the_knowledge_base(tmp_path):
    from zongjie.backends.embeddings import make_embedder
    from zongjie.backends.knowledge_base import KnowledgeBase
    from zongjie.backends.vectorstore import MemoryStore
    from zongjie.stages.ingest import ingest

    # two invented township summaries that put culture before organisation
    body = (
        "{name}2024年工作总结\n\n2024年，{name}扎实开展工作。\n\n一、丰富职工文化生活\n举办文体活动。\n\n"
        "二、加强组织建设\n推进建会入会。\n\n三、做好帮扶慰问\n走访困难职工。\n"
    )
    for name in ("南岭镇工会", "北坡镇工会"):
        (tmp_path / f"{name}.txt").write_text(body.format(name=name), encoding="utf-8")
    s = Settings(embedder="hashing", vector_store="memory", environment="test")
    kb = KnowledgeBase(MemoryStore(s), make_embedder(s), "hybrid")
    ingest([tmp_path], kb)
    p = plan(_sheet(period={"year": 2024, "kind": "annual"}), kb)
    assert p.outline_source == "learned" and len(p.learned_from) == 2
    keys = [s.key for s in p.sections]
    assert keys.index("culture") < keys.index("organisation") < keys.index("welfare")


def test_plan_splits_a_topic_into_second_level_sections():
    p = plan(load_fact_sheet(ROOT / "eval" / "checker" / "enterprise" / "facts.yaml"))
    first = p.sections[0]
    assert [c.heading for c in first.children] == ["劳动竞赛", "技术创新"]
