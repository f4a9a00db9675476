"""Export: .docx in the official layout (read back with python-docx, converted by LibreOffice), Markdown, JSON."""

import json
import os
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from conftest import FACT_SHEETS, ROOT
from zongjie.cli import app
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import load_fact_sheet
from zongjie.settings import Settings
from zongjie.stages.export import export


@pytest.fixture(scope="module")
def draft():
    return run_draft(
        load_fact_sheet(ROOT / "eval" / "checker" / "enterprise" / "facts.yaml"),
        Settings(environment="test"),
        kb=None,
        llm=None,
    )


def _east_asian(element) -> str | None:
    rpr = element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_docx_layout_fonts_and_headings(draft, tmp_path):
    path = export(draft, tmp_path / "d.docx")
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(x.cm, 1) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        3.7,
        3.5,
        2.8,
        2.6,
    ]
    pars = d.paragraphs
    assert pars[0].text == draft.title and pars[0].style.name == "Title"
    assert pars[0].alignment == 1 or d.styles["Title"].paragraph_format.alignment == 1  # centred
    assert _east_asian(d.styles["Title"].element) == "方正小标宋简体" and d.styles["Title"].font.size == Pt(22)
    assert _east_asian(d.styles["Normal"].element) == "仿宋_GB2312" and d.styles["Normal"].font.size == Pt(16)
    assert d.styles["Normal"].paragraph_format.first_line_indent == Pt(32)
    assert d.styles["Normal"].paragraph_format.line_spacing == Pt(28.95)
    h1 = [p for p in pars if p.style.name == "Heading 1"]
    h2 = [p for p in pars if p.style.name == "Heading 2"]
    assert h1[0].text.startswith("一、") and h2[0].text.startswith("（一）")
    assert _east_asian(h1[0].runs[0]._r) == "黑体" and _east_asian(h2[0].runs[0]._r) == "楷体_GB2312"
    body = [p for p in pars if p.style.name == "Normal"]
    assert all(_east_asian(r._r) == "仿宋_GB2312" for p in body for r in p.runs)
    footer_xml = sec.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "— " in sec.footer.paragraphs[0].text
    assert d.settings.odd_and_even_pages_header_footer


def test_libreoffice_converts_the_docx_to_pdf(draft, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice must be installed in CI (.ci/run installs libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    path = export(draft, tmp_path / "d.docx")
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    pdf = tmp_path / "d.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_markdown_and_json(draft, tmp_path):
    md = export(draft, tmp_path / "d.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {draft.title}") and "## 一、" in md and "### （一）" in md
    data = json.loads(export(draft, tmp_path / "d.json").read_text(encoding="utf-8"))
    assert data["text"] == draft.text()
    assert {"sections", "provenance", "report", "exemplars", "backend", "timings", "usage"} <= set(data)
    with pytest.raises(ValueError):
        export(draft, tmp_path / "d.pdf")


@pytest.mark.parametrize("suffix", [".docx", ".md", ".json"])
def test_cli_draft(tmp_path, suffix, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"draft{suffix}"
    result = CliRunner().invoke(app, ["draft", str(FACT_SHEETS[0]), "-o", str(out), "--no-kb"])
    assert result.exit_code == 0, result.stdout
    assert out.exists() and out.stat().st_size > 500
    assert "事实覆盖 100%" in result.stdout.replace("\n", "")


def test_cli_draft_rejects_bad_input(tmp_path):
    bad = tmp_path / "f.yaml"
    bad.write_text("unit: {}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", str(bad), "-o", str(tmp_path / "x.docx"), "--no-kb"])
    assert result.exit_code == 2 and "必填项" in result.stdout
    result = CliRunner().invoke(app, ["draft", str(FACT_SHEETS[0]), "-o", str(tmp_path / "x.pdf"), "--no-kb"])
    assert result.exit_code == 2
