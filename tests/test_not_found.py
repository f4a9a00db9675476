"""One NotFound → 404 with a Chinese message naming what is missing, for the API (JSON) and the pages (HTML)."""

import pytest

from conftest import app_client
from zongjie.common.errors import NotFound

API = [
    ("get", "/api/factsheets/nope", "没有找到这份事实表"),
    ("post", "/api/factsheets/nope/drafts", "没有找到这份事实表"),
    ("get", "/api/jobs/nope", "没有找到这个起草任务"),
    ("get", "/api/drafts/nope", "没有找到这份草稿"),
    ("get", "/api/drafts/nope/versions", "没有找到这份草稿"),
    ("get", "/api/drafts/nope/download.md", "没有找到这份草稿"),
    ("get", "/api/knowledge/documents/nope", "没有找到这篇总结"),
    ("patch", "/api/knowledge/documents/nope", "没有找到这篇总结"),
    ("delete", "/api/knowledge/documents/nope", "没有找到这篇总结"),
]
PAGES = [
    ("/jobs/nope", "没有找到这个起草任务"),
    ("/drafts/nope", "没有找到这份草稿"),
    ("/drafts/nope/compare", "没有找到这份草稿"),
    ("/knowledge/documents/nope", "没有找到这篇总结"),
]


@pytest.fixture
def client(settings):
    with app_client(settings.model_copy(update={"vector_store": "memory"})) as c:
        yield c


def test_unknown_ids_are_404_in_chinese(client):
    for method, url, message in API:
        kwargs = {"json": {}} if method == "patch" else {}
        r = client.request(method, url, **kwargs)
        assert r.status_code == 404, (url, r.text)
        assert r.json()["detail"] == message, url
    for url, message in PAGES:
        r = client.get(url, headers={"Accept": "text/html"})
        assert r.status_code == 404 and message in r.text and "text/html" in r.headers["content-type"], url


def test_a_missing_version_of_a_real_draft_says_so(client):
    fid = client.post(
        "/api/factsheets",
        json={
            "unit": {"name": "测试镇工会", "type": "township"},
            "period": {"year": 2025},
            "plans": [{"text": "建站"}],
        },
    ).json()["id"]
    job = client.post(f"/api/factsheets/{fid}/drafts").json()
    client.app.state.runner.wait(job["id"], timeout=60)
    draft_id = client.get(f"/api/jobs/{job['id']}").json()["draft_id"]
    assert client.get(f"/api/drafts/{draft_id}").status_code == 200
    r = client.get(f"/api/drafts/{draft_id}", params={"v": 9})
    assert r.status_code == 404 and r.json()["detail"] == "没有找到这份草稿的这个版本"


def test_not_found_names_the_thing_and_is_a_lookup_miss():
    exc = NotFound("这份草稿", "d1")
    assert isinstance(exc, KeyError) and exc.message_zh == "没有找到这份草稿" and "d1" in str(exc)
