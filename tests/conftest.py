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
