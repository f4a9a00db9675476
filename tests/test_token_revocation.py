"""API tokens do not outlive what made them trustworthy: a password change (own or an admin's reset) revokes every
token of the user; deactivation revokes them for good — reactivating the user does not bring them back."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _token(user_client) -> TestClient:
    raw = user_client.post("/api/me/tokens", json={"name": "脚本"}).json()["token"]
    script = TestClient(user_client.app)
    script.headers["Authorization"] = f"Bearer {raw}"
    assert script.get("/api/me").status_code == 200
    return script


def test_changing_the_own_password_revokes_the_tokens(people):
    clerk = people.user("clerk", people.root, username="sun")
    script = _token(clerk)
    r = clerk.post("/api/me/password", json={"current_password": "password-123", "new_password": "new-password-1"})
    assert r.status_code == 204
    r = script.get("/api/me")
    assert r.status_code == 401 and r.json()["detail"] == "API 令牌无效或已吊销"
    assert all(t["revoked_at"] for t in clerk.get("/api/me/tokens").json())
    assert _token(clerk).get("/api/factsheets").status_code == 200  # a new one works


def test_an_admin_reset_revokes_the_tokens(people):
    clerk = people.user("clerk", people.root, username="zhou")
    script = _token(clerk)
    uid = clerk.get("/api/me").json()["id"]
    r = people.admin.post(f"/api/users/{uid}/password", json={"new_password": "reset-password-1"})
    assert r.status_code in (200, 204), r.text
    assert script.get("/api/me").status_code == 401


def test_deactivation_revokes_tokens_for_good(people):
    clerk = people.user("clerk", people.root, username="qian")
    script = _token(clerk)
    uid = clerk.get("/api/me").json()["id"]
    assert people.admin.patch(f"/api/users/{uid}", json={"active": False}).status_code == 200
    assert script.get("/api/me").status_code == 401
    assert people.admin.patch(f"/api/users/{uid}", json={"active": True}).status_code == 200
    assert script.get("/api/me").status_code == 401  # reactivation does not revive old tokens
