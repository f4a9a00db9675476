"""The one Jinja2Templates instance (autoescaping on: everything from users or models is shown as text)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from ..corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS

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
