"""Read past summaries from disk into text.

Contract: ``read_text(path)`` returns the file's text or raises ``UnreadableFile`` with a one-line reason a user
understands (in Chinese, naming the file). It never returns binary garbage: undecodable, empty, binary and
oversized files are refused.
"""

from __future__ import annotations

from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
MAX_BYTES = 20 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot be ingested; the message is shown to the user as is."""


def iter_files(paths: list[Path]) -> list[Path]:
    """Expand files and folders into the supported files they contain, sorted, without duplicates."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique


def decode_bytes(data: bytes, name: str = "file") -> str:
    """Decode text bytes: UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312), then detection."""
    if not data.strip():
        raise UnreadableFile(f"{name}：文件是空的")
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"{name}：看起来是二进制文件，不是文本")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return text
    raise UnreadableFile(f"{name}：无法识别文字编码（已尝试 UTF-8、GBK/GB18030 等）")


MAX_DOCX_EXPANDED = 100 * 1024 * 1024


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bad / max(1, min(len(text), 20000)) < 0.01


def read_text(path: Path) -> str:
    """Return the text of one .txt/.md/.docx/.pdf file, or raise UnreadableFile."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"{name}：不支持的文件类型 {suffix or '（无扩展名）'}，请使用 .txt、.md、.docx 或 .pdf")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"{name}：无法打开（{exc.strerror}）") from exc
    if size == 0:
        raise UnreadableFile(f"{name}：文件是空的")
    if size > MAX_BYTES:
        raise UnreadableFile(f"{name}：文件太大（{size / 1e6:.1f} MB，上限 {MAX_BYTES / 1e6:.0f} MB）")
    if suffix in (".txt", ".md"):
        return decode_bytes(path.read_bytes(), name)
    if suffix == ".docx":
        return _read_docx(path)
    return _read_pdf(path)


def _read_docx(path: Path) -> str:
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    BROKEN_PARTS = (zlib.error, EOFError, XMLSyntaxError)  # a member cut short or corrupt
    try:
        with zipfile.ZipFile(path) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
        if expanded > MAX_DOCX_EXPANDED:  # a zip bomb, or a document no summary needs
            raise UnreadableFile(f"{path.name}：解压后达 {expanded / 1e6:.0f} MB，已拒绝")
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, *BROKEN_PARTS) as exc:
        with path.open("rb") as f:
            ole = f.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or a .doc renamed
        if ole:
            why = "是加密的 Word 文档或旧版 .doc 文件，请去除密码并另存为 .docx 后上传"
            raise UnreadableFile(f"{path.name}：{why}") from exc
        raise UnreadableFile(f"{path.name}：不是有效的 .docx 文件（文件已损坏，或是改了扩展名的其他格式）") from exc
    from .docx_text import docx_lines

    try:  # parts are read as they are needed: a truncated or corrupt one shows only now
        text = "\n".join(docx_lines(document))
    except (zipfile.BadZipFile, KeyError, *BROKEN_PARTS) as exc:
        raise UnreadableFile(f"{path.name}：文件已损坏（可能没有完整上传），请重新保存后再上传") from exc
    if not text.strip():
        raise UnreadableFile(f"{path.name}：文档中没有文字")
    return text


def _refuse_encrypted_pdf(path: Path) -> None:
    """A PDF that needs a password to open cannot be read: say so (one with only an owner password is read)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        locked = reader.is_encrypted and not reader.decrypt("")
    except (PdfReadError, ValueError, OSError, NotImplementedError):
        return  # not readable by pypdf either: the readers below say what they can
    except Exception:  # noqa: BLE001 — e.g. an unsupported cipher (needs an optional package)
        locked = True
    if locked:
        raise UnreadableFile(f"{path.name}：PDF 文件已加密（设有打开密码），请去除密码后再上传")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .pdf_text import join_pages, pdf_text

    _refuse_encrypted_pdf(path)
    try:
        text = pdf_text(path)
    except Exception:  # noqa: BLE001 — pdfminer raises many kinds on odd files; pypdf gets a second chance
        try:
            reader = PdfReader(str(path))
            text = join_pages([page.extract_text() or "" for page in reader.pages])
        except (PdfReadError, ValueError, OSError) as exc:
            raise UnreadableFile(f"{path.name}：无法读取这个 PDF 文件（文件已损坏或不是 PDF）") from exc
    if not text.strip():
        raise UnreadableFile(f"{path.name}：PDF 中没有可提取的文字（可能是扫描件）")
    return text
