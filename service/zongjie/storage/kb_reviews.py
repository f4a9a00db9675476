"""What was read from a knowledge-base file, as the clerk confirmed it: the file's text and the corrections.

Why the database: corrections belong to the file's content, not to one copy of it in the vector store — they are
keyed by the file's content hash (``KBDocument.file_hash``) and piece, so importing the same file again (another
name, another zip, after deleting it) gets them back; the text as read is kept for the structure page's left pane.

Contract: ``put_source(store, file_hash, name, text)`` keeps a file's text (first name wins); ``source(store,
file_hash)`` → ``(name, text)`` or None. ``review(store, file_hash, piece)`` → ``StoredReview`` (the
``DocumentFixes`` and who last changed them) or None; ``put_review`` replaces it; ``drop_review`` deletes it.
``reviews_for(store, file_hash)`` → every piece's fixes of one file (what ingestion applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from ..corpus.review import DocumentFixes
from .draft_store import DraftStore
from .models import KBReviewRow, KBSourceRow
from .sql_store import SQLDraftStore


@dataclass
class StoredReview:
    fixes: DocumentFixes
    updated_by: str
    updated_at: str


def _sql(store: DraftStore) -> SQLDraftStore:
    if not isinstance(store, SQLDraftStore):
        raise TypeError("knowledge-base reviews need a SQL store")
    return store


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def put_source(store: DraftStore, file_hash: str, name: str, text: str) -> None:
    with _sql(store).Session.begin() as s:
        if s.get(KBSourceRow, file_hash) is None:
            s.add(KBSourceRow(file_hash=file_hash, name=name[:300], text=text, created_at=_now()))


def source(store: DraftStore, file_hash: str) -> tuple[str, str] | None:
    with _sql(store).Session() as s:
        row = s.get(KBSourceRow, file_hash)
        return (row.name, row.text) if row else None


def review(store: DraftStore, file_hash: str, piece: int) -> StoredReview | None:
    with _sql(store).Session() as s:
        row = s.get(KBReviewRow, (file_hash, piece))
        if row is None:
            return None
        return StoredReview(DocumentFixes.model_validate(row.fixes), row.updated_by, row.updated_at)


def reviews_for(store: DraftStore, file_hash: str) -> dict[int, DocumentFixes]:
    with _sql(store).Session() as s:
        rows = s.execute(select(KBReviewRow).where(KBReviewRow.file_hash == file_hash)).scalars()
        return {r.piece: DocumentFixes.model_validate(r.fixes) for r in rows}


def put_review(store: DraftStore, file_hash: str, piece: int, fixes: DocumentFixes, user: str) -> None:
    with _sql(store).Session.begin() as s:
        row = s.get(KBReviewRow, (file_hash, piece))
        data = fixes.model_dump(mode="json", exclude_none=True)
        if row is None:
            s.add(
                KBReviewRow(
                    file_hash=file_hash,
                    piece=piece,
                    fixes=data,
                    unit_id=fixes.unit_id,
                    updated_by=user[:64],
                    updated_at=_now(),
                )
            )
        else:
            row.fixes, row.unit_id, row.updated_by, row.updated_at = data, fixes.unit_id, user[:64], _now()


def drop_review(store: DraftStore, file_hash: str, piece: int) -> None:
    with _sql(store).Session.begin() as s:
        s.execute(delete(KBReviewRow).where(KBReviewRow.file_hash == file_hash, KBReviewRow.piece == piece))
