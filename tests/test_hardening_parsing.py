"""Parsing is bounded and no input reaches a 500: the 「billion laughs」 YAML (a few hundred bytes standing for 10⁹
nodes) answers a clear 422 at once; nesting 5,000 deep in JSON or YAML, a truncated or corrupt .docx, an Excel file
past its row or sheet limits, a theme past its length and 「用作下一年度」 on the last allowed year are refused with
a Chinese message; on a real server the connection stays usable after every refusal."""

from __future__ import annotations

import io
import json
import re
import time
import tracemalloc
import zipfile

import docx
import httpx
import pytest
import yaml

from conftest import ROOT, http_client
from zongjie.factsheets.bounded import MAX_DEPTH, TooComplex, parse_structured
from zongjie.factsheets.files import MAX_XLSX_ROWS, xlsx_template
from zongjie.factsheets.model import YEAR_MAX, FactSheetError, load_fact_sheet

SHEET = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))

LAUGHS = """unit: &u
  name: 甲镇工会
  type: township
period: {year: 2025}
a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
themes: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _upload(client, name: str, data: bytes, path: str = "/api/factsheets/upload"):
    return client.post(path, files={"file": (name, data, "application/octet-stream")})


def _messages(r) -> str:
    body = r.json()
    return body["detail"] + " " + " ".join(p["message"] for p in body["problems"])


def test_billion_laughs_is_refused_at_once_with_memory_bounded(client):
    assert len(LAUGHS.encode()) < 600
    assert _upload(client, "ok.json", json.dumps(SHEET).encode()).status_code == 201  # the parsing workers are up
    t0 = time.perf_counter()
    r = _upload(client, "laughs.yaml", LAUGHS.encode())
    elapsed = time.perf_counter() - t0
    assert r.status_code == 422, r.text
    assert "引用" in _messages(r) and "最多 16 个" in _messages(r)
    assert elapsed < 1.0, elapsed
    csrf = {"csrf_token": client.cookies.get("zj_csrf")}
    page = client.post("/facts-upload", data=csrf, files={"file": ("laughs.yaml", LAUGHS.encode(), "text/yaml")})
    assert page.status_code == 422 and "引用" in page.text  # the form says it too
    tracemalloc.start()  # the parse itself: refused before anything is expanded
    with pytest.raises(TooComplex):
        parse_structured(LAUGHS, "yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2_000_000, peak


def test_a_few_anchors_still_load():
    text = "unit: {name: 甲镇工会, type: township}\nperiod: {year: 2025}\nproblems:\n- &p {text: 人手不足}\n"
    assert parse_structured(text, "yaml")["problems"][0]["text"] == "人手不足"


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_deep_nesting_is_a_clear_422(client, kind, tmp_path):
    deep = "[" * 5000 + "]" * 5000
    text = json.dumps({"unit": {"name": "甲镇工会", "type": "township"}, "themes": "X"}).replace('"X"', deep)
    r = _upload(client, f"deep.{kind}", text.encode())
    assert r.status_code == 422 and f"最多 {MAX_DEPTH} 层" in _messages(r)
    path = tmp_path / f"deep.{kind}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactSheetError) as err:
        load_fact_sheet(path)
    assert "嵌套" in err.value.problems[0].message_zh
    r = client.post("/api/factsheets", content=text, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422)  # a posted body too: refused, never a 500


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("青山镇工会2024年工作总结")
    d.add_paragraph("一、加强组织建设")
    d.add_paragraph("全年新建企业工会9家，发展会员420人。" * 20)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _corrupt_member(data: bytes, member: str, keep: float) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, body[: int(len(body) * keep)] if info.filename == member else body)
    return out.getvalue()


def test_truncated_or_corrupt_docx_is_refused_in_chinese(client):
    data = _docx_bytes()
    cases = {
        "cut.docx": data[: len(data) // 2],
        "member.docx": _corrupt_member(data, "word/document.xml", 0.5),
        "zeros.docx": data[:800] + b"\0" * (len(data) - 1600) + data[-800:],
    }
    for name, body in cases.items():
        r = _upload(client, name, body, "/api/factsheets/extract")
        assert r.status_code == 422, (name, r.status_code, r.text)
        assert r.json()["detail"].startswith(f"无法读取「{name}」"), r.text  # the user's own file named
    assert _upload(client, "ok.docx", data, "/api/factsheets/extract").status_code == 200


def test_excel_past_its_limits_is_refused(client):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_template()))
    ws = wb["问题"]
    for i in range(MAX_XLSX_ROWS + 5):
        ws.append([f"问题{i}"])
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(client, "rows.xlsx", buf.getvalue())
    assert r.status_code == 422 and f"超过 {MAX_XLSX_ROWS} 行" in _messages(r)
    wb = load_workbook(io.BytesIO(xlsx_template()))
    for i in range(25):
        wb.create_sheet(f"附表{i}")
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(client, "sheets.xlsx", buf.getvalue())
    assert r.status_code == 422 and "工作表" in _messages(r)


def test_every_free_text_field_has_a_limit(client):
    long_theme = dict(SHEET, themes=["主题" * 40])
    r = client.post("/api/factsheets", json=long_theme)
    assert r.status_code == 422 and r.json()["problems"][0]["path"] == "themes[0]"
    assert "最多 60 字" in r.json()["problems"][0]["message"]
    many = dict(SHEET, themes=["主题"] * 21)
    r = client.post("/api/factsheets", json=many)
    assert r.status_code == 422 and "条目太多（最多 20 项）" in r.json()["problems"][0]["message"]
    sources = dict(SHEET, sources={"m1": "原句" * 300})
    assert client.post("/api/factsheets", json=sources).status_code == 422
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FactSheetInput"]["properties"]
    assert schema["themes"]["items"]["maxLength"] == 60 and schema["themes"]["maxItems"] == 20
    form = client.get("/facts/new").text
    for name, limit in (("unit_name", 60), ("w_text", 400), ("a_description", 600), ("p_text", 300)):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', form)
        assert tag and f'maxlength="{limit}"' in tag.group(0), name
    assert '年度主题（每行一个）<span class="limit">（最多 20 个，每个最多 60 字）' in form


def test_next_year_on_the_last_allowed_year_is_refused(client):
    fid = client.post("/api/factsheets", json=dict(SHEET, period={"year": YEAR_MAX - 1, "kind": "annual"})).json()["id"]
    r = client.post(f"/api/factsheets/{fid}/next-year")
    assert r.status_code == 201
    last = r.json()["id"]
    assert client.get(f"/api/factsheets/{last}").json()["period"]["year"] == YEAR_MAX
    r = client.post(f"/api/factsheets/{last}/next-year")
    assert r.status_code == 422 and f"最晚 {YEAR_MAX} 年" in _messages(r)
    page = client.post(f"/facts/{last}/next-year", data={"csrf_token": client.cookies.get("zj_csrf")})
    assert page.status_code == 422 and "不能再用作下一年度" in page.text
    assert len(client.get("/api/factsheets").json()) == 2  # nothing made that could not be read back


def test_the_connection_stays_usable_after_every_refusal(server):
    client = http_client(server)
    deep = ("[" * 5000 + "]" * 5000).encode()
    bad = [
        ("post", "/api/factsheets/upload", {"files": {"file": ("l.yaml", LAUGHS.encode(), "text/yaml")}}),
        ("post", "/api/factsheets/upload", {"files": {"file": ("d.json", deep, "application/json")}}),
        ("post", "/api/factsheets/extract", {"files": {"file": ("t.docx", _docx_bytes()[:3000], "x")}}),
        ("post", "/api/factsheets", {"content": deep, "headers": {"content-type": "application/json"}}),
        ("post", "/api/factsheets", {"content": b"x" * 3_000_000, "headers": {"content-type": "application/json"}}),
    ]
    for method, path, kwargs in bad:
        r = getattr(client, method)(path, **kwargs)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
        assert client.get("/api/me").status_code == 200  # the next request on the client still works
    with httpx.Client(base_url=server) as raw:  # the same connection: an error never resets it
        assert raw.post("/api/auth/login", content=b"{", headers={"content-type": "application/json"}).status_code in (
            400,
            422,
        )
        assert raw.get("/healthz").json() == {"ok": True}


def test_yaml_syntax_errors_stay_422(client):
    r = _upload(client, "bad.yaml", b"unit: [unclosed\n  - *nowhere")
    assert r.status_code == 422 and "无法解析" in _messages(r)
    with pytest.raises(yaml.YAMLError):
        parse_structured("a: *undefined", "yaml")
