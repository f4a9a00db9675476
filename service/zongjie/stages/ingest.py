"""Stage: ingest — files → clean, split, parsed, tagged documents → section chunks in the vector store.

Input: paths (files or folders). Output: ``IngestReport`` (per file: added / unchanged / replaced / failed).
Idempotent: chunk ids are content hashes, a file whose hash is already stored is skipped, and a changed file's old
chunks are deleted before the new ones are added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..corpus.parsing import chunks_of, parse_file
from ..corpus.reading import UnreadableFile, iter_files
from ..knowledge_base import KnowledgeBase

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


def ingest(paths: list[Path], kb: KnowledgeBase, progress: Callable[[Path], None] | None = None) -> IngestReport:
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
