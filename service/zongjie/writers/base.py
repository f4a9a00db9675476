"""What a section writer gets: the section's heading and role, its facts, and the exemplars retrieved for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checker.exemplars import Exemplar
from ..corpus.document import PERIOD_LABELS, UNIT_TYPE_LABELS
from ..factsheets.model import Activity, FactSheet, Honour, Item, Metric, Note, date_parts, format_value


def date_zh(date: str | None, with_year: bool = False) -> str:
    """'2025-05-01' → '5月1日'; '2025-09' → '9月'; '2025' → '' (the period's year is implied)."""
    if not date:
        return ""
    year, month, day = date_parts(date)
    out = f"{year}年" if with_year else ""
    if month is not None:
        out += f"{month}月"
    if day is not None:
        out += f"{day}日"
    return out


def filled(m: Metric) -> str:
    """A figure's value as written. A blank value (a sheet copied to the next period) is never drafted: drafting
    refuses such a sheet first (``FactSheet.require_values``), so reaching one here is a caller's error."""
    if m.value is None:
        raise ValueError(f"指标「{m.label}」尚未填写数值，请先在事实表中填上")
    return format_value(m.value)


def metric_phrase(m: Metric) -> str:
    """How a figure is written: 新建企业工会9家; 建会率达到95%; 义诊服务群众约1500人次."""
    value = ("约" if m.approximate else "") + filled(m)
    if m.unit in ("%", "％"):
        return f"{m.label}达到{value}%"
    if m.label.endswith(("人数", "总数", "数量", "规模", "总额", "总量")):
        return f"{m.label}达到{value}{m.unit}"
    return f"{m.label}{value}{m.unit}"


def note_text(n: Note) -> str:
    """A note as the draft tells it: a unit's 典型经验 picked in a roll-up opens with its name, 「如东坪镇工会……」."""
    if not n.unit or n.unit in n.text[: len(n.unit) + 4]:
        return n.text
    text = n.text
    for k in range(len(n.unit) - 2):  # the unit naming itself short (乡工会把…, 公司工会…) gives way to its name
        short = n.unit[k:]
        if short.endswith("工会") and text.startswith(short):
            text = text[len(short) :].lstrip("，,")
            break
    return f"如{n.unit}{text}"


def rollup_remark(sheet: FactSheet) -> str:
    """What a rolled-up sheet's totals leave out, said once in the opening: 「本总结的统计数据由下级单位事实表汇总，
    未含白沙镇工会（未报送）。」 and, for a total that lacks a unit of its own (a conflicting unit of measure),
    「其中“…”未含…」. No figure is written (the checker would have nothing to bind it to)."""
    if sheet.rollup is None:
        return ""
    missing = [m.unit for m in sheet.rollup.missing]
    text = "本总结的统计数据由下级单位事实表汇总"
    if missing:
        text += "，未含" + "、".join(f"{m.unit}（{m.reason}）" for m in sheet.rollup.missing)
    extra = []
    for m in sheet.metrics:
        own = [u for u in m.not_included if u not in missing]
        if own:
            extra.append(f"“{m.label}”未含{'、'.join(own)}")
    if extra:
        text += "；其中" + "，".join(extra)
    return text + "。"


def with_rollup_remark(opening: str, sheet: FactSheet) -> str:
    """The opening with ``rollup_remark`` before its 「现将…如下：」 (else at its end)."""
    remark = rollup_remark(sheet)
    at = opening.rfind("现将")
    return opening[:at] + remark + opening[at:] if remark and at > 0 else opening + remark


@dataclass
class SectionFacts:
    sheet: FactSheet
    metrics: list[Metric] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    honours: list[Honour] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # problems or plans
    notes: list[Note] = field(default_factory=list)  # work notes, in the order the clerk wrote them

    @classmethod
    def select(cls, sheet: FactSheet, ids: list[str]) -> SectionFacts:
        wanted = set(ids)
        out = cls(sheet)
        out.metrics = [m for m in sheet.metrics if m.id in wanted]
        out.activities = [a for a in sheet.activities if a.id in wanted or any(o.id in wanted for o in a.outcomes)]
        out.honours = [h for h in sheet.honours if h.id in wanted]
        out.items = [i for i in sheet.problems + sheet.plans if i.id in wanted]
        out.notes = [n for _, n in sheet.all_notes() if n.id in wanted]
        return out

    @property
    def problems(self) -> list[Item]:
        ids = {p.id for p in self.sheet.problems}
        return [i for i in self.items if i.id in ids]

    @property
    def plans(self) -> list[Item]:
        ids = {p.id for p in self.sheet.plans}
        return [i for i in self.items if i.id in ids]

    def ids(self) -> list[str]:
        ids = [m.id for m in self.metrics]
        for a in self.activities:
            ids += [a.id] + [o.id for o in a.outcomes]
        return ids + [h.id for h in self.honours] + [i.id for i in self.items] + [n.id for n in self.notes]

    def statements(self, only: set[str] | None = None) -> list[tuple[str, str]]:
        """(fact id, the fact in words) per fact; an activity's outcomes ride on its statement."""
        out = []
        for m in self.metrics:
            if only is None or m.id in only:
                out.append((m.id, f"{m.label}：{filled(m)}{m.unit}{'（约数）' if m.approximate else ''}"))
        for a in self.activities:
            if only is None or a.id in only or any(o.id in only for o in a.outcomes):
                when = date_zh(a.date)
                text = f"{when + ' ' if when else ''}{a.title}"
                if a.participants:
                    text += f"（参加对象：{a.participants}）"
                if a.description:
                    text += f"：{a.description}"
                for o in a.outcomes:
                    text += f"；{o.label}：{filled(o)}{o.unit}{'（约数）' if o.approximate else ''}"
                out.append((a.id, text))
        for h in self.honours:
            if only is None or h.id in only:
                when = date_zh(h.date)
                text = f"{when + ' ' if when else ''}荣获“{h.title}”" + (
                    f"（{h.awarded_by}授予）" if h.awarded_by else ""
                )
                out.append((h.id, text))
        for i in self.items:
            if only is None or i.id in only:
                out.append((i.id, i.text))
        for n in self.notes:
            if only is None or n.id in only:
                out.append((n.id, f"工作要点：{note_text(n)}"))
        return out

    def lines(self, only: set[str] | None = None) -> list[str]:
        """One ``- [id] …`` line per fact, the form the prompts use."""
        return [f"- [{fact_id}] {text}" for fact_id, text in self.statements(only)]


_OWN_ITEMS_ROLES = ("problems", "plans", "closing")


@dataclass
class SectionTask:
    """One section to write."""

    key: str
    heading: str
    role: str  # body | problems | plans | closing (problems and plans in one section) | opening | ending (the frame)
    facts: SectionFacts
    exemplars: list[Exemplar] = field(default_factory=list)
    prior: str | None = None  # this section in the unit's own last summary: the text to update
    target_chars: int | None = None  # how long the section should be (the model section's length)
    prior_year: int | None = None  # the year of the unit's own summary ``prior`` comes from (the frame moves it on)
    outline: list[str] = field(default_factory=list)  # the body's headings (what an opening sums up)
    position: int = 0  # the section's place among the body sections (varies how sections open and link)

    def prompt_values(self) -> dict:
        sheet = self.facts.sheet
        return {
            "unit_name": sheet.unit.name,
            "unit_type_label": UNIT_TYPE_LABELS.get(sheet.unit.type, ""),
            "period_label": f"{sheet.period.year}年"
            + ("" if sheet.period.kind == "annual" else PERIOD_LABELS[sheet.period.kind]),
            "leadership": sheet.leadership or "",
            "heading": self.heading,
            "fact_lines": self.facts.lines(),
            "exemplars": self.exemplars,
            # last year's problems and plans are not shown: this year's come from the sheet
            "prior": (self.prior or "") if self.role not in _OWN_ITEMS_ROLES else "",
            "target_chars": self.target_chars or 0,
            "role": self.role,
            "themes": sheet.themes,
            "outline": self.outline,
            "whole_label": {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}[sheet.period.kind],
            "next_label": f"{sheet.period.year + 1}年" if sheet.period.kind != "first_half" else "下半年",
        }
