"""Numbers as clerks type them into a form or an Excel cell, normalised to a fact's value — or questioned.

``parse_typed(text, unit)`` accepts full-width digits (３６), thousands separators (1,200 / 1，200), scale words
(36.5万, 1.2亿), Chinese numerals (一千二百, 三点五万, 百分之九十五), a trailing unit equal to the fact's (36户 with
unit 户), money typed in 元 for a 万元 fact and the reverse (365000元 → 36.5 万元), and percentages (95% for unit %).
It raises ``TypedNumberError`` with a Chinese message saying what is wrong and what to type instead. ``question``
returns a Chinese question when a value is valid but implausible (a 率 of 0.95 with unit %: 「是否为95%？」).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .convert import chinese_value
from .exact import Exact, to_decimal
from .units import split_scale

_FULL = str.maketrans("０１２３４５６７８９．，％－＋", "0123456789.,%-+")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_ARABIC = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_APPROX = re.compile(r"^(?:约|大约|近|将近|超过|逾)|(?:余|多|左右|以上|上下)$")
_RATE = re.compile(r"率|占比|比例|比重|覆盖面")
_CHANGE = re.compile(r"增长|增幅|提高|提升|下降|降低|减少|同比|环比|变化")
IMPLAUSIBLE = 10**12  # no union reports a magnitude above this, in any unit: such a value is questioned
SCALES = (("亿", 100_000_000), ("千万", 10_000_000), ("百万", 1_000_000), ("万", 10_000), ("千", 1_000))


class TypedNumberError(ValueError):
    """A typed number that cannot be read; ``str(exc)`` is the Chinese message for the form."""


def _number(s: str) -> Decimal | None:
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    if _ARABIC.match(s):
        try:
            return Decimal(s)  # exactly as typed, however many digits
        except InvalidOperation:
            return None
    if s.startswith("百分之"):
        return None
    v = chinese_value(s)
    return None if v is None else to_decimal(v)


def _clean(v: Decimal) -> Exact:
    """At most 6 decimals (a scale conversion may leave more), trailing zeros dropped; held exactly."""
    exponent = v.as_tuple().exponent
    if v != v.to_integral_value() and isinstance(exponent, int) and exponent < -6:
        v = v.quantize(Decimal("0.000001"))
    return Exact(v.normalize() if v != v.to_integral_value() else v.to_integral_value())


def parse_typed(text: object, unit: str = "") -> Exact | None:
    """The value of ``text`` in the fact's ``unit``; None when blank. Raises ``TypedNumberError``."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise TypedNumberError("应填写数字")
    if isinstance(text, int | float | Decimal):
        return _clean(to_decimal(text))
    raw = str(text).strip()
    s = raw.translate(_FULL).replace(" ", "").replace("\u3000", "")
    if not s:
        return None
    if _APPROX.search(s) and re.search(r"[0-9零〇一二两三四五六七八九十百千万]", s):
        raise TypedNumberError(f"「{raw}」是约数：请填写确切的数字，并把“约数”选为“是”")
    unit = (unit or "").strip()
    fact_scale, fact_base = split_scale(unit) if unit else (1.0, "")
    percent = False
    if s.endswith("%") or s.startswith("百分之"):
        percent = True
        s = s.rstrip("%")
        if s.startswith("百分之"):
            s = s[3:]
    else:
        for suffix in sorted({unit, fact_base, "元", "万元", "亿元"} - {""}, key=len, reverse=True):
            if s.endswith(suffix) and len(s) > len(suffix):
                s = s[: -len(suffix)]
                if suffix.endswith("元") and suffix != unit and fact_base == "元":
                    s += suffix[:-1]  # 365000元 typed for a 万元 fact: keep the written scale to convert below
                break
    if percent and unit and unit not in ("%", "％"):
        raise TypedNumberError(f"这一项的单位是“{unit}”，却填了百分数「{raw}」：请改单位为 %，或填写{unit}数")
    written_scale = Decimal(1)
    value = _number(s)
    if value is None:
        for word, factor in SCALES:
            if s.endswith(word) and _number(s[: -len(word)]) is not None:
                value, written_scale = _number(s[: -len(word)]), Decimal(factor)
                break
    if value is None:
        from .finder import find_numbers

        if any(m.kind == "quantity" and m.approx for m in find_numbers(raw)):  # 十几起, 三十余, 近3000
            raise TypedNumberError(f"「{raw}」是约数：请填写确切的数字，并把“约数”选为“是”")
        raise TypedNumberError(f"「{raw}」不是数字：请填写如 1200、1,200、36.5万 或 一千二百")
    scale = to_decimal(fact_scale)
    if written_scale != 1:
        value = value * written_scale / scale
    elif scale != 1 and raw.translate(_FULL).strip().endswith("元") and not raw.strip().endswith(unit):
        value = value / scale  # 365000元 for a 万元 fact
    return _clean(value)


def question(label: str, value: float | Decimal | None, unit: str) -> str | None:
    """A question for a valid but implausible value (the clerk may confirm it), or None."""
    if value is None:
        return None
    if unit.strip() in ("%", "％") and _RATE.search(label) and not _CHANGE.search(label):
        if 0 < value <= 1:
            return f"填的是 {value:g}%，是否为 {value * 100:g}%？（Excel 的百分比格式会把 95% 存成 0.95）"
        if value > 100:
            return f"{label}超过 100%（{value:g}%），请核对"
    if abs(float(value)) > IMPLAUSIBLE:
        return f"「{label}」超过一万亿（{unit or '无单位'}）：工会统计中没有这样大的数，请核对是否多打了数字"
    if value < 0 and not _CHANGE.search(label):
        return f"{label}是负数（{value:g}），请核对"
    return None


_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def parse_year(text: object) -> int | str:
    """A year as clerks write it — 2025, ２０２５, 2025年, 二〇二五, 二〇二五年 — as an int; anything else is
    returned as it was typed (the model then says what is wrong with it)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    raw = str(text or "").strip()
    s = raw.translate(_FULL).translate(_YEAR_DIGITS).replace(" ", "").removesuffix("年").removesuffix("度")
    s = s.removesuffix("年")
    return int(s) if len(s) == 4 and s.isdigit() else raw
