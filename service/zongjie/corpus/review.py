"""Corrections of what the parser read from a summary, as the clerk (or an admin) confirmed it.

Contract: ``DocumentFixes`` holds corrected metadata (title, unit, type, year, period, 落款, the unit of the tree)
and an ordered list of ``Fix`` operations on the heading tree; ``apply_fixes(doc, fixes)`` returns the corrected
document and the operations it could not apply (their anchor text is not in the document), never raising for
them. Operations are anchored by text, not by position, so the same corrections apply to a fresh parse of the same
file (a re-import, a better parser) and can be written by hand in a sidecar YAML:

- ``{heading: "二、…", title: "…"}`` — where the heading ends and its text begins: a longer title takes the words
  from the start of its text, a shorter one gives them back; any other title renames the heading;
- ``{heading, level: 2}`` — promote or demote (1 = 一、 level); ``{heading, role: plans}`` — body/problems/plans;
- ``{heading, merge: true}`` — not a heading: its marker, title and text become text of the section before it
  (the opening for the first);
- ``{split: "三、新的一年…", level, role}`` — a heading the parser missed starts where that text stands in a
  section's text, the opening or the closing (its marker, title and text read like any heading);
- ``{drop: "…"}`` — text that is furniture (a site's line, a stray notice) is removed wherever it stands;
- ``{restore: "…"}`` — text the parser dropped (``KBDocument.dropped``) is kept after all: it goes back at the end of
  the section it stood in (by its place in the source; the opening when it stood before the first heading).

``heading`` names a heading as it reads at that point (marker + title, or the title alone). The tree is rebuilt
from levels: a section's children are the sections after it one level deeper, until one at its level or above;
children inherit a problems/plans role unless their own was set. The document id stays the parsed one, so links
to it (a fact sheet's base summary) survive corrections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from .document import KBDocument, Period, Section, SectionRole, UnitType
from .patterns import match_heading
from .sections import heading_role, number_of, title_and_body

_LEAD_PUNCT = "。：:；;，,、 \n"
META_FIELDS = ("title", "unit_name", "unit_type", "period", "year", "signed_by", "signature", "unit_id")


class Fix(BaseModel):
    """One correction of the heading tree (see the module docstring)."""

    heading: str | None = Field(None, max_length=300, description="标题（编号+标题，按当时的写法）")
    title: str | None = Field(None, max_length=300)
    level: int | None = Field(None, ge=1, le=4)
    role: SectionRole | None = None
    merge: bool = False
    split: str | None = Field(None, max_length=300)
    drop: str | None = Field(None, max_length=2000)
    restore: str | None = Field(None, max_length=2000)

    def describe(self) -> str:
        if self.restore:
            return f"恢复「{self.restore[:30]}」"
        if self.drop:
            return f"删除「{self.drop[:30]}」"
        if self.split:
            return f"从「{self.split[:30]}」另起标题"
        return f"标题「{(self.heading or '')[:30]}」"


class DocumentFixes(BaseModel):
    """Corrected metadata and the heading-tree operations, in the order they were made."""

    title: str | None = Field(None, max_length=200)
    unit_name: str | None = Field(None, max_length=120)
    unit_type: UnitType | None = None
    period: Period | None = None
    year: int | None = Field(None, ge=1949, le=2100)
    signed_by: str | None = Field(None, max_length=120)
    signature: str | None = Field(None, max_length=40)
    unit_id: str | None = Field(None, max_length=32)
    fixes: list[Fix] = Field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in META_FIELDS if getattr(self, k) is not None}

    def then(self, later: DocumentFixes) -> DocumentFixes:
        """These corrections followed by ``later`` ones (later metadata wins, operations appended)."""
        return DocumentFixes.model_validate(
            {**self.model_dump(), **later.metadata(), "fixes": [*self.fixes, *later.fixes]}
        )

    def is_empty(self) -> bool:
        return not self.metadata() and not self.fixes


@dataclass
class _Block:
    level: int
    section: Section
    own_role: str  # the role the heading's own words give (or the parser's, for a top-level section)
    role_set: bool = False


def _flatten(doc: KBDocument) -> list[_Block]:
    out: list[_Block] = []

    def walk(sec: Section, depth: int, parent_role: str) -> None:
        own = sec.role if parent_role == "body" else heading_role(sec.title)
        out.append(_Block(depth, sec.model_copy(update={"children": []}), own))
        for c in sec.children:
            walk(c, depth + 1, sec.role)

    for s in doc.sections:
        walk(s, 1, "body")
    return out


def _rebuild(blocks: list[_Block]) -> list[Section]:
    roots: list[Section] = []
    stack: list[_Block] = []
    for b in blocks:
        while stack and stack[-1].level >= b.level:
            stack.pop()
        sec = b.section
        if stack:
            parent = stack[-1].section
            b.level = stack[-1].level + 1
            inherited = parent.role
            sec.role = b.own_role if b.role_set or inherited == "body" else inherited  # type: ignore[assignment]
            parent.children.append(sec)
        else:
            b.level = 1
            sec.role = b.own_role  # type: ignore[assignment]
            roots.append(sec)
        sec.level = b.level
        stack.append(b)
    return roots


def _label(sec: Section) -> str:
    return f"{sec.marker}{sec.title}"


def _find(blocks: list[_Block], anchor: str) -> _Block | None:
    anchor = anchor.strip()
    for test in (
        lambda s: _label(s) == anchor,
        lambda s: s.title == anchor,
        lambda s: _squash(_label(s)) == _squash(anchor),
        lambda s: _squash(s.title) == _squash(anchor),
    ):
        for b in blocks:
            if test(b.section):
                return b
    starting = [b for b in blocks if anchor and _squash(_label(b.section)).startswith(_squash(anchor))]
    return starting[0] if len(starting) == 1 else None  # a heading named by its start, when only one starts so


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _move_end(sec: Section, new_title: str) -> None:
    """Move where the heading ends: the title grows into its text or gives words back to it; else a rename. Where
    the title ends and the body starts in the source are no longer known (the heading's start still is)."""
    sec.title_end = sec.body_start = None
    new = new_title.strip().rstrip("。；;：:")
    old, text = sec.title, sec.text
    fulls = [text] if text.startswith(old) else []  # the parser may have kept a long title inside its text
    fulls += [old + text, old + "。" + text]
    for full in fulls:
        if new and full.startswith(new):
            sec.title, sec.text = new, full[len(new) :].lstrip(_LEAD_PUNCT)
            return
    sec.title = new


def _new_heading(text: str, level: int) -> Section:
    """A section from text that starts with a heading (marker and title read like the parser does)."""
    h = match_heading(text)
    if h is None:
        title, body = title_and_body(text)
        return Section(level=level, style="plain", marker="", title=title, text=body)
    style, num, m = h
    title, body = title_and_body(text[m.end() :])
    marker = text[: m.end()].strip()
    return Section(level=level, style=style, marker=marker, number=number_of(style, num), title=title, text=body)


def _split(doc: KBDocument, blocks: list[_Block], fix: Fix) -> bool:
    at = (fix.split or "").strip()
    if not at:
        return False
    for i, b in enumerate(blocks):
        p = b.section.text.find(at)
        if p >= 0:
            before, after = b.section.text[:p].rstrip(), b.section.text[p:]
            b.section.text = before
            new = _new_heading(after, fix.level or b.level)
            nb = _Block(fix.level or b.level, new, fix.role or heading_role(new.title), fix.role is not None)
            blocks.insert(i + 1, nb)
            return True
    p = doc.opening.find(at)
    if p >= 0:
        before, after = doc.opening[:p].rstrip(), doc.opening[p:]
        doc.opening = before
        new = _new_heading(after, 1)
        blocks.insert(0, _Block(1, new, fix.role or heading_role(new.title), fix.role is not None))
        return True
    p = doc.closing.find(at)
    if p >= 0:
        before, after = doc.closing[:p].rstrip(), doc.closing[p:]
        doc.closing = before
        new = _new_heading(after, fix.level or 1)
        blocks.append(_Block(fix.level or 1, new, fix.role or heading_role(new.title), fix.role is not None))
        return True
    return False


def _drop(doc: KBDocument, blocks: list[_Block], text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    found = False

    def cut(s: str) -> str:
        nonlocal found
        if text in s:
            found = True
            s = re.sub(r"\n{2,}", "\n", s.replace(text, "")).strip()
        return s

    doc.title, doc.opening, doc.closing = cut(doc.title), cut(doc.opening), cut(doc.closing)
    for b in blocks:
        b.section.title, b.section.text = cut(b.section.title), cut(b.section.text)
    return found


def _restore(doc: KBDocument, blocks: list[_Block], text: str) -> bool:
    text = text.strip()
    span = next((d for d in doc.dropped if d.text.strip() == text), None)
    if span is None:
        return False
    doc.dropped = [d for d in doc.dropped if d is not span]
    before = [
        b for b in blocks if b.section.start is not None and span.start is not None and b.section.start <= span.start
    ]
    if before:
        sec = before[-1].section
        sec.text = "\n".join(p for p in (sec.text, text) if p)
    else:
        doc.opening = "\n".join(p for p in (doc.opening, text) if p)
    return True


def _merge(doc: KBDocument, blocks: list[_Block], b: _Block) -> None:
    i = blocks.index(b)
    sec = b.section
    head = _label(sec)
    moved = head + ("" if not sec.text or head.endswith(("。", "：", ":", "；")) else "。") + sec.text
    if i == 0:
        doc.opening = "\n".join(p for p in (doc.opening, moved) if p)
    else:
        prev = blocks[i - 1].section
        prev.text = "\n".join(p for p in (prev.text, moved) if p)
    del blocks[i]


def apply_fixes(doc: KBDocument, fixes: DocumentFixes) -> tuple[KBDocument, list[Fix]]:
    """The corrected document (a copy) and the operations whose anchor text was not found."""
    doc = doc.model_copy(deep=True)
    meta = fixes.metadata()
    if "year" in meta:
        meta["year_text"] = str(meta["year"])
    doc = KBDocument.model_validate({**doc.model_dump(), **meta})
    blocks = _flatten(doc)
    unapplied: list[Fix] = []
    for fix in fixes.fixes:
        if fix.restore:
            if not _restore(doc, blocks, fix.restore):
                unapplied.append(fix)
            continue
        if fix.drop:
            if not _drop(doc, blocks, fix.drop):
                unapplied.append(fix)
            continue
        if fix.split:
            if not _split(doc, blocks, fix):
                unapplied.append(fix)
            continue
        b = _find(blocks, fix.heading or "")
        if b is None:
            unapplied.append(fix)
            continue
        if fix.merge:
            _merge(doc, blocks, b)
            continue
        if fix.title is not None:
            _move_end(b.section, fix.title)
            if not b.role_set and heading_role(b.section.title) != "body":
                b.own_role = heading_role(b.section.title)
        if fix.level is not None:
            b.level = fix.level
        if fix.role is not None:
            b.own_role, b.role_set = fix.role, True
    doc.sections = _rebuild(blocks)
    for n, (_, sec) in enumerate(doc.walk()):
        sec.id = f"{doc.id}-s{n}"
    return doc, unapplied


def fixes_from_sidecar(entry: dict[str, Any]) -> DocumentFixes:
    """Corrections written in a sidecar YAML (top level or one ``documents`` entry); ValueError when malformed."""
    from pydantic import ValidationError

    data = {k: entry[k] for k in (*META_FIELDS, "fixes") if k in entry}
    try:
        return DocumentFixes.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"更正格式有误（{where}）：{first['msg']}") from None


def sidecar_fixes(sidecar: dict[str, Any], piece: int) -> DocumentFixes:
    """The heading-tree corrections a sidecar gives one piece: its top-level ``fixes`` then the piece's own."""
    out = fixes_from_sidecar({"fixes": sidecar.get("fixes") or []})
    for entry in sidecar.get("documents", []) or []:
        if isinstance(entry, dict) and int(entry.get("piece", 0)) == piece and entry.get("fixes"):
            out = out.then(fixes_from_sidecar({"fixes": entry["fixes"]}))
    return out
