"""Which facts changed between two versions of a fact sheet (for the audit log).

Contract: ``fact_changes(old, new)`` takes two fact-sheet dicts (``FactSheet.model_dump(mode="json")``) and returns
``{"added": [...], "removed": [...], "changed": [...]}`` of fact ids — every dict anywhere in the sheet that carries
an ``id`` is a fact (metrics, activities, honours, problems, plans, sections) — plus ``"fields"``: top-level keys
without ids (unit, period, signature…) whose value changed.
"""

from __future__ import annotations

from typing import Any


def _facts(node: object, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str) and node["id"]:
            out[node["id"]] = {k: v for k, v in node.items() if not isinstance(v, list | dict)}
        for v in node.values():
            _facts(v, out)
    elif isinstance(node, list):
        for v in node:
            _facts(v, out)
    return out


def fact_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
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


# How the audit log names a fact's fields and the sheet's top-level parts (ids are never shown to users).
_FIELD_ZH = {
    "label": "名称",
    "value": "本年数值",
    "unit": "单位",
    "prior": "上年同期",
    "target": "目标",
    "section": "章节",
    "approximate": "约数",
    "title": "名称",
    "text": "内容",
    "date": "日期",
    "participants": "参加对象",
    "description": "活动情况",
    "awarded_by": "授予单位",
    "name": "名称",
    "type": "类型",
    "superior": "上级单位",
    "year": "年度",
    "kind": "时段",
    "leadership": "领导机关",
    "themes": "年度主题",
}
_PART_ZH = {"unit": "单位", "period": "时段", "signature": "落款", "leadership": "领导机关", "themes": "年度主题"}
SHOWN = 8  # facts named in one audit line; the rest are counted


def _shown(value: object) -> str:
    from ..corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS

    if isinstance(value, str) and (value in UNIT_TYPE_LABELS or value in PERIOD_LABELS):
        return UNIT_TYPE_LABELS.get(value) or PERIOD_LABELS[value]
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dict):
        return "，".join(f"{_FIELD_ZH.get(k, k)} {_shown(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _name(fact: dict[str, Any]) -> str:
    """A fact as a user reads it: its label, title or text, with a metric's value and unit."""
    name = str(fact.get("label") or fact.get("title") or fact.get("text") or "一项事实")
    if len(name) > 30:
        name = name[:30] + "…"
    if "value" in fact and fact.get("value") is not None:
        name += f" {_shown(fact['value'])}{fact.get('unit') or ''}"
    return f"「{name}」"


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    keys = [k for k in after if k not in ("id", "source") and before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after and k not in ("id", "source")]
    return "，".join(f"{_FIELD_ZH.get(k, k)} {_shown(before.get(k))} → {_shown(after.get(k))}" for k in keys)


def describe(changes: dict[str, Any], old: dict[str, Any] | None = None, new: dict[str, Any] | None = None) -> str:
    """One audit line: which facts were added, changed (old → new) and removed, by their names; with ``old`` and
    ``new`` (the two sheets) the names and values are shown, without them only how many."""
    before, after = _facts(old or {}, {}), _facts(new or {}, {})
    parts = []
    for key, verb in (("added", "新增"), ("changed", "修改"), ("removed", "删除")):
        ids = changes.get(key) or []
        if not ids:
            continue
        shown = []
        for fid in ids[:SHOWN]:
            if key == "changed" and fid in before and fid in after:
                shown.append(f"{_name(before[fid])}（{_field_changes(before[fid], after[fid])}）")
            elif fid in (after if key == "added" else before):
                shown.append(_name((after if key == "added" else before)[fid]))
        more = len(ids) - len(shown)
        text = "、".join(shown) + (f"等 {len(ids)} 项" if shown and more else "" if shown else f" {len(ids)} 项")
        parts.append(f"{verb}{text}")
    for k in changes.get("fields") or []:
        a, b = (old or {}).get(k), (new or {}).get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            parts.append(f"{_PART_ZH.get(k, k)}：{_field_changes(a, b)}")
        else:
            parts.append(f"{_PART_ZH.get(k, k)}：{_shown(a)} → {_shown(b)}")
    return "；".join(parts) or "内容未变"
