"""「用作下一年度」: a saved fact sheet turned into the next period's, to be filled in."""

from __future__ import annotations

from typing import Any

from .model import YEAR_MAX, FactSheetError, Problem


def use_for_next_year(data: dict[str, Any]) -> dict[str, Any]:
    """「用作下一年度」: the sheet for the next period, to be filled in — never a sheet of zeros.

    Same unit, year + 1, same indicators with last period's value moved to ``prior`` (上年同期) and this period's
    ``value`` left blank (drafting refuses a sheet until every blank is filled); targets are cleared. Each section
    keeps its title and the notes that hold no figure (recurring measures), each marked ``carried`` (「沿用去年」)
    until the clerk keeps or edits it; notes with figures, activities, honours and the 落款 date are last year's and
    are dropped. Last year's plans and problems become the checklist ``last_year_plans`` (去年的打算: done → a note
    of this year, not done → a problem or a plan); this year's problems and plans start empty; the base summary (底稿)
    stays linked. A sheet of the last year a sheet may be for (``YEAR_MAX``) has no next year: ``FactSheetError``
    says so.
    """
    from ..numbers import find_numbers

    def carry(m: dict[str, Any]) -> dict[str, Any]:
        return {**m, "prior": m.get("value"), "value": None, "target": None}

    def text_of(note: str | dict[str, Any]) -> str:
        return note if isinstance(note, str) else note.get("text", "")

    def figureless(note: str | dict[str, Any]) -> bool:
        return not any(x.kind == "quantity" for x in find_numbers(text_of(note)))

    def carried(note: str | dict[str, Any]) -> dict[str, Any]:
        return {**({"text": note} if isinstance(note, str) else note), "carried": True}

    checklist = [
        {"id": i.get("id"), "text": i["text"], "kind": kind}
        for key, kind in (("plans", "plan"), ("problems", "problem"))
        for i in data.get(key) or []
        if isinstance(i, dict) and i.get("text")
    ]

    year = int(data["period"]["year"])
    if year >= YEAR_MAX:  # the same bound the sheet's year has: never a sheet that could not be read back
        raise FactSheetError(
            [
                Problem(
                    path="period.year",
                    path_zh="时段 › 年度",
                    message_zh=f"{year} 年已是可填写的最后一个年度（最晚 {YEAR_MAX} 年），不能再用作下一年度",
                    message_en=f"year {year} + 1 is past {YEAR_MAX}",
                )
            ]
        )
    signature = data.get("signature") or None
    sections = [
        {"title": s["title"], "notes": [carried(n) for n in s.get("notes", []) if figureless(n)]}
        for s in data.get("sections", [])
    ]
    kept = {str(n.get("id")) for s in sections for n in s["notes"]} | {str(i.get("id")) for i in checklist}
    return {
        "unit": data["unit"],
        "period": {"year": year + 1, "kind": data["period"].get("kind", "annual")},
        "leadership": data.get("leadership"),
        "themes": [],
        "metrics": [carry(m) for m in data.get("metrics", [])],
        "sections": sections,
        "activities": [],
        "honours": [],
        "problems": [],
        "plans": [],
        "last_year_plans": checklist,
        "sources": {k: v for k, v in (data.get("sources") or {}).items() if k in kept},  # where they came from
        "signature": {"unit": signature.get("unit"), "date": None} if signature else None,
        "base": data.get("base"),  # the summary it continues stays its 底稿
    }
