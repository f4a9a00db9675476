"""App factory. ``uvicorn --factory zongjie.web.main:create_app`` or ``zongjie serve``.

Nothing is built at import time: ``create_app(settings)`` wires the knowledge base, the draft store and the
job queue (``Settings.job_queue``) in the lifespan (sample corpus ingested on first start; the queue deals with
jobs a previous process left unfinished) and registers one router per resource.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NotFound
from ..facts import FactSheetError
from ..settings import Settings
from .routers import draft_pages, drafts, factsheets, health, job_events, knowledge
from .security import security_middleware
from .templating import templates

log = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from ..jobs import make_queue
        from ..knowledge_base import connect_knowledge_base
        from ..stages.ingest import ingest
        from ..storage.store import make_store

        kb = connect_knowledge_base(settings)
        if settings.sample_corpus.is_dir() and kb.store.count() == 0:
            ingest([settings.sample_corpus], kb)
        store = make_store(settings)
        runner = make_queue(settings, store, kb)
        runner.recover()
        app.state.kb = kb
        app.state.store = store
        app.state.runner = runner
        yield
        app.state.runner.shutdown()

    app = FastAPI(
        title="Zongjie 工会工作总结起草助手",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="起草工会工作总结：事实表、知识库、起草任务、草稿核对与导出。错误响应统一为 "
        '{"detail": 说明, "problems": [逐项问题]}。',
    )
    app.state.settings = settings
    app.middleware("http")(security_middleware)

    def error(request: Request, status: int, detail: str, problems: list | None = None):
        if _wants_html(request):
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": status, "detail": detail, "problems": problems or []},
                status_code=status,
            )
        return JSONResponse({"detail": detail, "problems": problems or []}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "页面不存在"
        return error(request, exc.status_code, detail)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error(request, 404, exc.message_zh)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = [{"path": ".".join(str(x) for x in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return error(request, 422, "请求内容有误", problems)

    @app.exception_handler(FactSheetError)
    async def factsheet_error(request: Request, exc: FactSheetError):
        problems = [
            {"path": p.path, "path_zh": p.path_zh, "message": p.message_zh, "message_en": p.message_en}
            for p in exc.problems
        ]
        return error(request, 422, "事实表有误", problems)

    app.mount("/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static")
    _offline_docs(app)
    app.include_router(health.router)
    app.include_router(knowledge.router)
    app.include_router(factsheets.router)
    app.include_router(drafts.router)
    app.include_router(draft_pages.router)
    app.include_router(job_events.router)
    return app


def _offline_docs(app: FastAPI) -> None:
    """/docs served from the swagger-ui-bundle wheel (no CDN: the machine may have no internet)."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=app.title + " · 接口文档",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
