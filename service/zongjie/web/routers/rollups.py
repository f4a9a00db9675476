"""Roll-ups (issue 26), the JSON API: a federation's indicator list, approving a unit's fact sheet, rolling up the
units below (direct or all levels, with sheets uploaded for units that sent files), confirming near-matches, the
breakdown of every total and each unit's sheet as it was used.

Permissions follow the unit tree: a roll-up belongs to the federation's unit — its clerk makes and re-makes it,
editors of that unit or above read it, anyone else gets 404 (a sibling unit's clerk included). The units' sheets are
read through the roll-up, read-only, as they were used. Approving a unit's sheet is a review: the unit's editors or
an editor above.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, Query, Request
from pydantic import BaseModel, Field

from ...auth.policy import Action, Principal, allowed
from ...common.errors import NotFound
from ...factsheets.model import FactSheet, FactSheetError, parse_fact_sheet
from ...federation.rollups import RollupRefused, Upload, make_rollup, stale
from ...rollup.indicators import parse_indicator_list
from ...storage.rollups import RollupStore, StoredRollup
from ..auth import AccountsDep, CurrentUser, authorize, factsheet_unit
from ..deps import StoreDep
from ..errors import errors

router = APIRouter()

Period = Literal["annual", "first_half", "second_half"]
Scope = Literal["direct", "all"]


def get_rollups(request: Request) -> RollupStore:
    return request.app.state.rollups


def rollup_for(request: Request, user: Principal, rollup_id: str, action: Action = Action.read) -> StoredRollup:
    """The roll-up if the user may ``action`` it (404 when they may not read it, 403 when only that)."""
    stored = get_rollups(request).rollup(rollup_id)  # NotFound → 404 in the app's handler
    authorize(user, action, stored.unit_id, False, "没有找到这次汇总")
    return stored


def rolled_sheet(store, stored: StoredRollup) -> FactSheet:
    if not stored.factsheet_id:
        raise NotFound("这次汇总的事实表", stored.id)
    return parse_fact_sheet(store.factsheet(stored.factsheet_id).data, stored.factsheet_id)


def part_sheet(store, stored: StoredRollup, sheet: FactSheet, unit: str) -> tuple[dict, int | None, str]:
    """A unit's sheet as the roll-up used it: (data, revision, source) — the stored sheet at the revision used, or
    the uploaded file."""
    for inc in sheet.rollup.included if sheet.rollup else []:
        if inc.unit != unit:
            continue
        if inc.source == "file":
            for up in stored.uploads:
                if up["unit"] == unit:
                    return up["data"], None, f"上传的文件“{up['filename']}”"
        elif inc.sheet is not None and inc.revision is not None:
            return store.factsheet_revision(inc.sheet, inc.revision), inc.revision, "已审核的事实表"
    raise NotFound("这个单位在这次汇总中的事实表", unit)


class UploadIn(BaseModel):
    unit: str = Field(min_length=1, max_length=60, description="这份文件属于哪个下级单位（单位名称）")
    filename: str = Field("upload.yaml", max_length=200)
    data: dict = Field(description="事实表（与 /api/factsheets 相同的结构）")


class RollupIn(BaseModel):
    year: int = Field(ge=1949, le=2100)
    period: Period = "annual"
    scope: Scope = Field("all", description="direct 直属下级 / all 全部层级")
    unit_id: str | None = Field(None, max_length=32, description="汇总哪个单位（默认：本人所在单位；管理员可指定）")
    uploads: list[UploadIn] = Field(default_factory=list, description="以文件报送的下级单位事实表")
    picks: list[tuple[str, str]] | None = Field(None, description="选作典型经验的要点：[单位名称, 要点编号]")


class StalePartOut(BaseModel):
    unit: str
    sheet: str
    revision: int
    now: int


class RollupOut(BaseModel):
    id: str
    unit_id: str
    year: int
    period: str
    scope: str
    factsheet_id: str | None
    sheet: dict
    stale: list[StalePartOut]
    notes: list[dict] = Field(default_factory=list, description="可选作典型经验的下级单位要点")


class ConfirmIn(BaseModel):
    label: str = Field(min_length=1, max_length=80, description="建议中单位填的指标名称")
    into_key: str = Field(min_length=1, max_length=120, description="建议并入的指标的匹配键")
    same: bool = Field(True, description="true 确认是同一指标；false 不是（不再提示）")


def rollup_out(request: Request, store, stored: StoredRollup, notes: list[dict] | None = None) -> RollupOut:
    sheet = rolled_sheet(store, stored)
    parts = [StalePartOut(**vars(s)) for s in stale(get_rollups(request), sheet)]
    return RollupOut(
        id=stored.id,
        unit_id=stored.unit_id,
        year=stored.year,
        period=stored.period,
        scope=stored.scope,
        factsheet_id=stored.factsheet_id,
        sheet=sheet.model_dump(mode="json", exclude_none=True),
        stale=parts,
        notes=notes or [],
    )


def federation_unit(user: Principal, accounts, unit_id: str | None) -> str:
    unit = unit_id or user.unit_id
    if unit != user.unit_id and not user.is_admin:
        raise HTTPException(403, detail="只能汇总本单位的下级单位")
    try:
        accounts.unit(unit)
    except NotFound:
        raise HTTPException(422, detail="没有这个单位") from None
    if not allowed(user, Action.write, unit):
        raise HTTPException(403, detail="没有权限汇总：只有本单位的填报员可以汇总，审核员只能查看")
    return unit


def run_rollup(request: Request, user: Principal, accounts, store, **kw: Any):
    """``make_rollup`` with the Chinese refusals as 422 and the audit entry."""
    try:
        outcome = make_rollup(accounts, get_rollups(request), store, user_id=user.user_id, **kw)
    except RollupRefused as exc:
        raise HTTPException(422, detail=str(exc)) from None
    info = outcome.sheet.rollup
    counts = (len(info.included), len(info.missing), len(info.conflicts)) if info else (0, 0, 0)
    summary = (
        f"汇总下级单位「{outcome.sheet.unit.name} {outcome.stored.year}」："
        f"纳入 {counts[0]} 个单位，缺报 {counts[1]} 个，冲突 {counts[2]} 项"
    )
    accounts.audit(user, "rollup", "factsheet", outcome.stored.factsheet_id or "", summary, outcome.stored.unit_id, {})
    return outcome


def candidate_notes(outcome) -> list[dict]:
    return [{"unit": u, "section": t, "id": n.id, "text": n.text} for u, t, n in outcome.result.notes]


# ------------------------------------------------------------------ API
@router.post(
    "/api/rollups", response_model=RollupOut, status_code=201, tags=["rollups"], responses=errors(401, 403, 422)
)
def api_create(request: Request, user: CurrentUser, store: StoreDep, accounts: AccountsDep, body: RollupIn):
    """Roll up the approved fact sheets of the units below (and the uploaded ones) into the federation's sheet."""
    unit = federation_unit(user, accounts, body.unit_id)
    try:
        uploads = [
            Upload(u.unit, u.filename, parse_fact_sheet(u.data, u.filename).model_dump(mode="json"))
            for u in body.uploads
        ]
    except FactSheetError as exc:
        raise HTTPException(422, detail=[p.model_dump() for p in exc.problems]) from None
    outcome = run_rollup(
        request, user, accounts, store, unit_id=unit, year=body.year, period=body.period, scope=body.scope,
        uploads=uploads, picks=body.picks,
    )  # fmt: skip
    return rollup_out(request, store, outcome.stored, candidate_notes(outcome))


@router.get("/api/rollups", response_model=list[RollupOut], tags=["rollups"], responses=errors(401))
def api_list(request: Request, user: CurrentUser, store: StoreDep):
    """The roll-ups the user may read (their unit's; editors: their unit's and those below; admins: all)."""
    units = user.visible_units()
    return [rollup_out(request, store, r) for r in get_rollups(request).rollups(units) if r.factsheet_id]


@router.get("/api/rollups/{rollup_id}", response_model=RollupOut, tags=["rollups"], responses=errors(401, 404))
def api_get(request: Request, rollup_id: str, user: CurrentUser, store: StoreDep):
    """A roll-up: the federation's sheet (every rolled metric with its parts), included, missing, conflicts,
    proposals, and the units whose sheet changed since (``stale``)."""
    return rollup_out(request, store, rollup_for(request, user, rollup_id))


@router.post(
    "/api/rollups/{rollup_id}/refresh", response_model=RollupOut, tags=["rollups"], responses=errors(401, 403, 404)
)
def api_refresh(
    request: Request,
    rollup_id: str,
    user: CurrentUser,
    store: StoreDep,
    accounts: AccountsDep,
    picks: Annotated[list[tuple[str, str]] | None, Body(embed=True)] = None,
):
    """Roll up again (the units' current approved sheets); the federation's own facts are kept."""
    stored = rollup_for(request, user, rollup_id, Action.write)
    outcome = run_rollup(
        request, user, accounts, store, unit_id=stored.unit_id, year=stored.year, period=stored.period,
        scope=stored.scope, picks=picks, rollup_id=stored.id,
    )  # fmt: skip
    return rollup_out(request, store, outcome.stored, candidate_notes(outcome))


@router.post(
    "/api/rollups/{rollup_id}/confirm", response_model=RollupOut, tags=["rollups"], responses=errors(401, 403, 404)
)
def api_confirm(
    request: Request, rollup_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep, body: ConfirmIn
):
    """Confirm (or refuse) a near-match; remembered for this unit's later roll-ups, and this one is rolled again."""
    from ...rollup.matching import label_key

    stored = rollup_for(request, user, rollup_id, Action.write)
    get_rollups(request).confirm(
        stored.unit_id, label_key(body.label), body.into_key if body.same else "", user.user_id
    )
    outcome = run_rollup(
        request, user, accounts, store, unit_id=stored.unit_id, year=stored.year, period=stored.period,
        scope=stored.scope, rollup_id=stored.id,
    )  # fmt: skip
    return rollup_out(request, store, outcome.stored, candidate_notes(outcome))


@router.get("/api/rollups/{rollup_id}/parts/{unit}", tags=["rollups"], responses=errors(401, 404))
def api_part(request: Request, rollup_id: str, unit: str, user: CurrentUser, store: StoreDep):
    """A unit's fact sheet as the roll-up used it (read-only)."""
    stored = rollup_for(request, user, rollup_id)
    data, revision, source = part_sheet(store, stored, rolled_sheet(store, stored), unit)
    return {"unit": unit, "revision": revision, "source": source, "sheet": data}


@router.post("/api/factsheets/{factsheet_id}/approval", tags=["rollups"], responses=errors(401, 403, 404))
def api_approve(request: Request, factsheet_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    """Approve a unit's fact sheet at its current revision (editors of the unit or above): roll-ups take it."""
    stored = store.factsheet(factsheet_id)
    unit, deleted = factsheet_unit(accounts, factsheet_id)
    authorize(user, Action.review, unit, deleted, "没有找到这份事实表")
    get_rollups(request).approve(factsheet_id, stored.revision, user.user_id)
    accounts.audit(
        user,
        "approve",
        "factsheet",
        factsheet_id,
        f"审核通过事实表「{stored.unit_name} {stored.year}」第 {stored.revision} 版",
        unit,
        {},
    )
    return {"factsheet_id": factsheet_id, "revision": stored.revision, "approved": True}


@router.get("/api/factsheets/{factsheet_id}/approval", tags=["rollups"], responses=errors(401, 404))
def api_approval(request: Request, factsheet_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    stored = store.factsheet(factsheet_id)
    unit, deleted = factsheet_unit(accounts, factsheet_id)
    authorize(user, Action.read, unit, deleted, "没有找到这份事实表")
    approved = get_rollups(request).approved_revision(factsheet_id)
    return {
        "factsheet_id": factsheet_id,
        "revision": stored.revision,
        "approved": approved == stored.revision,
        "approved_revision": approved,
    }


@router.put("/api/indicators/{year}/{period}", tags=["rollups"], responses=errors(401, 403, 422))
def api_publish(
    request: Request, year: int, period: Period, user: CurrentUser, accounts: AccountsDep, body: Annotated[dict, Body()]
):
    """Publish the indicator list of the user's unit for a period (replaces an earlier one)."""
    unit = federation_unit(user, accounts, None)
    data = {**body, "unit": accounts.unit(unit).name, "year": year, "period": period}
    try:
        listed = parse_indicator_list(data)
    except FactSheetError as exc:
        raise HTTPException(422, detail=[p.model_dump() for p in exc.problems]) from None
    get_rollups(request).publish_indicators(unit, year, period, listed.model_dump(exclude_none=True), user.user_id)
    return listed.model_dump(exclude_none=True)


@router.get("/api/indicators/{year}/{period}", tags=["rollups"], responses=errors(401, 404))
def api_indicators(
    request: Request,
    year: int,
    period: Period,
    user: CurrentUser,
    unit: Annotated[str | None, Query(max_length=32)] = None,
):
    """The indicator list a unit's sheets start from: the nearest unit at or above it that published one for the
    period (``list`` null when none did)."""
    unit = unit or user.unit_id
    if not allowed(user, Action.read, unit):
        raise HTTPException(404, detail="没有找到这个单位")
    found = get_rollups(request).indicators_for(unit, year, period)
    return {"publisher": found[0] if found else None, "list": found[1] if found else None}
