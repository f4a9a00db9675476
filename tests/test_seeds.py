"""The real past summaries in ../shared/seeds (skipped when absent): documents, boilerplate, trees, metadata."""

import re

from zongjie.corpus.parsing import parse_file

BOILERPLATE = re.compile(
    r"范本网|内容页|预览阅读|猜你喜欢|扩展阅读|小编|范文|相关文章|联系老师|mooonya|👉|\d{4}-\d\d-\d\d \d\d:\d\d|篇\d"
)


def docs_of(seeds, prefix):
    (path,) = seeds.glob(f"{prefix}_*.txt")
    return parse_file(path)


def top(doc):
    return [f"{s.marker}{s.title}" for s in doc.sections]


def test_no_boilerplate_survives(seeds):
    for path in seeds.glob("*.txt"):
        for d in parse_file(path):
            text = d.full_text()
            assert not BOILERPLATE.search(text), (path.name, BOILERPLATE.search(text).group(0))


def test_county_file_is_one_summary_with_a_two_level_tree(seeds):
    (d,) = docs_of(seeds, "000")
    assert top(d) == [
        "一、立足改革发展主线，深化建功立业活动",
        "二、聚焦职工权益保障，构建和谐劳动关系",
        "三、强化基层组织建设，夯实工会工作基础",
        "四、加强自身建设，树立良好形象",
    ]
    assert [c.title for c in d.sections[0].children] == [
        "提升技术创新能力",
        "提升职工业务技能",
        "提升职工竞赛水平",
        "提升职工思想素质",
    ]
    assert all(len(s.children) == 3 for s in d.sections[1:])
    assert d.opening.startswith("201x年，某县总工会") and d.opening.endswith("现将全年工作总结如下：")
    assert d.closing.startswith("201x年，在县委、县政府的坚强领导下")
    assert (d.unit_name, d.unit_type, d.period, d.year, d.year_text) == (
        "某县总工会",
        "county_federation",
        "annual",
        None,
        "201x",
    )


def test_township_file_holds_four_summaries(seeds):
    docs = docs_of(seeds, "001")
    assert len(docs) == 4
    assert all(d.unit_type == "township" and d.period == "first_half" for d in docs)
    assert [d.title for d in docs] == ["乡镇工会上半年工作总结"] * 4
    assert docs[0].unit_name == "zz乡工会" and docs[3].unit_name == "XX镇工会" and docs[3].year_text == "20xx"
    assert top(docs[1]) == [
        "一、加强学习，提高综合素质",
        "二、加强工会组织建设，夯实工会工作基础",
        "三、参与经济建设，切实为职工群众办好事",
        "四、年度工作意见",
    ]
    assert docs[1].sections[3].role == "plans"
    assert [len(s.children) for s in docs[2].sections] == [5, 13, 5, 4]
    assert docs[2].sections[3].title == "20xx年度重点工作打算" and docs[2].sections[3].role == "plans"
    assert [s.marker for s in docs[3].sections] == ["1、", "2、", "3、", "4、", "5、"]
    # the plans listed after "…重点抓好以下几方面：" restart at 一、 and are recognised as plans
    assert [s.role for s in docs[0].sections][-4:] == ["plans"] * 4


def test_hospital_file_holds_two_summaries(seeds):
    hospital, group = docs_of(seeds, "002")
    assert hospital.title == "海宁市人民医院201*年工会工作总结"
    assert (hospital.unit_name, hospital.unit_type, hospital.year_text) == ("海宁市人民医院工会", "hospital", "201*")
    assert hospital.signature == "201*年12月"
    assert len(hospital.sections) == 9 and hospital.sections[8].title == "开展丰富多彩的群众性文体活动"
    assert [c.marker for c in hospital.sections[5].children] == [f"{n}、" for n in range(1, 7)]
    assert group.title == "201*年工会工作总结" and group.unit_type == "enterprise"
    # ten numbered achievements, then the unnumbered plan heading with its own ladder
    assert [s.marker for s in group.sections[:10]] == [f"（{c}）" for c in "一二三四五六七八九十"]
    plans = group.sections[10]
    assert plans.title == "201*年工作总思路和工作要点" and plans.role == "plans"
    assert [c.marker for c in plans.children] == ["（一）", "（二）", "（三）"]
    # lines broken in mid-sentence by extraction are joined back
    assert "协同有关部门开展了" in group.full_text()


def test_bureau_file_splits_every_piece_and_the_untitled_one(seeds):
    docs = docs_of(seeds, "004")
    assert len(docs) == 6
    assert [d.unit_type for d in docs] == ["bureau", "enterprise", "bureau", "school", "bureau", "bureau"]
    assert docs[0].period == "first_half" and docs[0].sections[1].role == "problems"
    assert docs[4].title == "" and docs[4].opening.startswith("今年，我局工会在上级工会和局党组的领导下")
    assert top(docs[3])[:2] == [
        "一、加强工会干部的理论培训，增强工会干部的民主管理意识",
        "二、狠抓了“三个规范”建设，促进学校民主管理程序化、规范化、科学化的形成",
    ]
    assert [c.marker for c in docs[3].sections[1].children] == ["第一、", "第二、"]
    assert docs[2].closing.startswith("总之") and docs[5].year_text == "__"
