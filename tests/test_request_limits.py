"""One request-body limit for every route (``ZONGJIE_MAX_BODY_BYTES``; file uploads ``ZONGJIE_MAX_UPLOAD_REQUEST_MB``):
a declared length over it is refused before the body is read, a streamed body is cut off where it crosses it, both
with the error model (413, in Chinese); the OpenAPI declares 413 on every operation that takes a body."""

from __future__ import annotations

import json

from conftest import ROOT, app_client

SHEET = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))


def _limited(settings, **over):
    return app_client(settings.model_copy(update={"vector_store": "memory", "max_body_bytes": 65536, **over}))


def test_a_large_json_body_is_refused_before_it_is_read(settings):
    with _limited(settings) as client:
        big = dict(SHEET, themes=["主题"] * 40000)
        r = client.post("/api/factsheets", json=big)
        assert r.status_code == 413, r.text
        assert r.json() == {"detail": "提交的内容太大：每次请求最多 64 KB", "problems": []}
        assert client.post("/api/factsheets", json=SHEET).status_code == 201  # a normal sheet still goes in
        assert len(client.get("/api/factsheets").json()) == 1


def test_a_streamed_body_without_length_is_cut_off(settings):
    with _limited(settings) as client:

        def chunks():
            for _ in range(200):
                yield b" " * 1024  # 200 KB of whitespace, no Content-Length

        r = client.post("/api/factsheets", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413 and "最多 64 KB" in r.json()["detail"]
        r = client.put("/api/me/tokens", content=chunks())  # any route, any method
        assert r.status_code in (405, 413)


def test_forms_and_uploads_have_their_limits(settings):
    with _limited(settings, max_upload_request_mb=0.5) as client:
        csrf = client.cookies.get("zj_csrf")
        page = client.post("/facts", data={"csrf_token": csrf, "u_name": "x" * 70000}, headers={"accept": "text/html"})
        assert (
            page.status_code == 413
            and "提交的内容太大" in page.text
            and page.headers["content-type"].startswith("text/html")
        )
        files = {"file": ("sheet.json", b" " * 600_000, "application/json")}
        r = client.post("/api/factsheets/upload", files=files)
        assert r.status_code == 413 and r.json()["detail"] == "上传的文件太大：每次请求最多 512 KB"
        files = {"file": ("sheet.json", json.dumps(SHEET).encode(), "application/json")}
        assert client.post("/api/factsheets/upload", files=files).status_code == 201  # over 64 KB is fine here


def test_the_openapi_declares_413_wherever_a_body_is_taken(client):
    paths = client.get("/openapi.json").json()["paths"]
    with_body = [(p, m, op) for p, item in paths.items() for m, op in item.items() if "requestBody" in op]
    assert len(with_body) > 10
    for path, method, op in with_body:
        assert "413" in op["responses"], (method, path)
        assert op["responses"]["413"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
