"""Fact sheets: the form (pages) and the JSON API; upload YAML/JSON/Excel; the Excel template; 「从往年总结开始」
(a past summary → a proposed sheet opened in the form); 「用作下一年度」."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ...auth.policy import Action, Principal, allowed
from ...corpus.document import UNIT_TYPE_LABELS
from ...factsheets.diff import describe, fact_changes
from ...factsheets.files import UploadError, xlsx_template
from ...factsheets.model import FactSheet, FactSheetError, Problem, fill_ids, parse_fact_sheet
from ...factsheets.next_year import use_for_next_year
from ...federation.rollups import sheet_from_list
from ..auth import (
    AccountsDep,
    CurrentUser,
    ReadableFactSheet,
    ReviewsDep,
    WritableFactSheet,
    owning_unit,
    visible_drafts,
    visible_factsheets,
)
from ..deps import KBDep, ParsePoolDep, SettingsDep, StoreDep
from ..errors import errors
from ..forms import (
    carried_flags,
    carry_over,
    data_to_rows,
    empty_form,
    errors_by_path,
    form_rows,
    rows_to_data,
    section_suggestions,
)
from ..security import CsrfDep, check_csrf
from ..templating import templates
from .base_link import BaseChoiceView, base_view, next_year_base

router = APIRouter()
log = logging.getLogger(__name__)

FACTSHEET_TYPES = (".yaml", ".yml", ".json", ".xlsx")
SUMMARY_TYPES = (".txt", ".md", ".docx", ".pdf")


class FactSheetSummary(BaseModel):
    id: str
    unit_name: str
    year: int
    period: str
    updated_at: str


class Created(BaseModel):
    id: str


class ProposedSheet(BaseModel):
    """One summary of an uploaded file read back as a proposed fact sheet (not saved)."""

    title: str
    sheet: dict
    missing: list[str]


FACT_SHEET_BODY = {"x-body-model": "FactSheet"}  # read as a dict, checked by parse_fact_sheet (Chinese problems)
UnitQ = Annotated[str | None, Query(max_length=32, description="Owning unit (admins only; default: your unit)")]


def save(store, accounts, user: Principal, data: dict, factsheet_id: str | None = None, unit_id=None) -> str:
    """Store a checked fact sheet, record its unit (new sheets) and audit which facts changed."""
    old = store.factsheet(factsheet_id).data if factsheet_id else None
    new_id = store.save_factsheet(data, factsheet_id)
    if factsheet_id is None:
        accounts.claim("factsheet", new_id, unit_id, user.user_id)
    else:
        record = accounts.record("factsheet", new_id)
        unit_id = record.unit_id if record else None
    changes = fact_changes(old, data)
    verb = "修改事实表" if factsheet_id else "新建事实表"
    summary = f"{verb}「{data['unit']['name']} {data['period']['year']}」：{describe(changes, old, data)}"
    accounts.audit(user, "update" if factsheet_id else "create", "factsheet", new_id, summary, unit_id, changes)
    return new_id


def read_upload(file: UploadFile, settings, allowed: tuple[str, ...]) -> bytes:
    """The uploaded bytes (415 for another type, 413 over ``max_upload_mb``, 400 empty). Blocking: call it from a
    sync route (run in the thread pool) — never on the event loop."""
    name = (file.filename or "").lower()
    if not name.endswith(allowed):
        raise HTTPException(415, detail=f"不支持的文件类型，只接受 {'、'.join(allowed)}")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, detail=f"文件太大，上限 {settings.max_upload_mb:g} MB")
    if not data:
        raise HTTPException(400, detail="文件是空的")
    return data


# ------------------------------------------------------------------ API
@router.get("/api/factsheets", response_model=list[FactSheetSummary], tags=["factsheets"], responses=errors(401))
def api_list(user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    """Saved fact sheets the user may read, newest first."""
    return [
        FactSheetSummary(id=f.id, unit_name=f.unit_name, year=f.year, period=f.period, updated_at=f.updated_at)
        for f in visible_factsheets(user, store, accounts)
    ]


@router.get("/api/factsheets/schema", tags=["factsheets"], responses=errors(401))
def api_schema(user: CurrentUser):
    """The JSON Schema of a fact sheet."""
    return FactSheet.model_json_schema()


@router.post(
    "/api/factsheets",
    response_model=Created,
    status_code=201,
    tags=["factsheets"],
    responses=errors(401, 403, 422),
    openapi_extra=FACT_SHEET_BODY,
)
def api_create(user: CurrentUser, store: StoreDep, accounts: AccountsDep, sheet: dict, unit_id: UnitQ = None):
    """Save a fact sheet for your unit (validated; blank ids are filled in)."""
    unit = owning_unit(user, accounts, unit_id)
    checked = parse_fact_sheet(fill_ids(sheet))
    return Created(id=save(store, accounts, user, checked.model_dump(mode="json"), None, unit))


@router.post(
    "/api/factsheets/extract",
    response_model=list[ProposedSheet],
    tags=["factsheets"],
    responses=errors(400, 401, 413, 415, 422),
)
def api_extract(user: CurrentUser, settings: SettingsDep, parse: ParsePoolDep, file: Annotated[UploadFile, File()]):
    """「从往年总结开始」: a past summary (.txt .md .docx .pdf) → one proposed fact sheet per summary in the file,
    with ``sources`` (item id → the sentence it came from) and what is still missing. Nothing is saved."""
    found = parse.extract(read_upload(file, settings, SUMMARY_TYPES), file.filename or "")
    return [ProposedSheet(title=ex.title, sheet=ex.data, missing=ex.problems) for ex in found]


@router.get("/api/factsheets/{factsheet_id}", response_model=FactSheet, tags=["factsheets"], responses=errors(401, 404))
def api_get(stored: ReadableFactSheet):
    return JSONResponse(stored.data)  # as saved (checked then); a sheet saved under older rules still reads


@router.put(
    "/api/factsheets/{factsheet_id}",
    response_model=Created,
    tags=["factsheets"],
    responses=errors(401, 403, 404, 422),
    openapi_extra=FACT_SHEET_BODY,
)
def api_update(user: CurrentUser, stored: WritableFactSheet, store: StoreDep, accounts: AccountsDep, sheet: dict):
    checked = parse_fact_sheet(fill_ids(sheet))
    return Created(id=save(store, accounts, user, checked.model_dump(mode="json"), stored.id))


@router.post(
    "/api/factsheets/{factsheet_id}/next-year",
    response_model=Created,
    status_code=201,
    tags=["factsheets"],
    responses=errors(401, 403, 404, 422),
)
@router.post("/api/factsheets/{factsheet_id}/copy", response_model=Created, status_code=201, include_in_schema=False)
def api_next_year(
    user: CurrentUser,
    stored: WritableFactSheet,
    store: StoreDep,
    accounts: AccountsDep,
    reviews: ReviewsDep,
    kb: KBDep,
):
    """「用作下一年度」: last year's values become 上年同期 (prior), this year's are left blank to be filled in; the
    base summary stays linked — or, once a draft of this sheet is approved, that approved text becomes the base.
    422 for a sheet of the last year a sheet may be for."""
    return Created(id=_next_year(user, stored, store, accounts, reviews, kb))


def _next_year(user: Principal, stored, store, accounts, reviews, kb) -> str:
    record = accounts.record("factsheet", stored.id)
    unit_id = record.unit_id if record else None
    data = use_for_next_year(stored.data)
    data["base"] = next_year_base(kb, store, reviews, stored, unit_id, user.username) or data.get("base")
    return save(store, accounts, user, data, None, unit_id)


@router.post(
    "/api/factsheets/upload",
    response_model=Created,
    status_code=201,
    tags=["factsheets"],
    responses=errors(400, 401, 403, 413, 415, 422),
)
def api_upload(
    user: CurrentUser,
    store: StoreDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    parse: ParsePoolDep,
    file: Annotated[UploadFile, File()],
    unit_id: UnitQ = None,
):
    """Upload a fact sheet as .yaml, .json or .xlsx (layout: GET /facts/template.xlsx)."""
    unit = owning_unit(user, accounts, unit_id)
    sheet = parse.load(read_upload(file, settings, FACTSHEET_TYPES), file.filename or "")
    return Created(id=save(store, accounts, user, sheet, None, unit))


# ------------------------------------------------------------------ pages
def _form_page(
    request: Request,
    rows: dict,
    problems: list[Problem] | None = None,
    factsheet_id: str | None = None,
    message: str | None = None,
    status_code: int = 200,
    drafts: list | None = None,
    extracted: str | None = None,
    file_problems: list[str] | None = None,
    warning: str | None = None,
    base_view: BaseChoiceView | None = None,
):
    problems = problems or []
    return templates.TemplateResponse(
        request,
        "factsheet_form.html",
        {
            "f": rows,
            "errors": errors_by_path(problems),
            "asks": {p.path for p in problems if p.message_en.startswith("implausible")},
            "factsheet_id": factsheet_id,
            "message": message,
            "warning": warning,  # not an error, not a success: shown as a warning
            "error_message": bool(problems or file_problems),
            "drafts": drafts or [],
            "extracted": extracted,
            "file_problems": file_problems or [],
            "suggestions": section_suggestions(rows["unit"]["type"], rows),
            "flags": carried_flags(rows),
            "base_view": base_view,
        },
        status_code=status_code,
    )


@router.get("/", include_in_schema=False)
def home():
    return RedirectResponse("/facts", status_code=303)


@router.get("/facts", response_class=HTMLResponse, include_in_schema=False)
def page_list(request: Request, user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    drafts = visible_drafts(user, store, accounts)
    reviews = request.app.state.reviews.reviews([d.id for d in drafts])
    return templates.TemplateResponse(
        request,
        "factsheets.html",
        {"sheets": visible_factsheets(user, store, accounts), "drafts": drafts, "reviews": reviews},
    )


@router.get("/facts/new", response_class=HTMLResponse, include_in_schema=False)
def page_new(request: Request, user: CurrentUser, accounts: AccountsDep, from_list: int = 0):
    """A new sheet starts with the clerk's own unit filled in: its name, type and 上级单位 (its parent unit); with
    ``from_list`` (a year, or 1 for the newest) it starts from the superior's indicator list (issue 26)."""
    unit = accounts.unit(owning_unit(user, accounts, None))
    if from_list:
        sheet = sheet_from_list(request.app.state.rollups, accounts, unit.id, from_list if from_list > 1 else None)
        if sheet is None:
            return _form_page(request, empty_form(), message="上级单位还没有发布统计指标清单", status_code=404)
        return _form_page(request, data_to_rows(sheet.model_dump(mode="json")))
    rows = empty_form()
    rows["unit"]["name"] = unit.name
    if unit.unit_type in UNIT_TYPE_LABELS:
        rows["unit"]["type"] = unit.unit_type
    if unit.parent_id:
        rows["unit"]["superior"] = accounts.unit(unit.parent_id).name
    rows["signature"]["unit"] = unit.name
    return _form_page(request, rows)


@router.get("/facts/template.xlsx", include_in_schema=False)
def template_xlsx(
    request: Request,
    user: CurrentUser,
    accounts: AccountsDep,
    unit: Annotated[str | None, Query(max_length=32)] = None,
    year: int = 0,
):
    """The Excel template; with ``unit``, filled with the indicators of the nearest unit above that published a list
    (each row carrying its 指标代码)."""
    sheet = None
    if unit:
        if not allowed(user, Action.read, unit):
            raise HTTPException(404, detail="没有找到这个单位")
        sheet = sheet_from_list(request.app.state.rollups, accounts, unit, year or None)
        if sheet is None:
            raise HTTPException(404, detail="上级单位还没有发布统计指标清单")
    return Response(
        xlsx_template(sheet),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=factsheet-template.xlsx"},
    )


@router.get("/facts/{factsheet_id}", response_class=HTMLResponse, include_in_schema=False)
def page_edit(
    request: Request,
    user: CurrentUser,
    stored: ReadableFactSheet,
    store: StoreDep,
    accounts: AccountsDep,
    kb: KBDep,
    saved: int = 0,
):
    blank = [m for m in stored.data.get("metrics", []) if m.get("value") is None]
    message = "已保存" if saved else None
    warning = f"还有 {len(blank)} 项指标的本年数值待填（起草前必须填上）。" if blank else None
    return _form_page(
        request,
        data_to_rows(stored.data),
        factsheet_id=stored.id,
        message=message,
        warning=warning,
        drafts=visible_drafts(user, store, accounts, stored.id),
        base_view=base_view(kb, stored.data),
    )


def _blank_problems(sheet: FactSheet) -> list[Problem]:
    index = {m.id: i for i, m in enumerate(sheet.metrics)}
    return [
        Problem(
            path=f"metrics[{index[m.id]}].value",
            path_zh=f"指标「{m.label}」 › 本年数值",
            message_zh=f"「{m.label}」的本年数值还没有填：起草前请填上（不要填 0）",
            message_en="blank value",
        )
        for m in sheet.blank_metrics()
        if m.id in index
    ]


async def _save_form(request: Request, store, accounts, user: Principal, factsheet_id: str | None):
    form = await request.form()
    return await run_in_threadpool(_save_rows, request, form, store, accounts, user, factsheet_id)


def _save_rows(request: Request, form: FormData, store, accounts, user: Principal, factsheet_id: str | None):
    """Check and save a posted form (in the thread pool: validation and storage never hold up the event loop)."""
    check_csrf(request, str(form.get("csrf_token", "")))
    rows = form_rows(form)
    try:
        old = store.factsheet(factsheet_id).data if factsheet_id else None
        sheet = parse_fact_sheet(carry_over(rows_to_data(rows), old))
    except FactSheetError as exc:
        return _form_page(
            request,
            rows,
            exc.problems,
            factsheet_id,
            "请按提示修改标红的内容，其余内容已保留。",
            422,
            extracted=extracted if isinstance(extracted := form.get("extracted"), str) and extracted else None,
        )
    unit = None if factsheet_id else owning_unit(user, accounts, None)
    new_id = save(store, accounts, user, sheet.model_dump(mode="json"), factsheet_id, unit)
    if form.get("action") == "draft":
        blank = _blank_problems(sheet)
        if blank:
            return _form_page(
                request,
                data_to_rows(sheet.model_dump(mode="json")),
                blank,
                new_id,
                f"已保存，但还不能起草：{len(blank)} 项指标的本年数值没有填（标红处）。",
                422,
                drafts=visible_drafts(user, store, accounts, new_id),
            )
        return RedirectResponse(f"/facts/{new_id}/draft-now", status_code=303)
    return RedirectResponse(f"/facts/{new_id}?saved=1", status_code=303)


@router.post("/facts", include_in_schema=False)
async def page_create(request: Request, user: CurrentUser, store: StoreDep, accounts: AccountsDep):
    await run_in_threadpool(owning_unit, user, accounts, None)
    return await _save_form(request, store, accounts, user, None)


@router.post("/facts/{factsheet_id}", include_in_schema=False)
async def page_update(
    request: Request, user: CurrentUser, stored: WritableFactSheet, store: StoreDep, accounts: AccountsDep
):
    return await _save_form(request, store, accounts, user, stored.id)


@router.post("/facts/{factsheet_id}/next-year", include_in_schema=False)
@router.post("/facts/{factsheet_id}/copy", include_in_schema=False)
def page_next_year(
    user: CurrentUser,
    stored: WritableFactSheet,
    store: StoreDep,
    accounts: AccountsDep,
    reviews: ReviewsDep,
    kb: KBDep,
    _: CsrfDep,
):
    new_id = _next_year(user, stored, store, accounts, reviews, kb)
    return RedirectResponse(f"/facts/{new_id}", status_code=303)


@router.post("/facts-upload", include_in_schema=False)
def page_upload(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    accounts: AccountsDep,
    settings: SettingsDep,
    parse: ParsePoolDep,
    _: CsrfDep,
    file: Annotated[UploadFile, File()],
):
    unit = owning_unit(user, accounts, None)
    try:
        sheet = parse.load(read_upload(file, settings, FACTSHEET_TYPES), file.filename or "")
    except HTTPException as exc:
        return _form_page(request, empty_form(), message=str(exc.detail), status_code=exc.status_code)
    except UploadError as exc:  # open what could be read in the form, with every problem located
        rows = data_to_rows(exc.data or {})
        return _form_page(
            request,
            rows,
            exc.problems,
            message="上传的 Excel 有误：请按提示修改标红的内容，其余内容已载入。",
            status_code=422,
            file_problems=[f"{p.path_zh}：{p.message_zh}" for p in exc.problems],
        )
    except FactSheetError as exc:
        problems = exc.problems or [Problem(path="(file)", path_zh="", message_zh="文件有误", message_en="")]
        text = "；".join(f"{p.path_zh}：{p.message_zh}" for p in problems)
        return _form_page(request, empty_form(), message=f"上传的事实表有误：{text}", status_code=422)
    new_id = save(store, accounts, user, sheet, None, unit)
    return RedirectResponse(f"/facts/{new_id}?saved=1", status_code=303)
