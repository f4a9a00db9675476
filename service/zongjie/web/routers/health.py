from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..auth import credentials
from ..deps import KBDep, SettingsDep, StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request, kb: KBDep, store: StoreDep, settings: SettingsDep):
    """Up or down: ``{"ok": true}`` (200) or ``{"ok": false}`` (503) for everyone. Signed-in admins also get the
    backends: vector store (sections), database, LLM setting and whether its endpoint answers (never its key)."""
    vector: dict[str, object]
    database: dict[str, object]
    try:
        vector = {"ok": True, "backend": settings.vector_store, "sections": kb.store.count()}
    except Exception as exc:  # the backend is down: report it, do not crash
        vector = {"ok": False, "backend": settings.vector_store, "error": exc.__class__.__name__}
    try:
        database = {"ok": bool(store.healthy()), "backend": settings.storage}
    except Exception as exc:
        database = {"ok": False, "backend": settings.storage, "error": exc.__class__.__name__}
    ok = bool(vector["ok"] and database["ok"])
    status = 200 if ok else 503
    user, _ = credentials(request, request.app.state.accounts)
    if user is None or not user.is_admin:
        return JSONResponse({"ok": ok}, status_code=status)
    llm: dict[str, object] = {
        "backend": settings.llm,
        "model": settings.llm_model if settings.llm != "offline" else None,
    }
    if settings.llm != "offline" and settings.llm_base_url:
        llm.update(_llm_reachable(settings.llm_base_url))  # informative: a down LLM means offline drafting
    return JSONResponse({"ok": ok, "vector_store": vector, "database": database, "llm": llm}, status_code=status)


_LLM_CACHE: dict[str, tuple[float, dict[str, object]]] = {}


def _llm_reachable(base_url: str) -> dict[str, object]:
    """GET {base_url}/models with a short timeout, cached for 30 s; never raises, never shows the key."""
    import time

    import httpx

    now = time.monotonic()
    cached = _LLM_CACHE.get(base_url)
    if cached and now - cached[0] < 30:
        return cached[1]
    try:
        status = httpx.get(base_url.rstrip("/") + "/models", timeout=2).status_code
        result: dict[str, object] = {"reachable": True, "status": status}
    except httpx.HTTPError as exc:
        result = {"reachable": False, "error": type(exc).__name__}
    _LLM_CACHE[base_url] = (now, result)
    return result
