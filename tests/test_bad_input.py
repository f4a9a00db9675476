"""Bad input gets a clear error: uploads (binary, empty, GBK, 50 MB, zip bombs, wrong extensions) and the
fact-sheet loader under random data."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import app_client
from zongjie.factsheets.files import load_bytes
from zongjie.factsheets.model import FactSheetError, parse_fact_sheet


@pytest.fixture
def client(settings):
    s = settings.model_copy(update={"vector_store": "memory", "storage": "memory"})
    with app_client(s) as c:
        yield c


def _docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * (120 * 1024 * 1024) + "</w:document>")
    return buf.getvalue()


def _upload(client, name, data):
    r = client.post("/api/knowledge/upload", files=[("files", (name, data))])
    assert r.status_code == 200
    return r.json()[0]


def test_knowledge_uploads_fail_clearly(client):
    assert "空" in _upload(client, "a.txt", b"")["message"]
    binary = _upload(client, "a.txt", bytes(range(256)) * 400)
    assert binary["outcome"] == "failed" and binary["message"]
    assert "不支持" in _upload(client, "a.exe", b"MZ\x90")["message"]
    assert "太大" in _upload(client, "big.txt", b"x" * (21 * 1024 * 1024))["message"]
    bomb = _upload(client, "bomb.docx", _docx_bomb())
    assert bomb["outcome"] == "failed" and "已拒绝" in bomb["message"]
    fake = _upload(client, "fake.docx", b"PK\x03\x04 not really")
    assert fake["outcome"] == "failed" and "docx" in fake["message"]
    text = (
        "远山镇工会2024年工作总结\n\n2024年，远山镇工会在镇党委的领导下扎实推进各项工作。\n\n"
        "一、加强组织建设\n全年新建企业工会3家，发展会员120名。\n\n二、做好帮扶工作\n走访慰问困难职工15户。\n"
    )
    gbk = _upload(client, "gbk.txt", text.encode("gbk"))
    assert gbk["outcome"] == "added"


def test_fifty_megabytes_is_refused_without_reading_it_all(client):
    r = client.post("/api/factsheets/upload", files={"file": ("f.json", b"{" + b" " * (50 * 1024 * 1024))})
    assert r.status_code == 413 and "太大" in r.json()["detail"]


def test_xlsx_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", " " * (40 * 1024 * 1024))
    with pytest.raises(FactSheetError) as exc:
        load_bytes(buf.getvalue(), "f.xlsx")
    assert "过大" in exc.value.problems[0].message_zh


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=5),
    max_leaves=30,
)
sheet_like = st.fixed_dictionaries(
    {},
    optional={
        "unit": st.fixed_dictionaries({}, optional={"name": json_values, "type": json_values}),
        "period": st.fixed_dictionaries({}, optional={"year": json_values, "kind": json_values}),
        "metrics": st.lists(
            st.dictionaries(st.sampled_from(["id", "label", "value", "unit", "approximate"]), json_values), max_size=3
        ),
        "activities": json_values,
        "plans": json_values,
    },
)


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(json_values, sheet_like))
def test_fact_sheet_loader_only_ever_raises_fact_sheet_errors(data):
    try:
        parse_fact_sheet(data)
    except FactSheetError as exc:
        assert exc.problems and all(p.message_zh and p.path for p in exc.problems)


@hsettings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.json", "a.yaml", "a.xlsx", "a.txt"]))
def test_upload_parser_only_ever_raises_fact_sheet_errors(data, name):
    try:
        load_bytes(data, name)
    except FactSheetError as exc:
        assert exc.problems[0].message_zh
