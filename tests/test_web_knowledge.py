"""Knowledge-base pages and API: upload past summaries, list, correct metadata, delete."""

from conftest import app_client

SUMMARY = """西岭镇工会2024年工作总结

2024年，西岭镇工会在镇党委的领导下扎实推进各项工作。

一、加强组织建设
全年新建企业工会5家，发展会员210名。

二、做好帮扶工作
走访慰问困难职工18户。
"""


def test_upload_edit_delete(settings):
    settings = settings.model_copy(update={"vector_store": "memory"})
    with app_client(settings) as client:
        client.get("/knowledge")
        token = client.cookies.get("zj_csrf")
        before = len(client.get("/api/knowledge/documents").json())
        r = client.post(
            "/knowledge/imports",
            data={"csrf_token": token},
            files=[
                ("files", ("西岭镇.txt", SUMMARY.encode("gbk"))),
                ("files", ("bad.exe", b"MZ")),
                ("files", ("empty.txt", b"")),
            ],
        )
        assert r.status_code == 200 and "/knowledge/imports/" in str(r.url)  # the import job's page
        client.app.state.runner.wait(str(r.url).rsplit("/", 1)[1], timeout=120)
        r = client.get(r.url)
        assert "已入库" in r.text and "不支持的文件类型" in r.text and "文件是空的" in r.text
        docs = client.get("/api/knowledge/documents").json()
        assert len(docs) == before + 1
        doc = next(d for d in docs if d["unit_name"] == "西岭镇工会")
        assert doc["unit_type"] == "township"
        page = client.get(f"/knowledge/documents/{doc['id']}").text
        assert "加强组织建设" in page
        r = client.patch(f"/api/knowledge/documents/{doc['id']}", json={"unit_type": "bureau", "year": 2023})
        assert r.status_code == 200 and r.json()["unit_type"] == "bureau"
        hits = client.get("/api/knowledge/search", params={"q": "走访慰问困难职工", "unit_type": "bureau"}).json()
        assert any(h["doc_id"] == doc["id"] for h in hits)  # the sections follow the corrected metadata
        assert client.patch(f"/api/knowledge/documents/{doc['id']}", json={"unit_type": "nope"}).status_code == 422
        r = client.post(f"/knowledge/documents/{doc['id']}/delete", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert len(client.get("/api/knowledge/documents").json()) == before
        assert client.delete(f"/api/knowledge/documents/{doc['id']}").status_code == 404
