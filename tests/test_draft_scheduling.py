"""How a draft's sections are sent to the model: all at once (opening and closing too), bounded only by a safety
cap sized from the provider's request limit — never in waves through a small fixed pool. Functional checks against
the loopback server holding its answers; timing is measured by benchmarks/draft_speed.py, not here."""

import threading

from conftest import scripted_llm_settings
from zongjie.backends.ratelimit import calls_in_flight_bound, draft_concurrency
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI, facts_answer, last_user
from zongjie.devtools.sheets import sheet_with_sections
from zongjie.drafting.pipeline import run_draft


def _held_until(count: int, release: threading.Event):
    """Hold every answer until ``count`` requests have arrived (then answer them all)."""

    def script(request: dict, n: int) -> Reply:
        if n + 1 >= count:
            release.set()
        return Reply(facts_answer(last_user(request)), hold=release, hold_timeout=15)

    return script


def test_twenty_sections_opening_and_closing_are_all_in_flight_at_once():
    release = threading.Event()
    with ScriptedOpenAI(_held_until(22, release)) as server:
        draft = run_draft(sheet_with_sections(20), scripted_llm_settings(server.base_url), kb=None)
    assert server.max_in_flight == 22  # 20 body sections + opening + closing, none waiting for another
    assert len(server.requests) == 22
    body = [s for s in draft.walk() if s.text]
    assert len(body) == 20 and all(s.fallback == "none" and s.rounds == 1 for s in body)
    assert draft.report.summary.errors == 0


def test_the_safety_cap_bounds_calls_in_flight():
    release = threading.Event()
    with ScriptedOpenAI(_held_until(5, release)) as server:
        draft = run_draft(
            sheet_with_sections(9), scripted_llm_settings(server.base_url, llm_max_concurrency=5), kb=None
        )
    assert server.max_in_flight == 5 and len(server.requests) == 11
    assert all(s.fallback == "none" for s in draft.walk() if s.text)


def test_the_cap_is_sized_from_the_request_limit():
    no_limit = scripted_llm_settings("http://127.0.0.1:9/v1")
    assert calls_in_flight_bound(no_limit) is None
    assert draft_concurrency(no_limit) == no_limit.llm_max_concurrency >= 40  # a 40-section draft goes at once
    # 30 requests/min, calls of at most 10 s, 2 at once: at most 2 + 5 calls can ever be in flight
    limited = scripted_llm_settings("http://127.0.0.1:9/v1", llm_requests_per_minute=30, llm_rate_burst=2)
    assert calls_in_flight_bound(limited) == 7 and draft_concurrency(limited) == 7
    generous = scripted_llm_settings("http://127.0.0.1:9/v1", llm_requests_per_minute=6000)
    assert draft_concurrency(generous) == generous.llm_max_concurrency
