"""Uploading an office's archive as a .zip: one result per file inside, a broken file never stops the others."""

import io
import zipfile

import pytest

from conftest import app_client
from zongjie.corpus.archives import unpack_zip
from zongjie.corpus.reading import UnreadableFile

SUMMARY = (
    "{unit}2024年工作总结\n2024年，{unit}在党委领导下开展工作，现总结如下：\n一、组织建设\n"
    "新建工会组织{n}家，发展会员230名。\n二、帮扶工作\n慰问困难职工18户。"
)
GBK_NAME = "西岭乡工会.txt"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2024/东坡镇工会.txt", SUMMARY.format(unit="东坡镇工会", n=5).encode("gbk"))
        zf.writestr("2024/南湖街道工会.md", SUMMARY.format(unit="南湖街道工会", n=7))
        # a zip made on Chinese Windows stores GBK names without the UTF-8 flag: write a placeholder of the same
        # byte length, then put the GBK bytes in its place (local header and central directory)
        zf.writestr(
            "x" * (len(GBK_NAME.encode("gbk")) - 4) + ".txt", SUMMARY.format(unit="西岭乡工会", n=9).encode("gbk")
        )
        zf.writestr("坏文件.docx", b"PK\x03\x04 not really a docx")
        zf.writestr("setup.exe", b"MZ")
        zf.writestr("__MACOSX/._东坡镇工会.txt", b"junk")
    placeholder = ("x" * (len(GBK_NAME.encode("gbk")) - 4) + ".txt").encode()
    return buf.getvalue().replace(placeholder, GBK_NAME.encode("gbk"))


def test_unpack_reads_utf8_names_written_without_the_flag(tmp_path):
    """Info-ZIP's ``zip`` on Linux (and macOS's) stores UTF-8 names without the UTF-8 flag: read as UTF-8, not as
    GBK or code page 437 (they came out as 「往年总结.zip/Σ╕ü.pdf」)."""
    names = ["丁.pdf", "2023年/甲工会总结.txt", "损坏的总结.docx"]
    placeholders = {n: ("y" * (len(n.encode()) - 4) + n[-4:]).encode() for n in names}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(placeholders[name].decode(), SUMMARY.format(unit="东坡镇工会", n=5))
    data = buf.getvalue()
    for name in names:
        data = data.replace(placeholders[name], name.encode())
    assert not any(i.flag_bits & 0x800 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert [m.name for m in unpack_zip(data, tmp_path, "往年总结.zip")] == names


def test_unpack_reads_gbk_names_and_refuses_non_zips(tmp_path):
    members = unpack_zip(_zip(), tmp_path, "档案.zip")
    names = [m.name for m in members]
    assert "西岭乡工会.txt" in names and not any("MACOSX" in n for n in names)
    assert all(m.path.parent == tmp_path for m in members if m.path)
    assert "不支持的文件类型" in next(m.error for m in members if m.name == "setup.exe")
    with pytest.raises(UnreadableFile, match="不是有效的 .zip"):
        unpack_zip(b"not a zip", tmp_path, "x.zip")


def test_zip_upload_gives_one_result_per_file(settings):
    settings = settings.model_copy(update={"vector_store": "memory"})
    with app_client(settings) as client:
        r = client.post("/api/knowledge/upload", files=[("files", ("档案.zip", _zip(), "application/zip"))])
        assert r.status_code == 200
        by_name = {x["name"].split("/", 1)[1]: x for x in r.json()}
        assert {k for k, v in by_name.items() if v["outcome"] == "added"} == {
            "2024/东坡镇工会.txt",
            "2024/南湖街道工会.md",
            "西岭乡工会.txt",
        }
        assert by_name["坏文件.docx"]["outcome"] == "failed" and "docx" in by_name["坏文件.docx"]["message"]
        assert by_name["setup.exe"]["outcome"] == "failed"
        assert all("/tmp" not in x["message"] and "uploads" not in x["message"] for x in r.json())
        units = {d["unit_name"] for d in client.get("/api/knowledge/documents").json()}
        assert {"东坡镇工会", "南湖街道工会", "西岭乡工会"} <= units
