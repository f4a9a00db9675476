"""Knowledge-base imports over HTTP: POST /api/knowledge/imports → an ``ingest`` job; per-file progress in the
job (GET /api/knowledge/imports/{id}) and as server-sent events (/api/jobs/{id}/events); the form on /knowledge
redirects to the progress page; refusals in Chinese."""

from __future__ import annotations

from archive_fixtures import archive, summary
from zongjie.storage.job_files import job_files


def _wait(runner, job_id: str):
    return runner.wait(job_id, timeout=120)


def test_upload_runs_as_a_job_with_per_file_progress_over_sse(client):
    files = [
        ("files", ("档案.zip", archive(), "application/zip")),
        ("files", ("青石镇工会.txt", summary("青石镇工会", 4).encode("gbk"), "text/plain")),
        ("files", ("setup.exe", b"MZ", "application/octet-stream")),
    ]
    r = client.post("/api/knowledge/imports", files=files)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    runner = client.app.state.runner
    assert _wait(runner, job_id).status == "done"
    assert job_files(client.app.state.store, job_id) == []  # the stored upload is gone once the job ended

    job = client.get(f"/api/knowledge/imports/{job_id}").json()
    assert job["status"] == "done" and job["status_zh"] == "已完成"
    rows = {f["name"]: f for f in job["progress"]["files"]}
    assert rows["青石镇工会.txt"]["status"] == "added" and rows["青石镇工会.txt"]["documents"] == 1
    assert rows["setup.exe"]["status"] == "failed" and "不支持的文件类型" in rows["setup.exe"]["message"]
    assert rows["档案.zip/坏文件.docx"]["status"] == "failed"
    assert rows["档案.zip/西岭乡工会.txt"]["sections"] >= 3
    assert {f["outcome"] for f in job["files"]} == {"added", "failed"}

    stream = client.get(f"/api/jobs/{job_id}/events").text
    for event in ("ingest_listed", "file_started", "file_read", "indexing", "file_done", "file_failed", "ingest_done"):
        assert f"event: {event}\n" in stream
    assert stream.rstrip().split("\n\n")[-1].startswith("event: end")

    units = {d["unit_name"] for d in client.get("/api/knowledge/documents").json()}
    assert {"东坡镇工会", "西岭乡工会", "青石镇工会"} <= units
    hits = client.get("/api/knowledge/search", params={"q": "金秋助学"}).json()
    assert hits and any(h["unit_name"] == "青石镇工会" for h in hits)


def test_import_form_redirects_to_the_progress_page_and_refusals_are_chinese(client):
    token = client.cookies.get("zj_csrf")
    r = client.post(
        "/knowledge/imports",
        data={"csrf_token": token},
        files=[("files", ("东坡镇工会.txt", summary("东坡镇工会", 5).encode(), "text/plain"))],
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/knowledge/imports/")
    job_id = r.headers["location"].rsplit("/", 1)[1]
    _wait(client.app.state.runner, job_id)
    page = client.get(r.headers["location"]).text
    assert "东坡镇工会.txt" in page and "已入库" in page and "导入完成" in page

    r = client.post(  # the form: every file refused still lands on the progress page, each row saying why
        "/knowledge/imports",
        data={"csrf_token": token},
        files=[("files", ("a.exe", b"MZ", "application/octet-stream")), ("files", ("空.txt", b"", "text/plain"))],
    )
    assert r.status_code == 200 and "/knowledge/imports/" in str(r.url)
    job = client.get(f"/api/knowledge/imports/{str(r.url).rsplit('/', 1)[1]}").json()
    job = _wait(client.app.state.runner, job["id"])
    assert job.status == "done"
    rows = job.progress["files"]
    assert [(f["name"], f["status"]) for f in rows] == [("a.exe", "failed"), ("空.txt", "failed")]
    assert rows[0]["message"].startswith("a.exe：不支持的文件类型") and rows[1]["message"] == "空.txt：文件是空的"

    r = client.post("/api/knowledge/imports", files=[("files", ("a.exe", b"MZ", "application/octet-stream"))])
    assert r.status_code == 415 and "不支持的文件类型" in r.json()["detail"]
    assert client.get("/api/knowledge/imports/nope").status_code == 404


def test_the_generic_job_endpoints_serve_an_import_too(client):
    files = [("files", ("东坡镇工会.txt", summary("东坡镇工会", 5).encode(), "text/plain"))]
    job_id = client.post("/api/knowledge/imports", files=files).json()["id"]
    _wait(client.app.state.runner, job_id)
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["kind"] == "ingest" and job["status"] == "done"
    assert job["progress"]["files"][0]["status"] == "added"
    r = client.get(f"/jobs/{job_id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/knowledge/imports/{job_id}"
