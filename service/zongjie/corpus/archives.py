"""A .zip of past summaries (an office's archive folder, zipped on Windows or WPS) unpacked safely for ingestion.

Contract: ``unpack_zip(data, dest)`` returns one ``Member`` per file entry, in archive order: with ``path`` (the
member written under ``dest``) when it can be ingested, or with ``error`` (a Chinese message) when it cannot —
an unsupported type, too large, a nested archive. Folders, macOS resource forks (__MACOSX/, ._*) and Office lock
files (~$*) are skipped silently. Names are read as UTF-8 when the archive says so or when they are valid UTF-8
(Info-ZIP on Linux and macOS writes UTF-8 without saying so), otherwise as GBK (what Windows Chinese editions
write), never trusted as paths: the file is written as ``<n>_<base name>`` inside ``dest``.
Raises ``UnreadableFile`` for something that is not a zip, or one that expands beyond ``MAX_EXPANDED`` bytes or
holds more than ``MAX_MEMBERS`` files (a zip bomb, or not an archive of summaries). A member that claims to expand
more than ``MAX_RATIO`` times (a bomb hidden among real files), an encrypted member or one whose data is damaged
fails alone. Sizes are the ones the archive declares, and ``zipfile`` never inflates a member beyond its declared
size (it stops and reports a bad CRC), so the limits hold for archives that lie about their sizes too.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .reading import MAX_BYTES, SUPPORTED_SUFFIXES, UnreadableFile

MAX_MEMBERS = 500
MAX_EXPANDED = 300 * 1024 * 1024
MAX_RATIO = 100  # text compresses about 3-10x, .docx/.pdf hardly at all; bombs 1000x and more


@dataclass
class Member:
    name: str
    path: Path | None = None
    error: str = ""


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")  # the bytes as stored (zipfile read them as code page 437)
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):  # Info-ZIP (Linux, macOS) writes UTF-8 without the flag; GBK is rarely
        try:  # valid UTF-8, so UTF-8 first
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unpack_zip(data: bytes, dest: Path, archive: str = "archive.zip") -> list[Member]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{archive}：不是有效的 .zip 压缩包") from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise UnreadableFile(f"{archive}：压缩包内文件超过 {MAX_MEMBERS} 个，请分批上传")
        if sum(i.file_size for i in infos) > MAX_EXPANDED:
            raise UnreadableFile(f"{archive}：解压后超过 {MAX_EXPANDED // 1024 // 1024} MB，已拒绝")
        dest.mkdir(parents=True, exist_ok=True)
        out: list[Member] = []
        for n, info in enumerate(infos, start=1):
            name = _name(info)
            base = PurePosixPath(name.replace("\\", "/")).name
            if name.startswith("__MACOSX/") or base.startswith(("._", "~$")) or not base:
                continue
            suffix = PurePosixPath(base).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                kind = "压缩包内的压缩包请先解压" if suffix in (".zip", ".rar", ".7z") else "不支持的文件类型"
                out.append(Member(name, error=f"{name}：{kind}，请使用 .txt、.md、.docx 或 .pdf"))
                continue
            if info.file_size > MAX_BYTES:
                out.append(Member(name, error=f"{name}：文件太大（上限 {MAX_BYTES // 1024 // 1024} MB）"))
                continue
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                out.append(Member(name, error=f"{name}：压缩比异常（疑似压缩炸弹），已拒绝"))
                continue
            if info.flag_bits & 0x1:
                out.append(Member(name, error=f"{name}：文件已加密，请解密后重新打包上传"))
                continue
            safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base)[:120] or f"file{suffix}"
            path = dest / f"{n}_{safe}"
            try:
                path.write_bytes(zf.read(info))
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, zlib.error) as exc:
                damaged = f"{name}：压缩包中的这个文件已损坏，无法读取（{exc.__class__.__name__}）"
                out.append(Member(name, error=damaged))
                continue
            out.append(Member(name, path=path))
        return out
