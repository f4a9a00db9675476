"""The docker-compose topology without Docker: `zongjie serve` against a `chroma run` server on loopback.

The service starts first and waits for Chroma (as compose's depends_on would not guarantee on restarts), reports
both dependencies at /healthz, and drafts through the shared store.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, free_port


def _wait(url: str, timeout: float = 90) -> httpx.Response:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            r = httpx.get(url, timeout=2)
            if r.status_code == 200:
                return r
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not become healthy")


@pytest.mark.server
def test_service_waits_for_chroma_and_reports_health(tmp_path):
    chroma_port, port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZONGJIE_")}
    env.update(ZONGJIE_DATA_DIR=str(tmp_path / "var"), ZONGJIE_VECTOR_STORE="chroma-server",
               ZONGJIE_CHROMA_PORT=str(chroma_port), ZONGJIE_EMBEDDER="hashing", ZONGJIE_ENVIRONMENT="test",
               ZONGJIE_SAMPLE_CORPUS=str(ROOT / "knowledge" / "corpus"), ZONGJIE_STARTUP_TIMEOUT="60",
               ANONYMIZED_TELEMETRY="False")
    service = subprocess.Popen([sys.executable, "-m", "zongjie.cli", "serve", "--port", str(port)], env=env,
                               cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chroma = None
    try:
        time.sleep(2)  # the service is up before Chroma and must wait for it
        assert service.poll() is None
        exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        chroma = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1",
                                   "--port", str(chroma_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        health = _wait(f"http://127.0.0.1:{port}/healthz").json()
        assert health["vector_store"] == {"ok": True, "backend": "chroma-server", "sections": health["vector_store"]["sections"]}
        assert health["vector_store"]["sections"] > 50 and health["database"]["ok"]
        base = f"http://127.0.0.1:{port}"
        facts = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
        fid = httpx.post(f"{base}/api/factsheets", json=facts).json()["id"]
        job = httpx.post(f"{base}/api/factsheets/{fid}/drafts").json()
        for _ in range(120):
            job = httpx.get(f"{base}/api/jobs/{job['id']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "done", job
        draft = httpx.get(f"{base}/api/drafts/{job['draft_id']}").json()
        assert draft["report"]["summary"]["errors"] == 0 and draft["exemplars"]
    finally:
        service.terminate()
        service.wait(10)
        if chroma:
            chroma.terminate()
            chroma.wait(10)


def test_healthz_reports_an_unreachable_llm_without_failing(settings):
    from fastapi.testclient import TestClient

    from zongjie.web.main import create_app

    s = settings.model_copy(update={"vector_store": "memory", "llm": "openai", "llm_base_url": "http://127.0.0.1:9/v1",
                                    "llm_api_key": "sk-secret-value"})
    with TestClient(create_app(s)) as client:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["llm"]["reachable"] is False
        assert "sk-secret-value" not in r.text
