"""Archives an office would upload: several summaries in folders, zipped on Chinese Windows (GBK names), with the
bad files real archives hold (a broken .docx, an encrypted PDF, an unsupported type, a nested zip, a zip-slip
name, a zip bomb member). Written here, in memory; no sentence of a real summary."""

from __future__ import annotations

import io
import zipfile

SUMMARY = (
    "{unit}2024年工作总结\n2024年，{unit}在党委领导下，紧紧围绕中心工作开展工会工作，现总结如下：\n"
    "一、组织建设\n新建工会组织{n}家，发展会员230名，基层工会规范化建设不断加强。\n"
    "二、帮扶工作\n慰问困难职工18户，发放慰问金3.6万元，开展金秋助学活动。\n"
    "三、2025年工作打算\n继续深化职工之家建设，推进工资集体协商。"
)
GOOD = {
    "2024年/东坡镇工会.txt": ("东坡镇工会", 5, "gbk"),
    "2024年/南湖街道工会.md": ("南湖街道工会", 7, "utf-8"),
    "西岭乡工会.txt": ("西岭乡工会", 9, "gbk"),
}


def summary(unit: str, n: int) -> str:
    return SUMMARY.format(unit=unit, n=n)


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _gbk_names(data: bytes, names: list[str]) -> bytes:
    """Rewrite member names as GBK bytes without the UTF-8 flag, as zips made on Chinese Windows/WPS store them:
    each was written as an ASCII placeholder of the same byte length, replaced here (local and central headers)."""
    for name in sorted(names, key=lambda n: -len(n.encode("gbk"))):  # a shorter placeholder is inside a longer
        data = data.replace(_placeholder(name), name.encode("gbk"))
    return data


def _placeholder(name: str) -> bytes:
    raw = name.encode("gbk")
    return (b"p" * (len(raw) - 4) + b".txt") if name.endswith(".txt") else (b"p" * (len(raw) - 3) + b".md")


def _mark_encrypted(data: bytes, name: str) -> bytes:
    """Set the "encrypted" flag of member ``name`` in its local header and its central directory entry, as a zip
    made with a password has it (zipfile cannot write one)."""
    import struct

    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    local = info.header_offset + 6  # local file header: signature(4) version(2) flags(2)
    buf[local : local + 2] = struct.pack("<H", info.flag_bits | 0x1)
    at = buf.find(b"PK\x01\x02")
    while at != -1:  # central directory entries: signature(4) made-by(2) needed(2) flags(2) … name at 46
        length = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46 : at + 46 + length]) == name.encode():
            buf[at + 8 : at + 10] = struct.pack("<H", info.flag_bits | 0x1)
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def archive(broken: bool = True) -> bytes:
    """A zip of the GOOD summaries (GBK names) and, when ``broken``, bad members of every kind."""
    buf = io.BytesIO()
    gbk = [n for n, (_, _, enc) in GOOD.items() if enc == "gbk"]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, (unit, n, enc) in GOOD.items():
            arcname = _placeholder(name).decode() if name in gbk else name
            zf.writestr(arcname, summary(unit, n).encode(enc))
        if broken:
            zf.writestr("坏文件.docx", b"PK\x03\x04 this is not really a docx")
            zf.writestr("加密.pdf", encrypted_pdf())
            zf.writestr("说明.xls", b"\xd0\xcf\x11\xe0 old excel")
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as z2:
                z2.writestr("a.txt", "x")
            zf.writestr("旧档案.zip", inner.getvalue())
            zf.writestr("../../逃逸.txt", summary("临江镇工会", 3))  # zip-slip: must land inside the target
            zf.writestr("bomb.txt", b"0" * (15 * 1024 * 1024))  # 15 MB of zeros, compressed ~1000x
            zf.writestr("__MACOSX/._东坡镇工会.txt", b"junk")
            zf.writestr("locked.txt", summary("北山镇工会", 2))  # marked encrypted below
    data = buf.getvalue()
    if broken:
        data = _mark_encrypted(data, "locked.txt")
    # names with the GBK bytes of Chinese: zipfile wrote them as placeholders with the UTF-8 flag clear
    return _gbk_names(data, gbk)
