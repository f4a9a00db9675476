"""Gates every request passes before the app: the Host allow-list and one request-body limit for every route.

``AllowedHosts``: starlette's ``TrustedHostMiddleware`` (``Settings.allowed_hosts``), answering a Host that is not
listed with the error model (400, 「不接受这个主机名」).

``BodyLimitMiddleware``: one request-body limit for every route — Starlette's ``RequestBodyLimitMiddleware`` (a
pure ASGI middleware counting body bytes as they arrive), with the limit chosen by content type:
``multipart/form-data`` (file uploads) up to ``Settings.max_upload_request_mb``, every other body (JSON, forms) up to
``Settings.max_body_bytes``; each uploaded file is further limited to ``max_upload_mb``.
- ``Content-Length`` is checked first: a declared body over the limit is answered 413 before the app runs.
- A body without a length (chunked) is counted as it streams; the read that crosses the limit raises Starlette's 413,
  which the app answers with its error model (``too_large``: JSON for the API, the error page for pages). Nothing
  past the limit is ever buffered. Starlette's own plain-text 413 is rewritten into the error model.
"""

from __future__ import annotations

import json
from html import escape

from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY, RequestBodyLimitMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _size(n: int) -> str:
    return f"{n / 1_048_576:g} MB" if n >= 1_048_576 else f"{n // 1024} KB"


def _is_upload(headers: dict[bytes, bytes]) -> bool:
    return headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")


def too_large(scope: Scope) -> str:
    """What a 413 says: which kind of body, and its limit (the one the middleware put in the scope)."""
    limit = scope.get(MAX_BODY_SIZE_SCOPE_KEY, 0)
    what = "上传的文件" if _is_upload(dict(scope.get("headers") or [])) else "提交的内容"
    return f"{what}太大：每次请求最多 {_size(limit)}"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body: int, max_upload: int):
        self.app = app
        self.limits = {False: (max_body, RequestBodyLimitMiddleware(app, max_body))}
        self.limits[True] = (max_upload, RequestBodyLimitMiddleware(app, max_upload))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        limit, limited = self.limits[_is_upload(headers)]
        declared = headers.get(b"content-length", b"").strip()
        if declared and not declared.isdigit():
            await _refuse(send, 400, "Content-Length 无效", scope)
            return
        if declared and int(declared) > limit:
            await _refuse(send, 413, too_large({**scope, MAX_BODY_SIZE_SCOPE_KEY: limit}), scope)
            return
        plain_413 = False

        async def answer(message: Message) -> None:  # Starlette's own plain-text 413 → the error model
            nonlocal plain_413
            if message["type"] == "http.response.start" and message["status"] == 413:
                kind = dict(message.get("headers") or []).get(b"content-type", b"")
                if kind.startswith(b"text/plain"):
                    plain_413 = True
                    await _refuse(send, 413, too_large({**scope, MAX_BODY_SIZE_SCOPE_KEY: limit}), scope)
                    return
            if not plain_413:
                await send(message)

        await limited(scope, receive, answer)


def _wants_html(scope: Scope) -> bool:
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    return not scope.get("path", "").startswith("/api/") and b"text/html" in accept


async def _refuse(send: Send, status: int, detail: str, scope: Scope | None = None) -> None:
    """The error model (JSON), or for a browser's page request a short Chinese page saying the same."""
    if scope is not None and _wants_html(scope):
        text = escape(detail)
        page = f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text}</title><h1>{text}</h1>'
        body, kind = (page + "<p>请返回上一页，减少内容后再提交。</p></html>").encode(), b"text/html; charset=utf-8"
    else:
        body, kind = json.dumps({"detail": detail, "problems": []}, ensure_ascii=False).encode(), b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AllowedHosts(TrustedHostMiddleware):
    """``TrustedHostMiddleware`` whose refusal is the error model, not plain text."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]):
        async def passed(scope: Scope, receive: Receive, send: Send) -> None:
            scope["zongjie.host_ok"] = True
            await app(scope, receive, send)

        super().__init__(passed, allowed_hosts=allowed_hosts, www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def answer(message: Message) -> None:
            if scope.get("zongjie.host_ok"):
                await send(message)
            elif message["type"] == "http.response.start":
                await _refuse(send, message["status"], "不接受这个主机名（Host）：请使用本系统的正式地址访问")

        await super().__call__(scope, receive, answer)
