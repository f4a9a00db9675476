"""Cross-site request protection and safe headers.

- Every response carries a CSRF cookie (``zj_csrf``, HttpOnly, SameSite=Strict, Secure when the session cookie is);
  HTML forms echo it in a hidden field and form routes check it (``CsrfDep``).
- Unsafe requests (POST, PUT, PATCH, DELETE) must come from this origin unless they carry an API token
  (``Authorization: Bearer``, which a browser never adds cross-site): an ``Origin`` that is another host or
  ``null``, or ``Sec-Fetch-Site`` other than same-origin, is refused (403) before any route runs — multipart uploads
  included. A request signed in by the session cookie must prove it: a same-origin ``Origin`` or
  ``Sec-Fetch-Site: same-origin`` (every browser sends one of them); without either it is refused too (a cookie
  that signs nobody in gets the usual 401).
- A strict Content-Security-Policy: scripts only from this origin (no inline event handlers), no framing.
- ``Cache-Control: no-store`` on every API answer and every page answered to a signed-in browser.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse

from .auth import SESSION_COOKIE, credentials

COOKIE = "zj_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


CROSS_SITE = "拒绝跨站提交：请从本系统的页面提交（脚本请使用 API 令牌）"


def cross_site(request: Request) -> bool | None:
    """True when an unsafe request may not be this site's own, False when it may; None when that depends on
    whether its session cookie signs someone in (no Origin, no Sec-Fetch-Site): see the module docstring."""
    if request.method not in UNSAFE or request.headers.get("authorization", "")[:7].lower() == "bearer ":
        return False
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site != "same-origin"
    origin = request.headers.get("origin")
    if origin is not None:
        own = {request.headers.get("host", ""), urlsplit(request.app.state.settings.public_url).netloc}
        return origin == "null" or urlsplit(origin).netloc not in own
    return None if SESSION_COOKIE in request.cookies else False


async def _signed_in_by_cookie(request: Request) -> bool:
    user, _ = await asyncio.to_thread(credentials, request, request.app.state.accounts)
    return user is not None and not user.via_token


def private(request: Request) -> bool:
    """An answer no cache may keep: every API answer, every page of a signed-in browser (not static files)."""
    path = request.url.path
    if path.startswith(("/static/", "/docs-assets/")):
        return False
    return path.startswith("/api/") or SESSION_COOKIE in request.cookies


async def security_middleware(request: Request, call_next):
    refused = cross_site(request)
    if refused is None:  # no proof of origin: refused if the cookie signs someone in (an unknown one answers 401)
        refused = await _signed_in_by_cookie(request)
    if refused:
        return JSONResponse({"detail": CROSS_SITE, "problems": []}, status_code=403)
    token = request.cookies.get(COOKIE)
    fresh = token is None or len(token) != 43
    if fresh:
        token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    response = await call_next(request)
    if fresh:
        secure = request.app.state.settings.cookies_secure
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure)
    if private(request):
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    cookie = request.cookies.get(COOKIE)
    if not cookie or not secrets.compare_digest(cookie, csrf_token or ""):
        raise HTTPException(403, detail="表单已过期或来源不明，请刷新页面后重新提交（已填写的内容不会丢失）")


CsrfDep = Annotated[None, Depends(check_csrf)]
