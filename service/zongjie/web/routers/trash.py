"""Deleting fact sheets and drafts (soft: the rows stay) and restoring them (admins)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ...auth.policy import Principal
from ...common.errors import NotFound
from ...storage.accounts import AccountStore
from ..auth import AccountsDep, AdminUser, CurrentUser, DraftAccess, WritableDraft, WritableFactSheet, factsheet_unit
from ..deps import StoreDep
from ..errors import errors
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()

Kind = Literal["factsheet", "draft"]


class DeletedOut(BaseModel):
    kind: Kind
    id: str
    title: str
    unit_id: str | None
    deleted_at: str


def _title(store, kind: str, object_id: str) -> str:
    try:
        if kind == "factsheet":
            f = store.factsheet(object_id)
            return f"{f.unit_name} {f.year}"
        return store.draft(object_id).title
    except NotFound:
        return object_id


def delete(store, accounts: AccountStore, user: Principal, kind: str, object_id: str, unit_id: str | None) -> None:
    accounts.set_deleted(kind, object_id, user.user_id, True)
    what = "事实表" if kind == "factsheet" else "草稿"
    accounts.audit(user, "delete", kind, object_id, f"删除{what}「{_title(store, kind, object_id)}」", unit_id)


def restore(store, accounts: AccountStore, admin: Principal, kind: str, object_id: str) -> None:
    try:
        if kind == "factsheet":
            store.factsheet(object_id)
            unit, _ = factsheet_unit(accounts, object_id)
        else:
            unit, _ = factsheet_unit(accounts, store.draft(object_id).factsheet_id)
    except NotFound:
        raise HTTPException(404, detail="没有找到要恢复的内容") from None
    record = accounts.record(kind, object_id)
    if record is None or record.deleted_at is None:
        raise HTTPException(409, detail="它没有被删除，不需要恢复")
    accounts.set_deleted(kind, object_id, admin.user_id, False)
    what = "事实表" if kind == "factsheet" else "草稿"
    accounts.audit(admin, "restore", kind, object_id, f"恢复{what}「{_title(store, kind, object_id)}」", unit)


def deleted(store, accounts: AccountStore) -> list[DeletedOut]:
    out = []
    for kind in ("factsheet", "draft"):
        for r in accounts.records(kind).values():
            if r.deleted_at:
                unit = r.unit_id
                if kind == "draft":
                    try:
                        unit, _ = factsheet_unit(accounts, store.draft(r.id).factsheet_id)
                    except NotFound:
                        continue
                out.append(
                    DeletedOut(
                        kind=kind, id=r.id, title=_title(store, kind, r.id), unit_id=unit, deleted_at=r.deleted_at
                    )
                )
    return sorted(out, key=lambda d: d.deleted_at, reverse=True)


def _unit(accounts: AccountStore, factsheet_id: str) -> str | None:
    return factsheet_unit(accounts, factsheet_id)[0]


# ------------------------------------------------------------------ API
@router.delete("/api/factsheets/{factsheet_id}", status_code=204, tags=["factsheets"], responses=errors(401, 403, 404))
def api_delete_factsheet(user: CurrentUser, sheet: WritableFactSheet, store: StoreDep, accounts: AccountsDep):
    """Delete a fact sheet (it can be restored by an admin)."""
    delete(store, accounts, user, "factsheet", sheet.id, _unit(accounts, sheet.id))
    return Response(status_code=204)


@router.post(
    "/api/factsheets/{factsheet_id}/restore",
    status_code=204,
    tags=["factsheets"],
    responses=errors(401, 403, 404, 409),
)
def api_restore_factsheet(admin: AdminUser, store: StoreDep, accounts: AccountsDep, factsheet_id: str):
    """Restore a deleted fact sheet (admins)."""
    restore(store, accounts, admin, "factsheet", factsheet_id)
    return Response(status_code=204)


@router.delete("/api/drafts/{draft_id}", status_code=204, tags=["drafts"], responses=errors(401, 403, 404))
def api_delete_draft(user: CurrentUser, access: WritableDraft, store: StoreDep, accounts: AccountsDep):
    """Delete a draft with its versions (it can be restored by an admin)."""
    _delete_draft(store, accounts, user, access)
    return Response(status_code=204)


def _delete_draft(store, accounts: AccountStore, user: Principal, access: DraftAccess) -> None:
    delete(store, accounts, user, "draft", access.draft.id, access.unit_id)


@router.post("/api/drafts/{draft_id}/restore", status_code=204, tags=["drafts"], responses=errors(401, 403, 404, 409))
def api_restore_draft(admin: AdminUser, store: StoreDep, accounts: AccountsDep, draft_id: str):
    """Restore a deleted draft (admins)."""
    restore(store, accounts, admin, "draft", draft_id)
    return Response(status_code=204)


@router.get("/api/deleted", response_model=list[DeletedOut], tags=["audit"], responses=errors(401, 403))
def api_deleted(admin: AdminUser, store: StoreDep, accounts: AccountsDep):
    """Deleted fact sheets and drafts, newest first (admins)."""
    return deleted(store, accounts)


# ------------------------------------------------------------------ pages
@router.post("/facts/{factsheet_id}/delete", include_in_schema=False)
def page_delete_factsheet(
    user: CurrentUser, sheet: WritableFactSheet, store: StoreDep, accounts: AccountsDep, _: CsrfDep
):
    delete(store, accounts, user, "factsheet", sheet.id, _unit(accounts, sheet.id))
    return RedirectResponse("/facts", status_code=303)


@router.post("/drafts/{draft_id}/delete", include_in_schema=False)
def page_delete_draft(user: CurrentUser, access: WritableDraft, store: StoreDep, accounts: AccountsDep, _: CsrfDep):
    _delete_draft(store, accounts, user, access)
    return RedirectResponse("/facts", status_code=303)


@router.get("/admin/deleted", response_class=HTMLResponse, include_in_schema=False)
def page_deleted(request: Request, admin: AdminUser, store: StoreDep, accounts: AccountsDep):
    return templates.TemplateResponse(request, "deleted.html", {"items": deleted(store, accounts)})


@router.post("/admin/deleted/{kind}/{object_id}/restore", include_in_schema=False)
def page_restore(admin: AdminUser, store: StoreDep, accounts: AccountsDep, kind: Kind, object_id: str, _: CsrfDep):
    restore(store, accounts, admin, kind, object_id)
    return RedirectResponse("/admin/deleted", status_code=303)
