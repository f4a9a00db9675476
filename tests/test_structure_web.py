"""The structure page (issue 23 item 2): the source beside what was read, every correction by a plain form post,
stored with the file (re-indexed; a re-import of the same content gets it back), used by extraction; errors name
the field and keep what was typed; clerks correct their unit's summaries only. Invented texts."""

from past_summaries import ONE_PARAGRAPH


def _token(client):
    return client.cookies.get("zj_csrf")


def _clerk(people, name="松岭镇工会"):
    clerk = people.user("clerk", people.unit(name))
    clerk.get("/facts")
    return clerk


def _upload(client, text=ONE_PARAGRAPH, name="往年总结.txt"):
    r = client.post(
        "/facts/start/upload",
        data={"csrf_token": _token(client), "doc": "1"},
        files={"file": (name, text.encode("utf-8"))},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[-2000:]
    return r.headers["location"].split("/")[3]


def _form(client, doc, **override):
    """The structure form as the page fills it (every heading row), with ``override`` (field → value or list)."""
    rows = [(f"{s.marker}{s.title}", len(p), s.title, s.role) for p, s in doc.walk()]
    data = {
        "csrf_token": _token(client),
        "title": doc.title,
        "unit_name": doc.unit_name or "",
        "unit_type": doc.unit_type,
        "year": doc.year_text or "",
        "period": doc.period,
        "signed_by": doc.signed_by or "",
        "signature": doc.signature or "",
        "drop": "",
        "h_anchor": [r[0] for r in rows],
        "h_level": [str(r[1]) for r in rows],
        "h_title": [r[2] for r in rows],
        "h_role": [r[3] for r in rows],
        "h_split": ["" for _ in rows],
    }
    data.update(override)
    return data


def _fifth(doc):
    return next(i for i, (_, s) in enumerate(doc.walk()) if s.marker == "五、")


def test_a_heading_fixed_on_the_page_is_stored_reindexed_kept_and_used(client, people):
    clerk = _clerk(people)
    kb = client.app.state.kb
    doc_id = _upload(clerk)
    doc = kb.document(doc_id)
    page = clerk.get(f"/knowledge/documents/{doc_id}/structure").text
    assert 'id="source-text"' in page and "五、" in page and 'name="h_title"' in page
    i = _fifth(doc)
    form = _form(clerk, doc)
    form["h_title"][i] = "接续奋斗再出发"
    form["h_role"][i] = "plans"
    form["signed_by"] = "松岭镇工会"
    r = clerk.post(f"/knowledge/documents/{doc_id}/structure", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[-3000:]
    fixed = kb.document(doc_id)
    five = fixed.sections[i]
    assert five.title == "接续奋斗再出发" and five.role == "plans" and five.text.startswith("2025年，乡工会将")
    assert fixed.signed_by == "松岭镇工会"
    roles = {c.role for c in kb.store.chunks({"doc_id": doc_id})}
    assert "plans" in roles  # re-indexed: its section is searched as plans now
    assert "已保存更正" in clerk.get(r.headers["location"]).text
    # extraction uses the correction: last year's plans are plans, not this year's work
    form_page = clerk.post(f"/facts/start/kb/{doc_id}", data={"csrf_token": _token(clerk)}).text
    assert 'name="n_text" value="2025年，乡工会将新建企业工会3个' in form_page  # a plan (was read as body)
    assert 'value="乡工会将新建企业工会"' not in form_page  # not a metric of work done
    # deleted and imported again (same content, another name): the correction comes back
    kb.delete_document(doc_id)
    again = _upload(client, name="重新导入.txt")
    assert again == doc_id
    back = kb.document(again)
    assert back.sections[i].role == "plans" and back.sections[i].title == "接续奋斗再出发"
    api = clerk.get(f"/api/knowledge/documents/{doc_id}/fixes").json()
    assert api["fixes"]["fixes"][0]["title"] == "接续奋斗再出发"


def test_split_merge_drop_and_reset(client, people):
    clerk = _clerk(people)
    kb = client.app.state.kb
    doc_id = _upload(clerk)
    doc = kb.document(doc_id)
    form = _form(clerk, doc)
    form["h_split"][1] = "帮扶台账一户一档"
    form["h_merge"] = ["3"]  # 三、 is not a heading
    form["drop"] = "让老板放心、职工安心"
    r = clerk.post(f"/knowledge/documents/{doc_id}/structure", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[-3000:]
    fixed = kb.document(doc_id)
    assert [s.marker for s in fixed.sections][:3] == ["一、", "二、", ""]
    assert fixed.sections[2].title.startswith("帮扶台账一户一档")
    assert "三、技能提升有声有色。举办茶叶加工" in fixed.sections[2].text
    assert "让老板放心" not in fixed.full_text()
    reset = clerk.post(f"/knowledge/documents/{doc_id}/structure/reset", data={"csrf_token": _token(clerk)})
    assert reset.status_code == 200
    again = kb.document(doc_id)
    assert [s.marker for s in again.sections] == [s.marker for s in doc.sections] and again.unit_id == doc.unit_id


def test_errors_name_the_field_and_keep_what_was_typed(client, people):
    clerk = _clerk(people)
    doc_id = _upload(clerk)
    doc = client.app.state.kb.document(doc_id)
    form = _form(clerk, doc, year="二〇二四")
    form["h_split"][0] = "这句话不在这一节里"
    form["h_title"][1] = "新改的标题"
    r = clerk.post(f"/knowledge/documents/{doc_id}/structure", data=form)
    assert r.status_code == 422
    assert "年度：「二〇二四」不是年份" in r.text and 'value="二〇二四"' in r.text
    assert "第1个标题的“另起标题”：这一节的正文里找不到「这句话不在这一节里」" in r.text
    assert 'value="新改的标题"' in r.text and 'value="这句话不在这一节里"' in r.text
    assert client.app.state.kb.document(doc_id).sections[1].title == doc.sections[1].title  # nothing saved


def test_only_admins_and_the_units_clerks_correct(client, people):
    owner = _clerk(people)
    doc_id = _upload(owner)
    doc = client.app.state.kb.document(doc_id)
    other = _clerk(people, "别的镇工会")
    editor = people.user("editor", people.root)
    editor.get("/facts")
    for who in (other, editor):
        assert who.get(f"/knowledge/documents/{doc_id}/structure").status_code == 200  # everyone reads
        denied = who.post(f"/knowledge/documents/{doc_id}/structure", data=_form(who, doc, title="改"))
        assert denied.status_code == 403
        assert who.post(f"/api/knowledge/documents/{doc_id}/fixes", json={"title": "改"}).status_code == 403
    ok = client.post(
        f"/api/knowledge/documents/{doc_id}/fixes", json={"fixes": [{"heading": "不存在", "role": "plans"}]}
    )
    assert ok.status_code == 200 and ok.json()["unapplied"][0]["heading"] == "不存在"


def test_an_admins_import_keeps_the_text_and_a_reimport_gets_the_corrections_back(client):
    from past_summaries import TWO_PIECES

    kb = client.app.state.kb
    upload = [("files", ("石岗汇编.txt", TWO_PIECES.encode("utf-8")))]
    import time

    r = client.post("/knowledge/imports", data={"csrf_token": _token(client)}, files=upload, follow_redirects=False)
    job_id = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(300):
        if client.get(f"/api/knowledge/imports/{job_id}").json()["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    doc = next(d for d in kb.store.documents() if d.title == "石岗镇工会2024年工作总结")
    progress = client.get(f"/knowledge/imports/{job_id}").text  # after an import: each summary's structure page
    assert f'href="/knowledge/documents/{doc.id}/structure">石岗汇编.txt ·「石岗镇工会2024年工作总结」' in progress
    page = client.get(f"/knowledge/documents/{doc.id}/structure").text
    assert "原文没有保存" not in page and '<mark class="h">三、2025年工作打算</mark>' in page
    assert "这个文件里有 <b>2</b> 篇" in page
    r = client.post(
        f"/api/knowledge/documents/{doc.id}/fixes", json={"fixes": [{"heading": "二、素质提升", "role": "plans"}]}
    )
    assert r.status_code == 200 and r.json()["document"]["sections"][1]["role"] == "plans"
    for d in kb.store.documents({"file_hash": doc.file_hash}):
        kb.delete_document(d.id)
    assert client.post("/api/knowledge/upload", files=upload).status_code == 200
    assert kb.document(doc.id).sections[1].role == "plans"


def test_dropped_text_is_shown_with_why_and_can_be_restored(client, people):
    from past_summaries import TWO_PIECES

    clerk = _clerk(people, "柳湾街道工会")
    page_text = (
        "首页 > 资料 > 工作总结\n"
        + TWO_PIECES.split("石岗镇工会2024年工作总结\n")[0]
        + "猜你喜欢：\n街道工会另一篇总结\n"
    )
    doc_id = _upload(clerk, page_text, name="网页.txt")
    page = clerk.get(f"/knowledge/documents/{doc_id}/structure").text
    assert "保留原文 <b>" in page and '<del title="作为导航路径' in page
    assert 'name="restore" value="街道工会另一篇总结"' in page
    doc = client.app.state.kb.document(doc_id)
    r = clerk.post(
        f"/knowledge/documents/{doc_id}/structure",
        data=_form(clerk, doc, restore=["街道工会另一篇总结"]),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[-2000:]
    assert client.app.state.kb.document(doc_id).sections[-1].text.endswith("街道工会另一篇总结")
