"""The indicator list (统计指标) a federation publishes for a period, and the blank sheets its units start from.

An indicator has a key (kept by every metric filled from it, so the roll-up matches by key, not by wording), a
label, a unit of measure, a section, whether it may be summed, and for a rate its numerator and denominator
indicators (the rolled rate is recomputed from their totals, never summed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..corpus.document import Period
from ..factsheets.model import FactSheetError, Problem, Unit, problems_from
from ..numbers.units import split_scale

_KEY_RE = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
# Units of measure whose values never add up: a share, a change, a multiple, an age.
NOT_SUMMABLE_UNITS = frozenset({"%", "个百分点", "倍", "岁"})


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = Field(pattern=_KEY_RE, description="指标代码，如 new_members；各单位按清单填报的指标都带上它")
    label: str = Field(min_length=1, max_length=80, description="指标名称")
    unit: str = Field(min_length=1, max_length=12, description="计量单位")
    section: str | None = Field(None, max_length=40, description="建议放入的章节")
    summable: bool = Field(True, description="能否相加；比率、平均数等填 false")
    numerator: str | None = Field(None, pattern=_KEY_RE, description="比率的分子指标代码")
    denominator: str | None = Field(None, pattern=_KEY_RE, description="比率的分母指标代码")
    help: str | None = Field(None, max_length=200, description="填报说明")

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None and self.denominator is not None

    @property
    def may_sum(self) -> bool:
        return self.summable and not self.is_rate and split_scale(self.unit)[1] not in NOT_SUMMABLE_UNITS


class IndicatorList(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    unit: str = Field(min_length=2, max_length=60, description="发布清单的单位")
    year: int = Field(ge=1949, le=2100)
    period: Period = "annual"
    indicators: list[Indicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorList:
        keys = [i.key for i in self.indicators]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"指标代码重复：{'、'.join(dup)}")
        for i in self.indicators:
            if (i.numerator is None) != (i.denominator is None):
                raise ValueError(f"比率“{i.label}”须同时给出分子和分母")
            for ref in (i.numerator, i.denominator):
                if ref is not None and ref not in keys:
                    raise ValueError(f"比率“{i.label}”的分子或分母“{ref}”不在清单中")
        return self

    def get(self, key: str) -> Indicator | None:
        return self._by_key().get(key)

    def _by_key(self) -> dict[str, Indicator]:
        cached = self.__dict__.get("_index")
        if cached is None or len(cached) != len(self.indicators):
            cached = {i.key: i for i in self.indicators}
            object.__setattr__(self, "_index", cached)  # not a field: a look-up table built on first use
        return cached

    def blank_sheet(self, unit: Unit) -> dict[str, Any]:
        """The data of a fact sheet for ``unit`` started from this list: every indicator a metric to fill in."""
        return {
            "unit": unit.model_dump(exclude_none=True),
            "period": {"year": self.year, "kind": self.period},
            "metrics": [
                {
                    "id": i.key,
                    "indicator": i.key,
                    "label": i.label,
                    "value": None,
                    "unit": i.unit,
                    **({"section": i.section} if i.section else {}),
                }
                for i in self.indicators
            ],
        }


def parse_indicator_list(data: object, source: str = "") -> IndicatorList:
    try:
        return IndicatorList.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc)
        for pr in problems:  # the list's own checks say what is wrong in Chinese already
            if pr.message_en.startswith("Value error, "):
                pr.message_zh = pr.message_en.removeprefix("Value error, ")
        raise FactSheetError(problems, source) from None


def load_indicator_list(path: Path) -> IndicatorList:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problem = Problem(path="(file)", path_zh="整个文件", message_zh="文件格式有误，无法解析", message_en=str(exc))
        raise FactSheetError([problem], str(path)) from None
    return parse_indicator_list(data, str(path))
