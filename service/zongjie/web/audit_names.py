"""The objects an audit log page names: each entry's object (a unit, a user, a fact sheet, a draft or one of its
versions, a knowledge-base summary) as a user knows it, looked up now — never its id."""

from __future__ import annotations

from ..corpus.document import PERIOD_LABELS


def object_names(entries: list, accounts, store, kb=None) -> dict[tuple[str, str], str]:
    """(kind, object id) → the object's name, for the ``entries`` of one page; objects not found are left out."""
    wanted = {(e.kind, e.object_id) for e in entries}
    kinds = {k for k, _ in wanted}
    names: dict[tuple[str, str], str] = {}
    if "unit" in kinds:
        names.update({("unit", u.id): u.name for u in accounts.units()})
    if "user" in kinds:
        names.update({("user", u.id): f"{u.display_name or u.username}（{u.username}）" for u in accounts.users()})
    if "factsheet" in kinds:
        for f in store.factsheets():
            names[("factsheet", f.id)] = f"{f.unit_name} {f.year}年{PERIOD_LABELS.get(f.period, '')}"
    if kinds & {"draft", "version"}:
        titles = {d.id: d.title for d in store.drafts()}
        names.update({("draft", i): t for i, t in titles.items()})
        for kind, object_id in wanted:
            draft_id, _, number = object_id.partition(" v")
            if kind == "version" and draft_id in titles and number.isdigit():
                names[(kind, object_id)] = f"{titles[draft_id]} 第{number}版"
    if "document" in kinds and kb is not None:
        try:
            names.update({("document", d.id): d.title or d.unit_name or "（无标题）" for d in kb.store.documents()})
        except Exception:  # the knowledge base may be unavailable: the log still shows
            pass
    return {k: v for k, v in names.items() if k in wanted}
