"""Web: fact-sheet form, uploads, draft jobs, draft/compare views, editing, versions, downloads, safety."""

import io

import docx
import pytest

from conftest import ROOT
from zongjie.factsheets.files import xlsx_template
from zongjie.factsheets.model import load_fact_sheet

pytestmark = pytest.mark.databases

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _token(client):
    return client.cookies.get("zj_csrf")


def _form(client, **over):
    data = {
        "csrf_token": _token(client),
        "unit_name": "柳岸街道工会",
        "unit_type": "township",
        "unit_superior": "",
        "year": "2025",
        "kind": "annual",
        "leadership": "街道党工委",
        "themes": "服务新就业形态劳动者",
        "m_id": ["", ""],
        "m_label": ["走访困难职工", "新发展会员"],
        "m_value": ["40", "260"],
        "m_unit": ["户", "名"],
        "m_section": ["帮扶", "组织建设"],
        "m_approximate": ["0", "0"],
        "a_id": [""],
        "a_title": ["职工健步走"],
        "a_date": ["2025-04-20"],
        "a_participants": ["辖区职工"],
        "a_section": [""],
        "a_outcomes": ["参加职工:300:人"],
        "h_id": [""],
        "h_title": ["区级模范职工之家"],
        "h_awarded_by": ["区总工会"],
        "h_date": ["2025-12"],
        "p_id": [""],
        "p_text": ["工会干部专业化水平不高"],
        "n_id": [""],
        "n_text": ["建设户外劳动者驿站"],
        "action": "save",
    }
    data.update(over)
    return data


def _wait(client, job_id):
    client.app.state.runner.wait(job_id, timeout=60)
    return client.get(f"/api/jobs/{job_id}").json()


def test_form_errors_keep_everything_typed_and_show_messages_next_to_fields(client):
    r = client.post("/facts", data=_form(client, m_value=["很多", "260"], year="20x5", unit_name="<b>柳岸</b>"))
    assert r.status_code == 422
    html = r.text
    assert "不是数字" in html and "应填写整数" in html
    assert 'value="很多"' in html and 'value="260"' in html and "职工健步走" in html and "建设户外劳动者驿站" in html
    assert "&lt;b&gt;柳岸&lt;/b&gt;" in html and "<b>柳岸</b>" not in html


def test_form_save_draft_view_compare_edit_versions_download(client):
    r = client.post("/facts", data=_form(client), follow_redirects=False)
    assert r.status_code == 303
    fid = r.headers["location"].split("/")[2].split("?")[0]
    assert client.get(f"/api/factsheets/{fid}").json()["metrics"][0]["id"] == "m1"

    job = client.post(f"/api/factsheets/{fid}/drafts").json()
    job = _wait(client, job["id"])
    assert job["status"] == "done" and all(s["status"] == "done" for s in job["progress"]["sections"])
    draft_id = job["draft_id"]
    page = client.get(f"/drafts/{draft_id}").text
    assert 'class="fig st-supported"' in page and 'data-fact="m1"' in page and '错误 <b id="error-count">0</b>' in page
    compare = client.get(f"/drafts/{draft_id}/compare").text
    assert 'id="fact-m1"' in compare and "已用" in compare

    draft = client.get(f"/api/drafts/{draft_id}").json()
    key = next(s["key"] for s in draft["sections"] if "m1" in s["fact_ids"])
    r = client.post(
        f"/drafts/{draft_id}/sections/{key}/edit",
        follow_redirects=False,
        data={"csrf_token": _token(client), "text": "全年走访困难职工41户，新发展会员260名。", "base_version": 1},
    )
    assert r.status_code == 303
    v2 = client.get(f"/api/drafts/{draft_id}").json()
    assert v2["report"]["summary"]["errors"] == 1
    page = client.get(f"/drafts/{draft_id}").text
    assert 'class="fig st-wrong_value"' in page and "第 2 版" in page
    versions = client.get(f"/api/drafts/{draft_id}/versions").json()
    assert [v["number"] for v in versions] == [1, 2] and versions[1]["errors"] == 1
    assert "<ins>41</ins>户" in client.get(f"/drafts/{draft_id}/diff", params={"a": 1, "b": 2}).text

    r = client.post(f"/api/drafts/{draft_id}/sections/{key}/regenerate")
    assert r.status_code == 200 and r.json()["number"] == 3 and r.json()["errors"] == 0
    old = client.get(f"/api/drafts/{draft_id}", params={"v": 2}).json()
    assert "41户" in [s for s in old["sections"] if s["key"] == key][0]["text"]

    r = client.get(f"/drafts/{draft_id}/download.docx")
    assert r.status_code == 200
    d = docx.Document(io.BytesIO(r.content))
    assert d.paragraphs[0].text == draft["title"]
    md = client.get(f"/drafts/{draft_id}/download.md").text
    assert md.startswith("# ") and "一、" in md


def test_edit_errors_are_explained_and_nothing_is_lost(client):
    fid = client.post("/api/factsheets", json=load_fact_sheet(QINGSHAN).model_dump(mode="json")).json()["id"]
    job = _wait(client, client.post(f"/api/factsheets/{fid}/drafts").json()["id"])
    draft_id = job["draft_id"]
    key = client.get(f"/api/drafts/{draft_id}").json()["sections"][0]["key"]
    long_text = "很长的内容。" * 1000
    form = {"csrf_token": _token(client), "text": long_text, "base_version": 1}
    r = client.post(f"/drafts/{draft_id}/sections/{key}/edit", data=form)
    assert r.status_code == 422 and "太长" in r.text and long_text[:60] in r.text
    assert client.put(f"/api/drafts/{draft_id}/sections/nope", json={"text": "x", "base_version": 1}).status_code == 422
    assert len(client.get(f"/api/drafts/{draft_id}/versions").json()) == 1


def test_uploads_yaml_json_xlsx_and_bad_files(client):
    sheet = load_fact_sheet(QINGSHAN)
    yaml_bytes = QINGSHAN.read_bytes()
    r = client.post("/api/factsheets/upload", files={"file": ("f.yaml", yaml_bytes)})
    assert r.status_code == 201
    assert client.get(f"/api/factsheets/{r.json()['id']}").json()["unit"]["name"] == sheet.unit.name
    r = client.post("/api/factsheets/upload", files={"file": ("f.xlsx", xlsx_template(sheet))})
    assert r.status_code == 201
    template = client.get("/facts/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert client.post("/api/factsheets/upload", files={"file": ("f.exe", b"MZ")}).status_code == 415
    assert client.post("/api/factsheets/upload", files={"file": ("f.json", b"")}).status_code == 400
    bad = client.post("/api/factsheets/upload", files={"file": ("f.json", b'{"unit": {"name": "x"}}')})
    assert bad.status_code == 422 and bad.json()["detail"] == "事实表有误" and bad.json()["problems"]
    assert client.post("/api/factsheets/upload", files={"file": ("f.xlsx", b"not a zip")}).status_code == 422
    gbk = "unit: {name: 青山镇工会}".encode("gbk")
    assert (
        "UTF-8"
        in client.post("/api/factsheets/upload", files={"file": ("f.yaml", gbk)}).json()["problems"][0]["message"]
    )
    page = client.post("/facts-upload", data={"csrf_token": _token(client)}, files={"file": ("f.txt", b"x")})
    assert page.status_code == 415 and "不支持的文件类型" in page.text


def test_cross_site_posts_and_missing_tokens_are_refused(client):
    assert client.post("/facts", data=_form(client, csrf_token="forged")).status_code == 403
    r = client.post("/api/factsheets", json={}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/factsheets", json={}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    assert "default-src 'self'" in client.get("/facts").headers["content-security-policy"]


def test_script_in_facts_and_model_output_is_shown_as_text(client):
    data = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    data["plans"][0]["text"] = "<script>alert('x')</script>推进联合建会"
    fid = client.post("/api/factsheets", json=data).json()["id"]
    job = _wait(client, client.post(f"/api/factsheets/{fid}/drafts").json()["id"])
    for url in (f"/drafts/{job['draft_id']}", f"/drafts/{job['draft_id']}/compare", f"/facts/{fid}"):
        html = client.get(url).text
        assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_api_errors_have_one_shape(client):
    for r in (
        client.get("/api/factsheets/nope"),
        client.get("/api/jobs/nope"),
        client.get("/api/drafts/nope"),
        client.post("/api/factsheets", json={"unit": 1}),
    ):
        body = r.json()
        assert r.status_code in (404, 422) and isinstance(body["detail"], str) and "problems" in body
    assert client.get("/openapi.json").json()["paths"]["/api/factsheets"]


def test_api_docs_are_served_without_a_cdn(client):
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_fact_ids_sent_as_null_or_empty_are_filled_in_and_declared_so(client):
    """The declared body says what the service accepts: an id left null or empty is generated, like a missing one
    (schemathesis found null ids accepted although the schema forbade them)."""
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    accepted = [s.get("type") or s.get("const") for s in schema["ItemInput"]["properties"]["id"]["anyOf"]]
    assert "null" in accepted and "" in accepted
    data = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    data["plans"][0]["id"] = None
    data["problems"][0]["id"] = ""
    data["sections"] = [{"title": "组织建设", "notes": ["新建村级工会联合会"]}]
    notes = schema["SectionWorkInput"]["properties"]["notes"]["items"]["anyOf"]
    assert {"type": "string", "minLength": 2, "maxLength": 400} in notes  # a note may be sent as its text alone
    approximate = schema["MetricInput"]["properties"]["approximate"]["anyOf"]
    assert {"enum": [0, 1]} in approximate  # 0/1 are read as no/yes (the form sends them), so they are declared
    data["metrics"][0]["approximate"] = 0
    r = client.post("/api/factsheets", json=data)
    assert r.status_code in (200, 201), r.text
    sheet = client.get(f"/api/factsheets/{r.json()['id']}").json()
    assert sheet["plans"][0]["id"] and sheet["problems"][0]["id"]
    assert sheet["sections"][0]["notes"][0]["text"] == "新建村级工会联合会" and sheet["sections"][0]["notes"][0]["id"]


def test_a_truth_value_is_not_a_figure(client):
    """schemathesis sent ``"target": false`` and the sheet was saved with a target of 0."""
    data = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    data["metrics"][0]["target"] = False
    r = client.post("/api/factsheets", json=data)
    assert r.status_code == 422 and "true/false" in r.text
