"""Progress events: what the drafting stages report while they work, as one typed model.

``ProgressEvent`` is a discriminated union (field ``type``) of small pydantic models. ``stages/draft.py`` emits the
section events, ``drafting/pipeline.py`` the stage changes, the plan and ``Done``; the job runner adds ``Failed``.
Readers: ``JobProgress.apply`` folds events into the per-section snapshot the job record, the job page and
``cli/drafting.py`` show; a stream to the browser is ``event.model_dump_json()`` per event (the ``type`` names the
server-sent event).

Contract: events of one section arrive in order (started → checked/repairing… → written); sections may interleave
(they are written concurrently); ``Planned`` comes before any section event, ``Done`` or ``Failed`` last. A callback
(``ProgressFn``) must be cheap and thread-safe; it is called from the section worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

Stage = Literal["planning", "writing", "assembling", "done", "failed"]
SectionStatus = Literal["waiting", "writing", "checking", "repairing", "offline", "done"]
Fallback = Literal["none", "partial", "offline"]


class SectionRef(BaseModel):
    key: str
    heading: str


class StageChanged(BaseModel):
    """The pipeline moved to another stage."""

    type: Literal["stage"] = "stage"
    stage: Stage


class Planned(BaseModel):
    """The outline is fixed: these sections will be written (leaves, in order)."""

    type: Literal["planned"] = "planned"
    sections: list[SectionRef]


class SectionStarted(BaseModel):
    type: Literal["section_started"] = "section_started"
    key: str


class SectionChecked(BaseModel):
    """An LLM answer for the section was checked: ``errors`` findings to fix, ``missing`` facts left out."""

    type: Literal["section_checked"] = "section_checked"
    key: str
    round: int
    errors: int
    missing: int
    prompt_tokens: int = 0
    completion_tokens: int = 0


class SectionRepairing(BaseModel):
    """The section goes back to the LLM with the findings (``round`` counts from 1)."""

    type: Literal["section_repairing"] = "section_repairing"
    key: str
    round: int


class SectionFallback(BaseModel):
    """The LLM failed (``kind``: unreachable, rate_limit, timeout, …); the offline drafter writes the section."""

    type: Literal["section_fallback"] = "section_fallback"
    key: str
    kind: str
    message: str = ""


class SectionWritten(BaseModel):
    """The section's final text (checked; errors that remain are marked 【待核实】)."""

    type: Literal["section_written"] = "section_written"
    key: str
    heading: str
    text: str
    errors: int
    fallback: Fallback = "none"
    unverified: int = 0
    rounds: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


class Done(BaseModel):
    """The draft is assembled and checked as a whole."""

    type: Literal["done"] = "done"
    errors: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_calls: int = 0
    seconds: float = 0.0


class Failed(BaseModel):
    """Drafting stopped; ``message`` is for the user (Chinese)."""

    type: Literal["failed"] = "failed"
    message: str


ProgressEvent = Annotated[
    StageChanged
    | Planned
    | SectionStarted
    | SectionChecked
    | SectionRepairing
    | SectionFallback
    | SectionWritten
    | Done
    | Failed,
    Field(discriminator="type"),
]
ProgressFn = Callable[[ProgressEvent], None]
EVENT = TypeAdapter(ProgressEvent)  # EVENT.validate_json(line) reads one event back


class SectionProgress(BaseModel):
    key: str
    heading: str
    status: SectionStatus = "waiting"
    errors: int = 0
    fallback: Fallback = "none"
    round: int = 0


class JobProgress(BaseModel):
    """A job's progress: the stage, one row per section, and every event so far (in arrival order)."""

    stage: Stage = "planning"
    sections: list[SectionProgress] = Field(default_factory=list)
    events: list[ProgressEvent] = Field(default_factory=list)

    def section(self, key: str) -> SectionProgress | None:
        return next((s for s in self.sections if s.key == key), None)

    def apply(self, event: ProgressEvent) -> None:
        """Fold one event into the snapshot (and keep it in ``events``)."""
        self.events.append(event)
        if isinstance(event, StageChanged):
            self.stage = event.stage
        elif isinstance(event, Planned):
            self.sections = [SectionProgress(key=s.key, heading=s.heading) for s in event.sections]
            self.stage = "writing"
        elif isinstance(event, Done):
            self.stage = "done"
        elif isinstance(event, Failed):
            self.stage = "failed"
        elif (row := self.section(event.key)) is not None:
            if isinstance(event, SectionStarted):
                row.status = "writing"
            elif isinstance(event, SectionChecked):
                row.status = "checking"
            elif isinstance(event, SectionRepairing):
                row.status, row.round = "repairing", event.round
            elif isinstance(event, SectionFallback):
                row.status = "offline"
            elif isinstance(event, SectionWritten):
                row.status, row.errors, row.fallback = "done", event.errors, event.fallback
