"""Roll-up pages (issue 26), in Chinese: 「汇总下级单位」 (choose direct or all levels, upload several .xlsx/.yaml
assigned to units of the tree), a roll-up (included / missing / conflicts, near-matches to confirm, every total
opening its parts with links to each unit's sheet as used, 典型经验 to pick, roll up again), a unit's sheet as used,
the sheets of the units below waiting for approval, and the indicator list the federation publishes."""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...auth.policy import Action, Principal, allowed
from ...corpus.document import UnitType
from ...factsheets.files import load_bytes
from ...factsheets.model import FactSheetError, parse_fact_sheet
from ...federation.rollups import Upload, pick_sheets, sheet_from_list, unit_tree
from ...rollup.indicators import parse_indicator_list
from ...rollup.matching import label_key
from ..auth import AccountsDep, CurrentUser, authorize, factsheet_unit
from ..deps import SettingsDep, StoreDep
from ..security import CsrfDep
from ..templating import templates
from .factsheets import FACTSHEET_TYPES, read_upload
from .rollups import federation_unit, get_rollups, part_sheet, rolled_sheet, rollup_for, run_rollup

router = APIRouter(include_in_schema=False)

PERIODS = {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}
SOURCES = {"approved": "已审核的事实表", "file": "上传的文件"}
UPLOAD_ROWS = 4


def units_below(user: Principal, accounts) -> list[str]:
    tree, _ = unit_tree(accounts)
    try:
        me = accounts.unit(user.unit_id)
    except Exception:
        return []
    return tree.below(me.name, "all")


def _list_page(
    request: Request, user: Principal, accounts, store, message: str = "", status_code: int = 200, form=None
):
    rollups = [r for r in get_rollups(request).rollups(user.visible_units()) if r.factsheet_id]
    names = {u.id: u.name for u in accounts.units()}
    rows = []
    for r in rollups:
        sheet = rolled_sheet(store, r)
        info = sheet.rollup
        rows.append({"r": r, "unit": names.get(r.unit_id, ""), "info": info})
    return templates.TemplateResponse(
        request,
        "rollups.html",
        {
            "rows": rows,
            "periods": PERIODS,
            "can_roll": allowed(user, Action.write, user.unit_id),
            "below": units_below(user, accounts),
            "upload_rows": range(UPLOAD_ROWS),
            "message": message,
            "form": form or {"year": "", "period": "annual", "scope": "all"},
        },
        status_code=status_code,
    )


@router.get("/rollups", response_class=HTMLResponse)
def page_rollups(request: Request, user: CurrentUser, accounts: AccountsDep, store: StoreDep):
    return _list_page(request, user, accounts, store)


@router.post("/rollups")
def page_create(
    request: Request,
    user: CurrentUser,
    accounts: AccountsDep,
    store: StoreDep,
    settings: SettingsDep,
    _: CsrfDep,
    year: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "annual",
    scope: Annotated[str, Form()] = "all",
    files: Annotated[list[UploadFile] | None, File()] = None,
    file_units: Annotated[list[str] | None, Form()] = None,
):
    form = {"year": year, "period": period, "scope": scope}
    unit = federation_unit(user, accounts, None)
    if not year.strip().isdigit() or not 1949 <= int(year) <= 2100:
        return _list_page(request, user, accounts, store, "年度：请填写四位数的年份，如 2025", 422, form)
    if period not in PERIODS or scope not in ("all", "direct"):
        return _list_page(request, user, accounts, store, "时段或汇总范围不对", 422, form)
    uploads = []
    for f, who in zip(files or [], file_units or [], strict=False):
        if not f.filename:
            continue
        if not who:
            return _list_page(
                request, user, accounts, store, f"文件“{f.filename}”：请选择它属于哪个下级单位", 422, form
            )
        try:
            sheet = load_bytes(read_upload(f, settings, FACTSHEET_TYPES), f.filename)
        except HTTPException as exc:
            return _list_page(
                request, user, accounts, store, f"文件“{f.filename}”：{exc.detail}", exc.status_code, form
            )
        except FactSheetError as exc:
            text = "；".join(f"{p.path_zh}：{p.message_zh}" for p in exc.problems[:8])
            return _list_page(request, user, accounts, store, f"文件“{f.filename}”有误：{text}", 422, form)
        uploads.append(Upload(who, f.filename, sheet.model_dump(mode="json")))
    try:
        outcome = run_rollup(
            request, user, accounts, store, unit_id=unit, year=int(year), period=period, scope=scope, uploads=uploads
        )
    except HTTPException as exc:
        return _list_page(request, user, accounts, store, str(exc.detail), exc.status_code, form)
    return RedirectResponse(f"/rollups/{outcome.stored.id}", status_code=303)


def _notes(request: Request, store, stored) -> list[dict]:
    """The units' notes that may be picked as 典型经验 (from the sheets the roll-up used)."""
    sheet = rolled_sheet(store, stored)
    picked = {(n.unit, n.text) for _, n in sheet.all_notes() if n.unit}
    out = []
    for inc in sheet.rollup.included if sheet.rollup else []:
        try:
            data, _, _ = part_sheet(store, stored, sheet, inc.unit)
        except KeyError:
            continue
        for sec in data.get("sections") or []:
            for n in sec.get("notes") or []:
                if isinstance(n, dict) and n.get("id") and not n.get("unit"):
                    out.append(
                        {
                            "unit": inc.unit,
                            "section": sec.get("title", ""),
                            "id": n["id"],
                            "text": n.get("text", ""),
                            "picked": (inc.unit, n.get("text", "")) in picked,
                        }
                    )
    return out


@router.get("/rollups/{rollup_id}", response_class=HTMLResponse)
def page_rollup(request: Request, rollup_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    from ...federation.rollups import stale

    stored = rollup_for(request, user, rollup_id)
    sheet = rolled_sheet(store, stored)
    return templates.TemplateResponse(
        request,
        "rollup.html",
        {
            "stored": stored,
            "sheet": sheet,
            "info": sheet.rollup,
            "rolled": [m for m in sheet.metrics if m.parts or m.formula],
            "by_id": {m.id: m for m in sheet.metrics},
            "stale": stale(get_rollups(request), sheet),
            "notes": _notes(request, store, stored),
            "periods": PERIODS,
            "sources": SOURCES,
            "can_write": allowed(user, Action.write, stored.unit_id),
        },
    )


@router.post("/rollups/{rollup_id}/confirm")
def page_confirm(
    request: Request,
    rollup_id: str,
    user: CurrentUser,
    store: StoreDep,
    accounts: AccountsDep,
    _: CsrfDep,
    label: Annotated[str, Form(max_length=80)] = "",
    into_key: Annotated[str, Form(max_length=120)] = "",
    same: Annotated[str, Form()] = "1",
):
    stored = rollup_for(request, user, rollup_id, Action.write)
    if label and into_key:
        get_rollups(request).confirm(stored.unit_id, label_key(label), into_key if same == "1" else "", user.user_id)
    run_rollup(
        request, user, accounts, store, unit_id=stored.unit_id, year=stored.year, period=stored.period,
        scope=stored.scope, rollup_id=stored.id,
    )  # fmt: skip
    return RedirectResponse(f"/rollups/{rollup_id}", status_code=303)


@router.post("/rollups/{rollup_id}/refresh")
def page_refresh(
    request: Request,
    rollup_id: str,
    user: CurrentUser,
    store: StoreDep,
    accounts: AccountsDep,
    _: CsrfDep,
    picks: Annotated[list[str] | None, Form()] = None,
    with_picks: Annotated[str, Form()] = "",
):
    """Roll up again; from the 典型经验 form, with the notes ticked (``UNIT|NOTE_ID``)."""
    stored = rollup_for(request, user, rollup_id, Action.write)
    chosen = [tuple(p.split("|", 1)) for p in picks or [] if "|" in p] if with_picks else None
    run_rollup(
        request, user, accounts, store, unit_id=stored.unit_id, year=stored.year, period=stored.period,
        scope=stored.scope, rollup_id=stored.id, picks=chosen,
    )  # fmt: skip
    return RedirectResponse(f"/rollups/{rollup_id}", status_code=303)


@router.get("/rollups/{rollup_id}/parts/{unit}", response_class=HTMLResponse)
def page_part(request: Request, rollup_id: str, unit: str, user: CurrentUser, store: StoreDep):
    stored = rollup_for(request, user, rollup_id)
    data, revision, source = part_sheet(store, stored, rolled_sheet(store, stored), unit)
    return templates.TemplateResponse(
        request,
        "rollup_part.html",
        {"stored": stored, "unit": unit, "data": data, "revision": revision, "source": source, "periods": PERIODS},
    )


def _by_sheet(request: Request, user: Principal, factsheet_id: str):
    stored = get_rollups(request).rollup_of_sheet(factsheet_id)
    if stored is None:
        raise HTTPException(404, detail="没有找到这次汇总")
    return rollup_for(request, user, stored.id)


@router.get("/rollups/by-sheet/{factsheet_id}")
def page_by_sheet(request: Request, factsheet_id: str, user: CurrentUser):
    """The roll-up a rolled sheet came from (links from the draft pages)."""
    return RedirectResponse(f"/rollups/{_by_sheet(request, user, factsheet_id).id}", status_code=303)


@router.get("/rollups/by-sheet/{factsheet_id}/parts/{unit}", response_class=HTMLResponse)
def page_part_by_sheet(request: Request, factsheet_id: str, unit: str, user: CurrentUser, store: StoreDep):
    """A unit's sheet as used, from a rolled figure's breakdown in a draft."""
    return page_part(request, _by_sheet(request, user, factsheet_id).id, unit, user, store)


@router.get("/rollups-approvals", response_class=HTMLResponse)
def page_approvals(request: Request, user: CurrentUser, accounts: AccountsDep, year: int = 0, period: str = "annual"):
    """The fact sheets of the units below (and the own unit) for a period, with their approval, for editors."""
    from datetime import date

    year = year or date.today().year
    units = user.visible_units()
    ids = units if units is not None else frozenset(u.id for u in accounts.units())
    sheets = sorted(
        pick_sheets(get_rollups(request).sheets_below(set(ids), year, period)).values(), key=lambda s: s.unit_name
    )
    return templates.TemplateResponse(
        request,
        "rollup_approvals.html",
        {
            "sheets": sheets,
            "year": year,
            "period": period,
            "periods": PERIODS,
            "can_review": {s.factsheet_id: allowed(user, Action.review, s.unit_id) for s in sheets},
        },
    )


@router.post("/facts/{factsheet_id}/approve")
def page_approve(
    request: Request, factsheet_id: str, user: CurrentUser, store: StoreDep, accounts: AccountsDep, _: CsrfDep
):
    stored = store.factsheet(factsheet_id)
    unit, deleted = factsheet_unit(accounts, factsheet_id)
    authorize(user, Action.review, unit, deleted, "没有找到这份事实表")
    get_rollups(request).approve(factsheet_id, stored.revision, user.user_id)
    accounts.audit(
        user, "approve", "factsheet", factsheet_id, f"审核通过事实表「{stored.unit_name} {stored.year}」", unit, {}
    )
    return RedirectResponse(f"/rollups-approvals?year={stored.year}&period={stored.period}", status_code=303)


def _indicator_page(
    request: Request,
    user: Principal,
    year: int,
    period: str,
    message: str = "",
    status_code=200,
    typed: list[dict] | None = None,
):
    """The list's page; after a refused publish, with the rows as typed (nothing typed is lost)."""
    found = get_rollups(request).indicators(user.unit_id, year, period)
    rows = typed if typed is not None else (found or {}).get("indicators", [])
    return templates.TemplateResponse(
        request,
        "indicators.html",
        {
            "rows": rows + [{} for _ in range(5)],
            "year": year,
            "period": period,
            "periods": PERIODS,
            "published": found is not None,
            "can_write": allowed(user, Action.write, user.unit_id),
            "message": message,
        },
        status_code=status_code,
    )


@router.get("/indicators", response_class=HTMLResponse)
def page_indicators(request: Request, user: CurrentUser, year: int = 0, period: str = "annual"):
    from datetime import date

    return _indicator_page(request, user, year or date.today().year, period if period in PERIODS else "annual")


@router.post("/indicators")
async def page_publish(request: Request, user: CurrentUser, accounts: AccountsDep, _: CsrfDep):
    unit = federation_unit(user, accounts, None)
    form = await request.form()
    year_text, period = str(form.get("year", "")), str(form.get("period", "annual"))
    year = int(year_text) if year_text.isdigit() else 0
    if not 1949 <= year <= 2100 or period not in PERIODS:
        return _indicator_page(request, user, 2025, "annual", "年度或时段不对", 422)
    fields = ("key", "label", "unit", "section", "numerator", "denominator")
    columns = {f: form.getlist(f) for f in fields}
    summable = set(form.getlist("summable"))
    items = []
    for i in range(len(columns["label"])):
        row = {f: str(columns[f][i]).strip() if i < len(columns[f]) else "" for f in fields}
        if not row["label"]:
            continue
        item: dict[str, str | bool] = {k: v for k, v in row.items() if v}
        item.setdefault("key", f"i{i + 1}")  # a key is what units' metrics carry; one left blank is made up
        item["summable"] = str(i) in summable
        items.append(item)
    data = {"unit": accounts.unit(unit).name, "year": year, "period": period, "indicators": items}
    try:
        listed = parse_indicator_list(data)
    except FactSheetError as exc:
        text = "；".join(f"{p.path_zh}：{p.message_zh}" for p in exc.problems[:8])
        return _indicator_page(request, user, year, period, f"指标清单有误：{text}", 422, items)
    get_rollups(request).publish_indicators(unit, year, period, listed.model_dump(exclude_none=True), user.user_id)
    return RedirectResponse(f"/indicators?year={year}&period={period}&published=1", status_code=303)


@router.get("/indicators/template.yaml")
def template_yaml(
    request: Request,
    user: CurrentUser,
    accounts: AccountsDep,
    unit: Annotated[str | None, Query(max_length=32)] = None,
    year: int = 0,
):
    """A blank YAML sheet of ``unit`` (default: the user's) started from the superior's indicator list (with no
    list above: the unit and the year only)."""
    from datetime import date

    import yaml

    unit = unit or user.unit_id
    if not allowed(user, Action.read, unit):
        raise HTTPException(404, detail="没有找到这个单位")
    sheet = sheet_from_list(get_rollups(request), accounts, unit, year or None)
    if sheet is None:
        u = accounts.unit(unit)
        kind = u.unit_type if u.unit_type in get_args(UnitType) else "other"
        sheet = parse_fact_sheet(
            {"unit": {"name": u.name, "type": kind}, "period": {"year": year or date.today().year}}
        )
    text = yaml.safe_dump(sheet.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=factsheet-template.yaml"},
    )
