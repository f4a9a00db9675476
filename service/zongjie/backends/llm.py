"""Chat models behind one small interface.

Contract: ``LLM.complete(messages)`` takes a list of ``(role, content)`` pairs (roles: system, user, assistant) and
returns a ``Completion`` with the answer text and token usage, or raises ``LLMError`` whose ``message_zh`` tells a
user what went wrong (unreachable endpoint, wrong key, rate limit, timeout, empty answer). It must be safe to call
from several threads at once. Backends are registered by name in ``LLMS`` and built from Settings.

- ``openai``: any OpenAI-compatible endpoint (DeepSeek, Qwen, GLM, vLLM, Ollama, llama.cpp server) through
  langchain-openai's ``ChatOpenAI``, so any LangChain chat model can be wrapped the same way (``LangChainLLM``).
- ``QueueLLM``: answers from a queue, for tests and demos; it implements the same interface.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..common.registry import Registry
from ..settings import Settings

Message = tuple[str, str]


@dataclass(slots=True)
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""


class LLMError(Exception):
    """A failed call. ``kind``: unreachable | auth | rate_limit | timeout | server | bad_request | empty."""

    MESSAGES_ZH = {
        "unreachable": "无法连接大模型服务，请检查服务地址或网络",
        "auth": "大模型服务拒绝了密钥，请检查 API Key",
        "rate_limit": "大模型服务请求过于频繁（429），已多次重试仍未成功",
        "timeout": "大模型服务响应超时",
        "server": "大模型服务出错（5xx），已多次重试仍未成功",
        "bad_request": "大模型服务不接受本次请求，请检查模型名称和参数",
        "empty": "大模型返回了空内容",
    }

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        self.detail = detail
        self.message_zh = self.MESSAGES_ZH.get(kind, "大模型调用失败")
        super().__init__(f"{kind}: {detail}" if detail else kind)


class LLM(ABC):
    name: str = "llm"

    @abstractmethod
    def complete(self, messages: list[Message]) -> Completion:
        """Answer the conversation; raise LLMError on failure."""


LLMS: Registry[LLM] = Registry("llm")


def make_llm(settings: Settings) -> LLM | None:
    """The configured chat model, or None for the offline drafter."""
    if settings.llm == "offline":
        return None
    return LLMS.make(settings.llm, settings)


def _to_langchain(messages: Iterable[Message]):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[role](content=content) for role, content in messages]


def _llm_error(exc: Exception) -> LLMError:
    """The ``LLMError`` for an error of the OpenAI client (or of an answer that cannot be read): the first class
    that matches decides the kind, so subclasses come before their bases (a timeout is a connection error, a 429
    a status error)."""
    import openai

    kinds: tuple[tuple[type[Exception] | tuple[type[Exception], ...], str], ...] = (
        ((openai.AuthenticationError, openai.PermissionDeniedError), "auth"),
        (openai.RateLimitError, "rate_limit"),
        (openai.APITimeoutError, "timeout"),
        (openai.APIConnectionError, "unreachable"),
        (openai.InternalServerError, "server"),
    )
    for types, kind in kinds:
        if isinstance(exc, types):
            return LLMError(kind, str(exc))
    if isinstance(exc, openai.APIStatusError):
        return LLMError("server" if exc.status_code >= 500 else "bad_request", f"HTTP {exc.status_code}")
    return LLMError("server", f"malformed answer: {exc}")


class LangChainLLM(LLM):
    """Wraps any LangChain chat model; maps the OpenAI client's errors to LLMError."""

    def __init__(self, chat_model, streaming: bool = False, name: str = "langchain"):
        self.chat_model = chat_model
        self.streaming = streaming
        self.name = name

    def complete(self, messages: list[Message]) -> Completion:
        import openai

        lc_messages = _to_langchain(messages)
        try:
            if self.streaming:
                text, usage = "", None
                for chunk in self.chat_model.stream(lc_messages):
                    text += chunk.content if isinstance(chunk.content, str) else ""
                    if getattr(chunk, "usage_metadata", None):
                        usage = chunk.usage_metadata
            else:
                msg = self.chat_model.invoke(lc_messages)
                text = msg.content if isinstance(msg.content, str) else ""
                usage = msg.usage_metadata
        except (
            openai.APIStatusError,
            openai.APIConnectionError,
            openai.APIResponseValidationError,
            ValueError,
            KeyError,
            TypeError,
            IndexError,
            AttributeError,
        ) as exc:
            raise _llm_error(exc) from None
        if not text or not text.strip():
            raise LLMError("empty")
        usage = usage or {}
        return Completion(
            text=text,
            prompt_tokens=int(usage.get("input_tokens", 0) or 0),
            completion_tokens=int(usage.get("output_tokens", 0) or 0),
            model=self.name,
        )


@LLMS.register("openai")
def _openai(settings: Settings) -> LLM:
    from langchain_openai import ChatOpenAI

    from .ratelimit import rate_limited_client

    if not settings.llm_base_url:
        raise ValueError("ZONGJIE_LLM_BASE_URL is required when ZONGJIE_LLM=openai")
    model = ChatOpenAI(
        http_client=rate_limited_client(settings),  # provider limits shared by all workers; None: no limits
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() or "not-needed",
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        extra_body=settings.llm_extra_body or None,
        streaming=settings.llm_streaming,
        stream_usage=True,
    )
    return LangChainLLM(model, streaming=settings.llm_streaming, name=settings.llm_model)


class QueueLLM(LLM):
    """Answers from a queue: strings are answers, exceptions are raised, callables get the messages."""

    name = "queue"

    def __init__(self, answers: Iterable = ()):
        self._answers = deque(answers)
        self._lock = threading.Lock()
        self.calls: list[list[Message]] = []

    def add(self, *answers) -> None:
        with self._lock:
            self._answers.extend(answers)

    def complete(self, messages: list[Message]) -> Completion:
        with self._lock:
            self.calls.append(list(messages))
            if not self._answers:
                raise LLMError("empty", "queue exhausted")
            answer = self._answers.popleft()
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            answer = answer(messages)
        return Completion(
            text=answer, prompt_tokens=sum(len(c) for _, c in messages), completion_tokens=len(answer), model=self.name
        )
