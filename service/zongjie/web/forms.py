"""The fact-sheet form ↔ the FactSheet dict.

The form is built for clerks: ids are generated and carried in hidden fields (never shown or typed), work notes
are sub-rows of their section and activity outcomes sub-rows of their activity (linked by a hidden key), numbers
are accepted as typed (``numbers.typed``: 1,200 / ３６ / 36.5万 / 一千二百 / 95%), blank values stay blank (to be
filled, never 0), implausible values are questioned until confirmed, and each item extracted from last year's
summary carries its source sentence in a hidden field. On an error every row is kept exactly as typed and the
problems are keyed by the model path (``metrics[2].value``) so the template outlines that input in red.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from ..factsheets.carried import note_flags, settle_last_year
from ..factsheets.files import parse_outcomes
from ..factsheets.model import FactSheetError, Problem, fill_ids, format_value, parse_fact_sheet
from ..numbers.typed import TypedNumberError, parse_typed, parse_year, question
from ..stages.plan import load_outline_config

SIMPLE = {  # key: (prefix, fields)
    "metrics": (
        "m",
        ["id", "label", "value", "unit", "prior", "target", "section", "approximate", "confirm", "source", "indicator"],
    ),
    "honours": ("h", ["id", "title", "awarded_by", "date", "source"]),
    "problems": ("p", ["id", "text", "source"]),
    "plans": ("n", ["id", "text", "source"]),
}
ACTIVITY = ["key", "id", "title", "date", "participants", "section", "description", "source", "outcomes"]
OUTCOME = ["parent", "id", "label", "value", "unit", "approximate"]
SECTION = ["key", "title"]
NOTE = ["parent", "id", "text", "source", "carried", "review"]  # carried: the text as carried over; review: keep
LAST_YEAR = ["id", "kind", "text", "source", "outcome", "section"]  # 去年的打算: outcome done / problem / plan
BASE = ("doc_id", "file_hash", "piece", "title", "unit_name", "year")  # the 底稿 link, hidden fields base_*
_HIDDEN = {
    "id",
    "key",
    "parent",
    "source",
    "confirm",
    "approximate",
    "outcomes",
    "indicator",
    "carried",
    "review",
    "kind",
}


def empty_form() -> dict:
    return {
        "unit": {"name": "", "type": "township", "superior": ""},
        "period": {"year": "", "kind": "annual"},
        "leadership": "",
        "themes": "",
        "signature": {"unit": "", "date": ""},
        "base": {k: "" for k in BASE},
        "metrics": [],
        "sections": [],
        "activities": [],
        "honours": [],
        "problems": [],
        "plans": [],
        "last_year_plans": [],
    }


def _columns(form: FormData, prefix: str, fields: list[str]) -> list[dict[str, str]]:
    columns = {f: form.getlist(f"{prefix}_{f}") for f in fields}
    n = max((len(v) for v in columns.values()), default=0)
    rows: list[dict[str, str]] = []
    for i in range(n):
        row = {f: str(columns[f][i] if i < len(columns[f]) else "").strip() for f in fields}
        if any(v for f, v in row.items() if f not in _HIDDEN):
            rows.append(row)
    return rows


def form_rows(form: FormData) -> dict[str, Any]:
    """The form as typed: strings only, blank rows dropped, sub-rows under their parent."""
    out: dict[str, Any] = {
        "unit": {
            "name": form.get("unit_name", ""),
            "type": form.get("unit_type", ""),
            "superior": form.get("unit_superior", ""),
        },
        "period": {"year": form.get("year", ""), "kind": form.get("kind", "annual")},
        "leadership": form.get("leadership", ""),
        "themes": form.get("themes", ""),
        "signature": {"unit": form.get("sig_unit", ""), "date": form.get("sig_date", "")},
        "base": {k: str(form.get(f"base_{k}", "")).strip() for k in BASE},
    }
    for key, (prefix, fields) in SIMPLE.items():
        out[key] = _columns(form, prefix, fields)
    notes = _columns(form, "w", NOTE)
    out["sections"] = [
        {**s, "notes": [n for n in notes if n["parent"] == s["key"]]}
        for s in _columns(form, "s", SECTION)
        if s["title"] or any(n["parent"] == s["key"] for n in notes)
    ]
    out["last_year_plans"] = _columns(form, "y", LAST_YEAR)
    outcomes = _columns(form, "o", OUTCOME)
    out["activities"] = []
    for a in _columns(form, "a", ACTIVITY):
        mine = [o for o in outcomes if a["key"] and o["parent"] == a["key"]]
        if a["outcomes"]:  # the API's older text form: 名称:数值:单位; …
            try:
                mine += [{"parent": a["key"], "id": "", "approximate": "0", **o} for o in parse_outcomes(a["outcomes"])]
            except ValueError:
                mine.append(
                    {"parent": a["key"], "id": "", "label": a["outcomes"], "value": "", "unit": "", "approximate": "0"}
                )
        if a["title"] or mine:
            out["activities"].append({**{k: v for k, v in a.items() if k != "outcomes"}, "outcomes": mine})
    return out


def _number(problems: list[Problem], path: str, path_zh: str, text: str, unit: str):
    try:
        return parse_typed(text, unit)
    except TypedNumberError as exc:
        problems.append(Problem(path=path, path_zh=path_zh, message_zh=str(exc), message_en=f"not a number: {text!r}"))
        return text  # kept for the form; never saved


def rows_to_data(rows: dict) -> dict:
    """Form rows → the dict FactSheet validates (numbers normalised, ids filled in, sources kept).

    Raises FactSheetError for numbers that cannot be read and for questions not yet confirmed.
    """
    problems: list[Problem] = []
    sources: dict[str, str] = {}

    def keep_source(item: dict, row: dict) -> dict:
        if row.get("source"):
            item["_source"] = row["source"]
        return item

    metrics = []
    for i, m in enumerate(rows["metrics"]):
        where = f"指标第{i + 1}项（{m['label'] or '未命名'}）"
        value = _number(problems, f"metrics[{i}].value", f"{where} › 本年数值", m["value"], m["unit"])
        prior = _number(problems, f"metrics[{i}].prior", f"{where} › 上年同期", m["prior"], m["unit"])
        target = _number(problems, f"metrics[{i}].target", f"{where} › 目标", m["target"], m["unit"])
        asked = question(m["label"], value if isinstance(value, float) else None, m["unit"])
        if asked and m.get("confirm") != "1":
            problems.append(
                Problem(
                    path=f"metrics[{i}].value",
                    path_zh=f"{where} › 本年数值",
                    message_zh=asked,
                    message_en="implausible value, confirm or correct",
                )
            )
        metric = {
            "id": m["id"],
            "label": m["label"],
            "value": value,
            "unit": m["unit"],
            "prior": prior,
            "target": target,
            "section": m["section"] or None,
            "approximate": m["approximate"] == "1",
        }
        if m.get("indicator"):  # the key of the federation's indicator the metric was started from
            metric["indicator"] = m["indicator"]
        metrics.append(keep_source(metric, m))
    activities = []
    for i, a in enumerate(rows["activities"]):
        outcomes = []
        for j, o in enumerate(a["outcomes"]):
            where = f"活动第{i + 1}项 › 成果第{j + 1}项"
            value = _number(problems, f"activities[{i}].outcomes[{j}].value", f"{where} › 数值", o["value"], o["unit"])
            outcomes.append(
                {
                    "id": o["id"],
                    "label": o["label"],
                    "value": value,
                    "unit": o["unit"],
                    "approximate": o["approximate"] == "1",
                }
            )
        activity = {
            "id": a["id"],
            "title": a["title"],
            "date": a["date"] or None,
            "participants": a["participants"] or None,
            "section": a["section"] or None,
            "description": a["description"] or None,
            "outcomes": outcomes,
        }
        activities.append(keep_source(activity, a))
    sections = [
        {
            "title": s["title"],
            "notes": [keep_source(_note(n), n) for n in s["notes"] if n["text"]],
        }
        for s in rows["sections"]
    ]
    sig = rows.get("signature") or {}
    base = rows.get("base") or {}
    data = {
        "unit": {
            "name": rows["unit"]["name"].strip(),
            "type": rows["unit"]["type"],
            "superior": rows["unit"]["superior"].strip() or None,
        },
        "period": {"year": parse_year(rows["period"]["year"]), "kind": rows["period"]["kind"]},
        "leadership": rows["leadership"].strip() or None,
        "themes": [t.strip() for t in rows["themes"].replace("、", "\n").split("\n") if t.strip()],
        "metrics": metrics,
        "sections": sections,
        "activities": activities,
        "honours": [
            keep_source(
                {"id": h["id"], "title": h["title"], "awarded_by": h["awarded_by"] or None, "date": h["date"] or None},
                h,
            )
            for h in rows["honours"]
        ],
        "problems": [keep_source({"id": p["id"], "text": p["text"]}, p) for p in rows["problems"]],
        "plans": [keep_source({"id": p["id"], "text": p["text"]}, p) for p in rows["plans"]],
        "last_year_plans": [
            keep_source({"id": y["id"], "text": y["text"], "kind": y["kind"] or "plan"}, y)
            for y in rows.get("last_year_plans") or []
        ],
        "signature": (
            {"unit": sig.get("unit", "").strip() or None, "date": sig.get("date", "").strip() or None}
            if sig.get("unit", "").strip() or sig.get("date", "").strip()
            else None
        ),
        "base": _base_data(base) if base.get("doc_id") else None,
    }
    if problems:  # report the rest of the sheet's problems too, with the unreadable numbers left out
        bad = {p.path for p in problems}
        try:
            parse_fact_sheet(_without(data, bad))
        except FactSheetError as exc:
            problems += [p for p in exc.problems if p.path not in bad]
        raise FactSheetError(problems)
    data = fill_ids(data)
    decided = {
        item["id"]: (y["outcome"], y["section"])
        for item, y in zip(data["last_year_plans"], rows.get("last_year_plans") or [], strict=True)
        if y["outcome"]
    }
    for items in (data["metrics"], data["activities"], data["honours"], data["problems"], data["plans"]):
        for item in items:
            if "_source" in item:
                sources[item["id"]] = item.pop("_source")
    for s in data["sections"]:
        for n in s["notes"]:
            if "_source" in n:
                sources[n["id"]] = n.pop("_source")
    for y in data["last_year_plans"]:
        if "_source" in y:
            sources[y["id"]] = y.pop("_source")
    data["sources"] = sources
    data = settle_last_year(data, decided)  # 去年的打算 ticked off: done → a note, not done → a problem or plan
    return data


def _base_data(base: dict) -> dict:
    """The base summary link as the form carries it (hidden fields) → the sheet's ``base``."""
    piece, year = base.get("piece", ""), base.get("year", "")
    return {
        "doc_id": base["doc_id"],
        "file_hash": base.get("file_hash", ""),
        "piece": int(piece) if piece.isdigit() else 1,
        "title": base.get("title", ""),
        "unit_name": base.get("unit_name") or None,
        "year": int(year) if year.isdigit() else None,
    }


def _without(data: dict, paths: set[str]) -> dict:
    """A copy of ``data`` with the values at ``paths`` (metrics[0].value …) set to None."""
    import copy
    import re

    out = copy.deepcopy(data)
    for path in paths:
        node = out
        parts = re.findall(r"[^.\[\]]+", path)
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = None
    return out


def _fmt(v) -> str:
    return "" if v is None else format_value(v) if isinstance(v, float | int) and not isinstance(v, bool) else str(v)


def data_to_rows(data: dict) -> dict:
    """A fact sheet (stored, uploaded or extracted; possibly incomplete) → form rows for editing."""
    sources = data.get("sources") or {}
    unit = data.get("unit") or {}
    period = data.get("period") or {}
    sig = data.get("signature") or {}

    def src(item: dict) -> str:
        return sources.get(str(item.get("id", "")), "")

    return {
        "unit": {
            "name": unit.get("name") or "",
            "type": unit.get("type") or "other",
            "superior": unit.get("superior") or "",
        },
        "period": {"year": _fmt(period.get("year")), "kind": period.get("kind") or "annual"},
        "leadership": data.get("leadership") or "",
        "themes": "\n".join(data.get("themes") or []),
        "signature": {"unit": sig.get("unit") or "", "date": sig.get("date") or ""},
        "base": {k: _fmt((data.get("base") or {}).get(k)) for k in BASE},
        "metrics": [
            {
                "id": m.get("id") or "",
                "label": m.get("label") or "",
                "value": _fmt(m.get("value")),
                "unit": m.get("unit") or "",
                "prior": _fmt(m.get("prior")),
                "target": _fmt(m.get("target")),
                "section": m.get("section") or "",
                "approximate": "1" if m.get("approximate") else "0",
                "confirm": "0",
                "source": src(m),
                "indicator": m.get("indicator") or "",
            }
            for m in data.get("metrics") or []
        ],
        "sections": [
            {
                "key": f"s{i}",
                "title": s.get("title") or "",
                "notes": [
                    {
                        "parent": f"s{i}",
                        "id": n.get("id") or "",
                        "text": n.get("text") or "",
                        "source": src(n),
                        "carried": (n.get("text") or "") if n.get("carried") else "",
                        "review": "",
                    }
                    if isinstance(n, dict)
                    else {"parent": f"s{i}", "id": "", "text": str(n), "source": "", "carried": "", "review": ""}
                    for n in s.get("notes") or []
                ],
            }
            for i, s in enumerate(data.get("sections") or [])
        ],
        "activities": [
            {
                "key": f"a{i}",
                "id": a.get("id") or "",
                "title": a.get("title") or "",
                "date": a.get("date") or "",
                "participants": a.get("participants") or "",
                "section": a.get("section") or "",
                "description": a.get("description") or "",
                "source": src(a),
                "outcomes": [
                    {
                        "parent": f"a{i}",
                        "id": o.get("id") or "",
                        "label": o.get("label") or "",
                        "value": _fmt(o.get("value")),
                        "unit": o.get("unit") or "",
                        "approximate": "1" if o.get("approximate") else "0",
                    }
                    for o in a.get("outcomes") or []
                ],
            }
            for i, a in enumerate(data.get("activities") or [])
        ],
        "honours": [
            {
                "id": h.get("id") or "",
                "title": h.get("title") or "",
                "awarded_by": h.get("awarded_by") or "",
                "date": h.get("date") or "",
                "source": src(h),
            }
            for h in data.get("honours") or []
        ],
        "problems": [
            {"id": p.get("id") or "", "text": p.get("text") or "", "source": src(p)} for p in data.get("problems") or []
        ],
        "plans": [
            {"id": p.get("id") or "", "text": p.get("text") or "", "source": src(p)} for p in data.get("plans") or []
        ],
        "last_year_plans": [
            {
                "id": y.get("id") or "",
                "kind": y.get("kind") or "plan",
                "text": y.get("text") or "",
                "source": src(y),
                "outcome": "",
                "section": "",
            }
            for y in data.get("last_year_plans") or []
            if isinstance(y, dict)
        ],
    }


def _note(row: dict) -> dict:
    """A note row as saved: still 「沿用去年」 while its text is the carried text and the clerk has not kept it."""
    note: dict = {"id": row["id"], "text": row["text"]}
    if row.get("carried") and row["text"] == row["carried"] and row.get("review") != "keep":
        note["carried"] = True
    return note


def carried_flags(rows: dict) -> dict[str, list[str]]:
    """Why a note still 「沿用去年」 cannot stand as this year's (``carried.note_flags``), by note id, for the form."""
    sections = [
        {
            "notes": [
                {
                    "id": n.get("id"),
                    "text": n.get("text"),
                    "carried": bool(n.get("carried")) and n.get("text") == n.get("carried"),
                }
                for n in s.get("notes") or []
            ]
        }
        for s in rows.get("sections") or []
    ]
    return note_flags({**rows, "sections": sections})


def errors_by_path(problems: list[Problem]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in problems:
        out[p.path] = (out[p.path] + "；" if p.path in out else "") + p.message_zh
    return out


def section_suggestions(unit_type: str, rows: dict | None = None) -> list[str]:
    """Sections to choose from: the sheet's own headings, then the outline the planner gives this unit type
    (``knowledge/outlines.yaml``), then the other topics."""
    config = load_outline_config()
    first = config.fallback.get(unit_type, [])
    topics = list(first) + [t for t in config.topics if t not in first and t not in ("problems", "plans")]
    own = [s["title"] for s in (rows or {}).get("sections", []) if s.get("title")]
    out: list[str] = []
    for s in own + [config.topics[t].heading for t in topics if t in config.topics]:
        if s not in out:
            out.append(s)
    return out


ROLLED = ("parts", "not_included", "formula")


def carry_over(data: dict, old: dict | None) -> dict:
    """What the form does not show, kept from the stored sheet: a rolled metric's parts, the notes picked as a
    unit's 典型经验 (their unit) and the roll-up block (issue 26) — by id, only where the new data lacks them."""
    if not old:
        return data
    by_id = {m.get("id"): m for m in old.get("metrics") or [] if isinstance(m, dict)}
    for m in data.get("metrics") or []:
        before = by_id.get(m.get("id"))
        for key in ROLLED:
            if before and before.get(key) and not m.get(key):
                m[key] = before[key]
    units = {
        n.get("id"): n.get("unit")
        for s in old.get("sections") or []
        for n in s.get("notes") or []
        if isinstance(n, dict) and n.get("unit")
    }
    for s in data.get("sections") or []:
        for n in s.get("notes") or []:
            if isinstance(n, dict) and n.get("id") in units and not n.get("unit"):
                n["unit"] = units[n["id"]]
    if old.get("rollup") and not data.get("rollup"):
        data["rollup"] = old["rollup"]
    return data
