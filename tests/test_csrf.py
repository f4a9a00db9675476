"""Cross-site requests: a state change signed in by the session cookie must prove it comes from the site's own pages
(a same-origin ``Origin``, or ``Sec-Fetch-Site: same-origin``); ``Origin: null`` or none at all is refused, API
tokens are not affected; the Host allow-list (``ZONGJIE_ALLOWED_HOSTS``); Secure cookies in production."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from conftest import ROOT, TEST_ADMIN_PASSWORD, app_client, sign_in

SHEET = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))


def _cookie_client(app) -> TestClient:
    """Signed in by the session cookie, with no Origin header (what a forged cross-site request looks like)."""
    c = sign_in(TestClient(app))
    del c.headers["origin"]
    return c


def test_cookie_signed_state_changes_need_the_own_origin(client):
    bare = _cookie_client(client.app)
    for headers in ({}, {"origin": "null"}, {"origin": "https://evil.example"}, {"sec-fetch-site": "same-site"}):
        r = bare.post("/api/factsheets", json=SHEET, headers=headers)
        assert r.status_code == 403, (headers, r.status_code)
        assert r.json()["detail"].startswith("拒绝跨站提交") and r.json()["problems"] == []
    assert bare.delete("/api/me/tokens/x").status_code == 403
    assert bare.post("/api/factsheets", json=SHEET, headers={"origin": "http://testserver"}).status_code == 201
    assert bare.post("/api/factsheets", json=SHEET, headers={"sec-fetch-site": "same-origin"}).status_code == 201
    assert bare.get("/api/factsheets").status_code == 200  # reading needs no proof
    evil = bare.post(
        "/api/factsheets", json=SHEET, headers={"origin": "http://testserver", "sec-fetch-site": "cross-site"}
    )
    assert evil.status_code == 403


def test_forms_and_uploads_are_covered_too(client):
    bare = _cookie_client(client.app)
    csrf = client.cookies.get("zj_csrf")
    bare.cookies.set("zj_csrf", csrf)
    r = bare.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 403
    files = {"file": ("s.json", json.dumps(SHEET).encode(), "application/json")}
    assert bare.post("/api/factsheets/upload", files=files, headers={"origin": "null"}).status_code == 403


def test_api_tokens_need_no_origin(client):
    raw = client.post("/api/me/tokens", json={"name": "脚本"}).json()["token"]
    script = TestClient(client.app, headers={"Authorization": f"Bearer {raw}"})
    assert script.post("/api/factsheets", json=SHEET).status_code == 201
    assert script.post("/api/factsheets", json=SHEET, headers={"origin": "null"}).status_code == 201


def test_signing_in_from_a_script_needs_no_origin_but_null_is_refused(client):
    anonymous = TestClient(client.app)
    body = {"username": "admin", "password": TEST_ADMIN_PASSWORD}
    assert anonymous.post("/api/auth/login", json=body, headers={"origin": "null"}).status_code == 403
    assert anonymous.post("/api/auth/login", json=body).status_code == 200


def test_host_allow_list(settings):
    s = settings.model_copy(update={"vector_store": "memory", "allowed_hosts": "testserver, zongjie.example.org"})
    with app_client(s) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"host": "zongjie.example.org"}).status_code == 200
        r = c.get("/api/me", headers={"host": "evil.example"})
        assert r.status_code == 400 and "主机名" in r.json()["detail"] and r.json()["problems"] == []


def test_every_cookie_is_secure_in_production(settings):
    s = settings.model_copy(update={"environment": "production", "vector_store": "memory"})
    with app_client(s) as c:
        r = TestClient(c.app).get("/login")
        cookie = r.headers["set-cookie"]
        assert "zj_csrf=" in cookie and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    dev = settings.model_copy(update={"vector_store": "memory"})
    with app_client(dev) as c:
        assert "Secure" not in TestClient(c.app).get("/login").headers["set-cookie"]
