"""The fact-sheet form: repeated rows (metrics, activities, honours, problems, plans) ↔ the FactSheet dict.

Every row is kept exactly as typed on an error, so nothing the user entered is lost; problems from validation
are keyed by the model path (``metrics[2].value``) and shown next to that field.
"""

from __future__ import annotations

from starlette.datastructures import FormData

from ..facts import FactSheetError, Problem, format_value
from ..factsheet_io import fill_ids, parse_outcomes

ROWS = {
    "metrics": ("m", ["id", "label", "value", "unit", "section", "approximate"]),
    "activities": ("a", ["id", "title", "date", "participants", "section", "outcomes"]),
    "honours": ("h", ["id", "title", "awarded_by", "date"]),
    "problems": ("p", ["id", "text"]),
    "plans": ("n", ["id", "text"]),
}


def empty_form() -> dict:
    return {
        "unit": {"name": "", "type": "township", "superior": ""},
        "period": {"year": "", "kind": "annual"},
        "leadership": "",
        "themes": "",
        **{k: [] for k in ROWS},
    }


def form_rows(form: FormData) -> dict:
    """The form as typed: strings only, blank rows dropped."""
    out = {
        "unit": {
            "name": form.get("unit_name", ""),
            "type": form.get("unit_type", ""),
            "superior": form.get("unit_superior", ""),
        },
        "period": {"year": form.get("year", ""), "kind": form.get("kind", "annual")},
        "leadership": form.get("leadership", ""),
        "themes": form.get("themes", ""),
    }
    for key, (prefix, fields) in ROWS.items():
        columns = {f: form.getlist(f"{prefix}_{f}") for f in fields}
        n = max((len(v) for v in columns.values()), default=0)
        rows = []
        for i in range(n):
            row = {f: (columns[f][i] if i < len(columns[f]) else "").strip() for f in fields}
            if any(v for f, v in row.items() if f not in ("id", "approximate")):
                rows.append(row)
        out[key] = rows
    return out


def rows_to_data(rows: dict) -> dict:
    """Form rows → the dict FactSheet validates (ids filled in, outcomes parsed). Raises FactSheetError."""
    problems: list[Problem] = []
    activities = []
    for i, a in enumerate(rows["activities"]):
        try:
            outcomes = parse_outcomes(a.get("outcomes", ""))
        except FactSheetError as exc:
            problems += [
                Problem(
                    path=f"activities[{i}].outcomes",
                    path_zh=f"活动第{i + 1}项 › 成果",
                    message_zh=p.message_zh,
                    message_en=p.message_en,
                )
                for p in exc.problems
            ]
            outcomes = []
        activities.append(
            {
                "id": a["id"],
                "title": a["title"],
                "date": a["date"] or None,
                "participants": a["participants"] or None,
                "section": a["section"] or None,
                "outcomes": outcomes,
            }
        )
    data = {
        "unit": {
            "name": rows["unit"]["name"].strip(),
            "type": rows["unit"]["type"],
            "superior": rows["unit"]["superior"].strip() or None,
        },
        "period": {"year": rows["period"]["year"], "kind": rows["period"]["kind"]},
        "leadership": rows["leadership"].strip() or None,
        "themes": [t.strip() for t in rows["themes"].replace("、", "\n").split("\n") if t.strip()],
        "metrics": [
            {
                "id": m["id"],
                "label": m["label"],
                "value": m["value"],
                "unit": m["unit"],
                "section": m["section"] or None,
                "approximate": m["approximate"] == "1",
            }
            for m in rows["metrics"]
        ],
        "activities": activities,
        "honours": [
            {"id": h["id"], "title": h["title"], "awarded_by": h["awarded_by"] or None, "date": h["date"] or None}
            for h in rows["honours"]
        ],
        "problems": [{"id": p["id"], "text": p["text"]} for p in rows["problems"]],
        "plans": [{"id": p["id"], "text": p["text"]} for p in rows["plans"]],
    }
    if problems:
        raise FactSheetError(problems)
    return fill_ids(data)


def data_to_rows(data: dict) -> dict:
    """A stored fact sheet → form rows (for editing)."""

    def fmt(v):
        return "" if v is None else format_value(v) if isinstance(v, float) else str(v)

    return {
        "unit": {
            "name": data["unit"]["name"],
            "type": data["unit"]["type"],
            "superior": data["unit"].get("superior") or "",
        },
        "period": {"year": fmt(data["period"]["year"]), "kind": data["period"].get("kind", "annual")},
        "leadership": data.get("leadership") or "",
        "themes": "\n".join(data.get("themes") or []),
        "metrics": [
            {
                "id": m["id"],
                "label": m["label"],
                "value": fmt(m["value"]),
                "unit": m["unit"],
                "section": m.get("section") or "",
                "approximate": "1" if m.get("approximate") else "0",
            }
            for m in data.get("metrics", [])
        ],
        "activities": [
            {
                "id": a["id"],
                "title": a["title"],
                "date": a.get("date") or "",
                "participants": a.get("participants") or "",
                "section": a.get("section") or "",
                "outcomes": "; ".join(
                    f"{o['id']}:{o['label']}:{fmt(o['value'])}:{o['unit']}" for o in a.get("outcomes", [])
                ),
            }
            for a in data.get("activities", [])
        ],
        "honours": [
            {"id": h["id"], "title": h["title"], "awarded_by": h.get("awarded_by") or "", "date": h.get("date") or ""}
            for h in data.get("honours", [])
        ],
        "problems": [{"id": p["id"], "text": p["text"]} for p in data.get("problems", [])],
        "plans": [{"id": p["id"], "text": p["text"]} for p in data.get("plans", [])],
    }


def errors_by_path(problems: list[Problem]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in problems:
        out[p.path] = (out[p.path] + "；" if p.path in out else "") + p.message_zh
    return out
