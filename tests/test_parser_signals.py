"""Signals the parser reads in run-on archives (line breaks lost), in the 落款, in page furniture and in unit names.
Every text here is written for these tests (invented units, people and figures)."""

import pytest

from zongjie.corpus.cleaning import remove_glued_page_numbers
from zongjie.corpus.metadata import infer_metadata
from zongjie.corpus.parsing import parse_text
from zongjie.corpus.title_end import title_end


def cut(rest: str) -> str | None:
    at = title_end(rest)
    return None if at is None else rest[:at]


@pytest.mark.parametrize(
    ("rest", "title"),
    [
        # the body opens by defining its topic (X是…): a subject, so a sentence starts there
        (
            "抓“关爱”，提升服务水平关爱是工会服务职工的根本。我们坚持每月走访一线班组，倾听职工呼声。",
            "抓“关爱”，提升服务水平",
        ),
        # a fronted time without quotation marks before a comma
        ("建功立业，巾帼展风采国庆前夕，院工会组织女职工开展岗位练兵，评出服务标兵6名。", "建功立业，巾帼展风采"),
        # a placeholder where the template left a name out
        (
            "健全机制，强化保障__工发〔__〕3号文件明确由副局长分管工会工作。工会经费纳入年度预算，专款专用。",
            "健全机制，强化保障",
        ),
        # a year left blank in a template (「年，」)
        ("下一年度工作设想年，村工会将以服务职工为中心，重点抓好三件事情，一是建好职工书屋。", "下一年度工作设想"),
        # a sentence opened by its frame 「以…为主题」
        ("提升职工创新能力以“金点子”为主题开展合理化建议征集活动，收到建议310条，采纳96条。", "提升职工创新能力"),
    ],
)
def test_a_glued_title_ends_where_the_body_sentence_starts(rest, title):
    assert cut(rest) == title


@pytest.mark.parametrize(
    "rest",
    [
        # a short first sentence of one clause, no subject, time or figure after the cut: all of it is the title
        "依托阵地广泛开展了职工读书活动。全镇职工书屋全年接待读者2300人次，举办读书分享会8场。",
        # a verb that takes an object does not end a title (「切实做好|职工服务…」)
        "切实做好职工服务阵地建设，村工会将结合实际，进一步完善服务功能。此后每季度开放一次活动室。",
        # whom 组织 acts on is the subject of the next verb: one sentence, its own title
        "组织青年职工参加县里的技能大赛，同时做好了选手的后勤保障工作。",
    ],
)
def test_a_title_is_not_cut_where_the_sentence_goes_on(rest):
    assert cut(rest) is None


def test_no_cut_leaves_a_particle_at_the_start_of_the_body():
    got = cut("深入实施“职工素养提升工程”建设高素质的技能人才队伍，是推动企业转型的关键。全年培训职工560人次。")
    assert got is None or not got.endswith("高素质")


RUN_ON_VILLAGE = (
    "青石村工会2024年工作总结"
    "2024年，青石村工会在镇总工会和村党总支的领导下，团结带领全村职工，各项工作取得新成效。"
    "一、强化思想引领，凝聚职工力量年初，村工会制定学习计划，组织职工集中学习10次。"
    "一、加强组织建设，扩大工会覆盖新发展会员86名，新建小微企业联合工会2家。"  # the source wrote 一、 twice
    "二、做实服务帮扶，温暖职工心田春节前夕，村工会走访慰问困难职工23户，发放慰问金4.6万元。"
    "三、抓活动载体，增强工会活力"
    "青石村工会2024年12月20日"
)


def test_village_run_on_text_repeated_number_and_a_luokuan_glued_to_the_last_heading():
    (doc,) = parse_text(RUN_ON_VILLAGE)
    assert doc.title == "青石村工会2024年工作总结"
    assert (doc.unit_name, doc.unit_type, doc.year) == ("青石村工会", "township", 2024)
    assert doc.outline() == [
        "一、强化思想引领，凝聚职工力量",
        "一、加强组织建设，扩大工会覆盖",
        "二、做实服务帮扶，温暖职工心田",
        "三、抓活动载体，增强工会活力",
    ]
    assert (doc.signed_by, doc.signature) == ("青石村工会", "2024年12月20日")
    assert "12月20日" not in doc.full_text() and doc.sections[-1].text == "" and not doc.closing


def test_a_title_glued_to_a_body_that_starts_with_latin_letters():
    text = (
        "乡镇工会2024年上半年工作总结ab乡工会在乡党委的领导下，紧紧围绕全乡中心工作，团结带领广大职工，"
        "较好地完成了上半年各项任务。一、加强组织建设新建企业工会3家，发展会员120名。"
        "二、开展劳动竞赛组织技能比武2场，参赛职工150人。"
    )
    (doc,) = parse_text(text)
    assert doc.title == "乡镇工会2024年上半年工作总结"
    assert doc.unit_name == "ab乡工会"
    assert doc.period == "first_half"


@pytest.mark.parametrize(
    ("title", "opening", "unit"),
    [
        ("北岗村工会2024年工作总结", "今年，村工会在村党支部的领导下，围绕中心工作，服务全村职工。", "北岗村工会"),
        ("东湖村股份经济合作社工会2023年度工作总结", "一年来，合作社工会认真履行职责。", "东湖村股份经济合作社工会"),
        ("工作总结", "2024年，南塘村工会在镇总工会和村党总支的领导下，团结带领全村职工。", "南塘村工会"),
        ("阳光社区工会2024年上半年工作总结", "半年来，社区工会认真开展各项工作。", "阳光社区工会"),
    ],
)
def test_village_and_community_unions_are_the_unit(title, opening, unit):
    meta = infer_metadata(title, opening, opening)
    assert (meta["unit_name"], meta["unit_type"]) == (unit, "township")


def test_a_page_number_inside_a_word_goes_unless_the_number_finder_reads_a_figure_there():
    # 驿站 broken by a page number: 站 is no measure word the number finder knows, so 3 cannot be a count here
    assert (
        remove_glued_page_numbers("建成户外劳动者驿3站，方便环卫工人休息。") == "建成户外劳动者驿站，方便环卫工人休息。"
    )
    # 企业家 / 信封 are words too, but 家 and 封 are measure words: these are figures and stay
    assert remove_glued_page_numbers("新建企业188家，覆盖职工1.2万人。") == "新建企业188家，覆盖职工1.2万人。"
    assert remove_glued_page_numbers("全年受理职工来信17封，办结率100%。") == "全年受理职工来信17封，办结率100%。"


def test_a_luokuan_glued_to_the_last_heading_without_its_unit_named_elsewhere():
    text = (
        "红旗社区工会2024年工作总结2024年，社区工会围绕中心工作，服务辖区职工，各项工作取得新成效。"
        "一、加强组织建设新建小微企业联合工会2家，发展会员86名。二、抓活动载体，增强工会活力"
    )
    # the date alone: a full date ending the text is the 落款's
    (doc,) = parse_text(text + "2024年12月20日")
    assert doc.outline()[-1] == "二、抓活动载体，增强工会活力" and doc.signature == "2024年12月20日"
    # 「…工会委员会」 signs for the 「…工会」 the title names
    (doc,) = parse_text(text + "红旗社区工会委员会2024年12月20日")
    assert doc.outline()[-1] == "二、抓活动载体，增强工会活力"
    assert (doc.signed_by, doc.signature) == ("红旗社区工会委员会", "2024年12月20日")


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        # a measure word cut in two by a page number
        ("受理职工法律咨询610人1次，代理劳动争议案件38件。", "受理职工法律咨询610人次，代理劳动争议案件38件。"),
        # 一是/二是/三是 open an item; a bare number after them with no measure word is no figure
        ("二是提升技能水平；三是2完善困难职工档案。", "二是提升技能水平；三是完善困难职工档案。"),
        # no figure runs into a Chinese numeral
        ("为3一线医护人员开设心理疏导热线。", "为一线医护人员开设心理疏导热线。"),
        # but a number a careful reader takes for a figure, even damaged (its unit lost), stays
        ("全镇企业中有8是外来务工人员。", "全镇企业中有8是外来务工人员。"),
        ("筹集扶贫助学资金4万多元，资助学生12名。", "筹集扶贫助学资金4万多元，资助学生12名。"),
    ],
)
def test_glued_numbers_a_reader_would_not_take_for_figures_go(line, clean):
    assert remove_glued_page_numbers(line) == clean


def test_a_figure_in_a_short_page_sequence_stays_when_the_number_finder_reads_a_count():
    from zongjie.corpus.page_numbers import strip_page_numbers

    filler = "工会组织职工开展各类活动，职工参与热情高涨，活动取得良好效果"
    # pages 1 and 2 glued into words, then a real 3床 where page 3 could fall: two pages are no proof against it
    text = filler * 10 + "加1强" + filler * 10 + "促2进" + filler * 10 + "并捐献床垫3床，帮助困难户解决实际困难。"
    (out,) = strip_page_numbers([text])
    assert "加强" in out and "促进" in out and "床垫3床" in out
