"""The job interface: one run per job (claims fence every write), retries, queue place and estimate; the in-process
queue on SQLite and PostgreSQL; the procrastinate queue with real `zongjie worker` processes — a worker killed
mid-job and the job finishes exactly once on another."""

import json
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, serve_env, start_worker
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user
from zongjie.jobs import JOB_KINDS, JobFailed, Outcome, execute, make_queue
from zongjie.jobs.estimate import estimate, note_zh
from zongjie.storage.store import make_store

SHEET = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))


def _sheet(i: int) -> dict:
    return {
        "unit": {"name": f"第{i}号测试镇工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [{"id": "m1", "label": "走访困难职工", "value": 100 + i, "unit": "户"}],
    }


FLAKY: dict[str, int] = {}


@JOB_KINDS.register("test-flaky")
def _flaky(settings):
    """A job kind for tests: fails with an unexpected error the first time it runs for a job, then succeeds."""

    def body(ctx):
        FLAKY[ctx.job.id] = FLAKY.get(ctx.job.id, 0) + 1
        if FLAKY[ctx.job.id] == 1:
            raise ConnectionError("transient")
        if (ctx.job.payload or {}).get("bad"):
            raise JobFailed("资料有误：第2行缺少单位名称")
        return Outcome(result={"runs": FLAKY[ctx.job.id]})

    return body


@pytest.mark.databases
def test_inprocess_queue_drafts_once_with_progress(settings):
    store = make_store(settings)
    queue = make_queue(settings, store)
    try:
        fid = store.save_factsheet(SHEET)
        job_id = queue.submit(fid)
        job = queue.wait(job_id, timeout=120)
        assert job.status == "done" and job.attempts == 1 and job.kind == "draft"
        assert job.progress["stage"] == "done" and all(s["status"] == "done" for s in job.progress["sections"])
        assert job.started_at >= job.queued_at and job.finished_at >= job.started_at
        assert [d.job_id for d in store.drafts(fid)] == [job_id]
        assert execute(job_id, settings, store, None, "another") == "done"  # a finished job never runs again
        assert len(store.drafts(fid)) == 1
        with pytest.raises(ValueError):
            queue.submit(fid, kind="no-such-kind")
    finally:
        queue.shutdown()


@pytest.mark.databases
def test_claims_fence_a_lost_attempt(settings):
    store = make_store(settings)
    fid = store.save_factsheet(SHEET)
    job_id = store.create_job(fid)
    first = store.claim_job(job_id, "w1")
    second = store.claim_job(job_id, "w2")  # w1 presumed dead: the job is picked up again
    assert (first, second) == (1, 2)
    assert not store.update_job(job_id, attempt=first, progress={"stage": "stale"})
    assert not store.finish_job(job_id, first, "done", draft={"title": "旧"})
    assert store.update_job(job_id, attempt=second, progress={"stage": "writing"})
    assert store.finish_job(job_id, second, "done", draft={"title": "新"})
    assert not store.finish_job(job_id, second, "done", draft={"title": "再一次"})
    job = store.job(job_id)
    assert job.status == "done" and job.progress == {"stage": "writing"}
    assert [store.version(d.id).data["title"] for d in store.drafts(fid)] == ["新"]
    assert store.claim_job(job_id, "w3") is None


@pytest.mark.databases
def test_errors_are_retried_while_attempts_remain_then_fail(settings):
    from zongjie.jobs.base import Retry

    store = make_store(settings)
    ok, bad, once = (store.create_job(None, kind="test-flaky", payload=p) for p in ({}, {"bad": True}, {}))
    with pytest.raises(Retry):
        execute(ok, settings, store, None, "w", max_attempts=3)
    assert store.job(ok).status == "queued" and "重试" in store.job(ok).error
    assert execute(ok, settings, store, None, "w", max_attempts=3) == "done"
    assert store.job(ok).result == {"runs": 2} and store.job(ok).error is None
    with pytest.raises(Retry):
        execute(bad, settings, store, None, "w", max_attempts=3)
    assert execute(bad, settings, store, None, "w", max_attempts=3) == "failed"
    assert store.job(bad).error == "资料有误：第2行缺少单位名称"  # a user's error is not retried
    assert execute(once, settings, store, None, "w", max_attempts=1) == "failed"  # no attempts left
    assert "ConnectionError" in store.job(once).error


def test_queue_place_and_estimate(settings):
    store = make_store(settings)
    fid = store.save_factsheet(SHEET)
    jobs = [store.create_job(fid) for _ in range(5)]
    assert [store.queue_position(j) for j in jobs] == [1, 2, 3, 4, 5]
    est = estimate(store, jobs[3], workers=2)
    assert est.position == 4 and est.ahead == 3 and est.start_in > 0 and est.finish_in > est.start_in
    assert "第4位" in note_zh(est) and "前面还有3个" in note_zh(est)
    # history: 6 jobs finished 10 s apart → about 0.1 jobs/s → 3 ahead ≈ 30 s
    now = time.time()
    for i in range(6):
        j = store.create_job(fid)
        a = store.claim_job(j, "w")
        store.finish_job(j, a, "done")
        store.update_job(j, started_at=now - 100 + 10 * i - 5, finished_at=now - 100 + 10 * i)
    assert store.queue_position(jobs[3]) == 4
    assert estimate(store, jobs[3], workers=2).start_in == pytest.approx(30, rel=0.01)
    store.claim_job(jobs[0], "w")
    assert store.queue_position(jobs[3]) == 3 and estimate(store, jobs[0], 2).position is None
    assert "正在起草" in note_zh(estimate(store, jobs[0], 2))


# ------------------------------------------------------------------ procrastinate: real worker processes
def _worker_env(tmp_path, database_url: str, llm_url: str, **extra) -> dict:
    return serve_env(
        tmp_path / "var",
        database_url=database_url,
        job_queue="procrastinate",
        vector_store="memory",
        llm="openai",
        llm_base_url=llm_url,
        llm_max_retries="0",
        worker_heartbeat="0.5",
        worker_stalled_timeout="3",
        **extra,
    )


def _settings_from(env: dict):
    from zongjie.settings import Settings

    values = {k.removeprefix("ZONGJIE_").lower(): v for k, v in env.items() if k.startswith("ZONGJIE_")}
    return Settings(**values)


def test_procrastinate_workers_run_each_job_once_and_recover_a_killed_worker(tmp_path, postgres_url):
    slow_first = threading.Event()

    def script(request, n):
        delay = 6.0 if not slow_first.is_set() else 0.05  # the first job's sections take long: kill then
        return Reply(facts_answer(last_user(request)), delay=delay)

    with ScriptedOpenAI(script) as llm:
        env = _worker_env(tmp_path, postgres_url, llm.base_url)
        settings = _settings_from(env)
        store = make_store(settings)
        queue = make_queue(settings, store)
        workers = [start_worker(env, tmp_path) for _ in range(2)]
        try:
            fid = store.save_factsheet(SHEET)
            victim_job = queue.submit(fid)
            deadline = time.time() + 60
            while store.job(victim_job).status != "running" or not llm.requests:
                assert time.time() < deadline, "no worker took the job"
                time.sleep(0.1)
            owner = store.job(victim_job).worker
            pid = int(owner.split(":")[1])
            victim = next(w for w in workers if w.pid == pid)
            slow_first.set()
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            others = [queue.submit(store.save_factsheet(_sheet(i))) for i in range(4)]
            job = queue.wait(victim_job, timeout=120)
            assert job.status == "done" and job.attempts == 2  # picked up again by the live worker
            assert job.worker != owner
            for j in others:
                done = queue.wait(j, timeout=120)
                assert done.status == "done" and done.attempts == 1
            assert len(store.drafts(fid)) == 1  # exactly once
            drafts = [store.job(j).draft_id for j in [victim_job, *others]]
            assert len(set(drafts)) == 5
            with store.engine.connect() as conn:
                doing = conn.exec_driver_sql("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'").scalar()
                succeeded = conn.exec_driver_sql(
                    "SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'"
                ).scalar()
            assert (doing, succeeded) == (0, 5)
        finally:
            queue.shutdown()
            for w in workers:
                if w.poll() is None:
                    w.send_signal(signal.SIGTERM)
            for w in workers:
                try:
                    w.wait(30)
                except subprocess.TimeoutExpired:
                    w.kill()


def test_worker_refuses_without_postgresql(tmp_path):
    env = serve_env(tmp_path / "var")
    out = subprocess.run(
        [sys.executable, "-m", "zongjie.cli", "worker"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 2 and "procrastinate" in out.stdout
