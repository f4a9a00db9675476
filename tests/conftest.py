from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "knowledge" / "corpus"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present in this checkout")
    return SEEDS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings pointing every store at a temporary folder; the environment cannot leak in."""
    for k in list(os.environ):
        if k.startswith("ZONGJIE_"):
            monkeypatch.delenv(k)
    monkeypatch.chdir(tmp_path)
    from zongjie.settings import Settings

    return Settings(data_dir=tmp_path / "var", embedder="hashing", environment="test")


@pytest.fixture(scope="session")
def sample_kb():
    """A knowledge base (memory store, hashing embedder) holding the sample corpus; shared by drafting tests."""
    from zongjie.backends.embeddings import make_embedder
    from zongjie.backends.vectorstore import MemoryStore
    from zongjie.knowledge_base import KnowledgeBase
    from zongjie.settings import Settings
    from zongjie.stages.ingest import ingest

    s = Settings(embedder="hashing", vector_store="memory", environment="test")
    kb = KnowledgeBase(MemoryStore(s), make_embedder(s), "hybrid")
    ingest([CORPUS], kb)
    return kb


FACT_SHEETS = sorted((ROOT / "knowledge" / "facts").glob("*.*")) + sorted((ROOT / "eval" / "checker").glob("*/facts.yaml"))
