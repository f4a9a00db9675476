import docx
import pytest

from zongjie.backends.embeddings import HashingEmbedder
from zongjie.backends.knowledge_base import KnowledgeBase
from zongjie.backends.vectorstore import MemoryStore
from zongjie.corpus.parsing import parse_file
from zongjie.corpus.reading import UnreadableFile, read_text
from zongjie.stages.ingest import ingest

SUMMARY = "青山镇工会2024年工作总结\n今年，镇工会在镇党委领导下开展工作，现总结如下：\n一、组织建设\n新建工会组织5家，发展会员230名，建会率进一步提高。\n二、帮扶工作\n慰问困难职工18户，发放慰问金3.6万元。"


def test_gbk_and_utf8_bom_text_files(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SUMMARY.encode("gbk"))
    bom = tmp_path / "bom.md"
    bom.write_bytes("\ufeff".encode() + SUMMARY.encode("utf-8"))
    assert read_text(gbk) == SUMMARY
    assert read_text(bom) == SUMMARY
    assert parse_file(gbk)[0].unit_name == "青山镇工会"


def test_docx_is_read_paragraph_by_paragraph(tmp_path):
    d = docx.Document()
    for line in SUMMARY.split("\n"):
        d.add_paragraph(line)
    path = tmp_path / "s.docx"
    d.save(path)
    (doc,) = parse_file(path)
    assert [s.title for s in doc.sections] == ["组织建设", "帮扶工作"] and doc.year == 2024


def test_pdf_text_is_extracted(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    w = PdfWriter()
    page = w.add_blank_page(200, 200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 10 100 Td (Union summary 2024) Tj ET")
    page[NameObject("/Contents")] = w._add_object(stream)
    path = tmp_path / "s.pdf"
    with open(path, "wb") as f:
        w.write(f)
    assert "Union summary 2024" in read_text(path)


@pytest.mark.parametrize(
    "name,data,msg",
    [
        ("empty.txt", b"", "文件是空的"),
        ("blank.txt", b"  \n\n", "文件是空的"),
        ("bin.txt", bytes(range(256)) * 10, "二进制"),
        ("bad.docx", b"PK not a zip really", "不是有效的 .docx"),
        ("bad.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("x.exe", b"MZ", "不支持的文件类型"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path, name, data, msg):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(UnreadableFile) as e:
        read_text(p)
    assert msg in str(e.value) and "\n" not in str(e.value)


def test_bad_files_do_not_stop_the_batch(tmp_path):
    (tmp_path / "a_bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "b_good.txt").write_text(SUMMARY, encoding="utf-8")
    (tmp_path / "c_huge.txt").write_bytes(b"a" * (21 * 1024 * 1024))
    kb = KnowledgeBase(MemoryStore(), HashingEmbedder(), "hybrid")
    report = ingest([tmp_path], kb)
    assert [f.outcome for f in report.files] == ["failed", "added", "failed"]
    assert "文件太大" in report.files[2].message
    assert report.documents == 1


def test_sidecar_yaml_overrides_inferred_metadata(tmp_path):
    src = tmp_path / "two.txt"
    src.write_text(
        SUMMARY
        + "\n扩展阅读:某单位工作总结\n某单位工作总结\n今年，在党委领导下开展工作，取得了一定成效，得到了职工好评。\n一、学习\n组织学习6次，参加职工80人次。",
        encoding="utf-8",
    )
    (tmp_path / "two.txt.yaml").write_text(
        "period: first_half\ndocuments:\n  - piece: 2\n    unit_type: hospital\n    year: 2023\n", encoding="utf-8"
    )
    first, second = parse_file(src)
    assert (first.period, first.unit_type, first.year) == ("first_half", "township", 2024)
    assert (second.period, second.unit_type, second.year, second.year_text) == ("first_half", "hospital", 2023, "2023")
