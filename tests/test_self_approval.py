"""Review: nobody approves their own work — not the submitter, not the author of the submitted version, admins
included — unless the draft's unit is configured as a one-person unit (``ZONGJIE_SINGLE_PERSON_UNITS``)."""

from __future__ import annotations

import time

from conftest import ROOT, People, app_client
from zongjie.factsheets.model import load_fact_sheet

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _draft(client, unit_id: str | None = None) -> str:
    sheet = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    params = {"unit_id": unit_id} if unit_id else {}
    fid = client.post("/api/factsheets", json=sheet, params=params).json()["id"]
    job = client.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return job["draft_id"]


def test_a_clerk_made_editor_cannot_approve_what_they_submitted(people):
    town = people.unit("青山镇工会")
    clerk = people.user("clerk", town, username="wu")
    did = _draft(clerk)
    assert clerk.post(f"/api/drafts/{did}/submit").status_code == 200
    uid = clerk.get("/api/me").json()["id"]
    assert people.admin.patch(f"/api/users/{uid}", json={"role": "editor"}).status_code == 200
    r = clerk.post(f"/api/drafts/{did}/approve")
    assert r.status_code == 403 and "自己送审或撰写" in r.json()["detail"], r.text
    assert clerk.get(f"/api/drafts/{did}/review").json()["state"] == "submitted"
    other = people.user("editor", people.root)
    assert other.post(f"/api/drafts/{did}/approve").json()["state"] == "approved"


def test_the_author_of_the_submitted_version_cannot_approve_it_either(people):
    town = people.unit("青山镇工会")
    author, submitter = people.user("clerk", town), people.user("clerk", town)
    did = _draft(author)  # version 1: drafted by ``author``
    assert submitter.post(f"/api/drafts/{did}/submit").json()["version"] == 1
    uid = author.get("/api/me").json()["id"]
    people.admin.patch(f"/api/users/{uid}", json={"role": "editor"})
    assert author.post(f"/api/drafts/{did}/approve").status_code == 403
    assert author.post(f"/api/drafts/{did}/return").json()["state"] == "returned"  # sending it back is allowed

    key = submitter.get(f"/api/drafts/{did}").json()["sections"][0]["key"]
    edit = submitter.put(
        f"/api/drafts/{did}/sections/{key}", json={"text": "全年走访困难职工40户。", "base_version": 1}
    )
    assert edit.json()["number"] == 2  # version 2 is the submitter's own
    submitter.post(f"/api/drafts/{did}/submit")
    uid = submitter.get("/api/me").json()["id"]
    people.admin.patch(f"/api/users/{uid}", json={"role": "editor"})
    assert submitter.post(f"/api/drafts/{did}/approve").status_code == 403
    assert author.post(f"/api/drafts/{did}/approve").json()["approved_version"] == 2  # v2 is not author's


def test_an_admin_cannot_approve_their_own_draft(people):
    admin = people.admin
    did = _draft(admin)
    assert admin.post(f"/api/drafts/{did}/submit").status_code == 200
    r = admin.post(f"/api/drafts/{did}/approve")
    assert r.status_code == 403 and "自己送审或撰写" in r.json()["detail"]
    page = admin.post(f"/drafts/{did}/approve", data={"csrf_token": admin.cookies.get("zj_csrf")})
    assert page.status_code == 403 and "自己送审或撰写" in page.text


def test_a_configured_one_person_unit_may_approve_its_own(settings):
    s = settings.model_copy(update={"vector_store": "memory", "single_person_units": "独人镇工会"})
    with app_client(s) as admin:
        people = People(admin)
        alone = people.unit("独人镇工会")
        clerk = people.user("clerk", alone)
        did = _draft(clerk)
        clerk.post(f"/api/drafts/{did}/submit")
        uid = clerk.get("/api/me").json()["id"]
        admin.patch(f"/api/users/{uid}", json={"role": "editor"})
        assert clerk.post(f"/api/drafts/{did}/approve").json()["state"] == "approved"
        other_unit = people.unit("两人镇工会")  # everywhere else the rule holds
        clerk2 = people.user("clerk", other_unit)
        did2 = _draft(clerk2)
        clerk2.post(f"/api/drafts/{did2}/submit")
        uid2 = clerk2.get("/api/me").json()["id"]
        admin.patch(f"/api/users/{uid2}", json={"role": "editor"})
        assert clerk2.post(f"/api/drafts/{did2}/approve").status_code == 403
