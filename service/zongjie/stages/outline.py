"""The outline model shared by the planners: topics and the outline config, planned sections and the plan.

``OutlineConfig`` is read from ``knowledge/outlines.yaml`` (topics with their house-style heading and keywords,
a fallback order per unit type); ``Plan`` is what every planner returns (``plan.py``, ``plan_own.py``,
``plan_sheet.py``) and what the draft stage writes from.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from ..common.paths import KNOWLEDGE_DIR
from ..factsheets.model import FactSheet

DEFAULT_OUTLINES = KNOWLEDGE_DIR / "outlines.yaml"


class Topic(BaseModel):
    heading: str
    keywords: list[str]


class OutlineConfig(BaseModel):
    topics: dict[str, Topic]
    fallback: dict[str, list[str]]
    min_learned: int = 2

    def classify(self, text: str, allow: set[str] | None = None) -> str | None:
        """The topic whose keywords cover most of ``text`` (longest keyword wins ties), or None."""
        best, best_score = None, 0.0
        for name, topic in self.topics.items():
            if allow is not None and name not in allow:
                continue
            hits = [k for k in topic.keywords if k in text]
            if hits:
                score = len(hits) + max(len(k) for k in hits) / 10
                if score > best_score:
                    best, best_score = name, score
        return best


@lru_cache(maxsize=4)
def load_outline_config(path: Path = DEFAULT_OUTLINES) -> OutlineConfig:
    return OutlineConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class PlannedSection(BaseModel):
    key: str  # topic name, or topic/hint for second-level sections (own outline: o1, o1.2 …)
    heading: str
    role: Literal["body", "problems", "plans", "closing"] = "body"  # closing: problems and plans in one section
    fact_ids: list[str] = Field(default_factory=list)
    children: list[PlannedSection] = Field(default_factory=list)
    target_chars: int | None = None  # the length the model section had (own summary or peers' median)
    prior: str | None = None  # this section's text in the unit's own last summary (update mode)
    inline_title: bool = False  # the heading opens the paragraph (“（一）开好职工代表大会。……”) as the model did

    def all_fact_ids(self) -> list[str]:
        return self.fact_ids + [f for c in self.children for f in c.all_fact_ids()]

    def leaves(self) -> list[PlannedSection]:
        return [self] if not self.children else [leaf for c in self.children for leaf in c.leaves()]

    def written(self) -> list[PlannedSection]:
        """The sections that get text, in reading order: a section with facts of its own (before its subsections,
        which it opens), then its subsections; a section without children always."""
        own = [self] if self.fact_ids or not self.children else []
        return own + [w for c in self.children for w in c.written()]


class BaseUsed(BaseModel):
    """Which past summary of the unit a draft followed (``linked``: the sheet's 底稿; ``matched``: found by its
    normalised unit name, to be confirmed), or ``none`` and why — shown on the draft page and by the CLI."""

    how: Literal["linked", "matched", "none", ""] = ""  # "" in drafts made before this was recorded
    note: str = ""
    doc_id: str | None = None
    title: str | None = None


class Plan(BaseModel):
    title: str
    sections: list[PlannedSection]
    outline_source: Literal["own", "sheet", "learned", "fallback"]
    learned_from: list[str] = Field(default_factory=list)  # document titles
    opening_prior: str | None = None  # the opening paragraph of the unit's own last summary
    closing_prior: str | None = None
    prior_year: int | None = None  # the year of that summary
    base: BaseUsed = Field(default_factory=lambda: BaseUsed())  # which past summary was followed, or why none
    own_docs: list[str] = Field(default_factory=list)  # the unit's own documents: never exemplars

    def leaves(self) -> list[PlannedSection]:
        return [leaf for s in self.sections for leaf in s.leaves()]

    def written(self) -> list[PlannedSection]:
        """Every section that gets text (``PlannedSection.written``), in reading order."""
        return [w for s in self.sections for w in s.written()]


PERIOD_TITLE = {
    "annual": "{year}年工作总结",
    "first_half": "{year}年上半年工作总结",
    "second_half": "{year}年下半年工作总结",
}


def title_for(sheet: FactSheet) -> str:
    return sheet.unit.name + PERIOD_TITLE[sheet.period.kind].format(year=sheet.period.year)


def plans_heading(sheet: FactSheet, config: OutlineConfig) -> str:
    if sheet.period.kind == "annual":
        return f"{sheet.period.year + 1}年工作打算"
    if sheet.period.kind == "first_half":
        return "下半年工作打算"
    return config.topics["plans"].heading


def closing_sections(sheet: FactSheet, config: OutlineConfig) -> list[PlannedSection]:
    """The problems and plans sections that end an outline, for the facts the sheet has."""
    out = []
    if sheet.problems:
        out.append(
            PlannedSection(
                key="problems",
                heading=config.topics["problems"].heading,
                role="problems",
                fact_ids=[p.id for p in sheet.problems],
            )
        )
    if sheet.plans:
        out.append(
            PlannedSection(
                key="plans", heading=plans_heading(sheet, config), role="plans", fact_ids=[p.id for p in sheet.plans]
            )
        )
    return out
