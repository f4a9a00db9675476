"""Secrets and process safety: keys never shown; placeholder keys refused in production; one embedded store per process."""

import logging
import subprocess
import sys

import pytest
from pydantic import SecretStr, ValidationError

from conftest import ROOT, app_client
from zongjie.devtools.scripted_openai import ScriptedOpenAI
from zongjie.settings import Settings

KEY = "sk-live-5f1e8c2d9b7a4e30"


@pytest.mark.parametrize("key", ["changeme", "sk-xxxx", "your-api-key", "<key>", "placeholder"])
def test_placeholder_key_is_refused_outside_development(key):
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(environment="production", llm="openai", llm_base_url="http://x/v1", llm_api_key=key)
    Settings(environment="development", llm="openai", llm_base_url="http://x/v1", llm_api_key=key)  # allowed


def test_serve_refuses_to_start_with_a_placeholder_key(tmp_path):
    env = {
        "ZONGJIE_ENVIRONMENT": "production",
        "ZONGJIE_LLM": "openai",
        "ZONGJIE_LLM_BASE_URL": "http://x/v1",
        "ZONGJIE_LLM_API_KEY": "changeme",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    r = subprocess.run(
        [sys.executable, "-m", "zongjie.cli", "serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "placeholder" in r.stdout and "changeme" not in r.stdout.replace("(changeme", "")


def test_api_key_never_appears_in_pages_api_logs_or_errors(settings, caplog):
    caplog.set_level(logging.DEBUG)
    with ScriptedOpenAI(api_key="another-key") as server:  # the key is wrong: every call fails with 401
        s = settings.model_copy(
            update={
                "vector_store": "memory",
                "llm": "openai",
                "llm_base_url": server.base_url,
                "llm_api_key": SecretStr(KEY),
                "llm_max_retries": 0,
            }
        )
        with app_client(s) as client:
            facts = (ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8")
            fid = client.post("/api/factsheets", content=facts, headers={"content-type": "application/json"}).json()[
                "id"
            ]
            job = client.post(f"/api/factsheets/{fid}/drafts").json()
            client.app.state.runner.wait(job["id"], timeout=60)
            job = client.get(f"/api/jobs/{job['id']}").json()
            draft = client.get(f"/api/drafts/{job['draft_id']}")
            assert "API Key" in draft.text  # the user is told the key was refused …
            bodies = [
                draft.text,
                client.get(f"/drafts/{job['draft_id']}").text,
                client.get("/healthz").text,
                client.get(f"/api/jobs/{job['id']}").text,
                client.get("/openapi.json").text,
                client.get("/nope", headers={"accept": "text/html"}).text,
            ]
    assert all(KEY not in b for b in bodies)  # … but never shown it
    assert KEY not in caplog.text and KEY not in repr(s) and KEY not in str(s.model_dump())


def test_embedded_store_is_single_process(settings, tmp_path):
    from zongjie.backends.vectorstore import make_store

    s = settings.model_copy(update={"vector_store": "chroma-embedded"})
    make_store(s)  # this process holds the folder (and may open it again)
    make_store(s)
    code = (
        "import sys; sys.path.insert(0, %r)\n"  # noqa: UP031
        "from zongjie.settings import Settings\nfrom zongjie.backends.vectorstore import make_store, StoreLocked\n"
        "try:\n    make_store(Settings(data_dir=%r))\nexcept StoreLocked as e:\n    print('LOCKED', e)\n"
        % (str(ROOT / "service"), str(s.data_dir))
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.startswith("LOCKED") and "chroma-server" in r.stdout
