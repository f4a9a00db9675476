"""In-app notifications of the signed-in user (submitted, commented, approved, returned)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from ..auth import CurrentUser, ReviewsDep
from ..errors import errors
from ..security import CsrfDep
from ..templating import templates

router = APIRouter()


class NotificationOut(BaseModel):
    id: int
    text: str
    link: str
    read: bool
    created_at: str


@router.get("/api/notifications", response_model=list[NotificationOut], tags=["notifications"], responses=errors(401))
def api_notifications(user: CurrentUser, reviews: ReviewsDep):
    """The user's latest notifications, newest first."""
    return [NotificationOut(**vars(n)) for n in reviews.notifications(user.user_id)]


@router.post("/api/notifications/read", status_code=204, tags=["notifications"], responses=errors(401))
def api_mark_read(user: CurrentUser, reviews: ReviewsDep):
    """Mark every notification as read."""
    reviews.mark_read(user.user_id)
    return Response(status_code=204)


@router.get("/notifications", response_class=HTMLResponse, include_in_schema=False)
def page_notifications(request: Request, user: CurrentUser, reviews: ReviewsDep):
    """The notifications, the new ones in bold; opening the page reads them, so the header's count goes."""
    items = reviews.notifications(user.user_id, limit=200)
    if any(not n.read for n in items):
        reviews.mark_read(user.user_id)
    return templates.TemplateResponse(request, "notifications.html", {"items": items})


@router.post("/notifications/read", include_in_schema=False)
def page_mark_read(user: CurrentUser, reviews: ReviewsDep, _: CsrfDep):
    reviews.mark_read(user.user_id)
    return RedirectResponse("/notifications", status_code=303)
