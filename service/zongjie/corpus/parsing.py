"""Corpus parsing: one file's text → documents (cleaned, split, section trees, metadata) → section chunks.

``parse_text`` and ``parse_file`` are pure (no store, no model); document and section ids are content hashes, so
the same text always gives the same ids. ``chunks_of`` turns a document into the section-level chunks that are
embedded and indexed (opening, every section with text of its own, closing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cleaning import clean_text
from .document import Chunk, KBDocument
from .metadata import infer_metadata, load_sidecar, overrides_for
from .reading import read_text
from .sections import parse_sections
from .splitting import split_documents


def sha(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@dataclass
class ParsedFile:
    """One file's text as read: its documents, the furniture dropped from it and the share of it kept."""

    text: str
    documents: list[KBDocument]
    kept_share: float = 1.0

    @property
    def needs_review(self) -> bool:
        return self.kept_share < REVIEW_BELOW


REVIEW_BELOW = 0.9


def parse_source(
    text: str, source: str = "", overrides: dict[str, Any] | None = None, file_hash: str = ""
) -> ParsedFile:
    return ParsedFile(text=text, documents=parse_text(text, source, overrides, file_hash))


def parse_text(
    text: str, source: str = "", overrides: dict[str, Any] | None = None, file_hash: str = ""
) -> list[KBDocument]:
    """Clean, split and parse one file's text into documents with inferred (then overridden) metadata."""
    file_hash = file_hash or sha(text)
    sidecar = overrides or {}
    docs: list[KBDocument] = []
    for i, raw in enumerate(split_documents(clean_text(text)), start=1):
        opening, sections, closing = parse_sections(raw.paragraphs)
        body = "\n".join(raw.paragraphs)
        meta = infer_metadata(raw.title, opening, body)
        ov = overrides_for(sidecar, i)
        if "year" in ov:
            ov["year_text"] = str(ov["year"])
        meta.update(ov)
        title = ov.get("title", raw.title)
        doc = KBDocument(
            source=source,
            file_hash=file_hash,
            piece=i,
            title=title,
            opening=opening,
            sections=sections,
            closing=closing,
            signature=raw.signature,
            signed_by=raw.signed_by,
            **{k: v for k, v in meta.items() if k != "title"},
        )
        doc.id = "d" + sha(f"{file_hash}:{i}:{doc.full_text()}")
        for n, (_, sec) in enumerate(doc.walk()):
            sec.id = f"{doc.id}-s{n}"
        docs.append(doc)
    return docs


def parse_file(path: Path) -> list[KBDocument]:
    """Read and parse one file (sidecar YAML applied). Raises UnreadableFile / ValueError with a user message."""
    text = read_text(path)
    sidecar = load_sidecar(path)
    file_hash = sha(text + repr(sorted(sidecar.items())), 32)
    return parse_text(text, source=str(path.resolve()), overrides=sidecar, file_hash=file_hash)


def chunks_of(doc: KBDocument) -> list[Chunk]:
    """Section-level chunks: the opening, every section with its own text, the closing. A chunk's text (what is
    embedded and indexed) is its heading path, a newline, and its body."""

    def chunk(id: str, path: list[str], body: str, level: int, role: str) -> Chunk:
        return Chunk(
            id=id,
            text=f"{' > '.join(path)}\n{body}".strip(),
            body=body,
            heading_path=path,
            level=level,
            role=role,
            doc_id=doc.id,
            unit_name=doc.unit_name or "",
            unit_type=doc.unit_type,
            period=doc.period,
            year=doc.year,
            source=doc.source,
            file_hash=doc.file_hash,
            doc_title=doc.title,
        )

    out: list[Chunk] = []
    if doc.opening:
        out.append(chunk(f"{doc.id}-opening", ["开头"], doc.opening, 0, "opening"))
    for path, sec in doc.walk():
        if sec.text or not sec.children:
            out.append(chunk(sec.id, list(path), sec.text, sec.level, sec.role))
    if doc.closing:
        out.append(chunk(f"{doc.id}-closing", ["结尾"], doc.closing, 0, "closing"))
    return out
