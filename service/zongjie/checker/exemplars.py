"""What a draft must not take from its exemplars: their names, their figures and long verbatim spans.

An ``Exemplar`` is a piece of another unit's summary that was shown to the writer for style. Names are the
exemplar's unit name plus place and organisation names found in its text (临溪县, 青山镇, 恒达公司); a name that
also occurs in the fact sheet is the unit's own and is allowed. Copying is found with hashed character k-grams:
any run of at least ``min_chars`` characters that also occurs in an exemplar is reported once, merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import Mention, find_numbers
from .report import CopiedSpan, Leak


@dataclass(frozen=True, slots=True)
class Exemplar:
    text: str
    source: str  # document title or id, shown to editors
    unit_name: str | None = None


_NAME_RE = re.compile(
    r"[\u4e00-\u9fff]{2,5}?(?:街道|社区|县(?![域级城委])|市(?![场级民委])|区(?![域级别委])"
    r"|镇(?![级委])|乡(?![级村镇土亲委])|村(?![民级镇委])|公司|集团|厂(?![务区长级]))"
)
_GENERIC_LEAD = set("全本我该各每此其这那与和及在对为由向从以按据经将把被给于至当即并又也都共")
_STEM_STOP = (
    "工会",
    "公司",
    "党委",
    "政府",
    "在",
    "的",
    "和",
    "与",
    "及",
    "对",
    "为",
    "是",
    "了",
    "等",
    "到",
    "各",
    "全",
)
_GENERIC_NAMES = {
    "城区",
    "社区",
    "园区",
    "片区",
    "辖区",
    "校区",
    "景区",
    "灾区",
    "山区",
    "牧区",
    "农村",
    "乡村",
    "城市",
    "县市",
    "省市",
    "市县",
    "区县",
    "乡镇",
    "城乡",
    "街道",
    "开发区",
    "地区",
    "工业园区",
    "分公司",
    "子公司",
    "总公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "市场",
    "都市",
    "新区",
    "老区",
    "特区",
    "县区",
    "市区",
    "村村",
    "镇村",
    "各村",
    "全村",
    "本村",
}


def names_in(text: str) -> set[str]:
    out = set()
    for m in _NAME_RE.finditer(text):
        name = m.group()
        while name and name[0] in _GENERIC_LEAD:
            name = name[1:]
        suffix_len = 2 if name.endswith(("街道", "社区", "公司", "集团")) else 1
        stem = name[:-suffix_len]
        if any(w in stem for w in _STEM_STOP):
            continue
        if len(stem) >= 2 and name not in _GENERIC_NAMES:
            out.add(name)
    return out


def exemplar_names(exemplars: list[Exemplar], own_text: str) -> dict[str, str]:
    """Names in the exemplars that are not the unit's own → the exemplar they came from."""
    out: dict[str, str] = {}
    for ex in exemplars:
        found = names_in(ex.text)
        if ex.unit_name:
            found.add(ex.unit_name)
            bare = re.sub(r"(总工会|工会委员会|工会)$", "", ex.unit_name)
            if len(bare) >= 3:
                found.add(bare)
        for name in found:
            if name in own_text or any(name in own for own in (own_text,)):
                continue
            out.setdefault(name, ex.source)
    return out


def name_leaks(draft: str, exemplars: list[Exemplar], own_text: str) -> list[Leak]:
    names = exemplar_names(exemplars, own_text)
    leaks: list[Leak] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), draft):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            leaks.append(Leak(start=m.start(), end=m.end(), text=name, kind="name", source=names[name]))
    return sorted(leaks, key=lambda x: x.start)


def exemplar_figures(exemplars: list[Exemplar]) -> list[tuple[Mention, str]]:
    out = []
    for ex in exemplars:
        for m in find_numbers(ex.text):
            if m.kind == "quantity" and m.value is not None:
                out.append((m, ex.source))
    return out


_WS = re.compile(r"[ \t\u3000]+")


def copied_spans(draft: str, exemplars: list[Exemplar], min_chars: int = 20) -> list[CopiedSpan]:
    """Runs of ≥ ``min_chars`` characters that occur verbatim in an exemplar, within one line (spaces ignored)."""
    if not exemplars or min_chars <= 0:
        return []
    k = min_chars
    grams: dict[str, str] = {}
    for ex in exemplars:
        t = _WS.sub("", ex.text)
        for i in range(len(t) - k + 1):
            gram = t[i : i + k]
            if "\n" not in gram:
                grams.setdefault(gram, ex.source)
    # map the draft without whitespace back to offsets in the draft
    keep = [i for i, ch in enumerate(draft) if ch not in " \t\u3000\r"]
    flat = "".join(draft[i] for i in keep)
    spans: list[CopiedSpan] = []
    i = 0
    n = len(flat)
    while i <= n - k:
        source = grams.get(flat[i : i + k])
        if source is None:
            i += 1
            continue
        j = i + k
        while j < n and flat[j - k + 1 : j + 1] in grams:
            j += 1
        start, end = keep[i], keep[j - 1] + 1
        spans.append(CopiedSpan(start=start, end=end, text=draft[start:end], source=source))
        i = j
    return spans
