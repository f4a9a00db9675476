"""Fact sheets: the form (pages) and the JSON API; upload YAML/JSON/Excel; the Excel template; copy to next year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from ...facts import FactSheet, FactSheetError, Problem, parse_fact_sheet
from ...factsheet_io import fill_ids, load_bytes, use_for_next_year, xlsx_template
from ..deps import SettingsDep, StoreDep
from ..forms import data_to_rows, empty_form, errors_by_path, form_rows, rows_to_data
from ..security import CsrfDep, check_csrf
from ..templating import templates

router = APIRouter()

FACTSHEET_TYPES = (".yaml", ".yml", ".json", ".xlsx")


class FactSheetSummary(BaseModel):
    id: str
    unit_name: str
    year: int
    period: str
    updated_at: str


class Created(BaseModel):
    id: str


async def read_upload(file: UploadFile, settings, allowed: tuple[str, ...]) -> bytes:
    name = (file.filename or "").lower()
    if not name.endswith(allowed):
        raise HTTPException(415, detail=f"不支持的文件类型，只接受 {'、'.join(allowed)}")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, detail=f"文件太大，上限 {settings.max_upload_mb:g} MB")
    if not data:
        raise HTTPException(400, detail="文件是空的")
    return data


# ------------------------------------------------------------------ API
@router.get("/api/factsheets", response_model=list[FactSheetSummary], tags=["factsheets"])
def api_list(store: StoreDep):
    """Saved fact sheets, newest first."""
    return [
        FactSheetSummary(id=f.id, unit_name=f.unit_name, year=f.year, period=f.period, updated_at=f.updated_at)
        for f in store.factsheets()
    ]


@router.get("/api/factsheets/schema", tags=["factsheets"])
def api_schema():
    """The JSON Schema of a fact sheet."""
    return FactSheet.model_json_schema()


@router.post("/api/factsheets", response_model=Created, status_code=201, tags=["factsheets"])
def api_create(store: StoreDep, sheet: dict):
    """Save a fact sheet (validated; blank ids are filled in)."""
    checked = parse_fact_sheet(fill_ids(sheet))
    return Created(id=store.save_factsheet(checked.model_dump(mode="json")))


@router.get("/api/factsheets/{factsheet_id}", response_model=FactSheet, tags=["factsheets"])
def api_get(store: StoreDep, factsheet_id: str):
    return store.factsheet(factsheet_id).data


@router.put("/api/factsheets/{factsheet_id}", response_model=Created, tags=["factsheets"])
def api_update(store: StoreDep, factsheet_id: str, sheet: dict):
    store.factsheet(factsheet_id)
    checked = parse_fact_sheet(fill_ids(sheet))
    return Created(id=store.save_factsheet(checked.model_dump(mode="json"), factsheet_id))


@router.post("/api/factsheets/{factsheet_id}/next-year", response_model=Created, status_code=201, tags=["factsheets"])
@router.post("/api/factsheets/{factsheet_id}/copy", response_model=Created, status_code=201, include_in_schema=False)
def api_next_year(store: StoreDep, factsheet_id: str):
    """「用作下一年度」: last year's values become 上年同期 (prior), this year's are left blank to be filled in."""
    data = use_for_next_year(store.factsheet(factsheet_id).data)
    return Created(id=store.save_factsheet(data))


@router.post("/api/factsheets/upload", response_model=Created, status_code=201, tags=["factsheets"])
async def api_upload(store: StoreDep, settings: SettingsDep, file: Annotated[UploadFile, File()]):
    """Upload a fact sheet as .yaml, .json or .xlsx (layout: GET /facts/template.xlsx)."""
    sheet = load_bytes(await read_upload(file, settings, FACTSHEET_TYPES), file.filename or "")
    return Created(id=store.save_factsheet(sheet.model_dump(mode="json")))


# ------------------------------------------------------------------ pages
def _form_page(
    request: Request,
    rows: dict,
    errors: dict | None = None,
    factsheet_id: str | None = None,
    message: str | None = None,
    status_code: int = 200,
    drafts: list | None = None,
):
    return templates.TemplateResponse(
        request,
        "factsheet_form.html",
        {
            "f": rows,
            "errors": errors or {},
            "factsheet_id": factsheet_id,
            "message": message,
            "drafts": drafts or [],
        },
        status_code=status_code,
    )


@router.get("/", include_in_schema=False)
def home():
    return RedirectResponse("/facts", status_code=303)


@router.get("/facts", response_class=HTMLResponse, include_in_schema=False)
def page_list(request: Request, store: StoreDep):
    return templates.TemplateResponse(
        request, "factsheets.html", {"sheets": store.factsheets(), "drafts": store.drafts()}
    )


@router.get("/facts/new", response_class=HTMLResponse, include_in_schema=False)
def page_new(request: Request):
    return _form_page(request, empty_form())


@router.get("/facts/template.xlsx", include_in_schema=False)
def template_xlsx():
    return Response(
        xlsx_template(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=factsheet-template.xlsx"},
    )


@router.get("/facts/{factsheet_id}", response_class=HTMLResponse, include_in_schema=False)
def page_edit(request: Request, store: StoreDep, factsheet_id: str, saved: int = 0):
    stored = store.factsheet(factsheet_id)
    return _form_page(
        request,
        data_to_rows(stored.data),
        factsheet_id=factsheet_id,
        message="已保存" if saved else None,
        drafts=store.drafts(factsheet_id),
    )


async def _save_form(request: Request, store, factsheet_id: str | None):
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    rows = form_rows(form)
    try:
        sheet = parse_fact_sheet(rows_to_data(rows))
    except FactSheetError as exc:
        return _form_page(
            request, rows, errors_by_path(exc.problems), factsheet_id, "请按提示修改标红的内容，其余内容已保留。", 422
        )
    new_id = store.save_factsheet(sheet.model_dump(mode="json"), factsheet_id)
    if form.get("action") == "draft":
        return RedirectResponse(f"/facts/{new_id}/draft-now", status_code=303)
    return RedirectResponse(f"/facts/{new_id}?saved=1", status_code=303)


@router.post("/facts", include_in_schema=False)
async def page_create(request: Request, store: StoreDep):
    return await _save_form(request, store, None)


@router.post("/facts/{factsheet_id}", include_in_schema=False)
async def page_update(request: Request, store: StoreDep, factsheet_id: str):
    store.factsheet(factsheet_id)
    return await _save_form(request, store, factsheet_id)


@router.post("/facts/{factsheet_id}/next-year", include_in_schema=False)
@router.post("/facts/{factsheet_id}/copy", include_in_schema=False)
def page_next_year(store: StoreDep, factsheet_id: str, _: CsrfDep):
    new_id = store.save_factsheet(use_for_next_year(store.factsheet(factsheet_id).data))
    return RedirectResponse(f"/facts/{new_id}", status_code=303)


@router.post("/facts-upload", include_in_schema=False)
async def page_upload(
    request: Request, store: StoreDep, settings: SettingsDep, _: CsrfDep, file: Annotated[UploadFile, File()]
):
    try:
        data = await read_upload(file, settings, FACTSHEET_TYPES)
        sheet = load_bytes(data, file.filename or "")
    except HTTPException as exc:
        return _form_page(request, empty_form(), message=str(exc.detail), status_code=exc.status_code)
    except FactSheetError as exc:
        problems = exc.problems or [Problem(path="(file)", path_zh="", message_zh="文件有误", message_en="")]
        text = "；".join(f"{p.path_zh}：{p.message_zh}" for p in problems)
        return _form_page(request, empty_form(), message=f"上传的事实表有误：{text}", status_code=422)
    new_id = store.save_factsheet(sheet.model_dump(mode="json"))
    return RedirectResponse(f"/facts/{new_id}?saved=1", status_code=303)
