"""Concurrency: 20 simultaneous draft requests give correct, separate results; two service processes share one
Chroma server (the embedded store is single-process and refuses a second one: see test_security)."""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT, app_client, free_port, http_client, serve_env, start_chroma, start_serve, wait_http
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user


def _sheet(i: int) -> dict:
    return {
        "unit": {"name": f"第{i}号测试镇工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m1", "label": "走访困难职工", "value": 100 + i, "unit": "户"},
            {"id": "m2", "label": "发放慰问金", "value": round(1.5 + i / 10, 1), "unit": "万元"},
        ],
        "plans": [{"id": "n1", "text": f"新建{i + 1}个服务站点"}],
    }


@pytest.mark.databases
def test_twenty_simultaneous_drafts_are_correct_and_separate(settings):
    with ScriptedOpenAI(lambda r, n: Reply(facts_answer(last_user(r)), delay=0.2)) as llm:
        s = settings.model_copy(update={"vector_store": "memory", "draft_workers": 8})
        s = type(s)(**{**s.model_dump(), "llm": "openai", "llm_base_url": llm.base_url, "llm_max_retries": 0})
        with app_client(s) as client:
            ids = [client.post("/api/factsheets", json=_sheet(i)).json()["id"] for i in range(20)]
            with ThreadPoolExecutor(20) as pool:
                jobs = list(pool.map(lambda fid: client.post(f"/api/factsheets/{fid}/drafts").json()["id"], ids))
            for job_id in jobs:
                client.app.state.runner.wait(job_id, timeout=120)
            for i, job_id in enumerate(jobs):
                job = client.get(f"/api/jobs/{job_id}").json()
                assert job["status"] == "done" and job["factsheet_id"] == ids[i]
                draft = client.get(f"/api/drafts/{job['draft_id']}").json()
                assert draft["title"].startswith(f"第{i}号测试镇工会")
                assert f"{100 + i}户" in "".join(s_["text"] for s_ in draft["sections"])
                assert draft["report"]["summary"]["errors"] == 0


def _serve(tmp, port, chroma_port, name):
    env = serve_env(
        tmp / name,
        vector_store="chroma-server",
        chroma_port=str(chroma_port),
        database_url=f"sqlite:///{tmp / 'shared.db'}",
    )
    return start_serve(tmp, port, env)


def _healthy(base):
    assert wait_http(f"{base}/healthz") is not None, f"{base} not healthy"


@pytest.mark.server
def test_two_service_processes_share_one_chroma_server(tmp_path):
    chroma_port, a_port, b_port = free_port(), free_port(), free_port()
    chroma = start_chroma(tmp_path / "chroma", chroma_port)
    procs = [chroma]
    try:
        a = _serve(tmp_path, a_port, chroma_port, "a")
        procs.append(a)
        _healthy(f"http://127.0.0.1:{a_port}")
        b = _serve(tmp_path, b_port, chroma_port, "b")
        procs.append(b)
        _healthy(f"http://127.0.0.1:{b_port}")
        A, B = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
        http = http_client(
            A, timeout=60
        )  # signed in (one database: B knows the session); a loaded machine embeds slowly
        count = len(http.get(f"{A}/api/knowledge/documents").json())
        assert len(http.get(f"{B}/api/knowledge/documents").json()) == count  # one corpus, loaded once
        text = (
            "南湖镇工会2024年工作总结\n\n2024年，南湖镇工会在镇党委的领导下扎实推进各项工作。\n\n"
            "一、加强组织建设\n全年新建企业工会6家，发展会员300名。\n\n二、做好帮扶工作\n走访慰问困难职工22户。\n"
        )
        r = http.post(f"{A}/api/knowledge/upload", files=[("files", ("南湖镇.txt", text.encode()))])
        assert r.json()[0]["outcome"] == "added"
        hits = http.get(f"{B}/api/knowledge/search", params={"q": "南湖镇 走访慰问困难职工", "k": 3}).json()
        assert any(h["unit_name"] == "南湖镇工会" for h in hits)  # worker B sees worker A's upload
        sheet = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
        fid = http.post(f"{A}/api/factsheets", json=sheet).json()["id"]
        job = http.post(f"{B}/api/factsheets/{fid}/drafts", headers={"Origin": B}).json()  # one database too
        for _ in range(120):
            job = http.get(f"{A}/api/jobs/{job['id']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "done"
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(10)


def test_restart_interrupts_only_jobs_of_dead_workers(tmp_path):
    from zongjie.jobs import JobRunner
    from zongjie.settings import Settings
    from zongjie.storage.sql_store import SQLDraftStore

    store = SQLDraftStore(f"sqlite:///{tmp_path / 'w.db'}")
    fid = store.save_factsheet(_sheet(1))
    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()
    import socket as _s

    host = _s.gethostname()
    jobs = {
        "live_process": store.create_job(fid, f"{host}:{os.getppid()}:live"),  # another process, alive
        "dead_process": store.create_job(fid, f"{host}:{dead_pid.pid}:0000"),
        "earlier_run_same_pid": store.create_job(fid, f"{host}:{os.getpid()}:old"),
        "other_host": store.create_job(fid, "elsewhere:123:abcd"),
        "legacy": store.create_job(fid),
    }
    restarted = JobRunner(Settings(environment="test"), store)
    assert restarted.recover() == 3
    status = {k: store.job(v).status for k, v in jobs.items()}
    assert status == {
        "live_process": "queued",
        "dead_process": "interrupted",
        "earlier_run_same_pid": "interrupted",
        "other_host": "queued",
        "legacy": "interrupted",
    }
    restarted.shutdown()
