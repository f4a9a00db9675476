"""Trust through the application (issue 11 items 3–6), over HTTP with real storage and the offline drafter.

- a draft follows its facts: a changed fact sheet marks every draft of it stale and its check is recomputed;
- nothing flagged leaves unmarked: Word comments + highlights, 【待核实：…】 in Markdown, HTML escaped, a
  confirmation with the count of open findings before a download;
- edits never lose work: 409 with both texts on an outdated base, regenerate asks first, restore, title and
  opening editable, character-level diffs of any two versions;
- the compare view shows wrong-value uses on the fact's side.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from zongjie.drafting.diffs import diff_inline, diff_lines

SHEET = {
    "unit": {"name": "柳岸街道工会", "type": "township"},
    "period": {"year": 2025},
    "metrics": [
        {"id": "m1", "label": "新建职工书屋", "value": 12, "unit": "个", "section": "组织建设"},
        {"id": "m2", "label": "走访困难职工", "value": 326, "unit": "户", "section": "帮扶"},
    ],
    "activities": [{"id": "a1", "title": "<img src=x onerror=alert(1)>职工健步走", "date": "2025-04-20"}],
    "plans": [{"id": "n1", "text": "<script>alert(1)</script>推进联合建会[点此](javascript:alert(1))"}],
}


def _token(client):
    return client.cookies.get("zj_csrf")


def _draft(client, sheet=None) -> tuple[str, str]:
    fid = client.post("/api/factsheets", json=sheet or SHEET).json()["id"]
    job_id = client.post(f"/api/factsheets/{fid}/drafts").json()["id"]
    client.app.state.runner.wait(job_id, timeout=60)
    job = client.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done", job
    return fid, job["draft_id"]


def _set_value(client, fid, metric_id, value):
    data = client.get(f"/api/factsheets/{fid}").json()
    for m in data["metrics"]:
        if m["id"] == metric_id:
            m["value"] = value
    assert client.put(f"/api/factsheets/{fid}", json=data).status_code == 200


def _finding(draft, text):
    return next(f for f in draft["report"]["findings"] if f["text"] == text)


def _section_key(draft, fact_id):
    return next(s["key"] for s in draft["sections"] if fact_id in s["fact_ids"])


def _comments(document) -> dict[str, str]:
    """Commented text → comment text, read back from the .docx (ranges in the body, texts in comments.xml)."""
    texts = {str(c.comment_id): c.text for c in document.comments}
    anchored: dict[str, str] = {}
    open_ids: list[str] = []
    for el in document.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids.append(el.get(qn("w:id")))
            anchored.setdefault(open_ids[-1], "")
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.remove(el.get(qn("w:id")))
        elif el.tag == qn("w:t"):
            for cid in open_ids:
                anchored[cid] += el.text or ""
    return {anchored[cid]: texts[cid] for cid in anchored}


# ------------------------------------------------------------------ item 3: a draft follows its facts
@pytest.mark.databases
def test_a_changed_fact_sheet_marks_its_drafts_stale_and_rechecks_them(client):
    fid, draft_id = _draft(client)
    _, other_id = client.post(f"/api/factsheets/{fid}/drafts").json()["id"], None
    client.app.state.runner.wait(_, timeout=60)
    other_id = client.get(f"/api/jobs/{_}").json()["draft_id"]
    before = client.get(f"/api/drafts/{draft_id}").json()
    assert _finding(before, "12个")["status"] == "supported" and before["facts_changed"] is False
    assert client.get(f"/api/drafts/{draft_id}/versions").json()[0]["factsheet_revision"] == 1

    # saving the same facts again is not a change
    client.put(f"/api/factsheets/{fid}", json=client.get(f"/api/factsheets/{fid}").json())
    assert client.get(f"/api/drafts/{draft_id}").json()["facts_changed"] is False

    _set_value(client, fid, "m1", 13)
    for did in (draft_id, other_id):  # every draft of the sheet
        after = client.get(f"/api/drafts/{did}").json()
        assert after["facts_changed"] is True and after["checked_revision"] == 1 and after["factsheet_revision"] == 2
        assert {"fact_id": "m1", "before": "新建职工书屋 12个", "after": "新建职工书屋 13个"} in after["fact_changes"]
        stale = _finding(after, "12个")
        assert stale["status"] == "wrong_value" and stale["fact_id"] == "m1" and "13个" in stale["expected"]
        assert after["report"]["summary"]["errors"] >= 1 and after["open_findings"] >= 1
        page = client.get(f"/drafts/{did}").text
        assert "事实表已修改" in page and 'id="stale-banner"' in page
        assert 'class="fig st-wrong_value"' in page and "新建职工书屋 13个" in page
        assert '错误 <b id="error-count">0</b>' not in page
        compare = client.get(f"/drafts/{did}/compare").text
        assert "事实表已修改" in compare and 'class="fact wrong"' in compare

    # storing the recomputed check: a new version recorded against revision 2, the banner goes, the flag stays
    r = client.post(f"/api/drafts/{draft_id}/recheck")
    assert r.status_code == 200 and r.json()["factsheet_revision"] == 2 and r.json()["errors"] >= 1
    now = client.get(f"/api/drafts/{draft_id}").json()
    assert now["facts_changed"] is False and _finding(now, "12个")["status"] == "wrong_value"
    assert "事实表已修改" not in client.get(f"/drafts/{draft_id}").text
    # an old version viewed later is still checked against the current facts
    assert _finding(client.get(f"/api/drafts/{draft_id}", params={"v": 1}).json(), "12个")["status"] == "wrong_value"


def test_an_edit_after_the_facts_changed_is_checked_against_the_new_facts(client):
    fid, draft_id = _draft(client)
    _set_value(client, fid, "m1", 13)
    draft = client.get(f"/api/drafts/{draft_id}").json()
    key = _section_key(draft, "m1")
    r = client.put(f"/api/drafts/{draft_id}/sections/{key}", json={"text": "全年新建职工书屋13个。", "base_version": 1})
    assert r.status_code == 200 and r.json()["factsheet_revision"] == 2 and r.json()["errors"] == 0
    assert client.get(f"/api/drafts/{draft_id}").json()["facts_changed"] is False


# ------------------------------------------------------------------ item 4: nothing flagged leaves unmarked
def test_docx_export_carries_a_comment_and_a_highlight_on_every_open_finding(client):
    fid, draft_id = _draft(client)
    _set_value(client, fid, "m1", 13)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    client.put(
        f"/api/drafts/{draft_id}/sections/{key}",
        json={"text": "全年走访困难职工362户，发放慰问金XX万元。", "base_version": 1},
    )
    draft = client.get(f"/api/drafts/{draft_id}").json()
    open_count = draft["open_findings"]
    assert open_count == draft["report"]["summary"]["errors"] >= 3

    refused = client.get(f"/api/drafts/{draft_id}/download.docx")
    assert refused.status_code == 409 and refused.json()["open_findings"] == open_count
    assert f"{open_count} 处待核实" in refused.json()["detail"]
    r = client.get(f"/api/drafts/{draft_id}/download.docx", params={"confirm": "true"})
    assert r.status_code == 200
    d = docx.Document(io.BytesIO(r.content))
    comments = _comments(d)
    assert len(comments) == open_count
    assert "数值不符" in comments["12个"] and "13个" in comments["12个"]
    assert "数值不符" in comments["362户"] and "326户" in comments["362户"]
    assert any("占位符" in text for anchor, text in comments.items() if "XX" in anchor)
    highlighted = {r.text for p in d.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW}
    assert {"12个", "362户"} <= highlighted and "326户" not in highlighted
    assert all(c.author == "总结起草助手" for c in d.comments)


def test_markdown_export_marks_findings_and_escapes_html(client):
    fid, draft_id = _draft(client)
    _set_value(client, fid, "m1", 13)
    r = client.get(f"/api/drafts/{draft_id}/download.md", params={"confirm": "true"})
    md = r.text
    assert "12个【待核实：数值不符" in md and "13个" in md and "1 处待核实" in md
    assert "<script" not in md and "<img" not in md
    html = MarkdownIt("commonmark").render(md)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("javascript:alert", "")
    assert "&lt;script&gt;" in html and "推进联合建会" in html
    assert 'href="javascript' not in html


def test_a_clean_draft_downloads_without_confirmation_and_without_marks(client):
    _, draft_id = _draft(client, {**SHEET, "activities": [], "plans": []})
    assert client.get(f"/api/drafts/{draft_id}").json()["open_findings"] == 0
    r = client.get(f"/api/drafts/{draft_id}/download.docx")
    assert r.status_code == 200 and len(docx.Document(io.BytesIO(r.content)).comments) == 0
    md = client.get(f"/api/drafts/{draft_id}/download.md").text
    assert "待核实" not in md
    # the page link goes straight to the file when there is nothing to confirm
    page = client.get(f"/drafts/{draft_id}/export", params={"fmt": "docx"}, follow_redirects=False)
    assert page.status_code == 303 and "/download.docx" in page.headers["location"]


def test_the_download_page_asks_for_confirmation_with_the_count(client):
    fid, draft_id = _draft(client)
    _set_value(client, fid, "m1", 13)
    page = client.get(f"/drafts/{draft_id}/export", params={"fmt": "docx"})
    assert page.status_code == 200 and '<span id="open-count">1</span>' in page.text and "数值不符" in page.text
    direct = client.get(f"/drafts/{draft_id}/download.docx", follow_redirects=False)
    assert direct.status_code == 303 and "/export" in direct.headers["location"]
    assert client.get(f"/drafts/{draft_id}/download.docx", params={"confirm": "1"}).status_code == 200


# ------------------------------------------------------------------ item 5: edits never lose work
@pytest.mark.databases
def test_two_saves_on_one_base_the_second_is_refused_with_both_texts(client):
    _, draft_id = _draft(client)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    url = f"/api/drafts/{draft_id}/sections/{key}"
    first = client.put(url, json={"text": "全年走访困难职工326户（甲）。", "base_version": 1})
    assert first.status_code == 200 and first.json()["number"] == 2
    second = client.put(url, json={"text": "全年走访困难职工326户（乙）。", "base_version": 1})
    assert second.status_code == 409
    body = second.json()
    assert (
        body["your_text"] == "全年走访困难职工326户（乙）。" and body["current_text"] == "全年走访困难职工326户（甲）。"
    )
    assert body["base_version"] == 1 and body["latest_version"] == 2 and "已被修改" in body["detail"]
    assert len(client.get(f"/api/drafts/{draft_id}/versions").json()) == 2
    # saving again on the version now seen is a deliberate choice and succeeds
    assert client.put(url, json={"text": body["your_text"], "base_version": 2}).status_code == 200

    # the page: both texts shown, the typed one kept in the textarea
    r = client.post(
        f"/drafts/{draft_id}/sections/{key}/edit",
        data={"csrf_token": _token(client), "text": "全年走访困难职工326户（丙）。", "base_version": 2},
    )
    assert r.status_code == 409
    assert "全年走访困难职工326户（丙）。</textarea>" in r.text and "全年走访困难职工326户（乙）。" in r.text
    assert 'name="base_version" value="3"' in r.text


def test_edits_of_different_parts_on_one_base_are_both_kept(client):
    _, draft_id = _draft(client)
    draft = client.get(f"/api/drafts/{draft_id}").json()
    k1, k2 = _section_key(draft, "m1"), _section_key(draft, "m2")
    assert (
        client.put(f"/api/drafts/{draft_id}/sections/{k1}", json={"text": "书屋12个。", "base_version": 1}).status_code
        == 200
    )
    assert (
        client.put(
            f"/api/drafts/{draft_id}/sections/{k2}", json={"text": "困难职工326户。", "base_version": 1}
        ).status_code
        == 200
    )
    texts = {s["key"]: s["text"] for s in client.get(f"/api/drafts/{draft_id}").json()["sections"]}
    assert texts[k1] == "书屋12个。" and texts[k2] == "困难职工326户。"


@pytest.mark.databases
def test_regenerate_asks_first_and_any_version_can_be_restored(client):
    _, draft_id = _draft(client)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    client.put(f"/api/drafts/{draft_id}/sections/{key}", json={"text": "手工改写：困难职工326户。", "base_version": 1})
    page = client.get(f"/drafts/{draft_id}")
    assert f'href="/drafts/{draft_id}/sections/{key}/regenerate"' in page.text  # a link to a confirmation, not a post
    confirm = client.get(f"/drafts/{draft_id}/sections/{key}/regenerate")
    assert confirm.status_code == 200 and "手工改写：困难职工326户。" in confirm.text and "确认重新生成" in confirm.text
    r = client.post(
        f"/drafts/{draft_id}/sections/{key}/regenerate",
        data={"csrf_token": _token(client), "base_version": 2},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "手工改写" not in next(
        s["text"] for s in client.get(f"/api/drafts/{draft_id}").json()["sections"] if s["key"] == key
    )
    r = client.post(f"/api/drafts/{draft_id}/versions/2/restore")
    assert r.status_code == 201 and r.json()["number"] == 4 and "恢复第 2 版" in r.json()["note"]
    restored = client.get(f"/api/drafts/{draft_id}").json()
    assert next(s["text"] for s in restored["sections"] if s["key"] == key) == "手工改写：困难职工326户。"
    # restoring through the page
    r = client.post(
        f"/drafts/{draft_id}/versions/1/restore", data={"csrf_token": _token(client)}, follow_redirects=False
    )
    assert r.status_code == 303 and len(client.get(f"/api/drafts/{draft_id}/versions").json()) == 5


def test_title_and_opening_are_editable_and_checked(client):
    _, draft_id = _draft(client)
    r = client.put(
        f"/api/drafts/{draft_id}/sections/title", json={"text": "柳岸街道工会2025年工作总结（修订）", "base_version": 1}
    )
    assert r.status_code == 200
    r = client.put(
        f"/api/drafts/{draft_id}/sections/opening",
        json={"text": "2025年，街道工会新建职工书屋15个，工作取得新成效。", "base_version": 2},
    )
    assert r.status_code == 200
    draft = client.get(f"/api/drafts/{draft_id}").json()
    assert draft["title"].endswith("（修订）") and _finding(draft, "15个")["status"] == "wrong_value"
    page = client.get(f"/drafts/{draft_id}").text
    assert "编辑标题" in page and "编辑开头" in page and 'class="fig st-wrong_value"' in page
    assert (
        client.put(f"/api/drafts/{draft_id}/sections/title", json={"text": " ", "base_version": 3}).status_code == 422
    )


def test_diffs_mark_changed_characters_and_compare_any_two_versions(client):
    pieces = diff_inline("全年走访困难职工326户。", "全年走访困难职工362户。")
    assert [(p.op, p.text) for p in pieces if p.op != "equal"] == [("delete", "326"), ("insert", "362")]
    rows = diff_lines("标题\n甲段\n乙段", "标题\n甲段改\n乙段\n丙段")
    assert [r.kind for r in rows] == ["same", "changed", "same", "added"]

    _, draft_id = _draft(client)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    client.put(f"/api/drafts/{draft_id}/sections/{key}", json={"text": "全年，走访困难职工362户。", "base_version": 1})
    client.put(f"/api/drafts/{draft_id}/sections/title", json={"text": "新标题", "base_version": 2})
    changed = [
        r for r in client.get(f"/api/drafts/{draft_id}/diff", params={"a": 1, "b": 3}).json() if r["kind"] == "changed"
    ]
    assert {"op": "delete", "text": "326"} in changed[-1]["pieces"] and {"op": "insert", "text": "362"} in changed[-1][
        "pieces"
    ]
    page = client.get(f"/drafts/{draft_id}/diff", params={"a": 1, "b": 3}).text
    assert "<del>326</del><ins>362</ins>" in page and '<option value="3" selected>' in page


# ------------------------------------------------------------------ item 6: the compare view
def test_compare_view_shows_wrong_uses_on_the_facts_side(client):
    fid, draft_id = _draft(client)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    client.put(
        f"/api/drafts/{draft_id}/sections/{key}",
        json={"text": "全年走访困难职工362户。\n其中重点走访困难职工326户。", "base_version": 1},
    )
    html = client.get(f"/drafts/{draft_id}/compare").text
    item = html[html.index('id="fact-m2"') : html.index("</li>", html.index('id="fact-m2"'))]
    assert 'class="fact wrong"' in html[html.index('id="fact-m2"') - 40 : html.index('id="fact-m2"') + 40]
    assert "待核实 1 处" in item and "写成「362户」" in item and "有据 1 处" in item and "未用" not in item
    uses = item.split('data-uses="')[1].split('"')[0].split()
    assert len(uses) == 2 and all(f'id="{u}"' in html for u in uses)
    assert '<script src="/static/app.js" defer></script>' in html and "<script>" not in html


@pytest.mark.parametrize("path", ["/static/app.js", "/static/app.css"])
def test_static_files_are_served(client, path):
    assert client.get(path).status_code == 200


# ------------------------------------------------------------------ exports of exemplar names and copies; storage
def test_names_and_copied_spans_from_exemplars_are_commented_too(settings, tmp_path):
    from zongjie.checker.exemplars import Exemplar
    from zongjie.drafting.editing import recheck
    from zongjie.drafting.pipeline import run_draft
    from zongjie.factsheets.model import parse_fact_sheet
    from zongjie.stages.export import to_docx, to_markdown
    from zongjie.stages.marks import open_findings

    sheet = parse_fact_sheet({**SHEET, "activities": [], "plans": []})
    draft = run_draft(sheet, settings, kb=None, llm=None)
    copied = "坚持以职工需求为导向，扎实开展送温暖活动，切实解决职工急难愁盼问题"
    draft.sections[0].text += f"\n学习白石镇工会的做法，{copied}。"
    exemplar = Exemplar(
        text=f"白石镇工会全年{copied}，成效明显。", source="白石镇工会2024年工作总结", unit_name="白石镇工会"
    )
    recheck(draft, sheet, settings, [exemplar])
    found = open_findings(draft)
    assert {f.kind for f in found} == {"name_leak", "copied"} and len(found) == draft.report.summary.errors
    comments = _comments(docx.Document(str(to_docx(draft, tmp_path / "d.docx"))))
    assert any("范文名称" in text and "白石镇" in anchor for anchor, text in comments.items())
    assert any("照抄范文" in text and copied[:10] in anchor for anchor, text in comments.items())
    md = to_markdown(draft)
    assert "【待核实：范文名称" in md and "【待核实：照抄范文" in md and "2 处待核实" in md


def test_a_version_on_an_outdated_base_is_refused_by_the_store(settings):
    from zongjie.storage.records import Outdated
    from zongjie.storage.store import make_store

    store = make_store(settings)
    fid = store.save_factsheet({**SHEET, "period": {"year": 2025, "kind": "annual"}})
    assert store.factsheet(fid).revision == 1
    assert store.save_factsheet(store.factsheet(fid).data, fid) and store.factsheet(fid).revision == 1
    changed = {**store.factsheet(fid).data, "leadership": "街道党工委"}
    store.save_factsheet(changed, fid)
    assert store.factsheet(fid).revision == 2 and "leadership" not in store.factsheet_revision(fid, 1)
    draft_id = store.create_draft(fid, None, {"title": "t"}, "初稿", factsheet_revision=2)
    assert store.add_version(draft_id, {"title": "t2"}, "a", 2, expect_latest=1) == 2
    with pytest.raises(Outdated) as exc:
        store.add_version(draft_id, {"title": "t3"}, "b", 2, expect_latest=1)
    assert exc.value.latest == 2 and store.draft(draft_id).title == "t2"
    assert store.version(draft_id).factsheet_revision == 2


def test_migration_0002_gives_existing_sheets_revision_1_and_old_versions_an_unknown_one(tmp_path):
    from sqlalchemy import create_engine, text

    from zongjie.storage import migrate
    from zongjie.storage.sql_store import SQLDraftStore

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine, "0001_baseline")
    with engine.begin() as conn:
        data = '{"unit": {"name": "柳岸街道工会", "type": "township"}, "period": {"year": 2025}}'
        conn.execute(
            text("INSERT INTO factsheets VALUES ('f1', '柳岸街道工会', 'township', 2025, 'annual', :d, 't', 't')"),
            {"d": data},
        )
        conn.execute(text("INSERT INTO drafts VALUES ('d1', 'f1', NULL, '旧稿', 1, 't')"))
        conn.execute(
            text("INSERT INTO versions (draft_id, number, data, note, created_at) VALUES ('d1', 1, '{}', '初稿', 't')")
        )
    engine.dispose()
    store = SQLDraftStore(url)
    assert store.factsheet("f1").revision == 1 and store.factsheet_revision("f1", 1)["unit"]["type"] == "township"
    assert store.version("d1").factsheet_revision is None  # unknown: read as stale, re-checked against the facts


def test_regenerating_a_section_someone_changed_since_is_refused(client):
    _, draft_id = _draft(client)
    key = _section_key(client.get(f"/api/drafts/{draft_id}").json(), "m2")
    client.put(f"/api/drafts/{draft_id}/sections/{key}", json={"text": "改过的文字326户。", "base_version": 1})
    r = client.post(f"/api/drafts/{draft_id}/sections/{key}/regenerate", json={"base_version": 1})
    assert r.status_code == 409 and r.json()["current_text"] == "改过的文字326户。"
    assert client.post(f"/api/drafts/{draft_id}/sections/{key}/regenerate", json={"base_version": 2}).status_code == 200
