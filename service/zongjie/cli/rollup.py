"""``zongjie rollup``: a federation's fact sheet rolled up from its units' sheet files, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console

console = Console()


def rollup(
    sheets: Annotated[list[Path], typer.Argument(help="The units' fact sheets: .yaml .yml .json .xlsx")],
    unit: Annotated[str, typer.Option("--unit", help="The federation's name, e.g. 临溪县总工会")],
    unit_type: Annotated[str, typer.Option("--type", help="Its unit type (county_federation, township, …)")],
    year: Annotated[int, typer.Option("--year", help="The year rolled up")],
    output: Annotated[Path, typer.Option("--output", "-o", help="OUT.yaml: the federation's sheet with parts")],
    period: Annotated[str, typer.Option("--period", help="annual | first_half | second_half")] = "annual",
    indicators: Annotated[
        Path | None, typer.Option("--indicators", help="The federation's indicator list (YAML): keys, rates")
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option("--units", help="The unit tree (YAML: name, units: […]) naming every unit expected below"),
    ] = None,
    scope: Annotated[str, typer.Option("--scope", help="all (every level below) | direct (direct units only)")] = "all",
    same: Annotated[
        list[str], typer.Option("--same", help="Confirm a near-match: 'LABEL=LABEL' (theirs = the total's); repeatable")
    ] = [],  # noqa: B006 (typer reads the default list)
    pick: Annotated[
        list[str], typer.Option("--pick", help="A unit's note as 典型经验: 'UNIT:NOTE_ID'; repeatable")
    ] = [],  # noqa: B006
    own: Annotated[
        Path | None, typer.Option("--own", help="The federation's own sheet (its activities, honours, notes)")
    ] = None,
) -> None:
    """Roll the units' fact sheets up into the federation's: metrics matched by indicator key or by label and a
    compatible unit (名 = 人; 元/万元 scaled; 人次 ≠ 人), exact sums, approximate totals, rates recomputed from
    their numerator and denominator (with --indicators) or left out. Every rolled metric of OUT has
    ``parts: [{unit, value, …}]``; its ``rollup`` block lists ``included``, ``missing`` and ``conflicts``.
    Exit 0 when written (check the lists printed), 2 when an input cannot be read.

    Examples:

        zongjie rollup towns/*.yaml --unit 临溪县总工会 --type county_federation --year 2025 -o county.yaml

        zongjie rollup a.xlsx b.yaml --unit 临溪县总工会 --type county_federation --year 2025 \\
            --indicators list.yaml --units tree.yaml --same 新发展会员人数=新发展会员 -o county.yaml
    """
    from ..factsheets.files import load_bytes
    from ..factsheets.model import FactSheet, FactSheetError, PeriodInfo, Unit, load_fact_sheet
    from ..rollup import Submission, UnitTree, load_indicator_list, roll_up
    from ..rollup.matching import confirmation

    if period not in ("annual", "first_half", "second_half") or scope not in ("all", "direct"):
        console.print("[red]--period: annual | first_half | second_half; --scope: all | direct")
        raise typer.Exit(2)
    try:
        fed = Unit.model_validate({"name": unit, "type": unit_type})
        the_period = PeriodInfo.model_validate({"year": year, "kind": period})
    except ValueError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from None
    subs: list[Submission] = []
    try:
        ind = load_indicator_list(indicators) if indicators else None
        tree = UnitTree.from_nested(yaml.safe_load(units.read_text(encoding="utf-8"))) if units else None
        base: FactSheet | None = load_fact_sheet(own) if own else None
        for path in sheets:
            if path.suffix.lower() == ".xlsx":
                sheet = load_bytes(path.read_bytes(), path.name)
            else:
                sheet = load_fact_sheet(path)
            subs.append(Submission(sheet.unit.name, sheet, source="file"))
    except FactSheetError as exc:
        console.print(f"[red]{exc.source or '输入文件'}：")
        for problem in exc.problems:
            console.print(f"  [red]{problem.path_zh}：{problem.message_zh}")
        raise typer.Exit(2) from None
    except (OSError, ValueError, yaml.YAMLError) as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from None
    confirmed = {}
    for pair in same:
        a, sep, b = pair.partition("=")
        if not sep or not a.strip() or not b.strip():
            console.print(f"[red]--same {pair!r}: write 'LABEL=LABEL'")
            raise typer.Exit(2)
        src, dst = confirmation(a.strip(), b.strip(), ind)
        confirmed[src] = dst
    picks = []
    for choice in pick:
        name, sep, nid = choice.rpartition(":")
        if not sep:
            console.print(f"[red]--pick {choice!r}: write 'UNIT:NOTE_ID'")
            raise typer.Exit(2)
        picks.append((name, nid))
    result = roll_up(
        fed,
        the_period,
        subs,
        tree=tree,
        scope="direct" if scope == "direct" else "all",
        indicators=ind,
        confirmed=confirmed,
    )
    sheet = result.to_sheet(base, picks)
    output.write_text(
        yaml.safe_dump(sheet.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    info = result.info
    console.print(f"已汇总 {len(info.included)} 个单位、{len(result.metrics)} 项指标 → {output}")
    for m in info.missing:
        console.print(f"  [yellow]缺报：{m.unit}（{m.reason}）")
    for c in info.conflicts:
        console.print(f"  [yellow]冲突：{c.unit}{'「' + c.label + '」' if c.label else ''}：{c.reason}")
    for x in info.left_out:
        console.print(f"  未汇总：{x.label}：{x.reason}")
    for p in info.proposals:
        console.print(
            f"  [cyan]相近指标：{'、'.join(p.units)}的「{p.label}」可能就是「{p.into}」"
            f"（确认：--same '{p.label}={p.into}'）"
        )
