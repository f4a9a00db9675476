"""The base summary is explicit (issue 23 item 1): a sheet linked to its unit's past summary is drafted from it
whatever name the archive gives the unit; without a link the summary is found by the unit's normalised name and
shown for confirmation; without either the draft says why; the unit's own text is never an exemplar, so the copy
check (照抄范文) never fires on the clerk's carried-over words. Invented texts (tests/past_summaries.py)."""

import pytest

from conftest import CORPUS
from past_summaries import ONE_PARAGRAPH
from zongjie.backends.embeddings import make_embedder
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.backends.vectorstore import MemoryStore
from zongjie.corpus.parsing import parse_text
from zongjie.corpus.unit_names import normalise, same_unit
from zongjie.drafting.editing import recheck_with_kb
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.factsheets.next_year import use_for_next_year
from zongjie.settings import Settings
from zongjie.stages.base_summary import resolve_base
from zongjie.stages.extract import extract_document
from zongjie.stages.ingest import ingest
from zongjie.stages.plan import plan

UNIT = "松岭镇工会"


@pytest.fixture
def kb():
    s = Settings(embedder="hashing", vector_store="memory", environment="test")
    kb = KnowledgeBase(MemoryStore(s), make_embedder(s), "hybrid")
    ingest([CORPUS], kb)  # other units' summaries: the exemplars
    return kb


def _past(kb, unit_name: str | None = None, signed_by: str | None = None):
    doc = parse_text(ONE_PARAGRAPH, source="档案/往年总结.txt")[0]
    if unit_name is not None or signed_by is not None:  # what the parser read in the damaged copy
        doc = doc.model_copy(update={"unit_name": unit_name, "signed_by": signed_by})
    kb.add_documents(doc.source, [doc])
    return doc


def _this_year(doc, link: bool):
    """Last year's sheet extracted from ``doc`` in the clerk's unit, turned into this year's and filled in."""
    data = extract_document(doc).data
    data["unit"]["name"] = UNIT
    if link:
        data["base"] = {"doc_id": doc.id, "file_hash": doc.file_hash, "piece": doc.piece, "title": doc.title}
    data = use_for_next_year(parse_fact_sheet(data).model_dump(mode="json"))
    for m in data["metrics"]:
        m["value"] = (m["prior"] or 5) + 2
    return parse_fact_sheet(data)


def test_names_compare_after_normalisation():
    assert normalise("3松岭镇工会") == normalise("松岭镇工会12") == normalise("松嶺鎮 工會") == "松岭镇工会"
    assert same_unit("松岭镇工会委员会", "松岭镇工会") and same_unit("松岭镇·工会", "松岭镇工会")
    assert not same_unit("zz乡工会", "松岭镇工会") and not same_unit("", "") and not same_unit(None, "松岭镇工会")


def test_a_linked_base_is_followed_whatever_name_the_archive_gives_the_unit(kb):
    doc = _past(kb)  # the archive calls the unit 「zz乡工会」; the unit tree 「松岭镇工会」
    sheet = _this_year(doc, link=True)
    choice = resolve_base(kb, sheet)
    assert choice.how == "linked" and choice.doc is not None and choice.doc.id == doc.id
    p = plan(sheet, kb)
    assert p.outline_source == "own" and p.base.how == "linked" and doc.id in p.own_docs
    draft = run_draft(sheet, Settings(environment="test"), kb=kb, llm=None)
    assert draft.base.how == "linked" and "续写本单位往年的总结「zz乡工会2024年工作总结」" in draft.base.note
    assert [s.heading for s in draft.sections][:3] == ["建会入会扎实推进", "困难帮扶精准到户", "技能提升有声有色"]


def test_without_a_link_a_page_digit_glued_to_the_name_still_finds_it_and_asks_to_confirm(kb):
    doc = _past(kb, unit_name="3松岭镇工会")  # a PDF page number ran into the title line
    sheet = _this_year(doc, link=False)
    choice = resolve_base(kb, sheet)
    assert choice.how == "matched" and choice.doc is not None and choice.doc.id == doc.id
    assert "资料库中记为「3松岭镇工会」" in choice.note and "请在事实表页确认" in choice.note
    draft = run_draft(sheet, Settings(environment="test"), kb=kb, llm=None)
    assert draft.outline_source == "own" and draft.base.how == "matched"


def test_a_落款_in_traditional_characters_with_the_long_form_of_the_name_is_found(kb):
    doc = _past(kb, unit_name=None, signed_by="松嶺鎮工會委員會")
    assert resolve_base(kb, _this_year(doc, link=False)).how == "matched"


def test_without_a_link_or_a_match_the_draft_says_why_instead_of_falling_back_silently(kb):
    doc = _past(kb)  # 「zz乡工会」: not the unit's name, and not linked
    sheet = _this_year(doc, link=False)
    draft = run_draft(sheet, Settings(environment="test"), kb=kb, llm=None)
    assert draft.base.how == "none" and draft.base.note.startswith("未找到本单位往年的总结：")
    assert f"单位名为「{UNIT}」" in draft.base.note
    no_kb = run_draft(sheet, Settings(environment="test"), kb=None, llm=None)
    assert no_kb.base.note == "未找到本单位往年的总结：没有使用资料库"


def test_a_link_to_a_summary_no_longer_there_is_reported(kb):
    doc = _past(kb)
    sheet = _this_year(doc, link=True)
    kb.delete_document(doc.id)
    choice = resolve_base(kb, sheet)
    assert choice.how == "none" and "已不在资料库中" in choice.note and "zz乡工会2024年工作总结" in choice.note


def test_the_units_own_text_is_never_an_exemplar_so_never_照抄范文(kb):
    doc = _past(kb)
    sheet = _this_year(doc, link=True)
    draft = run_draft(sheet, Settings(environment="test"), kb=kb, llm=None)
    sources = {e["source"] for e in draft.exemplars}
    assert doc.title not in sources
    assert not [c for c in draft.report.copies if c.source == doc.title]
    # a figure changed afterwards: the draft is checked again with the exemplars it would be written from now
    changed = sheet.model_copy(deep=True)
    changed.metrics[0].value = (changed.metrics[0].value or 0) + 1
    again = recheck_with_kb(draft, changed, Settings(environment="test"), kb)
    assert not [c for c in again.report.copies if c.source == doc.title]
    assert not [lk for lk in again.report.leaks if lk.kind == "name" and "zz乡" in lk.text]
