"""Decide, for each figure in a draft, which fact supports it or why none does.

A quantity is first read for what it is: a figure of the genre that is no claim (a size threshold, a duration:
**exempt**, see ``genre``), a change against last year (同比增长6.7%, 比上年增加20人, 提高2个百分点: checked by
``yoy`` against the metric it refers to — **derived** when right, **yoy_wrong** when not), a value presented as last
year's (去年300人, 由300人增至…: must equal the metric's prior value) or this period's value. For the last:

1. Only facts with a compatible unit can support it (unit before wording: a figure whose value and unit match a
   fact is never reported wrong because a fact in another, non-confusable unit is worded better).
2. Among those whose value matches (exactly, within the rounding policy, or inside the figure's range; an
   open-ended fact such as 「300人以上」 supports only its own figure), this period's facts come first; a figure
   equal to the **prior** value of the metric its words name is **stale** (沿用去年数字); a figure found only in a
   plan, target or problem is supported only where the draft looks forward (the plans/problems part, or a
   sentence that speaks of the future or of a shortcoming) and is otherwise **plan_as_done**.
3. If the words around a matching figure name another compatible fact clearly better, it is **misattributed**.
4. With no match: a figure whose words name a fact is a **wrong value** (or unsupported when that fact's value is
   still blank); one introduced by 共/合计/占/增长… that equals a sum, difference or share of facts is **derived**;
   one equal to a figure in the exemplars is **leaked**; anything else is **unsupported**.

Contract: ``FigureChecker(index, policy, exemplar_figures).check(text, mentions, default_part, spans)`` returns one
``Finding`` per mention, in order. The words read around each figure come from ``figure_context``, value matching
and the ``CheckPolicy`` from ``matching``, sums, differences and shares from ``derive``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TypedDict

from ..numbers import Mention
from ..numbers.units import compatible
from .binding import is_aggregate, label_score
from .derive import derive
from .facts_index import FactFigure, FactIndex, label_hits, name_score
from .figure_context import Where, where_each
from .genre import not_a_claim
from .matching import CheckPolicy, confusable, same_value, value_matches
from .parts import Part, Parts, change_direction, draft_parts, forward, presentation, problem
from .report import Finding, Status
from .yoy import actual_change, change_matches, describe

_APPROX_BIND = 0.3
_STATED = 0.8  # share of a label's words in a figure's own clause that states the fact outright
# the figure itself is named as the target: 完成2000人的目标任务 / 目标为2000人
_TARGET_AFTER = re.compile(r"^(?:的)?(?:年度|全年)?(?:目标|任务|计划)")
_TARGET_BEFORE = re.compile(r"(?:目标|任务|计划)(?:数|值)?(?:为|是|定为)?$")
_STRONG_COMPARE = re.compile(r"同比|环比|同期|(?:较|比|与|和|同|对比|相比)(?:上年|去年|上一年|前一年|上年度|往年)")


class _Figure(TypedDict):
    """What every finding repeats of the figure it is about."""

    start: int
    end: int
    text: str
    kind: str
    value: float | None
    lo: float | None
    hi: float | None
    unit: str


@dataclass(slots=True)
class _Respectively:
    """「…分别增长7.9%和5.0%」: the metrics named before 分别 in the sentence, and how many changes took one."""

    sentence_start: int
    anchors: list[FactFigure]
    used: int = 0


class FigureChecker:
    def __init__(self, index: FactIndex, policy: CheckPolicy, exemplar_figures: list[tuple[Mention, str]]):
        self.index = index
        self.policy = policy
        self.exemplar_figures = exemplar_figures
        self._anchor: tuple[int, FactFigure] | None = None  # (sentence start, metric) the sentence speaks of
        self._anchors: tuple[int, list[FactFigure]] = (-1, [])  # every metric the sentence has named so far
        self._respectively: _Respectively | None = None  # after 分别
        self._respectively_direction = 0

    def check(
        self,
        text: str,
        mentions: list[Mention],
        default_part: Part = "body",
        spans: list[tuple[int, int, Part]] | None = None,
    ) -> list[Finding]:
        """One finding per mention. The part of the draft each figure stands in is read from the headings, or
        given as ``spans`` (start, end, part) by a caller that knows the sections."""
        parts: Parts = draft_parts(text, default_part, spans)
        self._anchor = None
        self._anchors = (-1, [])
        self._respectively = None
        self._respectively_direction = 0
        return [
            self._one(m, w) for m, w in zip(mentions, where_each(text, mentions, parts, self.index.year), strict=True)
        ]

    # ---------------------------------------------------------------- per kind
    def _one(self, m: Mention, w: Where) -> Finding:
        base = _Figure(start=m.start, end=m.end, text=m.text, kind=m.kind, value=m.value, lo=m.lo, hi=m.hi, unit=m.unit)
        if m.kind == "placeholder":
            return Finding(**base, status="placeholder", message="占位符未替换为真实内容")
        if m.kind == "period":
            return Finding(**base, status="exempt", message="时段用语")
        if m.kind == "date":
            return self._date(m, w.ctx, base)
        reason = not_a_claim(m, w.before, w.after)
        if reason:  # 历时四天 is no claim, unless the sheet records it
            level = self._level(m, w, base)
            return level if level.status == "supported" else Finding(**base, status="exempt", message=reason)
        shown, direction = presentation(w.before, w.after, w.local)
        if "分别" in w.local and self._anchors[0] == w.sentence_start and self._respectively is None:
            self._respectively = _Respectively(w.sentence_start, list(self._anchors[1]))
        if (
            self._respectively is not None
            and self._respectively.sentence_start == w.sentence_start
            and self._respectively.used > 0
            and re.fullmatch(r"\s*(?:和|、|及|与|，|,)\s*", w.local)
        ):
            shown, direction = "change", self._respectively_direction  # 分别增长7.9%和5.0%
        if shown == "level" and w.prior_year and not re.search(r"今年|本年|全年", w.local):
            shown = "prior"
        is_change = shown == "change" or m.unit == "个百分点" or (m.unit == "%" and m.relation == "by")
        if is_change or m.unit == "倍":
            direction = direction or change_direction(w.local)
            self._respectively_direction = direction
            change = self._change(m, w, base, direction)
            if change is not None:
                return change
        if shown == "prior":
            prior = self._prior(m, w, base)
            if prior is not None:
                return prior
        return self._level(m, w, base)

    def _date(self, m: Mention, ctx: str, base: _Figure) -> Finding:
        year = self.index.year
        if m.month is None:  # a year or a span of years
            years = [m.year] + ([m.year_end] if m.year_end else [])
            if all(y is not None and abs(y - year) <= self.policy.exempt_year_span for y in years):
                return Finding(**base, status="exempt", message="本期或相邻年度")
            for d in self.index.dates:
                if d.year in years:
                    return Finding(**base, status="supported", fact_id=d.fact_id, fact_label=d.label)
            return Finding(**base, status="unsupported", message="事实中没有这个年份")
        want_year = m.year or year
        candidates = [d for d in self.index.dates if d.month is not None]
        scored = sorted(((label_score(ctx, d.label), d) for d in candidates), key=lambda x: -x[0])
        matches = [
            (s, d)
            for s, d in scored
            if (d.year is None or d.year == want_year) and d.month == m.month and (m.day is None or d.day == m.day)
        ]
        if matches:
            s, d = matches[0]
            return Finding(**base, status="supported", fact_id=d.fact_id, fact_label=d.label)
        if scored and scored[0][0] >= self.policy.bind_min:
            s, d = scored[0]
            if d.month == m.month and d.day is None and m.day is not None:
                msg = f"事实只记到月份（{d.display}），草稿多写了日"
            else:
                msg = f"「{d.label}」的日期是 {d.display}"
            return Finding(
                **base, status="wrong_value", fact_id=d.fact_id, fact_label=d.label, expected=d.display, message=msg
            )
        return Finding(**base, status="unsupported", message="事实中没有这个日期")

    # ---------------------------------------------------------------- last year
    def _change_anchor(self, m: Mention, w: Where) -> FactFigure | None:
        """The metric a change refers to: the one the sentence's previous figure was bound to, else the metric the
        sentence names best."""
        respectively = self._respectively
        if respectively is not None and respectively.sentence_start == w.sentence_start:
            # 会员2320人、总数48620人，分别增长7.9%和5.0%: the i-th change belongs to the i-th figure
            if respectively.used < len(respectively.anchors):
                respectively.used += 1
                return respectively.anchors[respectively.used - 1]
        if self._anchor is not None and self._anchor[0] == w.sentence_start:
            return self._anchor[1]
        metrics = self.index.metric_figures()
        scored = [(name_score(w.before + w.after, f), f) for f in metrics]
        scored = [x for x in scored if x[0] >= self.policy.bind_min]
        return max(scored, key=lambda x: x[0])[1] if scored else None

    def _change(self, m: Mention, w: Where, base: _Figure, direction: int) -> Finding | None:
        anchor = self._change_anchor(m, w)
        strong = bool(_STRONG_COMPARE.search(w.before))
        if anchor is None:
            return None
        label = self._label(anchor)
        if anchor.blank:
            return self._about(base, "unsupported", anchor, f"「{label}」本期数值尚未填写，无法核对这个变化")
        computed = actual_change(m, anchor)
        if computed is None:
            if anchor.prior is None and strong:
                return self._about(base, "unsupported", anchor, f"事实表没有「{label}」的上年同期数，无法核对同比")
            if anchor.prior is not None and m.unit == "个百分点" and anchor.unit != "%":
                return self._about(base, "yoy_wrong", anchor, f"同比不符：「{label}」不是比率，变化不能用百分点表示")
            return None
        actual, how = computed
        if change_matches(m, actual, direction, self.policy.allow_rounding):
            return self._about(base, "derived", anchor, f"同比：{how}", derived_from=(anchor.fact_id,))
        level = self._level(m, w, base)  # a change the facts state themselves (a metric 会员增长率 8%)
        if level.status == "supported" and level.fact_id != anchor.fact_id:
            stating = next(f for f in self.index.figures if f.fact_id == level.fact_id)
            if name_score(w.ctx, stating) >= self.policy.bind_min:
                return level
        expected = describe(actual, m)
        return self._about(
            base,
            "yoy_wrong",
            anchor,
            f"同比不符：「{label}」{anchor.display}，上年同期 {self._prior_display(anchor)}，应为{expected}",
            expected=expected,
        )

    def _prior(self, m: Mention, w: Where, base: _Figure) -> Finding | None:
        """A figure presented as last year's must be the prior value of the metric it names."""
        ctx = w.before + w.after
        metrics = [f for f in self.index.metric_figures() if compatible(m.unit, f.unit)]
        scored = sorted(((name_score(ctx, f), f) for f in metrics), key=lambda x: -x[0])
        with_prior = [(s, f, f.prior) for s, f in scored if f.prior is not None]
        for s, f, prior in with_prior:
            if s >= self.policy.bind_min or len(with_prior) == 1:
                if (
                    m.value is not None
                    and same_value(m.value, prior)
                    or (m.approx is not None and (m.lo or -math.inf) <= prior <= (m.hi or math.inf))
                ):
                    return self._about(base, "supported", f, "上年同期数")
                if s >= self.policy.bind_min:
                    shown = self._prior_display(f)
                    return self._about(
                        base, "wrong_value", f, f"「{self._label(f)}」上年同期为 {shown}", expected=shown
                    )
            break
        if scored and scored[0][0] >= self.policy.bind_min and scored[0][1].prior is None:
            f = scored[0][1]
            return self._about(base, "unsupported", f, f"写的是上年的数，事实表没有「{self._label(f)}」的上年同期数")
        return None

    def _prior_display(self, f: FactFigure) -> str:
        for g in self.index.figures:
            if g.fact_id == f.fact_id and g.source == "prior":
                return g.display.removeprefix("上年同期 ")
        return "（未填写）"

    # ---------------------------------------------------------------- this period
    def _level(self, m: Mention, w: Where, base: _Figure) -> Finding:
        policy = self.policy
        ctx = w.ctx
        compat = self._compatible(m.unit)
        scores = {id(f): name_score(ctx, f) + (0.1 * label_score(ctx, f.context) if f.context else 0.0) for f in compat}

        def score(f: FactFigure) -> float:
            return scores[id(f)]

        # an approximation (80%以上, 四十余位) states a fact only where its words name it: a range holds many values
        matches = [
            f
            for f in compat
            if value_matches(m, f, policy) and (m.approx is None or score(f) >= _APPROX_BIND or f.approximate)
        ]
        current = [f for f in matches if f.current]
        conditional = [f for f in matches if f.source in ("plan", "target", "problem")]
        priors = [f for f in matches if f.source == "prior"]
        # the fact the words name: this period's facts (or a blank) first, plans and problems only failing those
        bound = max((f for f in compat if f.current or f.blank), key=score, default=None)
        if bound is None or score(bound) < policy.bind_min:
            named = max((f for f in compat if f.source in ("plan", "problem")), key=score, default=None)
            bound = named if named is not None and score(named) >= policy.bind_min else bound
        bound_score = score(bound) if bound is not None else 0.0
        # a metric named well enough wins over fact text restating it (a note 「走访困难职工120户」 and the metric)
        best = max(
            current,
            key=lambda f: (score(f) >= policy.bind_min, f.unit == m.unit, f.source in ("metric", "outcome"), score(f)),
            default=None,
        )
        best_score = score(best) if best is not None else -1.0

        stale = max(priors, key=score) if priors else None
        if stale is not None and not any(f.fact_id == stale.fact_id for f in current):
            is_named = score(stale) >= policy.bind_min or (
                best is None and stale.fact_id == getattr(bound, "fact_id", "")
            )
            if is_named and (best is None or score(stale) - best_score >= policy.bind_margin):
                return self._stale(m, stale, base)

        cond = max(conditional, key=score) if conditional else None
        if cond is not None and (best is None or score(cond) - best_score >= policy.bind_margin):
            return self._conditional(m, w, cond, base, bound if bound is not None and bound.current else None)

        if best is not None:
            found = self._supported(m, w, best, current, bound, base, scores)
            self._set_anchor(w, self._metric_of(found.fact_id) or best)
            return found
        if bound is not None and bound.blank and bound_score >= policy.bind_min:
            self._set_anchor(w, bound)
            return self._blank(base, bound)
        if is_aggregate(w.left):
            derived = derive(m, self.index, self.policy.derive_max_terms)
            if derived:
                ids, how = derived
                return Finding(**base, status="derived", derived_from=ids, message=how)
        named = bound if bound is not None and bound_score >= policy.bind_min else None
        for em, source in self.exemplar_figures:
            if em.value is not None and m.value is not None and em.unit == m.unit and same_value(em.value, m.value):
                msg = f"与范文（{source}）中的数字相同"
                if named is not None:
                    should = f"「{self._label(named)}」应为 {named.display}"
                    return self._about(base, "leaked", named, f"{msg}；{should}", named.display, source=source)
                return Finding(**base, status="leaked", source=source, message=f"{msg}，事实中没有")
        if named is not None:
            label = self._label(named)
            if named.current and (w.part in ("plans", "problems") or w.future_year or forward(w.sentence)):
                # 入会率要达到99%: a target the sheet does not hold, not a wrong 入会率
                msg = f"打算或目标中的数字，事实表的计划和目标里没有（「{label}」本期为 {named.display}）"
                return self._about(base, "unsupported", named, msg)
            if named.source in ("metric", "outcome"):
                self._set_anchor(w, named)
            return self._about(base, "wrong_value", named, f"「{label}」应为 {named.display}", named.display)
        for f in self.index.figures:  # right number, wrong unit: 36人 for 36户
            if (
                f not in compat
                and f.source not in ("prior", "target")
                and confusable(m.unit, f.unit)
                and m.value is not None
                and same_value(f.value, m.value)
                and name_score(ctx, f) >= policy.bind_min
            ):
                return self._about(base, "wrong_value", f, f"「{self._label(f)}」是 {f.display}，单位不符", f.display)
        if m.unit == "年" and m.value is not None and m.value <= 10 and "近" in (w.left[-2:] + m.text[:1]):
            return Finding(**base, status="exempt", message="时间跨度用语")
        return Finding(**base, status="unsupported", message="事实中找不到这个数")

    def _supported(
        self,
        m: Mention,
        w: Where,
        best: FactFigure,
        current: list[FactFigure],
        bound: FactFigure | None,
        base: _Figure,
        scores: dict[int, float],
    ) -> Finding:
        policy = self.policy
        best_score = scores[id(best)]
        other = self._named_elsewhere(m, w.ctx, best, best_score)
        if other is not None:  # 40人 written where the words name 走访困难职工 (40户)
            msg = f"此处说的是「{self._label(other)}」，应为 {other.display}（单位不同）"
            return self._about(base, "wrong_value", other, msg, other.display)
        if (
            bound is not None
            and (bound.current or bound.blank)
            and bound not in current
            and bound.fact_id != best.fact_id
            and scores[id(bound)] >= policy.bind_min
            and name_score(w.ctx, bound, weak=False) >= policy.bind_min  # named outright, not by 职工 alone
            and name_score(w.right_ext, best) < 0.5  # 20多个乡镇（街道）50多个村（居）委会: named after the figure
            and scores[id(bound)] - best_score >= policy.bind_margin
            and not same_value(bound.value, best.value)
            and not self._stated_outright(m, w, best, bound)
        ):
            if bound.blank:
                return self._blank(base, bound)
            msg = f"此处说的是「{self._label(bound)}」（{bound.display}），而 {m.text} 是「{self._label(best)}」的数"
            return self._about(base, "misattributed", bound, msg, bound.display)
        return self._about(base, "supported", best)

    def _stated_outright(self, m: Mention, w: Where, f: FactFigure, other: FactFigure) -> bool:
        """The figure is fact ``f`` written out: its exact value in its unit, with ``f``'s label in the figure's own
        clause, more of its words than of the ``other`` fact's — 「为外来务工人员子女28人发放助学金0.8万元」 states
        外来务工人员子女助学金 0.8万元 however well its verb phrase (发放助学金) names another fact; 「发放外来务工人员
        子女助学金2万元」 does not state 助学金 2万元. Not when those words belong to another figure of the sentence in
        the same unit (「职工书屋8个、职工之家13个」: 职工之家 is 13个's)."""
        if m.approx is not None or f.approximate or f.open_ended or m.value is None or m.unit != f.unit:
            return False
        if not same_value(m.value, f.value) or name_score(w.clause, f, weak=False) < _STATED:
            return False
        if label_hits(w.clause, f) < label_hits(w.clause, other):
            return False
        return not any(
            compatible(unit, m.unit) and name_score(ctx, f) >= self.policy.bind_min for unit, ctx in w.siblings
        )

    def _about(
        self,
        base: _Figure,
        status: Status,
        f: FactFigure,
        message: str = "",
        expected: str | None = None,
        *,
        derived_from: tuple[str, ...] = (),
        source: str | None = None,
    ) -> Finding:
        """The finding for a figure bound to fact ``f``, which carries its id and the label editors know it by."""
        return Finding(
            **base,
            status=status,
            fact_id=f.fact_id,
            fact_label=self._label(f),
            expected=expected,
            message=message,
            derived_from=list(derived_from),
            source=source,
        )

    def _blank(self, base: _Figure, f: FactFigure) -> Finding:
        """A figure for a metric whose value is still blank (a sheet copied to the next period): never supported."""
        return self._about(
            base, "unsupported", f, f"「{self._label(f)}」本期数值尚未填写（复制的事实表），不能写入草稿"
        )

    def _set_anchor(self, w: Where, f: FactFigure) -> None:
        self._anchor = (w.sentence_start, f)
        if self._anchors[0] != w.sentence_start:
            self._anchors = (w.sentence_start, [])
        self._anchors[1].append(f)

    def _stale(self, m: Mention, prior: FactFigure, base: _Figure) -> Finding:
        label = self._label(prior)
        now = self._metric_of(prior.fact_id)
        shown = now.display if now is not None else "（未填写）"
        return self._about(
            base, "stale", prior, f"沿用去年数字：{m.text} 是「{label}」的上年同期数，本期为 {shown}", shown
        )

    def _conditional(
        self, m: Mention, w: Where, f: FactFigure, base: _Figure, named: FactFigure | None = None
    ) -> Finding:
        """A figure found only in a plan, target or problem: supported where the draft looks forward."""
        label = self._label(f)
        kind = {"plan": "工作打算", "target": "目标", "problem": "存在问题"}[f.source]
        outlook = w.part in ("plans", "problems") or w.future_year
        if f.source == "problem":
            ok = outlook or problem(w.sentence) or forward(w.sentence)
        else:
            ok = outlook or forward(w.sentence)
            if not ok and f.source == "target" and (_TARGET_AFTER.match(w.after) or _TARGET_BEFORE.search(w.local)):
                now = self._metric_of(f.fact_id)  # 完成了300人的目标任务: true when the value reached the target
                ok = now is not None and not now.blank and now.value >= f.value
        if ok:
            return self._about(base, "supported", f, kind)
        if f.source == "problem":
            msg = f"这是「{kind}」中的数字（{label}），不能写成已做的工作"
        else:
            now = self._metric_of(f.fact_id) if f.source == "target" else None
            actual = f"，实际为 {now.display}" if now is not None else ""
            msg = f"这是{kind}（{label}）中的数字，不能写成已完成的工作{actual}"
        if named is not None and named.fact_id != f.fact_id and name_score(w.ctx, named) >= self.policy.bind_min:
            msg += f"；「{self._label(named)}」本期为 {named.display}"
        return self._about(base, "plan_as_done", f, msg)

    def _metric_of(self, fact_id: str | None) -> FactFigure | None:
        for f in self.index.metric_figures():
            if f.fact_id == fact_id:
                return f
        return None

    def _named_elsewhere(self, m: Mention, ctx: str, best: FactFigure, best_score: float) -> FactFigure | None:
        """A fact of another, confusable unit (人 for 户, % for 个百分点) that the words around the figure name much
        better than the matching fact, when nothing in the words names the matching fact itself."""
        if not m.unit or best_score >= 0.5:
            return None
        others = [
            f
            for f in self.index.figures
            if f.source in ("metric", "outcome") and not compatible(m.unit, f.unit) and confusable(m.unit, f.unit)
        ]
        if not others:
            return None
        top = max(others, key=lambda f: name_score(ctx, f))
        score = name_score(ctx, top)
        if score >= self.policy.bind_min and score - best_score >= self.policy.bind_margin:
            return top
        return None

    def _compatible(self, unit: str) -> list[FactFigure]:
        found = self.index.by_unit.get(unit)
        if found is None:
            found = self.index.by_unit[unit] = [f for f in self.index.figures if compatible(unit, f.unit)]
        return found

    def _label(self, f: FactFigure) -> str:
        return self.index.labels.get(f.fact_id, f.label)
