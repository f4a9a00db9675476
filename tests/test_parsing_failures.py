"""The parsing failures of issue 23's *Why*, each on an invented text of the same shape (none copied from a source).

A past summary that came as one paragraph from a PDF, page digits glued into it: the unit's name must come out
clean, headings that run straight into a body restating them are cut where the title ends, the next year's plans
part whose year has a page digit glued to it is a plans part, and the closing is kept. A half-year review heading is
body, not plans. (A table of contents and site headers: tests/test_furniture.py.)
"""

import pytest

from zongjie.corpus.parsing import parse_text

# one paragraph, as copied out of a PDF: page numbers 3, 6 and 8 glued in where the pages broke
RUN_ON = (
    "临溪县总工会2024年工作总结"
    "2024年，在县委和市总工会的坚强领导下，县总工会团结动员全县职工，较好地完成了全年各项任务。现将工作总结如下："
    "一、强化思想引领，凝聚职工奋进力量强化思想引领，凝聚职工奋进力量是工会的首要政治任务。"
    "全年举办宣讲活动46场，覆盖职工5200余人次。"
    "二、深化建功立业，激发职工创新活力深化建功立业是工会的中心任务。组织劳动竞赛18项，参赛职工9800人。"
    "三、加强自身建设，提升服务能力加强自身建设，提升服务能力，是做好工会工作的基础。全年培训工会干部320人次。"
    "四、82025年工作打算2025年，县总工会将坚持以职工为中心，重点抓好以下工作：一是持续深化产业工人队伍建设改革；"
    "二是扩大新就业形态劳动者入会；三是办好职工服务阵地。"
    "回顾过去一年，成绩来之不易；展望新的一年，我们将继续努力，为全县经济社会发展作出新的更大贡献。"
    "3临溪县总工会2024年12月28日"
)


def _doc():
    (doc,) = parse_text(RUN_ON)
    return doc


def test_a_page_digit_glued_in_front_of_the_unit_name_is_not_part_of_it():
    doc = _doc()
    assert doc.unit_name == "临溪县总工会"
    assert (doc.signed_by, doc.signature) == ("临溪县总工会", "2024年12月28日")


def test_a_heading_running_into_a_body_that_restates_it_is_cut_where_the_title_ends():
    doc = _doc()
    assert [s.title for s in doc.sections[:3]] == [
        "强化思想引领，凝聚职工奋进力量",
        "深化建功立业，激发职工创新活力",
        "加强自身建设，提升服务能力",
    ]
    assert doc.sections[0].text.startswith("强化思想引领，凝聚职工奋进力量是工会的首要政治任务")
    assert doc.sections[2].text.startswith("加强自身建设，提升服务能力，是做好工会工作的基础")


def test_next_years_plans_with_a_page_digit_glued_to_the_year_are_a_plans_part():
    doc = _doc()
    plans = doc.sections[3]
    assert (plans.title, plans.role) == ("2025年工作打算", "plans")
    assert "扩大新就业形态劳动者入会" in plans.text
    assert "扩大新就业形态劳动者入会" not in doc.sections[2].text


def test_the_closing_of_a_run_on_text_is_kept_as_the_closing():
    doc = _doc()
    assert doc.closing.startswith("回顾过去一年，成绩来之不易")
    assert "回顾过去一年" not in doc.sections[3].text


def test_an_unnumbered_plans_part_with_a_glued_page_digit_is_not_folded_into_the_last_section():
    text = RUN_ON.replace("四、82025年工作打算", "62025年工作思路")
    (doc,) = parse_text(text)
    assert [(s.title, s.role) for s in doc.sections][-1] == ("2025年工作思路", "plans")
    assert "扩大新就业形态劳动者入会" not in doc.sections[2].text
    assert doc.closing.startswith("回顾过去一年")


def test_a_half_year_review_heading_is_body_even_when_it_names_the_period():
    text = "\n".join(
        [
            "白沙镇工会2024年上半年工作总结",
            "上半年，镇工会在镇党委的领导下，围绕中心、服务大局，现将上半年工作总结如下：",
            "一、上半年重点工作总结",
            "1、组织建设。新建工会4家，发展会员210名。",
            "2、帮扶工作。慰问困难职工12户，发放慰问金1.2万元。",
            "二、下半年工作打算",
            "1、继续抓好建会工作，力争新建工会3家。",
            "2、做好金秋助学工作。",
        ]
    )
    (doc,) = parse_text(text)
    assert [(s.title, s.role) for s in doc.sections] == [("上半年重点工作总结", "body"), ("下半年工作打算", "plans")]
    assert {c.role for c in doc.sections[0].children} == {"body"}


@pytest.mark.parametrize(
    "heading,role",
    [
        ("做好计划生育宣传和服务工作", "body"),  # 计划 in passing: work done
        ("努力解决职工群众的实际问题", "body"),  # problems solved are work done
        ("创新思路，探索工会工作新机制", "body"),
        ("上半年重点工作", "body"),
        ("存在的问题与不足", "problems"),
        ("工作中存在的差距", "problems"),
        ("下一步工作打算", "plans"),
        ("2025年工作思路和要点", "plans"),
        ("上半年工作总结及下半年工作打算", "plans"),
    ],
)
def test_a_heading_is_a_problems_or_plans_part_only_when_that_is_its_head(heading, role):
    text = "\n".join(
        [
            "青禾镇工会2024年工作总结",
            "今年，镇工会在镇党委的领导下，围绕中心、服务大局，现总结如下：",
            "一、夯实基层组织",
            "全年新建企业工会7家，发展会员412名。",
            f"二、{heading}",
            "围绕这一方面做了大量工作，取得了一定成效，也有一些需要改进的地方。",
        ]
    )
    (doc,) = parse_text(text)
    assert (doc.sections[1].title, doc.sections[1].role) == (heading, role)
