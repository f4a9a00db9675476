"""The drafting pipeline: facts → plan → exemplars → sections (checked, repaired) → assembled draft.

``run_draft(sheet, settings, kb=None, llm=..., progress=...)`` wires the stages (one file each in ``stages/``)
with the backends chosen by Settings. Each stage's output is a typed object, so a stage can be re-run from the
previous one's saved output (e.g. ``assemble`` from stored ``SectionResult``s).
"""

from __future__ import annotations

import logging
import time

from .backends.llm import LLM, make_llm
from .checker.exemplars import Exemplar
from .checker.facts_index import build_index
from .facts import FactSheet
from .settings import Settings
from .stages.assemble import Draft, assemble
from .stages.draft import DraftInput, write_sections
from .stages.events import Done, Planned, ProgressEvent, ProgressFn, SectionRef, StageChanged
from .stages.plan import Plan, PlannedSection
from .stages.plan import plan as make_plan
from .stages.retrieve import RetrievalQuery, retrieve
from .writers.base import SectionFacts, SectionTask
from .writers.offline import write_opening

_DEFAULT = object()
log = logging.getLogger(__name__)


def exemplars_for(kb, sheet: FactSheet, section: PlannedSection, k: int = 2) -> list[Exemplar]:
    """Exemplar sections for one planned section: same unit type and period, other units, one per document."""
    if kb is None:
        return []
    facts = SectionFacts.select(sheet, section.fact_ids)
    text = section.heading + " " + " ".join(line.split("] ", 1)[-1] for line in facts.lines())
    hits = []
    try:
        for period in (sheet.period.kind, None):  # widen to any period when none match
            hits = retrieve(
                kb,
                RetrievalQuery(
                    text=text[:400],
                    k=k,
                    unit_type=sheet.unit.type,
                    period=period,
                    role=section.role,
                    exclude_unit=sheet.unit.name,
                    max_per_doc=1,
                ),
            )
            if hits:
                break
    except Exception:  # an unavailable knowledge base must not stop drafting: write without exemplars
        log.exception("exemplar retrieval failed for section %s", section.key)
        return []
    return [
        Exemplar(
            text=h.chunk.body or h.chunk.text,
            source=h.chunk.doc_title or h.chunk.source,
            unit_name=h.chunk.unit_name or None,
        )
        for h in hits
    ]


def tasks_for(sheet: FactSheet, plan: Plan, kb=None) -> list[SectionTask]:
    tasks = []
    for leaf in plan.leaves():
        tasks.append(
            SectionTask(
                leaf.key,
                leaf.heading,
                leaf.role,
                SectionFacts.select(sheet, leaf.fact_ids),
                exemplars_for(kb, sheet, leaf),
            )
        )
    return tasks


def run_draft(
    sheet: FactSheet,
    settings: Settings,
    kb=None,
    llm: LLM | None | object = _DEFAULT,
    progress: ProgressFn | None = None,
) -> Draft:
    llm = make_llm(settings) if llm is _DEFAULT else llm

    def emit(event: ProgressEvent) -> None:
        if progress:
            progress(event)

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    emit(StageChanged(stage="planning"))
    the_plan = make_plan(sheet, kb)
    timings["plan"] = time.perf_counter() - t0
    t = time.perf_counter()
    tasks = tasks_for(sheet, the_plan, kb)
    timings["retrieve"] = time.perf_counter() - t
    emit(Planned(sections=[SectionRef(key=x.key, heading=x.heading) for x in tasks]))
    t = time.perf_counter()
    policy = settings.check_policy()
    results = write_sections(
        DraftInput(
            tasks,
            build_index(sheet),
            llm,
            settings.llm_max_concurrency,
            settings.draft_repair_rounds,
            policy,
            settings.check_copy_min_chars,
        ),
        progress,
    )
    timings["write"] = time.perf_counter() - t
    emit(StageChanged(stage="assembling"))
    t = time.perf_counter()
    all_exemplars = list({(e.source, e.text): e for task in tasks for e in task.exemplars}.values())
    draft = assemble(
        sheet,
        the_plan,
        write_opening(sheet),
        results,
        llm.name if llm else "offline",
        all_exemplars,
        policy,
        settings.check_copy_min_chars,
    )
    timings["assemble"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    timings["slowest_section"] = max((r.seconds for r in results), default=0.0)
    timings["sum_of_sections"] = sum(r.seconds for r in results)
    draft.timings = {k: round(v, 3) for k, v in timings.items()}
    emit(
        Done(
            errors=draft.report.error_count,
            prompt_tokens=draft.usage["prompt_tokens"],
            completion_tokens=draft.usage["completion_tokens"],
            llm_calls=draft.usage["llm_calls"],
            seconds=draft.timings["total"],
        )
    )
    return draft
