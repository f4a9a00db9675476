"""What the sentence says around each figure of a draft: the words the figure checker reads to decide about it.

Contract: ``where_each(text, mentions, parts, year)`` takes the draft text, the figures found in it (in text order,
``numbers.find_numbers``), where each part of the draft is (``parts.draft_parts``) and the period year of the facts,
and returns one ``Where`` per mention, in the same order: the binding context, the sentence and its pieces before
and after the figure, the figure's own clause and the other figures of its sentence (unit and binding context),
whether the sentence's previous figure is last year and whether it names a later year. It reads only its arguments
(no facts, no state): every figure's context is the same whatever was decided before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import Mention
from .binding import contexts
from .parts import Part, Parts, sentence_at

_LIST_END = re.compile(r"[，,、；;：:]")
_CLAUSE = re.compile(r"[，,；;：:]")


@dataclass(slots=True)
class Where:
    """What the sentence says around one figure."""

    ctx: str  # binding context (left + right)
    left: str
    local: str  # sentence text since the previous figure
    before: str  # sentence text up to the figure
    after: str  # sentence text after the figure
    sentence: str
    sentence_start: int
    parts: Parts  # where the figure stands: ``part`` (read lazily, most figures never need it)
    offset: int
    prior_year: bool  # the previous figure of the sentence is last year (2024年 in a 2025 summary)
    future_year: bool  # the sentence names a later year (2026年，… in a 2025 summary)
    right_ext: str = ""  # the words up to the next figure, parentheses included: 50多个村（居）委会
    clause: str = ""  # the figure's own clause (between ，；。：), other figures' words included
    siblings: tuple[tuple[str, str], ...] = ()  # (unit, binding context) of the sentence's other figures

    @property
    def part(self) -> Part:
        return self.parts.at(self.offset)


def where_each(text: str, mentions: list[Mention], parts: Parts, year: int) -> list[Where]:
    """One ``Where`` per mention of ``text`` (see the module docstring)."""
    out: list[Where] = []
    ctxs = contexts(text, mentions)
    for i, (m, (left, right)) in enumerate(zip(mentions, ctxs, strict=True)):
        s0, s1 = sentence_at(text, m.start, m.end)
        prev = mentions[i - 1] if i else None
        prev_end = prev.end if prev is not None and prev.end > s0 else s0
        where = Where(
            ctx=left + right,
            left=left,
            local=text[prev_end : m.start],
            before=text[s0 : m.start],
            after=text[m.end : s1],
            sentence=text[s0:s1],
            sentence_start=s0,
            parts=parts,
            offset=m.start,
            prior_year=prev is not None
            and prev.end > s0
            and prev.kind == "date"
            and prev.month is None
            and prev.year == year - 1,
            future_year=any(x.kind == "date" and (x.year or 0) > year and s0 <= x.start < s1 for x in mentions),
            right_ext=_LIST_END.split(
                text[m.end : min(s1, m.end + 16, mentions[i + 1].start if i + 1 < len(mentions) else s1)]
            )[0],
            clause=_CLAUSE.split(text[s0 : m.start])[-1] + m.text + _CLAUSE.split(text[m.end : s1])[0],
            siblings=tuple(
                (x.unit, a + b)
                for j, (x, (a, b)) in enumerate(zip(mentions, ctxs, strict=True))
                if j != i and s0 <= x.start < s1 and x.kind == "quantity"
            ),
        )
        out.append(where)
    return out
