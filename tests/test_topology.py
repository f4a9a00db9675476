"""The docker-compose topology without Docker: `zongjie serve` against a `chroma run` server on loopback.

The service starts first and waits for Chroma (as compose's depends_on would not guarantee on restarts), reports
both dependencies at /healthz, and drafts through the shared store.
"""

import json
import subprocess
import time

import httpx
import pytest

from conftest import ROOT, app_client, free_port, http_client, serve_env, start_chroma, start_serve, wait_http


def _wait(url: str) -> httpx.Response:
    response = wait_http(url)
    assert response is not None, f"{url} did not become healthy"
    return response


@pytest.mark.server
def test_service_waits_for_chroma_and_reports_health(tmp_path):
    chroma_port, port = free_port(), free_port()
    env = serve_env(tmp_path / "var", vector_store="chroma-server", chroma_port=str(chroma_port), startup_timeout="60")
    service = start_serve(tmp_path, port, env, output=subprocess.PIPE)
    chroma = None
    try:
        time.sleep(2)  # the service is up before Chroma and must wait for it
        assert service.poll() is None
        chroma = start_chroma(tmp_path / "chroma", chroma_port)
        assert _wait(f"http://127.0.0.1:{port}/healthz").json() == {"ok": True}  # public: up or down only
        base = f"http://127.0.0.1:{port}"
        http = http_client(base)
        health = http.get("/healthz").json()  # an admin sees the backends
        assert health["vector_store"] == {
            "ok": True,
            "backend": "chroma-server",
            "sections": health["vector_store"]["sections"],
        }
        assert health["vector_store"]["sections"] > 50 and health["database"]["ok"]
        facts = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
        fid = http.post(f"{base}/api/factsheets", json=facts).json()["id"]
        job = http.post(f"{base}/api/factsheets/{fid}/drafts").json()
        for _ in range(120):
            job = http.get(f"{base}/api/jobs/{job['id']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "done", job
        draft = http.get(f"{base}/api/drafts/{job['draft_id']}").json()
        assert draft["report"]["summary"]["errors"] == 0 and draft["exemplars"]
    finally:
        service.terminate()
        service.wait(10)
        if chroma:
            chroma.terminate()
            chroma.wait(10)


def test_healthz_reports_an_unreachable_llm_without_failing(settings):

    s = settings.model_copy(
        update={
            "vector_store": "memory",
            "llm": "openai",
            "llm_base_url": "http://127.0.0.1:9/v1",
            "llm_api_key": "sk-secret-value",
        }
    )
    with app_client(s) as client:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["llm"]["reachable"] is False
        assert "sk-secret-value" not in r.text
