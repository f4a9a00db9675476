"""Accounts: sign-in (form and API), cookies, throttling, password change, API tokens, first run, the CLI."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient
from sqlalchemy import text

from conftest import TEST_ADMIN_PASSWORD, app_client, free_port, same_origin, serve_env, start_serve, wait_http


def test_sign_in_with_the_form_and_out_again(client):
    anonymous = same_origin(TestClient(client.app))  # a browser: its posts carry Origin
    r = anonymous.get("/facts", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Ffacts"
    page = anonymous.get("/login?next=/facts")
    assert "登录" in page.text
    csrf = anonymous.cookies.get("zj_csrf")
    bad = anonymous.post("/login", data={"csrf_token": csrf, "username": "admin", "password": "wrong", "next": "/"})
    assert bad.status_code == 401 and "用户名或密码不正确" in bad.text and 'value="admin"' in bad.text
    ok = anonymous.post(
        "/login",
        data={"csrf_token": csrf, "username": "admin", "password": TEST_ADMIN_PASSWORD, "next": "/facts"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/facts"
    cookie = ok.headers["set-cookie"]
    assert "zj_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert anonymous.get("/api/me").json()["role"] == "admin"
    evil = anonymous.post(
        "/login",
        data={"csrf_token": csrf, "username": "admin", "password": TEST_ADMIN_PASSWORD, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/"  # no open redirect
    assert anonymous.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert anonymous.get("/api/me").status_code == 401


def test_cookies_are_secure_in_production(settings):
    s = settings.model_copy(update={"environment": "production", "vector_store": "memory"})
    with app_client(s) as c:
        r = TestClient(c.app).post("/api/auth/login", json={"username": "admin", "password": TEST_ADMIN_PASSWORD})
        assert r.status_code == 200 and "Secure" in r.headers["set-cookie"]


def test_login_is_throttled(client):
    anonymous = TestClient(client.app)
    for _ in range(5):
        r = anonymous.post("/api/auth/login", json={"username": "admin", "password": "guess"})
        assert r.status_code == 401 and r.json() == {"detail": "用户名或密码不正确", "problems": []}
    r = anonymous.post("/api/auth/login", json={"username": "admin", "password": TEST_ADMIN_PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and "分钟后再试" in r.json()["detail"]
    # another account from the same address is not locked out by these failures
    client.post(
        "/api/users", json={"username": "li", "password": "password-123", "role": "clerk", "unit_id": _root(client)}
    )
    assert anonymous.post("/api/auth/login", json={"username": "li", "password": "password-123"}).status_code == 200


def _root(client) -> str:
    return client.get("/api/me").json()["unit_id"]


def test_password_change_ends_other_sessions(people):
    clerk = people.user("clerk", people.root, username="wang")
    other_device = TestClient(clerk.app)
    assert (
        other_device.post("/api/auth/login", json={"username": "wang", "password": "password-123"}).status_code == 200
    )
    r = clerk.post("/api/me/password", json={"current_password": "nope-nope", "new_password": "new-password-1"})
    assert r.status_code == 403 and r.json()["detail"] == "当前密码不正确"
    r = clerk.post("/api/me/password", json={"current_password": "password-123", "new_password": "short"})
    assert r.status_code == 422
    r = clerk.post("/api/me/password", json={"current_password": "password-123", "new_password": "new-password-1"})
    assert r.status_code == 204
    assert clerk.get("/api/me").status_code == 200  # this session stays
    assert other_device.get("/api/me").status_code == 401  # the other one ended
    fresh = TestClient(clerk.app)
    assert fresh.post("/api/auth/login", json={"username": "wang", "password": "password-123"}).status_code == 401
    assert fresh.post("/api/auth/login", json={"username": "wang", "password": "new-password-1"}).status_code == 200
    stored = clerk.app.state.accounts.engine.connect().execute(text("SELECT password_hash FROM users")).scalars().all()
    assert all(h.startswith("$argon2id$") for h in stored)


def test_api_tokens_are_hashed_and_revocable(client):
    r = client.post("/api/me/tokens", json={"name": "导入脚本"})
    assert r.status_code == 201
    token, token_id = r.json()["token"], r.json()["id"]
    script = TestClient(client.app)
    script.headers["Authorization"] = f"Bearer {token}"
    assert script.get("/api/factsheets").status_code == 200
    with client.app.state.accounts.engine.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert token not in stored and len(stored[0]) == 64
    listed = client.get("/api/me/tokens").json()
    assert listed[0]["name"] == "导入脚本" and listed[0]["last_used_at"] and "token" not in listed[0]
    assert client.delete(f"/api/me/tokens/{token_id}").status_code == 204
    r = script.get("/api/factsheets")
    assert r.status_code == 401 and r.json()["detail"] == "API 令牌无效或已吊销"


def test_deactivated_users_are_signed_out(people, client):
    clerk = people.user("clerk", people.root, username="zhao")
    uid = clerk.get("/api/me").json()["id"]
    assert client.patch(f"/api/users/{uid}", json={"active": False}).status_code == 200
    assert clerk.get("/api/me").status_code == 401
    assert (
        TestClient(client.app)
        .post("/api/auth/login", json={"username": "zhao", "password": "password-123"})
        .status_code
        == 401
    )
    me = client.get("/api/me").json()["id"]
    assert client.patch(f"/api/users/{me}", json={"active": False}).status_code == 409  # not yourself


def test_units_form_a_tree_without_cycles(people, client):
    a = people.unit("甲镇工会")
    a1 = people.unit("甲镇某企业工会", parent=a, unit_type="enterprise")
    r = client.patch(f"/api/units/{a}", json={"parent_id": a1})
    assert r.status_code == 409 and "下级" in r.json()["detail"]
    editor = people.user("editor", a)
    assert {u["id"] for u in editor.get("/api/units").json()} == {a, a1}
    clerk = people.user("clerk", a1)
    assert {u["id"] for u in clerk.get("/api/units").json()} == {a1}


def test_first_run_creates_the_admin_and_prints_how_to_sign_in(tmp_path):
    port = free_port()
    env = serve_env(tmp_path / "var", vector_store="memory")
    env.pop("ZONGJIE_ADMIN_PASSWORD")  # as on a fresh machine: a random password is generated and printed
    proc = start_serve(tmp_path, port, env, output=subprocess.PIPE)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=90) is not None
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode()
    assert "首次启动：已创建管理员账户" in out and f"http://127.0.0.1:{port}/login" in out
    password = next(line.split("：", 1)[1].split("（")[0] for line in out.splitlines() if "密码：" in line)
    assert len(password) >= 12
    # the CLI sees the same database: another admin, and the first one's password reset
    cli = [sys.executable, "-m", "zongjie.cli", "users"]
    run = lambda *a: subprocess.run(cli + list(a), env=env, cwd=tmp_path, capture_output=True, text=True)  # noqa: E731
    assert run("create-admin", "second", "--password", "second-password").returncode == 0
    assert run("create-admin", "second", "--password", "second-password").returncode == 1
    assert run("set-password", "admin", "--password", "x").returncode == 2
    assert run("set-password", "admin", "--password", "reset-password").returncode == 0
    listed = run("list").stdout
    assert "admin" in listed and "second" in listed and "管理员" in listed
    env["ZONGJIE_ADMIN_PASSWORD"] = "ignored-now"
    proc = start_serve(tmp_path, port, env, output=subprocess.PIPE)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/healthz", timeout=90) is not None
        import httpx

        r = httpx.post(
            f"http://127.0.0.1:{port}/api/auth/login", json={"username": "admin", "password": "reset-password"}
        )
        assert r.status_code == 200
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode()
    assert "首次启动" not in out
