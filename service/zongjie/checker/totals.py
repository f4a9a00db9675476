"""合计不符 (issue 26): a figure stating a rolled-up total whose value is not the sum of its parts (someone typed
over the total in the federation's sheet, or a part changed under it) — the figure matches the sheet, but the
sheet's total is wrong, so the figure is too. Rates are held to their numerator's total over their denominator's."""

from __future__ import annotations

from ..factsheets.model import FactSheet, format_value
from ..rollup.verify import total_mismatches
from .report import Finding


def mark_totals(findings: list[Finding], sheet: FactSheet) -> list[Finding]:
    """The findings with every figure bound to a mismatched total marked ``total_mismatch``."""
    if sheet.rollup is None and not any(m.parts for m in sheet.metrics):
        return findings
    wrong = {mm.metric: mm for mm in total_mismatches(sheet)}
    if not wrong:
        return findings
    out = []
    for f in findings:
        mm = wrong.get(f.fact_id or "")
        if mm is not None and f.status in ("supported", "derived"):
            f = f.model_copy(
                update={
                    "status": "total_mismatch",
                    "expected": f"{format_value(mm.expected)}{mm.unit}",
                    "message": mm.message_zh,
                }
            )
        out.append(f)
    return out
