"""Liveness: parsing uploads never holds up the event loop. On a real `zongjie serve`, /healthz keeps answering
within 100 ms (a generous bound is asserted: a second, where the old inline parsing made it wait for the whole
parse) while four large past summaries are read by 「从往年总结开始」 at the same time."""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from conftest import CORPUS, http_client


def _large_summary(target: int) -> bytes:
    """Real-shaped text: the sample summaries one after another until ``target`` bytes (each keeps its headings)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    out, i = [], 0
    while sum(len(t.encode()) for t in out) < target:
        out.append(texts[i % len(texts)])
        i += 1
    return "\n\n".join(out).encode()


def test_health_answers_while_four_large_uploads_are_parsed(server):
    client = http_client(server, timeout=600)
    data = _large_summary(400_000)
    done: list[int] = []

    def upload(n: int) -> None:
        r = client.post("/api/factsheets/extract", files={"file": (f"往年总结{n}.txt", data, "text/plain")})
        done.append(r.status_code)

    workers = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    time.sleep(1.0)  # the uploads are in and being parsed
    latencies = []
    with httpx.Client(base_url=server, timeout=60) as probe:
        while any(w.is_alive() for w in workers) and len(latencies) < 40:
            t0 = time.perf_counter()
            assert probe.get("/healthz").json() == {"ok": True}
            latencies.append(time.perf_counter() - t0)
            time.sleep(0.1)
    parsing = any(w.is_alive() for w in workers)
    for w in workers:
        w.join(600)
    assert done == [200, 200, 200, 200]
    assert parsing or len(latencies) >= 5, "the uploads finished before health could be probed"
    assert max(latencies) < 1.0 and statistics.median(latencies) < 0.25, latencies
