import pytest

from conftest import CORPUS
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.stages.ingest import ingest
from zongjie.stages.retrieve import RetrievalQuery, retrieve


@pytest.fixture(params=["memory", "chroma-embedded"])
def kb(request, settings):
    return KnowledgeBase.from_settings(settings.model_copy(update={"vector_store": request.param}))


def test_ingest_is_idempotent_and_replaces_changed_files(kb, tmp_path):
    src = tmp_path / "town.txt"
    src.write_text((CORPUS / "baishi_town_2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    first = ingest([src], kb)
    n = kb.store.count()
    assert first.count("added") == 1 and n > 5
    again = ingest([src], kb)
    assert again.count("unchanged") == 1 and kb.store.count() == n
    src.write_text(
        src.read_text(encoding="utf-8") + "\n七、其他工作\n完成上级工会交办的调研任务3项。\n", encoding="utf-8"
    )
    third = ingest([src], kb)
    assert third.count("replaced") == 1
    assert kb.store.count() == n + 1
    assert len(kb.store.documents()) == 1
    assert any("调研任务3项" in c.body for c in kb.store.chunks())


def test_search_filters_by_unit_type_and_period(kb):
    ingest([CORPUS], kb)
    hits = retrieve(kb, RetrievalQuery(text="困难职工帮扶 送温暖", unit_type="township", k=3))
    assert hits and all(h.chunk.unit_type == "township" for h in hits)
    assert "帮扶" in " ".join(hits[0].chunk.heading_path)
    hits = retrieve(kb, RetrievalQuery(text="下半年工作打算", period="first_half", k=5))
    assert hits and all(h.chunk.period == "first_half" for h in hits)
    for method in ("lexical", "dense", "hybrid"):
        assert retrieve(kb, RetrievalQuery(text="院务公开 职代会", k=2, method=method))[0].chunk.unit_type == "hospital"


def test_exclude_unit_and_diversity(kb):
    ingest([CORPUS], kb)
    hits = retrieve(
        kb, RetrievalQuery(text="劳动竞赛 技能比武", k=6, max_per_doc=1, exclude_unit="华岳机械制造有限公司工会")
    )
    docs = [h.chunk.doc_id for h in hits]
    assert len(docs) == len(set(docs))
    assert all(h.chunk.unit_name != "华岳机械制造有限公司工会" for h in hits)


def test_chunks_carry_heading_path_and_metadata(kb):
    ingest([CORPUS / "linxi_county_federation_2024.txt"], kb)
    chunks = {c.id: c for c in kb.store.chunks()}
    c = next(c for c in chunks.values() if c.heading_path[-1].startswith("（一）困难职工帮扶"))
    assert c.heading_path[0] == "四、做实服务帮扶，增强职工获得感"
    assert (c.unit_type, c.period, c.year, c.unit_name) == ("county_federation", "annual", 2024, "临溪县总工会")
    assert {x.role for x in chunks.values()} >= {"opening", "body", "problems", "plans"}
    doc = kb.store.documents()[0]
    assert doc.sections[3].children[0].title == "困难职工帮扶"


def test_changing_the_embedder_reindexes_instead_of_failing(settings):
    from zongjie.backends.embeddings import HashingEmbedder
    from zongjie.backends.knowledge_base import KnowledgeBase
    from zongjie.backends.vectorstore import make_store
    from zongjie.stages.ingest import ingest
    from zongjie.stages.retrieve import RetrievalQuery, retrieve

    s = settings.model_copy(update={"vector_store": "chroma-embedded"})
    small = KnowledgeBase(make_store(s), HashingEmbedder(dim=64), "dense")
    small.ensure_embedder()
    ingest([CORPUS], small)
    assert small.store.embedder_tag() == "hashing:64"
    del small
    big = KnowledgeBase(make_store(s), HashingEmbedder(dim=1024), "dense")
    assert big.ensure_embedder() is True  # vectors rebuilt from the stored section texts
    hits = retrieve(big, RetrievalQuery(text="困难职工帮扶", k=3))
    assert len(hits) == 3 and big.store.embedder_tag() == "hashing:1024"
    assert big.ensure_embedder() is False
