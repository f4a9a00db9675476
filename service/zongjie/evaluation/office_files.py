"""Word and PDF files of a summary, made the way real offices make them, for the corruption benchmark.

- ``styled_docx(doc, signature, path)`` writes a .docx as a typist would: headings as Heading styles with
  automatic numbering (``w:numPr``; each level numbered as the summary numbers it, 一、/（一）/1./（1）, drawn from
  the numbering part, no marker typed in the text — a list with a gap, which Word cannot number, is typed), body in
  first-line-indented paragraphs, the 落款 right-aligned, a running header with the title and a page-number footer.
- ``convert(files, fmt, cache)`` converts files with LibreOffice (``soffice --headless --convert-to``) in ONE
  soffice call per batch, caching results by content hash so re-runs cost nothing. Raises ``OfficeUnavailable``
  when soffice is not installed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..corpus.document import KBDocument, Section

# numbering formats for heading levels 1..4: (w:numFmt, w:lvlText)
_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]


class OfficeUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed."""


_STYLE_FORMATS = {
    "cn": "chineseCounting",
    "pcn": "chineseCounting",
    "di": "chineseCounting",
    "circ": "decimalEnclosedCircle",
}


def _levels_of(doc: KBDocument) -> list[tuple[str, str]]:
    """The list levels a typist would set up for this summary: at each depth the marker its first heading there
    shows (「1.」 stays 「1.」 at the second level), so Word draws the same labels the text had."""
    levels = list(_LEVELS)
    seen: set[int] = set()
    for path_sec in _walk(doc.sections, 0):
        sec, depth = path_sec
        if depth in seen or depth >= len(levels) or sec.number is None or not sec.marker:
            continue
        seen.add(depth)
        digits = re.search(r"[0-9一二三四五六七八九十①-⑩]+", sec.marker)
        if digits is None:
            continue
        text = sec.marker[: digits.start()] + f"%{depth + 1}" + sec.marker[digits.end() :]
        levels[depth] = (_STYLE_FORMATS.get(sec.style, "decimal"), text)
    return levels


def _walk(sections: list[Section], depth: int) -> list[tuple[Section, int]]:
    out: list[tuple[Section, int]] = []
    for sec in sections:
        out.append((sec, depth))
        out.extend(_walk(sec.children, depth + 1))
    return out


def _numbering_xml(num_id: int, levels: list[tuple[str, str]] = _LEVELS) -> tuple[str, str]:
    from docx.oxml.ns import nsdecls

    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>'
    num = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
    return abstract, num


def _add_field(paragraph, instr: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instr}"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )


def styled_docx(doc: KBDocument, signature: list[str], path: Path, page_style: int = 0) -> Path:
    """Write ``doc`` as a Word file with numbered Heading styles; ``page_style`` picks the footer form."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Pt

    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract, num = _numbering_xml(90, _levels_of(doc))
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(parse_xml(abstract))
    else:
        numbering.append(parse_xml(abstract))
    numbering.append(parse_xml(num))
    lists = [90]

    def restart() -> None:
        # a list that starts again at 一 (the plans after the closing, or a number written twice) is a new w:num
        # over the same definition that restarts it (Word's 「重新开始编号」: without the override it continues)
        lists.append(90 + len(lists))
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="{lists[-1]}">'
                '<w:abstractNumId w:val="90"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )

    section = d.sections[0]
    section.header.paragraphs[0].text = doc.title or "工作总结"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_style == 0:
        footer.add_run("— ")
        _add_field(footer, "PAGE")
        footer.add_run(" —")
    else:
        footer.add_run("第 ")
        _add_field(footer, "PAGE")
        footer.add_run(" 页 共 ")
        _add_field(footer, "NUMPAGES")
        footer.add_run(" 页")

    if doc.title:
        t = d.add_paragraph()
        t.alignment = WD_ALIGN_PARAGRAPH.CENTER
        t.add_run(doc.title).font.size = Pt(22)

    def body(text: str) -> None:
        for para in text.split("\n"):
            if para.strip():
                p = d.add_paragraph(para)
                p.paragraph_format.first_line_indent = Pt(32)

    def heading(sec: Section, depth: int, typed: bool = False) -> None:
        text = sec.text
        line = sec.title
        if text.startswith(sec.title):  # the title is the start of its first paragraph ("1、title，body…")
            line, _, text = text.partition("\n")
        if sec.number is None:  # an unnumbered heading is typed as a short bold line
            d.add_paragraph().add_run(line).bold = True
        elif typed:  # a list Word cannot number (1, 2, 3, 5): the typist types the markers
            d.add_paragraph(sec.marker + line, style=f"Heading {min(depth + 1, 4)}")
        else:
            p = d.add_paragraph(line, style=f"Heading {min(depth + 1, 4)}")
            p._p.get_or_add_pPr().append(
                parse_xml(
                    '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f'<w:ilvl w:val="{min(depth, 3)}"/><w:numId w:val="{lists[-1]}"/></w:numPr>'
                )
            )
        body(text)
        numbers = [c.number for c in sec.children]
        for child in sec.children:
            heading(child, depth + 1, typed=numbers != list(range(1, len(numbers) + 1)))

    body(doc.opening)
    for i, sec in enumerate(doc.sections):
        if i and sec.number == 1:
            restart()
        heading(sec, 0)
    body(doc.closing)
    for line in signature:
        p = d.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(path))
    return path


def _digest(path: Path, fmt: str) -> str:
    return hashlib.sha256(path.read_bytes() + fmt.encode()).hexdigest()[:24]


def convert(files: list[Path], fmt: str, cache: Path) -> dict[Path, Path]:
    """Convert ``files`` to ``fmt`` (pdf, docx) with LibreOffice; returns input → converted file (in ``cache``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise OfficeUnavailable("soffice (LibreOffice) is not installed")
    cache.mkdir(parents=True, exist_ok=True)
    out: dict[Path, Path] = {}
    todo: dict[str, Path] = {}
    for f in files:
        target = cache / f"{_digest(f, fmt)}.{fmt}"
        out[f] = target
        if not target.exists():
            todo[target.stem] = f
    if todo:
        with tempfile.TemporaryDirectory(prefix="zj-office-") as tmp:
            tmpd = Path(tmp)
            staged = []
            for stem, f in todo.items():
                s = tmpd / f"{stem}{f.suffix}"
                shutil.copyfile(f, s)
                staged.append(str(s))
            cmd = [
                soffice,
                f"-env:UserInstallation=file://{tmpd / 'profile'}",
                "--headless",
                "--norestore",
                *(["--infilter=Text (encoded):UTF8,LF,,,"] if all(f.suffix == ".txt" for f in todo.values()) else []),
                "--convert-to",
                fmt if fmt != "docx" else "docx:MS Word 2007 XML",
                "--outdir",
                str(tmpd / "out"),
                *staged,
            ]
            subprocess.run(cmd, check=False, capture_output=True, timeout=600)
            for stem in todo:
                produced = tmpd / "out" / f"{stem}.{fmt}"
                if produced.exists():
                    shutil.move(str(produced), cache / f"{stem}.{fmt}")
    return {f: p for f, p in out.items() if p.exists()}
