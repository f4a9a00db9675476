"""Stage: structure review — what was read from a past summary, confirmed and corrected, kept with its file.

Input: a knowledge-base document (by id), the corrections typed on the structure page or through the API
(``DocumentFixes``), the draft store (where the file's text and corrections live: ``storage/kb_reviews.py``).
Output: the corrected document, stored in the knowledge base in place of the one read (re-indexed: its sections
are embedded again) — the same document id, so links to it hold.

- ``save_structure``: the new corrections are applied to the document as it stands (earlier corrections included);
  those whose anchor text is not found are returned, not stored; the applied ones are appended to the file's
  stored corrections, which replay on a fresh parse of the same text (``reviewed``).
- ``reset_structure``: the document as the parser reads the kept text (or the file at its source path), with only
  the unit it belongs to kept.
- ``reviewed(store, docs)``: a freshly parsed file's documents with their stored corrections applied — what
  ingestion stores when the same file comes again (keyed by content hash).
- ``review_file(path)``: what ingesting a file would store (its sidecar applied) and the sidecar's corrections that
  found no text to apply to (``zongjie ingest --review``).
- ``import_preparer(store)``: what the web's imports do with each file (keep its text, apply its corrections).
- ``keep_past_summary``: 「从往年总结开始」's upload kept in the knowledge base as the clerk's unit's document:
  deduplicated by content (a file already there, under any name, is reused), its text kept for the structure page,
  the chosen piece marked as the unit's.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..backends.knowledge_base import KnowledgeBase
from ..corpus.choice import default_piece
from ..corpus.document import KBDocument
from ..corpus.metadata import load_sidecar
from ..corpus.parsing import parse_file, parse_text, sha
from ..corpus.reading import UnreadableFile, read_text
from ..corpus.review import DocumentFixes, Fix, apply_fixes, sidecar_fixes
from ..storage import kb_reviews
from ..storage.draft_store import DraftStore
from .ingest import IngestItem, Prepare

PAST_SOURCE = "往年总结/"  # source prefix of summaries kept by 「从往年总结开始」


@dataclass
class Kept:
    """An uploaded past summary in the knowledge base: every piece of the file, whether it was there already, and
    the piece taken."""

    docs: list[KBDocument]
    existed: bool
    piece: int


def reviewed(store: DraftStore | None, docs: list[KBDocument]) -> list[KBDocument]:
    """``docs`` (one file's, freshly parsed) with the corrections stored for that file applied."""
    if store is None or not docs:
        return docs
    fixes = kb_reviews.reviews_for(store, docs[0].file_hash)
    return [apply_fixes(d, fixes[d.piece])[0] if d.piece in fixes else d for d in docs]


def import_preparer(store: DraftStore) -> Prepare:
    """For ``ingest_items``: keep each imported file's text (the structure page shows it) and apply the corrections
    stored for its content (a re-import of a reviewed file stores it as reviewed)."""

    def prepare(item: IngestItem, path: Path, docs: list[KBDocument]) -> list[KBDocument]:
        if docs:
            try:
                kb_reviews.put_source(store, docs[0].file_hash, item.label or Path(item.name).name, read_text(path))
            except (UnreadableFile, ValueError, OSError):
                pass  # it was just read once: only a file changed under us gets here, and it still imports
        return reviewed(store, docs)

    return prepare


def source_text(store: DraftStore, doc: KBDocument) -> tuple[str, str] | None:
    """(file name, text as read) of a document's file: the kept text, else the file at its source path."""
    kept = kb_reviews.source(store, doc.file_hash)
    if kept is not None:
        return kept
    path = Path(doc.source)
    if doc.source and path.is_absolute() and path.is_file():
        try:
            return path.name, read_text(path)
        except (OSError, ValueError):
            return None
    return None


def save_structure(
    kb: KnowledgeBase, store: DraftStore, doc_id: str, new: DocumentFixes, user: str
) -> tuple[KBDocument, list[Fix]]:
    """Apply and keep corrections (see the module docstring); returns the stored document and what was not found."""
    current = kb.document(doc_id)
    fixed, unapplied = apply_fixes(current, new)
    applied = new.model_copy(update={"fixes": [f for f in new.fixes if all(f is not u for u in unapplied)]})
    before = kb_reviews.review(store, current.file_hash, current.piece)
    kb_reviews.put_review(
        store, current.file_hash, current.piece, (before.fixes if before else DocumentFixes()).then(applied), user
    )
    kb.replace_document(fixed)
    return fixed, unapplied


def reparse(store: DraftStore, doc: KBDocument) -> KBDocument | None:
    """The document as the parser reads its file now (no corrections), or None when the text is not available."""
    found = source_text(store, doc)
    if found is None:
        return None
    name, text = found
    path = Path(doc.source)
    fresh = (
        parse_file(path)
        if path.is_absolute() and path.is_file()
        else parse_text(text, source=doc.source, file_hash=doc.file_hash)
    )
    return next((d for d in fresh if d.piece == doc.piece), None)


def reset_structure(kb: KnowledgeBase, store: DraftStore, doc_id: str, user: str) -> KBDocument | None:
    """Undo every correction but the unit the document belongs to; None when its text is not available."""
    current = kb.document(doc_id)
    fresh = reparse(store, current)
    if fresh is None:
        return None
    keep = DocumentFixes(unit_id=current.unit_id)
    kb_reviews.put_review(store, current.file_hash, current.piece, keep, user)
    doc, _ = apply_fixes(fresh.model_copy(update={"id": current.id, "source": current.source}), keep)
    kb.replace_document(doc)
    return doc


def keep_past_summary(
    kb: KnowledgeBase,
    store: DraftStore,
    name: str,
    data: bytes,
    unit_id: str | None,
    piece: int | None,
    user: str,
) -> Kept:
    """Keep an uploaded past summary (see the module docstring); ``piece`` None: the one that is a summary
    (``corpus.choice.default_piece``). Raises ``UnreadableFile``/``ValueError`` with a Chinese message for a file
    that cannot be read, ``IndexError`` (with the titles of the pieces) for a piece the file does not hold."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="zongjie-past-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            text = read_text(path)
            docs = parse_file(path)
        except (UnreadableFile, ValueError) as exc:  # messages name the user's file, not the temporary copy
            raise type(exc)(str(exc).replace(str(path), name).replace(path.name, name)) from None
    if not docs:
        raise ValueError("文件里没有找到工作总结正文")
    piece = default_piece(docs) if piece is None else piece
    if not 1 <= piece <= len(docs):
        raise IndexError([d.title for d in docs])
    file_hash = docs[0].file_hash
    kb_reviews.put_source(store, file_hash, name, text)
    there = sorted((d for d in kb.store.documents({"file_hash": file_hash})), key=lambda d: d.piece)
    existed = bool(there)
    if not existed:
        source = f"{PAST_SOURCE}{unit_id or '-'}/{file_hash[:12]}/{name}"
        for d in docs:
            d.source = source
        there = reviewed(store, docs)
        kb.add_documents(source, there)
    chosen = next(d for d in there if d.piece == piece)
    if unit_id and chosen.unit_id is None:
        fixed, _ = save_structure(kb, store, chosen.id, DocumentFixes(unit_id=unit_id), user)
        there = [fixed if d.id == fixed.id else d for d in there]
    return Kept(there, existed, piece)


def review_file(path: Path) -> list[tuple[KBDocument, list[Fix]]]:
    """Each summary of a file as ingesting it would store it (sidecar metadata and corrections applied), with the
    sidecar's corrections that were not found. Raises ``UnreadableFile``/``ValueError`` like ``parse_file``."""
    sidecar = load_sidecar(path)
    text = read_text(path)
    file_hash = sha(text + repr(sorted(sidecar.items())), 32)  # as parse_file has it: ids as ingestion gives them
    plain = {k: v for k, v in sidecar.items() if k != "fixes"}
    plain["documents"] = [
        {k: v for k, v in e.items() if k != "fixes"} for e in sidecar.get("documents", []) or [] if isinstance(e, dict)
    ]
    out = []
    for doc in parse_text(text, source=str(path.resolve()), overrides=plain, file_hash=file_hash):
        out.append(apply_fixes(doc, sidecar_fixes(sidecar, doc.piece)))
    return out
