"""Uploaded files (or a .zip given on the command line) → ``IngestItem``s for the ingest stage.

Contract: ``upload_items(name, data, folder, source_prefix)`` writes the bytes under ``folder`` (a directory the
caller owns and removes) and returns one item per file to ingest: the file itself, or one per member of a .zip
(``corpus/archives.py`` reads it safely: GBK names, no path from the archive is trusted, size and ratio limits).
Items are named as the user knows them (``档案.zip/2024/东坡镇工会.docx``; their messages too) and stored under the
source ``<source_prefix><that name>``, so uploading the same file again skips it when unchanged and replaces it when
changed. What cannot be ingested (an unsupported type, a broken or encrypted zip, a nested archive) comes back as
a failed item with a Chinese message; nothing raises.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path, PurePosixPath

from ..corpus.archives import unpack_zip
from ..corpus.reading import UnreadableFile
from .ingest import IngestItem

UPLOAD_SOURCE = "上传/"  # the source prefix of files uploaded through the web service


def safe_name(name: str) -> str:
    """A file name safe to write anywhere: the base name only, odd characters replaced, at most 120 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", base)[:120].lstrip(".") or "upload"


def upload_items(name: str, data: bytes, folder: Path, source_prefix: str = UPLOAD_SOURCE) -> list[IngestItem]:
    shown = PurePosixPath(name.replace("\\", "/")).name or "upload"
    if shown.lower().endswith(".zip"):
        try:
            members = unpack_zip(data, folder / uuid.uuid4().hex[:12], shown)
        except UnreadableFile as exc:
            return [IngestItem(name=shown, error=str(exc))]
        if not members:
            return [IngestItem(name=shown, error=f"{shown}：压缩包里没有可读取的文件")]
        out = []
        for m in members:
            full = f"{shown}/{m.name}"  # every message names the archive and the member: 档案.zip/2024/东坡镇工会.docx
            error = f"{shown}/{m.error}" if m.error.startswith(m.name) else m.error
            out.append(IngestItem(name=full, path=m.path, error=error, source=source_prefix + full, label=full))
        return out
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex[:8]}_{safe_name(shown)}"
    path.write_bytes(data)
    return [IngestItem(name=shown, path=path, source=source_prefix + shown, label=shown)]
