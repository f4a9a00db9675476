"""The frame of a summary: the opening paragraph, the closing paragraph and the 落款 (signing unit and date).

``write_opening(sheet, prior, prior_year)``: the period, under whose leadership, the year's themes, the verdict and
「现将…总结如下：」. Every part reads right when its field is missing (no leadership: 「2025年，白石镇工会紧紧围绕…」;
no themes, no leadership: 「2025年，白石镇工会团结带领…」). With the unit's own last opening (``prior``) that
opening is kept with its years moved on (``numbers.years``) — when it names this year's leadership and every
theme and holds no other figure (a year of history, 「2019年以来」, is one); otherwise it is written from the facts.

``write_closing(sheet, prior, prior_year)``: the closing paragraph looking ahead (the unit's own last closing with
its years moved on, under the same conditions, else written from the facts). ``signature(sheet)``: the signing unit
(the 落款 unit, else the unit's name) and the date written out (「2025年12月20日」, empty when not given).
"""

from __future__ import annotations

import re

from ..checker.binding import bigrams
from ..factsheets.model import FactSheet, date_parts
from ..numbers import find_numbers
from ..numbers.years import move_years
from .genre import aims
from .phrasing import unit_short

_PERIOD = {"annual": "", "first_half": "上半年", "second_half": "下半年"}
_WHOLE = {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}
_SCOPE = {
    "county_federation": "全县经济社会高质量发展",
    "township": "全镇经济社会发展",
    "hospital": "医院高质量发展",
    "enterprise": "企业高质量发展",
    "school": "学校教育事业发展",
    "bureau": "本系统各项事业发展",
}


def _covers(text: str, phrase: str) -> bool:
    want = bigrams(phrase)
    return not want or len(want & bigrams(text)) / len(want) >= 0.6


def _reusable(sheet: FactSheet, prior: str | None, prior_year: int | None) -> str | None:
    """The unit's own paragraph with years moved on, if it fits this year's facts."""
    if not prior or not prior_year:
        return None
    text = move_years(prior.strip(), sheet.period.year - prior_year, prior_year)
    for m in find_numbers(text):  # a year of history (kept as written) is a figure the facts must hold: not reused
        if m.kind not in ("date", "period") or (m.year and m.year not in (sheet.period.year, sheet.period.year + 1)):
            return None
    if sheet.leadership and not _covers(text, sheet.leadership):
        return None
    if not all(_covers(text, t) for t in sheet.themes):
        return None
    return text


_THEME_VERB = re.compile(r"^(?:紧紧|始终|坚持)?(?:围绕|紧扣|聚焦|突出)")


def _themes(themes: list[str]) -> str:
    """Themes as the object of 「紧紧围绕」: punctuation trimmed and a verb the clerk already wrote dropped
    (「围绕医疗中心工作」 → 「医疗中心工作」), so the opening never reads 「紧紧围绕围绕…」."""
    return "、".join(_THEME_VERB.sub("", t.strip("。，；; ")) for t in themes)


def _area(clause: str) -> str:
    """A heading clause as an area of work: its object when it opens with a verb the genre uses (「加强组织建设」 →
    「组织建设」), so the opening does not repeat the headings printed below it word for word."""
    found = aims(clause)
    return found[0].obj if found and found[0].verb and len(found[0].obj) >= 2 else clause


def _work_areas(outline: list[str]) -> str:
    """The body's first-level headings as the areas of work an opening names: each heading's first clause, without
    a marker or closing punctuation (「加强组织建设，扩大覆盖面」 → 「加强组织建设」)."""
    parts = [_area(re.split(r"[，,；;：:。]", h.strip())[0].strip()) for h in outline]
    parts = list(dict.fromkeys(p for p in parts if 2 <= len(p) <= 24))[:5]
    if len(parts) < 2:
        return ""
    return "、".join(parts[:-1]) + "和" + parts[-1]


def write_opening(
    sheet: FactSheet, prior: str | None = None, prior_year: int | None = None, outline: list[str] | None = None
) -> str:
    """The opening paragraph (see the module docstring); ``outline`` — the body's first-level headings — names the
    areas the year's work went into (「在加强组织建设、依法维护职工权益和…等方面扎实开展工作」)."""
    own = _reusable(sheet, prior, prior_year)
    if own:
        return own
    s = f"{sheet.period.year}年{_PERIOD[sheet.period.kind]}，{sheet.unit.name}"
    if sheet.leadership:
        s += f"在{sheet.leadership}的领导下，"
    if sheet.themes:
        s += f"紧紧围绕{_themes(sheet.themes)}，"
    areas = _work_areas([h for h in outline or [] if not any(_covers(h, t) or _covers(t, h) for t in sheet.themes)])
    if areas:
        s += f"团结带领广大职工，在{areas}等方面扎实开展工作，较好地完成了目标任务。"
    else:
        s += "团结带领广大职工，扎实推进各项工作，较好地完成了目标任务。"
    return s + f"现将{_WHOLE[sheet.period.kind]}工作总结如下："


def write_closing(sheet: FactSheet, prior: str | None = None, prior_year: int | None = None) -> str:
    own = _reusable(sheet, prior, prior_year)
    if own:
        return own
    when = f"{sheet.period.year + 1}年" if sheet.period.kind != "first_half" else "下半年"
    short = unit_short(sheet.unit.name, sheet.unit.type)
    s = f"{when}，{short}将"
    if sheet.leadership:
        s += f"在{sheet.leadership}的坚强领导下，"
    s += "继续团结带领广大职工，"
    if sheet.themes:
        s += f"始终围绕{_themes(sheet.themes[:1])}，"
    scope = _SCOPE.get(sheet.unit.type, "本单位各项事业发展")
    if sheet.unit.type == "township":
        scope = (
            "辖区经济社会发展" if "街道" in sheet.unit.name else scope.replace("镇", "乡") if "乡" in short else scope
        )
    s += f"扎实做好各项工作，为{scope}作出新的更大贡献。"
    return s


def signature(sheet: FactSheet) -> tuple[str, str]:
    unit = (sheet.signature.unit if sheet.signature and sheet.signature.unit else None) or sheet.unit.name
    date = ""
    if sheet.signature and sheet.signature.date:
        year, month, day = date_parts(sheet.signature.date)
        date = f"{year}年" + (f"{month}月" if month else "") + (f"{day}日" if day else "")
    return unit, date


def frame_gaps(role: str, sheet: FactSheet, text: str) -> list[str]:
    """What an opening (``role == "opening"``) or closing paragraph (``"ending"``) written by a model leaves out, in
    words for the repair prompt: the period (an opening names this year or period), the leadership and every theme
    (≥ 60% of their character bigrams). Empty when the paragraph has what its role needs."""
    gaps = []
    if role == "opening":
        year = f"{sheet.period.year}年"
        if year not in text and not any(w in text for w in ("今年", "一年来", "本年度", "上半年", "下半年")):
            gaps.append(f"开头没有写明时段（{year}{_PERIOD[sheet.period.kind]}）")
        if not text.rstrip().endswith(("：", ":")) and "如下" not in text[-20:]:
            gaps.append(f"开头应以「现将{_WHOLE[sheet.period.kind]}工作总结如下：」结束")
    if len(text.strip()) < 20:
        gaps.append("这一段太短，没有写成完整的段落")
    if sheet.leadership and not _covers(text, sheet.leadership):
        gaps.append(f"没有写明在{sheet.leadership}的领导下")
    themes = sheet.themes if role == "opening" else sheet.themes[:1]
    gaps += [f"没有写到年度主题「{t}」" for t in themes if not _covers(text, _themes([t]))]
    return gaps
