"""Fact sheets of any number of sections, for tests and benchmarks of drafting at real size.

``sheet_with_sections(n)`` is a township union's annual sheet whose clerk wrote an outline of ``n`` numbered work
sections (一、 … 四十、), each with one work note carrying two figures: the planner keeps the outline as given, so a
draft has exactly ``n`` body sections plus its opening and closing. Every text is invented for the project.
"""

from __future__ import annotations

from ..factsheets.model import FactSheet

_TOPICS = [
    "基层组织建设",
    "会员发展",
    "职工之家建设",
    "劳动竞赛",
    "职工技能培训",
    "困难职工帮扶",
    "女职工工作",
    "职工文化活动",
    "劳动法律监督",
    "工资集体协商",
    "安全生产监督",
    "工会经费管理",
    "思想政治引领",
    "职工疗休养",
    "户外劳动者服务",
    "农民工服务",
    "金秋助学",
    "职工医疗互助",
    "先进典型选树",
    "民主管理",
    "新就业形态建会",
    "职工书屋建设",
    "心理健康服务",
    "工会干部培训",
    "网上工会建设",
    "劳模工匠服务",
    "职工创新工作室",
    "青年职工工作",
    "退休职工联络",
    "志愿服务",
    "普法宣传",
    "劳动争议调解",
    "职工体检",
    "婚恋交友服务",
    "子女托管服务",
    "爱心驿站运营",
    "结对帮扶",
    "企业走访",
    "工会宣传阵地",
    "财务审查监督",
]
_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 40 → 四十 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "") if n else "零"


def sheet_with_sections(n: int, year: int = 2025) -> FactSheet:
    if not 1 <= n <= len(_TOPICS):
        raise ValueError(f"1 to {len(_TOPICS)} sections")
    sections = [
        {
            "title": f"{chinese_ordinal(i + 1)}、{topic}",
            "notes": [{"id": f"w{i + 1}", "text": f"围绕{topic}开展专项活动{i + 3}次，覆盖职工{120 + 10 * i}人次"}],
        }
        for i, topic in enumerate(_TOPICS[:n])
    ]
    return FactSheet.model_validate(
        {
            "unit": {"name": "柳溪镇工会", "type": "township", "superior": "临溪县总工会"},
            "period": {"year": year, "kind": "annual"},
            "leadership": "镇党委和县总工会",
            "themes": ["服务职工"],
            "sections": sections,
        }
    )
