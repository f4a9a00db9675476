from conftest import app_client


def test_service_loads_sample_corpus_and_searches(settings):
    with app_client(settings) as client:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["vector_store"]["sections"] > 50
        r = client.get("/api/knowledge/search", params={"q": "院务公开", "unit_type": "hospital", "k": 2})
        assert r.status_code == 200 and r.json()[0]["unit_type"] == "hospital"
        assert client.get("/api/knowledge/search", params={"q": "x", "unit_type": "nope"}).status_code == 422
        docs = client.get("/api/knowledge/documents").json()
        assert len(docs) == 13
        assert client.get(f"/api/knowledge/documents/{docs[0]['id']}").json()["title"] == docs[0]["title"]
        assert client.get("/api/knowledge/documents/nope").status_code == 404
        page = client.get("/knowledge", params={"q": "<script>alert(1)</script>帮扶"}).text
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert "资料库检索" in page
