"""Burst benchmark: year-end load on a team deployment with a provider limit.

1,000 draft jobs from 200 units (5 each) are posted through 2 `zongjie serve` processes and run by 3
`zongjie worker` processes on one PostgreSQL, against the scripted OpenAI-compatible endpoint limited to R
requests/min (429 + Retry-After beyond it; a small burst allowance, like providers). One worker is killed (SIGKILL)
mid-run. Reported: throughput as a share of R — over the whole run (LLM requests the endpoint accepted per minute
between the first and the last one) and over the steady state (first accepted request until the queue is empty,
i.e. the last job has started) — p50/p95 queue wait (job queued → first started), lost drafts (jobs not done, or
done without a draft) and duplicated drafts (more than one draft per job), 429s, jobs run again after the kill.

    .venv/bin/python benchmarks/burst.py                      # R=600/min, 1000 jobs, 200 units (make bench-burst)
    .venv/bin/python benchmarks/burst.py --rpm 600 --jobs 200 --units 40 --out var/burst.json   # quicker

``evidence`` in the results says where capacity went (``burst_trace.py``): accepted and refused requests per
minute, the seconds the provider stood idle with a full bucket (by phase: before the kill, until the killed
worker's jobs ran again, after, the tail), the workers' waits for a slot and the time to book one (from their
``--log-level debug`` lines), how far ahead the shared limiter was booked, the share of job slots busy while jobs
were queued, a 10-second timeline, CPU seconds per kind of process and the load average.

Sizing for 2 cores: each fact sheet has 3 figures in 3 sections, so a draft is 3 LLM calls (the opening is written
without the model) and 1,000 drafts are 3,000 calls: at R=600/min the endpoint's limit alone needs 5 minutes, and
the processes' own work (about 0.14 CPU-seconds per draft across web, worker, database and endpoint) stays well
below the 2 cores, so the limit, not the machine, is what is measured. The endpoint runs in a process of its own,
as a remote provider would (sharing the load generator's interpreter lock delayed its clock and caused 429s). The
model answers after ``--latency`` seconds. Workers use no knowledge base (retrieval is measured by
benchmarks/kb_scale.py); what is measured here is the queue, the shared limit and recovery. Targets: ≥ 90% of R,
0 lost, 0 duplicated. Results: benchmarks/results/burst.json (committed by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))

import burst_trace as trace  # noqa: E402
from zongjie.devtools.postgres import TempPostgres  # noqa: E402
from zongjie.devtools.provider_limits import limited  # noqa: E402
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user  # noqa: E402

UNIT_TYPES = ["township", "hospital", "enterprise", "school", "bureau"]


def _serve_endpoint(conn, rpm: float, burst: float, latency: float) -> None:
    """The provider, in a process of its own (as a remote provider would be: the load generator's threads must
    not delay its clock); answers ``stats`` and ``stop`` on ``conn`` with epoch times of accepted/refused calls."""
    reply = lambda r, n: Reply(facts_answer(last_user(r)), delay=latency)  # noqa: E731
    script = limited(reply, rpm=rpm, burst=burst)
    with ScriptedOpenAI(script) as server:
        conn.send(server.base_url)
        while True:
            command = conn.recv()
            to_epoch = time.time() - time.monotonic()
            conn.send(([t + to_epoch for t in script.accepted], [t + to_epoch for t in script.refused_at]))
            if command == "stop":
                return


class Endpoint:
    """``_serve_endpoint`` in a child process: ``base_url``; ``refused()`` so far; ``accepted`` and ``refused_at``
    (epoch seconds) once stopped."""

    def __init__(self, rpm: float, burst: float, latency: float, here: bool = False):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        run = threading.Thread if here else context.Process  # here: a thread of this process (to compare with)
        self._proc = run(target=_serve_endpoint, args=(child, rpm, burst, latency), daemon=True)
        self.accepted: list[float] = []
        self.refused_at: list[float] = []

    def __enter__(self) -> Endpoint:
        self._proc.start()
        self.base_url = self._conn.recv()
        return self

    @property
    def pid(self) -> int:
        return getattr(self._proc, "pid", None) or 0  # 0: in this process

    def refused(self) -> int:
        self._conn.send("stats")
        return len(self._conn.recv()[1])

    def __exit__(self, *exc) -> None:
        self._conn.send("stop")
        self.accepted, self.refused_at = self._conn.recv()
        self._proc.join(10)


def fact_sheet(i: int) -> dict:
    return {
        "unit": {"name": f"第{i + 1}号基层工会", "type": UNIT_TYPES[i % len(UNIT_TYPES)]},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m1", "label": "新发展会员", "value": 20 + i, "unit": "名", "section": "组织建设"},
            {"id": "m2", "label": "走访慰问困难职工", "value": 10 + i % 50, "unit": "户", "section": "帮扶"},
            {"id": "m3", "label": "开展职工培训", "value": 2 + i % 9, "unit": "场", "section": "建功立业"},
        ],
    }


ADMIN_PASSWORD = "burst-admin-password"


def _api_token(base: str) -> str:
    """Sign in as the first admin and make an API token for the benchmark's requests."""
    with httpx.Client(base_url=base, timeout=30) as c:
        c.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}).raise_for_status()
        r = c.post("/api/me/tokens", json={"name": "burst"})
        r.raise_for_status()
        return r.json()["token"]


def env_for(data_dir: Path, **settings: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZONGJIE_")}
    env.update(ZONGJIE_DATA_DIR=str(data_dir), ZONGJIE_EMBEDDER="hashing", ZONGJIE_ENVIRONMENT="test")
    env["ZONGJIE_ADMIN_PASSWORD"] = ADMIN_PASSWORD  # the first admin; the benchmark signs in with an API token
    env.update({f"ZONGJIE_{k.upper()}": v for k, v in settings.items()})
    env["ANONYMIZED_TELEMETRY"] = "False"
    return env


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rpm", type=float, default=600, help="the endpoint's requests/min (R)")
    ap.add_argument("--jobs", type=int, default=1000)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--web", type=int, default=2)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=6, help="jobs at a time per worker")
    ap.add_argument("--latency", type=float, default=0.3, help="seconds the model takes per answer")
    ap.add_argument("--provider-burst", type=float, default=5, help="requests the endpoint accepts at once")
    ap.add_argument("--kill-at", type=float, default=0.4, help="kill a worker when this share of jobs is done")
    ap.add_argument(
        "--endpoint-here",
        action="store_true",
        help="run the endpoint in this process, sharing its interpreter with the submitting threads (to compare)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "burst.json")
    args = ap.parse_args()

    procs: list[subprocess.Popen] = []
    load_before = os.getloadavg()[0]
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"zongjie-burst-{os.getpid()}"
    logs.mkdir(parents=True, exist_ok=True)
    with TempPostgres() as pg, Endpoint(args.rpm, args.provider_burst, args.latency, args.endpoint_here) as llm:
        url = pg.create_database("burst")
        common = dict(
            database_url=url,
            job_queue="procrastinate",
            vector_store="memory",
            sample_corpus=str(logs / "no-corpus"),
            llm="openai",
            llm_base_url=llm.base_url,
            llm_requests_per_minute=str(args.rpm),
            llm_max_retries="8",
            llm_max_concurrency="4",
            worker_heartbeat="2",
            worker_stalled_timeout="10",
            draft_repair_rounds="1",
        )
        try:
            bases = []
            for i in range(args.web):
                port = free_port()
                out = open(logs / f"web-{i}.log", "w")
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "zongjie.cli", "serve", "--port", str(port)],
                        env=env_for(logs / f"web-{i}", **common),
                        cwd=logs,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
                wait_http(f"http://127.0.0.1:{port}/healthz")
                bases.append(f"http://127.0.0.1:{port}")
            workers = []
            for i in range(args.workers):
                out = open(logs / f"worker-{i}.log", "w")
                workers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            *("-m", "zongjie.cli", "worker", "--concurrency", str(args.concurrency)),
                            *("--log-level", "debug"),  # every limiter wait: the evidence in the results
                        ],
                        env=env_for(logs / f"worker-{i}", **common),
                        cwd=logs,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            procs += workers
            time.sleep(3)  # workers connected

            from sqlalchemy import create_engine, text

            engine = create_engine(url)
            samples: list[dict] = []
            stop_sampling = threading.Event()

            def sample() -> None:  # once a second: queue, running jobs, the shared limiter's backlog, load
                query = text(
                    "SELECT extract(epoch FROM clock_timestamp()), (SELECT max(tat_requests) FROM llm_rate_limits), "
                    "count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'running'), "
                    "count(*) FILTER (WHERE status IN ('done', 'failed')) FROM jobs"
                )
                with engine.connect() as conn:
                    while not stop_sampling.wait(1.0):
                        now, tat, queued, running, finished = conn.execute(query).one()
                        conn.commit()
                        samples.append(
                            {
                                "t": float(now),
                                "limiter_ahead_s": round(float(tat) - float(now), 2) if tat else None,
                                "queued": queued,
                                "running": running,
                                "finished": finished,
                                "load1": os.getloadavg()[0],
                            }
                        )

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()

            auth = {"Authorization": f"Bearer {_api_token(bases[0])}"}  # sessions live in PostgreSQL: any web
            with httpx.Client(timeout=30, headers=auth) as client:
                fids = [
                    client.post(f"{bases[i % len(bases)]}/api/factsheets", json=fact_sheet(i)).json()["id"]
                    for i in range(args.units)
                ]
            started = time.time()

            # one client: one SSL context
            poster = httpx.Client(timeout=30, headers=auth, limits=httpx.Limits(max_connections=16))

            def submit(k: int) -> str:
                base = bases[k % len(bases)]
                r = poster.post(f"{base}/api/factsheets/{fids[k % len(fids)]}/drafts")
                r.raise_for_status()
                return r.json()["id"]

            with poster, ThreadPoolExecutor(16) as pool:
                job_ids = list(pool.map(submit, range(args.jobs)))
            submitted = time.time() - started
            print(f"{args.jobs} jobs submitted through {args.web} web processes in {submitted:.1f} s", flush=True)

            killed, victim_cpu = None, 0.0
            deadline = time.time() + 3600
            while time.time() < deadline:
                with engine.connect() as conn:
                    counts = dict(conn.execute(text("SELECT status, count(*) FROM jobs GROUP BY status")).all())
                finished = counts.get("done", 0) + counts.get("failed", 0)
                if killed is None and finished >= args.kill_at * args.jobs:
                    victim = workers[0]
                    victim_cpu = trace.cpu_seconds(victim.pid)
                    victim.send_signal(signal.SIGKILL)
                    victim.wait(10)
                    killed = {
                        "at_done": finished,
                        "seconds": round(time.time() - started, 1),
                        "pid": victim.pid,
                        "at": time.time(),
                    }
                    print(f"killed worker {victim.pid} after {finished} jobs", flush=True)
                if finished >= args.jobs:
                    break
                print(f"  {time.time() - started:6.1f} s  {counts}  429s={llm.refused()}", flush=True)
                time.sleep(5)
            wall = time.time() - started
            stop_sampling.set()
            sampler.join(5)

            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT id, status, draft_id, attempts, queued_at, started_at, finished_at, worker FROM jobs")
                ).all()
                drafts_per_job = dict(conn.execute(text("SELECT job_id, count(*) FROM drafts GROUP BY job_id")).all())
                restarts = [  # when the killed worker's jobs started again (procrastinate's own events)
                    float(t)
                    for (t,) in conn.execute(
                        text(
                            "SELECT extract(epoch FROM e.at) FROM procrastinate_events e WHERE e.type = 'started' "
                            "AND e.job_id IN (SELECT job_id FROM procrastinate_events WHERE type = 'started' "
                            "GROUP BY job_id HAVING count(*) > 1) ORDER BY e.at"
                        )
                    ).all()
                ]
            engine.dispose()
            cpu = {
                "web": round(sum(trace.cpu_seconds(p.pid) for p in procs[: args.web]), 1),
                "workers": round(sum(trace.cpu_seconds(w.pid) for w in workers) + victim_cpu, 1),
                "postgres": trace.postgres_cpu_seconds(pg.postmaster_pid()),
                "endpoint": round(trace.cpu_seconds(llm.pid), 1) if llm.pid else "in the benchmark's process",
                "benchmark": round(sum(os.times()[:2]), 1),
            }
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()

    accepted, refused = sorted(llm.accepted), sorted(llm.refused_at)
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
    per_minute = (len(accepted) - 1) / span * 60 if span else 0.0
    waits = [r.started_at - r.queued_at for r in rows if r.started_at and r.queued_at]
    ours = set(job_ids)
    lost = [r.id for r in rows if r.id in ours and (r.status != "done" or not r.draft_id)]
    duplicated = {j: n for j, n in drafts_per_job.items() if n > 1}

    # where the capacity went: the provider's idle time by phase, the limiter's decisions, the workers' slots
    interval = 60.0 / args.rpm
    idle = trace.provider_idle(accepted, interval, (args.provider_burst - 1) * interval)
    first, last = accepted[0], accepted[-1]
    queue_empty = max(r.started_at for r in rows if r.started_at)  # the last job started: the tail begins
    steady = [t for t in accepted if t <= queue_empty]
    steady_rate = (len(steady) - 1) / (steady[-1] - first) * 60 if len(steady) > 1 and steady[-1] > first else 0.0
    kill_at = killed["at"] if killed else last
    back_at = max((t for t in restarts if t >= kill_at), default=kill_at)  # the killed worker's last job restarted
    phases = [
        ("before_kill", first, kill_at),
        ("kill_until_its_jobs_restarted", kill_at, back_at),
        ("after_until_queue_empty", back_at, queue_empty),
        ("tail_after_queue_empty", queue_empty, last),
    ]
    logs_text = []
    for f in sorted(logs.glob("worker-*.log")):
        logs_text += f.read_text(encoding="utf-8", errors="replace").splitlines()
    limiter = trace.limiter_log(logs_text)
    slots = args.workers * args.concurrency
    busy = [  # share of job slots running a job while jobs were waiting in the queue
        s["running"] / (slots - (args.concurrency if killed and s["t"] >= kill_at else 0))
        for s in samples
        if s["queued"] > 0
    ]
    ahead = [s["limiter_ahead_s"] for s in samples if s["queued"] > 0 and s["limiter_ahead_s"] is not None]
    loads = [s["load1"] for s in samples]
    result = {
        "setup": {
            "jobs": args.jobs,
            "units": args.units,
            "web_processes": args.web,
            "worker_processes": args.workers,
            "jobs_per_worker": args.concurrency,
            "rpm_limit_R": args.rpm,
            "endpoint_process": "the benchmark's (--endpoint-here)" if args.endpoint_here else "its own",
            "model_latency_s": args.latency,
            "provider_burst": args.provider_burst,
            "llm_calls_per_draft": round(len(accepted) / max(1, len(rows)), 2),
            "worker_killed": {k: v for k, v in (killed or {}).items() if k != "at"},
            "machine_cores": os.cpu_count(),
        },
        "throughput_requests_per_min": round(per_minute, 1),
        "throughput_share_of_R": round(per_minute / args.rpm, 3),
        "throughput_steady_state": {
            "window": "first accepted request → last job started (queue empty)",
            "seconds": round(queue_empty - first, 1),
            "requests_per_min": round(steady_rate, 1),
            "share_of_R": round(steady_rate / args.rpm, 3),
        },
        "llm_requests_accepted": len(accepted),
        "llm_requests_refused_429": len(refused),
        "queue_wait_s": {
            "p50": round(statistics.median(waits), 1) if waits else None,
            "p95": round(percentile(waits, 0.95), 1) if waits else None,
            "max": round(max(waits), 1) if waits else None,
        },
        "wall_s": round(wall, 1),
        "jobs_done": sum(1 for r in rows if r.status == "done"),
        "jobs_run_again_after_kill": sum(1 for r in rows if r.attempts > 1),
        "lost_drafts": len(lost),
        "duplicated_drafts": len(duplicated),
        "targets": {"share_of_R": 0.9, "lost": 0, "duplicated": 0},
        "evidence": {
            "accepted_per_minute": trace.per_minute(accepted, first),
            "refused_per_minute": trace.per_minute(refused, first),
            "provider_idle_s": round(sum(idle), 1),
            "provider_idle_s_by_phase": trace.idle_by_phase(accepted, idle, phases),
            "provider_idle_s_within_1s_of_a_429": trace.idle_near(accepted, idle, refused, 1.0),
            "phase_starts_s": {name: round(a - first, 1) for name, a, _ in phases},
            "first_request_after_submit_s": round(first - started, 1),
            "killed_worker_jobs_restarted_after_s": round(back_at - kill_at, 1) if killed else None,
            "limiter": {k: v for k, v in limiter.items() if k not in ("429_times", "slots")},
            "limiter_booked_ahead_s_while_queued": trace.summary(ahead),
            "job_slots_busy_while_queued": trace.summary(busy),
            "cpu_seconds": cpu,
            "timeline_10s": trace.timeline(first, last, accepted, refused, samples, limiter["slots"]),
            "load1": {"before": load_before, "during": trace.summary(loads), "after": os.getloadavg()[0]},
        },
    }
    result["passed"] = (
        result["throughput_share_of_R"] >= 0.9 and result["lost_drafts"] == 0 and result["duplicated_drafts"] == 0
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
