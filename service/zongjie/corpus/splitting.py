"""Split the clean paragraphs of one file into separate summaries.

Contract: ``split_documents(paragraphs)`` returns ``RawDocument``s, each with a title (possibly empty) and its
paragraphs, in file order. A new summary starts at
- a repeated collection title with a piece number ("乡镇工会上半年工作总结 篇2");
- an "扩展阅读:<title>" line (the repeated title line right after it is absorbed);
- a title line ("…工作总结") once the current summary already has a body.
The 落款 under a summary — a date line, with the signing unit on the line above or in front of it — is taken out
of the paragraphs into ``signature`` (the date as written) and ``signed_by`` (the unit): metadata, never a section.
A run of consecutive title lines is one title: the last one, right above the text, is the piece's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import clean_name
from .patterns import EXTENDED_READING_RE, is_title_line, match_heading, piece_title

MIN_BODY_CHARS = 40
# An untitled new summary: an opening paragraph ("今年，我局工会在…领导下，…") right before a heading 一、 once the
# current summary already has a body with headings.
_OPENING_RE = re.compile(r"^(今年|一年来|半年来|[\d*xX×_]{0,4}年(上半年|度)?)[，,]?.{0,30}(在|以).{0,40}(领导|指导)下")
_FIRST_HEADING_RE = re.compile(r"^(一[、．.]|[（(]一[)）]|1[、．.])")
_DATE = r"[\d*xX×_〇一二三四五六七八九十○零]{2,4}年([\d一二三四五六七八九十]{1,2}月)?([\d一二三四五六七八九十]{1,3}日)?"
_SIGNATURE_RE = re.compile(rf"^{_DATE}$")
# the unit line of a 落款, alone or in front of the date on the same line
_SIGNER = (
    r"[^，。；：！？、,;:!?\s]{1,28}?"  # 「局工会」「院工会」: a generic signer is a signer
    r"(?:总工会|工会委员会|工会|工委|委员会|联合会|局|院|公司|集团|学校|中学|小学|厂|中心|办公室|党委|支部)"
)
_SIGNER_RE = re.compile(rf"^{_SIGNER}$")
_SIGNER_DATE_RE = re.compile(rf"^(?P<unit>{_SIGNER})\s*(?P<date>{_DATE})$")


@dataclass
class RawDocument:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    piece: int | None = None
    signature: str | None = None  # the date line under a summary ("201*年12月")
    signed_by: str | None = None  # the unit line of the 落款 above the date ("某某县总工会")
    # title lines above the piece's own title (a page title, a collection title, the same title repeated): left
    # out of the document, reported as dropped
    other_titles: list[str] = field(default_factory=list)

    @property
    def body_chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def split_documents(paragraphs: list[str]) -> list[RawDocument]:
    """The pieces with a body (see ``split_pieces``)."""
    return [d for d in split_pieces(paragraphs) if d.body_chars >= MIN_BODY_CHARS]


def split_pieces(paragraphs: list[str]) -> list[RawDocument]:
    """Every piece of the file in order, bodiless ones too (a title alone, a site header): the caller decides what
    is a summary and says what it left out."""
    docs: list[RawDocument] = []
    cur = RawDocument()
    pending_repeat: str | None = None

    def start(title: str, piece: int | None = None) -> None:
        nonlocal cur
        title = re.sub(r"范文|[（(](精选|推荐|热门|通用)?\d*篇[)）]", "", title).strip()
        if cur.paragraphs or cur.title:
            docs.append(cur)
        cur = RawDocument(title=title, piece=piece)

    for idx, para in enumerate(paragraphs):
        nxt = paragraphs[idx + 1] if idx + 1 < len(paragraphs) else ""
        first = next((m.group(1) for p in cur.paragraphs if (m := _FIRST_HEADING_RE.match(p))), None)
        m_next = _FIRST_HEADING_RE.match(nxt)
        if cur.body_chars >= 300 and _OPENING_RE.match(para) and m_next and m_next.group(1) == first:
            start("")
            cur.paragraphs.append(para)
            continue
        if pending_repeat is not None:
            if para == pending_repeat or para.replace(" ", "") == pending_repeat.replace(" ", ""):
                pending_repeat = None
                cur.other_titles.append(para)
                continue
            pending_repeat = None
        m = EXTENDED_READING_RE.match(para)
        if m:
            title = m.group("title").strip()
            start(title)
            pending_repeat = title
            continue
        marked = piece_title(para)
        if marked is not None:
            start(*marked)
            continue
        if is_title_line(para):
            if cur.body_chars >= MIN_BODY_CHARS:
                start(para)
            elif not cur.paragraphs:
                # a run of title lines (a page title, a collection title, the piece's own): the one right above the
                # text is the piece's own
                if cur.title:
                    cur.other_titles.append(cur.title)
                cur.title = para
            else:
                cur.paragraphs.append(para)
            continue
        signed = _SIGNER_DATE_RE.match(para)
        if signed and cur.body_chars >= MIN_BODY_CHARS:
            cur.signed_by, cur.signature = clean_name(signed.group("unit")), signed.group("date")
            continue
        if _SIGNATURE_RE.match(para) and cur.body_chars >= MIN_BODY_CHARS:
            cur.signature = para
            if cur.paragraphs and _SIGNER_RE.match(cur.paragraphs[-1]) and not match_heading(cur.paragraphs[-1]):
                cur.signed_by = clean_name(cur.paragraphs.pop())
            continue
        cur.paragraphs.append(para)
    if cur.paragraphs or cur.title:
        docs.append(cur)
    return docs
