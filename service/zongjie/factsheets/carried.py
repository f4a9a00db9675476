"""What a clerk must look at in a sheet carried over from last year (「用作下一年度」).

Contract (pure functions over a fact-sheet dict, complete or still being typed, or a ``FactSheet``):

- ``note_flags(data)``: for every note still marked ``carried`` (「沿用去年」), the reasons it cannot stand as this
  year's as written — a year before the sheet's period stated as its own time (「含往年年份：2024年」; history such
  as 「2019年以来」 is not, ``numbers.years``), a placeholder (「含占位符：20xx」: 20xx, XX, ××, zz乡, 某单位 — as the
  number finder reads them) or the name of a unit that is not this one (「含其他单位名称：白石镇工会」: a named 乡/镇/
  街道/县/市/区/公司/医院/学校… union other than the sheet's unit, its superior and its 落款 unit). Note id → reasons;
  notes without reasons are left out.
- ``unreviewed(sheet)``: the carried notes the clerk has neither kept nor edited, with their section — drafting
  writes them (they are the clerk's sheet) and the draft page and ``zongjie draft`` list them.
- ``settle_last_year(data, outcomes)``: the 去年的打算 checklist worked through — ``outcomes`` maps an item's id to
  ``("done", section title)``, ``("problem", "")`` or ``("plan", "")``: done, it becomes a note of this year in that
  section (the section whose title shares most of its words when none is named; a section 「其他工作」 when the
  sheet has none); not done, a problem or a plan of this year. Items without an outcome stay on the checklist.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..numbers import find_numbers
from ..numbers.years import past_years
from .model import FactSheet, Note

CARRIED = "沿用去年"
OTHER_SECTION = "其他工作"
_UNIT = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:乡|镇|街道|县|市|区|旗|公司|集团|厂|医院|卫生院|学校|中学|小学|学院|局))"
    r"(?:总工会|工会委员会|工会|工委)"
)
_NOT_A_NAME = re.compile(r"^(?:[在由和与及向对为经据我本该各全每其所上下]|乡镇|县市|市县|城乡|基层|企业|机关|事业)")
_VERB_IN_FRONT = re.compile(
    r"^(?:[年月日号底初末]|配合|协助|联合|会同|组织|指导|帮助|支持|参加|邀请|走访|慰问|学习|参观|赴|到|同|跟|与|和|向|在|由|对|为)+"
)


def _norm(name: str) -> str:
    return re.sub(r"\s|委员会$|工委$", "", name).removesuffix("总工会").removesuffix("工会")


def _other_units(text: str, own: list[str]) -> list[str]:
    mine = [_norm(n) for n in own if n]
    out = []
    for m in _UNIT.finditer(text):
        name = _VERB_IN_FRONT.sub("", m.group(1))
        while _NOT_A_NAME.match(name) and len(name) > 3:
            name = name[1:]
        if _NOT_A_NAME.match(name) or any(ch in name for ch in "xX×zZ某"):
            continue  # a generic name (镇工会, 基层工会) or a placeholder (zz乡: reported as one)
        if not any(name in n or n in name for n in mine):
            out.append(name + m.group(0)[len(m.group(1)) :])
    return list(dict.fromkeys(out))


def flags_for(text: str, year: int | None, own_names: list[str]) -> list[str]:
    """Why one note's text cannot stand as the sheet's year as written (see the module docstring)."""
    reasons = []
    old = past_years(text, year) if year else []
    if old:
        reasons.append("含往年年份：" + "、".join(dict.fromkeys(old)))
    holes = [m.text for m in find_numbers(text) if m.kind == "placeholder"]
    if holes:
        reasons.append("含占位符：" + "、".join(dict.fromkeys(holes)))
    others = _other_units(text, own_names)
    if others:
        reasons.append("含其他单位名称：" + "、".join(others))
    return reasons


def note_flags(data: dict[str, Any]) -> dict[str, list[str]]:
    """Note id → reasons, for the carried notes of a sheet dict (see the module docstring)."""
    unit = data.get("unit") or {}
    signature = data.get("signature") or {}
    own = [unit.get("name") or "", unit.get("superior") or "", signature.get("unit") or ""]
    try:
        year: int | None = int(str((data.get("period") or {}).get("year")))
    except (TypeError, ValueError):
        year = None
    out: dict[str, list[str]] = {}
    for section in data.get("sections") or []:
        for note in section.get("notes") or []:
            if isinstance(note, dict) and note.get("carried"):
                reasons = flags_for(str(note.get("text") or ""), year, own)
                if reasons:
                    out[str(note.get("id") or "")] = reasons
    return out


def unreviewed(sheet: FactSheet) -> list[tuple[str, Note]]:
    """(section title, note) for every note still marked 「沿用去年」."""
    return [(title, n) for title, n in sheet.all_notes() if n.carried]


def _pairs(text: str) -> set[str]:
    t = re.sub(r"\W|[0-9]", "", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def _best_section(text: str, titles: list[str]) -> str | None:
    want = _pairs(text)
    scored = [(len(want & _pairs(t)), t) for t in titles]
    best = max(scored, default=(0, None))
    return best[1] if best[0] else (titles[0] if titles else None)


def settle_last_year(data: dict[str, Any], outcomes: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """A copy of ``data`` with the checklist items that have an outcome moved where it says (see the docstring)."""
    out = copy.deepcopy(data)
    keep = []
    for item in out.get("last_year_plans") or []:
        outcome, section = outcomes.get(str(item.get("id")), ("", ""))
        if outcome == "done":
            sections = out.setdefault("sections", [])
            title = section.strip() or _best_section(item["text"], [s["title"] for s in sections]) or OTHER_SECTION
            target = next((s for s in sections if s["title"] == title), None)
            if target is None:
                target = {"title": title, "notes": []}
                sections.append(target)
            target.setdefault("notes", []).append({"id": item.get("id"), "text": item["text"]})
        elif outcome in ("problem", "plan"):
            out.setdefault(outcome + "s", []).append({"id": item.get("id"), "text": item["text"]})
        else:
            keep.append(item)
    out["last_year_plans"] = keep
    return out
