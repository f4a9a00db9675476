"""Corrections of what the parser read (corpus/review.py): each operation on invented texts, anchors that are not
found reported (never raising), the document id kept, and the same corrections written in a sidecar YAML."""

from past_summaries import ONE_PARAGRAPH, TWO_PIECES
from zongjie.corpus.parsing import parse_file, parse_text
from zongjie.corpus.review import DocumentFixes, Fix, apply_fixes


def _one():
    return parse_text(ONE_PARAGRAPH, source="往年.txt")[0]


def _heads(doc):
    return [(len(path), f"{s.marker}{s.title}", s.role) for path, s in doc.walk()]


def test_moving_a_headings_end_gives_its_words_to_the_text_and_takes_them_back():
    doc = _one()
    fifth = next(s for _, s in doc.walk() if s.marker == "五、")
    fixed, unapplied = apply_fixes(
        doc, DocumentFixes(fixes=[Fix(heading=f"五、{fifth.title}", title="接续奋斗再出发")])
    )
    assert not unapplied
    five = next(s for _, s in fixed.walk() if s.marker == "五、")
    assert five.title == "接续奋斗再出发" and five.text.startswith("2025年，乡工会将新建企业工会3个")
    assert "接续奋斗再出发" not in five.text  # the heading is not restated in its text
    # the end moved further: the title takes words from the start of its text
    longer, _ = apply_fixes(
        fixed, DocumentFixes(fixes=[Fix(heading="五、接续奋斗再出发", title="接续奋斗再出发2025年")])
    )
    five = next(s for _, s in longer.walk() if s.marker == "五、")
    assert five.title == "接续奋斗再出发2025年" and five.text.startswith("乡工会将新建")
    assert fixed.id == doc.id and longer.id == doc.id  # links to the document survive corrections


def test_a_heading_cut_mid_sentence_is_mended_by_giving_its_tail_back():
    doc = _one()
    fourth = next(s for _, s in doc.walk() if s.marker == "四、")
    fixed, _ = apply_fixes(doc, DocumentFixes(fixes=[Fix(heading=f"四、{fourth.title}", title="存在的不足")]))
    four = next(s for _, s in fixed.walk() if s.marker == "四、")
    assert four.title == "存在的不足" and four.role == "problems"
    assert four.text.startswith("基层工会干部多为兼职")


def test_role_level_merge_split_and_drop():
    doc = _one()
    fifth = next(s for _, s in doc.walk() if s.marker == "五、")
    fixes = DocumentFixes(
        unit_name="松岭镇工会",
        year=2024,
        signed_by="松岭镇工会委员会",
        fixes=[
            Fix(heading=f"五、{fifth.title}", role="plans"),
            Fix(heading="三、技能提升有声有色", level=2),
            Fix(split="帮扶台账一户一档", level=2),
            Fix(drop="让老板放心、职工安心"),
        ],
    )
    fixed, unapplied = apply_fixes(doc, fixes)
    assert not unapplied
    assert fixed.unit_name == "松岭镇工会" and fixed.signed_by == "松岭镇工会委员会" and fixed.year_text == "2024"
    heads = _heads(fixed)
    assert heads[0][:2] == (1, "一、建会入会扎实推进")
    assert heads[1][:2] == (1, "二、困难帮扶精准到户")
    assert heads[2][0] == 2 and heads[2][1].startswith("帮扶台账一户一档")  # split out, one level down
    assert heads[3][:2] == (2, "三、技能提升有声有色")  # demoted
    assert heads[-1][2] == "plans"
    assert "让老板放心" not in fixed.full_text()
    two = fixed.sections[1]
    assert "帮扶台账" not in two.text and len(two.children) == 2
    # merging: the heading is text of the section before it; its children move up
    merged, _ = apply_fixes(fixed, DocumentFixes(fixes=[Fix(heading="三、技能提升有声有色", merge=True)]))
    assert "三、技能提升有声有色。举办茶叶加工" in merged.sections[1].children[0].text
    assert [s.marker for s in merged.sections] == ["一、", "二、", "四、", "五、"]


def test_children_inherit_a_corrected_role_unless_their_own_was_set():
    doc = parse_text(TWO_PIECES)[1]
    fixed, _ = apply_fixes(
        doc,
        DocumentFixes(fixes=[Fix(heading="二、素质提升", level=2), Fix(heading="一、维权帮扶", role="problems")]),
    )
    one = fixed.sections[0]
    assert one.role == "problems" and one.children[0].role == "problems"
    back, _ = apply_fixes(fixed, DocumentFixes(fixes=[Fix(heading="一、维权帮扶", role="body")]))
    assert back.sections[0].children[0].role == "body"


def test_anchors_that_are_not_found_are_returned_not_raised():
    doc = _one()
    fixed, unapplied = apply_fixes(
        doc,
        DocumentFixes(
            fixes=[Fix(heading="六、不存在的标题", role="plans"), Fix(split="没有这句话"), Fix(drop="也没有这句")]
        ),
    )
    assert len(unapplied) == 3 and _heads(fixed) == _heads(doc)


def test_sidecar_yaml_carries_corrections_per_piece(tmp_path):
    path = tmp_path / "汇编.txt"
    path.write_text(TWO_PIECES, encoding="utf-8")
    (tmp_path / "汇编.txt.yaml").write_text(
        "documents:\n"
        "  - piece: 2\n"
        "    unit_name: 石岗镇工会\n"
        "    signature: 2024年12月22日\n"
        "    fixes:\n"
        "      - heading: 二、素质提升\n"
        "        role: plans\n"
        "      - drop: 举办职工运动会1次。\n",
        encoding="utf-8",
    )
    docs = parse_file(path)
    second = docs[1]
    assert second.sections[1].role == "plans" and "运动会" not in second.full_text()
    assert docs[0].sections[1].role == "body"  # the other piece is untouched


def test_dropped_text_is_restored_into_the_section_it_stood_in():
    from zongjie.corpus.parsing import parse_source

    page = (
        "首页 > 资料 > 工作总结\n"
        + TWO_PIECES.split("石岗镇工会2024年工作总结\n")[0]
        + "猜你喜欢：\n街道工会另一篇总结\n"
    )
    doc = parse_source(page).documents[0]
    dropped = {d.text for d in doc.dropped}
    assert "街道工会另一篇总结" in dropped and doc.kept_share < 1
    fixed, unapplied = apply_fixes(
        doc, DocumentFixes(fixes=[Fix(restore="街道工会另一篇总结"), Fix(restore="从没删过的话")])
    )
    assert [f.restore for f in unapplied] == ["从没删过的话"]
    assert fixed.sections[-1].text.endswith("街道工会另一篇总结")  # it stood after 二、职工服务
    assert "街道工会另一篇总结" not in {d.text for d in fixed.dropped}
