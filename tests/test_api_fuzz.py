"""Schemathesis against the OpenAPI schema, signed out, as a clerk and as an admin: no generated request makes the
service answer 5xx, signed out every private operation answers 401, and no response to the clerk ever carries data of
another unit (a fact sheet and a draft of a sibling unit are planted with a marker name).

The app, its data and the schema are built by module fixtures (``schemathesis.pytest.from_fixture``), so nothing
runs at import time and collecting the suite stays fast."""

import json
import time

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hsettings

from conftest import ROOT, TEST_ADMIN_PASSWORD, sign_in

PUBLIC = {"/healthz", "/api/auth/login", "/api/auth/logout"}
MARKER = "甲乙丙保密测试工会"


def _plant(app, client) -> dict[str, str]:
    """Units A and B under the root; a clerk of A; a fact sheet and a finished draft in B named MARKER."""
    root = client.get("/api/me").json()["unit_id"]
    a = client.post("/api/units", json={"name": "模糊测试甲单位", "parent_id": root}).json()["id"]
    b = client.post("/api/units", json={"name": "模糊测试乙单位", "parent_id": root}).json()["id"]
    body = {"username": "fuzzclerk", "password": "password-123", "role": "clerk", "unit_id": a}
    assert client.post("/api/users", json=body).status_code == 201
    sheet = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
    sheet["unit"]["name"] = MARKER
    fid = client.post("/api/factsheets", params={"unit_id": b}, json=sheet).json()["id"]
    job = client.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(600):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed", "interrupted"):
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    accounts = app.state.accounts
    clerk = next(u for u in accounts.users() if u.username == "fuzzclerk")
    admin = next(u for u in accounts.users() if u.username == "admin")
    return {
        "clerk": accounts.create_token(clerk.id, "fuzz")[1],
        "admin": accounts.create_token(admin.id, "fuzz")[1],
        "draft": job["draft_id"],
        "factsheet": fid,
    }


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """The app on a temporary database and memory knowledge base, with the planted data; (app, tokens)."""
    import os

    from zongjie.settings import Settings
    from zongjie.web.main import create_app

    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("ZONGJIE_")]:
            mp.delenv(key)
        app = create_app(
            Settings(
                data_dir=tmp_path_factory.mktemp("fuzz") / "var",
                vector_store="memory",
                embedder="hashing",
                environment="test",
                draft_workers=1,
                admin_password=TEST_ADMIN_PASSWORD,
            )
        )
        with TestClient(app, raise_server_exceptions=False) as client:  # the lifespan: kb, store, job queue
            sign_in(client)
            yield app, _plant(app, client)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app[0])


@pytest.fixture(scope="module")
def tokens(fuzz_app):
    return fuzz_app[1]


@pytest.fixture(autouse=True)
def _node_id(request):
    """schemathesis' lazy tests read ``node._nodeid`` (pytest < 9 kept the id there) to name each operation."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = hsettings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def _cross_site(case, response) -> bool:
    """A generated foreign ``Origin`` header makes the request cross-site: refused (403) before credentials count."""
    origin = {k.lower(): v for k, v in (case.headers or {}).items()}.get("origin")
    return origin is not None and response.status_code == 403 and "跨站" in response.text


@schema.parametrize()
@hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_out(case):
    """Without credentials (or with a made-up token) every private operation answers 401 — before any body is
    read, so no malformed upload gets a 400 or 422 first."""
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code == 405:  # a method the path does not have (TRACE, …): says which it has
        assert response.headers.get("allow"), (case.method, case.formatted_path)
    elif case.path not in PUBLIC and not _cross_site(case, response):
        assert response.status_code == 401, (case.method, case.formatted_path, response.status_code, response.text)


@schema.parametrize()
@FUZZ
def test_signed_in_as_a_clerk_sees_nothing_of_another_unit(case, tokens):
    response = case.call(headers={"Authorization": f"Bearer {tokens['clerk']}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    for secret in (MARKER, tokens["draft"], tokens["factsheet"]):
        assert secret not in response.text, (case.method, case.formatted_path, secret)


@schema.parametrize()
@FUZZ
def test_signed_in_as_admin_the_schema_tells_the_truth(case, tokens):
    """Every check schemathesis has (status codes, bodies, headers, Allow, schema-valid input accepted, invalid
    refused…), with the allowances in schemathesis.toml."""
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens['admin']}"})
