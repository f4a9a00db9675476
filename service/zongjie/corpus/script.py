"""Character-level repairs of converted text: traditional → simplified, doubled punctuation.

Contract:
- ``to_simplified(text)`` converts text written in traditional characters (pages converted for Hong Kong, Macao or
  Taiwan readers: 萬、億、條、餘、會) to simplified with OpenCC's ``t2s`` dictionaries. Text that is already
  simplified is returned unchanged (the converter runs only when traditional-only characters make up a noticeable
  share of the text, so a stray 乾 or 於 in a simplified summary is not "corrected").
- ``repair_punctuation(line)`` collapses runs of Chinese punctuation left by bad conversions (「，，」「、，」「。。」
  「，。」) to the one mark a writer meant: 。 wins over ；, which wins over the first mark of the run. Ellipses
  (……) and dashes (——) are left alone.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

_HAN = re.compile(r"[\u4e00-\u9fff]")
_RUN = re.compile(r"[，、；。,]{2,}")
# Share of Han characters that must change under t2s before a text is treated as traditional.
TRADITIONAL_SHARE = 0.03


@functools.cache
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified text for a traditional one; the same text when it is simplified already."""
    han = _HAN.findall(text)
    if not han:
        return text
    sample = "".join(han[:20000])
    converted: str = _converter().convert(sample)  # OpenCC.convert is unannotated; it returns str
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    if changed < 3 or changed / len(sample) < TRADITIONAL_SHARE:
        return text
    simplified: str = _converter().convert(text)
    return simplified


def _collapse(m: re.Match[str]) -> str:
    run = m.group(0).replace(",", "，")
    if "。" in run:
        return "。"
    if "；" in run:
        return "；"
    return run[0]


def repair_punctuation(line: str) -> str:
    return _RUN.sub(_collapse, line)
