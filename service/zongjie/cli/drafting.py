"""``zongjie check``, ``zongjie draft`` and ``zongjie eval``: check a draft's figures, draft from a fact sheet,
draft every evaluation case and gate on the results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from ..settings import Settings
from .knowledge import knowledge_base

console = Console()


def _print_problems(path: Path, exc) -> None:
    """A fact sheet's validation problems, one line each, located and in Chinese."""
    for p in exc.problems:
        console.print(f"[red]{path.name}: {p.path_zh}（{p.path}）：{p.message_zh}")


def check(
    draft: Annotated[Path, typer.Argument(help="Draft to check: .txt, .md or .docx")],
    facts: Annotated[Path, typer.Option("--facts", "-f", help="Fact sheet (.yaml/.json)")],
    exemplars: Annotated[
        list[Path] | None,
        typer.Option("--exemplars", "-e", help="Past summaries the draft was written from (repeatable)"),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the JSON report here ('-' for stdout)")] = None,
    allow_rounding: Annotated[
        bool | None,
        typer.Option("--allow-rounding/--no-rounding", help="Accept 323万 for 323.062万元 (default from settings)"),
    ] = None,
    copy_min: Annotated[int | None, typer.Option(help="Shortest copied span reported, in characters")] = None,
) -> None:
    """Check every figure in a draft against its fact sheet; exit 1 when errors are found, 2 on bad input.

    Examples:

        zongjie check draft.docx --facts knowledge/facts/qingshan_town_2025.yaml

        zongjie check draft.md -f facts.yaml -e past/2024.txt --json report.json
    """
    import json
    from dataclasses import replace

    from ..factsheets.model import FactSheetError, load_fact_sheet
    from ..stages.check import CheckInput, exemplars_from_file, read_draft
    from ..stages.check import check as run_check

    settings = Settings()
    try:
        sheet = load_fact_sheet(facts)
        text = read_draft(draft)
        exs = [e for p in exemplars or [] for e in exemplars_from_file(p)]
    except FactSheetError as exc:
        _print_problems(facts, exc)
        raise typer.Exit(2) from None
    except (OSError, ValueError) as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from None
    policy = settings.check_policy()
    if allow_rounding is not None:
        policy = replace(policy, allow_rounding=allow_rounding)
    report = run_check(CheckInput(text, sheet, exs, policy, copy_min or settings.check_copy_min_chars))
    if json_out is not None:
        data = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        if str(json_out) == "-":
            typer.echo(data)
        else:
            json_out.write_text(data, encoding="utf-8")
    if json_out is None or str(json_out) != "-":
        console.print(report.to_text(text), markup=False, highlight=False)
    raise typer.Exit(0 if report.ok else 1)


def draft(
    facts: Annotated[Path, typer.Argument(help="Fact sheet (.yaml/.json)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="draft.docx, draft.md or draft.json")],
    no_kb: Annotated[
        bool, typer.Option("--no-kb", help="Do not use the knowledge base (fallback outline, no exemplars)")
    ] = False,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="The past summary to continue: a file (.txt .md .docx .pdf; its sidecar applied) or a knowledge-base "
            "document id. Default: the sheet's base, else the unit's summary found by name",
        ),
    ] = None,
    doc: Annotated[int, typer.Option("--doc", min=1, help="With --base FILE: which summary of the file")] = 1,
) -> None:
    """Draft a summary from a fact sheet: plan, exemplars, sections (checked and repaired), export.

    Uses the LLM configured by ZONGJIE_LLM (offline by default). Exits 1 if the draft still has unresolved errors.
    Says which past summary of the unit it followed (--base, the sheet's base, or one found by the unit's name),
    or why none was.

    Examples:

        zongjie draft knowledge/facts/qingshan_town_2025.yaml -o out/qingshan.docx

        zongjie draft facts-2025.yaml --base 2024年总结.docx -o draft.docx

        ZONGJIE_LLM=openai ZONGJIE_LLM_BASE_URL=https://api.deepseek.com/v1 ZONGJIE_LLM_API_KEY=sk-… \\
            zongjie draft facts.yaml -o draft.json
    """
    from ..backends.llm import make_llm
    from ..drafting.pipeline import run_draft
    from ..factsheets.model import FactSheetError, load_fact_sheet
    from ..stages.events import Planned, ProgressEvent, SectionRepairing, SectionWritten
    from ..stages.export import export

    if output.suffix.lower() not in (".docx", ".md", ".json"):
        console.print(f"[red]不支持的输出格式 {output.suffix}：请用 .docx、.md 或 .json")
        raise typer.Exit(2)
    settings = Settings()
    try:
        sheet = load_fact_sheet(facts)
        sheet.require_values()
    except FactSheetError as exc:
        _print_problems(facts, exc)
        raise typer.Exit(2) from None
    except OSError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from None
    try:
        llm = make_llm(settings)
    except ValueError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from None
    kb = None if no_kb else knowledge_base(settings)
    chosen = _base_choice(base, doc, kb, sheet)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(event: ProgressEvent) -> None:
            if isinstance(event, Planned):
                for ref in event.sections:
                    tasks[ref.key] = bar.add_task(ref.heading[:24], total=1)
            elif isinstance(event, SectionRepairing) and event.key in tasks:
                task = tasks[event.key]
                bar.update(task, description=f"{bar.tasks[task].description}（第{event.round}轮修改）")
            elif isinstance(event, SectionWritten) and event.key in tasks:
                mark = "✓" if not event.errors else "!"
                task = tasks[event.key]
                bar.update(task, completed=1, description=f"{mark} {bar.tasks[task].description}")

        result = run_draft(sheet, settings, kb=kb, llm=llm, progress=progress, base=chosen)
    export(result, output)
    summary = result.report.summary
    console.print(
        f"{output}：{len(list(result.walk()))} 个部分，后端 {result.backend}，用时 {result.timings['total']:.1f} 秒；"
        f"数字核对 {summary.number_precision:.0%}，事实覆盖 {summary.coverage:.0%}，错误 {summary.errors}"
    )
    console.print(f"底稿：{result.base.note}", highlight=False)
    from ..factsheets.carried import unreviewed

    carried = unreviewed(sheet)
    if carried:  # drafted as the clerk's own notes, but nobody has confirmed them for this year yet
        console.print(f"[yellow]{len(carried)} 条工作要点沿用去年、尚未核对（已写入草稿，请确认今年仍然如此）：")
        for title, note in carried:
            console.print(f"  {title}：{note.text}", markup=False, highlight=False)
    raise typer.Exit(0 if summary.ok else 1)


def _base_choice(base: str | None, piece: int, kb, sheet):
    """The explicit base summary (--base FILE or DOC_ID) as the drafting stage takes it; None without --base."""
    from ..common.errors import KnowledgeBaseUnavailable, NotFound
    from ..corpus.parsing import parse_file
    from ..corpus.reading import UnreadableFile
    from ..stages.base_summary import resolve_base

    if base is None:
        return None
    path = Path(base)
    if path.is_file():
        try:
            docs = parse_file(path)
        except (UnreadableFile, ValueError) as exc:
            console.print(f"[red]--base {base}：{exc}")
            raise typer.Exit(2) from None
        if not 1 <= piece <= len(docs):
            console.print(f"[red]--doc {piece}：{path.name} 里只有 {len(docs)} 篇总结")
            raise typer.Exit(2)
        return resolve_base(kb, sheet, explicit=docs[piece - 1])
    if kb is None:
        console.print(f"[red]--base {base}：没有这个文件；按资料库编号查找需要资料库（去掉 --no-kb）")
        raise typer.Exit(2)
    try:
        return resolve_base(kb, sheet, explicit=kb.document(base))
    except (NotFound, KnowledgeBaseUnavailable):
        console.print(f"[red]--base {base}：既不是文件，也不是资料库中总结的编号")
        raise typer.Exit(2) from None


def eval_drafts(
    backend: Annotated[
        list[str],
        typer.Option(
            "--backend",
            "-b",
            help="offline | simulator (a loopback endpoint writing prose and erring like a model) | scripted (one "
            "that writes fact lists) | configured (ZONGJIE_LLM_*); repeatable",
        ),
    ] = ["offline"],  # noqa: B006 (typer reads the default list)
    cases: Annotated[Path, typer.Option(help="Folder of evaluation cases")] = Path("eval/cases"),
    out: Annotated[Path, typer.Option(help="Where report.md and report.json go")] = Path("var/eval"),
    corpus: Annotated[Path, typer.Option(help="Past summaries for the exemplar knowledge base")] = Path(
        "knowledge/corpus"
    ),
    gold: Annotated[
        Path, typer.Option(help="Update and reconstruction cases measured against real text (update/, reconstruction/)")
    ] = Path("eval/drafting"),
    seeds: Annotated[
        Path, typer.Option(help="Real summaries the reconstruction cases name (skipped when absent)")
    ] = Path("../shared/seeds"),
    rollups: Annotated[
        Path, typer.Option(help="Roll-up cases: a unit tree's sheets rolled up, drafted and checked (issue 26)")
    ] = Path("eval/rollup"),
    seed_sheets: Annotated[
        Path, typer.Option(help="Gold fact sheets of the real summaries (index.yaml names seed file and document)")
    ] = Path("eval/seeds"),
    baseline: Annotated[Path, typer.Option(help="Committed baseline the text metrics must improve on")] = Path(
        "eval/drafting/baseline.json"
    ),
    enforce_gold: Annotated[
        bool, typer.Option(help="Fail when the gates against real text fail (else they are only reported)")
    ] = True,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Write this run's text metrics as a baseline file here (no gates)")
    ] = None,
) -> None:
    """Draft every evaluation case and gate on the results (exit 1 when a gate fails).

    Gates: number precision 100%, coverage ≥ 98%, no placeholders, no leaks, a valid outline, the case's
    expectations. Against real text (--gold, report in OUT/drafting): precision 100%, coverage ≥ 98%, no stale
    figure, length ratio 0.7–1.3 when the facts carry work notes, BLEU-4 and ROUGE-L at least twice the
    baseline's. The knowledge base is an in-memory one built from --corpus with the configured embedder.

    Examples:

        zongjie eval

        zongjie eval -b offline -b scripted --out var/eval
    """
    from contextlib import ExitStack

    from ..backends.embeddings import make_embedder
    from ..backends.knowledge_base import KnowledgeBase
    from ..backends.llm import make_llm
    from ..backends.vectorstore import MemoryStore
    from ..devtools.scripted_openai import ScriptedOpenAI, good_script
    from ..devtools.simulated_model import simulator_script
    from ..evaluation.drafts import evaluate, load_cases, totals, write_report
    from ..evaluation.gold import (
        evaluate_gold,
        gate_failures,
        load_baseline,
        load_gold_cases,
        means,
        write_gold_report,
    )
    from ..stages.ingest import ingest

    settings = Settings()
    loaded = load_cases(cases)
    if not loaded:
        console.print(f"[red]no cases in {cases}")
        raise typer.Exit(2)
    gold_cases, skipped = (
        load_gold_cases(gold, seeds if seeds.is_dir() else None, seed_sheets) if gold.is_dir() else ([], [])
    )
    kb = KnowledgeBase(MemoryStore(settings), make_embedder(settings), settings.retriever)
    ingest([corpus], kb)
    from ..evaluation.rollup import evaluate_rollup, load_rollup_cases

    rollup_cases = load_rollup_cases(rollups) if rollups.is_dir() else []
    runs, gold_runs, rollup_runs = {}, {}, {}
    with ExitStack() as stack:
        for name in backend:
            if name == "offline":
                s, llm = settings.model_copy(update={"llm": "offline"}), None
            elif name in ("scripted", "simulator"):  # a real HTTP endpoint on loopback, named after its script
                server = stack.enter_context(ScriptedOpenAI(simulator_script() if name == "simulator" else good_script))
                s = settings.model_copy(
                    update={"llm": "openai", "llm_base_url": server.base_url, "llm_model": name, "llm_max_retries": 0}
                )
                llm = make_llm(s)
            elif name == "configured":
                s, llm = settings, make_llm(settings)
                if llm is None:
                    console.print("[red]no endpoint configured: set ZONGJIE_LLM=openai and ZONGJIE_LLM_BASE_URL")
                    raise typer.Exit(2)
            else:
                console.print(f"[red]unknown backend {name!r}")
                raise typer.Exit(2)
            runs[name] = evaluate(loaded, s, kb, llm, name)
            gold_runs[name] = evaluate_gold(gold_cases, s, kb, llm, name)
            rollup_runs[name] = evaluate_rollup(rollup_cases, s, kb, llm, name)
    md, js = write_report(runs, out)
    failed = False
    for name, results in runs.items():
        t = totals(results)
        console.print(
            f"{name}: {t['passed']}/{t['cases']} cases pass · precision {t['number_precision']:.2%} · "
            f"coverage {t['coverage']:.2%} · placeholders {t['placeholders']} · leaks {t['leaks']} · "
            f"copied {t['copied_ratio']:.2%} · {t['seconds']} s"
        )
        for r in results:
            if not r.passed:
                failed = True
                console.print(f"  [red]{r.name}: {'; '.join(r.failures)}")
    console.print(f"report: {md} and {js}")
    for name, rolled in rollup_runs.items():  # every total equals its parts, precision 100%, missing named, rates
        for rr in rolled:
            console.print(
                f"{name} roll-up {rr.draft.name}: {'pass' if rr.passed else 'FAIL'} · precision "
                f"{rr.draft.number_precision:.2%} · coverage {rr.draft.coverage:.2%}"
            )
            if not rr.passed:
                failed = True
                console.print(f"  [red]{'; '.join(rr.failures)}")
    if write_baseline is not None:
        write_gold_report(
            gold_runs,
            write_baseline.parent,
            skipped,
            title="Baseline: drafts against real text",
            stem=write_baseline.stem,
        )
        console.print(f"baseline: {write_baseline}")
    elif gold_cases:
        base = load_baseline(baseline)
        # The simulator replaces the scripted endpoint that wrote fact lists: it is held to that baseline. Per-case
        # gates (precision, coverage, stale, unmarked, length) fail the run on update and reconstruction cases.
        gates = {
            name: gate_failures(rs, base.get("scripted" if name == "simulator" else name))
            for name, rs in gold_runs.items()
        }
        gmd, _ = write_gold_report(gold_runs, out / "drafting", skipped, gates)
        for name, rs in gold_runs.items():
            m = means(rs)
            console.print(
                f"{name} against real text ({m['cases']} cases, {len(skipped)} skipped): BLEU-4 {m['bleu4']:.2f} · "
                f"ROUGE-L {m['rouge_l']:.2f} · length {m['length_ratio']:.2f} · CS R {m['cs_recall']:.2%} · "
                f"CO {m['content_ordering']:.3f}"
            )
            if name in ("offline", "simulator") and gates[name][0]:
                failed = failed or enforce_gold
                for f in gates[name][0]:
                    console.print(f"  [{'red' if enforce_gold else 'yellow'}]{f}")
        console.print(f"report: {gmd}")
    raise typer.Exit(1 if failed else 0)
