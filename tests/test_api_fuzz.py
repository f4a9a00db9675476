"""Schemathesis against the OpenAPI schema: no generated request makes the service answer 5xx."""

import os
import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hsettings

from zongjie.settings import Settings
from zongjie.web.main import create_app

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
    )
)
_client = TestClient(APP, raise_server_exceptions=False)
_client.__enter__()  # run the lifespan once: knowledge base, store, job runner
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()  # through the ASGI app, with its lifespan already run
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
