"""Tables of roll-ups (issue 26) — on the one ``models.Base``; ``storage/rollups.py`` reads and writes them. Added
by migration ``0007_rollups``.

- ``indicator_lists``: the indicator list a federation publishes for a period (one per unit and period).
- ``factsheet_approvals``: a fact sheet approved at a revision (a roll-up takes a unit's sheet only while its
  current revision is the approved one).
- ``rollup_confirmations``: near-matches a federation confirmed (or refused), remembered for its next roll-ups.
- ``rollups``: a roll-up made: the federation's rolled sheet (a fact sheet in ``factsheets``), the scope and the
  sheets uploaded as files for units that sent them by e-mail.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class IndicatorListRow(Base):
    __tablename__ = "indicator_lists"
    __table_args__ = (UniqueConstraint("unit_id", "year", "period", name="uq_indicator_lists_unit_period"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON)  # rollup.indicators.IndicatorList
    published_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    published_at: Mapped[str] = mapped_column(String(32))


class FactSheetApprovalRow(Base):
    __tablename__ = "factsheet_approvals"
    factsheet_id: Mapped[str] = mapped_column(ForeignKey("factsheets.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    approved_at: Mapped[str] = mapped_column(String(32))


class RollupConfirmationRow(Base):
    __tablename__ = "rollup_confirmations"
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    source_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    target_key: Mapped[str] = mapped_column(String(200))  # "" records "not the same"
    created_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))


class RollupRow(Base):
    __tablename__ = "rollups"
    __table_args__ = (Index("ix_rollups_unit_id_year", "unit_id", "year"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    factsheet_id: Mapped[str | None] = mapped_column(ForeignKey("factsheets.id"), nullable=True)
    uploads: Mapped[list] = mapped_column(JSON, default=list)  # [{unit, filename, data}] sheets sent as files
    created_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
