"""``zongjie search`` and ``zongjie documents``: look into the knowledge base of past summaries.

``knowledge_base(settings)`` opens the knowledge base the settings name; the drafting commands use it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..settings import Settings

console = Console()


def knowledge_base(settings: Settings):
    """The knowledge base the settings name (store, embedder, lexical index)."""
    from ..backends.knowledge_base import KnowledgeBase

    return KnowledgeBase.from_settings(settings)


def search(
    query: Annotated[str, typer.Argument(help="What to look for, e.g. 困难职工帮扶")],
    unit_type: Annotated[
        str | None, typer.Option(help="county_federation|township|hospital|enterprise|bureau|school")
    ] = None,
    period: Annotated[str | None, typer.Option(help="annual|first_half|second_half")] = None,
    k: Annotated[int, typer.Option("-k", help="Number of sections")] = 5,
    method: Annotated[str | None, typer.Option(help="lexical|dense|hybrid (default: settings)")] = None,
) -> None:
    """Search the knowledge base for exemplar sections.

    Examples:

        zongjie search "困难职工帮扶 乡镇工会" --unit-type township -k 3

        zongjie search "院务公开 职代会" --unit-type hospital --period annual
    """
    from ..stages.retrieve import RetrievalQuery, retrieve

    kb = knowledge_base(Settings())
    hits = retrieve(kb, RetrievalQuery(text=query, k=k, unit_type=unit_type, period=period, method=method))
    if not hits:
        console.print("no matching sections (is the knowledge base empty? run `zongjie ingest knowledge/corpus`)")
        raise typer.Exit(1)
    for n, h in enumerate(hits, 1):
        c = h.chunk
        console.print(f"[bold]{n}. {' > '.join(c.heading_path)}[/bold]  ({h.method} {h.score:.3f})")
        console.print(
            f"   {c.doc_title or c.unit_name} · {c.unit_type} · {c.period} · {c.year or '?'} · {Path(c.source).name}"
        )
        console.print("   " + c.body[:160].replace("\n", " ") + ("…" if len(c.body) > 160 else ""))


def documents(
    unit_type: Annotated[str | None, typer.Option(help="Only this unit type")] = None,
) -> None:
    """List the summaries in the knowledge base with their metadata and outline.

    Example:

        zongjie documents --unit-type hospital
    """
    kb = knowledge_base(Settings())
    docs = kb.store.documents({"unit_type": unit_type} if unit_type else None)
    for d in docs:
        console.print(
            f"[bold]{d.id}[/bold] {d.title or '(untitled)'} · {d.unit_name or '?'} · {d.unit_type} · "
            f"{d.period} · {d.year_text or '?'} · {Path(d.source).name}#{d.piece}"
        )
        for line in d.outline():
            console.print("    " + line[:70])
    console.print(f"{len(docs)} summaries")
