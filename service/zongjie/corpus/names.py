"""Names of units as the parser reads them, cleaned of what PDF extraction glues to them.

Serves summaries extracted from PDF pages whose page number lands in front of the next word: at the start of the
落款 (「…贡献。3临溪县总工会2024年12月28日」) or of a sentence naming the unit (「。7临溪县总工会全年…」). A unit's
name starts with a Chinese character, a letter or a mask (xx, **, __), never with a bare page number — except a
numbered institution (「3号…」「101厂」「2中」, where a measure or an institution word follows the digits).

Also a year glued in front of a name in a title (「2020商务局工会」) and a possessive inside a run that reads as a
name (「促进我镇工会」 → 镇工会: 我 opens the writer's own name).

Contract: ``clean_name(name)`` returns the name without those (unchanged otherwise).
"""

from __future__ import annotations

import re

# digits a numbered institution's name starts with: 3号、101厂、2中、5队、1分局、2院、3校、1连、4团
_NUMBERED = "号中小厂所队分局院室校连团营矿井站场处科车间"
_LEADING_DIGITS_RE = re.compile(rf"^\d{{1,3}}(?=[\u4e00-\u9fff])(?![{_NUMBERED}])")


# a year glued in front of a name in a title (「2020商务局工会工作总结」): the year is the title's, not the name's
_LEADING_YEAR_RE = re.compile(r"^(?:19|20)\d\d(?:年度?)?(?=[\u4e00-\u9fff])")
# a possessive inside what reads as a name starts the name (「促进我镇工会」 → 镇工会)
_POSSESSIVE_RE = re.compile(r"^.*?(?:我们|我|本)(?=[\u4e00-\u9fff]{1,12}(?:工会|工委))")


def clean_name(name: str) -> str:
    stripped = _POSSESSIVE_RE.sub("", _LEADING_DIGITS_RE.sub("", _LEADING_YEAR_RE.sub("", name)))
    return stripped if len(stripped) >= 3 else name
