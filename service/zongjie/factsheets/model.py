"""The fact sheet: what a unit did in a period, the only source of figures a draft may state.

Load with ``load_fact_sheet(path)`` (YAML or JSON); export the JSON Schema with ``FactSheet.model_json_schema()``.
Validation errors are turned into ``FactSheetError`` whose ``problems`` name the field path and say what is wrong
in Chinese (for the UI) and English (for logs).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from ..corpus.document import Period, UnitType
from ..numbers.exact import Exact
from .bounded import TooComplex, parse_structured

_ID_RE = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
YEAR_MIN, YEAR_MAX = 1949, 2100  # the years a sheet may be for (「用作下一年度」 stops at YEAR_MAX)
# How many items a sheet may hold (a county federation's year has a few dozen of each); text lengths are per field
MAX_ITEMS = {"themes": 20, "metrics": 300, "sections": 60, "notes": 100, "activities": 200, "outcomes": 30}
MAX_ITEMS |= {"honours": 100, "problems": 50, "plans": 50, "sources": 1000}
THEME_CHARS, SOURCE_CHARS = 60, 500


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Unit(_Model):
    name: str = Field(min_length=2, max_length=60, description="单位全称，如“临溪县总工会”")
    type: UnitType = Field(description="单位类型")
    superior: str | None = Field(None, max_length=60, description="上级工会或领导机关，如“县总工会”")


class PeriodInfo(_Model):
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, description="年度")
    kind: Period = Field("annual", description="annual 全年 / first_half 上半年 / second_half 下半年")


class Part(_Model):
    """One unit's share of a rolled-up metric (a federation's total): who reported what, in which revision."""

    unit: str = Field(min_length=1, max_length=60, description="下级单位名称")
    value: Exact = Field(description="该单位的数值，已折算为合计的计量单位")
    reported: str | None = Field(None, max_length=40, description="单位填报的原值和单位（单位不同时），如“12.5万元”")
    approximate: bool = Field(False, description="该单位填的是约数")
    revision: int | None = Field(None, description="所据事实表的修订号")
    sheet: str | None = Field(None, max_length=32, description="所据事实表的编号（系统内）")
    metric: str | None = Field(None, max_length=64, description="该单位事实表中的指标编号")


class RateFormula(_Model):
    """A rate recomputed from two rolled metrics of the same sheet: numerator / denominator (× 100 for %)."""

    numerator: str = Field(pattern=_ID_RE, description="分子指标编号")
    denominator: str = Field(pattern=_ID_RE, description="分母指标编号")


class Metric(_Model):
    id: str = Field(pattern=_ID_RE, description="指标编号，字母开头，如 m_visits；不填则自动生成")
    indicator: str | None = Field(None, pattern=_ID_RE, description="上级指标清单中的指标代码（按清单填报时自动带出）")
    label: str = Field(min_length=1, max_length=80, description="指标名称，如“走访慰问困难职工”")
    value: Exact | None = Field(
        description="本期数值（万元等按 unit 记，原样保存每一位）；空表示尚未填写（如复制为下一年度后），起草前必须填上"
    )
    unit: str = Field(min_length=1, max_length=12, description="计量单位：人、人次、户、家、个、项、万元、%…")
    section: str | None = Field(None, max_length=40, description="建议放入的章节，如“帮扶”")
    approximate: bool = Field(False, description="true 表示约数，可写“余/多/近”")
    prior: Exact | None = Field(None, description="上年同期数值（同一单位），用于同比和发现沿用去年的数字")
    target: Exact | None = Field(None, description="本期目标值（可选）")
    parts: list[Part] = Field(default_factory=list, description="汇总数的构成：各下级单位的数值")
    not_included: list[str] = Field(default_factory=list, description="汇总数未含的下级单位（写作“未含：…”）")
    formula: RateFormula | None = Field(None, description="由分子、分母汇总数重新计算的比率")

    @field_validator("value", "prior", "target", mode="before")
    @classmethod
    def _not_a_truth_value(cls, v: object) -> object:
        """true/false is not a figure (pydantic would read it as 1/0, and a draft would state it)."""
        if isinstance(v, bool):
            raise ValueError("应填写数字，不能是 true/false")
        return v


def fill_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Give every metric, activity, outcome, honour, problem, plan and note without an id a fresh one.

    Generated ids are m1, a1, o1, h1, p1, n1 (plans), w1 (notes), y1 (last year's plans); existing ids are kept and
    never reused.
    Malformed parts are left alone for validation to report.
    """

    def dicts(items: object) -> list[dict[str, Any]]:
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    for sec in dicts(data.get("sections")):  # notes written as plain strings get an object to carry an id
        if isinstance(sec.get("notes"), list):
            sec["notes"] = [{"text": n} if isinstance(n, str) else n for n in sec["notes"]]
    groups = [
        (dicts(data.get(key)), prefix)
        for key, prefix in (
            ("metrics", "m"),
            ("activities", "a"),
            ("honours", "h"),
            ("problems", "p"),
            ("plans", "n"),
            ("last_year_plans", "y"),
        )
    ]
    groups += [(dicts(a.get("outcomes")), "o") for a in dicts(data.get("activities"))]
    groups += [(dicts(sec.get("notes")), "w") for sec in dicts(data.get("sections"))]
    used = {str(item["id"]) for items, _ in groups for item in items if item.get("id")}
    for items, prefix in groups:
        n = 1
        for item in items:
            if item.get("id") in (None, ""):  # a malformed id (a number, an object) is left for validation
                while f"{prefix}{n}" in used:
                    n += 1
                item["id"] = f"{prefix}{n}"
                used.add(item["id"])
    return data


def check_date(v: object) -> str | None:
    """Dates are kept as written at their precision: YYYY, YYYY-MM or YYYY-MM-DD (YAML dates are accepted)."""
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v.isoformat()
    v = str(v).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    v = re.sub(
        r"^(\d{4})\s*[年./]\s*(?:(\d{1,2})\s*[月./]\s*(?:(\d{1,2})\s*[日号]?)?)?$",
        lambda m: "-".join(x for x in m.groups() if x),
        v,
    )  # 2025年5月1日, 2025.5.1, 2025/5/1
    if not re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", v):
        raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(x) for x in v.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD") from None
    return "-".join([f"{parts[0]:04d}"] + [f"{x:02d}" for x in parts[1:]])


DateText = Annotated[str | None, BeforeValidator(check_date)]


def date_parts(date: str) -> tuple[int, int | None, int | None]:
    """A fact date as (year, month or None, day or None): '2025-09' → (2025, 9, None)."""
    parts = [int(x) for x in date.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def _plain_copy(node: object) -> object:
    """A copy made of dicts, lists, strings, numbers and None (anything else as its text); numbers keep every digit
    (a JSON round trip would write an ``Exact`` as a float)."""
    if isinstance(node, dict):
        return {str(k): _plain_copy(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain_copy(v) for v in node]
    if node is None or isinstance(node, str | int | float):
        return node
    return str(node)


def format_value(value: float) -> str:
    """A fact's value as an editor writes it, every digit as held: 520.0 → '520'; 7.2 → '7.2';
    99999999999999999999999 → those 23 digits (an ``Exact`` is written from its decimal)."""
    if isinstance(value, Exact):
        return str(value)
    return str(int(value)) if value == int(value) else f"{value:g}"


class Activity(_Model):
    id: str = Field(pattern=_ID_RE)
    title: str = Field(min_length=1, max_length=120, description="活动名称")
    date: DateText = Field(None, description="日期，YYYY-MM-DD、YYYY-MM 或 YYYY")
    participants: str | None = Field(None, max_length=120, description="参加对象")
    description: str | None = Field(None, max_length=600, description="活动情况：怎么办的、谁参加、有什么效果")
    outcomes: list[Metric] = Field(
        default_factory=list, max_length=MAX_ITEMS["outcomes"], description="活动自带的数字成果"
    )
    section: str | None = Field(None, max_length=40)


class Honour(_Model):
    id: str = Field(pattern=_ID_RE)
    title: str = Field(min_length=1, max_length=120, description="荣誉名称")
    awarded_by: str | None = Field(None, max_length=60, description="授予单位")
    date: DateText = None


class Item(_Model):
    """A problem or a plan: free text with an id so a draft can cite it."""

    id: str = Field(pattern=_ID_RE)
    text: str = Field(min_length=2, max_length=300)


class Note(_Model):
    """A work note (工作要点): one measure or result in the clerk's words; figures in it are facts."""

    id: str = Field(pattern=_ID_RE)
    text: str = Field(min_length=2, max_length=400, description="一条工作要点：做了什么、怎么做、有什么成效")
    unit: str | None = Field(None, max_length=60, description="典型经验的下级单位（写作“如××镇工会……”）")
    carried: bool = Field(
        False,
        description="沿用去年：从去年的事实表带来（用作下一年度），办事员保留或修改之前为 true；起草照写，草稿页列出",
    )


class LastYearPlan(_Model):
    """One of last year's plans or problems, offered in this year's sheet as a checklist (去年的打算): done, it
    becomes a note of this year; not done, a problem or a plan. Never a fact: drafting does not read it."""

    id: str = Field(pattern=_ID_RE)
    text: str = Field(min_length=2, max_length=300)
    kind: Literal["plan", "problem"] = Field("plan", description="plan 去年的打算 / problem 去年的问题")


class SectionWork(_Model):
    """The work of one section of the summary: its heading (or topic) and the notes that go in it."""

    title: str = Field(min_length=1, max_length=60, description="章节，如“维权帮扶”或“一、强化思想引领”")
    notes: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS["notes"], description="本章节的工作要点")

    @model_validator(mode="before")
    @classmethod
    def _notes_as_text(cls, data: object) -> object:
        """Notes may be written as plain strings in YAML/JSON."""
        if isinstance(data, dict) and isinstance(data.get("notes"), list):
            data = {**data, "notes": [{"text": n} if isinstance(n, str) else n for n in data["notes"]]}
        return data


class Signature(_Model):
    """落款: the signing unit and date printed at the end of the summary."""

    unit: str | None = Field(None, max_length=60, description="落款单位，通常是本单位全称")
    date: DateText = Field(None, description="落款日期，YYYY-MM-DD")


class IncludedUnit(_Model):
    unit: str = Field(max_length=60)
    revision: int | None = None
    sheet: str | None = Field(None, max_length=32)
    source: str = Field("approved", max_length=16, description="approved 已审核的事实表 / file 上传的文件")


class MissingUnit(_Model):
    unit: str = Field(max_length=60)
    reason: str = Field(max_length=120, description="如“未报送”“事实表未审核”")


class Conflict(_Model):
    unit: str = Field(max_length=60)
    label: str | None = Field(None, max_length=80, description="指标名称")
    value: float | None = None
    measure: str | None = Field(None, max_length=12, description="该单位填的计量单位")
    expected: str | None = Field(None, max_length=12, description="合计所用的计量单位")
    reason: str = Field(max_length=200)


class LeftOut(_Model):
    label: str = Field(max_length=80)
    reason: str = Field(max_length=200)


class Proposal(_Model):
    """A near-match: a metric some units report under a label close to another's, for the clerk to confirm."""

    label: str = Field(max_length=80, description="单位填的指标名称")
    measure: str = Field(max_length=12)
    units: list[str] = Field(default_factory=list)
    into: str = Field(max_length=80, description="建议并入的指标名称")
    into_key: str = Field(max_length=120, description="并入指标的匹配键")
    similarity: float = 0.0


class RollupInfo(_Model):
    """How a federation's sheet was rolled up from its units' sheets (``zongjie.rollup``)."""

    scope: Literal["direct", "all"] = Field("all", description="direct 直属下级 / all 全部层级")
    included: list[IncludedUnit] = Field(default_factory=list)
    missing: list[MissingUnit] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    made_at: str | None = Field(None, max_length=32)


class BaseSummary(_Model):
    """The past summary a sheet continues (its 底稿): a knowledge-base document, named as it was when linked so the
    link reads the same when the document is gone; ``file_hash`` and ``piece`` find it again after a re-import."""

    doc_id: str = Field(max_length=64, description="资料库中那篇总结的编号")
    file_hash: str = Field("", max_length=64)
    piece: int = Field(1, ge=1)
    title: str = Field("", max_length=200, description="标题")
    unit_name: str | None = Field(None, max_length=120, description="总结里写的单位名称")
    year: int | None = None


Theme = Annotated[str, Field(max_length=THEME_CHARS)]
SourceKey = Annotated[str, Field(max_length=64)]
SourceText = Annotated[str, Field(max_length=SOURCE_CHARS)]


class FactSheet(_Model):
    unit: Unit
    period: PeriodInfo
    leadership: str | None = Field(None, max_length=120, description="在谁的领导下，如“县委和市总工会”")
    themes: list[Theme] = Field(default_factory=list, max_length=MAX_ITEMS["themes"], description="年度主题、中心工作")
    metrics: list[Metric] = Field(default_factory=list, max_length=MAX_ITEMS["metrics"])
    sections: list[SectionWork] = Field(
        default_factory=list, max_length=MAX_ITEMS["sections"], description="各章节的工作要点"
    )
    activities: list[Activity] = Field(default_factory=list, max_length=MAX_ITEMS["activities"])
    honours: list[Honour] = Field(default_factory=list, max_length=MAX_ITEMS["honours"])
    problems: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS["problems"])
    plans: list[Item] = Field(default_factory=list, max_length=MAX_ITEMS["plans"])
    last_year_plans: list[LastYearPlan] = Field(
        default_factory=list,
        max_length=MAX_ITEMS["problems"] + MAX_ITEMS["plans"],
        description="去年的打算和问题（待勾选）：完成的写成本年要点，未完成的列为问题或打算；起草不使用",
    )
    signature: Signature | None = Field(None, description="落款")
    rollup: RollupInfo | None = Field(None, description="由下级单位事实表汇总而来时：纳入、缺报和冲突的单位")
    base: BaseSummary | None = Field(None, description="底稿：续写的往年总结（从往年总结开始时记录）")
    sources: dict[SourceKey, SourceText] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["sources"],
        description="出处：条目编号 → 它来自的往年总结原句（从往年总结开始时记录，供核对）",
    )

    @model_validator(mode="before")
    @classmethod
    def _generate_ids(cls, data: object) -> object:
        """Ids are generated where missing (clerks never type them)."""
        if isinstance(data, dict):  # a copy (its size is bounded where it was parsed: bounded.py)
            data = fill_ids(cast(dict[str, Any], _plain_copy(data)))
        return data

    @model_validator(mode="after")
    def _unique_ids(self) -> FactSheet:
        seen: set[str] = set()
        for fid in self.all_ids():
            if fid in seen:
                raise ValueError(f"duplicate id {fid!r}")
            seen.add(fid)
        return self

    def all_ids(self) -> list[str]:
        ids = [m.id for m in self.metrics]
        for a in self.activities:
            ids.append(a.id)
            ids.extend(m.id for m in a.outcomes)
        ids += [h.id for h in self.honours] + [p.id for p in self.problems] + [p.id for p in self.plans]
        ids += [n.id for s in self.sections for n in s.notes] + [p.id for p in self.last_year_plans]
        return ids

    def all_metrics(self) -> list[Metric]:
        """Every figure: top-level metrics and activity outcomes."""
        return self.metrics + [m for a in self.activities for m in a.outcomes]

    def all_notes(self) -> list[tuple[str, Note]]:
        """Every work note with the title of its section."""
        return [(s.title, n) for s in self.sections for n in s.notes]

    def blank_metrics(self) -> list[Metric]:
        """Metrics whose value is still to be filled in (a sheet copied to a new period); drafting refuses them."""
        return [m for m in self.all_metrics() if m.value is None]

    def require_values(self) -> None:
        """Raise ``FactSheetError`` naming every metric still without a value (drafting never writes a blank or 0)."""
        blank = self.blank_metrics()
        if blank:
            names = "、".join(m.label for m in blank[:12]) + ("等" if len(blank) > 12 else "")
            raise FactSheetError(
                [
                    Problem(
                        path="metrics",
                        path_zh="指标",
                        message_zh=f"还有 {len(blank)} 项指标没有填写本期数值：{names}。请填上后再起草（不要填 0）。",
                        message_en=f"{len(blank)} metrics have no value yet: " + ", ".join(m.id for m in blank),
                    )
                ]
            )


FIELD_NAMES_ZH = {
    "base": "底稿",
    "doc_id": "总结编号",
    "unit": "单位",
    "name": "名称",
    "type": "单位类型",
    "superior": "上级单位",
    "period": "时段",
    "year": "年度",
    "kind": "时段类型",
    "leadership": "领导机关",
    "themes": "年度主题",
    "metrics": "指标",
    "id": "编号",
    "label": "指标名称",
    "value": "数值",
    "section": "章节",
    "approximate": "约数",
    "activities": "活动",
    "title": "名称",
    "date": "日期",
    "participants": "参加对象",
    "outcomes": "成果",
    "honours": "荣誉",
    "awarded_by": "授予单位",
    "problems": "存在问题",
    "plans": "工作打算",
    "text": "内容",
    "prior": "上年同期",
    "target": "目标值",
    "description": "活动情况",
    "sections": "工作要点",
    "notes": "要点",
    "signature": "落款",
    "sources": "出处",
    "indicator": "指标代码",
    "parts": "构成",
    "not_included": "未含单位",
    "formula": "计算公式",
    "rollup": "汇总情况",
    "carried": "沿用去年",
    "last_year_plans": "去年的打算",
}
_MESSAGES_ZH = {
    "missing": "必填项，不能为空",
    "extra_forbidden": "不认识的字段，请检查拼写",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "too_long": "条目太多",
    "string_pattern_mismatch": "格式不对：编号须以字母开头，只含字母、数字、下划线、点或短横线",
    "literal_error": "取值不在可选范围内",
    "float_parsing": "应填写数字",
    "float_type": "应填写数字",
    "int_parsing": "应填写整数",
    "int_type": "应填写整数",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "list_type": "应为列表",
    "model_type": "格式不对，应为若干字段组成的对象",
    "dict_type": "格式不对，应为若干字段组成的对象",
    "bool_parsing": "应填写是或否",
}


class Problem(BaseModel):
    path: str  # e.g. metrics[2].value
    path_zh: str  # e.g. 指标第3项 › 数值
    message_zh: str
    message_en: str


class FactSheetError(Exception):
    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        self.source = source
        super().__init__("; ".join(f"{p.path}: {p.message_en}" for p in problems))


def _path(loc: tuple[int | str, ...]) -> tuple[str, str]:
    en, zh = "", []
    for part in loc:
        if isinstance(part, int):
            en += f"[{part}]"
            zh.append(f"第{part + 1}项")
        else:
            en += ("." if en else "") + str(part)
            zh.append(FIELD_NAMES_ZH.get(str(part), str(part)))
    return en or "(root)", " › ".join(zh) or "整个文件"


def _with_limit(err: ErrorDetails) -> str | None:
    """The message with the limit that was crossed, e.g. 内容太长（最多 120 字）."""
    ctx = err.get("ctx") or {}
    templates = {
        "string_too_long": ("max_length", "内容太长（最多 {} 字）"),
        "too_long": ("max_length", "条目太多（最多 {} 项）"),
        "string_too_short": ("min_length", "内容太短（至少 {} 字）"),
        "greater_than_equal": ("ge", "数值太小（不能小于 {}）"),
        "less_than_equal": ("le", "数值太大（不能大于 {}）"),
    }
    if err["type"] == "string_too_short" and not str(err.get("input") or "").strip():
        return "必须填写"  # empty is not short: it is missing
    if err["type"] == "too_many_digits":
        return f"数字太长：小数最多 {ctx.get('max_digits')} 位有效数字"
    if err["type"] in templates and templates[err["type"]][0] in ctx:
        key, text = templates[err["type"]]
        return text.format(ctx[key])
    return None


def problems_from(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        en, zh = _path(tuple(err["loc"]))
        msg_zh = _with_limit(err) or _MESSAGES_ZH.get(err["type"])
        if msg_zh is None:
            text = str(err.get("msg", ""))
            if "duplicate id" in text:
                msg_zh = "编号重复：" + text.split("duplicate id", 1)[1].strip()
            elif "date must be" in text or err["type"].startswith("date"):
                msg_zh = "日期格式应为 年-月-日，如 2024-03-08"
            else:
                msg_zh = "填写有误"
        out.append(Problem(path=en, path_zh=zh, message_zh=msg_zh, message_en=str(err["msg"])))
    return out


def parse_fact_sheet(data: object, source: str = "") -> FactSheet:
    try:
        return FactSheet.model_validate(data)
    except ValidationError as exc:
        raise FactSheetError(problems_from(exc), source) from None


def load_fact_sheet(path: Path) -> FactSheet:
    """Load a fact sheet from .yaml/.yml/.json; raises FactSheetError with located, user-readable problems."""
    text = path.read_text(encoding="utf-8")
    try:
        data = parse_structured(text, "json" if path.suffix.lower() == ".json" else "yaml")
    except TooComplex as exc:
        raise FactSheetError(
            [Problem(path="(file)", path_zh="整个文件", message_zh=str(exc), message_en=f"{path.name}: too complex")],
            str(path),
        ) from None
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FactSheetError(
            [
                Problem(
                    path="(file)",
                    path_zh="整个文件",
                    message_zh="文件格式有误，无法解析",
                    message_en=f"cannot parse {path.name}: {exc}",
                )
            ],
            str(path),
        ) from None
    return parse_fact_sheet(data, str(path))


FACT_KINDS = Literal["metric", "activity", "honour", "problem", "plan", "note"]
