"""What the draft and compare pages show of a rolled-up sheet (issue 26): each rolled figure's breakdown (unit by
unit, with a link to the unit's sheet as the roll-up used it) and the units whose sheet changed since the roll-up
(「下级单位事实表已修改」)."""

from __future__ import annotations

from urllib.parse import quote

from ..factsheets.model import FactSheet, format_value
from ..rollup.verify import StalePart, stale_parts


def breakdown(sheet: FactSheet | None, factsheet_id: str) -> dict:
    """``{metric id: {label, value, unit, approximate, not_included, formula, parts: [{unit, value, href, …}]}}``
    for every rolled metric of the sheet (empty for a sheet that is not a roll-up)."""
    if sheet is None or sheet.rollup is None:
        return {}
    by_id = {m.id: m for m in sheet.metrics}
    out = {}
    for m in sheet.metrics:
        if not m.parts and m.formula is None:
            continue
        formula = None
        if m.formula is not None:
            num, den = by_id.get(m.formula.numerator), by_id.get(m.formula.denominator)
            formula = f"{num.label if num else m.formula.numerator}÷{den.label if den else m.formula.denominator}"
        out[m.id] = {
            "label": m.label,
            "value": format_value(m.value) if m.value is not None else "",
            "unit": m.unit,
            "approximate": m.approximate,
            "not_included": m.not_included,
            "formula": formula,
            "parts": [
                {
                    "unit": p.unit,
                    "value": format_value(p.value),
                    "reported": p.reported or "",
                    "approximate": p.approximate,
                    "revision": p.revision,
                    "href": f"/rollups/by-sheet/{factsheet_id}/parts/{quote(p.unit)}",
                }
                for p in m.parts
            ],
        }
    return out


def stale_units(request, sheet: FactSheet | None) -> list[StalePart]:
    """Units whose sheet changed after this rolled sheet was made."""
    rollups = getattr(request.app.state, "rollups", None)
    if sheet is None or sheet.rollup is None or rollups is None:
        return []
    ids = [i.sheet for i in sheet.rollup.included if i.sheet]
    return stale_parts(sheet, rollups.revisions(ids))
