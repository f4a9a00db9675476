"""Stage: ingest — files → clean, split, parsed, tagged documents → section chunks in the vector store.

Input: paths (files or folders; ``ingest``) or ``IngestItem``s (``ingest_items``: a file under the name the user
knows it by, e.g. a member of an uploaded zip, or one that already failed before reaching us). Output:
``IngestReport`` (per file, in input order: added / unchanged / replaced / failed with a Chinese message).
Progress: typed ``IngestEvent``s (``stages/ingest_events.py``) through ``on_event``, as each file is read and
each batch is stored.

Contract: a bad file (unreadable, corrupt, encrypted, unsupported, no summary in it — or one the parser trips
over) fails alone and never stops the batch. A file holding a summary another file of the same import already
holds is skipped (unchanged, 「与本次导入中的「X」内容相同，已跳过」); a batch the store refuses is stored file by
file, so only the file it refuses fails. Sections of several files are embedded together, about
``BATCH_SECTIONS`` per embedder call. Idempotent: chunk ids are content hashes, a file whose ``source`` is already
stored with the same hash is skipped, and a changed file's old chunks are deleted before the new ones are added.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..backends.knowledge_base import KnowledgeBase
from ..common.errors import KnowledgeBaseUnavailable
from ..corpus.document import KBDocument
from ..corpus.parsing import REVIEW_BELOW, chunks_of, parse_file
from ..corpus.reading import UnreadableFile, iter_files
from .ingest_events import (
    FileDone,
    FileFailed,
    FileRead,
    FileStarted,
    Indexing,
    IngestEvent,
    IngestEventFn,
    IngestFinished,
    Listed,
)

log = logging.getLogger(__name__)

Outcome = Literal["added", "unchanged", "replaced", "failed"]
BATCH_SECTIONS = 256  # sections embedded per call: several files share one embedder batch


@dataclass
class IngestItem:
    """One file to ingest. ``name``: how reports and events call it; ``path``: where its bytes are (None when it
    already failed: ``error``); ``source``: the key it is stored under (re-ingesting the same source replaces or
    skips it; default the resolved path); ``label``: the file name the parser's messages use for it."""

    name: str
    path: Path | None = None
    error: str = ""
    source: str | None = None
    label: str | None = None


# called with each file's item, its path and its parsed documents before they are stored; returns what to store
# (the web's imports keep the file's text and apply the corrections stored for its content: stages/structure.py)
Prepare = Callable[[IngestItem, Path, list[KBDocument]], list[KBDocument]]


@dataclass
class FileResult:
    path: str  # the item's name (the path as given, for files and folders)
    outcome: Outcome
    documents: int = 0
    chunks: int = 0
    message: str = ""
    kept_share: float = 1.0  # share of the file's characters kept in its documents (the rest dropped, with a reason)

    @property
    def needs_review(self) -> bool:
        """Under 90% kept: the clerk should look at what was read (``corpus.parsing.REVIEW_BELOW``)."""
        return self.outcome != "failed" and self.kept_share < REVIEW_BELOW

    @property
    def kept_label(self) -> str:
        """「保留原文 96%」, with 「，请核对」 when the file is flagged for review."""
        return f"保留原文 {self.kept_share:.0%}" + ("，请核对" if self.needs_review else "")


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


def ingest(paths: list[Path], kb: KnowledgeBase, on_event: IngestEventFn | None = None) -> IngestReport:
    """Ingest files and folders into the knowledge base (see the module contract)."""
    return ingest_items([IngestItem(name=str(p), path=p) for p in iter_files(paths)], kb, on_event)


def _parse(item: IngestItem, path: Path) -> list[KBDocument]:
    """The file's documents, stored under the item's source; UnreadableFile with a Chinese message otherwise."""
    label = item.label or path.name
    try:
        docs = parse_file(path)
    except (UnreadableFile, ValueError) as exc:
        message = str(exc).replace(path.name, label)
        raise UnreadableFile(message if label in message else f"{label}：{message}") from None
    except OSError as exc:
        raise UnreadableFile(f"{label}：无法打开（{exc.strerror or type(exc).__name__}）") from None
    except Exception as exc:  # the parser tripped over this file: it fails alone
        log.exception("parsing %s failed", path)
        why = f"{label}：无法解析这个文件（{type(exc).__name__}），请另存为 .docx 或 .txt 后重试"
        raise UnreadableFile(why) from None
    if not docs:
        raise UnreadableFile(f"{label}：文本中没有找到工作总结")
    if item.source:
        for d in docs:
            d.source = item.source
    return docs


def ingest_items(
    items: list[IngestItem],
    kb: KnowledgeBase,
    on_event: IngestEventFn | None = None,
    prepare: Prepare | None = None,
) -> IngestReport:
    """Ingest ``items`` in order (see the module contract); ``on_event`` gets every progress event; ``prepare``
    sees each file's documents before they are stored."""
    started = time.perf_counter()
    results: dict[int, FileResult] = {}
    pending: list[tuple[int, IngestItem, list[KBDocument], int]] = []  # (n, item, docs, sections)

    def emit(event: IngestEvent) -> None:
        if on_event is not None:
            on_event(event)

    def fail(n: int, item: IngestItem, message: str) -> None:
        results[n] = FileResult(item.name, "failed", message=message)
        emit(FileFailed(n=n, name=item.name, message=message))

    def store(batch: list[tuple[int, IngestItem, list[KBDocument], int]]) -> None:
        outcomes = kb.add_many([(_source(item), docs) for _, item, docs, _ in batch])
        for (n, item, docs, sections), stored in zip(batch, outcomes, strict=True):
            kept = docs[0].kept_share if docs else 1.0
            results[n] = FileResult(item.name, stored, len(docs), sections, kept_share=kept)
            emit(
                FileDone(
                    n=n,
                    name=item.name,
                    outcome=stored,
                    documents=len(docs),
                    sections=sections,
                    kept_share=kept,
                    doc_ids=[d.id for d in docs],
                )
            )

    def flush() -> None:
        if not pending:
            return
        emit(Indexing(ns=[n for n, *_ in pending], sections=sum(s for *_, s in pending)))
        try:
            store(pending)
        except KnowledgeBaseUnavailable:
            raise
        except Exception:  # the store refused the batch: file by file, so only the file it refuses fails
            log.exception("storing a batch failed; storing its files one by one")
            for one in pending:
                try:
                    store([one])
                except KnowledgeBaseUnavailable:
                    raise
                except Exception as exc:
                    log.exception("storing %s failed", one[1].name)
                    fail(one[0], one[1], f"{one[1].name}：入库失败（{type(exc).__name__}），请稍后重试")
        pending.clear()

    seen: dict[str, str] = {}  # document id → the name of the file of this import that holds it

    emit(Listed(files=[i.name for i in items]))
    for n, item in enumerate(items, start=1):
        if item.path is None:
            fail(n, item, item.error or f"{item.name}：无法读取")
            continue
        emit(FileStarted(n=n, name=item.name))
        try:
            docs = _parse(item, item.path)
            if prepare is not None:
                docs = prepare(item, item.path, docs)
        except UnreadableFile as exc:
            fail(n, item, str(exc))
            continue
        same = next((seen[d.id] for d in docs if d.id in seen), None)
        if same is not None:
            message = f"{item.name}：与本次导入中的「{same}」内容相同，已跳过"
            results[n] = FileResult(item.name, "unchanged", message=message)
            emit(FileDone(n=n, name=item.name, outcome="unchanged", documents=0, sections=0, message=message))
            continue
        seen.update((d.id, item.name) for d in docs)
        sections = sum(len(chunks_of(d)) for d in docs)
        emit(FileRead(n=n, name=item.name, documents=len(docs), sections=sections, titles=[d.title for d in docs]))
        pending.append((n, item, docs, sections))
        if sum(s for *_, s in pending) >= BATCH_SECTIONS:
            flush()
    flush()
    report = IngestReport([results[n] for n in sorted(results)])
    emit(
        IngestFinished(
            added=report.count("added"),
            replaced=report.count("replaced"),
            unchanged=report.count("unchanged"),
            failed=report.count("failed"),
            documents=report.documents,
            sections=report.chunks,
            seconds=round(time.perf_counter() - started, 2),
        )
    )
    return report


def _source(item: IngestItem) -> str:
    return item.source or str(item.path.resolve() if item.path else item.name)
