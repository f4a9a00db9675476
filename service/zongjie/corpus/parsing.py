"""Corpus parsing: one file's text → documents (cleaned, split, section trees, metadata) → section chunks.

``parse_text`` and ``parse_file`` are pure (no store, no model); document and section ids are content hashes, so
the same text always gives the same ids. ``chunks_of`` turns a document into the section-level chunks that are
embedded and indexed (opening, every section with text of its own, closing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .choice import not_a_summary
from .cleaning import clean_source
from .contents import split_contents
from .document import Chunk, DroppedSpan, KBDocument
from .metadata import infer_metadata, load_sidecar, overrides_for
from .patterns import is_title_line
from .placing import norm_chars, place
from .reading import read_text
from .review import apply_fixes, sidecar_fixes
from .sections import parse_sections
from .source_map import SourceMap
from .splitting import split_pieces


def sha(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@dataclass
class ParsedFile:
    """One file's text as read (``text``), its documents, what was left out and the share kept.

    ``dropped``: every span of ``text`` left out of all documents, with its class (furniture, a page number, a
    piece that is not a summary), in text order. ``kept_share``: the share of the file's characters (letters,
    digits, Chinese characters; not spaces or punctuation) that stand in some document — everything lost counts,
    whether a rule said why or not. Under ``REVIEW_BELOW`` the file is flagged for review (``needs_review``)."""

    text: str
    documents: list[KBDocument]
    dropped: list[DroppedSpan] = field(default_factory=list)
    kept_share: float = 1.0

    @property
    def needs_review(self) -> bool:
        return self.kept_share < REVIEW_BELOW

    @property
    def kept_label(self) -> str:
        """「保留原文 96%」, for import reports."""
        return f"保留原文 {self.kept_share:.0%}"


REVIEW_BELOW = 0.9


def parse_source(
    text: str, source: str = "", overrides: dict[str, Any] | None = None, file_hash: str = ""
) -> ParsedFile:
    """Clean, split and parse one file's text into documents with inferred (then overridden) metadata, each placed
    in ``text`` (document, heading and body offsets), with the furniture and the non-summary pieces left out."""
    file_hash = file_hash or sha(text)
    sidecar = overrides or {}
    smap = SourceMap(text)
    cleaned = clean_source(text, smap)
    dropped = list(cleaned.dropped)
    docs: list[KBDocument] = []
    cursor = 0
    carried = ""
    for raw in split_pieces(cleaned.paragraphs):
        for line in raw.other_titles:
            at = smap.find(line, cursor)
            cursor = at[1] if at else cursor
            dropped.append(
                DroppedSpan(start=at[0] if at else None, end=at[1] if at else None, rule="title_repeat", text=line)
            )
        why = not_a_summary(raw)
        if why is not None:
            # a site header holds the page title; an untitled summary right after it takes the last title line there
            carried = next((p for p in reversed([raw.title, *raw.paragraphs]) if p and is_title_line(p)), carried)
            for para in [raw.title, *raw.paragraphs]:
                at = smap.find(para, cursor) if para else None
                if para:
                    dropped.append(
                        DroppedSpan(start=at[0] if at else None, end=at[1] if at else None, rule=why, text=para)
                    )
                if at:
                    cursor = at[1]
            continue
        i = len(docs) + 1
        if not raw.title and carried:
            raw.title = carried
        carried = ""
        raw.paragraphs, contents = split_contents(raw.paragraphs)
        for line in contents:
            at = smap.find(line, cursor)
            dropped.append(DroppedSpan(start=at[0] if at else None, end=at[1] if at else None, rule="toc", text=line))
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
            signature=ov.get("signature", raw.signature),
            signed_by=ov.get("signed_by", raw.signed_by),
            **{k: v for k, v in meta.items() if k not in ("title", "signature", "signed_by")},
        )
        doc.id = "d" + sha(f"{file_hash}:{i}:{doc.full_text()}")
        for n, (_, sec) in enumerate(doc.walk()):
            sec.id = f"{doc.id}-s{n}"
        cursor = place(doc, raw.title, raw.paragraphs, smap, cursor)
        docs.append(doc)
    dropped.sort(key=lambda d: (d.start is None, d.start or 0))
    kept = _kept_share(docs, smap)
    for doc in docs:
        doc.kept_share = kept
        doc.dropped = dropped
    # the heading trees as the sidecar corrects them (ids stay the ones read: links to them hold)
    docs = [apply_fixes(d, f)[0] if (f := sidecar_fixes(sidecar, d.piece)).fixes else d for d in docs]
    return ParsedFile(text=text, documents=docs, dropped=dropped, kept_share=kept)


def _kept_share(docs: list[KBDocument], smap: SourceMap) -> float:
    if not smap.total:
        return 1.0
    return min(1.0, sum(len(norm_chars(d.full_text())) for d in docs) / smap.total)


def parse_text(
    text: str, source: str = "", overrides: dict[str, Any] | None = None, file_hash: str = ""
) -> list[KBDocument]:
    """The documents of ``parse_source``."""
    return parse_source(text, source, overrides, file_hash).documents


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
