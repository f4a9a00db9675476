"""The draft store's contract on SQLite and on PostgreSQL: writes committed on return, opaque ids, immutable
versions, concurrent version numbers without gaps or repeats, NotFound for unknown ids, unfinished jobs of dead
runners interrupted."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from zongjie.common.errors import NotFound
from zongjie.storage.store import make_store

pytestmark = pytest.mark.databases

SHEET = {"unit": {"name": "青山镇总工会", "type": "township"}, "period": {"year": 2025, "kind": "annual"}}


@pytest.fixture
def store(settings):
    return make_store(settings)


def test_factsheets_round_trip_and_update(store):
    fid = store.save_factsheet(SHEET)
    assert store.factsheet(fid).data == SHEET and store.factsheet(fid).unit_name == "青山镇总工会"
    changed = {**SHEET, "period": {"year": 2026, "kind": "half-year"}, "notes": "含“引号”和\\n换行"}
    assert store.save_factsheet(changed, fid) == fid
    stored = store.factsheet(fid)
    assert (stored.year, stored.period, stored.data["notes"]) == (2026, "half-year", "含“引号”和\\n换行")
    assert [f.id for f in store.factsheets()] == [fid]
    with pytest.raises(NotFound):
        store.factsheet("missing")
    with pytest.raises(NotFound):
        store.save_factsheet(SHEET, "missing")


def test_jobs_drafts_and_versions(store):
    fid = store.save_factsheet(SHEET)
    with pytest.raises(NotFound):
        store.create_job("missing")
    job = store.create_job(fid, worker="host:1:a")
    assert store.job(job).status == "queued"
    store.update_job(job, status="running", progress={"stage": "writing", "sections": [{"key": "1", "n": 1}]})
    assert store.job(job).progress["sections"][0]["n"] == 1
    did = store.create_draft(fid, job, {"title": "总结", "sections": []}, "初稿")
    store.update_job(job, status="done", draft_id=did)
    assert store.job(job).draft_id == did and store.draft(did).latest == 1
    assert store.add_version(did, {"title": "总结", "sections": [1]}, "编辑") == 2
    assert store.version(did, 1).data == {"title": "总结", "sections": []}  # versions are immutable
    assert store.version(did).number == 2 and [v.note for v in store.versions(did)] == ["初稿", "编辑"]
    assert [d.id for d in store.drafts(fid)] == [did] and store.drafts("other") == []
    with pytest.raises(NotFound):
        store.version(did, 9)
    with pytest.raises(NotFound):
        store.versions("missing")


def test_concurrent_edits_number_versions_without_gaps(store):
    fid = store.save_factsheet(SHEET)
    did = store.create_draft(fid, None, {"title": "总结"}, "初稿")
    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda i: store.add_version(did, {"i": i}, f"编辑{i}"), range(24)))
    assert sorted(numbers) == list(range(2, 26))
    assert [v.number for v in store.versions(did)] == list(range(1, 26))


def test_unfinished_jobs_of_dead_runners_are_interrupted(store):
    fid = store.save_factsheet(SHEET)
    dead, alive, done = store.create_job(fid, "h:1:dead"), store.create_job(fid, "h:2:alive"), store.create_job(fid)
    store.update_job(done, status="done")
    assert store.interrupt_unfinished_jobs(lambda worker: worker == "h:1:dead") == 1
    assert store.job(dead).status == "interrupted" and "中断" in store.job(dead).error
    assert store.job(alive).status == "queued" and store.job(done).status == "done"
