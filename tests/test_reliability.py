"""LLM faults at random over many drafts: every draft ends done or failed, none hangs, none is lost, and no wrong
figure is left unmarked. The figures are written to tests/artifacts/reliability.json."""

import json
import os
import random
import threading
from collections import Counter

from conftest import ROOT
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user
from zongjie.evaluation.drafts import load_cases
from zongjie.jobs import JobRunner
from zongjie.settings import Settings
from zongjie.stages.assemble import Draft
from zongjie.storage.sql_store import SQLDraftStore

DRAFTS = int(os.environ.get("ZONGJIE_RELIABILITY_DRAFTS", "200"))
FAULTS = [
    ("ok", 40),
    ("timeout", 6),
    ("rate_limit", 10),
    ("http_500", 4),
    ("http_502", 4),
    ("http_503", 4),
    ("reset", 6),
    ("truncate", 6),
    ("garbage", 6),
    ("empty", 4),
    ("english", 5),
    ("no_facts", 5),
]


class FaultScript:
    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts: Counter = Counter()

    def __call__(self, request, n):
        with self.lock:
            kind = self.rng.choices([k for k, _ in FAULTS], [w for _, w in FAULTS])[0]
            self.counts[kind] += 1
        good = facts_answer(last_user(request))
        return {
            "ok": Reply(good),
            "timeout": Reply(good, delay=1.5),
            "truncate": Reply(good, fault="truncate"),
            "rate_limit": Reply(status=429, headers={"Retry-After": "0"}),
            "http_500": Reply(status=500),
            "http_502": Reply(status=502),
            "http_503": Reply(status=503),
            "reset": Reply(fault="reset"),
            "garbage": Reply(fault="garbage"),
            "empty": Reply(fault="empty"),
            "english": Reply("The union worked hard this year and achieved 37 goals."),
            "no_facts": Reply("本部分工作有序推进，取得良好成效。"),
        }[kind]


def test_drafts_survive_random_llm_faults(tmp_path):
    case = next(c for c in load_cases(ROOT / "eval" / "cases") if c.name == "township_2025_h1")
    script = FaultScript()
    store = SQLDraftStore(f"sqlite:///{tmp_path / 'faults.db'}")
    with ScriptedOpenAI(script) as server:
        settings = Settings(
            environment="test",
            llm="openai",
            llm_base_url=server.base_url,
            llm_model="scripted",
            llm_timeout=0.6,
            llm_max_retries=1,
            llm_max_concurrency=8,
            draft_repair_rounds=1,
            draft_workers=8,
            llm_streaming=False,
        )
        runner = JobRunner(settings, store, kb=None)
        fid = store.save_factsheet(case.sheet.model_dump(mode="json"))
        streaming = JobRunner(settings.model_copy(update={"llm_streaming": True}), store, kb=None)
        jobs = [(runner if i % 2 else streaming).submit(fid) for i in range(DRAFTS)]
        for job_id in jobs:
            (runner if job_id in runner.futures else streaming).wait(job_id, timeout=300)
        requests = len(server.requests)
    outcomes: Counter = Counter()
    sections: Counter = Counter()
    unmarked = 0
    for job_id in jobs:
        job = store.job(job_id)
        outcomes[job.status] += 1
        if job.status == "done":
            draft = Draft.model_validate(store.version(job.draft_id).data)
            for s in draft.walk():
                sections[s.fallback] += 1
            unmarked += draft.report.summary.errors - draft.text().count("【待核实】")
            assert draft.report.summary.coverage == 1.0
        else:
            assert job.error  # a failure the user can read
    lost = DRAFTS - outcomes["done"] - outcomes["failed"]
    report = {
        "drafts": DRAFTS,
        "requests_tried": requests,
        "faults_injected": dict(script.counts),
        "faults_total": sum(v for k, v in script.counts.items() if k != "ok"),
        "drafts_done": outcomes["done"],
        "drafts_failed": outcomes["failed"],
        "drafts_lost": lost,
        "sections_by_outcome": dict(sections),
        "wrong_figures_unmarked": unmarked,
    }
    out = ROOT / "tests" / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reliability.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    assert lost == 0 and outcomes["done"] == DRAFTS and unmarked == 0
    assert report["faults_total"] >= DRAFTS  # the faults really happened
    assert sections["offline"] + sections["partial"] > 0 and sections["none"] > 0
