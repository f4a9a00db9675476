"""Text whose line breaks were lost: headings found inline at every level, titles cut from their bodies, list items
kept whole, figures such as 1.5万 and dates never taken for headings. The texts are written for these tests."""

from zongjie.corpus.parsing import parse_text
from zongjie.corpus.title_end import title_end

RUN_ON = (
    "红星镇工会2024年工作总结"
    "2024年，镇工会在镇党委和县总工会的领导下，围绕中心服务大局，现将主要工作报告如下"  # no full stop here
    "一、强化思想引领，凝聚职工力量"
    "（一）深化理论学习年初，镇工会制定学习计划，组织职工集中学习12次，覆盖职工1.5万人次。"
    "（二）选树先进典型3月召开表彰会，表彰优秀职工28名。"
    "二、维护职工权益"
    "（一）慰问困难职工46户，发放慰问金9.2万元。"
    "（二）组织职工健康体检1200人次。"
    "三、2025年工作打算"
    "一是继续推进小微企业建会；二是办好职工技能大赛。"
    "红星镇工会2024年12月26日"
)


def test_headings_titles_and_luokuan_of_a_text_without_line_breaks():
    (doc,) = parse_text(RUN_ON)
    assert doc.title == "红星镇工会2024年工作总结"
    assert doc.outline() == [
        "一、强化思想引领，凝聚职工力量",
        "  （一）深化理论学习",
        "  （二）选树先进典型",
        "二、维护职工权益",
        "  （一）慰问困难职工46户，发放慰问金9.2万元",
        "  （二）组织职工健康体检1200人次",
        "三、2025年工作打算",
    ]
    assert doc.sections[0].children[0].text.startswith("年初，镇工会制定学习计划")
    assert "1.5万人次" in doc.sections[0].children[0].text
    assert (doc.signature, doc.signed_by) == ("2024年12月26日", "红星镇工会")


def test_where_a_glued_title_ends():
    assert title_end("职工技能素质不断提升举办焊工、电工技能比赛，参赛职工90人，评出技术能手5名。") == 10
    assert title_end("民主管理4月召开职代会，审议通过《职工福利办法》，职工代表56名参会。") == 4
    # a one-sentence list item is its own title; a sentence that starts with a time is no title to cut
    assert title_end("慰问困难职工46户，发放慰问金9.2万元。") is None
    assert title_end("“五一”前夕组织全镇职工开展登山活动，参加职工120余人。") is None
    # the title ends where the first sentence ends: the section parser cuts there
    assert title_end("加强组织建设。新建工会12家，发展会员560名，会员总数达到1.2万人。") is None


def test_a_number_with_a_dot_is_not_a_heading():
    text = (
        "某局工会2024年工作总结今年，局工会认真履行职责。一、服务职工全年发放慰问金1.5万元，走访职工2.3万人次。"
        "二、加强自身建设组织干部培训3期。"
    )
    (doc,) = parse_text(text)
    assert [s.title for s in doc.sections] == ["服务职工", "加强自身建设"]
    assert "1.5万元" in doc.sections[0].text and "2.3万人次" in doc.sections[0].text
