"""「从往年总结开始」 in the web: a past summary (uploaded — kept in the knowledge base, its structure page first — or
picked from the knowledge base) opens as a proposed fact sheet in the form, each item with the sentence it came from;
saving keeps the provenance."""

from conftest import CORPUS
from zongjie.corpus.parsing import parse_file

BAISHI = CORPUS / "baishi_town_2024.txt"


def _token(client):
    return client.cookies.get("zj_csrf")


def test_upload_opens_the_proposed_sheet_in_the_form_with_sources(client):
    assert "从往年总结开始" in client.get("/facts").text
    page = client.get("/facts/start")
    assert page.status_code == 200 and 'action="/facts/start/upload"' in page.text
    r = client.post(
        "/facts/start/upload",
        data={"csrf_token": _token(client)},
        files={"file": ("白石镇2024.txt", BAISHI.read_bytes())},
        follow_redirects=False,
    )
    # the file is kept in the knowledge base (here: the sample corpus holds it already) and its structure page opens
    assert r.status_code == 303 and r.headers["location"].endswith("/structure?start=1")
    doc_id = r.headers["location"].split("/")[3]
    assert 'id="start-from-doc"' in client.get(r.headers["location"]).text
    r = client.post(f"/facts/start/kb/{doc_id}", data={"csrf_token": _token(client)})
    assert r.status_code == 200
    html = r.text
    assert "核对从往年总结提取的事实表" in html and "白石镇工会2024年工作总结" in html
    assert 'value="白石镇工会"' in html and 'value="新建企业工会"' in html and 'value="8.6"' in html
    assert 'value="万元"' in html and "一、抓组建扩覆盖，企业建会取得新突破" in html
    assert "<summary>出处</summary>" in html and "发放慰问金8.6万元" in html  # the sentence it came from
    assert 'name="m_source"' in html and "镇级工会专职干部只有1名" in html  # problems proposed too


def test_saving_the_confirmed_sheet_keeps_provenance_then_next_year_leaves_blanks(client):
    from zongjie.stages.extract import extract_file
    from zongjie.web.forms import data_to_rows

    rows = data_to_rows(extract_file(BAISHI)[0].data)
    form = {
        "csrf_token": _token(client),
        "unit_name": rows["unit"]["name"],
        "unit_type": rows["unit"]["type"],
        "unit_superior": "县总工会",
        "year": rows["period"]["year"],
        "kind": rows["period"]["kind"],
        "leadership": rows["leadership"],
        "themes": rows["themes"],
        "action": "save",
    }
    for field in ("id", "label", "value", "unit", "prior", "target", "section", "approximate", "confirm", "source"):
        form[f"m_{field}"] = [m[field] for m in rows["metrics"]]
    form["s_key"] = [s["key"] for s in rows["sections"]]
    form["s_title"] = [s["title"] for s in rows["sections"]]
    notes = [n for s in rows["sections"] for n in s["notes"]]
    for field in ("parent", "id", "text", "source"):
        form[f"w_{field}"] = [n[field] for n in notes]
    r = client.post("/facts", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[-3000:]
    fid = r.headers["location"].split("/")[2].split("?")[0]
    saved = client.get(f"/api/factsheets/{fid}").json()
    m = next(m for m in saved["metrics"] if m["label"] == "发放慰问金")
    assert m["value"] == 8.6 and "8.6万元" in saved["sources"][m["id"]]
    assert saved["sections"][0]["notes"] and saved["sections"][0]["notes"][0]["id"] in saved["sources"]
    r = client.post(f"/facts/{fid}/next-year", data={"csrf_token": _token(client)}, follow_redirects=False)
    page = client.get(r.headers["location"]).text
    assert "项指标的本年数值待填" in page and 'placeholder="待填"' in page


def test_pick_a_document_of_the_unit_in_the_knowledge_base(client):
    kb = client.app.state.kb
    if not any(d.unit_name == "白石镇工会" for d in kb.store.documents()):
        kb.add_documents(str(BAISHI), parse_file(BAISHI))
    page = client.get("/facts/start", params={"unit": "白石镇"}).text
    doc = next(d for d in kb.store.documents() if d.unit_name == "白石镇工会")
    assert f'action="/facts/start/kb/{doc.id}"' in page
    r = client.post(f"/facts/start/kb/{doc.id}", data={"csrf_token": _token(client)})
    assert r.status_code == 200 and 'value="新发展会员"' in r.text and 'value="640"' in r.text
    assert client.post("/facts/start/kb/nope", data={"csrf_token": _token(client)}).status_code == 404


def test_api_extract_and_bad_uploads(client):
    r = client.post("/api/factsheets/extract", files={"file": ("b.txt", BAISHI.read_bytes())})
    assert r.status_code == 200
    (proposed,) = r.json()
    assert proposed["sheet"]["unit"]["name"] == "白石镇工会" and len(proposed["sheet"]["metrics"]) == 19
    assert proposed["sheet"]["sources"]["m1"]
    assert client.post("/api/factsheets/extract", files={"file": ("b.xlsx", b"x")}).status_code == 415
    page = client.post("/facts/start/upload", data={"csrf_token": _token(client)}, files={"file": ("e.txt", b"")})
    assert page.status_code == 400 and "文件是空的" in page.text


TWO_PIECES = "\n".join(
    [
        "关于报送年度工作总结的说明",
        "请各基层工会于12月31日前将年度工作总结报送县总工会办公室，逾期未报的将在全县通报，谢谢配合。",
        "青禾镇工会2024年工作总结 篇1",
        "2024年，青禾镇工会在镇党委的领导下，围绕中心开展工作，现总结如下：",
        "一、夯实基层组织",
        "全年新建企业工会7家，发展会员412名。",
        "青禾镇工会2023年工作总结 篇2",
        "2023年，青禾镇工会在镇党委的领导下，围绕中心开展工作，现总结如下：",
        "一、做实帮扶服务",
        "走访慰问困难职工36户，发放慰问金5.4万元。",
    ]
).encode()


def test_the_form_takes_the_summary_by_default_lists_the_pieces_and_honours_the_choice(client):
    def upload(doc: str):
        r = client.post(
            "/facts/start/upload",
            data={"csrf_token": _token(client), "doc": doc},
            files={"file": ("青禾镇.txt", TWO_PIECES)},
            follow_redirects=False,
        )
        if r.status_code != 303:
            return r, ""
        doc_id = r.headers["location"].split("/")[3]
        form = client.post(f"/facts/start/kb/{doc_id}", data={"csrf_token": _token(client)}).text
        return client.get(r.headers["location"]), form

    structure, form = upload("")  # not chosen: the summary, not the note in front of it
    page = structure.text
    assert "这个文件里有 <b>3</b> 篇，这是第 2 篇" in page and "关于报送年度工作总结的说明" in page
    assert 'value="412"' in form and 'value="5.4"' not in form
    structure, form = upload("3")  # chosen: the third piece
    assert "这是第 3 篇" in structure.text and 'value="5.4"' in form and 'value="412"' not in form
    bad, _ = upload("9")
    assert bad.status_code == 422 and "里只有 3 篇总结" in bad.text
