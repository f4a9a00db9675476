"""Who is asking, and may they: ``Annotated`` dependencies for routes.

- ``CurrentUser``: the signed-in ``Principal`` from the session cookie (``zj_session``: HttpOnly, SameSite=Lax,
  Secure in production) or an ``Authorization: Bearer zjt_…`` API token; otherwise 401 (pages redirect to /login).
- ``AdminUser``: 403 unless the user is an admin.
- ``ReadableFactSheet`` / ``WritableFactSheet`` / ``ReadableDraft`` / ``WritableDraft`` / ``CommentableDraft`` /
  ``ReviewableDraft`` / ``ReadableJob``: load the object named by the path and apply the policy with the unit that
  owns it. An object the user may not even read answers 404 (its existence is not revealed); one they may read but
  not change answers 403. Deleted objects are 404 for everyone but admins.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from ..auth.policy import Action, Principal, allowed
from ..common.errors import NotFound
from ..storage.accounts import AccountStore
from ..storage.records import StoredDraft, StoredFactSheet, StoredJob
from ..storage.review import ReviewStore
from .deps import StoreDep

SESSION_COOKIE = "zj_session"

PUBLIC_API = frozenset({"/api/auth/login", "/api/auth/logout"})


async def credentials_gate(request: Request, call_next):
    """An /api/ request without a valid credential (no session cookie or API token, or one that is unknown, expired
    or revoked) is answered 401 before its body is even read — so an upload or a malformed body never gets a 400
    or 422 from someone who has not signed in. Defence in depth behind the per-route ``CurrentUser`` dependencies,
    which reuse the principal found here."""
    path = request.url.path
    if path.startswith("/api/") and path not in PUBLIC_API:
        user, problem = await asyncio.to_thread(credentials, request, request.app.state.accounts)
        if user is None:
            return JSONResponse(
                {"detail": problem or "请先登录", "problems": []},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
    return await call_next(request)


def credentials(request: Request, accounts: AccountStore) -> tuple[Principal | None, str | None]:
    """The principal of the request's API token or session cookie, or (None, why) — computed once per request."""
    cached = getattr(request.state, "credentials", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    result: tuple[Principal | None, str | None]
    if header[:7].lower() == "bearer ":
        user = accounts.token_user(header[7:].strip())
        result = (accounts.principal(user, via_token=True), None) if user else (None, "API 令牌无效或已吊销")
    else:  # other schemes (a proxy's Basic, say) are not ours: the session cookie decides
        token = request.cookies.get(SESSION_COOKIE)
        user = accounts.session_user(token) if token else None
        result = (accounts.principal(user), None) if user else (None, None)
    request.state.credentials = result
    return result


def get_accounts(request: Request) -> AccountStore:
    return request.app.state.accounts


def get_reviews(request: Request) -> ReviewStore:
    return request.app.state.reviews


AccountsDep = Annotated[AccountStore, Depends(get_accounts)]
ReviewsDep = Annotated[ReviewStore, Depends(get_reviews)]


def optional_user(request: Request, accounts: AccountsDep) -> Principal | None:
    user, problem = credentials(request, accounts)
    if problem:
        raise HTTPException(401, detail=problem, headers={"WWW-Authenticate": "Bearer"})
    request.state.user = user
    return user


def current_user(user: Annotated[Principal | None, Depends(optional_user)]) -> Principal:
    if user is None:
        raise HTTPException(401, detail="请先登录", headers={"WWW-Authenticate": "Bearer"})
    return user


def admin_user(user: Annotated[Principal, Depends(current_user)]) -> Principal:
    if not user.is_admin:
        raise HTTPException(403, detail="需要管理员权限")
    return user


OptionalUser = Annotated[Principal | None, Depends(optional_user)]
CurrentUser = Annotated[Principal, Depends(current_user)]
AdminUser = Annotated[Principal, Depends(admin_user)]

DENIED = {
    Action.write: "没有权限修改：只有本单位的填报员可以修改",
    Action.comment: "没有权限批注这份草稿",
    Action.review: "没有权限审核：只有上级单位或本单位的审核员可以通过或退回",
    Action.manage: "需要管理员权限",
}


def authorize(user: Principal, action: Action, unit_id: str | None, deleted: bool, missing: str) -> None:
    """404 when the user may not read the object (or it is deleted and they are no admin), 403 when they may read
    but not do ``action``."""
    if (deleted and not user.is_admin) or not allowed(user, Action.read, unit_id):
        raise HTTPException(404, detail=missing)
    if not allowed(user, action, unit_id):
        raise HTTPException(403, detail=DENIED[action])


def factsheet_unit(accounts: AccountStore, factsheet_id: str) -> tuple[str | None, bool]:
    rec = accounts.record("factsheet", factsheet_id)
    return (rec.unit_id, rec.deleted_at is not None) if rec else (None, False)


def _factsheet(store, accounts: AccountStore, user: Principal, factsheet_id: str, action: Action) -> StoredFactSheet:
    stored = store.factsheet(factsheet_id)  # NotFound → 404 in the app's handler
    unit, deleted = factsheet_unit(accounts, factsheet_id)
    authorize(user, action, unit, deleted, "没有找到这份事实表")
    return stored


@dataclass
class DraftAccess:
    draft: StoredDraft
    unit_id: str | None


def _draft(store, accounts: AccountStore, user: Principal, draft_id: str, action: Action) -> DraftAccess:
    draft = store.draft(draft_id)  # NotFound → 404 in the app's handler
    unit, deleted = factsheet_unit(accounts, draft.factsheet_id)
    rec = accounts.record("draft", draft_id)
    authorize(user, action, unit, deleted or bool(rec and rec.deleted_at), "没有找到这份草稿")
    return DraftAccess(draft, unit)


def _dep_factsheet(action: Action):
    def dep(factsheet_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep) -> StoredFactSheet:
        return _factsheet(store, accounts, user, factsheet_id, action)

    return dep


def _dep_draft(action: Action):
    def dep(draft_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep) -> DraftAccess:
        return _draft(store, accounts, user, draft_id, action)

    return dep


def readable_job(job_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep) -> StoredJob:
    job = store.job(job_id)  # NotFound → 404 in the app's handler
    unit, deleted = job_unit(accounts, job)
    authorize(user, Action.read, unit, deleted, "没有找到这个起草任务")
    return job


def job_unit(accounts: AccountStore, job: StoredJob) -> tuple[str | None, bool]:
    """The unit a job belongs to — the one recorded when it was requested, else its fact sheet's — and whether its
    fact sheet is deleted. A job of no unit (None) is for admins only."""
    unit, deleted = factsheet_unit(accounts, job.factsheet_id) if job.factsheet_id else (None, False)
    rec = accounts.record("job", job.id)
    return (rec.unit_id if rec is not None else unit), deleted


ReadableFactSheet = Annotated[StoredFactSheet, Depends(_dep_factsheet(Action.read))]
WritableFactSheet = Annotated[StoredFactSheet, Depends(_dep_factsheet(Action.write))]
ReadableDraft = Annotated[DraftAccess, Depends(_dep_draft(Action.read))]
WritableDraft = Annotated[DraftAccess, Depends(_dep_draft(Action.write))]
CommentableDraft = Annotated[DraftAccess, Depends(_dep_draft(Action.comment))]
ReviewableDraft = Annotated[DraftAccess, Depends(_dep_draft(Action.review))]
ReadableJob = Annotated[StoredJob, Depends(readable_job)]


def visible_factsheets(user: Principal, store, accounts: AccountStore) -> list[StoredFactSheet]:
    """The fact sheets this user may read, newest first, deleted ones left out."""
    records = accounts.records("factsheet")
    units = user.visible_units()
    out = []
    for f in store.factsheets():
        rec = records.get(f.id)
        if rec and rec.deleted_at:
            continue
        unit = rec.unit_id if rec else None
        if units is None or unit in units:
            out.append(f)
    return out


def visible_drafts(user: Principal, store, accounts: AccountStore, factsheet_id: str | None = None):
    sheets = {f.id for f in visible_factsheets(user, store, accounts)}
    deleted = {k for k, r in accounts.records("draft").items() if r.deleted_at}
    return [d for d in store.drafts(factsheet_id) if d.factsheet_id in sheets and d.id not in deleted]


def owning_unit(user: Principal, accounts: AccountStore, unit_id: str | None) -> str:
    """The unit a new fact sheet belongs to: the user's own, or (admins) any existing unit they name."""
    if unit_id is None or unit_id == user.unit_id:
        if not allowed(user, Action.write, user.unit_id):
            raise HTTPException(403, detail=DENIED[Action.write])
        return user.unit_id
    if not user.is_admin:
        raise HTTPException(403, detail="只能为本单位填写事实表")
    try:
        return accounts.unit(unit_id).id
    except NotFound:
        raise HTTPException(422, detail="没有这个单位", headers=None) from None
