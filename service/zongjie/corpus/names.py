"""Names of units as the parser reads them, cleaned of what PDF extraction glues to them.

Serves summaries extracted from PDF pages whose page number lands in front of the next word: at the start of the
落款 (「…贡献。3临溪县总工会2024年12月28日」) or of a sentence naming the unit (「。7临溪县总工会全年…」). A unit's
name starts with a Chinese character, a letter or a mask (xx, **, __), never with a bare page number — except a
numbered institution (「3号…」「101厂」「2中」, where a measure or an institution word follows the digits).

Contract: ``clean_name(name)`` returns the name without a leading page number (unchanged otherwise).
"""

from __future__ import annotations

import re

# digits a numbered institution's name starts with: 3号、101厂、2中、5队、1分局、2院、3校、1连、4团
_NUMBERED = "号中小厂所队分局院室校连团营矿井站场处科车间"
_LEADING_DIGITS_RE = re.compile(rf"^\d{{1,3}}(?=[\u4e00-\u9fff])(?![{_NUMBERED}])")


def clean_name(name: str) -> str:
    stripped = _LEADING_DIGITS_RE.sub("", name)
    return stripped if len(stripped) >= 3 else name
