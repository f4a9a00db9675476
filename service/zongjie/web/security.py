"""Cross-site request protection and safe headers.

- Every response carries a CSRF cookie (``zj_csrf``, SameSite=Strict); HTML forms echo it in a hidden field and
  form routes check it (``CsrfDep``). JSON bodies cannot be posted cross-site without a CORS preflight, which this
  service never grants.
- Unsafe requests whose ``Origin`` is another host, or whose ``Sec-Fetch-Site`` says cross-site, are refused (403)
  before any route runs — this covers multipart uploads too.
- A strict Content-Security-Policy: scripts only from this origin (no inline event handlers), no framing.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse

COOKIE = "zj_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


async def security_middleware(request: Request, call_next):
    if request.method in UNSAFE:
        origin = request.headers.get("origin")
        host = request.headers.get("host", "")
        if request.headers.get("sec-fetch-site") == "cross-site" or (
            origin and origin != "null" and urlsplit(origin).netloc != host
        ):
            return JSONResponse({"detail": "拒绝跨站提交"}, status_code=403)
    token = request.cookies.get(COOKIE)
    fresh = token is None or len(token) != 43
    if fresh:
        token = secrets.token_urlsafe(32)
    request.state.csrf_token = token
    response = await call_next(request)
    if fresh:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
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
