"""Review, audit log and soft delete through the API: clerk submits, editor comments on a figure and returns, clerk
fixes and resubmits, editor approves; the approved version is locked until reopened; everyone is notified; the
audit log says who changed which fact and version; deleted fact sheets and drafts disappear and admins restore them."""

from __future__ import annotations

import time

import pytest

from conftest import ROOT
from zongjie.factsheets.model import load_fact_sheet

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


@pytest.fixture
def team(people):
    town = people.unit("青山镇工会")
    return {
        "admin": people.admin,
        "clerk": people.user("clerk", town, username="clerk"),
        "editor": people.user("editor", people.root, username="editor"),  # at the county federation above
        "town": town,
    }


def _draft(clerk) -> tuple[str, str]:
    sheet = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    fid = clerk.post("/api/factsheets", json=sheet).json()["id"]
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = clerk.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return fid, job["draft_id"]


def test_submit_comment_return_fix_approve_lock_reopen(team):
    clerk, editor = team["clerk"], team["editor"]
    fid, did = _draft(clerk)
    draft = clerk.get(f"/api/drafts/{did}").json()
    key = draft["sections"][0]["key"]
    assert editor.post(f"/api/drafts/{did}/approve").status_code == 409  # nothing submitted yet
    assert clerk.post(f"/api/drafts/{did}/approve").status_code == 403  # clerks do not approve
    r = clerk.post(f"/api/drafts/{did}/submit")
    assert r.status_code == 200 and r.json()["state"] == "submitted" and r.json()["version"] == 1
    assert clerk.post(f"/api/drafts/{did}/submit").status_code == 409
    assert any("送审" in n["text"] for n in editor.get("/api/notifications").json())
    edit = clerk.put(f"/api/drafts/{did}/sections/{key}", json={"text": "改一下。", "base_version": 1})
    assert edit.status_code == 409 and "审核中" in edit.json()["detail"]  # no edits while under review

    r = editor.post(
        f"/api/drafts/{did}/comments", json={"section_key": key, "figure": "40户", "body": "请核对走访户数"}
    )
    assert r.status_code == 201 and r.json()["figure"] == "40户" and r.json()["version"] == 1
    bad = editor.post(f"/api/drafts/{did}/comments", json={"section_key": "99.9", "body": "x"})
    assert bad.status_code == 422
    r = editor.post(f"/api/drafts/{did}/return", json={"comment": "数字再核对一遍"})
    assert r.json()["state"] == "returned"
    assert any("退回" in n["text"] for n in clerk.get("/api/notifications").json())
    assert any("批注" in n["text"] for n in clerk.get("/api/notifications").json())

    r = clerk.put(
        f"/api/drafts/{did}/sections/{key}", json={"text": "全年走访困难职工40户，发放慰问金。", "base_version": 1}
    )
    assert r.status_code == 200 and r.json()["number"] == 2
    comment = clerk.get(f"/api/drafts/{did}/review").json()["comments"][0]
    assert clerk.post(f"/api/drafts/{did}/comments/{comment['id']}/resolve").status_code == 204
    assert clerk.post(f"/api/drafts/{did}/submit").json()["version"] == 2
    assert editor.post(f"/api/drafts/{did}/approve", json={"version": 1}).status_code == 409  # not what was sent
    r = editor.post(f"/api/drafts/{did}/approve")
    assert r.json()["state"] == "approved" and r.json()["approved_version"] == 2

    locked = clerk.put(f"/api/drafts/{did}/sections/{key}", json={"text": "再改。", "base_version": 2})
    assert locked.status_code == 409 and "锁定" in locked.json()["detail"]
    assert clerk.post(f"/api/drafts/{did}/sections/{key}/regenerate").status_code == 409
    assert clerk.post(f"/api/drafts/{did}/reopen").json()["state"] == "editing"
    assert (
        clerk.put(f"/api/drafts/{did}/sections/{key}", json={"text": "再改。", "base_version": 2}).json()["number"] == 3
    )
    review = clerk.get(f"/api/drafts/{did}/review").json()
    assert review["approved_version"] == 2 and review["state"] == "editing"
    v2 = clerk.get(f"/api/drafts/{did}", params={"v": 2}).json()
    assert "全年走访困难职工40户" in next(s["text"] for s in v2["sections"] if s["key"] == key)  # as approved

    page = clerk.get(f"/drafts/{did}").text
    assert "请核对走访户数" in page and "「40户」" in page and "数字再核对一遍" in page


def test_audit_log_says_who_changed_which_fact(team):
    clerk, admin = team["clerk"], team["admin"]
    fid, did = _draft(clerk)
    sheet = clerk.get(f"/api/factsheets/{fid}").json()
    sheet["metrics"][0]["value"] = sheet["metrics"][0]["value"] + 1
    changed_id = sheet["metrics"][0]["id"]
    assert clerk.put(f"/api/factsheets/{fid}", json=sheet).status_code == 200
    assert clerk.get("/api/audit").status_code == 403
    log = admin.get("/api/audit", params={"object_id": fid}).json()
    update = next(e for e in log if e["action"] == "update")
    assert update["username"] == "clerk" and update["detail"]["changed"] == [changed_id]
    metric = sheet["metrics"][0]
    old_value, new_value = f"{metric['value'] - 1:g}", f"{metric['value']:g}"
    assert metric["label"] in update["summary"] and f"{old_value} → {new_value}" in update["summary"]  # old → new
    assert changed_id not in update["summary"] and update["at"]  # named, never by its id
    assert any(e["action"] == "create" and e["username"] == "clerk" for e in log)
    kinds = {e["kind"] for e in admin.get("/api/audit").json()}
    assert {"factsheet", "user", "unit"} <= kinds
    assert "操作日志" in admin.get("/admin/audit").text


def test_soft_delete_and_restore(team):
    clerk, editor, admin = team["clerk"], team["editor"], team["admin"]
    fid, did = _draft(clerk)
    assert editor.delete(f"/api/drafts/{did}").status_code == 403  # editors do not delete
    assert clerk.delete(f"/api/drafts/{did}").status_code == 204
    assert clerk.get(f"/api/drafts/{did}").status_code == 404
    assert editor.get(f"/api/drafts/{did}").status_code == 404
    assert admin.get(f"/api/drafts/{did}").status_code == 200  # admins still see it, to restore it
    assert clerk.post(f"/api/drafts/{did}/restore").status_code == 403
    assert clerk.delete(f"/api/factsheets/{fid}").status_code == 204
    assert fid not in {f["id"] for f in clerk.get("/api/factsheets").json()}
    deleted = admin.get("/api/deleted").json()
    assert {(d["kind"], d["id"]) for d in deleted} == {("draft", did), ("factsheet", fid)}
    assert admin.post(f"/api/factsheets/{fid}/restore").status_code == 204
    assert admin.post(f"/api/factsheets/{fid}/restore").status_code == 409
    assert admin.post(f"/api/drafts/{did}/restore").status_code == 204
    assert clerk.get(f"/api/drafts/{did}").status_code == 200
    assert fid in {f["id"] for f in clerk.get("/api/factsheets").json()}
    actions = [e["action"] for e in admin.get("/api/audit", params={"object_id": did}).json()]
    assert "delete" in actions and "restore" in actions
