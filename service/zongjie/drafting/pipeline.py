"""The drafting pipeline: facts → plan → exemplars → sections (checked, repaired) → assembled draft.

``run_draft(sheet, settings, kb=None, llm=..., progress=...)`` (raises ``FactSheetError`` while a metric has no
value yet) wires the stages (one file each in ``stages/``)
with the backends chosen by Settings, and reports what it does as typed ``ProgressEvent``s (``stages/events.py``).
Each stage takes and returns typed objects; only the assembled ``Draft`` is stored (stage outputs are not saved,
so a stage is re-run by running the pipeline, or one section by ``editing.regenerate_section``).
"""

from __future__ import annotations

import time
from enum import Enum

from ..backends.knowledge_base import KnowledgeBase
from ..backends.llm import LLM, make_llm
from ..backends.ratelimit import draft_concurrency
from ..checker.facts_index import build_index
from ..factsheets.model import FactSheet
from ..settings import Settings
from ..stages.assemble import Draft, assemble
from ..stages.base_summary import BaseChoice
from ..stages.draft import FRAME_ROLES, DraftInput, write_sections
from ..stages.events import Done, Planned, ProgressEvent, ProgressFn, SectionRef, StageChanged
from ..stages.plan import Plan
from ..stages.plan import plan as make_plan
from ..stages.retrieve import ExemplarQuery, exemplars_for
from ..writers import prompts
from ..writers.base import SectionFacts, SectionTask
from ..writers.frame import signature


class _Configured(Enum):
    """The default for ``llm``: build the LLM the settings configure (pass None for the offline drafter)."""

    LLM = "configured"


def tasks_for(sheet: FactSheet, plan: Plan, kb: KnowledgeBase | None = None) -> list[SectionTask]:
    tasks = []
    body = 0
    for leaf in plan.written():
        body += leaf.role == "body"
        tasks.append(
            SectionTask(
                leaf.key,
                leaf.heading,
                leaf.role,
                SectionFacts.select(sheet, leaf.fact_ids),
                exemplars_for(
                    kb, ExemplarQuery.for_section(sheet, leaf.heading, leaf.role, leaf.fact_ids, plan.own_docs)
                ),
                prior=leaf.prior,
                target_chars=leaf.target_chars,
                position=body - 1 if leaf.role == "body" else 0,
            )
        )
    return tasks


def frame_tasks(sheet: FactSheet, plan: Plan) -> list[SectionTask]:
    """The opening and closing paragraphs as tasks (written by the LLM when there is one, checked like a section):
    the unit's own last ones as their model, the body's headings as what the opening sums up."""
    outline = [s.heading for s in plan.sections if s.role == "body"]
    out = []
    for key, heading, prior, default in (
        ("opening", "开头", plan.opening_prior, 160),
        ("ending", "结尾", plan.closing_prior, 110),
    ):
        out.append(
            SectionTask(
                key,
                heading,
                key,
                SectionFacts(sheet),
                prior=prior,
                target_chars=len(prior) if prior else default,
                prior_year=plan.prior_year,
                outline=outline,
            )
        )
    return out


def run_draft(
    sheet: FactSheet,
    settings: Settings,
    kb: KnowledgeBase | None = None,
    llm: LLM | None | _Configured = _Configured.LLM,
    progress: ProgressFn | None = None,
    base: BaseChoice | None = None,
) -> Draft:
    """Draft ``sheet`` (see the module docstring); ``base``: the past summary to continue when given explicitly
    (``zongjie draft --base``), else the sheet's link or a match by name (``stages/base_summary.py``)."""
    sheet.require_values()  # a sheet carried over from last year must be filled in first (never drafted as 0)
    llm = make_llm(settings) if isinstance(llm, _Configured) else llm

    def emit(event: ProgressEvent) -> None:
        if progress:
            progress(event)

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    emit(StageChanged(stage="planning"))
    the_plan = make_plan(sheet, kb, base=base)
    timings["plan"] = time.perf_counter() - t0
    t = time.perf_counter()
    tasks = tasks_for(sheet, the_plan, kb)
    timings["retrieve"] = time.perf_counter() - t
    opening_task, ending_task = frame_tasks(sheet, the_plan)
    tasks = [opening_task, *tasks, ending_task]
    emit(Planned(sections=[SectionRef(key=x.key, heading=x.heading) for x in tasks]))
    t = time.perf_counter()
    policy = settings.check_policy()
    index = build_index(sheet)  # once per draft: the section checks and the final check share it
    results = write_sections(
        DraftInput(
            tasks,
            index,
            llm,
            draft_concurrency(settings),
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
    frame = {r.key: r for r in results if r.role in FRAME_ROLES}
    draft = assemble(
        sheet,
        the_plan,
        frame["opening"].text,
        results,
        llm.name if llm else "offline",
        all_exemplars,
        policy,
        settings.check_copy_min_chars,
        closing=frame["ending"].text,
        signature=signature(sheet),
        index=index,
    )
    timings["assemble"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    results = [r for r in results if r.role not in FRAME_ROLES]
    timings["slowest_section"] = max((r.seconds for r in results), default=0.0)
    timings["sum_of_sections"] = sum(r.seconds for r in results)
    draft.timings = {k: round(v, 3) for k, v in timings.items()}
    draft.prompt_version = prompts.version()
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
