"""Open findings of a checked draft: what an export must mark and a download must confirm.

Contract: ``open_findings(draft)`` lists, in text order, every figure whose status is an error
(``ERROR_STATUSES``: all but supported, derived and exempt — wrong value, misattributed, stale, plan as done, …),
every name taken from an exemplar and
every span copied from one — exactly what the check summary counts as errors, so the count a user confirms is
the count on the page. Each carries its offsets in ``Draft.text()`` and a Chinese sentence stating the finding
(「数值不符：「走访困难职工」应为 13户」). The typed report is read from ``draft.report``; pass a draft whose check is
current (see ``revisions.current_version``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checker.report import ERROR_STATUSES, STATUS_ZH
from .assemble import Draft

DEFAULT_MESSAGE = {
    "wrong_value": "与事实表不符",
    "misattributed": "这个数字属于另一项事实",
    "unsupported": "事实表中找不到出处",
    "leaked": "与范文中的数字相同，事实表中没有",
    "placeholder": "占位符未替换为真实内容",
    "stale": "与去年的数字相同，可能沿用了去年的数",
    "plan_as_done": "计划或目标的数字被写成已完成的成绩",
    "yoy_wrong": "同比变化与事实不符",
    "total_mismatch": "合计与各下级单位的数字之和不符",
}


@dataclass(frozen=True)
class OpenFinding:
    start: int
    end: int
    text: str
    kind: str  # a finding status, or "name_leak" / "copied"
    message: str  # Chinese, complete: what is wrong and, when known, what the facts say

    @property
    def is_figure(self) -> bool:
        return self.kind in ERROR_STATUSES


def open_findings(draft: Draft) -> list[OpenFinding]:
    report = draft.report
    out = []
    for f in report.errors:
        message = f.message or DEFAULT_MESSAGE.get(f.status, "请核对")
        out.append(OpenFinding(f.start, f.end, f.text, f.status, f"{STATUS_ZH[f.status]}：{message}"))
    for lk in report.leaks:
        if lk.kind == "name":
            msg = f"范文名称：「{lk.text}」是范文（{lk.source}）中其他单位的名称"
            out.append(OpenFinding(lk.start, lk.end, lk.text, "name_leak", msg))
    for c in report.copies:
        msg = f"照抄范文：这 {c.end - c.start} 个字与范文（{c.source}）相同，请改写"
        out.append(OpenFinding(c.start, c.end, c.text, "copied", msg))
    out.sort(key=lambda f: (f.start, f.end))
    return out
