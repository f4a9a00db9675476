"""Which facts changed between two versions of a fact sheet (for the audit log).

Contract: ``fact_changes(old, new)`` takes two fact-sheet dicts (``FactSheet.model_dump(mode="json")``) and returns
``{"added": [...], "removed": [...], "changed": [...]}`` of fact ids — every dict anywhere in the sheet that carries
an ``id`` is a fact (metrics, activities, honours, problems, plans, sections) — plus ``"fields"``: top-level keys
without ids (unit, period, signature…) whose value changed.
"""

from __future__ import annotations


def _facts(node, out: dict) -> dict:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str) and node["id"]:
            out[node["id"]] = {k: v for k, v in node.items() if not isinstance(v, list | dict)}
        for v in node.values():
            _facts(v, out)
    elif isinstance(node, list):
        for v in node:
            _facts(v, out)
    return out


def fact_changes(old: dict | None, new: dict) -> dict:
    before, after = _facts(old or {}, {}), _facts(new, {})
    fields = [
        k
        for k in sorted(set(old or {}) | set(new))
        if not isinstance((old or {}).get(k, new.get(k)), list) and (old or {}).get(k) != new.get(k)
    ]
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
        "fields": fields if old is not None else [],
    }


def describe(changes: dict) -> str:
    parts = []
    for key, label in (("added", "新增"), ("changed", "修改"), ("removed", "删除")):
        if changes.get(key):
            shown = "、".join(changes[key][:8]) + ("等" if len(changes[key]) > 8 else "")
            parts.append(f"{label} {shown}")
    if changes.get("fields"):
        parts.append("修改 " + "、".join(changes["fields"]))
    return "；".join(parts) or "内容未变"
