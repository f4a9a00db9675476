"""``zongjie stats``: keep rates of approved drafts (``keep-rate``), and measuring older approvals again
(``recompute-keep-rate``)."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import fields
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .settings import load_settings

stats_app = typer.Typer(help="Statistics of approved drafts: how much of each first draft the editors kept.")
console = Console()


class Format(StrEnum):
    json = "json"
    csv = "csv"


def _stores():
    from ..storage.sql_store import SQLDraftStore
    from ..storage.store import make_store

    settings = load_settings(console)
    store = make_store(settings)
    if not isinstance(store, SQLDraftStore):
        console.print(f"[red]起草质量数据保存在数据库中，当前的存储方式 {settings.storage} 不支持")
        raise typer.Exit(2)
    return store


@stats_app.command("keep-rate")
def keep_rate(
    since: Annotated[str | None, typer.Option(help="Only drafts approved on or after this day (YYYY-MM-DD)")] = None,
    format: Annotated[
        Format, typer.Option("--format", help="json: summary and rows; csv: one row per part")
    ] = Format.json,
) -> None:
    """Keep rate of approved drafts: the share of the first draft's characters (and whole sentences) in the approved
    version, per part, with the figures the editors changed. Same numbers as the 起草质量 page."""
    from ..drafting.keep_summary import summary
    from ..storage.keep_rates import KeepRate, KeepRateStore

    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            console.print(f"[red]--since 应为日期，如 2026-01-01，而不是「{since}」")
            raise typer.Exit(2) from None
    store = _stores()
    rows = KeepRateStore(store.engine).rows(since or "")
    if format == Format.json:
        sys.stdout.write(json.dumps(summary(rows), ensure_ascii=False, indent=2) + "\n")
        return
    names = [f.name for f in fields(KeepRate)]
    out = csv.writer(sys.stdout)
    out.writerow([*names, "char_rate", "sentence_rate"])
    for r in rows:
        out.writerow([*(getattr(r, n) for n in names), f"{r.char_rate:.4f}", f"{r.sentence_rate:.4f}"])


@stats_app.command("recompute-keep-rate")
def recompute_keep_rate() -> None:
    """Measure the keep rate of every approved draft again (approvals from before keep rates were stored)."""
    from ..drafting.keeprate import recompute

    store = _stores()
    n = recompute(store.engine, store)
    console.print(f"已重新计算 {n} 份已通过草稿的保留率")


def export_eval_cases(
    since: Annotated[str, typer.Option(help="Drafts approved on or after this day (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder to write to (cases go in OUT/update/)")],
) -> None:
    """Write approved drafts as anonymised evaluation cases (fact sheet, first draft, approved text as gold) that
    `zongjie eval --gold OUT` reads; unit, place and people's names are replaced consistently."""
    from ..drafting.eval_export import export_cases

    try:
        date.fromisoformat(since)
    except ValueError:
        console.print(f"[red]--since 应为日期，如 2026-01-01，而不是「{since}」")
        raise typer.Exit(2) from None
    store = _stores()
    paths = export_cases(store, store.engine, since, out)
    console.print(f"已导出 {len(paths)} 个评测用例到 {out / 'update'}")
