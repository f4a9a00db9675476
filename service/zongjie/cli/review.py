"""``zongjie ingest --review FILE…``: what ingesting a file would store, printed as a tree to check before importing.

Per summary: title, unit, type, year, period, 落款, the share of characters kept and what was dropped as furniture
(when the parser reports them), the opening's start, every heading indented by level with its role and where its
text begins, the closing's start, and the sidecar's corrections that found no text to apply to. Nothing is stored.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from ..corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS, KBDocument
from ..corpus.furniture import RULES
from ..corpus.metadata import load_sidecar
from ..corpus.reading import UnreadableFile, iter_files
from ..corpus.review import Fix
from ..stages.structure import review_file

ROLE_ZH = {"body": "正文", "problems": "存在问题", "plans": "工作打算"}
START = 30


def _start(text: str) -> str:
    text = text.replace("\n", " ")
    return text[:START] + ("…" if len(text) > START else "")


def _lines(doc: KBDocument, unapplied: list[Fix]) -> list[str]:
    year = doc.year_text or (str(doc.year) if doc.year else "未识别")
    out = [
        f"第 {doc.piece} 篇：{doc.title or '（无标题）'}",
        f"  单位：{doc.unit_name or '未识别'} · 类型：{UNIT_TYPE_LABELS.get(doc.unit_type, doc.unit_type)} · "
        f"年度：{year} · 时段：{PERIOD_LABELS.get(doc.period, doc.period)} · "
        f"落款：{doc.signed_by or '—'} {doc.signature or ''}".rstrip(),
    ]
    flag = "（低于 90%，请核对）" if doc.kept_share < 0.9 else ""
    out.append(f"  保留原文 {doc.kept_share:.0%}{flag}" + (f"，删去 {len(doc.dropped)} 处：" if doc.dropped else ""))
    for span in doc.dropped:
        out.append(f"    删去（{RULES.get(span.rule, span.rule)}）：「{_start(span.text)}」")
    if doc.opening:
        out.append(f"  开头：{_start(doc.opening)}")
    for path, s in doc.walk():
        indent = "  " * len(path)
        text = f"正文从：「{_start(s.text)}」" if s.text else "（没有正文）"
        out.append(f"{indent}{s.marker}{s.title}  [{len(path)}级 · {ROLE_ZH.get(s.role, s.role)}]  {text}")
    if doc.closing:
        out.append(f"  结尾：{_start(doc.closing)}")
    for fix in unapplied:
        out.append(f"  ✗ 旁注的更正没有找到对应文字：{fix.describe()}")
    return out


def print_review(paths: list[Path], console: Console) -> int:
    """Print the review of every file under ``paths``; returns how many files could not be read."""
    failed = 0
    for path in iter_files(paths):
        try:
            found = review_file(path)
        except (UnreadableFile, ValueError, OSError) as exc:
            console.print(f"[red]✗ {escape(str(path))}：{escape(str(exc))}[/red]", highlight=False)
            failed += 1
            continue
        sidecar = "（带旁注 YAML）" if load_sidecar(path) else ""
        console.print(f"[bold]{escape(str(path))}[/bold]{sidecar}：{len(found)} 篇", highlight=False)
        for doc, unapplied in found:
            for line in _lines(doc, unapplied):
                console.print(escape(line), highlight=False, soft_wrap=True)
    return failed
