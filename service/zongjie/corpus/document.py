"""Typed records of the knowledge base: a parsed past summary and its section tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, Field

UnitType = Literal["county_federation", "township", "hospital", "enterprise", "bureau", "school", "other"]
Period = Literal["annual", "first_half", "second_half"]
SectionRole = Literal["body", "problems", "plans"]

UNIT_TYPE_LABELS: dict[str, str] = {
    "county_federation": "县（市、区）总工会",
    "township": "乡镇（街道）工会",
    "hospital": "医院工会",
    "enterprise": "企业工会",
    "bureau": "机关（局）工会",
    "school": "学校（教育）工会",
    "other": "其他",
}
PERIOD_LABELS: dict[str, str] = {"annual": "全年", "first_half": "上半年", "second_half": "下半年"}


class DroppedSpan(BaseModel):
    """Text the parser left out of every document, with where it stood and why (the class of furniture).

    ``start``/``end`` are character offsets into the file's text as read (``ParsedFile.text``: decoded, before any
    cleaning); None when the span could not be placed (rare: a phrase-level traditional → simplified conversion).
    ``rule`` is a key of ``corpus.furniture.RULES`` (its Chinese label there)."""

    start: int | None = None
    end: int | None = None
    rule: str
    text: str


class Section(BaseModel):
    """One node of the heading ladder. ``text`` is the section's own body, without its children."""

    id: str = ""
    level: int
    style: str  # heading style: cn (一、) di (第一、) pcn (（一）) ar (1、) par (（1）) circ (①) plain (no marker)
    marker: str  # the marker as written, e.g. "一、"
    number: int | None = None
    title: str
    text: str = ""
    role: SectionRole = "body"
    children: list[Section] = Field(default_factory=list)
    # Where the heading stands in the file's text as read (``ParsedFile.text``), for the structure page: its marker
    # starts at ``start``, its title ends at ``title_end``, its own body starts at ``body_start`` (None: no body, or
    # not placed). Offsets are character offsets; the cleaned text of the same heading is ``marker + title``.
    start: int | None = None
    title_end: int | None = None
    body_start: int | None = None

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Section]]:
        here = path + (f"{self.marker}{self.title}",)
        yield here, self
        for child in self.children:
            yield from child.walk(here)


def file_name(source: str) -> str:
    """The file name of a stored ``source`` (a server path, or 上传/档案.zip/2024/x.docx): what users may see."""
    return PurePosixPath(source.replace("\\", "/")).name or source


class KBDocument(BaseModel):
    """One past summary: metadata, opening paragraph, section tree, closing paragraph."""

    id: str = ""
    source: str = ""
    file_hash: str = ""
    piece: int = 1  # position in its source file (1-based)
    title: str = ""
    unit_name: str | None = None
    unit_type: UnitType = "other"
    period: Period = "annual"
    year: int | None = None
    year_text: str | None = None  # as written: "2023", "201*", "20xx", "20__"
    opening: str = ""
    sections: list[Section] = Field(default_factory=list)
    closing: str = ""
    signature: str | None = None  # the date of the 落款 as written ("2024年12月28日", "201*年12月")
    signed_by: str | None = None  # the unit of the 落款 ("临溪县总工会"), when the summary is signed
    # Where the document stands in the file's text as read (character offsets into ``ParsedFile.text``) and what
    # the file kept: the share of its characters (not counting white space) kept in some document, and the
    # furniture dropped from the whole file (the same list on every document of the file).
    start: int | None = None
    end: int | None = None
    kept_share: float = 1.0
    dropped: list[DroppedSpan] = Field(default_factory=list)
    unit_id: str | None = None  # the unit of the tree it belongs to, where known (「从往年总结开始」, admins)

    def walk(self) -> Iterator[tuple[tuple[str, ...], Section]]:
        for s in self.sections:
            yield from s.walk()

    def public(self) -> KBDocument:
        """This document as users see it: ``source`` is the file name only (no server path)."""
        return self.model_copy(update={"source": file_name(self.source)})

    def outline(self) -> list[str]:
        """Heading lines, indented by level, for display and tests."""
        return ["  " * (len(path) - 1) + path[-1] for path, _ in self.walk()]

    def full_text(self) -> str:
        parts = [self.title, self.opening]
        for _, s in self.walk():
            parts.append(f"{s.marker}{s.title}")
            parts.append(s.text)
        parts.append(self.closing)
        return "\n".join(p for p in parts if p)


class Chunk(BaseModel):
    """What goes into the vector store: one section with its heading path and its document's metadata."""

    id: str
    doc_id: str
    text: str  # heading path + body, what is embedded and searched
    body: str
    heading_path: list[str]
    level: int
    role: str  # opening | body | problems | plans | closing
    unit_name: str = ""
    unit_type: str = "other"
    period: str = "annual"
    year: int | None = None
    source: str = ""
    file_hash: str = ""
    doc_title: str = ""

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for chroma (no None values, scalars only)."""
        return {
            "doc_id": self.doc_id,
            "heading_path": " > ".join(self.heading_path),
            "level": self.level,
            "role": self.role,
            "unit_name": self.unit_name,
            "unit_type": self.unit_type,
            "period": self.period,
            "year": self.year or 0,
            "source": self.source,
            "file_hash": self.file_hash,
            "doc_title": self.doc_title,
        }

    @classmethod
    def from_record(cls, id: str, text: str, meta: dict[str, Any]) -> Chunk:
        path = [p for p in str(meta.get("heading_path", "")).split(" > ") if p]
        body = text.split("\n", 1)[1] if "\n" in text else text
        return cls(
            id=id,
            doc_id=str(meta.get("doc_id", "")),
            text=text,
            body=body,
            heading_path=path,
            level=int(meta.get("level", 0)),
            role=str(meta.get("role", "body")),
            unit_name=str(meta.get("unit_name", "")),
            unit_type=str(meta.get("unit_type", "other")),
            period=str(meta.get("period", "annual")),
            year=int(meta.get("year") or 0) or None,
            source=str(meta.get("source", "")),
            file_hash=str(meta.get("file_hash", "")),
            doc_title=str(meta.get("doc_title", "")),
        )
