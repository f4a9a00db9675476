"""A federation's roll-up from the store: the units below (direct or all levels) and their approved fact sheets,
sheets uploaded as files for units that sent them by e-mail, the federation's indicator list and remembered
near-match confirmations → ``rollup.roll_up`` → the federation's rolled sheet saved (a new revision on every
re-roll, its own facts kept) and the roll-up recorded.

Unit names identify units in a roll-up (a rolled sheet names its parts by unit name): names below a federation must
be distinct, or the roll-up refuses with the names to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from ..corpus.document import UnitType
from ..factsheets.model import FactSheet, FactSheetError, PeriodInfo, Problem, Unit, parse_fact_sheet
from ..rollup import IndicatorList, RollUp, Submission, UnitTree, roll_up, stale_parts
from ..rollup.indicators import parse_indicator_list
from ..rollup.verify import StalePart
from ..storage.accounts import AccountStore
from ..storage.rollups import RollupStore, StoredRollup, UnitSheet


class RollupRefused(ValueError):
    """The roll-up cannot be made (message in Chinese)."""


@dataclass
class Upload:
    """A sheet sent as a file, assigned to a unit of the tree."""

    unit: str
    filename: str
    data: dict


@dataclass
class RollupOutcome:
    stored: StoredRollup
    result: RollUp
    sheet: FactSheet


def unit_tree(accounts: AccountStore) -> tuple[UnitTree, dict[str, str]]:
    """The tree by unit names and the id of each name."""
    units = accounts.units()
    names = {u.id: u.name for u in units}
    tree = UnitTree.from_pairs((u.name, names.get(u.parent_id) if u.parent_id else None) for u in units)
    return tree, {u.name: u.id for u in units}


def _duplicates(accounts: AccountStore, unit_id: str) -> list[str]:
    below = accounts.subtree(unit_id)
    names = [u.name for u in accounts.units() if u.id in below]
    return sorted({n for n in names if names.count(n) > 1})


def pick_sheets(sheets: list[UnitSheet]) -> dict[str, UnitSheet]:
    """Per unit, the sheet a roll-up takes: its latest approved sheet, else its latest one (listed as 未审核)."""
    out: dict[str, UnitSheet] = {}
    for s in sorted(sheets, key=lambda s: (s.approved, s.updated_at)):
        out[s.unit_id] = s
    return out


def submissions(
    accounts: AccountStore, rollups: RollupStore, unit_id: str, year: int, period: str, scope: str
) -> tuple[list[Submission], dict[str, UnitSheet]]:
    tree, ids = unit_tree(accounts)
    fed = accounts.unit(unit_id)
    names = tree.below(fed.name, "direct" if scope == "direct" else "all")
    chosen = pick_sheets(rollups.sheets_below({ids[n] for n in names if n in ids}, year, period))
    subs = []
    for s in chosen.values():
        try:
            sheet = parse_fact_sheet(s.data, s.factsheet_id)
        except FactSheetError:
            continue  # a stored sheet always validated when saved; one that no longer does is not rolled
        subs.append(
            Submission(
                s.unit_name,
                sheet,
                revision=s.revision,
                sheet_id=s.factsheet_id,
                source="approved" if s.approved else "pending",
            )
        )
    return subs, chosen


def make_rollup(
    accounts: AccountStore,
    rollups: RollupStore,
    store,
    *,
    unit_id: str,
    year: int,
    period: str,
    scope: str,
    uploads: Sequence[Upload] = (),
    picks: Sequence[tuple[str, str]] | None = None,
    rollup_id: str | None = None,
    user_id: str | None = None,
    made_at: str | None = None,
) -> RollupOutcome:
    """Roll up (or roll up again) and save: the federation's sheet and the roll-up record."""
    dup = _duplicates(accounts, unit_id)
    if dup:
        raise RollupRefused(f"下级单位中有重名的单位：{'、'.join(dup)}。请先在“单位与用户”中改名再汇总。")
    fed = accounts.unit(unit_id)
    unit_type = fed.unit_type if fed.unit_type in get_args(UnitType) else "other"
    previous = rollups.rollup(rollup_id) if rollup_id else None
    if previous is not None and not uploads:  # rolled again without new files: the files sent before still count
        uploads = [Upload(u["unit"], u["filename"], u["data"]) for u in previous.uploads]
    subs, _ = submissions(accounts, rollups, unit_id, year, period, scope)
    tree, _ = unit_tree(accounts)
    below = set(tree.below(fed.name, "all"))
    for up in uploads:
        if up.unit not in below:
            raise RollupRefused(f"文件“{up.filename}”指定的单位“{up.unit}”不是{fed.name}的下级单位")
        subs.append(Submission(up.unit, parse_fact_sheet(up.data, up.filename), source="file"))
    listed = rollups.indicators(unit_id, year, period)
    indicators: IndicatorList | None = parse_indicator_list(listed) if listed else None
    result = roll_up(
        Unit(name=fed.name, type=unit_type),
        PeriodInfo(year=year, kind=period),
        subs,
        tree=tree,
        scope="direct" if scope == "direct" else "all",
        indicators=indicators,
        confirmed=rollups.confirmations(unit_id),
        made_at=made_at,
    )
    base = None
    if previous is not None and previous.factsheet_id:
        base = parse_fact_sheet(store.factsheet(previous.factsheet_id).data, previous.factsheet_id)
    sheet = result.to_sheet(base, picks)
    factsheet_id = store.save_factsheet(
        sheet.model_dump(mode="json", exclude_none=True), previous.factsheet_id if previous else None
    )
    if previous is None or not previous.factsheet_id:
        accounts.claim("factsheet", factsheet_id, unit_id, user_id)
    stored_uploads = [{"unit": u.unit, "filename": u.filename, "data": u.data} for u in uploads]
    rid = rollups.save_rollup(unit_id, year, period, scope, factsheet_id, stored_uploads, user_id, rollup_id)
    return RollupOutcome(rollups.rollup(rid), result, sheet)


def stale(rollups: RollupStore, sheet: FactSheet) -> list[StalePart]:
    """Units whose sheet changed since the roll-up used it (「下级单位事实表已修改」)."""
    ids = [i.sheet for i in (sheet.rollup.included if sheet.rollup else []) if i.sheet]
    return stale_parts(sheet, rollups.revisions(ids))


def problem(message: str) -> FactSheetError:
    return FactSheetError([Problem(path="(rollup)", path_zh="汇总", message_zh=message, message_en=message)])


def sheet_from_list(rollups: RollupStore, accounts: AccountStore, unit_id: str, year: int | None) -> FactSheet | None:
    """A blank sheet of the unit started from the indicator list of the nearest unit at or above it (``year`` None:
    that unit's newest list), every metric carrying its indicator key; None when no unit above published one."""
    found = rollups.indicators_for(unit_id, year)
    if found is None:
        return None
    unit = accounts.unit(unit_id)
    above = accounts.unit(unit.parent_id).name if unit.parent_id else None
    kind = unit.unit_type if unit.unit_type in get_args(UnitType) else "other"
    blank = parse_indicator_list(found[1]).blank_sheet(Unit(name=unit.name, type=kind, superior=above))
    return parse_fact_sheet(blank)
