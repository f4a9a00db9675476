"""Infer a summary's unit, unit type, period and year; apply sidecar YAML overrides.

Contract: ``infer_metadata(title, opening, body)`` returns a dict with ``unit_name`` (or None), ``unit_type``,
``period``, ``year`` (int or None when written as a placeholder such as 20xx/201*/20__) and ``year_text``.
The title weighs most, then the opening paragraph, then the whole text.

Sidecar: ``<file>.yaml`` (or ``<file stem>.yaml``) next to a source file may set ``unit_name``, ``unit_type``,
``period``, ``year``, ``title``, ``signed_by``, ``signature`` (the 落款) for every summary in the file, and
``documents: [{piece: 2, unit_type: …}]`` per summary; ``fixes:`` (top level or per piece) corrects the heading
tree (``corpus/review.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .names import clean_name

HAN = r"\u4e00-\u9fff"

# (unit type, pattern, weight) — scored over title (×5), opening (×3) and body (×1, capped)
_TYPE_CUES: list[tuple[str, str]] = [
    ("county_federation", r"(县|市|区|旗)总工会|全县|全市|全区|县委、县政府|县委县政府|各级工会组织|基层工会"),
    # village and community unions (村工会、村股份经济合作社工会、社区工会) are the territorial unions below a township
    (
        "township",
        r"[乡镇]工会|乡党委|镇党委|乡镇|街道工会|[乡镇]政府|全乡|全镇|村联合工会|村级|村工会|社区工会|合作社工会"
        r"|村党支部|村党总支|村委会|村民|居委会|全村|全社区",
    ),
    ("hospital", r"医院|卫生院|院务公开|医务|医德医风|义诊|护理|病人|患者|临床|院工会|院党委"),
    ("enterprise", r"公司|集团|企业工会|厂务公开|车间|班组|安全生产|劳动竞赛|生产经营|矿|项目部"),
    ("bureau", r"局工会|局党委|局党组|机关工会|机关|局机关|干部职工|全局|本局|我局"),
    ("school", r"学校|教育工会|教师|教职工|校工会|校长|教学|学生|师德"),
]
_TITLE_TYPE_CUES: list[tuple[str, str]] = [
    ("county_federation", r"[县市区旗]总工会"),
    ("township", r"[乡镇]工会|乡镇|街道|村|社区"),
    ("hospital", r"医院|卫生院"),
    ("school", r"学校|中学|小学|教育工会|校工会"),
    ("enterprise", r"公司|集团|厂|企业"),
    ("bureau", r"局工会|机关工会|局"),
]
_UNIT_RE = re.compile(
    rf"([{HAN}A-Za-z0-9*×]{{0,14}}?(?:乡|镇|街道|村|社区|县|市|区|旗|局|医院|卫生院|公司|集团|厂|学校|中学|小学|大学|学院"
    rf"|机关|委员会|站|所|中心|银行|矿|社|馆|队|办))(?:总工会|工会委员会|工会|工委)"
)
_UNIT_STOP_PREFIX = re.compile(
    r"^(在|以|为|经|由|对|据|根据|按照|今年以来|今年|年初|全年|一年来|半年来|来|使|我们|我|本|该|上级|基层|和|与|及|是|将)"
)
_GENERIC_UNIT_RE = re.compile(
    r"^(乡镇|乡|镇|局|医院|企业|学校|机关|教育|公司|集团|集团公司|分公司|单位|基层|县|市|区|上级|各级)?(总工会|工会)$"
)
_BAD_UNIT_RE = re.compile(
    r"(各级|基层|全县|全市|全乡|全镇|上级|领导|支持|指导|关心|党委|党组|政府|[省市县区镇乡]委[和与及])"
)
_YEAR_RE = re.compile(r"((?:19|20)\d\d|20[xX×_*＿]{2}|201[xX×_*]|20__|__|××)年")


def _score(text: str, cues: list[tuple[str, str]], weight: float, cap: int = 30) -> dict[str, float]:
    out: dict[str, float] = {}
    for t, pat in cues:
        n = min(len(re.findall(pat, text)), cap)
        if n:
            out[t] = out.get(t, 0) + n * weight
    return out


def infer_unit_type(title: str, opening: str, body: str) -> str:
    scores: dict[str, float] = {}
    for part, cues, w in ((title, _TITLE_TYPE_CUES, 8.0), (opening, _TYPE_CUES, 3.0), (body, _TYPE_CUES, 1.0)):
        for k, v in _score(part, cues, w).items():
            scores[k] = scores.get(k, 0) + v
    # a 局/机关 union that speaks of schools throughout is an education union
    if not scores:
        return "other"
    return max(scores.items(), key=lambda kv: kv[1])[0]


# When the text names its union only generically, that generic name as the text gives it: 「我镇工会」 → 镇工会,
# 「本院工会」 → 院工会, a title 「市总工会工作总结」 → 市总工会. Serves summaries copied from essay sites with the
# place names removed; a generic name is what the text says (it never matches a unit's full name by itself).
_GENERIC_SELF_RE = re.compile(
    r"(?:我们|我|本)(?P<name>(?:镇|乡|街道|社区|村|院|局|校|处|行|公司|厂|所|站|中心|县|市|区)(?:总工会|工会委员会|工会))"
)
_GENERIC_TITLE_RE = re.compile(
    r"(?P<name>(?:医院|卫生院|学校|中学|小学|大学|公司|企业|机关|街道|社区|乡镇|教育|[县市区镇乡局院校])?(?:总工会|工会))"
)


def _generic_unit(title: str, opening: str) -> str | None:
    m = _GENERIC_SELF_RE.search(opening[:300])
    if m:
        return m.group("name")
    m = _GENERIC_TITLE_RE.search(re.sub(r"^[\d*xX×_]{2,4}年(上半年|下半年|度)?", "", title))
    if m and m.group("name") not in ("工会", "总工会"):
        name = m.group("name")
        return name.removeprefix("乡") if name.startswith("乡镇") else name
    return None


def infer_unit_name(title: str, opening: str) -> str | None:
    return _named_unit(title, opening) or _generic_unit(title, opening)


def _named_unit(title: str, opening: str) -> str | None:
    for text in (title, opening[:120]):
        text = re.sub(r"[\d*xX×_]{2,4}年(上半年|下半年|度)?", "", text)
        for m in _UNIT_RE.finditer(text):
            name = m.group(0)
            name = re.sub(r"^.*(的|在|、|，)", "", name)
            # "市委和市总工会", "医院党委和县总工会": a leadership organ in front is not part of the unit's name
            name = re.sub(r"^.*(党委|党组|党总支|党支部|政府|[省市县区镇乡]委|工委|行政)(和|与|及|、)", "", name)
            while _UNIT_STOP_PREFIX.match(name):
                name = _UNIT_STOP_PREFIX.sub("", name, count=1)
            name = clean_name(name)
            if len(name) >= 4 and not _GENERIC_UNIT_RE.match(name) and not _BAD_UNIT_RE.search(name):
                return name
    return None


def infer_period(title: str, opening: str) -> str:
    if re.search(r"\d{2}[\d*xX×_]{2}年(度)?(工会)?(工作)?总结|年度|全年", title) and "半年" not in title:
        return "annual"
    title = re.sub(r"(工作)?总结|范文", "", title)
    for text in (title, opening[:200]):
        if "下半年" in text and "上半年" not in text:
            return "second_half"
        if re.search(r"上半年|半年来|半年多|到6月底|至6月底|6月底", text):
            return "first_half"
        if re.search(r"全年|年度|一年来|过去的一年|\d{4}年$", text):
            return "annual"
    return "annual"


def infer_year(title: str, opening: str) -> tuple[int | None, str | None]:
    for text in (title, opening[:200]):
        m = _YEAR_RE.search(text)
        if m:
            y = m.group(1)
            return (int(y) if y.isdigit() else None), y
    return None, None


def infer_metadata(title: str, opening: str, body: str) -> dict[str, Any]:
    year, year_text = infer_year(title, opening)
    return {
        "unit_name": infer_unit_name(title, opening),
        "unit_type": infer_unit_type(title, opening, body),
        "period": infer_period(title, opening),
        "year": year,
        "year_text": year_text,
    }


def load_sidecar(path: Path) -> dict[str, Any]:
    """Read the overrides for a source file, or {} when there is no sidecar. Raises ValueError on bad YAML."""
    for cand in (path.with_name(path.name + ".yaml"), path.with_suffix(".yaml"), path.with_suffix(".yml")):
        if cand.exists() and cand != path:
            try:
                data = yaml.safe_load(cand.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ValueError(f"{cand.name}: invalid YAML ({exc})") from exc
            if not isinstance(data, dict):
                raise ValueError(f"{cand.name}: expected a mapping of metadata fields")
            return data
    return {}


OVERRIDABLE = ("unit_name", "unit_type", "period", "year", "title", "signed_by", "signature")


def overrides_for(sidecar: dict[str, Any], piece: int) -> dict[str, Any]:
    out = {k: sidecar[k] for k in OVERRIDABLE if k in sidecar}
    for entry in sidecar.get("documents", []) or []:
        if isinstance(entry, dict) and int(entry.get("piece", 0)) == piece:
            out.update({k: entry[k] for k in OVERRIDABLE if k in entry})
    return out
