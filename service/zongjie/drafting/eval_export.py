"""Evaluation cases from real use: approved drafts written as anonymised update cases that ``zongjie eval`` reads
(``<dir>/update/<name>.yaml``: ``facts``, ``gold`` — the approved text — and ``first_draft``, ``keep_rate``).

Contract: ``export_cases(store, engine, since, out)`` writes one case per draft approved on or after ``since`` and
returns their paths. Names are replaced consistently across the sheet, the first draft and the approved text of a
case: every organisation named in the sheet (the unit, its superior, the signing unit, who awarded an honour, a
typical unit of a note) gives its place names (``青山镇工会`` → ``青山镇``, ``青山``), each replaced by an invented
place from ``PLACES`` (never one the texts already contain); people's names written before 同志 / 师傅 or after a
title (主席、书记、经理…) are replaced by invented names. Figures, headings and wording stay as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from ..stages.assemble import Draft
from ..storage.draft_store import DraftStore
from ..storage.keep_rates import KeepRateStore
from .keeprate import kept_chars

PLACES = (
    "安平",
    "和顺",
    "清河",
    "永宁",
    "长乐",
    "丰源",
    "嘉禾",
    "瑞安",
    "宁远",
    "兴隆",
    "泰和",
    "同心",
    "广源",
    "福兴",
)
PEOPLE = ("周明", "吴华", "郑新", "冯立", "陈安", "褚平", "卫东", "蒋宁", "沈和", "韩丰")
_SUFFIXES = re.compile(
    r"(总工会|工会联合会|工会委员会|联合工会|工会|委员会|联合会|党委|人民政府|政府|公司|集团|医院|学校|中心|局|办|厂)$"
)
_ADMIN = re.compile(r"(省|市|县|区|镇|乡|街道|村|社区|开发区|园区)$")
_PERSON = re.compile(
    r"(?:(?<=主席)|(?<=书记)|(?<=经理)|(?<=主任)|(?<=厂长)|(?<=院长)|(?<=校长)|(?<=劳模))[\u4e00-\u9fff]{2,3}(?=同志|[，。、])"
    r"|[\u4e00-\u9fff]{2,3}(?=同志|师傅)"
)


def _organisations(sheet: dict) -> list[str]:
    out = [sheet.get("unit", {}).get("name"), sheet.get("unit", {}).get("superior")]
    out.append((sheet.get("signature") or {}).get("unit"))
    out += [h.get("awarded_by") for h in sheet.get("honours") or []]
    for sec in sheet.get("sections") or []:
        out += [n.get("unit") for n in sec.get("notes") or [] if isinstance(n, dict)]
    return [o for o in out if o]


def places(organisation: str) -> list[str]:
    """The place names in an organisation's name, longest first: 青山镇工会 → [青山镇, 青山]; 临溪县人民医院 →
    [临溪县, 临溪]; a name with no administrative level keeps its stem (华跃机械有限公司 → 华跃机械有限)."""
    name = organisation
    while (shorter := _SUFFIXES.sub("", name)) != name and shorter:
        name = shorter
    out = []
    while name and len(name) >= 2:
        out.append(name)
        m = _ADMIN.search(name)
        if not m or m.start() < 2:
            break
        name = name[: m.start()]
    return out


class Anonymiser:
    """One case's replacements: the same original always becomes the same invented name."""

    def __init__(self, sheet: dict, texts: list[str]):
        everything = json.dumps(sheet, ensure_ascii=False) + "\n".join(texts)
        cores: dict[str, None] = {}
        for org in _organisations(sheet):
            found = places(org)
            if found:
                cores[found[-1]] = None  # the shortest: replacing it renames every longer form too
        free_places = (p for p in PLACES if p not in everything)
        self.map: dict[str, str] = {}
        for core in sorted(cores, key=len, reverse=True):
            self.map[core] = next(free_places, "某地")
        people = dict.fromkeys(m.group(0) for t in [everything] for m in _PERSON.finditer(t))
        free_people = (p for p in PEOPLE if p not in everything)
        for person in people:
            if person not in self.map and not any(core in person for core in cores):
                self.map[person] = next(free_people, "某人")

    def __call__(self, text: str) -> str:
        for old in sorted(self.map, key=len, reverse=True):
            text = text.replace(old, self.map[old])
        return text

    def sheet(self, sheet: dict) -> dict:
        return json.loads(self(json.dumps(sheet, ensure_ascii=False)))


def export_cases(store: DraftStore, engine, since: str, out: Path) -> list[Path]:
    rows = KeepRateStore(engine).rows(since)
    approved = {r.draft_id: r.approved_version for r in rows}
    (out / "update").mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (draft_id, version) in enumerate(approved.items(), 1):
        first_v = store.version(draft_id, 1)
        first = Draft.model_validate(first_v.data)
        final = Draft.model_validate(store.version(draft_id, version).data)
        fid = store.draft(draft_id).factsheet_id
        sheet = (
            store.factsheet_revision(fid, first_v.factsheet_revision)
            if first_v.factsheet_revision
            else store.factsheet(fid).data
        )
        anon = Anonymiser(sheet, [first.text(), final.text()])
        first_text, gold = anon(first.text()), anon(final.text())
        case = {
            "facts": anon.sheet(sheet),
            "gold": gold,
            "first_draft": first_text,
            "keep_rate": round(kept_chars(first_text, gold) / len(first_text), 4) if first_text else 0.0,
        }
        path = out / "update" / f"real_{sheet['period']['year']}_{n:03d}.yaml"
        header = "# Exported from an approved draft (zongjie export-eval-cases): names replaced, figures as approved.\n"
        path.write_text(header + yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths
