"""The OpenAI-compatible backend against the scripted server: retries, errors users understand, streaming."""

import pytest

from zongjie.backends.llm import LLMError, QueueLLM, make_llm
from zongjie.devtools.scripted_openai import Reply, ScriptedOpenAI
from zongjie.settings import Settings


def _llm(server, **over):
    return make_llm(
        Settings(
            environment="test",
            llm="openai",
            llm_base_url=server.base_url,
            llm_model="m",
            **{"llm_max_retries": 0, **over},
        )
    )


def test_retries_5xx_then_succeeds():
    with ScriptedOpenAI(lambda r, n: Reply(status=503) if n < 2 else Reply("好的。")) as server:
        completion = _llm(server, llm_max_retries=3).complete([("user", "写")])
        assert completion.text == "好的。" and len(server.requests) == 3


def test_429_with_retry_after_is_retried():
    with ScriptedOpenAI(lambda r, n: Reply(status=429, headers={"Retry-After": "0"}) if n == 0 else Reply("行。")) as s:
        assert _llm(s, llm_max_retries=2).complete([("user", "写")]).text == "行。"
        assert len(s.requests) == 2


@pytest.mark.parametrize(
    "reply,kind",
    [
        (Reply(status=429, headers={"Retry-After": "0"}), "rate_limit"),
        (Reply(status=500), "server"),
        (Reply(status=400), "bad_request"),
        (Reply(fault="garbage"), "server"),
        (Reply(fault="empty"), "server"),
        (Reply(""), "empty"),
    ],
)
def test_failures_become_llm_errors_with_chinese_messages(reply, kind):
    with ScriptedOpenAI(lambda r, n: reply) as server:
        with pytest.raises(LLMError) as exc:
            _llm(server).complete([("user", "写")])
    assert exc.value.kind == kind and exc.value.message_zh


def test_extra_body_and_options_reach_the_endpoint():
    with ScriptedOpenAI(lambda r, n: Reply("好。")) as server:
        _llm(server, llm_extra_body={"enable_thinking": False}, llm_temperature=0.1).complete([("user", "写")])
        body = server.requests[0]
        assert body["enable_thinking"] is False and body["temperature"] == 0.1 and body["model"] == "m"


def test_offline_setting_means_no_llm_and_missing_url_is_explained():
    assert make_llm(Settings(environment="test")) is None
    with pytest.raises(ValueError, match="ZONGJIE_LLM_BASE_URL"):
        make_llm(Settings(environment="test", llm="openai"))


def test_queue_llm_implements_the_interface():
    llm = QueueLLM(["一", LLMError("timeout"), lambda msgs: msgs[-1][1] + "！"])
    assert llm.complete([("user", "a")]).text == "一"
    with pytest.raises(LLMError):
        llm.complete([("user", "b")])
    assert llm.complete([("user", "c")]).text == "c！"
    with pytest.raises(LLMError):
        llm.complete([("user", "d")])
    assert len(llm.calls) == 4


def test_openai_embeddings_backend_against_a_loopback_server():
    import numpy as np

    from zongjie.backends.embeddings import make_embedder

    with ScriptedOpenAI() as server:
        emb = make_embedder(Settings(environment="test", embedder="openai", embedding_base_url=server.base_url))
        texts = [f"第{i}段 困难职工帮扶" for i in range(70)]  # more than one batch of 64
        vectors = emb.embed(texts)
        assert vectors.shape == (70, 256)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        assert len([r for r in server.requests if "input" in r]) == 2
