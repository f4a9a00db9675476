"""Ingestion as background jobs: uploads (many files, .zip archives) → an ``ingest`` job with per-file progress;
a bad file never stops the batch; the uploaded bytes live in the database, so a worker process on PostgreSQL
(another process, possibly another host) reads them."""

from __future__ import annotations

import re
import signal
import subprocess

from archive_fixtures import GOOD, archive
from conftest import serve_env, start_worker
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.jobs import make_queue
from zongjie.stages.ingest import ingest_items
from zongjie.stages.ingest_events import FileDone, FileFailed, IngestFinished, IngestProgress, Listed
from zongjie.stages.ingest_uploads import upload_items
from zongjie.storage.job_files import job_files
from zongjie.storage.store import make_store

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD = {
    "坏文件.docx": "docx",
    "加密.pdf": "已加密",
    "说明.xls": "不支持的文件类型",
    "旧档案.zip": "压缩包内的压缩包",
    "bomb.txt": "压缩炸弹",
    "locked.txt": "已加密",
}


def _kb(settings) -> KnowledgeBase:
    return KnowledgeBase.from_settings(settings.model_copy(update={"vector_store": "memory"}))


def test_a_zip_is_ingested_member_by_member_and_bad_members_fail_alone(settings, tmp_path):
    kb = _kb(settings)
    target = tmp_path / "unpack" / "here"
    events = []
    report = ingest_items(upload_items("档案.zip", archive(), target), kb, events.append)

    assert isinstance(events[0], Listed) and isinstance(events[-1], IngestFinished)
    names = events[0].files
    assert {"档案.zip/2024年/东坡镇工会.txt", "档案.zip/西岭乡工会.txt"} <= set(names)  # GBK names read right
    assert not any("MACOSX" in n for n in names)
    ends = [e for e in events if isinstance(e, FileDone | FileFailed)]
    assert sorted(e.n for e in ends) == list(range(1, len(names) + 1))  # every file exactly one outcome
    failed = {e.name.split("/", 1)[1]: e.message for e in ends if isinstance(e, FileFailed)}
    assert set(failed) == set(BAD)
    for member, why in BAD.items():
        assert why in failed[member] and member in failed[member]
    for message in failed.values():
        assert CJK.search(message) and "/tmp" not in message and str(target) not in message
    added = {e.name.split("/", 1)[1] for e in ends if isinstance(e, FileDone) and e.outcome == "added"}
    assert set(GOOD) <= added and "../../逃逸.txt" in added  # a zip-slip name is read, inside the target
    assert not list(tmp_path.rglob("逃逸.txt")) and not (tmp_path / "逃逸.txt").exists()
    assert all(p.is_relative_to(target) for p in tmp_path.rglob("*") if p.is_file())
    units = {d.unit_name for d in kb.store.documents()}
    assert {"东坡镇工会", "南湖街道工会", "西岭乡工会"} <= units
    assert report.count("failed") == len(BAD)

    progress = IngestProgress()
    for e in events:
        progress.apply(e)
    assert progress.stage == "done" and progress.finished == progress.total == len(names)

    again = ingest_items(upload_items("档案.zip", archive(), tmp_path / "again"), kb)
    assert again.count("unchanged") == len(GOOD) + 1 and again.count("added") == 0  # same sources: skipped


def test_a_worker_process_on_postgresql_reads_the_uploaded_bytes_from_the_database(tmp_path, postgres_url):
    env = serve_env(
        tmp_path / "var",
        database_url=postgres_url,
        job_queue="procrastinate",
        vector_store="memory",
        worker_heartbeat="0.5",
        worker_stalled_timeout="3",
    )
    from zongjie.settings import Settings

    settings = Settings(**{k.removeprefix("ZONGJIE_").lower(): v for k, v in env.items() if k.startswith("ZONGJIE_")})
    store = make_store(settings)
    queue = make_queue(settings, store)
    worker = start_worker(env, tmp_path, concurrency=1)
    try:
        payload = {"files": [{"name": "档案.zip", "error": ""}]}
        job_id = queue.submit(kind="ingest", payload=payload, files=[("档案.zip", archive())])
        job = queue.wait(job_id, timeout=180)
        assert job.status == "done", job.error
        assert job.worker and int(job.worker.split(":")[1]) == worker.pid  # run by the worker process
        outcomes = {f["name"].split("/", 1)[1]: f["outcome"] for f in job.result["files"]}
        assert all(outcomes[name] == "added" for name in GOOD)
        assert all(outcomes[name] == "failed" for name in BAD)
        assert job_files(store, job_id) == []
    finally:
        queue.shutdown()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_cli_ingests_a_zip_with_one_line_per_file(settings, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from zongjie.cli import app

    monkeypatch.setenv("ZONGJIE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZONGJIE_EMBEDDER", "hashing")
    (tmp_path / "档案.zip").write_bytes(archive())
    r = CliRunner().invoke(app, ["ingest", str(tmp_path / "档案.zip")])
    assert r.exit_code == 0, r.output
    assert "西岭乡工会.txt: added, 1 summaries" in r.output
    assert "✗ 档案.zip/坏文件.docx：" in r.output and "✗ 档案.zip/加密.pdf：PDF 文件已加密" in r.output
    assert f"{len(GOOD) + 1} added, 0 replaced, 0 unchanged, {len(BAD)} failed" in r.output
    r = CliRunner().invoke(app, ["ingest", str(tmp_path / "档案.zip")])
    assert f"0 added, 0 replaced, {len(GOOD) + 1} unchanged" in r.output
