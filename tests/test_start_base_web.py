"""「从往年总结开始」 in the web with an explicit base summary (issue 23 items 1, 2): the upload is kept as the clerk's
unit's document (once, whatever it is called), its structure page opens with the file's pieces listed and
「取第 N 篇」 honoured, 「用这篇开始」 links the sheet to it under the clerk's unit name, 「用作下一年度」 keeps the link,
and a sheet without a link shows the summary found by name for confirmation. Invented texts."""

import re

from past_summaries import ONE_PARAGRAPH, TWO_PIECES


def _token(client):
    return client.cookies.get("zj_csrf")


def _clerk(people, name="松岭镇工会"):
    unit = people.unit(name)
    clerk = people.user("clerk", unit)
    clerk.get("/facts")  # the CSRF cookie
    return clerk, unit


def _upload(client, text: str, name="往年总结.txt", doc="1"):
    return client.post(
        "/facts/start/upload",
        data={"csrf_token": _token(client), "doc": doc},
        files={"file": (name, text.encode("utf-8"))},
        follow_redirects=False,
    )


def test_upload_is_kept_as_the_units_document_once_and_opens_its_structure(client, people):
    clerk, unit = _clerk(people)
    kb = client.app.state.kb
    before = len(kb.store.documents())
    r = _upload(clerk, ONE_PARAGRAPH)
    assert r.status_code == 303 and r.headers["location"].endswith("/structure?start=1")
    doc_id = r.headers["location"].split("/")[3]
    doc = kb.document(doc_id)
    assert doc.unit_id == unit and doc.title == "zz乡工会2024年工作总结"
    assert len(kb.store.documents()) == before + 1
    page = clerk.get(r.headers["location"]).text
    assert "这个文件里有 1 篇" in page and 'id="start-from-doc"' in page
    assert '<mark class="h">一、建会入会扎实推进</mark>' in page  # the source text, headings marked where found
    # the same content again, under another name: the same document, nothing added
    again = _upload(clerk, ONE_PARAGRAPH, name="另存的副本.txt")
    assert again.headers["location"] == r.headers["location"] and len(kb.store.documents()) == before + 1


def test_take_piece_n_is_honoured_and_the_page_lists_every_piece(client, people):
    clerk, _ = _clerk(people, "石岗镇工会")
    r = _upload(clerk, TWO_PIECES, name="汇编.txt", doc="2")
    assert r.status_code == 303
    doc = client.app.state.kb.document(r.headers["location"].split("/")[3])
    assert doc.piece == 2 and doc.unit_name == "石岗镇工会"
    page = clerk.get(r.headers["location"]).text
    assert "这个文件里有 <b>2</b> 篇，这是第 2 篇" in page
    assert "柳湾街道工会2024年工作总结" in page and "石岗镇工会2024年工作总结" in page
    bad = _upload(clerk, TWO_PIECES, name="汇编.txt", doc="3")
    assert bad.status_code == 422 and "只有 2 篇总结" in bad.text and "第1篇「柳湾街道工会2024年工作总结」" in bad.text
    assert 'name="doc" value="3"' in bad.text  # what was typed stays
    typo = _upload(clerk, TWO_PIECES, name="汇编.txt", doc="二")
    assert typo.status_code == 422 and "不是篇数" in typo.text


def test_start_links_the_sheet_under_the_clerks_unit_and_next_year_keeps_it(client, people):
    clerk, _ = _clerk(people)
    doc_id = _upload(clerk, ONE_PARAGRAPH).headers["location"].split("/")[3]
    r = clerk.post(f"/facts/start/kb/{doc_id}", data={"csrf_token": _token(clerk)})
    assert r.status_code == 200
    assert re.search(r'name="unit_name"[^>]*value="松岭镇工会"', r.text)  # not the archive's 「zz乡工会」
    assert "总结里写的单位是「zz乡工会」" in r.text
    assert f'name="base_doc_id" value="{doc_id}"' in r.text and "续写<b>「zz乡工会2024年工作总结」</b>" in r.text
    saved = clerk.post(
        "/facts",
        data={
            "csrf_token": _token(clerk),
            "unit_name": "松岭镇工会",
            "unit_type": "township",
            "year": "2024",
            "kind": "annual",
            "base_doc_id": doc_id,
            "base_title": "zz乡工会2024年工作总结",
            "base_piece": "1",
            "base_year": "2024",
            "m_label": "新发展会员",
            "m_value": "168",
            "m_unit": "名",
            "action": "save",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[-2000:]
    fid = saved.headers["location"].split("/")[2].split("?")[0]
    sheet = clerk.get(f"/api/factsheets/{fid}").json()
    assert sheet["base"]["doc_id"] == doc_id and sheet["base"]["year"] == 2024
    nxt = clerk.post(f"/facts/{fid}/next-year", data={"csrf_token": _token(clerk)}, follow_redirects=False)
    new_id = nxt.headers["location"].split("/")[2].split("?")[0]
    assert clerk.get(f"/api/factsheets/{new_id}").json()["base"]["doc_id"] == doc_id
    assert "续写<b>「zz乡工会2024年工作总结」</b>" in clerk.get(f"/facts/{new_id}").text
    unlinked = clerk.post(f"/facts/{new_id}/base", data={"csrf_token": _token(clerk), "doc_id": ""})
    assert unlinked.status_code == 200 and clerk.get(f"/api/factsheets/{new_id}").json()["base"] is None


def test_a_sheet_without_a_link_shows_the_match_by_name_to_confirm(client, people):
    clerk, _ = _clerk(people)
    damaged = ONE_PARAGRAPH.replace("zz乡工会2024年工作总结", "3松岭镇工会2024年工作总结", 1)
    doc_id = _upload(client, damaged, name="扫描件.txt").headers["location"].split("/")[3]  # an admin's import
    kb = client.app.state.kb
    kb.update_metadata(doc_id, {"unit_name": "3松岭镇工会"})  # as the page digit left it
    sheet = {"unit": {"name": "松岭镇工会", "type": "township"}, "period": {"year": 2025, "kind": "annual"}}
    fid = clerk.post("/api/factsheets", json=sheet).json()["id"]
    page = clerk.get(f"/facts/{fid}").text
    assert 'id="base-match"' in page and "资料库中记为「3松岭镇工会」" in page and 'id="confirm-base"' in page
    r = clerk.post(f"/facts/{fid}/base", data={"csrf_token": _token(clerk), "doc_id": doc_id}, follow_redirects=False)
    assert r.status_code == 303
    assert clerk.get(f"/api/factsheets/{fid}").json()["base"]["doc_id"] == doc_id
    other = people.unit("别的镇工会")
    stranger = people.user("clerk", other)
    stranger.get("/facts")
    denied = stranger.post(f"/facts/{fid}/base", data={"csrf_token": _token(stranger), "doc_id": ""})
    assert denied.status_code in (403, 404)


def test_once_a_draft_is_approved_next_year_continues_the_approved_text(client, people):
    import time

    from past_summaries import ONE_PARAGRAPH as PAST  # the summary the first draft continued

    clerk, unit = _clerk(people)
    editor = people.user("editor", people.root)
    doc_id = _upload(clerk, PAST).headers["location"].split("/")[3]
    kb = client.app.state.kb
    past = kb.document(doc_id)
    sheet = {
        "unit": {"name": "松岭镇工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [{"label": "新发展会员", "value": 180, "unit": "名", "prior": 168}],
        "base": {"doc_id": doc_id, "file_hash": past.file_hash, "title": past.title},
    }
    fid = clerk.post("/api/factsheets", json=sheet).json()["id"]
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = clerk.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    did = job["draft_id"]
    draft = clerk.get(f"/api/drafts/{did}").json()
    assert draft["base"]["how"] == "linked" and draft["base"]["doc_id"] == doc_id
    # not approved yet: next year keeps the link it had
    first = clerk.post(f"/api/factsheets/{fid}/next-year").json()["id"]
    assert clerk.get(f"/api/factsheets/{first}").json()["base"]["doc_id"] == doc_id
    assert clerk.post(f"/api/drafts/{did}/submit").status_code == 200
    assert editor.post(f"/api/drafts/{did}/approve", json={}).status_code == 200
    second = clerk.post(f"/api/factsheets/{fid}/next-year").json()["id"]
    base = clerk.get(f"/api/factsheets/{second}").json()["base"]
    assert base["doc_id"] != doc_id and base["title"] == "松岭镇工会2025年工作总结" and base["year"] == 2025
    approved = kb.document(base["doc_id"])
    assert approved.unit_id == unit and approved.sections  # the unit's document, its structure reviewable
