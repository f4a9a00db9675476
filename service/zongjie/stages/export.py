"""Stage: export — a ``Draft`` → Markdown, JSON, or .docx in the official layout (GB/T 9704-2012).

The .docx: A4, margins 3.7 / 3.5 / 2.8 / 2.6 cm (top, bottom, left, right); title 方正小标宋简体 22 pt centred;
body 仿宋_GB2312 16 pt, first-line indent of two characters, fixed line spacing 28.95 pt (22 lines a page);
「一、」 headings 黑体, 「（一）」 headings 楷体_GB2312, 「1.」 仿宋_GB2312 bold; page numbers 宋体 14 pt as
「— N —」 at the outer edge (right on odd pages, left on even). East-Asian font names are written into every
style and run (w:eastAsia), so Word and WPS show them instead of the theme font. Headings use Word's built-in
Heading 1/2 styles so the navigation pane works.

Nothing flagged leaves unmarked: every open finding (``stages.marks.open_findings``: a figure that is not
supported, derived or exempt, a name or a span taken from an exemplar) gets, in the .docx, a highlight and a Word
comment stating the finding in Chinese, and in Markdown a 【待核实：…】 mark right after it plus a note under the
title with the count. Markdown escapes HTML and Markdown syntax in all text (facts and model output are text,
never markup: no raw ``<script>``, ``<img onerror>``, links or images survive). Pass a draft whose check is
current: the marks come from ``draft.report``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .assemble import Draft
from .draft import UNVERIFIED
from .marks import OpenFinding, open_findings

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_PT = 16
TITLE_PT = 22
LINE_PT = 28.95
COMMENT_AUTHOR = "总结起草助手"
COMMENT_INITIALS = "ZJ"
MARK_PREFIX = "【待核实："
_SENTENCE_END = re.compile(r"[。；！？!?;]")


def lines(draft: Draft) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset in ``Draft.text()``) for every line of the draft: kind is title, opening, h1, h2 or body.

    Mirrors ``Draft.text()``: lines joined by one newline, a section's paragraphs split on newlines."""
    pos = 0
    head = [("title", draft.title), ("opening", draft.opening)]
    for kind, text in head:
        if text:
            yield kind, text, pos
            pos += len(text) + 1
    for s in draft.walk():
        heading = f"{s.marker}{s.heading}"
        yield ("h1" if s.level == 1 else "h2"), heading, pos
        pos += len(heading) + 1
        if s.text:
            for para in s.text.split("\n"):
                yield "body", para, pos
                pos += len(para) + 1
    if draft.closing:
        yield "opening", draft.closing, pos  # the closing paragraph is set like the opening


def _pieces(text: str, offset: int, marks: list[OpenFinding]) -> list[tuple[int, str, list[OpenFinding]]]:
    """Cut one line at every boundary of the marks touching it: (end offset of the piece, the piece, the marks
    covering it)."""
    end = offset + len(text)
    inside = [m for m in marks if m.start < end and m.end > offset]
    cuts = sorted({0, len(text)} | {min(max(x - offset, 0), len(text)) for m in inside for x in (m.start, m.end)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            covering = [m for m in inside if m.start < offset + b and m.end > offset + a]
            out.append((offset + b, text[a:b], covering))
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LINE_START = re.compile(r"^(\d*)([#>+=.)-])")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters): Word could not open them."""
    return _NOT_XML.sub("", text or "")


def escape_markdown(text: str) -> str:
    """Text that renders as itself in Markdown: HTML made inert (&, <, > as entities), syntax backslash-escaped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_line(text: str, offset: int, marks: list[OpenFinding]) -> str:
    """One escaped line with a 【待核实：…】 mark after each finding that starts in it (after its last character on
    this line)."""
    end = offset + len(text)
    out = []
    marked = False  # a finding was just marked, and no sentence has ended since
    for piece_end, piece, _ in _pieces(text, offset, marks):
        at = piece.find(UNVERIFIED) if marked else -1
        if at >= 0 and not _SENTENCE_END.search(piece[:at]):  # the drafter's own 【待核实】 for it: one mark, not two
            piece = piece[:at] + piece[at + len(UNVERIFIED) :]
        out.append(escape_markdown(piece))
        marked = marked and not _SENTENCE_END.search(piece)
        for m in marks:
            if offset <= m.start < end and min(m.end, end) == piece_end:
                out.append(f"{MARK_PREFIX}{escape_markdown(m.message)}】")
                marked = True
    line = "".join(out)
    return _MD_LINE_START.sub(lambda g: g.group(1) + "\\" + g.group(2), line, count=1)


# font → (alternative names, PANOSE-1): what Word/WPS/LibreOffice use when the font itself is not installed
FALLBACK_FONTS = {
    "方正小标宋简体": ("宋体,SimSun", "02010600030101010101"),
    "仿宋_GB2312": ("仿宋,FangSong", "02010609060101010101"),
    "楷体_GB2312": ("楷体,KaiTi", "02010609060101010101"),
    "黑体": ("SimHei", "02010609060101010101"),
    "宋体": ("SimSun", "02010600030101010101"),
}


def to_markdown(draft: Draft) -> str:
    """Markdown with every open finding marked 【待核实：…】 and all text escaped (see the module docstring)."""
    marks = open_findings(draft)
    prefix = {"title": "# ", "h1": "## ", "h2": "### "}
    out = []
    for kind, text, offset in lines(draft):
        if not text.strip():
            continue
        out += [prefix.get(kind, "") + _md_line(text, offset, marks), ""]
        if kind == "title" and marks:
            out += [
                f"> 本稿还有 {len(marks)} 处待核实，已在文中用{MARK_PREFIX}…】标出，定稿前请逐一核对并删除标记。",
                "",
            ]
    signature = (draft.signature_unit, draft.signature_date)  # the 落款 is text like every other line
    out += [x for line in signature if line and line.strip() for x in (_md_line(line.strip(), 0, []), "")]
    return "\n".join(out).rstrip() + "\n"


def to_json(draft: Draft) -> str:
    data = draft.model_dump(mode="json")
    data["text"] = draft.text()
    return json.dumps(data, ensure_ascii=False, indent=2)


def _set_fonts(
    target: CharacterStyle | Run, east_asian: str, size: float | None = None, bold: bool | None = None
) -> None:
    """Set Latin and East-Asian fonts on a style or run (python-docx sets only ascii/hAnsi by itself)."""
    font = target.font
    font.name = east_asian
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), east_asian)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def _paragraph_format(
    style_or_par: ParagraphStyle | Paragraph, indent: bool, align: WD_ALIGN_PARAGRAPH | None = None
) -> None:
    pf = style_or_par.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
    if align is not None:
        pf.alignment = align


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT, BODY_PT, False)
    _paragraph_format(normal, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    title = styles["Title"]
    _set_fonts(title, TITLE_FONT, TITLE_PT, False)
    _paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(LINE_PT)
    for name, font, bold in (
        ("Heading 1", H1_FONT, False),
        ("Heading 2", H2_FONT, False),
        ("Heading 3", BODY_FONT, True),
    ):
        st = styles[name]
        _set_fonts(st, font, BODY_PT, bold)
        st.font.italic = False
        _paragraph_format(st, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        st.paragraph_format.keep_with_next = True
    # the Title style carries a bottom border in the default template; remove it
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)

    def run(text: str | None = None) -> Run:
        r = paragraph.add_run(text or "")
        _set_fonts(r, PAGE_FONT, 14)
        return r

    run("— ")
    r = run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
    run(" —")


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.8)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _font_table(doc: DocxDocument) -> None:
    """Declare every font with its fallback names (w:altName), GB2312 charset and PANOSE class."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for el in root.findall(qn("w:font")):
        if el.get(qn("w:name")) in FALLBACK_FONTS:
            root.remove(el)
    for name, (alt, panose) in FALLBACK_FONTS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"), ("w:family", "modern")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "fixed")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _signature(doc: DocxDocument, unit: str, date: str) -> None:
    """落款: right-aligned; the date 4 characters from the right margin, the unit centred over the date."""
    doc.add_paragraph(style="Normal")  # one blank line after the text
    for text, chars in ((unit, 4 + max(0.0, (len(date) - len(unit)) / 2) if date else 2), (date, 4)):
        if not text:
            continue
        par = _add(doc, text, "Normal", BODY_FONT)
        par.paragraph_format.first_line_indent = Pt(0)
        par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        par.paragraph_format.right_indent = Pt(BODY_PT * chars)


def _add(
    doc: DocxDocument,
    text: str,
    style: str,
    font: str,
    bold: bool = False,
    offset: int = 0,
    marks: Sequence[OpenFinding] = (),
) -> Paragraph:
    """A paragraph of ``text`` (at ``offset`` in ``Draft.text()``); pieces under a mark are highlighted and each
    mark starting here gets a Word comment over its runs."""
    par = doc.add_paragraph(style=style)
    runs_of: dict[OpenFinding, list[Run]] = {}
    for _, piece, covering in _pieces(text, offset, list(marks)):
        run = par.add_run(xml_text(piece))
        _set_fonts(run, font, None, bold)
        if covering:
            copied = all(m.kind == "copied" for m in covering)
            run.font.highlight_color = WD_COLOR_INDEX.TURQUOISE if copied else WD_COLOR_INDEX.YELLOW
        for m in covering:
            runs_of.setdefault(m, []).append(run)
    end = offset + len(text)
    for m, runs in runs_of.items():
        if offset <= m.start < end:
            doc.add_comment(
                runs, text=xml_text(f"待核实 · {m.message}"), author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
            )
    return par


def to_docx(draft: Draft, path: Path) -> Path:
    """The draft in the official layout, every open finding highlighted and commented (see the module docstring)."""
    doc = Document()
    _styles(doc)
    _font_table(doc)
    _page_setup(doc)
    core = doc.core_properties
    core.title, core.author = xml_text(draft.title)[:255], xml_text(draft.unit_name)[:255]
    marks = open_findings(draft)
    styles = {
        "title": ("Title", TITLE_FONT),
        "opening": ("Normal", BODY_FONT),
        "h1": ("Heading 1", H1_FONT),
        "h2": ("Heading 2", H2_FONT),
        "body": ("Normal", BODY_FONT),
    }
    for kind, text, offset in lines(draft):
        if not text.strip():
            continue
        style, font = styles[kind]
        _add(doc, text, style, font, offset=offset, marks=marks)
    if draft.signature_unit or draft.signature_date:
        _signature(doc, xml_text(draft.signature_unit), xml_text(draft.signature_date))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def export(draft: Draft, path: Path) -> Path:
    """Write by extension: .docx, .md, .json."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return to_docx(draft, path)
    if suffix == ".md":
        path.write_text(to_markdown(draft), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(to_json(draft), encoding="utf-8")
    else:
        raise ValueError(f"不支持的输出格式 {suffix}：请用 .docx、.md 或 .json")
    return path
