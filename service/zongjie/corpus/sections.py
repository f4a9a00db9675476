"""Parse one summary's paragraphs into opening, a section tree along the heading ladder, and closing.

Contract: ``parse_sections(paragraphs)`` returns ``(opening, sections, closing)``.
- The ladder is learnt per document: the first marker style seen is level 1, a new style nests under the
  current section, a style already open closes everything below it (so 1、 may be top level in one summary and
  third level in another). Numbers beyond ten (十一、) are read with cn2an.
- Headings may sit inline in a long paragraph right after a sentence end ("…以下工作。（一）深刻领会…").
- A short unnumbered line without inner punctuation ("2012年工作思路和要点") is a plain top-level heading.
- Paragraphs before the first heading are the opening; trailing paragraphs after the last section's body that
  open with a concluding cue ("总之", "回顾", "201x年，…", "新的一年") are the closing.
- Sections whose title speaks of problems (问题/不足/差距) or plans (打算/计划/思路/下一步…) get that role,
  inherited by their children.
"""

from __future__ import annotations

import re

import cn2an

from .document import Section
from .patterns import INLINE_HEADING_RE, match_heading

_PROBLEM_RE = re.compile(r"(问题|不足|差距|短板|薄弱|困难和|存在的)")
_PLAN_RE = re.compile(r"(打算|计划|思路|要点|安排|下一步|明年|来年|下半年|展望|意见|设想|重点工作|努力方向|目标任务)")
_CLOSING_CUE_RE = re.compile(
    r"^(总之|总的来说|总的来看|总而言之|综上|回顾|展望|新的一年|今后|在新的|在来年|下一步|"
    r"[\d*xX×_〇一二三四五六七八九十]{0,4}年[，,]|过去的一年|一年来[，,]?.{0,20}(虽然|尽管))"
)
_PLAIN_HEADING_MAX = 30
_PLAN_CUE_RE = re.compile(r"(将|打算|计划|重点抓好|明年|来年|下一步|今后|下半年)")


def _number(style: str, num: str) -> int | None:
    if style in ("ar", "par"):
        return int(num)
    if style == "circ":
        return "①②③④⑤⑥⑦⑧⑨⑩".index(num) + 1
    try:
        return int(cn2an.cn2an(num, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _split_inline(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        cuts = [m.start() for m in INLINE_HEADING_RE.finditer(p)]
        start = 0
        for c in cuts:
            if p[start:c].strip():
                out.append(p[start:c].strip())
            start = c
        out.append(p[start:].strip())
    return [p for p in out if p]


def _title_and_body(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    if len(rest) <= 50 and rest.count("。") <= 1 and (rest.endswith("。") or "。" not in rest):
        return rest.rstrip("。；;：:"), ""
    m = re.search(r"[。：；！？]", rest)
    if m and m.start() <= 50:
        return rest[: m.start()], rest[m.end() :].strip()
    m = re.search(r"[，、]", rest)
    cut = m.start() if m and m.start() <= 40 else 40
    return rest[:cut], rest


def _is_plain_heading(p: str) -> bool:
    return len(p) <= _PLAIN_HEADING_MAX and not re.search(r"[，。、；：！？,;:!?｜]", p) and len(p) >= 4


# A heading that reviews what was done (「上半年重点工作总结」「一季度工作完成情况」) is body even when it names a
# period or 重点工作: plans look forward, and only a forward word (打算/计划/思路/下一步/明年…) makes a review
# heading a plan
# (「上半年工作总结及下半年工作打算」). Serves half-year and annual summaries whose first part reviews the period.
_REVIEW_RE = re.compile(r"(总结|回顾|完成情况|开展情况|工作情况|成效|成绩|做法|主要工作|所做)")
_FORWARD_RE = re.compile(r"(打算|计划|思路|要点|下一步|明年|来年|下半年工作|展望|设想|努力方向|目标任务|安排)")


# A heading names a part when the part's word is its head, not when it mentions the word in passing: a problems part
# opens or ends with 问题/不足/差距 (「存在的问题与不足」「工作中的不足」), not 「解决职工的实际问题」 (work done on
# problems); a plans part ends with 打算/计划/思路/要点… after a forward word or 工作 (「2025年工作思路」「下一步工作
# 打算」), not 「做好计划生育工作」「创新思路」. Serves real summaries whose body headings use these words.
_PROBLEM_HEAD_RE = re.compile(
    r"^(存在的?|主要|当前|目前|工作中(存在)?的?)?(问题|不足|差距|短板|薄弱环节|困难(和|与)问题)"
    r"|(存在的?|的)(问题|不足|差距|短板|薄弱环节)|(问题|不足|差距|短板)(和|与|及)?(不足|差距|建议|原因|对策)?$"
)
_PROBLEM_ACT_RE = re.compile(r"(解决|化解|调查|反映|协调|处理|帮助|破解)[^，、]{0,12}(问题|困难)")
_PLAN_HEAD_RE = re.compile(
    r"(工作|下一步|明年|来年|下半年|今后|新的一年|[\d*xX×_]{2,4}年度?)[^，、。]{0,10}"
    r"(打算|计划|思路|要点|安排|设想|展望|意见|努力方向|目标任务|重点工作)$"
    r"|^(下一步|明年|来年|下半年|今后)|^(打算|计划|思路|要点|工作打算|工作计划|工作思路)$"
)


def _role(title: str) -> str:
    head = title.rstrip("。；;：:")
    if _PROBLEM_HEAD_RE.search(head) and not _PROBLEM_ACT_RE.search(head):
        return "problems"
    if _PLAN_HEAD_RE.search(head):
        if _REVIEW_RE.search(head) and not _FORWARD_RE.search(head):
            return "body"
        return "plans"
    return "body"


def parse_sections(paragraphs: list[str]) -> tuple[str, list[Section], str]:
    paragraphs = _split_inline(paragraphs)
    opening: list[str] = []
    roots: list[Section] = []
    stack: list[Section] = []
    body_paras: dict[int, list[str]] = {}
    last_leaf_had_body = False
    closing: list[str] = []
    final_closing: list[str] = []
    plans_from: int | None = None

    prev_para: str | None = None  # the paragraph right before the current one, when it was not a heading
    for p in paragraphs:
        before, prev_para = prev_para, None
        h = match_heading(p)
        if h is None and not (roots and _is_plain_heading(p)):
            prev_para = p
        if h is None and roots and _is_plain_heading(p):
            sec = Section(level=1, style="plain", marker="", title=p)
            roots.append(sec)
            stack = [sec]
            last_leaf_had_body = False
            closing = []
            continue
        if h is None:
            if not roots:
                opening.append(p)
                continue
            if last_leaf_had_body and (closing or _CLOSING_CUE_RE.match(p)):
                closing.append(p)
                continue
            body_paras.setdefault(id(stack[-1]), []).append(p)
            last_leaf_had_body = True
            continue
        style, num, m = h
        title, body = _title_and_body(p[m.end() :])
        sec = Section(level=1, style=style, marker=p[: m.end()].strip(), number=_number(style, num), title=title)
        restart = (
            bool(roots)
            and style == roots[0].style
            and sec.number == 1
            and before is not None
            and bool(_PLAN_CUE_RE.search(before))
            and before.endswith(("：", ":"))
        )
        if restart:
            # "…重点抓好以下几方面：" then 一、二、… again: the closing stays, the new list is the plans
            final_closing.extend(closing)
            plans_from = len(roots)
        else:
            # a heading: any closing candidates were body after all
            for c in closing:
                body_paras.setdefault(id(stack[-1]), []).append(c)
        closing = []
        styles = [s.style for s in stack]
        if style in styles:
            del stack[styles.index(style) :]
        if stack:
            sec.level = stack[-1].level + 1
            stack[-1].children.append(sec)
        else:
            roots.append(sec)
        stack.append(sec)
        if body:
            body_paras.setdefault(id(sec), []).append(body)
        last_leaf_had_body = bool(body) or p.rstrip().endswith("。")

    def finish(sec: Section, inherited: str) -> None:
        sec.text = "\n".join(body_paras.get(id(sec), []))
        role = _role(sec.title)
        sec.role = inherited if inherited != "body" else role  # type: ignore[assignment]
        for child in sec.children:
            finish(child, sec.role)

    for i, r in enumerate(roots):
        finish(r, "plans" if plans_from is not None and i >= plans_from else "body")
    return "\n".join(opening), roots, "\n".join(final_closing + closing)


# the parser's readings, for corrections made after it (corpus/review.py)
heading_role = _role
number_of = _number
title_and_body = _title_and_body
