from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import KBDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(kb: KBDep, settings: SettingsDep):
    """Health of the service and its knowledge-base backend."""
    try:
        sections = kb.store.count()
        store = {"ok": True, "backend": settings.vector_store, "sections": sections}
    except Exception as exc:  # the backend is down: report it, do not crash
        store = {"ok": False, "backend": settings.vector_store, "error": exc.__class__.__name__}
    ok = store["ok"]
    return JSONResponse({"ok": ok, "vector_store": store, "llm": settings.llm}, status_code=200 if ok else 503)
