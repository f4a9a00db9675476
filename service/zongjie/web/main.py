"""App factory. ``uvicorn --factory zongjie.web.main:create_app`` or ``zongjie serve``."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..settings import Settings
from .routers import health, knowledge


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from ..knowledge_base import KnowledgeBase
        from ..stages.ingest import ingest

        kb = KnowledgeBase.from_settings(settings)
        if settings.sample_corpus.is_dir() and kb.store.count() == 0:
            ingest([settings.sample_corpus], kb)
        app.state.kb = kb
        yield

    app = FastAPI(title="Zongjie 工会工作总结起草助手", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(knowledge.router)
    return app
