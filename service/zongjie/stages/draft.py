"""Stage: draft — section tasks → section texts, each checked and repaired in the loop.

Input: ``DraftInput`` (tasks, the fact index, an ``LLM`` or None for the offline drafter, bounds). Output: one
``SectionResult`` per task, in task order. Every section, the opening and closing included, is started at once and
its calls go as soon as the provider limit allows (``max_concurrency`` is a safety bound, not a pool). Each LLM
answer is cleaned (headings, Markdown, numbering removed) and checked against the facts and the section's exemplars;
a section with errors or missing facts is sent back with the findings for at most ``repair_rounds`` rounds. What
still fails is repaired without the LLM: sentences holding an error are removed and the offline drafter's sentences
for the facts they carried (and any fact left out) are appended; anything left is marked 【待核实】. An LLM that fails
(unreachable, rate limit, timeout) leaves the section to the offline drafter, recorded in ``fallback`` with the
reason. No wrong or invented figure leaves this stage unmarked.

The opening and closing paragraphs are tasks too (roles ``opening`` and ``ending``; prompts ``opening.md.j2`` and
``ending.md.j2``): checked like a section, and also sent back while they leave out what their role needs (the
period, the leadership, the themes: ``frame.frame_gaps``); one that still lacks it after the repair rounds is
written by the offline drafter (``frame``).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..backends.llm import LLM, LLMError
from ..checker.exemplars import Exemplar
from ..checker.facts_index import FactIndex
from ..checker.matching import CheckPolicy
from ..checker.parts import part_of_role
from ..checker.report import CheckReport
from ..writers import offline
from ..writers.base import SectionTask
from ..writers.frame import frame_gaps
from ..writers.prompts import render
from .check import CheckInput, check
from .events import (
    Fallback,
    ProgressEvent,
    ProgressFn,
    SectionChecked,
    SectionFallback,
    SectionRepairing,
    SectionStarted,
    SectionWritten,
)

UNVERIFIED = "【待核实】"
FRAME_ROLES = ("opening", "ending")  # the opening and closing paragraphs: written and checked like a section
_TEMPLATES = {"opening": "opening.md.j2", "ending": "ending.md.j2"}


@dataclass
class DraftInput:
    tasks: list[SectionTask]
    index: FactIndex
    llm: LLM | None = None
    max_concurrency: int = 64  # calls of one draft in flight at most (a safety bound)
    repair_rounds: int = 2
    policy: CheckPolicy = field(default_factory=CheckPolicy)
    copy_min_chars: int = 20


@dataclass
class SectionResult:
    key: str
    heading: str
    role: str
    text: str
    fact_ids: list[str]
    exemplar_sources: list[str]
    rounds: int = 0  # LLM calls made
    fallback: Fallback = "none"
    note: str = ""  # why the offline drafter stepped in
    unverified: int = 0  # figures marked 【待核实】
    seconds: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    report: CheckReport | None = None


_MD_NOISE = re.compile(r"^\s*(?:#{1,6}\s*|[-*+]\s+|>\s*)", re.M)
_BOLD = re.compile(r"\*\*|__|`")
_LEAD_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]\s*)", re.M)
_SENTENCE = re.compile(r"[^。；！？\n]*[。；！？]?")


def clean_answer(text: str, heading: str) -> str:
    """Plain paragraphs: no Markdown, no heading line, no list numbering, no blank lines."""
    text = _BOLD.sub("", _MD_NOISE.sub("", text.replace("\r", "")))
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines and (lines[0].strip("：: ") == heading or (len(lines[0]) <= 30 and not lines[0].endswith(("。", "；")))):
        lines = lines[1:]
    # label lines ("写作规则：") are never body text; an opening's 「现将全年工作总结如下：」 is
    lines = [ln for ln in lines if not ln.endswith(("：", ":")) or ln.rstrip("：:").endswith("如下")]
    return "\n".join(_LEAD_NUMBER.sub("", ln) for ln in lines).strip()


def _check(inp: DraftInput, task: SectionTask, text: str, prompt: str = "") -> CheckReport:
    """Check a section against the facts and its exemplars — and against the prompt itself, so an answer that
    recites the instructions (a prompt-injection symptom) is caught as copied text."""
    guards = [Exemplar(prompt, "提示词")] if prompt else []
    return check(
        CheckInput(
            text,
            task.facts.sheet,
            task.exemplars + guards,
            inp.policy,
            inp.copy_min_chars,
            with_coverage=True,
            part=part_of_role(task.role),
        ),
        inp.index,
    )


def _problems(report: CheckReport, task: SectionTask) -> tuple[list[str], set[str]]:
    """The findings an LLM must fix (in words) and the section's facts the text leaves out."""
    errors = [f"「{f.text}」{f.message}" for f in report.errors]
    errors += [f"「{lk.text}」是范文中其他单位的名称，不能使用" for lk in report.leaks if lk.kind == "name"]
    errors += [f"「{c.text[:24]}…」照抄了范文，请改写" for c in report.copies]
    wanted = set(task.facts.ids())
    missing = {c.fact_id for c in report.coverage if c.fact_id in wanted and not c.stated}
    return errors, missing


def _error_spans(report: CheckReport) -> list[tuple[int, int]]:
    spans = [(f.start, f.end) for f in report.errors]
    spans += [(lk.start, lk.end) for lk in report.leaks if lk.kind == "name"]
    spans += [(c.start, c.end) for c in report.copies]
    return spans


def repair_without_llm(
    inp: DraftInput, task: SectionTask, text: str, report: CheckReport, prompt: str = ""
) -> tuple[str, int]:
    """Drop sentences holding errors, add offline sentences for the facts now missing; mark what is left."""
    spans = _error_spans(report)
    kept = []
    for m in _SENTENCE.finditer(text):
        if not m.group().strip():
            if m.group() == "" and m.end() < len(text) and text[m.end()] == "\n":
                kept.append("\n")
            continue
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        kept.append(m.group())
    text = re.sub(r"\n{2,}", "\n", "".join(kept)).strip()
    kept_report = _check(inp, task, text, prompt) if text else None
    wanted = set(task.facts.ids())
    stated = {c.fact_id for c in kept_report.coverage if c.stated} if kept_report else set()
    missing = wanted - stated
    if missing:
        extra = offline.sentences_for(task, missing)
        text = (text + "\n" + extra).strip() if text else extra
    report = _check(inp, task, text, prompt)
    marked = 0
    for _, b in sorted(_error_spans(report), reverse=True):
        text = text[:b] + UNVERIFIED + text[b:]
        marked += 1
    return text, marked


def write_one(inp: DraftInput, task: SectionTask, progress: ProgressFn | None = None) -> SectionResult:
    started = time.perf_counter()
    result = SectionResult(task.key, task.heading, task.role, "", task.facts.ids(), [e.source for e in task.exemplars])

    def emit(event: ProgressEvent) -> None:
        if progress:
            progress(event)

    emit(SectionStarted(key=task.key))
    if inp.llm is None or task.role in ("problems", "plans") and not task.facts.items:
        result.text = offline.write_section(task)
        result.fallback = "offline" if inp.llm is not None else "none"
    else:
        system = render("system.md.j2", **task.prompt_values())
        template = _TEMPLATES.get(task.role, "section.md.j2")
        messages = [("system", system), ("user", render(template, **task.prompt_values()))]
        text = ""
        try:
            for round_no in range(inp.repair_rounds + 1):
                completion = inp.llm.complete(messages)
                result.rounds += 1
                result.prompt_tokens += completion.prompt_tokens
                result.completion_tokens += completion.completion_tokens
                text = clean_answer(completion.text, task.heading)
                report = _check(inp, task, text, system)
                errors, missing = _problems(report, task)
                gaps = frame_gaps(task.role, task.facts.sheet, text) if task.role in FRAME_ROLES else []
                errors += gaps
                emit(
                    SectionChecked(
                        key=task.key,
                        round=round_no,
                        errors=len(errors),
                        missing=len(missing),
                        prompt_tokens=completion.prompt_tokens,
                        completion_tokens=completion.completion_tokens,
                    )
                )
                if not errors and not missing:
                    break
                if round_no == inp.repair_rounds and gaps:  # a frame paragraph missing its parts: written offline
                    text = offline.write_section(task)
                    result.fallback = "offline"
                    result.note = f"经 {inp.repair_rounds} 轮修改仍不完整，本段由离线起草器根据事实生成"
                    break
                if round_no == inp.repair_rounds:
                    text, result.unverified = repair_without_llm(inp, task, text, report, system)
                    result.fallback = "partial"
                    result.note = f"经 {inp.repair_rounds} 轮修改仍有问题的句子已改用事实原文"
                    break
                messages = [
                    ("system", system),
                    (
                        "user",
                        render(
                            "repair.md.j2",
                            previous=text,
                            errors=errors,
                            missing=task.facts.lines(missing) if missing else [],
                            fact_lines=task.facts.lines(),
                        ),
                    ),
                ]
                emit(SectionRepairing(key=task.key, round=round_no + 1))
        except LLMError as exc:
            text = offline.write_section(task)
            result.fallback = "offline"
            result.note = f"{exc.message_zh}，本部分由离线起草器根据事实生成"
            emit(SectionFallback(key=task.key, kind=exc.kind, message=result.note))
        result.text = text or offline.write_section(task)
    result.report = _check(inp, task, result.text)
    result.seconds = time.perf_counter() - started
    emit(
        SectionWritten(
            key=task.key,
            heading=task.heading,
            text=result.text,
            errors=len(_error_spans(result.report)),
            fallback=result.fallback,
            unverified=result.unverified,
            rounds=result.rounds,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            seconds=round(result.seconds, 3),
        )
    )
    return result


def expected_length(task: SectionTask) -> int:
    """Characters the model is expected to write for ``task`` (its target length, else about 40 per fact): a
    call's time grows with its answer, so the longest sections are sent first."""
    return task.target_chars or 80 + 40 * len(task.facts.ids())


def write_sections(inp: DraftInput, progress: ProgressFn | None = None) -> list[SectionResult]:
    """Every task at once, opening and closing included: each one's calls go as soon as the provider limit lets
    them (the limiter in the LLM's HTTP client paces them; it books slots first come, first served, so the
    longest sections are started first). ``max_concurrency`` is only a safety bound on the calls of one draft in
    flight (``ratelimit.calls_in_flight_bound``), not a pool the sections go through in waves."""
    if inp.llm is None or inp.max_concurrency <= 1 or len(inp.tasks) <= 1:
        return [write_one(inp, t, progress) for t in inp.tasks]
    order = sorted(range(len(inp.tasks)), key=lambda i: -expected_length(inp.tasks[i]))
    workers = min(inp.max_concurrency, len(inp.tasks))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="section") as pool:
        futures = {i: pool.submit(write_one, inp, inp.tasks[i], progress) for i in order}
        return [futures[i].result() for i in range(len(inp.tasks))]
