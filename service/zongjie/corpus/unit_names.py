"""Unit names compared as the clerk means them, not character by character.

Contract: ``normalise(name)`` is the comparable form of a union's name; ``same_unit(a, b)`` is True when both are
non-empty and normalise alike. What is ignored, and the class of texts each difference comes from:
- page numbers glued to either end of the name (PDF text where the running page number ran into the title or the
  落款: 「3桃源镇工会」, 「桃源镇工会12」);
- spaces, punctuation and full-width forms (scanned or web text: 「桃源镇 工会」, 「桃源镇·工会」);
- traditional characters (archives converted for Hong Kong, Macao or Taiwan readers: 「桃源鎮工會」);
- the long and short form of a union's name (a 落款 signed 「…工会委员会」 or 「…工会工作委员会」, the unit tree and the
  title saying 「…工会」; 「…工委」).
Placeholders (zz乡工会, XX镇工会) are compared like any other name: they match only themselves, never a real name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

_NOT_NAME = re.compile(r"[^\w]|_")  # spaces and punctuation (\w keeps Han, letters, digits)
_END_DIGITS = re.compile(r"^\d+|\d+$")
_LONG_FORM = re.compile(r"(工会工作委员会|工会委员会|工委会|工委)$")


@functools.cache
def _t2s() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def normalise(name: str | None) -> str:
    """The comparable form of a unit name ('' for none)."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name)
    s = _NOT_NAME.sub("", s)
    converted: str = _t2s().convert(s)  # OpenCC.convert is unannotated; it returns str
    s = _END_DIGITS.sub("", converted.lower())
    return _LONG_FORM.sub("工会", s)


def same_unit(a: str | None, b: str | None) -> bool:
    """True when two names name the same unit after ``normalise``."""
    na, nb = normalise(a), normalise(b)
    return bool(na) and na == nb
