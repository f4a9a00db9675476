"""The 起草质量 page (admins): how much of each first draft the editors kept — over time per drafting backend and
model, per section role, the most rewritten sections — with a link from each of those to the draft's
first-versus-approved diff (``/drafts/{id}/diff?a=1&b=<approved>``). Same numbers as ``zongjie stats keep-rate``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ...common.errors import NotFound
from ...drafting import keep_summary as ks
from ...storage.keep_rates import KeepRateStore
from ..auth import AdminUser
from ..deps import StoreDep
from ..quality_plots import bar_chart, line_chart
from ..templating import templates

router = APIRouter()


def _since(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat() if value else ""
    except ValueError:
        return ""


@router.get("/admin/quality", response_class=HTMLResponse, include_in_schema=False)
def page_quality(request: Request, admin: AdminUser, store: StoreDep, since: Annotated[str, Query(max_length=10)] = ""):
    rows = KeepRateStore(request.app.state.store.engine).rows(_since(since))  # the SQL store (the only one)
    series: dict[str, list[tuple[str, float]]] = {}
    for g in ks.by_model_over_time(rows):
        series.setdefault(ks.backend_label(g.key[0], g.key[1]), []).append((g.key[2], g.char_rate))
    roles = ks.by_role(rows)
    titles: dict[str, str] = {}
    for r in rows:
        if r.draft_id not in titles:
            try:
                titles[r.draft_id] = store.draft(r.draft_id).title
            except NotFound:
                titles[r.draft_id] = "（已删除的草稿）"
    overall = ks.group(rows, lambda r: ("all",))
    context = {
        "since": _since(since),
        "drafts": len(titles),
        "overall": overall[0] if overall else None,
        "time_plot": line_chart("各起草方式的保留率（按审核通过日期）", series) if series else None,
        "role_plot": bar_chart(
            "各部分的保留率",
            [(ks.role_label(g.key[0]), g.char_rate, f"{g.chars_kept}/{g.chars_first} 字") for g in roles],
        )
        if roles
        else None,
        "roles": [(ks.role_label(g.key[0]), g) for g in roles],
        "models": [(ks.backend_label(g.key[0], g.key[1]), g.key[2], g) for g in ks.by_model(rows)],
        "rewritten": [(r, titles[r.draft_id], ks.role_label(r.section_role)) for r in ks.most_rewritten(rows)],
    }
    return templates.TemplateResponse(request, "quality.html", context)
