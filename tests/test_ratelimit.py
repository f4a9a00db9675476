"""Provider limits: GCRA booking, shared across threads (memory) and processes (PostgreSQL), 429 + Retry-After fed
back, and an OpenAI client kept under a scripted endpoint's requests/min."""

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from zongjie.backends.llm import make_llm
from zongjie.backends.ratelimit import (
    DatabaseRateLimiter,
    Limits,
    MemoryRateLimiter,
    estimate_tokens,
    gcra,
    rate_limiter_for,
)
from zongjie.devtools.provider_limits import limited
from zongjie.devtools.scripted_openai import ScriptedOpenAI, good_script
from zongjie.storage.sql_store import SQLDraftStore


def _book(limits: Limits, tokens: list[int], now: float = 100.0) -> list[float]:
    tat_r = tat_t = 0.0
    waits = []
    for t in tokens:
        wait, tat_r, tat_t = gcra(now, tat_r, tat_t, limits, t)
        waits.append(round(wait, 6))
    return waits


def test_gcra_spaces_requests_and_tokens():
    assert _book(Limits(requests_per_minute=60), [0] * 4) == [0, 1, 2, 3]
    assert _book(Limits(requests_per_minute=60, burst=3), [0] * 5) == [0, 0, 0, 1, 2]
    # 600 tokens/min = 10/s: 100-token requests go 10 s apart; a huge one goes when its turn comes, then pays
    assert _book(Limits(tokens_per_minute=600), [100, 100, 100]) == [0, 10, 20]
    assert _book(Limits(tokens_per_minute=600), [5000, 10]) == [0, 500]
    # both: the tighter one wins
    assert _book(Limits(requests_per_minute=120, tokens_per_minute=600), [10, 10, 10]) == [0, 1, 2]
    assert not Limits().enabled and Limits(requests_per_minute=1).enabled


def test_memory_limiter_threads_settle_and_penalty():
    limiter = MemoryRateLimiter("k", Limits(requests_per_minute=600))
    with ThreadPoolExecutor(8) as pool:
        sends = sorted(pool.map(lambda _: time.time() + limiter.reserve(1), range(40)))
    gaps = [b - a for a, b in zip(sends, sends[1:], strict=False)]
    assert min(gaps) > 0.05 and sends[-1] - sends[0] == pytest.approx(3.9, abs=0.15)  # 600/min: one per 100 ms
    limiter.penalize(30)
    assert limiter.reserve(1) == pytest.approx(30, abs=0.1)
    tokens = MemoryRateLimiter("t", Limits(tokens_per_minute=6000))  # 100 tokens/s
    assert tokens.reserve(100) == 0
    tokens.settle(100, 600)  # it used 500 more than booked: the next waits for them
    assert tokens.reserve(100) == pytest.approx(6, abs=0.05)


def _reserve_many(url: str, n: int, ready) -> list[float]:
    limiter = DatabaseRateLimiter(
        "https://api.example/v1|m", Limits(requests_per_minute=1200), SQLDraftStore(url).engine
    )
    ready.wait()  # every process books at the same time
    sends = []
    for _ in range(n):
        wait = limiter.reserve(1)
        sends.append(time.time() + wait)
    return sends


def test_database_limiter_is_shared_by_processes(postgres_url):
    SQLDraftStore(postgres_url)  # migrated: llm_rate_limits exists
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(3) as pool:
        ready = manager.Barrier(3)
        results = pool.starmap(_reserve_many, [(postgres_url, 20, ready)] * 3)
    sends = sorted(t for r in results for t in r)
    assert len(sends) == 60 and sends[-1] - sends[0] == pytest.approx(59 * 0.05, abs=0.2)  # 1200/min: 50 ms apart
    with SQLDraftStore(postgres_url).engine.connect() as conn:
        tat = conn.exec_driver_sql("SELECT tat_requests FROM llm_rate_limits").scalar()
    assert tat - sends[0] == pytest.approx(60 * 0.05, abs=0.1)  # 60 slots booked, none twice, none lost


def test_estimate_tokens_errs_high():
    body = b'{"messages": [{"role": "user", "content": "\xe5\xb7\xa5\xe4\xbc\x9a"}], "max_tokens": 100}'
    assert estimate_tokens(body) == 102 and estimate_tokens(b"garbage") >= 0


def _settings(settings, base_url, **over):
    values = {**settings.model_dump(), "llm": "openai", "llm_base_url": base_url, **over}
    return type(settings)(**values)


def test_client_keeps_the_endpoint_limit(settings):
    server_script = limited(good_script, rpm=600, burst=2)
    with ScriptedOpenAI(server_script) as server:
        s = _settings(settings, server.base_url, llm_requests_per_minute=600, llm_max_retries=3)
        llm = make_llm(s)
        started = time.monotonic()
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda i: llm.complete([("user", f"第{i}段")]).text, range(30)))
        took = time.monotonic() - started
    stats = server_script.stats()
    assert len(answers) == 30 and all(answers) and stats["accepted"] == 30
    # Paced by the client, the provider (no slack beyond a burst of 2) refuses at most a stray request that a loaded
    # machine delayed into a bunch, and 30 requests at 10/s never take less than the limit allows. No upper bound on
    # the time: a slow machine is not a failure (the limiter's exact decisions are tested on a clock below).
    assert stats["refused"] <= 2
    assert took >= 2.3


def test_429_and_retry_after_feed_back_into_the_shared_limit(settings):
    server_script = limited(good_script, rpm=120, burst=1)  # the provider allows 2/s …
    with ScriptedOpenAI(server_script) as server:
        s = _settings(settings, server.base_url, llm_requests_per_minute=1200, llm_max_retries=6)  # … we think 20/s
        limiter = rate_limiter_for(s)
        llm = make_llm(s)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda i: llm.complete([("user", f"第{i}段")]).text, range(8)))
    stats = server_script.stats()
    assert len(answers) == 8 and stats["accepted"] == 8
    assert stats["refused"] >= 1  # the provider said 429 …
    assert limiter.penalties == stats["refused"]  # … and every Retry-After pushed the shared account back
    assert stats["refused"] < 8 * 4  # without the feedback every thread would hammer it


class _Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def _decisions(limiter, clock: _Clock) -> list[float]:
    """A fixed story of bookings, clock steps, token corrections and 429s: the wait the limiter gives each booking."""
    waits = []
    for step in [
        ("reserve", 100),
        ("reserve", 100),
        ("reserve", 5000),  # a large request goes when its turn comes, then pays for its tokens
        ("advance", 0.05),
        ("reserve", 10),
        ("settle", (10, 900)),  # it used far more than booked: later bookings wait for those tokens
        ("reserve", 10),
        ("advance", 30.0),  # idle: a full bucket, not credit for the idle time beyond the burst
        ("reserve", 10),
        ("reserve", 10),
        ("reserve", 10),
        ("penalize", 2.0),  # 429 with Retry-After 2 s
        ("reserve", 10),
        ("advance", 0.5),
        ("reserve", 10),
    ]:
        kind, arg = step
        if kind == "reserve":
            waits.append(round(limiter.reserve(arg), 9))
        elif kind == "advance":
            clock.t += arg
        elif kind == "settle":
            limiter.settle(*arg)
        else:
            limiter.penalize(arg)
    return waits


LIMITS = Limits(requests_per_minute=600, tokens_per_minute=60_000, burst=2)  # 10 requests/s, 1000 tokens/s


def test_memory_limiter_decisions_given_a_clock():
    clock = _Clock()
    waits = _decisions(MemoryRateLimiter("k", LIMITS, clock=clock), clock)
    assert waits == [
        pytest.approx(w, abs=1e-9)
        for w in [
            0.0,  # the burst: two requests at once
            0.0,
            0.1,  # then 100 ms apart (tokens: 200 of 1000/s, not binding)
            5.05,  # the 5000-token request went at once; its 5 s of tokens are paid by the next one
            5.95,  # … and the 890 tokens the previous one used beyond its booking (0.89 s)
            0.0,  # after 30 s idle: the burst again, no more
            0.0,
            0.1,
            2.0,  # after a 429 with Retry-After 2 s nobody goes before 2 s (the burst does not let one slip in early) …
            1.6,  # … and the next one an interval after it (0.5 s later on the clock)
        ]
    ]


def test_database_limiter_decides_exactly_like_the_memory_one(postgres_url):
    """The one-statement PostgreSQL booking is ``gcra``: same story, same clock, same waits."""
    memory_clock, clock = _Clock(), _Clock()
    expected = _decisions(MemoryRateLimiter("k", LIMITS, clock=memory_clock), memory_clock)
    engine = SQLDraftStore(postgres_url).engine
    assert _decisions(DatabaseRateLimiter("https://api.example/v1|m", LIMITS, engine, clock=clock), clock) == [
        pytest.approx(w, abs=1e-6) for w in expected
    ]
