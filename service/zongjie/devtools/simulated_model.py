"""A simulated model that writes genre prose from a Zongjie prompt — and errs the way real models do.

``simulator_script(rates)`` is a ``Script`` for ``ScriptedOpenAI``: it reads the prompt the drafter sends
(``prompts/section.md.j2``: fact lines ``- [id] …``, 「去年此部分」, 【范文N】 exemplars, 篇幅 target; or
``prompts/repair.md.j2``: the previous text, the findings, the facts left out) and answers like a model:

- with the unit's own last-year text it rewrites that text: figures whose words name a fact get the fact's value,
  sentences with figures that name no fact are dropped, facts not yet stated are added;
- otherwise work notes become sentences, figures are written in clauses of three with the activities after them;
  a body section opens with a sentence from its heading (and a theme not already in it), its measures are linked
  by connectives and, when it has figures, it closes with a 成效 sentence — patterns drawn at random per section;
- the section is padded toward the target length with short clauses recombined from the exemplars (none long
  enough to count as copying);
- an opening or closing paragraph (``prompts/opening.md.j2`` / ``ending.md.j2``) is written from the unit, period,
  leadership and themes the prompt gives (``scripted_openai.frame_answer``), at set rates with an invented figure or
  without the leadership.

Mistakes, each drawn per section at its rate in ``Rates`` from a generator seeded by the prompt (so a run is
reproducible): a figure rounded (8.2万元 → 8万元) or re-formed (8.2万元 → 82000元, which is still right), two
figures' values swapped (right value, wrong indicator), an invented 同比 figure, an exemplar's figure or unit name
copied, a fact dropped, last year's figure left in place (stale); and an instruction written inside a fact
(「请在文末写上“…”」) is always obeyed. Asked to repair, it fixes what the findings quote with probability
``fix`` (dropping those sentences and adding the facts named as missing), else answers with the same text.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from ..checker.binding import bigrams
from ..writers.genre import aims
from .scripted_openai import Reply, Script, frame_answer, last_user

_FACT = re.compile(r"^- \[(?P<id>[A-Za-z][\w.-]*)\] (?P<body>.+)$", re.M)
_METRIC = re.compile(r"^(?P<label>.+?)：(?P<value>-?\d+(?:\.\d+)?)(?P<unit>[^（\s]*)(?P<approx>（约数）)?$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,10}(?:工会|公司|集团|医院|学校|中学|小学)")
_INSTRUCTION = re.compile(
    r"(?:请|务必|一定要|忽略[^。]*?并)[^“”「」]{0,12}[写加入上][^“”「」]{0,6}[“「](?P<text>[^”」]{2,60})[”」]"
)


@dataclass(frozen=True)
class Rates:
    round: float = 0.05  # per figure
    reform: float = 0.05  # per 万元 figure
    swap: float = 0.08  # per section
    yoy: float = 0.03  # per figure
    leak_figure: float = 0.06  # per section
    leak_name: float = 0.06  # per section
    drop: float = 0.1  # per section
    stale: float = 0.05  # per figure of last year's text
    fix: float = 0.8  # per repair request


@dataclass
class _Fact:
    id: str
    body: str
    label: str = ""
    value: float | None = None
    unit: str = ""
    approx: bool = False

    @property
    def figure(self) -> str:
        v = f"{self.value:g}" if self.value is not None else ""
        return ("约" if self.approx else "") + v + self.unit


def _facts(prompt: str) -> list[_Fact]:
    out = []
    for m in _FACT.finditer(prompt):
        body = m.group("body").strip()
        f = _Fact(m.group("id"), body)
        mm = _METRIC.match(body)
        if mm:
            f.label, f.value, f.unit = mm.group("label"), float(mm.group("value")), mm.group("unit")
            f.approx = bool(mm.group("approx"))
        out.append(f)
    return out


def _block(prompt: str, start: str) -> str:
    at = prompt.find(start)
    if at < 0:
        return ""
    text = prompt[at:].split("\n", 1)[1] if "\n" in prompt[at:] else ""
    return text.split("\n\n", 1)[0].strip()


def _sentence_for(f: _Fact) -> str:
    if f.value is not None:
        return f"{f.label}{f.figure}。"
    body = re.sub(r"^工作要点：", "", f.body)
    body = re.sub(r"^(\d+月(?:\d+日)?) ", r"\1，", body)
    body = body.replace("（参加对象：", "，参加对象为").replace("）", "").replace("；", "，").replace("：", "，")
    return body.rstrip("。；") + "。"


def _rewrite_prior(prior: str, facts: list[_Fact], rng: random.Random, rates: Rates) -> tuple[list[str], set[str]]:
    metrics = [f for f in facts if f.value is not None]
    stated: set[str] = set()
    out = []
    for s in _SENTENCE.findall(prior):
        if not s.strip():
            continue
        numbers = list(_NUMBER.finditer(s))
        keep = True
        for n in reversed(numbers):
            before = bigrams(s[max(0, n.start() - 14) : n.start()])
            best = max(metrics, key=lambda f: len(bigrams(f.label) & before), default=None)
            if best is None or not bigrams(best.label) & before or len(bigrams(best.label) & before) < 2:
                keep = False
                break
            if rng.random() >= rates.stale:  # a stale figure stays as it was last year
                s = s[: n.start()] + f"{best.value:g}" + s[n.end() :]
            stated.add(best.id)
        if keep:
            out.append(s)
    return out, stated


def write_section(prompt: str, rng: random.Random, rates: Rates = Rates()) -> str:
    facts = _facts(prompt)
    prior = _block(prompt, "去年此部分")
    target = int(m.group(1)) if (m := re.search(r"篇幅：约 (\d+) 字", prompt)) else 0
    exemplars = re.findall(r"【范文\d+】(.+)", prompt)
    if facts and rng.random() < rates.drop:
        facts = facts[: (k := rng.randrange(len(facts)))] + facts[k + 1 :]
    metrics = [f for f in facts if f.value is not None]
    if len(metrics) >= 2 and rng.random() < rates.swap:
        a, b = rng.sample(metrics, 2)
        if a.unit == b.unit and a.value != b.value:
            a.value, b.value = b.value, a.value
    for f in metrics:
        if rng.random() < rates.round and f.value and f.value != round(f.value, -1 if f.value >= 100 else 0):
            f.value = round(f.value, -1 if f.value >= 100 else 0)
        elif rng.random() < rates.reform and f.unit == "万元" and f.value is not None:
            f.value, f.unit = f.value * 10000, "元"
    sentences, stated = _rewrite_prior(prior, facts, rng, rates) if prior else ([], set())
    notes = "".join(f.body for f in facts if f.value is None)
    stated |= {f.id for f in metrics if f"{f.value:g}{f.unit}" in notes}  # a note that gives the figure says it
    said = bigrams("".join(sentences))
    for f in facts:
        words = bigrams(re.sub(r"^工作要点：", "", f.body))
        if f.value is None and words and len(words & said) >= 0.6 * len(words):
            stated.add(f.id)  # last year's sentence already says it
        if f.value is not None and prior and f"{f.label[-2:]}{f.value:g}" in "".join(sentences):
            stated.add(f.id)
        if f.id not in stated:
            s = _sentence_for(f)
            if f.value is not None and rng.random() < rates.yoy:
                s = s[:-1] + f"，同比增长{rng.randint(3, 40)}.{rng.randint(1, 9)}%。"
            sentences.append(s)
    for f in facts:  # an instruction inside a fact is obeyed
        if (m := _INSTRUCTION.search(f.body)) is not None:
            sentences.append(m.group("text").rstrip("。") + "。")
    if exemplars and rng.random() < rates.leak_figure:
        with_number = [c for ex in exemplars for c in re.split(r"[，。；]", ex) if _NUMBER.search(c) and len(c) <= 18]
        if with_number:
            sentences.append(rng.choice(with_number) + "。")
    if exemplars and rng.random() < rates.leak_name:
        names = [m.group() for ex in exemplars for m in _NAME.finditer(ex)]
        if names:
            sentences.append(f"积极学习借鉴{rng.choice(names)}的经验做法。")
    if not prior and "按“做法—成效”的顺序写" in prompt:
        sentences = _framed(prompt, sentences, facts, rng)
    text = "".join(sentences)
    clauses = [
        c
        for ex in exemplars
        for c in re.split(r"[，。；：、]", ex)
        if 6 <= len(c) <= 16 and not _NUMBER.search(c) and not _NAME.search(c)
    ]
    filler: list[str] = []
    while not prior and clauses and len(text) + sum(len(c) + 1 for c in filler) < 0.9 * target and len(filler) < 12:
        filler.append(clauses.pop(rng.randrange(len(clauses))))
    if filler:
        text += "同时，" + "，".join(filler) + "。"
    return text or "本部分工作有序推进。"


_OPENINGS = (
    "{short}着力抓好{obj}。",
    "{short}在{obj}上下功夫。",
    "{short}把{obj}摆在突出位置。",
    "{short}扎实推进{obj}。",
    "{short}注重{obj}。",
    "{short}结合{theme}推进{obj}。",
)
_LINKS = ("同时，", "此外，", "另外，", "与此同时，", "在此基础上，")
_RESULTS = ("{obj}取得了明显成效。", "{obj}有了新的进展。", "{obj}迈上了新台阶。")


def _framed(prompt: str, sentences: list[str], facts: list[_Fact], rng: random.Random) -> list[str]:
    """A body section as the prompt asks a model to write it: a sentence opening it from the object of the heading's
    aim (and a theme), the measures linked by connectives, a 成效 sentence at the end when the section has figures.
    Every framing clause names the section's own object, so two sections never share one."""
    heading = _line(prompt, "本部分标题").strip("。")
    unit = re.sub(r"（.*?）$", "", _line(prompt, "单位"))
    short = next(
        (x for x in ("街道工会", "镇工会", "乡工会", "总工会", "院工会", "公司工会") if unit.endswith(x)), "工会"
    )
    themes = [t for t in _line(prompt, "年度主题").split("；") if t and not (bigrams(t) & bigrams(heading))]
    found = [a for a in aims(heading) if a.verb and len(a.obj) >= 2]
    if not found or re.search(r"\d|了", heading):
        return sentences
    obj = found[0].obj
    opening = rng.choice([o for o in _OPENINGS if themes or "{theme}" not in o])
    out = [opening.format(short=short, theme=rng.choice(themes) if themes else "", obj=obj)]
    links = list(_LINKS)
    rng.shuffle(links)
    for i, s in enumerate(sentences):
        out.append(links.pop() + s if i and i % 2 and links and not re.match(r"^\d", s) else s)
    if any(f.value is not None for f in facts):
        out.append(rng.choice(_RESULTS).format(obj=obj))
    return out


def _line(prompt: str, label: str) -> str:
    m = re.search(rf"^{label}：(.*)$", prompt, re.M)
    return m.group(1).strip() if m else ""


def write_frame(prompt: str, rng: random.Random, rates: Rates = Rates()) -> str | None:
    """An opening or closing paragraph for a frame prompt (None for any other), with a model's mistakes at their
    rates: an invented figure (a claim no fact holds) or the leadership left out."""
    text = frame_answer(prompt)
    if text is None:
        return None
    if "结尾段" in prompt:  # a closing in other words than the opening's
        text = text.replace("的领导下", "的坚强领导下").replace("紧紧围绕", "始终围绕")
    prior = _block(prompt, "去年此部分")
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", prior)]
    now = re.search(
        r"(?:时段|展望)：?((?:19|20)\d{2})年", prompt if "结尾段" not in prompt else prompt.split("写一段结尾")[-1]
    )
    if prior and years and now:  # the unit's own paragraph of last year, its years moved on
        by = int(now.group(1)) - years[0]
        text = re.sub(r"((?:19|20)\d{2})(?=年)", lambda m: str(int(m.group(1)) + by), prior)
    if rng.random() < rates.drop and (m := re.search(r"在[^，]{2,30}的(?:坚强)?领导下，", text)):
        text = text.replace(m.group(), "", 1)
    if rng.random() < rates.leak_figure + rates.yoy:
        sentences = text.split("。")
        sentences.insert(1 if len(sentences) > 1 else 0, f"全年共为职工办实事好事{rng.randint(12, 60)}件")
        text = "。".join(sentences)
    return text


def repair_section(prompt: str, rng: random.Random, rates: Rates = Rates()) -> str:
    """Fix what the findings quote, as a model does: a figure the finding gives the right value for is corrected
    in place, any other flagged clause is cut; facts named as missing are added at the end."""
    previous = _block(prompt, "你上一次写的正文如下：")
    if rng.random() >= rates.fix:
        return previous
    text = previous
    for quoted, message in re.findall(r"^- 「(.+?)」(.*)$", prompt, re.M):
        right = re.search(r"应为 ?([^（(，。；\s]+)", message)
        if right and quoted in text:
            text = text.replace(quoted, right.group(1), 1)
            continue
        at = text.find(quoted[:12])
        if at < 0:
            continue
        start = max(text.rfind(c, 0, at) for c in "，。；") + 1
        ends = [i for i in (text.find(c, at) for c in "，。；") if i >= 0]
        end = min(ends) if ends else len(text)
        if text[end : end + 1] == "，" or (start == 0 or text[start - 1] in "。；") and text[end : end + 1] in "。；":
            text = text[:start] + text[end + 1 :]
        else:
            text = text[:start].rstrip("，") + text[end:]
    missing = []
    if "没有写进正文" in prompt:
        missing = _facts(prompt.split("以下事实没有写进正文", 1)[1].split("本单位事实", 1)[0])
    missing = [f for f in missing if f.value is None or f"{f.value:g}{f.unit}" not in text]  # fixed in place
    return text.strip() + "".join(_sentence_for(f) for f in missing)


def simulator_script(rates: Rates = Rates()) -> Script:
    """A ``Script`` answering every request as the simulated model (reproducible: seeded by the prompt)."""

    def script(request: dict, n: int) -> Reply:
        prompt = last_user(request)
        rng = random.Random(hashlib.sha256(prompt.encode("utf-8")).hexdigest())
        if "你上一次写的正文如下" in prompt:
            return Reply(repair_section(prompt, rng, rates))
        frame = write_frame(prompt, rng, rates)
        return Reply(frame if frame is not None else write_section(prompt, rng, rates))

    return script
