"""The chroma-server backend against a real `chroma run` on loopback."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from zongjie.knowledge_base import KnowledgeBase
from zongjie.stages.ingest import ingest
from zongjie.stages.retrieve import RetrievalQuery, retrieve

from conftest import CORPUS, free_port


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
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
