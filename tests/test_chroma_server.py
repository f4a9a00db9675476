"""The chroma-server backend against a real `chroma run` on loopback."""

import pytest

from conftest import CORPUS, free_port, start_chroma, wait_http
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.stages.ingest import ingest
from zongjie.stages.retrieve import RetrievalQuery, retrieve


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path / "chroma", port)
    if wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=60) is None:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    proc.wait(10)


@pytest.mark.server
def test_ingest_and_search_through_a_chroma_server(settings, chroma_server):
    s = settings.model_copy(update={"vector_store": "chroma-server", "chroma_port": chroma_server})
    kb = KnowledgeBase.from_settings(s)
    report = ingest([CORPUS], kb)
    assert report.count("added") == len(list(CORPUS.iterdir()))
    # a second worker (another client) sees the same contents and skips unchanged files
    kb2 = KnowledgeBase.from_settings(s)
    assert ingest([CORPUS], kb2).count("unchanged") == report.count("added")
    hits = retrieve(kb2, RetrievalQuery(text="井下巡查 群众安全监督员", k=3, unit_type="enterprise"))
    assert hits[0].chunk.unit_name == "青禾能源股份有限公司工会"
    assert len(kb2.store.documents()) == report.documents
