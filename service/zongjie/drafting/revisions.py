"""A stored draft version seen against its fact sheet as it is now.

Contract: ``current_version(store, draft_id, number, settings, kb)`` → ``CurrentVersion`` with the stored draft
and version, the current fact sheet and its revision, and ``draft`` — the version whose check report and
provenance refer to the *current* facts. When the version was checked against another revision (or one that
was never recorded) ``stale`` is true, the check is recomputed here (an old check is never shown beside new
facts), and ``changes`` lists the facts that differ between the revision it was checked against and now
(empty when that revision's data is unknown). Nothing is written: storing the recomputed check as a version is
the caller's choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common.errors import NotFound
from ..factsheets.model import FactSheet, FactSheetError, format_value, parse_fact_sheet
from ..settings import Settings
from ..stages.assemble import Draft
from ..storage.draft_store import DraftStore
from ..storage.records import StoredDraft, StoredVersion
from .editing import recheck_with_kb


def _metric(label: str, value: float | None, unit: str) -> str:
    return f"{label} {format_value(value) if value is not None else '（未填）'}{unit}"


def fact_labels(sheet: FactSheet) -> dict[str, str]:
    """Every fact id → how an editor reads it (「走访困难职工 40户」, an activity's title, a plan's text…)."""
    labels = {m.id: _metric(m.label, m.value, m.unit) for m in sheet.all_metrics()}
    labels.update({a.id: a.title for a in sheet.activities})
    labels.update({h.id: h.title for h in sheet.honours})
    labels.update({i.id: i.text for i in sheet.problems + sheet.plans})
    labels.update({n.id: n.text for _, n in sheet.all_notes()})
    return labels


@dataclass
class FactChange:
    """One fact that differs between two revisions; ``before``/``after`` are None when it was added/removed."""

    fact_id: str
    before: str | None
    after: str | None


def fact_changes(before: FactSheet, after: FactSheet) -> list[FactChange]:
    old, new = fact_labels(before), fact_labels(after)
    ids = list(new) + [i for i in old if i not in new]
    return [FactChange(i, old.get(i), new.get(i)) for i in ids if old.get(i) != new.get(i)]


@dataclass
class CurrentVersion:
    stored: StoredDraft
    version: StoredVersion
    draft: Draft
    sheet: FactSheet
    sheet_revision: int
    stale: bool = False
    changes: list[FactChange] = field(default_factory=list)

    @property
    def checked_revision(self) -> int | None:
        return self.version.factsheet_revision


def current_version(
    store: DraftStore, draft_id: str, number: int | None, settings: Settings, kb=None
) -> CurrentVersion:
    """The version (latest by default) checked against the current facts; NotFound when draft/version is missing."""
    stored = store.draft(draft_id)
    version = store.version(draft_id, number)
    fs = store.factsheet(stored.factsheet_id)
    sheet = parse_fact_sheet(fs.data)
    draft = Draft.model_validate(version.data)
    if version.factsheet_revision == fs.revision:
        return CurrentVersion(stored, version, draft, sheet, fs.revision)
    changes: list[FactChange] = []
    if version.factsheet_revision is not None:
        try:
            changes = fact_changes(parse_fact_sheet(store.factsheet_revision(fs.id, version.factsheet_revision)), sheet)
        except (NotFound, FactSheetError):
            changes = []
    draft = recheck_with_kb(draft, sheet, settings, kb)
    return CurrentVersion(stored, version, draft, sheet, fs.revision, stale=True, changes=changes)
