from __future__ import annotations

import os
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

from zongjie.common.paths import REPO_ROOT

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
    return Settings(
        data_dir=tmp_path / "var",
        embedder="hashing",
        environment="test",
        admin_password=TEST_ADMIN_PASSWORD,
        **extra,
    )


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


# ------------------------------------------------------------------ signing in (the one place tests do it)
TEST_ADMIN = "admin"
TEST_ADMIN_PASSWORD = "test-admin-password"


def sign_in(client, username: str = TEST_ADMIN):
    """Sign ``client`` (a TestClient whose lifespan has run) in as ``username`` — by default the first admin, which
    every app creates on a fresh database. A session is started in the app's account store and set as the cookie,
    exactly what POST /login does (tests of /login itself use the real form); returns the client."""
    from zongjie.web.auth import SESSION_COOKIE

    accounts = client.app.state.accounts
    user = next(u for u in accounts.users() if u.username == username)
    client.cookies.set(SESSION_COOKIE, accounts.start_session(user.id))
    same_origin(client)
    return client


def same_origin(client):
    """Send ``Origin`` as a browser does: state changes signed in by the session cookie must come from the site's own
    pages (web/security.py). Returns the client."""
    client.headers["origin"] = str(client.base_url).rstrip("/")
    return client


@contextmanager
def app_client(settings, username: str = TEST_ADMIN):
    """``with app_client(settings) as client``: the app's lifespan runs and the client is signed in (admin)."""
    from fastapi.testclient import TestClient

    from zongjie.web.main import create_app

    with TestClient(create_app(settings)) as client:
        sign_in(client, username)
        client.get("/facts")  # receive the CSRF cookie
        yield client


@pytest.fixture
def client(settings):
    """A TestClient on a fresh app (temporary database, in-memory knowledge base with the sample corpus), signed in
    as the first admin."""
    with app_client(settings.model_copy(update={"vector_store": "memory"})) as c:
        yield c


class People:
    """Units and users for authorization tests: ``people.unit("南湖镇工会", parent=root)``,
    ``people.user("clerk", unit_id)`` → a TestClient signed in as a new user of that role and unit."""

    def __init__(self, admin_client):
        self.admin = admin_client
        self.root = admin_client.get("/api/me").json()["unit_id"]
        self._n = 0

    def unit(self, name: str, parent: str | None = None, unit_type: str = "township") -> str:
        r = self.admin.post("/api/units", json={"name": name, "unit_type": unit_type, "parent_id": parent or self.root})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def user(self, role: str, unit_id: str, username: str | None = None, password: str = "password-123"):
        from fastapi.testclient import TestClient

        self._n += 1
        username = username or f"{role}{self._n}"
        body = {"username": username, "password": password, "role": role, "unit_id": unit_id, "display_name": username}
        r = self.admin.post("/api/users", json=body)
        assert r.status_code == 201, r.text
        return sign_in(TestClient(self.admin.app), username)

    def anonymous(self):
        from fastapi.testclient import TestClient

        return TestClient(self.admin.app)


@pytest.fixture
def people(client) -> People:
    return People(client)


def browser_sign_in(page, base: str, username: str = TEST_ADMIN, password: str = TEST_ADMIN_PASSWORD):
    """Sign a playwright ``page`` in through the /login form of a running service; returns the page."""
    page.goto(f"{base}/login")
    page.fill('[name="username"]', username)
    page.fill('[name="password"]', password)
    page.click("#login-button")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def http_client(base: str, username: str = TEST_ADMIN, password: str = TEST_ADMIN_PASSWORD, timeout: float = 60):
    """An ``httpx.Client`` on a running ``zongjie serve`` (started with ``serve_env``), signed in through
    POST /api/auth/login (the session cookie) — as the first admin unless told otherwise."""
    import httpx

    c = httpx.Client(base_url=base, timeout=timeout, headers={"origin": base})
    r = c.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return c


def scripted_llm_settings(base_url: str, **over):
    """Settings for drafting through a loopback OpenAI-compatible endpoint (``ScriptedOpenAI``): no retries, a
    10 s timeout; ``over`` sets anything else (concurrency, repair rounds, streaming…)."""
    from zongjie.settings import Settings

    base = dict(
        environment="test", llm="openai", llm_base_url=base_url, llm_model="scripted", llm_max_retries=0, llm_timeout=10
    )
    return Settings(**(base | over))


@pytest.fixture(scope="session")
def sample_kb():
    """A knowledge base (memory store, hashing embedder) holding the sample corpus; shared by drafting tests."""
    from zongjie.backends.embeddings import make_embedder
    from zongjie.backends.knowledge_base import KnowledgeBase
    from zongjie.backends.vectorstore import MemoryStore
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
        ZONGJIE_ADMIN_PASSWORD=TEST_ADMIN_PASSWORD,
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


# ------------------------------------------------------------------ browser tests: a served app and Debian chromium
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots of the browser tests
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium is not installed (CI installs it)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A `zongjie serve` on loopback for the test module (in-memory vector store, signed-in pages via
    ``browser_sign_in``): its base URL."""
    import subprocess

    data = tmp_path_factory.mktemp("served")
    port = free_port()
    proc = start_serve(data, port, serve_env(data / "var", vector_store="memory"), output=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    if wait_http(f"{base}/healthz", timeout=90) is None:
        proc.kill()
        pytest.fail("service did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through playwright (no sandbox, GPU, QUIC or background traffic)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def new_page(browser, **context):
    """A page in a fresh context: 1280×900, zh-CN (``context`` adds options, e.g. accept_downloads=True)."""
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", **context).new_page()
