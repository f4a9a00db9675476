"""Crash safety: kill the server (SIGKILL) in the middle of a draft, start it again on the same data."""

import json
import signal
import time

import pytest

from conftest import ROOT, free_port, http_client, serve_env, start_serve, wait_http
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user


def _start(data, port, llm_url):
    env = serve_env(data / "var", llm="openai", llm_base_url=llm_url, llm_max_retries="0")
    proc = start_serve(data, port, env)
    if wait_http(f"http://127.0.0.1:{port}/healthz") is not None:
        return proc
    proc.kill()
    pytest.fail("server did not start")


@pytest.mark.server
def test_kill_during_a_draft_and_restart(tmp_path):
    slow = lambda request, n: Reply(facts_answer(last_user(request)), delay=20)  # noqa: E731
    with ScriptedOpenAI(slow) as llm:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = _start(tmp_path, port, llm.base_url)
        http = http_client(base)
        facts = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
        fid = http.post(f"{base}/api/factsheets", json=facts).json()["id"]
        job = http.post(f"{base}/api/factsheets/{fid}/drafts").json()
        for _ in range(100):
            if llm.requests:  # sections are being written
                break
            time.sleep(0.1)
        assert http.get(f"{base}/api/jobs/{job['id']}").json()["status"] == "running"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

        proc = _start(tmp_path, port, llm.base_url)  # same folder: SQLite and the embedded Chroma reopen
        try:
            health = http.get(f"{base}/healthz").json()
            assert health["ok"] and health["vector_store"]["sections"] > 50
            after = http.get(f"{base}/api/jobs/{job['id']}").json()
            assert after["status"] == "interrupted" and "中断" in after["error"]
            stored = http.get(f"{base}/api/factsheets/{fid}").json()
            assert stored["unit"]["name"] == facts["unit"]["name"] and len(stored["metrics"]) == len(facts["metrics"])
            assert [m["value"] for m in stored["metrics"]] == [m["value"] for m in facts["metrics"]]
            page = http.get(f"{base}/jobs/{job['id']}", headers={"accept": "text/html"}).text
            assert "已中断" in page
        finally:
            proc.terminate()
            proc.wait(10)
