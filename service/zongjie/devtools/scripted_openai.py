"""A real HTTP server speaking the OpenAI chat API on loopback, scripted per request.

    with ScriptedOpenAI(script) as server:      # server.base_url → http://127.0.0.1:PORT/v1
        ...

``script(request_json, n)`` returns a ``Reply`` for the n-th request (0-based): the answer text, a delay before
answering, an HTTP status with headers (429 + Retry-After, 500…), or a fault (``"truncate"``: a stream cut before
[DONE]; ``"garbage"``: a non-JSON body; ``"empty"``: an empty choice list; ``"reset"``: the connection drops
mid-body), or hold its answer until an event is set (``hold``: a test sees which calls are in flight at once;
``server.in_flight`` / ``server.max_in_flight`` count requests received and not yet answered). Streaming requests
get server-sent
events; others a JSON body. Every request is recorded in ``server.requests``. ``facts_answer(prompt)`` writes a
plausible section from the fact lines of a Zongjie prompt (``- [id] label：value`` lines), so the default script
answers well.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse


@dataclass
class Reply:
    text: str = ""
    delay: float = 0.0
    status: int = 200
    headers: dict = field(default_factory=dict)
    fault: str | None = None  # truncate | garbage | empty | reset
    hold: threading.Event | None = None  # answer only once this is set (tests release held answers)
    hold_timeout: float = 30.0  # seconds a held answer waits at most


Script = Callable[[dict, int], Reply]

_FACT_LINE = re.compile(r"^- \[(?P<id>[A-Za-z][\w.-]*)\] (?P<body>.+)$", re.M)


def _line(prompt: str, label: str) -> str:
    m = re.search(rf"^{label}：(.+)$", prompt, re.M)
    return m.group(1).strip() if m else ""


def frame_answer(prompt: str) -> str | None:
    """An opening or closing paragraph from a Zongjie frame prompt (``prompts/opening.md.j2`` / ``ending.md.j2``:
    unit, period, leadership and themes lines), as a plain model writes one; None for any other prompt."""
    unit = re.sub(r"（.*?）$", "", _line(prompt, "单位"))
    period, leadership = _line(prompt, "时段"), _line(prompt, "领导机关")
    themes = [t for t in _line(prompt, "年度主题").split("；") if t]
    under = f"在{leadership}的领导下，" if leadership else ""
    if "本部分：总结的开头段" in prompt:
        whole = m.group(1) if (m := re.search(r"以“现将(.+?)工作总结如下", prompt)) else "全年"
        around = f"紧紧围绕{'、'.join(themes)}，" if themes else ""
        headings = re.findall(r"^- (.+)$", prompt.split("正文各部分标题", 1)[-1].split("\n\n", 1)[0], re.M)
        work = f"在{'、'.join(h.split('，')[0] for h in headings[:4])}等方面做了大量工作，" if headings else ""
        return f"{period}，{unit}{under}{around}团结带领广大职工，{work}各项工作取得了新进展。现将{whole}工作总结如下："
    if "本部分：总结的结尾段" in prompt:
        nxt = m.group(1) if (m := re.search(r"展望(.+?)，", prompt)) else "明年"
        around = f"紧紧围绕{themes[0]}，" if themes else ""
        return f"{nxt}，我们将{under}继续团结带领广大职工，{around}开拓进取、扎实工作，为本单位发展作出新的更大贡献。"
    return None


def facts_answer(prompt: str) -> str:
    """A section in plain prose built from the prompt's fact lines: one clause per fact (an opening or closing
    paragraph for a frame prompt: ``frame_answer``)."""
    frame = frame_answer(prompt)
    if frame is not None:
        return frame
    clauses = []
    for m in _FACT_LINE.finditer(prompt):
        body = m.group("body").strip()
        body = body.replace("：", "").replace("（约数）", "")
        clauses.append(body.rstrip("。"))
    if not clauses:
        return "本部分工作有序推进。"
    return "；".join(clauses) + "。"


def last_user(request: dict) -> str:
    for msg in reversed(request.get("messages", [])):
        if msg.get("role") == "user":
            content = msg.get("content")
            return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return ""


def good_script(request: dict, n: int) -> Reply:
    return Reply(facts_answer(last_user(request)))


def _completion(model: str, text: str, usage: dict) -> dict:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": usage,
    }


def _chunk(model: str, delta: dict, finish: str | None = None, usage: dict | None = None) -> str:
    body = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}] if usage is None else [],
    }
    if usage is not None:
        body["usage"] = usage
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


class ScriptedOpenAI:
    def __init__(self, script: Script = good_script, api_key: str | None = None):
        self.script = script
        self.api_key = api_key
        self.requests: list[dict] = []
        self.in_flight = 0  # chat requests received and not yet answered
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.port = _free_port()
        self.app = self._build_app()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Response:
            if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
                return JSONResponse(
                    {
                        "error": {
                            "message": "Incorrect API key",
                            "type": "invalid_request_error",
                            "code": "invalid_api_key",
                        }
                    },
                    status_code=401,
                )
            body = await request.json()
            with self._lock:
                n = len(self.requests)
                self.requests.append(body)
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                reply = self.script(body, n)
                if reply.hold is not None:  # polled: no thread per held answer
                    deadline = time.monotonic() + reply.hold_timeout
                    while not reply.hold.is_set() and time.monotonic() < deadline:
                        await asyncio.sleep(0.01)
                if reply.delay:
                    await asyncio.sleep(reply.delay)
            finally:
                with self._lock:
                    self.in_flight -= 1
            if reply.status != 200:
                return JSONResponse(
                    {"error": {"message": f"scripted {reply.status}", "type": "server_error"}},
                    status_code=reply.status,
                    headers=reply.headers,
                )
            if reply.fault == "reset":  # headers sent, then the connection dies mid-body

                async def broken():
                    yield b'{"id": "x", "choices": ['
                    raise ConnectionResetError("scripted reset")

                return StreamingResponse(broken(), media_type="application/json")
            if reply.fault == "garbage":
                return PlainTextResponse(
                    "<html>502 Bad Gateway</html>", status_code=200, headers={"content-type": "application/json"}
                )
            model = body.get("model", "scripted")
            prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": len(reply.text),
                "total_tokens": prompt_tokens + len(reply.text),
            }
            if reply.fault == "empty":
                return JSONResponse(
                    {
                        "id": "x",
                        "object": "chat.completion",
                        "created": 0,
                        "model": model,
                        "choices": [],
                        "usage": usage,
                    }
                )
            if not body.get("stream"):
                return JSONResponse(_completion(model, reply.text, usage))

            async def events():
                yield _chunk(model, {"role": "assistant", "content": ""})
                text = reply.text
                pieces = [text[i : i + 8] for i in range(0, len(text), 8)] or [""]
                if reply.fault == "truncate":
                    pieces = pieces[: max(1, len(pieces) // 2)]
                for piece in pieces:
                    yield _chunk(model, {"content": piece})
                if reply.fault == "truncate":
                    return
                yield _chunk(model, {}, "stop")
                if (body.get("stream_options") or {}).get("include_usage"):
                    yield _chunk(model, {}, usage=usage)
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> Response:
            """Deterministic embeddings (character hashing), enough to test an OpenAI embeddings client."""
            from ..backends.embeddings import HashingEmbedder

            body = await request.json()
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            with self._lock:
                self.requests.append(body)
            vectors = HashingEmbedder(dim=256).embed([str(t) for t in texts])
            data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
            return JSONResponse(
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model", "scripted"),
                    "usage": {"prompt_tokens": 0, "total_tokens": 0},
                }
            )

        @app.get("/v1/models")
        async def models() -> Response:
            return JSONResponse({"object": "list", "data": [{"id": "scripted", "object": "model"}]})

        return app

    def __enter__(self) -> ScriptedOpenAI:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.time() + 10
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("scripted OpenAI server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
