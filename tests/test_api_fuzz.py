"""Schemathesis against the OpenAPI schema, signed out, as a clerk and as an admin: no generated request makes the
service answer 5xx, signed out every private operation answers 401, and no response to the clerk ever carries data of
another unit (a fact sheet and a draft of a sibling unit are planted with a marker name)."""

import json
import os
import tempfile
import time
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hsettings

from conftest import ROOT, TEST_ADMIN_PASSWORD, sign_in
from zongjie.settings import Settings
from zongjie.web.main import create_app

PUBLIC = {"/healthz", "/api/auth/login", "/api/auth/logout"}
MARKER = "甲乙丙保密测试工会"

_tmp = Path(tempfile.mkdtemp(prefix="zongjie-fuzz-"))
for key in [k for k in os.environ if k.startswith("ZONGJIE_")]:
    os.environ.pop(key)
APP = create_app(
    Settings(
        data_dir=_tmp / "var",
        vector_store="memory",
        embedder="hashing",
        storage="memory",
        environment="test",
        draft_workers=1,
        admin_password=TEST_ADMIN_PASSWORD,
    )
)
_client = TestClient(APP, raise_server_exceptions=False)
_client.__enter__()  # run the lifespan once: knowledge base, store, job runner
sign_in(_client)


def _plant() -> dict[str, str]:
    """Units A and B under the root; a clerk of A; a fact sheet and a finished draft in B named MARKER."""
    root = _client.get("/api/me").json()["unit_id"]
    a = _client.post("/api/units", json={"name": "模糊测试甲单位", "parent_id": root}).json()["id"]
    b = _client.post("/api/units", json={"name": "模糊测试乙单位", "parent_id": root}).json()["id"]
    body = {"username": "fuzzclerk", "password": "password-123", "role": "clerk", "unit_id": a}
    assert _client.post("/api/users", json=body).status_code == 201
    sheet = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
    sheet["unit"]["name"] = MARKER
    fid = _client.post("/api/factsheets", params={"unit_id": b}, json=sheet).json()["id"]
    job = _client.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(200):
        job = _client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    accounts = APP.state.accounts
    clerk = next(u for u in accounts.users() if u.username == "fuzzclerk")
    admin = next(u for u in accounts.users() if u.username == "admin")
    return {
        "clerk": accounts.create_token(clerk.id, "fuzz")[1],
        "admin": accounts.create_token(admin.id, "fuzz")[1],
        "draft": job["draft_id"],
    }


TOKENS = _plant()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
FUZZ = hsettings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_out(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code == 405:  # a method the path does not have (TRACE, …): says which it has
        assert response.headers.get("allow"), (case.method, case.formatted_path)
    elif case.path not in PUBLIC:  # a body that is not JSON at all is refused before anyone is asked who they are
        malformed = response.status_code in (400, 422) and (
            "JSON decode error" in response.text or "error parsing the body" in response.text
        )
        assert response.status_code == 401 or malformed, (case.method, case.formatted_path, response.status_code)


@schema.parametrize()
@FUZZ
def test_signed_in_as_a_clerk_sees_nothing_of_another_unit(case):
    response = case.call(headers={"Authorization": f"Bearer {TOKENS['clerk']}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    assert MARKER not in response.text and TOKENS["draft"] not in response.text, (case.method, case.formatted_path)


@schema.parametrize()
@FUZZ
def test_signed_in_as_admin_the_schema_tells_the_truth(case):
    """Every check schemathesis has (status codes, bodies, headers, Allow, schema-valid input accepted, invalid
    refused…), with the allowances in schemathesis.toml."""
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKENS['admin']}"})
