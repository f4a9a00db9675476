"""/docs: Swagger UI 5 (reads OpenAPI 3.1) served from the swagger-ui-py wheel — no CDN, no inline script, so the
page runs under the same Content-Security-Policy as every other page — and the OpenAPI document itself.

``openapi_document`` makes the schema tell the truth about errors: every error response uses the one error model
(``{"detail": str, "problems": [...]}``) instead of FastAPI's ``HTTPValidationError``.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..templating import templates

router = APIRouter()


def mount_assets(app: FastAPI) -> None:
    app.mount("/docs-assets", StaticFiles(directory=str(files("swagger_ui") / "static")), name="docs-assets")


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def page_docs(request: Request):
    return templates.TemplateResponse(request, "docs.html", {"title": request.app.title})


PUBLIC_OPERATIONS = {("/healthz", "get"), ("/api/auth/login", "post"), ("/api/auth/logout", "post")}


def _security(schema: dict) -> None:
    """How to sign in (an API token as Bearer, or the session cookie) and which operations need it (all but
    the public ones)."""
    schema["components"]["securitySchemes"] = {
        "apiToken": {"type": "http", "scheme": "bearer", "description": "API 令牌（我的账户 → API 令牌）"},
        "session": {"type": "apiKey", "in": "cookie", "name": "zj_session", "description": "登录后的会话 cookie"},
    }
    schema["security"] = [{"apiToken": []}, {"session": []}]
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if (path, method) in PUBLIC_OPERATIONS:
                operation["security"] = []


def _body_models(schema: dict) -> None:
    """Operations that read their JSON body by hand (to answer with field-by-field Chinese problems) name its model
    with ``openapi_extra={"x-body-model": "FactSheet"}``; that model becomes the declared body schema."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            model = operation.pop("x-body-model", None)
            if model:
                operation["requestBody"]["content"]["application/json"]["schema"] = _input_schema(schema, model)


TRUTH_WORDS = ["0", "1", "false", "true", "f", "t", "no", "yes", "n", "y", "off", "on"]


def _input_schema(schema: dict, name: str) -> dict:
    """``{name}Input`` and its parts in components, as clients may send them: fact ids are filled in when missing."""
    from ...factsheets.model import FactSheet

    models = {"FactSheet": FactSheet}
    generated = models[name].model_json_schema(ref_template="#/components/schemas/{model}Input")
    components = schema["components"]["schemas"]
    for part, sub in [*generated.pop("$defs", {}).items(), (name, generated)]:
        if "required" in sub:
            sub["required"] = [r for r in sub["required"] if r != "id"]
        if "id" in sub.get("properties", {}):  # null or empty: filled in like a missing id
            given = sub["properties"]["id"]
            sub["properties"]["id"] = {"anyOf": [given, {"type": "null"}, {"const": ""}], "title": given.get("title")}
        for prop in sub.get("properties", {}).values():  # yes/no read as pydantic reads them: 0/1, yes/no words
            if prop.get("type") == "boolean":
                del prop["type"]
                prop["anyOf"] = [{"type": "boolean"}, {"enum": [0, 1]}, {"enum": TRUTH_WORDS}]
        components[f"{part}Input"] = sub
    notes = components.get("SectionWorkInput", {}).get("properties", {}).get("notes")
    if notes and "NoteInput" in components:  # a note may be written as its text alone (see facts.fill_ids)
        text = components["NoteInput"]["properties"]["text"]
        notes["items"] = {
            "anyOf": [notes["items"], {k: v for k, v in text.items() if k not in ("title", "description")}]
        }
    return {"$ref": f"#/components/schemas/{name}Input"}


def _unreadable_bodies(schema: dict, error_ref: dict) -> None:
    """A body that cannot be read at all (broken JSON or multipart) is answered 400 before any validation."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if "requestBody" in operation:
                operation["responses"].setdefault(
                    "400",
                    {"description": "请求体无法解析", "content": {"application/json": {"schema": dict(error_ref)}}},
                )
                multipart = "multipart/form-data" in operation["requestBody"].get("content", {})
                limit = "ZONGJIE_MAX_UPLOAD_REQUEST_MB" if multipart else "ZONGJIE_MAX_BODY_BYTES"
                operation["responses"].setdefault(
                    "413",
                    {
                        "description": f"请求体超过上限（{limit}），未读取",
                        "content": {"application/json": {"schema": dict(error_ref)}},
                    },
                )


def openapi_document(app: FastAPI, error_model) -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes, tags=app.openapi_tags
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_ref = {"$ref": f"#/components/schemas/{error_model.__name__}"}
    for name, sub in (
        error_model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}).items()
    ):
        components.setdefault(name, sub)
    components.setdefault(
        error_model.__name__,
        {
            k: v
            for k, v in error_model.model_json_schema(ref_template="#/components/schemas/{model}").items()
            if k != "$defs"
        },
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {}).get("application/json", {})
                if content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    content["schema"] = dict(error_ref)
                    response["description"] = "请求内容有误（problems 逐项说明）"
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    _body_models(schema)
    _unreadable_bodies(schema, error_ref)
    _security(schema)
    app.openapi_schema = schema
    return schema
