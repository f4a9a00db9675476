"""Drafting survives a knowledge base that goes away: a stopped Chroma server gives KnowledgeBaseUnavailable, and
the draft is written without exemplars on the configured outline."""

import pytest

from conftest import CORPUS, ROOT, free_port, start_chroma, wait_http
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.common.errors import KnowledgeBaseUnavailable
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet
from zongjie.stages.ingest import ingest
from zongjie.stages.retrieve import ExemplarQuery, RetrievalQuery, exemplars_for, retrieve

SHEET = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


@pytest.mark.server
def test_a_stopped_chroma_server_leaves_drafting_without_exemplars(settings, tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path / "chroma", port)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=60) is not None
        s = settings.model_copy(update={"vector_store": "chroma-server", "chroma_port": port})
        kb = KnowledgeBase.from_settings(s)
        ingest([CORPUS], kb)
        sheet = load_fact_sheet(SHEET)
        query = ExemplarQuery.for_section(sheet, "困难职工帮扶", "body", [m.id for m in sheet.metrics][:2])
        assert exemplars_for(kb, query), "with the server up there are exemplars"
        assert run_draft(sheet, s, kb=kb, llm=None).exemplars
    finally:
        proc.terminate()
        proc.wait(10)

    fresh = KnowledgeBase(kb.store, kb.embedder, "dense")  # no cached chunks: every call reaches the server
    with pytest.raises(KnowledgeBaseUnavailable):
        retrieve(fresh, RetrievalQuery(text="困难职工", k=2))
    assert exemplars_for(fresh, query) == []
    draft = run_draft(sheet, s, kb=fresh, llm=None)
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0
    assert draft.exemplars == [] and draft.outline_source == "fallback"  # the plan could not learn either
