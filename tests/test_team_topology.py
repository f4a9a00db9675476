"""The team topology without Docker (docker-compose.yml: postgres + chroma + web + workers): 2 `zongjie serve` and
2 `zongjie worker` processes on one PostgreSQL and one `chroma run` server. A worker is killed (SIGKILL) in the
middle of a draft; the job is picked up by the other worker and finishes exactly once."""

import json
import signal
import subprocess
import threading
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT, free_port, http_client, serve_env, start_chroma, start_serve, start_worker, wait_http
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user

FACTS = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))


def _job(client: httpx.Client, job_id: str) -> dict:
    return client.get(f"/api/jobs/{job_id}", timeout=10).json()


def _until(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.server
def test_two_web_two_workers_one_postgresql_one_chroma_worker_killed_mid_job(tmp_path, postgres_url):
    slow = threading.Event()
    slow.set()

    def script(request, n):
        return Reply(facts_answer(last_user(request)), delay=8.0 if slow.is_set() else 0.05)

    chroma_port = free_port()
    procs: list[subprocess.Popen] = [start_chroma(tmp_path / "chroma", chroma_port)]
    with ScriptedOpenAI(script) as llm:
        common = dict(
            database_url=postgres_url,
            job_queue="procrastinate",
            vector_store="chroma-server",
            chroma_port=str(chroma_port),
            llm="openai",
            llm_base_url=llm.base_url,
            llm_max_retries="0",
            worker_heartbeat="0.5",
            worker_stalled_timeout="4",
        )
        try:
            webs = []
            for name in ("web-a", "web-b"):
                port = free_port()
                procs.append(start_serve(tmp_path, port, serve_env(tmp_path / name, **common)))
                assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120) is not None, f"{name} not healthy"
                webs.append(f"http://127.0.0.1:{port}")
            workers = [
                start_worker(serve_env(tmp_path / f"worker-{i}", **common), tmp_path, concurrency=1) for i in range(2)
            ]
            procs += workers
            a, b = (http_client(w) for w in webs)  # signed in as the first admin (sessions live in PostgreSQL)
            fid = a.post("/api/factsheets", json=FACTS).json()["id"]
            job_id = a.post(f"/api/factsheets/{fid}/drafts").json()["id"]
            running = _until(lambda: (j := _job(b, job_id))["status"] == "running" and llm.requests and j, 90, "start")
            engine = create_engine(postgres_url)
            with engine.connect() as conn:
                owner = conn.execute(text("SELECT worker FROM jobs WHERE id = :i"), {"i": job_id}).scalar()
            victim = next(w for w in workers if w.pid == int(owner.split(":")[1]))
            assert running["attempts"] == 1
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            slow.clear()
            second_fid = b.post("/api/factsheets", json=FACTS).json()["id"]
            second = b.post(f"/api/factsheets/{second_fid}/drafts").json()
            assert second["status"] == "queued" and second["queue_note"]  # users see their place and an estimate
            done = _until(lambda: (j := _job(a, job_id))["status"] in ("done", "failed") and j, 120, "the lost job")
            assert done["status"] == "done" and done["attempts"] == 2, done
            assert _until(lambda: _job(b, second["id"])["status"] == "done", 120, "the second job")
            with engine.connect() as conn:
                drafts = conn.execute(text("SELECT count(*) FROM drafts WHERE job_id = :i"), {"i": job_id}).scalar()
                states = dict(
                    conn.execute(text("SELECT status, count(*) FROM procrastinate_jobs GROUP BY status")).all()
                )
            assert drafts == 1  # exactly once
            assert states == {"succeeded": 2}
            draft = b.get(f"/api/drafts/{done['draft_id']}").json()
            assert draft["report"]["summary"]["errors"] == 0 and draft["exemplars"]  # the workers read the shared KB
            engine.dispose()
        finally:
            for p in reversed(procs):
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()
