"""Stage: ingest — files → clean, split, parsed, tagged documents → section chunks in the vector store.

Input: paths (files or folders). Output: ``IngestReport`` (per file: added / unchanged / replaced / failed).
Idempotent: chunk ids are content hashes, a file whose hash is already stored is skipped, and a changed file's old
chunks are deleted before the new ones are added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..corpus.cleaning import clean_text
from ..corpus.document import Chunk, KBDocument
from ..corpus.metadata import infer_metadata, load_sidecar, overrides_for
from ..corpus.reading import UnreadableFile, iter_files, read_text
from ..corpus.sections import parse_sections
from ..corpus.splitting import split_documents


def sha(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def parse_text(text: str, source: str = "", overrides: dict | None = None, file_hash: str = "") -> list[KBDocument]:
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
    """Section-level chunks: the opening, every section with its own text, the closing."""
    base = dict(
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
        out.append(
            Chunk(
                id=f"{doc.id}-opening",
                text=f"开头\n{doc.opening}",
                body=doc.opening,
                heading_path=["开头"],
                level=0,
                role="opening",
                **base,
            )
        )
    for path, sec in doc.walk():
        if not sec.text and sec.children:
            continue
        heading = " > ".join(path)
        out.append(
            Chunk(
                id=sec.id,
                text=f"{heading}\n{sec.text}".strip(),
                body=sec.text,
                heading_path=list(path),
                level=sec.level,
                role=sec.role,
                **base,
            )
        )
    if doc.closing:
        out.append(
            Chunk(
                id=f"{doc.id}-closing",
                text=f"结尾\n{doc.closing}",
                body=doc.closing,
                heading_path=["结尾"],
                level=0,
                role="closing",
                **base,
            )
        )
    return out


Outcome = Literal["added", "unchanged", "replaced", "failed"]


@dataclass
class FileResult:
    path: str
    outcome: Outcome
    documents: int = 0
    chunks: int = 0
    message: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def documents(self) -> int:
        return sum(f.documents for f in self.files)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files)


def ingest(paths: list[Path], kb: KnowledgeBase, progress: Callable[[Path], None] | None = None) -> IngestReport:  # noqa: F821
    """Ingest files and folders into the knowledge base. Bad files are reported and skipped."""
    report = IngestReport()
    for path in iter_files(paths):
        try:
            docs = parse_file(path)
            if not docs:
                raise UnreadableFile(f"{path.name}: no work summary found in the text")
            outcome = kb.add_documents(str(path.resolve()), docs)
            report.files.append(FileResult(str(path), outcome, len(docs), sum(len(chunks_of(d)) for d in docs)))
        except (UnreadableFile, ValueError) as exc:
            report.files.append(FileResult(str(path), "failed", message=str(exc)))
        except OSError as exc:
            report.files.append(FileResult(str(path), "failed", message=f"{path.name}: {exc.strerror or exc}"))
        if progress:
            progress(path)
    return report
