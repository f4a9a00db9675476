"""Real archives: run-on text, inline headings, 落款, Word numbering and tables, PDFs from LibreOffice, traditional
characters, doubled punctuation, unit names. The texts here are written for these tests."""

import re
import shutil

import docx
import pytest

from zongjie.corpus.parsing import parse_file, parse_text
from zongjie.corpus.script import repair_punctuation, to_simplified

LINES = [
    "青山镇工会2024年工作总结",
    "2024年，青山镇工会在镇党委和县总工会的领导下，围绕中心工作，团结动员全镇职工，各项工作取得新成效。现将全年工作总结如下：",
    "一、加强组织建设，夯实工作基础",
    "（一）扩大工会覆盖面",
    "新建非公企业工会5家，发展会员230名，第一、二季度集中开展会员实名制录入。",
    "（二）规范基层工会运行",
    "指导12个村级工会完成换届选举，按期召开会员代表大会。",
    "二、维护职工权益，构建和谐劳动关系",
    "（一）推进集体协商",
    "签订工资集体协议38份，覆盖职工4600人，一、二线职工工资增幅均不低于5%。",
    "（二）做好困难帮扶",
    "走访慰问困难职工86户，发放慰问金12.5万元。",
    "三、存在的问题和下一步打算",
    "一是基层工会干部力量薄弱；二是活动形式较为单一。下一步将继续做好职工服务工作。",
    "青山镇工会",
    "2024年12月28日",
]
OUTLINE = [
    "一、加强组织建设，夯实工作基础",
    "  （一）扩大工会覆盖面",
    "  （二）规范基层工会运行",
    "二、维护职工权益，构建和谐劳动关系",
    "  （一）推进集体协商",
    "  （二）做好困难帮扶",
    "三、存在的问题和下一步打算",
]


def _check(doc):
    assert doc.outline() == OUTLINE
    assert doc.title == "青山镇工会2024年工作总结"
    assert (doc.unit_name, doc.year, doc.signature, doc.signed_by) == (
        "青山镇工会",
        2024,
        "2024年12月28日",
        "青山镇工会",
    )
    assert "第一、二季度" in doc.sections[0].children[0].text
    assert "一、二线职工" in doc.sections[1].children[0].text


def test_clean_text_and_the_luokuan_is_metadata_not_a_section():
    (doc,) = parse_text("\n".join(LINES))
    _check(doc)
    assert "2024年12月28日" not in doc.full_text()


def test_text_with_every_line_break_removed():
    (doc,) = parse_text("".join(LINES))
    _check(doc)


def test_inline_dot_headings_inside_one_paragraph():
    text = (
        "某局工会2023年工作总结\n"
        "今年以来，局工会认真履行职责，现将工作总结如下：一.加强职工思想教育。组织职工参加专题学习8次。"
        "二.开展劳动竞赛。举办技能比武3场，参赛职工150人。三.关心职工生活。慰问困难职工20户。"
    )
    (doc,) = parse_text(text)
    assert [s.title for s in doc.sections] == ["加强职工思想教育", "开展劳动竞赛", "关心职工生活"]
    assert doc.title == "某局工会2023年工作总结" and doc.unit_name == "某局工会"


def test_traditional_characters_and_doubled_punctuation():
    import opencc

    trad = opencc.OpenCC("s2t").convert("\n".join(LINES))
    assert "會" in trad
    (doc,) = parse_text(trad)
    _check(doc)
    assert to_simplified("慰問職工1.2萬人，發放補助餘款") == "慰问职工1.2万人，发放补助余款"
    assert to_simplified("他们在乾旱地区") == "他们在乾旱地区"  # simplified text is left alone
    assert repair_punctuation("慰问职工，，发放物资、，共计。。") == "慰问职工，发放物资、共计。"
    assert repair_punctuation("还有……以及——") == "还有……以及——"


def test_unit_name_is_never_a_leadership_phrase():
    text = (
        "工作总结\n今年，市委和市工委高度重视，院工会在医院党委和县总工会的领导下开展工作，取得了新的成绩。"
        "现总结如下：\n一、组织建设\n新建工会组织5家，发展会员230名。"
    )
    (doc,) = parse_text(text)
    assert doc.unit_name is None or ("委和" not in doc.unit_name and "党委" not in doc.unit_name)


def test_docx_with_numbered_heading_styles_and_a_table(tmp_path):
    from zongjie.corpus.document import KBDocument
    from zongjie.evaluation.office_files import styled_docx

    (gold,) = parse_text("\n".join(LINES))
    path = styled_docx(gold, ["青山镇工会", "2024年12月28日"], tmp_path / "s.docx")
    d = docx.Document(str(path))
    # no marker is typed: Word draws 一、 and （一） from the numbering part
    assert not any(p.text.startswith(("一、", "（一）")) for p in d.paragraphs)
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2023年", "2024年"], ["会员人数", "4100", "4330"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    # move the table into the first subsection, where the figures belong
    d.paragraphs[4]._p.addnext(table._tbl)
    d.save(str(path))
    (doc,) = parse_file(path)
    assert isinstance(doc, KBDocument)
    _check(doc)
    assert "会员人数｜4100｜4330" in doc.sections[0].children[0].text


def test_docx_headings_as_styles_only(tmp_path):
    d = docx.Document()
    d.add_paragraph("青山镇工会2024年工作总结")
    d.add_paragraph("2024年，镇工会在镇党委领导下开展工作，现总结如下：")
    d.add_paragraph("组织建设", style="Heading 1")
    d.add_paragraph("新建工会组织5家，发展会员230名。")
    d.add_paragraph("职工帮扶", style="Heading 1")
    d.add_paragraph("慰问困难职工18户。")
    path = tmp_path / "styles.docx"
    d.save(str(path))
    (doc,) = parse_file(path)
    assert doc.outline() == ["一、组织建设", "二、职工帮扶"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_printed_by_libreoffice_with_header_and_page_footer(tmp_path):
    from zongjie.evaluation.office_files import convert, styled_docx

    (gold,) = parse_text("\n".join(LINES))
    long = gold.model_copy(deep=True)
    for sec in long.sections:  # several pages: the running header and the footers repeat
        for child in sec.children:
            child.text = (child.text + "\n") * 12
    src = styled_docx(long, ["青山镇工会", "2024年12月28日"], tmp_path / "long.docx", page_style=1)
    pdf = convert([src], "pdf", tmp_path / "out")[src]
    docs = parse_file(pdf)
    assert len(docs) == 1, [d.title for d in docs]
    (doc,) = docs
    assert doc.outline() == OUTLINE and doc.title == "青山镇工会2024年工作总结"
    assert doc.signed_by == "青山镇工会" and doc.signature == "2024年12月28日"
    assert not re.search(r"第\s*\d+\s*页|共\s*\d+\s*页", doc.full_text())


def test_office_conversion_is_cached(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from zongjie.evaluation.office_files import convert

    src = tmp_path / "a.txt"
    src.write_text("\n".join(LINES), encoding="utf-8")
    first = convert([src], "pdf", tmp_path / "cache")[src]
    mtime = first.stat().st_mtime_ns
    again = convert([src], "pdf", tmp_path / "cache")[src]
    assert again == first and again.stat().st_mtime_ns == mtime


RESTARTED = [
    "白沙镇工会2024年工作总结",
    "2024年，白沙镇工会在镇党委的领导下，团结带领全镇职工，较好地完成了全年各项任务。",
    "一、加强组织建设",
    "新建企业工会4家，发展会员190名。",
    "二、做好帮扶救助",
    "走访慰问困难职工52户，发放慰问金8.4万元。",
    "2025年，镇工会将重点抓好以下几方面工作：",
    "一、深化产业工人队伍建设改革",
    "二、办好职工技能大赛",
    "白沙镇工会",
    "2024年12月26日",
]


def _word_list_numbers(doc):
    return [f"{s.marker}{s.title}" for s in doc.sections]


def test_a_word_list_restarted_at_one_reads_as_word_draws_it(tmp_path):
    """Two w:num over one list definition continue one sequence unless the second restarts it (startOverride):
    the plans after 「重点抓好以下几方面：」 restart at 一、 in Word, in LibreOffice's PDF and in our reading."""
    from zongjie.evaluation.office_files import convert, styled_docx

    (gold,) = parse_text("\n".join(RESTARTED))
    want = ["一、加强组织建设", "二、做好帮扶救助", "一、深化产业工人队伍建设改革", "二、办好职工技能大赛"]
    assert _word_list_numbers(gold) == want
    path = styled_docx(gold, ["白沙镇工会", "2024年12月26日"], tmp_path / "restart.docx")
    (doc,) = parse_file(path)
    assert _word_list_numbers(doc) == want
    # the same file without the restart: Word continues the list (三、四、), and so do we
    d = docx.Document(str(path))
    for override in d.part.numbering_part.element.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lvlOverride"
    ):
        override.getparent().remove(override)
    d.save(str(tmp_path / "continued.docx"))
    (cont,) = parse_file(tmp_path / "continued.docx")
    assert [s.marker for s in cont.sections] == ["一、", "二、", "三、", "四、"]
    if shutil.which("soffice"):
        pdf = convert([path], "pdf", tmp_path / "out")[path]
        (printed,) = parse_file(pdf)
        assert _word_list_numbers(printed) == want
