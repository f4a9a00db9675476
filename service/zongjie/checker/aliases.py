"""The genre's abbreviations that name the same thing as their full form, for binding a figure to its label.

Summaries write 劳模 for 劳动模范, 职代会 for 职工代表大会, 女工 for 女职工: a draft that writes 「评选县级劳模12名」
states the fact 「评选县级劳动模范」. ``canonical(text)`` rewrites every full form to its short form (longest first,
so 教职工代表大会 becomes 教代会, not 教职代会), and label binding compares canonical texts.

Only true equivalents are listed — the same body or the same people, whichever form is written. Near neighbours
are not: 困难职工 (workers of a unit in hardship) is not 困难群众 (anyone in hardship), 农民工 not 职工, 工会会员
not 职工 — a figure of one is a different fact from a figure of the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

# full form → the short form the genre also writes
ALIASES = {
    "劳动模范": "劳模",
    "教职工代表大会": "教代会",
    "职工代表大会": "职代会",
    "女职工": "女工",
    "工资集体协商": "工资协商",
}
_FULL = re.compile("|".join(sorted(map(re.escape, ALIASES), key=len, reverse=True)))


@lru_cache(maxsize=8192)
def canonical(text: str) -> str:
    """``text`` with every full form written as its short form."""
    return _FULL.sub(lambda m: ALIASES[m.group()], text)
