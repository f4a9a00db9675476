"""Years written in a summary's text, and which of them move on when the text is reused for a later period.

Contract: ``move_years(text, by, base_year)`` returns ``text`` with every year of the base's own time (``base_year``
and the years next to it: last year, the year planned for) advanced by ``by``, and every year that names history
kept as written. ``past_years(text, year)`` lists the years before ``year`` that a text states as its own time
(the years a note carried into ``year`` must not keep). Pure functions.

The rule for history, from how the genre writes it: a year is history — and never moves — when it is

- older than the year before the base (``base_year - 2`` and earlier: 「2019年，镇工会成立」 in a 2024 summary);
- the start of a span to now: followed by 以来 / 至今 / 起 / 开始 (「2023年以来」「自2024年起」);
- the date of a founding: followed in its clause by 成立 / 建立 / 组建 / 创建 / 始建 / 创办 / 挂牌 / 投用 / 建成 /
  命名, or preceded by 成立于 / 建于 / 始于 / 自 / 从;
- one end of a range (「2021—2025年」: a programme, a term of office).
"""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<![0-9０-９])((?:19|20)[0-9]{2})(?=\s*年)")
_SINCE = re.compile(r"^\s*年(?:度)?(?:以来|至今|起|开始)")
_FOUNDED_AFTER = re.compile(
    r"^\s*年[^，。；;！？!?\n]{0,14}?(?:成立|建立|组建|创建|始建|创办|挂牌|投用|投入使用|建成|命名)"
)
_FOUNDED_BEFORE = re.compile(r"(?:成立于|建于|始于|创建于|组建于|自|从)\s*$")
_RANGE = re.compile(
    r"^\s*(?:年)?\s*[—–\-－~～至到]+\s*(?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}\s*年?\s*[—–\-－~～至到]+\s*$"
)


def is_history(text: str, start: int, end: int, base_year: int) -> bool:
    """Whether the year at ``text[start:end]`` names history (see the module docstring)."""
    return int(text[start:end]) < base_year - 1 or _dates_history(text, start, end)


def _dates_history(text: str, start: int, end: int) -> bool:
    """The span, founding and range forms of the rule (whatever the year's age)."""
    after, before = text[end : end + 20], text[max(0, start - 8) : start]
    if _SINCE.match(after) or _FOUNDED_AFTER.match(after) or _FOUNDED_BEFORE.search(before):
        return True
    return bool(_RANGE.match(after) or _RANGE.search(before))


def move_years(text: str, by: int, base_year: int | None) -> str:
    """``text`` with the years of its own time moved on by ``by`` and history kept (see the module docstring)."""
    if not by or base_year is None:
        return text
    return YEAR.sub(
        lambda m: m.group(1) if is_history(text, m.start(1), m.end(1), base_year) else str(int(m.group(1)) + by),
        text,
    )


def past_years(text: str, year: int) -> list[str]:
    """The years before ``year`` that ``text`` states as its own time (「2024年」 or 「2023年」 in a note of a 2025
    sheet), the span, founding and range forms excluded (「2019年以来」「2018年成立」)."""
    return [
        m.group(1) + "年"
        for m in YEAR.finditer(text)
        if int(m.group(1)) < year and not _dates_history(text, m.start(1), m.end(1))
    ]
