"""The one Jinja2Templates instance (autoescaping on: everything from users or models is shown as text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from ..corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS
from .form_limits import form_limit

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
templates.env.globals.update(unit_types=UNIT_TYPE_LABELS, periods=PERIOD_LABELS)
STATUS_ZH = {"queued": "排队中", "running": "起草中", "done": "已完成", "failed": "失败", "interrupted": "已中断"}
templates.env.globals["job_status_zh"] = STATUS_ZH


def unread_count(request) -> int:
    """Unread in-app notifications of the signed-in user (0 when nobody is signed in)."""
    user = getattr(request.state, "user", None)
    reviews = getattr(request.app.state, "reviews", None)
    return reviews.unread(user.user_id) if user and reviews else 0


templates.env.globals["unread_count"] = unread_count
templates.env.globals["limit"] = form_limit  # a fact-sheet form field's most characters, stated next to it


def local_time(when: str | None, zone: str, seconds: bool = False) -> str:
    """A stored time (ISO 8601, UTC) as the users read it: in ``zone`` (Settings.timezone), 「2025-12-08 09:30」.
    A time without an offset is taken as UTC; anything unreadable is shown as it is; nothing → 「—」."""
    if not when:
        return "—"
    try:
        t = datetime.fromisoformat(str(when))
    except ValueError:
        return str(when)
    if t.tzinfo is None:
        t = t.replace(tzinfo=ZoneInfo("UTC"))
    try:
        t = t.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        t = t.astimezone(ZoneInfo("Asia/Shanghai"))
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


@pass_context
def _local_time_filter(ctx, when, seconds: bool = False) -> str:
    request = ctx.get("request")
    settings = getattr(getattr(request, "app", None), "state", None)
    zone = getattr(getattr(settings, "settings", None), "timezone", "Asia/Shanghai")
    return local_time(when, zone, seconds)


templates.env.filters["local"] = _local_time_filter


def _rollup_globals() -> None:
    """Roll-up helpers for the draft and compare pages (issue 26)."""
    from .rollup_view import breakdown, stale_units

    templates.env.globals.update(rollup_breakdown=breakdown, rollup_stale_units=stale_units)


_rollup_globals()
