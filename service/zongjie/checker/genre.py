"""Figures of the genre that are not claims: size thresholds, durations, ages and programme names.

「重点抓好20人以上企业」 names a kind of enterprise; 「两年内」「今后五年」「连续三年」「三年来」
measure time; 「三年行动计划」 names a programme; 「24小时服务热线」 describes a service; 「每季度召开1次」
is a regime, 「每户扶贫3000元」 a quota, 「主要做法有三条：」 counts the items that follow, 「55周年」 is an
anniversary. None of them says how much work was done, so none needs a fact. ``not_a_claim(mention, before,
after)`` returns why a figure is exempt (shown to editors), or None. ``before`` is the sentence text up to
the figure, ``after`` the sentence text following it.
"""

from __future__ import annotations

import re

from ..numbers import Mention

# What a headcount or amount qualifies when it is a size threshold: 20人以上企业, 100人以下的小微企业.
_THRESHOLD_NOUN = (
    r"(?:及?以上|及?以下|以内|规模)?(?:的)?(?:规模以上|小微|非公|中小|民营|国有|私营)?"
    r"(?:企业|单位|公司|用人单位|非公企业|工地|项目|班组|车间|园区|楼宇|商户|门店|网点|学校|医院|机构|组织|规模)"
)
_THRESHOLD_UNITS = {"人", "元", "平方米", "户", "家"}
_AGE_BEFORE = re.compile(r"(?:年满|满|不满|超过|未满|年龄在|年龄|以上的|以下的)$")
_AGE_AFTER = re.compile(r"^(?:周岁|及?以上|及?以下|以内|左右|的)")
_DURATION_UNITS = {"年", "个月", "天", "周", "小时", "分钟"}
_DURATION_BEFORE = re.compile(
    r"(?:(?:今后|未来|过去|此后|最近)的?|连续|近|这|长达|历时|坚持|前|后|每|多|之后|以来|再用|用|经过|经|在|满|不满|未满|超过)$"
)
# 主要做法有三条：一是… / 做到四个结合，即… / 重点在六个方面：: a count of the items listed next
_ENUMERATION_AFTER = re.compile(r"^(?:[^，,。；;：:]{0,6}(?:：|:|，即|,即|即)|方面)")
_ENUMERATION_UNITS = {"个", "项", "条", "点", "类", "种", "句"}
# 每组负责1至2个县 / 每户扶贫3000元: a quota per unit, not a total of work done
_QUOTA_BEFORE = re.compile(r"每(?:组|人|户|村|个|名|家|位|所|校|企业|单位|支|队)[^，,。；;]{0,6}$")
# a regime, not a count of work done: 每季度召开1次联席会议, 每月至少开展2次
_REGIME = re.compile(r"每(?:个)?(?:月|季度|季|年|周|半年|星期|学期|年度)[^，,。；;]{0,10}$")
_REGIME_UNITS = {"次", "期", "场", "回"}
_DURATION_AFTER = re.compile(r"^(?:多|来|以来|内|以内|之内|间|中|里|期间|后|之后|时间|左右|多来|不间断|如一日)")
_WORKDAYS = re.compile(r"^(?:工作日|个工作日|个?自然日|个?小时)(?:之?内|以内)")
_PROGRAMME = re.compile(r"^(?:行动|规划|计划|攻坚|工程|专项|行动计划|提升行动|发展规划|发展战略|战略|纲要)")
_SERVICE = re.compile(r"^(?:服务|热线|值班|值守|在线|畅通|全天候|不打烊|响应)")


def not_a_claim(m: Mention, before: str, after: str) -> str | None:
    unit = m.unit
    if unit in _THRESHOLD_UNITS and re.match(_THRESHOLD_NOUN, after) and _qualifies(m, after):
        return "规模门槛用语，不是工作数字"
    if unit == "岁" and (_AGE_BEFORE.search(before) or m.approx or _AGE_AFTER.match(after)):
        return "年龄条件用语，不是工作数字"
    if unit in _DURATION_UNITS:
        if _DURATION_BEFORE.search(before) or _DURATION_AFTER.match(after):
            return "时间跨度用语"
        if _PROGRAMME.match(after):
            return "规划名称中的年限"
        if unit in ("小时", "天") and _SERVICE.match(after):
            return "服务时间用语"
    if unit == "个" and _WORKDAYS.match(after):
        return "时限用语"
    if unit in _REGIME_UNITS and m.value is not None and m.value <= 4 and _REGIME.search(before):
        return "工作制度用语（每月、每季度…），不是工作数字"
    if unit == "周年":
        return "纪念周年"
    if unit in _ENUMERATION_UNITS and m.value is not None and m.value <= 12 and _ENUMERATION_AFTER.match(after):
        return "列举的条目数"
    if _QUOTA_BEFORE.search(before):
        return "每个单位的定额（每组、每户…），不是工作总数"
    return None


def _qualifies(m: Mention, after: str) -> bool:
    """20人以上企业 / 100人以下的企业 / 20人企业: a threshold when it is open-ended or directly names the entity."""
    if m.approx is not None or m.text.endswith(("以上", "以下")):
        return True
    return bool(re.match(r"(?:及?以上|及?以下|以内|规模)", after))
