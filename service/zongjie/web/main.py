"""App factory. ``uvicorn --factory zongjie.web.main:create_app`` or ``zongjie serve``.

Nothing is built at import time: ``create_app(settings)`` wires the knowledge base, the draft store and the
job queue (``Settings.job_queue``) in the lifespan (sample corpus ingested on first start; the queue deals with
jobs a previous process left unfinished) and registers one router per resource.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from ..common.errors import NotFound
from ..factsheets.model import FactSheetError
from ..settings import Settings
from .auth import credentials_gate
from .errors import ErrorOut
from .limits import AllowedHosts, BodyLimitMiddleware, too_large
from .messages import http_detail, validation_problems
from .routers import (
    admin,
    auth,
    docs,
    draft_pages,
    drafts,
    factsheets,
    health,
    job_events,
    kb_structure,
    knowledge,
    knowledge_imports,
    notifications,
    quality,
    review,
    rollup_pages,
    rollups,
    start,
    trash,
)
from .security import security_middleware
from .templating import templates
from .upload_parsing import ParsePool

log = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from ..backends.knowledge_base import connect_knowledge_base
        from ..jobs import make_queue
        from ..stages.ingest import ingest
        from ..storage.store import make_store

        kb = connect_knowledge_base(settings)
        if settings.sample_corpus.is_dir() and kb.store.count() == 0:
            ingest([settings.sample_corpus], kb)
        store = make_store(settings)
        app.state.accounts, app.state.reviews = _accounts(settings, store)
        app.state.rollups = _rollups(store)
        runner = make_queue(settings, store, kb)
        runner.recover()
        app.state.kb = kb
        app.state.store = store
        app.state.runner = runner
        app.state.parse_pool = ParsePool(settings.parse_workers)
        if settings.environment != "test":
            app.state.parse_pool.start()
        yield
        app.state.runner.shutdown()
        app.state.parse_pool.shutdown()

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
    # outermost last: Host allow-list → body limit → cross-site refusal and headers → credentials
    app.middleware("http")(credentials_gate)
    app.middleware("http")(security_middleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=int(settings.max_upload_request_mb * 1_048_576),
    )
    if settings.allowed_host_list != ["*"]:
        app.add_middleware(AllowedHosts, allowed_hosts=settings.allowed_host_list)

    def error(request: Request, status: int, detail: str, problems: list | None = None, headers=None):
        if _wants_html(request):
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": status, "detail": detail, "problems": problems or [], "back": _same_site_referer(request)},
                status_code=status,
                headers=headers,
            )
        return JSONResponse({"detail": detail, "problems": problems or []}, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = http_detail(exc.status_code, exc.detail)  # a framework's English detail said in Chinese
        headers = getattr(exc, "headers", None)
        if exc.status_code == 413 and exc.detail == "Content Too Large":  # the body limit (web/limits.py)
            detail = too_large(request.scope)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request.app, request.url.path)}
        if exc.status_code == 401 and _wants_html(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return error(request, exc.status_code, detail, headers=headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error(request, 404, exc.message_zh)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = validation_problems(list(exc.errors()))
        return error(request, 422, "请求内容有误：" + "；".join(p["message"] for p in problems[:3]), problems)

    @app.exception_handler(FactSheetError)
    async def factsheet_error(request: Request, exc: FactSheetError):
        problems = [
            {"path": p.path, "path_zh": p.path_zh, "message": p.message_zh, "message_en": p.message_en}
            for p in exc.problems
        ]
        return error(request, 422, "事实表有误", problems)

    app.mount("/static", StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="static")
    docs.mount_assets(app)
    routers = (
        health,
        auth,
        docs,
        admin,
        knowledge,
        knowledge_imports,
        kb_structure,
        start,  # before factsheets: /facts/start is not a fact sheet's id
        factsheets,
        drafts,
        draft_pages,
        job_events,
        review,
        trash,
        rollups,
        rollup_pages,
        quality,
    )
    for module in (*routers, notifications):
        app.include_router(module.router)
    # FastAPI's documented way to customise the schema is to replace this method on the app
    app.openapi = lambda: docs.openapi_document(app, ErrorOut)  # type: ignore[method-assign]
    return app


def _same_site_referer(request: Request) -> str:
    """The page the user came from, when it is a page of this site and not the one that failed (for 「返回上一页」)."""
    from urllib.parse import urlsplit

    ref = urlsplit(request.headers.get("referer", ""))
    if ref.netloc != request.url.netloc or not ref.path.startswith("/") or ref.path.startswith("//"):
        return ""
    target = ref.path + (f"?{ref.query}" if ref.query else "")
    return "" if target == request.url.path else target


def _allowed_methods(app: FastAPI, path: str) -> str:
    """Every method some route answers at ``path`` (Starlette's 405 names only the first route that matched)."""
    from fastapi import routing

    routes = list(routing.iter_route_contexts(app.routes)) if hasattr(routing, "iter_route_contexts") else app.routes
    matching: dict[int, set[str]] = {}  # by the number of path parameters: the most literal template names it
    for r in routes:
        route = getattr(r, "route", r)
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):  # APIRoute is a Route
            matching.setdefault(route.path.count("{"), set()).update(route.methods)
    return ", ".join(sorted(matching[min(matching)])) if matching else ""


def _accounts(settings: Settings, store):
    """The account and review stores on the draft store's database; the first admin on a fresh database."""
    from ..auth.bootstrap import first_admin, sign_in_banner
    from ..storage.accounts import AccountStore
    from ..storage.review import ReviewStore

    accounts = AccountStore(store.engine)
    reviews = ReviewStore(store.engine)
    created = first_admin(accounts, settings)
    if created:
        print(sign_in_banner(*created, url=settings.public_url), flush=True)
    return accounts, reviews


def _rollups(store):
    """The roll-up store on the draft store's database (issue 26)."""
    from ..storage.rollups import RollupStore

    return RollupStore(store.engine)
