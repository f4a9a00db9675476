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


def test_unnumbered_heading_and_title_forms_of_a_run_on_text():
    text = (
        "青禾县总工会2024年工作总结"
        "今年，县总工会团结带领全县职工，各项工作取得新成效。"
        "（一）职工维权工作有了新进展全年调处劳动争议案件36起，为职工挽回经济损失82万元。"
        "（二）以创建模范职工之家为契机，推动基层工会规范化建设在县委的领导下，新建模范职工之家12个。"
        "（三）开展丰富多彩的文体活动，营造健康向上的文化氛围近三年来，县总工会每年举办职工运动会。"
        "2025年工作打算2025年，县总工会将重点做好以下工作。"
        "（一）深化产业工人队伍建设改革一是扩大技能竞赛覆盖面；二是完善技能人才激励机制。"
        "（二）做好困难职工帮扶一是建立动态帮扶台账；二是开展金秋助学。"
    )
    (doc,) = parse_text(text)
    assert doc.outline() == [
        "（一）职工维权工作有了新进展",
        "（二）以创建模范职工之家为契机，推动基层工会规范化建设",
        "（三）开展丰富多彩的文体活动，营造健康向上的文化氛围",
        "2025年工作打算",
        "  （一）深化产业工人队伍建设改革",
        "  （二）做好困难职工帮扶",
    ]
    assert doc.sections[3].role == "plans"
