"""One knowledge-base import holding the same summary twice (two names, or a file and a zip member) stores it once
and says which file the copy repeats; a bad file beside them fails alone; the batch never fails."""

from __future__ import annotations

import io
import zipfile

from conftest import CORPUS


def _summary() -> bytes:
    return sorted(CORPUS.glob("*.txt"))[0].read_bytes()


def test_duplicates_within_one_import_are_skipped_and_reported(client):
    data = _summary()
    other = sorted(CORPUS.glob("*.txt"))[1].read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2024/又一份.txt", data)
    files = [
        ("files", ("甲.txt", data, "text/plain")),
        ("files", ("乙.txt", data, "text/plain")),
        ("files", ("坏.docx", b"PK\x03\x04 not a document", "application/octet-stream")),
        ("files", ("档案.zip", archive.getvalue(), "application/zip")),
        ("files", ("丙.txt", other, "text/plain")),
    ]
    r = client.post("/api/knowledge/upload", files=files)
    assert r.status_code == 200, r.text
    by_name = {f["name"]: f for f in r.json()}
    assert by_name["甲.txt"]["outcome"] in ("added", "replaced", "unchanged") and not by_name["甲.txt"]["message"]
    for copy in ("乙.txt", "档案.zip/2024/又一份.txt"):
        assert by_name[copy]["outcome"] == "unchanged", by_name[copy]
        assert "与本次导入中的「甲.txt」内容相同，已跳过" in by_name[copy]["message"]
    assert by_name["坏.docx"]["outcome"] == "failed" and "坏.docx" in by_name["坏.docx"]["message"]
    assert by_name["丙.txt"]["outcome"] in ("added", "replaced", "unchanged")

    job = client.post("/api/knowledge/imports", files=files[:2]).json()  # the job's rows say it too
    done = client.app.state.runner.wait(job["id"], 120)
    assert done.status == "done"
    rows = client.get(f"/api/knowledge/imports/{job['id']}").json()["progress"]["files"]
    assert "内容相同，已跳过" in rows[1]["message"] and rows[1]["status"] == "unchanged"
    page = client.get(f"/knowledge/imports/{job['id']}").text
    assert "与本次导入中的「甲.txt」内容相同，已跳过" in page
