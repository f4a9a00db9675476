"""One store used by several threads at once, as the web process does: the in-process job runner's threads write a
job's progress and files while request threads write the audit log, sessions and other jobs — on every store a
process can open (``sql`` on a SQLite file, ``memory``, and PostgreSQL). Each thread must get its own connection
and its own transaction: before, ``memory`` shared one SQLite connection between all threads (SQLAlchemy's
``StaticPool``), so a request's audit INSERT ran inside the job thread's open transaction ("cannot start a
transaction within a transaction", "cannot commit transaction - SQL statements in progress") — first seen on
``POST /api/knowledge/upload`` right after it queued the ingest job."""

import threading

import pytest

from zongjie.storage.accounts import AccountStore
from zongjie.storage.job_files import drop_job_files, job_file_names, put_job_files
from zongjie.storage.store import make_store

pytestmark = pytest.mark.databases

ROUNDS = 150


@pytest.fixture(params=["sql", "memory"])
def store(request, settings):
    if request.param == "memory" and settings.database_url:
        pytest.skip("memory is SQLite only")
    return make_store(settings.model_copy(update={"storage": request.param}))


def _run_together(*bodies) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(bodies))

    def wrap(body):
        try:
            start.wait()
            body()
        except BaseException as exc:  # noqa: BLE001 — collected and reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return errors


def test_job_thread_and_request_threads_write_at_once(store):
    accounts = AccountStore(store.engine)
    job = store.create_job(None, kind="ingest", payload={"files": []})
    assert store.claim_job(job, "host:1:a") == 1
    admin = accounts.create_user("admin-x", "a-long-password-1", "admin", accounts.ensure_root_unit("县总工会"))

    def job_thread():  # what an ingest job does: progress after every event, its files read and dropped
        for i in range(ROUNDS):
            assert store.update_job(job, attempt=1, progress={"files": [{"name": f"f{i}.txt", "status": "done"}]})

    def files_thread():
        for i in range(ROUNDS // 5):
            other = store.create_job(None, kind="ingest", payload={"files": [{"name": "a.txt"}]})
            put_job_files(store, other, [("a.txt", f"第{i}份".encode())])
            assert job_file_names(store, other) == [(1, "a.txt")]
            drop_job_files(store, other)

    def request_thread():  # what the upload request does right after submitting: the audit row
        for i in range(ROUNDS):
            accounts.audit(None, "upload", "job", job, f"资料库导入 {i}")

    def signing_in():
        for _ in range(ROUNDS // 5):
            accounts.end_session(accounts.start_session(admin))

    errors = _run_together(job_thread, files_thread, request_thread, signing_in)
    assert not errors, errors
    assert len(accounts.audit_log(kind="job", object_id=job, limit=1000)) == ROUNDS
    assert store.job(job).progress["files"][0]["name"] == f"f{ROUNDS - 1}.txt"


def test_a_rolled_back_request_does_not_undo_the_job_thread(store):
    """One thread's failed transaction rolls back only its own work (with one shared connection it rolled back
    whatever the other thread had not committed yet)."""
    job = store.create_job(None, kind="ingest", payload={"files": []})
    assert store.claim_job(job, "host:1:a") == 1
    failed = threading.Event()

    def job_thread():
        for i in range(ROUNDS):
            store.update_job(job, attempt=1, progress={"n": i})

    def failing_requests():
        for _ in range(ROUNDS // 3):
            try:
                store.update_job("no-such-job", status="done")  # NotFound inside the transaction: rolled back
            except Exception:  # noqa: BLE001
                failed.set()

    errors = _run_together(job_thread, failing_requests)
    assert not errors, errors
    assert failed.is_set()
    assert store.job(job).progress == {"n": ROUNDS - 1}
