from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import KBDep, SettingsDep, StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(kb: KBDep, store: StoreDep, settings: SettingsDep):
    """Health of the service and its backends: vector store, database, LLM setting (never its key)."""
    try:
        vector = {"ok": True, "backend": settings.vector_store, "sections": kb.store.count()}
    except Exception as exc:  # the backend is down: report it, do not crash
        vector = {"ok": False, "backend": settings.vector_store, "error": exc.__class__.__name__}
    try:
        database = {"ok": bool(store.healthy()), "backend": settings.storage}
    except Exception as exc:
        database = {"ok": False, "backend": settings.storage, "error": exc.__class__.__name__}
    ok = vector["ok"] and database["ok"]
    return JSONResponse({"ok": ok, "vector_store": vector, "database": database,
                         "llm": {"backend": settings.llm, "model": settings.llm_model if settings.llm != "offline" else None}},
                        status_code=200 if ok else 503)
