"""Convert one numeral span to a value: Arabic (1,234 / １２３ / 2.8万) or Chinese (一万二 / 三点一四万 / 两千零八).

cn2an converts well-formed Chinese numerals; it is called on the span only, never on whole text. What cn2an gets
wrong or refuses is handled here: thousands separators, full-width digits, decimals with a trailing 万/亿 scale,
strings of bare digits (五一 is a holiday, not 51) and adjacent-digit ranges (两三, 三四十, 十七八).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

from .lexicon import CN_PLACES, DIGIT_VALUE

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_SCALE = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千万": Decimal(10_000_000),
    "百万": Decimal(1_000_000),
    "千": Decimal(1_000),
    "百": Decimal(100),
    "十万": Decimal(100_000),
}


def _float(d: Decimal) -> float:
    f = float(d)
    return float(int(f)) if f == int(f) else f


@lru_cache(maxsize=8192)
def arabic_value(span: str) -> float | None:
    """'1,234' → 1234; '2.8万' → 28000; '１２' → 12; '3千万' → 30000000."""
    s = span.translate(_FULLWIDTH).replace(",", "").replace("、", ".")  # 323、062万元: a mistyped decimal point
    scale = Decimal(1)
    for word in ("千万", "百万", "十万", "万", "亿", "千", "百"):
        if s.endswith(word):
            scale, s = _SCALE[word], s[: -len(word)]
            break
    try:
        return _float(Decimal(s) * scale)
    except InvalidOperation:
        return None


_RANGE_RE = re.compile(r"^(.*?)([一两二三四五六七八九])([两二三四五六七八九])([十百千万]?)$")


@lru_cache(maxsize=8192)
def chinese_value(span: str) -> float | None:
    """A well-formed Chinese numeral's value, or None (digit strings such as 五一 or 三八 are not numerals)."""
    if not span:
        return None
    if span == "两":
        return 2.0
    if len(span) > 1 and not any(ch in CN_PLACES or ch == "点" for ch in span):
        return None  # 五一, 三八, 二〇二三: digit strings; years are read by the date rule
    if span[0] in "万亿千百":
        return None
    scale = Decimal(1)
    body = span
    if "点" in span and span[-1] in "万亿":
        scale, body = _SCALE[span[-1]], span[:-1]
    try:
        value = Decimal(str(cn2an.cn2an(body, "normal")))
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return _float(value * scale)


@lru_cache(maxsize=4096)
def chinese_range(span: str) -> tuple[float, float] | None:
    """Adjacent-digit ranges: 两三 → (2, 3); 三四十 → (30, 40); 十七八 → (17, 18); 一百五六十 → (150, 160)."""
    m = _RANGE_RE.match(span)
    if not m:
        return None
    head, d1, d2, place = m.groups()
    a, b = DIGIT_VALUE[d1], DIGIT_VALUE[d2]
    if b != a + 1 and not (d1 == "一" and d2 == "两"):
        return None
    if d1 == "一" and d2 == "两":
        a, b = 1, 2
    unit = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10_000}[place]
    base = 0.0
    if head:
        if head == "十":
            base, unit = 10.0, 1 if not place else unit
        else:
            hv = chinese_value(head)
            if hv is None:
                return None
            base = hv
            if not place:  # 一百五六十 has place; 二十七八 → units follow the head's last place
                unit = 1 if head.endswith("十") else 10 if head.endswith("百") else 100 if head.endswith("千") else 1
    return (base + a * unit, base + b * unit)


def decimals(span: str) -> int:
    """Decimal places as written (for rounding policies): '15.4' → 1, '三点一四万' → 2, '323' → 0."""
    s = span.translate(_FULLWIDTH).replace("、0", ".0")
    for sep in (".", "点"):
        if sep in s:
            tail = s.split(sep, 1)[1]
            digits = re.match(r"[0-9零〇一二三四五六七八九]+", tail)
            return len(digits.group(0)) if digits else 0
    return 0


def place_of(value: float) -> float:
    """The place of the last non-zero digit of an integer part: 3000 → 1000; 36 → 1; 140 → 10; 0 → 1."""
    v = int(abs(value))
    if v == 0 or value != int(value):
        return 1.0
    place = 1
    while v % 10 == 0:
        v //= 10
        place *= 10
    return float(place)
