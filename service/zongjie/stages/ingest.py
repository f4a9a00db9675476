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


BATCH_SECTIONS = 256  # sections embedded per call: several files share one embedder batch


def ingest(paths: list[Path], kb: KnowledgeBase, progress: Callable[[Path], None] | None = None) -> IngestReport:
    """Ingest files and folders into the knowledge base. Bad files are reported and skipped.

    Files are parsed one by one and stored in batches of about ``BATCH_SECTIONS`` sections, embedded in one call
    per batch; ``progress`` is called once per file, in order, when its outcome is known."""
    report = IngestReport()
    pending: list[tuple[Path, list]] = []

    def flush() -> None:
        if not pending:
            return
        outcomes = kb.add_many([(str(p.resolve()), docs) for p, docs in pending])
        for (p, docs), outcome in zip(pending, outcomes, strict=True):
            report.files.append(FileResult(str(p), outcome, len(docs), sum(len(chunks_of(d)) for d in docs)))
            if progress:
                progress(p)
        pending.clear()

    for path in iter_files(paths):
        try:
            docs = parse_file(path)
            if not docs:
                raise UnreadableFile(f"{path.name}：文本中没有找到工作总结")
        except (UnreadableFile, ValueError) as exc:
            failure = FileResult(str(path), "failed", message=str(exc))
        except OSError as exc:
            failure = FileResult(str(path), "failed", message=f"{path.name}：{exc.strerror or exc}")
        else:
            pending.append((path, docs))
            if sum(len(chunks_of(d)) for _, ds in pending for d in ds) >= BATCH_SECTIONS:
                flush()
            continue
        flush()  # keep the report (and progress) in file order
        report.files.append(failure)
        if progress:
            progress(path)
    flush()
    return report
