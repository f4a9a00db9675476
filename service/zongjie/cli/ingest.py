"""``zongjie ingest``: files, folders and .zip archives of past summaries → the knowledge base, with a progress bar."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..settings import Settings

console = Console()


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files (.txt .md .docx .pdf), .zip archives or folders")],
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Print what would be stored (metadata, heading tree with levels and roles, where each text begins; "
            "the sidecar's corrections applied) and store nothing",
        ),
    ] = False,
) -> None:
    """Ingest past summaries into the knowledge base (idempotent: unchanged files are skipped).

    A progress bar follows the files; each file gets one line as soon as it is stored (or why it failed). A .zip
    is read member by member (GBK names from Windows/WPS zips are read right); a bad file never stops the batch.

    Examples:

        zongjie ingest knowledge/corpus

        zongjie ingest 2023年总结.docx 旧材料/ 档案.zip

        ZONGJIE_VECTOR_STORE=chroma-server zongjie ingest ../shared/seeds

        zongjie ingest --review 2023年总结.docx      # check what is read; correct it in 2023年总结.docx.yaml
    """
    if review:
        from .review import print_review

        raise typer.Exit(1 if print_review(paths, console) else 0)
    from ..backends.knowledge_base import KnowledgeBase
    from ..corpus.reading import iter_files
    from ..stages.ingest import IngestItem, ingest_items
    from ..stages.ingest_events import FileDone, FileFailed, FileStarted, Indexing, IngestEvent
    from ..stages.ingest_uploads import upload_items

    settings = Settings()
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        console.print(f"[red]✗ {p}: no such file or folder[/red]")
    paths = [p for p in paths if p.exists()]
    kb = KnowledgeBase.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix="zongjie-ingest-") as tmp:
        items: list[IngestItem] = []
        for i, path in enumerate(iter_files(paths)):
            if path.suffix.lower() == ".zip" and path.is_file():
                members = upload_items(path.name, path.read_bytes(), Path(tmp) / str(i), f"{path.resolve().parent}/")
                for item in members:  # shown with the archive's path as given
                    item.name = f"{path.parent / item.name}" if path.parent != Path(".") else item.name
                items += members
            else:
                items.append(IngestItem(name=str(path), path=path))
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("ingesting", total=len(items))

            def on_event(event: IngestEvent) -> None:
                if isinstance(event, FileStarted):
                    bar.update(task, description=f"reading {Path(event.name).name[:40]}")
                elif isinstance(event, Indexing):
                    bar.update(task, description=f"embedding {event.sections} sections")
                elif isinstance(event, FileDone):
                    mark = "=" if event.outcome == "unchanged" else "✓"
                    line = f"{mark} {event.name}: {event.outcome}, {event.documents} summaries, "
                    line += f"{event.sections} sections，{event.kept_label}"
                    bar.console.print(  # one line per file, whatever the terminal's width; why it was skipped
                        escape(line + (f" — {event.message}" if event.message else "")), highlight=False, soft_wrap=True
                    )
                    bar.advance(task)
                elif isinstance(event, FileFailed):
                    bar.console.print(f"[red]✗ {escape(event.message)}[/red]", highlight=False, soft_wrap=True)
                    bar.advance(task)

            report = ingest_items(items, kb, on_event)
    console.print(
        f"{report.count('added')} added, {report.count('replaced')} replaced, "
        f"{report.count('unchanged')} unchanged, {report.count('failed')} failed; "
        f"{report.documents} summaries, {report.chunks} sections"
    )
    if missing or (report.files and report.count("failed") == len(report.files)):
        raise typer.Exit(1)
