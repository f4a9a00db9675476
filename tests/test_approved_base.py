"""Approved is next year's base: approval puts the approved text in the knowledge base once, as the unit's summary
for the period (with the sheet's unit, year and period); re-approval after a change replaces it, never duplicates."""

from __future__ import annotations

import time

import pytest

from test_keep_rate import approve, draft_for
from zongjie.drafting.approved_base import approved_source


@pytest.fixture
def team(people):
    town = people.unit("青山镇工会")
    return {"clerk": people.user("clerk", town), "editor": people.user("editor", people.root)}


def _draft_of(clerk, fid: str) -> str:
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = clerk.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return job["draft_id"]


def approved_doc_id(client, next_sheet: dict) -> str:
    unit, year = next_sheet["unit"]["name"], next_sheet["period"]["year"] - 1
    (doc,) = _approved_docs(client, approved_source(unit, year, next_sheet["period"]["kind"]))
    return doc.id


def _approved_docs(client, source: str):
    kb = client.app.state.kb
    return [d for d in kb.store.documents() if d.source == source]


def test_approval_keeps_the_text_once_and_reapproval_replaces_it(team, client):
    clerk, editor = team["clerk"], team["editor"]
    fid, did = draft_for(clerk)
    sheet = clerk.get(f"/api/factsheets/{fid}").json()
    data = sheet.get("data", sheet)
    source = approved_source(data["unit"]["name"], data["period"]["year"], data["period"]["kind"])
    assert _approved_docs(client, source) == []  # nothing before approval
    approve(clerk, editor, did)
    docs = _approved_docs(client, source)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.unit_name == data["unit"]["name"] and doc.year == data["period"]["year"]
    assert doc.unit_type == data["unit"]["type"] and doc.sections

    assert clerk.post(f"/api/drafts/{did}/reopen").status_code == 200
    latest = clerk.get(f"/api/drafts/{did}").json()
    key = next(s["key"] for s in latest["sections"] if s.get("text"))
    new_text = "全镇工会组织持续扩面，新建企业工会的做法在全县推广。"
    r = clerk.put(f"/api/drafts/{did}/sections/{key}", json={"text": new_text, "base_version": 1})
    assert r.status_code == 200, r.text
    approve(clerk, editor, did)
    docs = _approved_docs(client, source)
    assert len(docs) == 1  # replaced, not duplicated
    stored = client.app.state.kb.document(docs[0].id)
    assert new_text in stored.model_dump_json()
    hits = client.get("/api/knowledge/search", params={"q": "新建企业工会的做法在全县推广", "k": 5})
    assert hits.status_code == 200, hits.text
    assert any(h["doc_id"] == docs[0].id for h in hits.json()), hits.json()  # searchable: exemplars and bases find it


def test_next_years_draft_from_the_copied_sheet_follows_the_approved_text(team, client):
    clerk, editor = team["clerk"], team["editor"]
    fid, did = draft_for(clerk)
    latest = clerk.get(f"/api/drafts/{did}").json()
    key = next(s["key"] for s in latest["sections"] if s.get("text") and s.get("role", "body") == "body")
    heading = next(s["heading"] for s in latest["sections"] if s["key"] == key)
    wording = "全镇工会把建会入会同企业发展结合起来，新建企业工会的做法在全县推广。"
    r = clerk.put(f"/api/drafts/{did}/sections/{key}", json={"text": wording, "base_version": 1})
    assert r.status_code == 200, r.text
    approve(clerk, editor, did)

    copy = clerk.post(f"/api/factsheets/{fid}/next-year")
    assert copy.status_code == 201, copy.text
    new_id = copy.json()["id"]
    got = clerk.get(f"/api/factsheets/{new_id}").json()
    data = got.get("data", got)
    for m in data.get("metrics") or []:
        if m.get("value") is None:
            m["value"] = m.get("prior") if m.get("prior") is not None else 1
    for a in data.get("activities") or []:
        for o in a.get("outcomes") or []:
            if o.get("value") is None:
                o["value"] = o.get("prior") if o.get("prior") is not None else 1
    assert clerk.put(f"/api/factsheets/{new_id}", json=data).status_code == 200
    next_did = _draft_of(clerk, new_id)
    nxt = clerk.get(f"/api/drafts/{next_did}").json()
    link = clerk.get(f"/api/factsheets/{new_id}").json()["base"]
    assert link["doc_id"] == approved_doc_id(client, data)  # the copied sheet's base link is the approved text
    title = client.app.state.kb.document(link["doc_id"]).title
    assert [d.title for d in client.app.state.kb.store.documents()].count(title) == 1  # 用作下一年度 adds no copy
    assert nxt["outline_source"] == "own"  # planned from the unit's own summary: the approved text
    approved = _approved_docs(client, approved_source(data["unit"]["name"], data["period"]["year"] - 1, "annual"))
    assert len(approved) == 1 and approved[0].year == data["period"]["year"] - 1
    assert nxt["outline_model"] == [approved[0].title or approved[0].source]  # not an older imported summary
    assert any(s["heading"] == heading for s in nxt["sections"])  # the approved text's sections, carried on
