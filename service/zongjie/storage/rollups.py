"""Roll-up storage (issue 26): indicator lists, fact-sheet approvals, remembered near-match confirmations and
roll-ups. Shares the draft store's engine; writes commit before returning.

Contract (``RollupStore``):
- ``publish_indicators`` keeps one list per unit and period (publishing again replaces it); ``indicators_for`` is
  the list of the nearest unit above (or at) a unit that published one for the period — what its sheets start from.
- ``approve(factsheet_id, revision)`` records the revision a unit's sheet was approved at; a sheet changed since
  is not approved until approved again (``sheets_below`` tells which).
- ``confirm(unit, source, target)`` remembers a near-match for the unit's later roll-ups (``target`` "" refuses it).
- ``save_rollup`` records the rolled sheet's id, scope and uploaded files; ``rollup(id)`` raises ``NotFound``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ..common.errors import NotFound
from .account_tables import RecordRow, UnitRow
from .models import FactSheetRow
from .rollup_tables import FactSheetApprovalRow, IndicatorListRow, RollupConfirmationRow, RollupRow


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _id() -> str:
    return uuid4().hex[:16]


@dataclass
class UnitSheet:
    """A unit's fact sheet for a period, as a roll-up sees it."""

    factsheet_id: str
    unit_id: str
    unit_name: str
    revision: int
    data: dict
    updated_at: str
    approved_revision: int | None

    @property
    def approved(self) -> bool:
        return self.approved_revision == self.revision


@dataclass
class StoredRollup:
    id: str
    unit_id: str
    year: int
    period: str
    scope: str
    factsheet_id: str | None
    uploads: list[dict] = field(default_factory=list)
    created_by: str | None = None
    created_at: str = ""
    updated_at: str = ""


class RollupStore:
    def __init__(self, engine: Engine):
        self.Session = sessionmaker(engine, expire_on_commit=False)

    # ------------------------------------------------------------ indicator lists
    def publish_indicators(self, unit_id: str, year: int, period: str, data: dict, user_id: str | None) -> str:
        with self.Session.begin() as s:
            row = s.scalars(
                select(IndicatorListRow).where(
                    IndicatorListRow.unit_id == unit_id,
                    IndicatorListRow.year == year,
                    IndicatorListRow.period == period,
                )
            ).first()
            if row is None:
                row = IndicatorListRow(id=_id(), unit_id=unit_id, year=year, period=period)
                s.add(row)
            row.data, row.published_by, row.published_at = data, user_id, _now()
            return row.id

    def indicators(self, unit_id: str, year: int, period: str) -> dict | None:
        with self.Session() as s:
            row = s.scalars(
                select(IndicatorListRow).where(
                    IndicatorListRow.unit_id == unit_id,
                    IndicatorListRow.year == year,
                    IndicatorListRow.period == period,
                )
            ).first()
            return row.data if row else None

    def indicators_for(self, unit_id: str, year: int | None, period: str = "annual") -> tuple[str, dict] | None:
        """(publishing unit id, list) of the nearest unit at or above ``unit_id`` with a list for the period (with
        ``year`` None: that unit's newest list)."""
        with self.Session() as s:
            parents = dict(s.execute(select(UnitRow.id, UnitRow.parent_id)).all())
            q = select(IndicatorListRow).order_by(IndicatorListRow.year)
            if year is not None:
                q = q.where(IndicatorListRow.year == year, IndicatorListRow.period == period)
            lists = {r.unit_id: r.data for r in s.scalars(q)}  # by year: the newest list of a unit wins
        cur: str | None = unit_id
        seen: set[str] = set()
        while cur is not None and cur not in seen:
            if cur in lists:
                return cur, lists[cur]
            seen.add(cur)
            cur = parents.get(cur)
        return None

    # ------------------------------------------------------------ approvals
    def approve(self, factsheet_id: str, revision: int, user_id: str | None) -> None:
        with self.Session.begin() as s:
            if s.get(FactSheetRow, factsheet_id) is None:
                raise NotFound("这份事实表", factsheet_id)
            row = s.get(FactSheetApprovalRow, factsheet_id)
            if row is None:
                row = FactSheetApprovalRow(factsheet_id=factsheet_id)
                s.add(row)
            row.revision, row.approved_by, row.approved_at = revision, user_id, _now()

    def approved_revision(self, factsheet_id: str) -> int | None:
        with self.Session() as s:
            row = s.get(FactSheetApprovalRow, factsheet_id)
            return row.revision if row else None

    def sheets_below(self, unit_ids: set[str] | frozenset[str], year: int, period: str) -> list[UnitSheet]:
        """The live (not deleted) fact sheets of these units for the period, with their approval."""
        with self.Session() as s:
            rows = s.execute(
                select(FactSheetRow, RecordRow.unit_id, UnitRow.name, FactSheetApprovalRow.revision)
                .join(RecordRow, (RecordRow.kind == "factsheet") & (RecordRow.id == FactSheetRow.id))
                .join(UnitRow, UnitRow.id == RecordRow.unit_id)
                .outerjoin(FactSheetApprovalRow, FactSheetApprovalRow.factsheet_id == FactSheetRow.id)
                .where(
                    RecordRow.unit_id.in_(list(unit_ids)),
                    RecordRow.deleted_at.is_(None),
                    FactSheetRow.year == year,
                    FactSheetRow.period == period,
                )
            ).all()
            return [
                UnitSheet(fs.id, uid or "", name, fs.revision, fs.data, fs.updated_at, approved)
                for fs, uid, name, approved in rows
            ]

    def revisions(self, factsheet_ids: list[str]) -> dict[str, int]:
        """The current revision of each of these fact sheets (missing ones left out)."""
        with self.Session() as s:
            rows = s.execute(
                select(FactSheetRow.id, FactSheetRow.revision).where(FactSheetRow.id.in_(factsheet_ids))
            ).all()
            return {i: r for i, r in rows}

    # ------------------------------------------------------------ confirmations
    def confirm(self, unit_id: str, source_key: str, target_key: str, user_id: str | None) -> None:
        with self.Session.begin() as s:
            row = s.get(RollupConfirmationRow, (unit_id, source_key))
            if row is None:
                row = RollupConfirmationRow(unit_id=unit_id, source_key=source_key)
                s.add(row)
            row.target_key, row.created_by, row.created_at = target_key, user_id, _now()

    def confirmations(self, unit_id: str) -> dict[str, str]:
        with self.Session() as s:
            rows = s.scalars(select(RollupConfirmationRow).where(RollupConfirmationRow.unit_id == unit_id))
            return {r.source_key: r.target_key for r in rows}

    # ------------------------------------------------------------ roll-ups
    def save_rollup(
        self,
        unit_id: str,
        year: int,
        period: str,
        scope: str,
        factsheet_id: str | None,
        uploads: list[dict],
        user_id: str | None,
        rollup_id: str | None = None,
    ) -> str:
        with self.Session.begin() as s:
            row = s.get(RollupRow, rollup_id) if rollup_id else None
            if row is None:
                row = RollupRow(id=rollup_id or _id(), unit_id=unit_id, created_by=user_id, created_at=_now())
                s.add(row)
            row.year, row.period, row.scope = year, period, scope
            row.factsheet_id, row.uploads, row.updated_at = factsheet_id, uploads, _now()
            return row.id

    def rollup(self, rollup_id: str) -> StoredRollup:
        with self.Session() as s:
            row = s.get(RollupRow, rollup_id)
            if row is None:
                raise NotFound("这次汇总", rollup_id)
            return self._out(row)

    def rollups(self, unit_ids: set[str] | frozenset[str] | None = None) -> list[StoredRollup]:
        with self.Session() as s:
            q = select(RollupRow).order_by(RollupRow.updated_at.desc())
            if unit_ids is not None:
                q = q.where(RollupRow.unit_id.in_(list(unit_ids)))
            return [self._out(r) for r in s.scalars(q)]

    def rollup_of_sheet(self, factsheet_id: str) -> StoredRollup | None:
        with self.Session() as s:
            row = s.scalars(select(RollupRow).where(RollupRow.factsheet_id == factsheet_id)).first()
            return self._out(row) if row else None

    @staticmethod
    def _out(row: RollupRow) -> StoredRollup:
        return StoredRollup(
            row.id,
            row.unit_id,
            row.year,
            row.period,
            row.scope,
            row.factsheet_id,
            list(row.uploads or []),
            row.created_by,
            row.created_at,
            row.updated_at,
        )
