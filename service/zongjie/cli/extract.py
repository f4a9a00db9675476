"""``zongjie extract``: a past summary → a proposed fact sheet (YAML or JSON) to confirm and update."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console

console = Console()


def extract(
    file: Annotated[Path, typer.Argument(help="A past summary: .txt .md (UTF-8/GBK) .docx .pdf")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="sheet.yaml or sheet.json (default: YAML on stdout)")
    ] = None,
    doc: Annotated[
        int | None,
        typer.Option(
            "--doc",
            help="Which summary of the file, when it holds several (1-based; default: the one that is a summary)",
        ),
    ] = None,
) -> None:
    """Turn last year's summary into a proposed fact sheet: headings as sections with their work as notes, every
    figure as a metric (label, value, unit, section, approximate), problems, plans, 落款, and for each item the
    sentence it came from (``sources``). Review it, then 「用作下一年度」 or edit it in the form.

    Examples:

        zongjie extract past/2024.docx -o facts-2024.yaml

        zongjie extract ../shared/seeds/001_7a179d23a654f232.txt --doc 3 -o township.yaml
    """
    from ..corpus.reading import UnreadableFile
    from ..stages.extract import chosen, extract_file

    try:
        found = extract_file(file)
    except (UnreadableFile, OSError, ValueError) as exc:
        console.print(f"[red]{file.name}: {exc}")
        raise typer.Exit(2) from None
    if not found:
        console.print(f"[red]{file.name}：没有找到工作总结正文")
        raise typer.Exit(2)
    try:
        n, _ = chosen(found, doc)  # not chosen: the piece that is a summary, not a short note in front of it
    except ValueError:
        console.print(f"[red]这个文件里有 {len(found)} 篇总结，--doc 应在 1 到 {len(found)} 之间")
        raise typer.Exit(2) from None
    if len(found) > 1:
        console.print(f"[yellow]文件里有 {len(found)} 篇总结，取第 {n} 篇（--doc 可选）：")
        for i, ex in enumerate(found, 1):
            console.print(f"  {i}. {ex.title or f'（无标题）{ex.preview}…'}", markup=False)
    ex = found[n - 1]
    data = ex.data
    as_json = output is not None and output.suffix.lower() == ".json"
    text = (
        json.dumps(data, ensure_ascii=False, indent=2)
        if as_json
        else yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    )
    notes = sum(len(s["notes"]) for s in data["sections"])
    summary = (
        f"{ex.title or file.name}：指标 {len(data['metrics'])} 项，章节 {len(data['sections'])} 个（要点 {notes} 条），"
        f"问题 {len(data['problems'])} 条，打算 {len(data['plans'])} 条"
    )
    if output is None:
        typer.echo(text)
        console.print(summary, markup=False, style="green")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        console.print(f"{summary} → {output}", markup=False, style="green")
    for problem in ex.problems:
        console.print(f"请补充：{problem}", markup=False, style="yellow")
