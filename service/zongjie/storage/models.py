"""The database tables (SQLAlchemy declarative models) — one ``Base.metadata`` that Alembic migrates.

Contract: every table of the service is declared on ``Base`` (``storage/base.py``) in this module or in a module it
imports (``account_tables.py``), so that once this module is imported ``Base.metadata`` is complete for ``alembic
revision --autogenerate`` and for the test that compares the migrated schema with the models
(``tests/test_migrations.py``). Changing a model without adding a migration fails that test. Timestamps are
ISO-8601 UTC strings; ids are short opaque strings.
"""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from . import account_tables, rollup_tables  # noqa: F401  (accounts, review and roll-up tables: Base.metadata is complete)
from .base import Base


class FactSheetRow(Base):
    __tablename__ = "factsheets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_name: Mapped[str] = mapped_column(String(120))
    unit_type: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # +1 on every change of data
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class FactSheetRevisionRow(Base):
    """The data of a fact sheet as it was at one revision (revision 1 is the first save)."""

    __tablename__ = "factsheet_revisions"
    factsheet_id: Mapped[str] = mapped_column(ForeignKey("factsheets.id"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32))


class JobRow(Base):
    """A background job. ``attempts`` counts claims by a runner and fences writes (see ``jobs/base.py``);
    ``queued_at`` / ``started_at`` / ``finished_at`` are epoch seconds (queue position, waits, estimates)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_queued_at", "status", "queued_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), server_default="draft")  # a name in jobs.JOB_KINDS
    factsheet_id: Mapped[str | None] = mapped_column(ForeignKey("factsheets.id"), nullable=True)
    payload: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # the kind's input besides the fact sheet
    status: Mapped[str] = mapped_column(String(16))  # queued running done failed interrupted
    progress: Mapped[dict] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    draft_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(120), nullable=True)  # host:pid:boot of the runner
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    queued_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class JobFileRow(Base):
    """A file handed to a job (an upload to ingest), kept in the database so that a worker on another host can
    read it; removed when the job ends (``storage/job_files.py``)."""

    __tablename__ = "job_files"
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)  # order of upload, from 1
    name: Mapped[str] = mapped_column(String(300))  # the file name as uploaded
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DraftRow(Base):
    __tablename__ = "drafts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    factsheet_id: Mapped[str] = mapped_column(ForeignKey("factsheets.id"))
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)  # one draft per job
    title: Mapped[str] = mapped_column(String(200))
    latest: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[str] = mapped_column(String(32))


class VersionRow(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_versions_draft_id_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # Draft.model_dump(), report included
    note: Mapped[str] = mapped_column(String(200), default="")
    factsheet_revision: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the facts it was checked against
    created_at: Mapped[str] = mapped_column(String(32))


class MetaRow(Base):
    """Small key/value facts about this database (not the schema version: Alembic's ``alembic_version`` is)."""

    __tablename__ = "zongjie_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class RateLimitRow(Base):
    """Shared provider limits (``backends/ratelimit.py``): per endpoint, the GCRA theoretical arrival times (epoch
    seconds) of its request and token accounts."""

    __tablename__ = "llm_rate_limits"
    endpoint: Mapped[str] = mapped_column(String(300), primary_key=True)
    tat_requests: Mapped[float] = mapped_column(Float, server_default="0")
    tat_tokens: Mapped[float] = mapped_column(Float, server_default="0")


class KeepRateRow(Base):
    """How much of one part of a draft's first version survived into the approved version (``drafting/keeprate.py``);
    written when the draft is approved, replaced when it is approved again."""

    __tablename__ = "keep_rates"
    __table_args__ = (UniqueConstraint("draft_id", "section_key", name="uq_keep_rates_draft_id_section_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("drafts.id"), index=True)
    first_version: Mapped[int] = mapped_column(Integer)
    approved_version: Mapped[int] = mapped_column(Integer)
    backend: Mapped[str] = mapped_column(String(32))  # offline | llm
    model: Mapped[str] = mapped_column(String(120))  # the model name ("offline" for the offline drafter)
    prompt_version: Mapped[str] = mapped_column(String(32))  # "" when the draft predates the record
    unit_type: Mapped[str] = mapped_column(String(32))
    section_key: Mapped[str] = mapped_column(String(64))
    section_role: Mapped[str] = mapped_column(String(16))  # opening body problems plans closing
    heading: Mapped[str] = mapped_column(String(200))
    chars_first: Mapped[int] = mapped_column(Integer)
    chars_kept: Mapped[int] = mapped_column(Integer)
    sentences_first: Mapped[int] = mapped_column(Integer)
    sentences_kept: Mapped[int] = mapped_column(Integer)
    figures_first: Mapped[int] = mapped_column(Integer)
    figures_changed: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[str] = mapped_column(String(32), index=True)


class KBSourceRow(Base):
    """The text of a knowledge-base file as it was read, by content hash (the structure page shows it beside what
    was read from it; ``storage/kb_reviews.py``)."""

    __tablename__ = "kb_sources"
    file_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # the file name it was first uploaded under
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class KBReviewRow(Base):
    """Corrections of what was read from one summary of a knowledge-base file (``corpus.review.DocumentFixes`` as
    JSON), by the file's content hash and the summary's piece: a re-import of the same content gets them back."""

    __tablename__ = "kb_reviews"
    file_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    piece: Mapped[int] = mapped_column(Integer, primary_key=True)
    fixes: Mapped[dict] = mapped_column(JSON)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)  # the unit it belongs to
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[str] = mapped_column(String(32))
