"""Keep-rate storage: one row per part of an approved draft (``KeepRateRow``), read back for the 起草质量 page and
``zongjie stats keep-rate``.

Contract (``KeepRateStore``): shares the draft store's engine; ``replace(draft_id, rows)`` swaps every row of that
draft for ``rows`` in one transaction (re-approval replaces, never duplicates); ``rows(since)`` returns records
approved on or after ``since`` (an ISO date or timestamp), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from .models import KeepRateRow


class Rates:
    """The two keep rates of anything carrying the character and sentence counts (a part of one draft, a stored
    row, a group of rows): kept / first, 1.0 where the first draft had none."""

    chars_first: int
    chars_kept: int
    sentences_first: int
    sentences_kept: int

    @property
    def char_rate(self) -> float:
        return self.chars_kept / self.chars_first if self.chars_first else 1.0

    @property
    def sentence_rate(self) -> float:
        return self.sentences_kept / self.sentences_first if self.sentences_first else 1.0


@dataclass
class KeepRate(Rates):
    draft_id: str
    first_version: int
    approved_version: int
    backend: str
    model: str
    prompt_version: str
    unit_type: str
    section_key: str
    section_role: str
    heading: str
    chars_first: int
    chars_kept: int
    sentences_first: int
    sentences_kept: int
    figures_first: int
    figures_changed: int
    approved_at: str


_FIELDS = [f.name for f in fields(KeepRate)]


class KeepRateStore:
    def __init__(self, engine: Engine):
        self.Session = sessionmaker(engine, expire_on_commit=False)

    def replace(self, draft_id: str, rows: list[KeepRate]) -> None:
        with self.Session.begin() as s:
            s.execute(delete(KeepRateRow).where(KeepRateRow.draft_id == draft_id))
            for r in rows:
                s.add(KeepRateRow(**{k: getattr(r, k) for k in _FIELDS}))

    def rows(self, since: str = "", draft_id: str | None = None) -> list[KeepRate]:
        with self.Session() as s:
            q = select(KeepRateRow).where(KeepRateRow.approved_at >= since)
            if draft_id is not None:
                q = q.where(KeepRateRow.draft_id == draft_id)
            found = s.scalars(q.order_by(KeepRateRow.approved_at, KeepRateRow.id)).all()
            return [KeepRate(**{k: getattr(r, k) for k in _FIELDS}) for r in found]
