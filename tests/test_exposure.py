"""What the service must not show: a password that came from the environment, server paths (knowledge-base
``source``: a file name only, in the API and on pages), backend details on the public /healthz; and what no cache may
keep (``Cache-Control: no-store`` on API answers and signed-in pages)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from conftest import CORPUS, ROOT, TEST_ADMIN_PASSWORD, app_client
from zongjie.factsheets.model import load_fact_sheet


def test_a_password_from_the_environment_is_never_printed(settings, capsys):
    with app_client(settings.model_copy(update={"vector_store": "memory"})):
        pass
    out = capsys.readouterr().out
    assert "首次启动" in out and TEST_ADMIN_PASSWORD not in out and "ZONGJIE_ADMIN_PASSWORD" in out


def test_a_generated_password_is_shown_once(settings, capsys):
    from pydantic import SecretStr

    with app_client(settings.model_copy(update={"vector_store": "memory", "admin_password": SecretStr("")})) as c:
        assert c.get("/api/me").status_code == 200
    assert "随机生成，只显示这一次" in capsys.readouterr().out


def test_no_server_path_in_any_answer(client):
    paths = (str(ROOT), str(CORPUS), "/knowledge/corpus/")
    docs = client.get("/api/knowledge/documents").json()
    assert docs and all(d["source"] and "/" not in d["source"] and "\\" not in d["source"] for d in docs)
    bodies = [
        client.get("/api/knowledge/documents").text,
        client.get(f"/api/knowledge/documents/{docs[0]['id']}").text,
        client.get("/api/knowledge/search", params={"q": "困难职工帮扶"}).text,
        client.get("/knowledge", params={"q": "困难职工帮扶"}).text,
        client.get(f"/knowledge/documents/{docs[0]['id']}").text,
        client.get("/facts/start").text,
    ]
    sheet = load_fact_sheet(ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml").model_dump(mode="json")
    fid = client.post("/api/factsheets", json=sheet).json()["id"]
    job = client.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    draft = client.get(f"/api/drafts/{job['draft_id']}")
    assert draft.json()["exemplars"]
    bodies += [draft.text, client.get(f"/drafts/{job['draft_id']}").text]
    for body in bodies:
        assert not any(p in body for p in paths), body[:300]


def test_public_health_says_only_up_or_down(people):
    anonymous = people.anonymous()
    r = anonymous.get("/healthz")
    assert r.status_code == 200 and r.json() == {"ok": True}
    clerk = people.user("clerk", people.root)
    assert clerk.get("/healthz").json() == {"ok": True}
    detail = people.admin.get("/healthz").json()
    assert detail["ok"] and detail["vector_store"]["sections"] > 0 and detail["database"]["ok"]


def test_signed_in_answers_are_not_stored_by_caches(client):
    for path in ("/api/me", "/api/factsheets", "/facts", "/knowledge", "/account"):
        assert client.get(path).headers.get("cache-control") == "no-store", path
    assert client.get("/api/nope").headers.get("cache-control") == "no-store"
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    anonymous = TestClient(client.app)
    assert anonymous.get("/api/me").headers.get("cache-control") == "no-store"  # API answers, signed in or not
