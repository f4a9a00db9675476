"""Drafting speed: offline draft seconds per example fact sheet, and the wall time of drafting with a model against
the scripted OpenAI-compatible server, for drafts of 7, 20 and 40 sections (plus the opening and closing, which
are calls too).

    .venv/bin/python benchmarks/draft_speed.py [--sizes 7 20 40] [--scale 0.1] [--rpm 600]

Call times: ``1s`` — every call answers after 1 s; ``5-20s`` — each call after a random 5–20 s (uniform, seeded),
the shape of real model calls, scaled down in time by ``--scale`` (0.1: 0.5–2 s) so the run stays short.
Limits (the in-process limiter, the same GCRA the database limiter runs): ``none``; ``burst`` — ``--rpm`` requests/min
with a burst as large as the draft, so the limit lets every call go at once; ``paced`` — ``--rpm`` with a burst
of 1, so calls go one every 60/rpm s (600/min at scale 0.1 stands for 60/min with real call times).

What each row compares: ``wall`` (the draft's writing stage) against ``permitted`` — the earliest the last answer
could arrive given the limit: the i-th call to reach the server cannot go before slot i of the limit (``max(0, i -
burst + 1) × 60 / rpm``) and takes its scripted time, so permitted = max over calls of slot + time (with no limit,
or a burst covering every call: the slowest call); ``overhead_s`` = wall − permitted is the draft's own time
(sending, checking, assembling: CPU that does not shrink with the time scale). Targets: wall / slowest ≤ 1.1 where
the limit lets all calls go at once, wall / permitted ≤ 1.1 otherwise. Results: benchmarks/results/draft_speed.json
and draft_speed.md, with the load average taken before every row (the machine is shared)."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "service"))

from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user  # noqa: E402
from zongjie.devtools.sheets import sheet_with_sections  # noqa: E402
from zongjie.drafting.pipeline import run_draft  # noqa: E402
from zongjie.factsheets.model import load_fact_sheet  # noqa: E402
from zongjie.settings import Settings  # noqa: E402


def offline_seconds() -> dict[str, float]:
    sheets = sorted((ROOT / "knowledge" / "facts").glob("*.*")) + sorted(
        (ROOT / "eval" / "checker").glob("*/facts.yaml")
    )
    out = {}
    for path in sheets:
        sheet = load_fact_sheet(path)
        t = time.perf_counter()
        run_draft(sheet, Settings(environment="test", _env_file=None), kb=None, llm=None)
        out[f"{path.parent.name}/{path.name}"] = round(time.perf_counter() - t, 4)
    return out


def permitted(delays: list[float], rpm: float, burst: float) -> float:
    """The earliest the last answer can arrive: call i (in the order they reach the server) goes at its slot."""
    gap = 60.0 / rpm if rpm else 0.0
    return max(max(0.0, i - burst + 1) * gap + d for i, d in enumerate(delays))


MAX_CONCURRENCY: int | None = None  # --max-concurrency: a fixed pool, to compare with the old scheduling


def _settings(base_url: str, rpm: float, burst: float) -> Settings:
    over = {"llm_max_concurrency": MAX_CONCURRENCY} if MAX_CONCURRENCY else {}
    return Settings(
        **over,
        environment="test",
        llm="openai",
        llm_base_url=base_url,
        llm_model="scripted",
        llm_max_retries=0,
        llm_timeout=60,
        llm_requests_per_minute=rpm,
        llm_rate_burst=burst,
        llm_rate_limiter="memory",
        _env_file=None,
    )


def _serve(conn) -> None:
    """The model endpoint in a process of its own, as a remote provider is (sharing this process's interpreter
    lock would charge its work to the draft). Commands on ``conn``: a list of call times (the n-th request is
    answered after the n-th; counters reset), ``stats`` → (requests, most in flight), ``stop``."""
    delays: list[float] = [1.0]
    script = lambda request, n: Reply(facts_answer(last_user(request)), delay=delays[n % len(delays)])  # noqa: E731
    with ScriptedOpenAI(script) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            if command == "stats":
                conn.send((len(server.requests), server.max_in_flight))
            else:
                delays[:] = command
                server.requests.clear()
                server.max_in_flight = 0
                conn.send("ok")


class Endpoint:
    def __enter__(self) -> Endpoint:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.proc = context.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()
        self.base_url = self.conn.recv()
        return self

    def script(self, delays: list[float]) -> None:
        self.conn.send(delays)
        self.conn.recv()

    def stats(self) -> tuple[int, int]:
        self.conn.send("stats")
        return self.conn.recv()

    def __exit__(self, *exc) -> None:
        self.conn.send("stop")
        self.proc.join(10)


def one_run(server: Endpoint, sections: int, shape: str, limit: str, rpm: float, scale: float, seed: int) -> dict:
    calls = sections + 2  # the opening and closing are calls too
    rng = random.Random(seed)
    delays = [1.0 if shape == "1s" else round(rng.uniform(5.0, 20.0) * scale, 3) for _ in range(calls)]
    burst = {"none": 1.0, "burst": float(calls), "paced": 1.0}[limit]
    limit_rpm = 0.0 if limit == "none" else rpm
    load = os.getloadavg()[0]
    server.script(delays)
    draft = run_draft(sheet_with_sections(sections), _settings(server.base_url, limit_rpm, burst), kb=None)
    answered, peak = server.stats()
    wall = draft.timings["write"]
    bound = permitted(delays[:answered], limit_rpm, burst)
    return {
        "sections": sections,
        "calls": answered,
        "call_times": shape,
        "limit": limit,
        "rpm": limit_rpm,
        "burst": burst,
        "loadavg_1m": round(load, 2),
        "max_in_flight": peak,
        "slowest_call_s": max(delays[:answered]),
        "permitted_s": round(bound, 3),
        "wall_s": round(wall, 3),
        "draft_total_s": draft.timings["total"],
        "overhead_s": round(wall - bound, 3),  # the draft's own time beyond what the calls and the limit take
        "wall_over_slowest": round(wall / max(delays[:answered]), 3),
        "wall_over_permitted": round(wall / bound, 3),
        "llm_sections": sum(1 for s in draft.walk() if s.text and s.fallback == "none"),
    }


def markdown(result: dict) -> str:
    lines = [
        "# Drafting speed (benchmarks/draft_speed.py)",
        "",
        f"Measured {result['measured']} on {result['cpus']} shared cores; load average (1 min) before each row."
        + (f" Calls capped at {result['max_concurrency']} in flight." if result.get("max_concurrency") else ""),
        f"Call times `5-20s` are scaled by {result['scale']} (0.5–2 s); `paced` = {result['rpm']:g} requests/min, "
        "burst 1; `burst` = the same rate with a burst as large as the draft. Target: wall / permitted ≤ 1.1 "
        "(permitted = slowest call when the limit lets every call go at once).",
        "",
        "| sections | calls | call times | limit | load | in flight | slowest s | permitted s | wall s "
        "| overhead s | wall/slowest | wall/permitted |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["llm"]:
        lines.append(
            f"| {r['sections']} | {r['calls']} | {r['call_times']} | {r['limit']} | {r['loadavg_1m']} "
            f"| {r['max_in_flight']} | {r['slowest_call_s']:.2f} | {r['permitted_s']:.2f} | {r['wall_s']:.2f} "
            f"| {r['overhead_s']:.2f} | {r['wall_over_slowest']:.2f} | {r['wall_over_permitted']:.2f} |"
        )
    lines += ["", "Offline drafter, seconds per example sheet:", ""]
    lines += [f"- {k}: {v:.3f}" for k, v in result["offline_seconds"].items()]
    if result.get("note"):
        lines += ["", result["note"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[7, 20, 40])
    ap.add_argument("--scale", type=float, default=0.1, help="time scale of the 5–20 s calls")
    ap.add_argument("--rpm", type=float, default=600.0, help="requests/min of the limited runs")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--note", default="", help="a sentence for the markdown (what bounds a missed target)")
    ap.add_argument("--max-concurrency", type=int, help="cap calls in flight (8 = the fixed pool before issue 28)")
    args = ap.parse_args()
    global MAX_CONCURRENCY
    MAX_CONCURRENCY = args.max_concurrency
    result: dict = {
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "scale": args.scale,
        "rpm": args.rpm,
        "max_concurrency": args.max_concurrency,
        "offline_seconds": offline_seconds(),
        "llm": [],
    }
    with Endpoint() as server:
        server.script([0.0])
        run_draft(sheet_with_sections(3), _settings(server.base_url, 0.0, 1.0), kb=None)  # warm up both sides
        for sections in args.sizes:
            for shape in ("1s", "5-20s"):
                for limit in ("none", "burst", "paced"):
                    row = one_run(server, sections, shape, limit, args.rpm, args.scale, seed=sections)
                    result["llm"].append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
    result["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    result["note"] = args.note
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "draft_speed.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "draft_speed.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
