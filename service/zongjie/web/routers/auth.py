"""Signing in and out, the signed-in user's own account: password change and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...auth.policy import Principal
from ...auth.secrets import password_problem
from ...common.errors import NotFound
from ...storage.accounts import SESSION_DAYS, THROTTLE_WINDOW, AccountStore
from ..auth import SESSION_COOKIE, AccountsDep, CurrentUser
from ..deps import SettingsDep
from ..errors import errors
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class Me(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    role_label: str
    unit_id: str
    unit_name: str


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=8, max_length=200)


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class TokenOut(BaseModel):
    id: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class NewToken(BaseModel):
    id: str
    name: str
    token: str = Field(description="Shown once: send it as 'Authorization: Bearer <token>'")


def me_of(user: Principal) -> Me:
    return Me(
        id=user.user_id,
        username=user.username,
        display_name=user.display_name,
        role=str(user.role),
        role_label=user.role_label,
        unit_id=user.unit_id,
        unit_name=user.unit_name,
    )


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in(accounts: AccountStore, username: str, password: str, request: Request):
    """The user, or HTTPException 429 (throttled) / 401 (wrong name or password)."""
    address = _address(request)
    if accounts.throttled(username, address):
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise HTTPException(
            429,
            detail=f"登录失败次数过多，请 {minutes} 分钟后再试",
            headers={"Retry-After": str(int(THROTTLE_WINDOW.total_seconds()))},
        )
    user = accounts.authenticate(username, password, address)
    if user is None:
        raise HTTPException(401, detail="用户名或密码不正确")
    return user


def _set_session(response: Response, accounts: AccountStore, settings, user_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        accounts.start_session(user_id),
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
        path="/",
    )


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


# ------------------------------------------------------------------ API
@router.post("/api/auth/login", response_model=Me, tags=["auth"], responses=errors(401, 422, 429))
def api_login(request: Request, response: Response, accounts: AccountsDep, settings: SettingsDep, body: Credentials):
    """Sign in: sets the HttpOnly session cookie. Scripts should rather use an API token (POST /api/me/tokens)."""
    user = _sign_in(accounts, body.username, body.password, request)
    _set_session(response, accounts, settings, user.id)
    accounts.audit(accounts.principal(user), "login", "user", user.id, "登录")
    return me_of(accounts.principal(user))


@router.post("/api/auth/logout", status_code=204, tags=["auth"])
def api_logout(request: Request, accounts: AccountsDep):
    """Sign out (ends this session)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", response_model=Me, tags=["auth"], responses=errors(401))
def api_me(user: CurrentUser):
    """The signed-in user, their role and unit."""
    return me_of(user)


@router.post("/api/me/password", status_code=204, tags=["auth"], responses=errors(401, 403, 422))
def api_password(request: Request, user: CurrentUser, accounts: AccountsDep, body: PasswordChange):
    """Change the own password; every other session of the user ends and every API token is revoked."""
    _change_password(request, user, accounts, body.current_password, body.new_password)
    return Response(status_code=204)


def _change_password(request: Request, user: Principal, accounts: AccountStore, current: str, new: str) -> None:
    if not accounts.check_password(user.user_id, current):
        raise HTTPException(403, detail="当前密码不正确")
    problem = password_problem(new)
    if problem:
        raise HTTPException(422, detail=problem)
    accounts.set_password(user.user_id, new, keep_session=request.cookies.get(SESSION_COOKIE))
    accounts.audit(user, "password", "user", user.user_id, "修改密码")


@router.get("/api/me/tokens", response_model=list[TokenOut], tags=["auth"], responses=errors(401))
def api_tokens(user: CurrentUser, accounts: AccountsDep):
    """The user's API tokens (never the token itself)."""
    return [TokenOut(**vars(t)) for t in accounts.tokens(user.user_id)]


@router.post("/api/me/tokens", response_model=NewToken, status_code=201, tags=["auth"], responses=errors(401, 422))
def api_create_token(user: CurrentUser, accounts: AccountsDep, body: TokenRequest):
    """A new API token for scripts; the answer is the only time it is shown (it is stored hashed)."""
    token_id, raw = accounts.create_token(user.user_id, body.name)
    accounts.audit(user, "create", "token", token_id, f"新建 API 令牌「{body.name}」")
    return NewToken(id=token_id, name=body.name, token=raw)


@router.delete("/api/me/tokens/{token_id}", status_code=204, tags=["auth"], responses=errors(401, 404))
def api_revoke_token(user: CurrentUser, accounts: AccountsDep, token_id: str):
    """Revoke one of the user's API tokens."""
    _revoke(user, accounts, token_id)
    return Response(status_code=204)


def _revoke(user: Principal, accounts: AccountStore, token_id: str) -> None:
    try:
        accounts.revoke_token(user.user_id, token_id)
    except NotFound:
        raise HTTPException(404, detail="没有找到这个令牌") from None
    accounts.audit(user, "revoke", "token", token_id, "吊销 API 令牌")


# ------------------------------------------------------------------ pages
@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def page_login(request: Request, next: str = "/"):
    return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login", include_in_schema=False)
def page_login_post(
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    _: CsrfDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
):
    try:
        user = _sign_in(accounts, username.strip(), password, request)
    except HTTPException as exc:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"next": _safe_next(next), "error": exc.detail, "username": username},
            status_code=exc.status_code,
            headers=exc.headers,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session(response, accounts, settings, user.id)
    accounts.audit(accounts.principal(user), "login", "user", user.id, "登录")
    return response


@router.post("/logout", include_in_schema=False)
def page_logout(request: Request, accounts: AccountsDep, _: CsrfDep):
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_page(request: Request, user: Principal, accounts: AccountStore, status_code: int = 200, **extra):
    return templates.TemplateResponse(
        request,
        "account.html",
        {"tokens": accounts.tokens(user.user_id), "message": None, "error": None, "new_token": None, **extra},
        status_code=status_code,
    )


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def page_account(request: Request, user: CurrentUser, accounts: AccountsDep):
    return _account_page(request, user, accounts)


@router.post("/account/password", include_in_schema=False)
def page_password(
    request: Request,
    user: CurrentUser,
    accounts: AccountsDep,
    _: CsrfDep,
    current_password: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=200)] = "",
    new_password2: Annotated[str, Form(max_length=200)] = "",
):
    if new_password != new_password2:
        return _account_page(request, user, accounts, 422, error="两次输入的新密码不一致")
    try:
        _change_password(request, user, accounts, current_password, new_password)
    except HTTPException as exc:
        return _account_page(request, user, accounts, exc.status_code, error=exc.detail)
    return _account_page(request, user, accounts, message="密码已修改：其他设备上的登录已退出，API 令牌已全部吊销")


@router.post("/account/tokens", include_in_schema=False)
def page_create_token(
    request: Request, user: CurrentUser, accounts: AccountsDep, _: CsrfDep, name: Annotated[str, Form()] = ""
):
    name = name.strip()[:120]
    if not name:
        return _account_page(request, user, accounts, 422, error="请填写令牌用途，例如「导入脚本」")
    token_id, raw = accounts.create_token(user.user_id, name)
    accounts.audit(user, "create", "token", token_id, f"新建 API 令牌「{name}」")
    return _account_page(request, user, accounts, new_token=raw)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def page_revoke_token(user: CurrentUser, accounts: AccountsDep, token_id: str, _: CsrfDep):
    _revoke(user, accounts, token_id)
    return RedirectResponse("/account", status_code=303)
