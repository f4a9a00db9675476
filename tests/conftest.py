from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from zongjie.paths import REPO_ROOT

ROOT = REPO_ROOT
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
def settings(request, tmp_path, monkeypatch):
    """Settings pointing every store at a temporary folder; the environment cannot leak in.

    In modules marked ``pytest.mark.databases`` every test using this fixture runs twice: on SQLite (the
    embedded default) and on a fresh database of the session's PostgreSQL server (``postgres_url``)."""
    for k in list(os.environ):
        if k.startswith("ZONGJIE_"):
            monkeypatch.delenv(k)
    monkeypatch.chdir(tmp_path)
    from zongjie.settings import Settings

    extra = {}
    if getattr(request, "param", "sqlite") == "postgresql":
        extra["database_url"] = request.getfixturevalue("postgres_url")
    return Settings(data_dir=tmp_path / "var", embedder="hashing", environment="test", **extra)


def pytest_generate_tests(metafunc):
    """``pytest.mark.databases`` on a module or test: run it on SQLite and on PostgreSQL (via ``settings``)."""
    if metafunc.definition.get_closest_marker("databases") and "settings" in metafunc.fixturenames:
        metafunc.parametrize("settings", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the session (Debian's initdb + pg_ctl on a temporary folder)."""
    from zongjie.devtools.postgres import TempPostgres, find_bindir

    if find_bindir() is None:
        reason = "PostgreSQL server binaries not found (apt install postgresql; .ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with TempPostgres() as pg:
        yield pg


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's PostgreSQL server; dropped afterwards."""
    import uuid

    name = "t_" + uuid.uuid4().hex[:12]
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)


@pytest.fixture
def client(settings):
    """A TestClient of the web app on a memory vector store and a temporary database, holding its CSRF cookie."""
    from fastapi.testclient import TestClient

    from zongjie.web.main import create_app

    settings = settings.model_copy(update={"vector_store": "memory"})
    with TestClient(create_app(settings)) as c:
        c.get("/facts")  # receive the CSRF cookie
        yield c


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


FACT_SHEETS = sorted((ROOT / "knowledge" / "facts").glob("*.*")) + sorted(
    (ROOT / "eval" / "checker").glob("*/facts.yaml")
)


# ------------------------------------------------------------------ real processes on loopback
def wait_http(url: str, timeout: float = 90.0):
    """Poll ``url`` until it answers 200; that response, or None when ``timeout`` passes."""
    import time

    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            r = httpx.get(url, timeout=2)
            if r.status_code == 200:
                return r
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return None


def serve_env(data_dir: Path, **settings: str) -> dict:
    """The environment for a `zongjie serve` test process: no ZONGJIE_* from outside, test defaults, overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZONGJIE_")}
    env.update(
        ZONGJIE_DATA_DIR=str(data_dir),
        ZONGJIE_EMBEDDER="hashing",
        ZONGJIE_ENVIRONMENT="test",
        ZONGJIE_SAMPLE_CORPUS=str(CORPUS),
        ANONYMIZED_TELEMETRY="False",
    )
    env.update({f"ZONGJIE_{k.upper()}": v for k, v in settings.items()})
    return env


def start_serve(cwd: Path, port: int, env: dict, output=None):
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "zongjie.cli", "serve", "--port", str(port)],
        env=env,
        cwd=str(cwd),
        stdout=output or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
    )


def start_chroma(path: Path, port: int):
    import shutil
    import subprocess
    import sys

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    return subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_worker(env: dict, cwd: Path, concurrency: int = 2, output=None):
    """A `zongjie worker` process (the PostgreSQL job queue) with an environment made by ``serve_env``."""
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "zongjie.cli", "worker", "--concurrency", str(concurrency)],
        env=env,
        cwd=str(cwd),
        stdout=output or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
    )
