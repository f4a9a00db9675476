"""Admins: the unit tree, users (roles, units, password resets, deactivation) and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, StrictBool

from ...auth.policy import ROLE_LABELS, Principal, Role
from ...auth.secrets import password_problem
from ...common.errors import NotFound
from ...storage.accounts import AccountStore, AuditEntry, Conflict, Unit
from ..audit_names import object_names
from ..auth import AccountsDep, AdminUser, CurrentUser
from ..deps import KBDep, StoreDep
from ..errors import errors
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()

UnitType = Literal["county_federation", "township", "hospital", "enterprise", "bureau", "school", "other"]
RoleName = Literal["clerk", "editor", "admin"]
B = TypeVar("B", bound=BaseModel)


class UnitOut(BaseModel):
    id: str
    name: str
    unit_type: str
    parent_id: str | None


class UnitCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    unit_type: UnitType = "other"
    parent_id: str | None = Field(None, description="The unit above; null only for a new top unit")


class UnitChange(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=120)
    unit_type: UnitType | None = None
    parent_id: str | None = None


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: RoleName
    unit_id: str
    active: bool
    created_at: str


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]+$")
    password: str = Field(min_length=8, max_length=200)
    role: RoleName
    unit_id: str
    display_name: str = Field("", max_length=120)


class UserChange(BaseModel):
    role: RoleName | None = None
    unit_id: str | None = None
    display_name: str | None = Field(None, max_length=120)
    active: StrictBool | None = None


class PasswordReset(BaseModel):
    new_password: str = Field(min_length=8, max_length=200)


class AuditOut(AuditEntry):
    pass


def _unit_out(u: Unit) -> UnitOut:
    return UnitOut(id=u.id, name=u.name, unit_type=u.unit_type, parent_id=u.parent_id)


# ------------------------------------------------------------------ operations shared by API and pages
def create_unit(accounts: AccountStore, admin: Principal, body: UnitCreate) -> str:
    try:
        unit_id = accounts.create_unit(body.name.strip(), body.unit_type, body.parent_id or None)
    except NotFound:
        raise HTTPException(422, detail="上级单位不存在") from None
    accounts.audit(admin, "create", "unit", unit_id, f"新建单位「{body.name}」", unit_id)
    return unit_id


def _unit_or_404(accounts: AccountStore, unit_id: str) -> Unit:
    try:
        return accounts.unit(unit_id)
    except NotFound:
        raise HTTPException(404, detail="没有找到这个单位") from None


def _unit_changes(accounts: AccountStore, before: Unit, after: Unit) -> str:
    """「名称 A → B；上级单位 X → Y」: what a change of a unit did, for the audit log."""
    parts = []
    if before.name != after.name:
        parts.append(f"名称「{before.name}」→「{after.name}」")
    if before.parent_id != after.parent_id:
        names = {u.id: u.name for u in accounts.units()}
        was, now = names.get(before.parent_id or "", "无"), names.get(after.parent_id or "", "无")
        parts.append(f"上级单位「{was}」→「{now}」")
    return "；".join(parts)


def change_unit(accounts: AccountStore, admin: Principal, unit_id: str, change: dict) -> Unit:
    before = _unit_or_404(accounts, unit_id)
    try:
        unit = accounts.update_unit(unit_id, **change)
    except NotFound as exc:
        missing = exc.key
        raise HTTPException(404 if missing == unit_id else 422, detail="没有找到这个单位") from None
    except Conflict as exc:
        raise HTTPException(409, detail=str(exc)) from None
    what = _unit_changes(accounts, before, unit)
    accounts.audit(admin, "update", "unit", unit_id, f"修改单位「{before.name}」：{what or '未改动'}", unit_id, change)
    return unit


def create_user(accounts: AccountStore, admin: Principal, body: UserCreate) -> str:
    problem = password_problem(body.password)
    if problem:
        raise HTTPException(422, detail=problem)
    try:
        user_id = accounts.create_user(
            body.username, body.password, Role(body.role), body.unit_id, body.display_name.strip()
        )
    except NotFound:
        raise HTTPException(422, detail="单位不存在") from None
    except Conflict as exc:
        raise HTTPException(409, detail=str(exc)) from None
    summary = f"新建用户 {body.username}（{ROLE_LABELS[Role(body.role)]}）"
    accounts.audit(admin, "create", "user", user_id, summary, body.unit_id)
    return user_id


def change_user(accounts: AccountStore, admin: Principal, user_id: str, change: dict):
    if user_id == admin.user_id and (change.get("active") is False or change.get("role", "admin") != "admin"):
        raise HTTPException(409, detail="不能停用自己或取消自己的管理员身份")
    try:
        user = accounts.update_user(user_id, **change)
    except NotFound as exc:
        missing = exc.key
        raise HTTPException(404 if missing == user_id else 422, detail="没有找到这个用户或单位") from None
    accounts.audit(admin, "update", "user", user_id, f"修改用户 {user.username}", user.unit_id, change)
    return user


def reset_password(accounts: AccountStore, admin: Principal, user_id: str, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise HTTPException(422, detail=problem)
    try:
        accounts.set_password(user_id, password)
    except NotFound:
        raise HTTPException(404, detail="没有找到这个用户") from None
    accounts.audit(admin, "password", "user", user_id, "重设密码")


# ------------------------------------------------------------------ API
@router.get("/api/units", response_model=list[UnitOut], tags=["units"], responses=errors(401))
def api_units(user: CurrentUser, accounts: AccountsDep):
    """Units the user can see: admins all, editors their unit and those below, clerks their own."""
    visible = user.visible_units()
    return [_unit_out(u) for u in accounts.units() if visible is None or u.id in visible]


@router.post("/api/units", response_model=UnitOut, status_code=201, tags=["units"], responses=errors(401, 403, 422))
def api_create_unit(admin: AdminUser, accounts: AccountsDep, body: UnitCreate):
    """Add a unit under ``parent_id`` (admins)."""
    return _unit_out(accounts.unit(create_unit(accounts, admin, body)))


@router.patch("/api/units/{unit_id}", response_model=UnitOut, tags=["units"], responses=errors(401, 403, 404, 409, 422))
def api_change_unit(admin: AdminUser, accounts: AccountsDep, unit_id: str, body: UnitChange):
    """Rename a unit, change its type or move it under another unit (admins)."""
    return _unit_out(change_unit(accounts, admin, unit_id, body.model_dump(exclude_unset=True, exclude_none=True)))


@router.get("/api/users", response_model=list[UserOut], tags=["users"], responses=errors(401, 403))
def api_users(admin: AdminUser, accounts: AccountsDep):
    return [UserOut(**{**vars(u), "role": str(u.role)}) for u in accounts.users()]


@router.post(
    "/api/users", response_model=UserOut, status_code=201, tags=["users"], responses=errors(401, 403, 409, 422)
)
def api_create_user(admin: AdminUser, accounts: AccountsDep, body: UserCreate):
    """Create a user with a role and a unit (admins)."""
    u = accounts.user(create_user(accounts, admin, body))
    return UserOut(**{**vars(u), "role": str(u.role)})


@router.patch("/api/users/{user_id}", response_model=UserOut, tags=["users"], responses=errors(401, 403, 404, 409, 422))
def api_change_user(admin: AdminUser, accounts: AccountsDep, user_id: str, body: UserChange):
    """Change a user's role, unit, name; ``active: false`` signs them out everywhere (admins)."""
    u = change_user(accounts, admin, user_id, body.model_dump(exclude_unset=True, exclude_none=True))
    return UserOut(**{**vars(u), "role": str(u.role)})


@router.post("/api/users/{user_id}/password", status_code=204, tags=["users"], responses=errors(401, 403, 404, 422))
def api_reset_password(admin: AdminUser, accounts: AccountsDep, user_id: str, body: PasswordReset):
    """Set a new password for a user (admins); their sessions end and their API tokens are revoked."""
    reset_password(accounts, admin, user_id, body.new_password)
    return Response(status_code=204)


@router.get("/api/audit", response_model=list[AuditOut], tags=["audit"], responses=errors(401, 403, 422))
def api_audit(
    admin: AdminUser,
    accounts: AccountsDep,
    kind: Annotated[str | None, Query(max_length=16)] = None,
    object_id: Annotated[str | None, Query(max_length=120)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
):
    """Who changed which fact sheet, draft version, user, unit or knowledge-base document, and when (admins)."""
    return accounts.audit_log(kind, object_id, limit, offset)


# ------------------------------------------------------------------ pages
# The type a new unit below a unit of this type usually has (the form's default; the admin may pick another).
CHILD_TYPE = {"county_federation": "township", "township": "enterprise", "bureau": "other"}


def _done_message(accounts: AccountStore, done: str, object_id: str) -> str | None:
    """The confirmation after a form succeeded, naming what was made or changed (looked up, never echoed)."""
    try:
        if done in ("unit_created", "unit_changed"):
            name = accounts.unit(object_id).name
            return f"已新建单位「{name}」" if done == "unit_created" else f"已保存单位「{name}」"
        if done in ("user_created", "user_changed"):
            user = next(u for u in accounts.users() if u.id == object_id)
            return f"已新建用户 {user.username}" if done == "user_created" else f"已保存用户 {user.username}"
    except (NotFound, StopIteration):
        return None
    return None


def _units_page(
    request: Request,
    accounts: AccountStore,
    status_code: int = 200,
    error: str | None = None,
    typed: dict | None = None,
    done: str | None = None,
):
    units = accounts.units()
    children: dict[str | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    ordered: list[tuple[int, Unit]] = []

    def walk(parent, depth):
        for u in children.get(parent, []):
            ordered.append((depth, u))
            walk(u.id, depth + 1)

    walk(None, 0)
    names = {u.id: u.name for u in units}
    return templates.TemplateResponse(
        request,
        "admin_units.html",
        {
            "tree": ordered,
            "users": accounts.users(),
            "names": names,
            "roles": ROLE_LABELS,
            "error": error,
            "done": done,
            "typed": typed or {},  # a refused form's values, shown again in it
            "child_type": CHILD_TYPE,
        },
        status_code=status_code,
    )


def _form_done(
    request: Request, accounts: AccountStore, action: Callable[[], object], done: str = "", typed: dict | None = None
) -> Response:
    """Run an admin form's ``action``: back to the units page (303) with a confirmation naming what it made or
    changed (``done``; the action returns the object's id); when it is refused (``HTTPException``), the units page
    again with the message, the refusal's status and the form's values (``typed``) in the form."""
    try:
        object_id = action()
    except HTTPException as exc:
        return _units_page(request, accounts, exc.status_code, exc.detail, typed)
    if done and isinstance(object_id, str):
        return RedirectResponse(f"/admin/units?done={done}&id={object_id}", status_code=303)
    return RedirectResponse("/admin/units", status_code=303)


def _form_body(model: type[B], message: str, **fields: object) -> B:
    """The form's fields as ``model``, or 422 with ``message`` (what to fill in, in Chinese)."""
    try:
        return model.model_validate(fields)
    except ValueError:
        raise HTTPException(422, detail=message) from None


@router.get("/admin/units", response_class=HTMLResponse, include_in_schema=False)
def page_units(
    request: Request,
    admin: AdminUser,
    accounts: AccountsDep,
    done: Annotated[str, Query(max_length=20)] = "",
    id: Annotated[str, Query(max_length=64)] = "",
):
    return _units_page(request, accounts, done=_done_message(accounts, done, id) if done else None)


@router.post("/admin/units", include_in_schema=False)
def page_create_unit(
    request: Request,
    admin: AdminUser,
    accounts: AccountsDep,
    _: CsrfDep,
    name: Annotated[str, Form(max_length=120)] = "",
    unit_type: Annotated[str, Form()] = "other",
    parent_id: Annotated[str, Form()] = "",
):
    def action():
        fields = {"name": name.strip(), "unit_type": unit_type, "parent_id": parent_id or None}
        return create_unit(accounts, admin, _form_body(UnitCreate, "请填写单位名称并选择单位类型", **fields))

    typed = {"unit": {"name": name, "unit_type": unit_type, "parent_id": parent_id}}
    return _form_done(request, accounts, action, "unit_created", typed)


@router.post("/admin/units/{unit_id}", include_in_schema=False)
def page_change_unit(
    request: Request,
    admin: AdminUser,
    accounts: AccountsDep,
    unit_id: str,
    _: CsrfDep,
    name: Annotated[str, Form(max_length=120)] = "",
    parent_id: Annotated[str, Form()] = "",
):
    current = _unit_or_404(accounts, unit_id)
    if not name.strip():  # a unit always has a name: spaces are not one
        return _units_page(request, accounts, 422, f"单位名称不能为空（不能只有空格）：「{current.name}」未修改")
    change: dict = {}
    if name.strip() != current.name:
        change["name"] = name.strip()
    if parent_id and parent_id != current.parent_id:
        change["parent_id"] = parent_id
    if not change:  # nothing to change: nothing done, nothing logged
        return _units_page(request, accounts, done=f"「{current.name}」没有改动")
    return _form_done(request, accounts, lambda: change_unit(accounts, admin, unit_id, change).id, "unit_changed")


@router.post("/admin/users", include_in_schema=False)
def page_create_user(
    request: Request,
    admin: AdminUser,
    accounts: AccountsDep,
    _: CsrfDep,
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form()] = "clerk",
    unit_id: Annotated[str, Form()] = "",
):
    def action():
        fields = {
            "username": username.strip(),
            "password": password,
            "role": role,
            "unit_id": unit_id,
            "display_name": display_name,
        }
        message = "用户名（2 位以上字母、数字或汉字）、密码（至少 8 位）、角色和单位都要填写"
        return create_user(accounts, admin, _form_body(UserCreate, message, **fields))

    typed = {"user": {"username": username, "display_name": display_name, "role": role, "unit_id": unit_id}}
    typed["user"]["password"] = password  # the initial password typed, back in its field (the page is no-store)
    return _form_done(request, accounts, action, "user_created", typed)


@router.post("/admin/users/{user_id}", include_in_schema=False)
def page_change_user(
    request: Request,
    admin: AdminUser,
    accounts: AccountsDep,
    user_id: str,
    _: CsrfDep,
    role: Annotated[str, Form()] = "",
    unit_id: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form(max_length=200)] = "",
):
    change: dict = {}
    if role in ("clerk", "editor", "admin"):
        change["role"] = role
    if unit_id:
        change["unit_id"] = unit_id
    if active in ("0", "1"):
        change["active"] = active == "1"

    def action():
        if change:
            change_user(accounts, admin, user_id, change)
        if new_password:
            reset_password(accounts, admin, user_id, new_password)
        return user_id

    return _form_done(request, accounts, action, "user_changed")


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def page_audit(
    request: Request, admin: AdminUser, accounts: AccountsDep, store: StoreDep, kb: KBDep, kind: str = "", page: int = 0
):
    """The audit log: who did what to which object (named, never by id), when (in the users' time zone)."""
    page = max(0, min(page, 10**6))
    entries = accounts.audit_log(kind[:16] or None, None, 100, page * 100)
    names = object_names(entries, accounts, store, kb)
    context = {"entries": entries, "kind": kind, "page": page, "names": names}
    return templates.TemplateResponse(request, "audit.html", context)
