"""Titles and units of pieces on collection pages (issue 23, *Why*: titles right 22/60, units 15/60 on real
openings). Invented texts of the shapes those pages take."""

import pytest

from zongjie.corpus.choice import default_piece
from zongjie.corpus.parsing import parse_text

BODY = [
    "今年以来，我镇工会在镇党委和县总工会的领导下，围绕中心、服务大局，各项工作取得新进展。现总结如下：",
    "一、加强组织建设",
    "全年新建基层工会6家，发展会员380名，建会率达到95%。",
    "二、维护职工权益",
    "调处劳动争议9起，为职工追回工资28万元。",
]


@pytest.mark.parametrize(
    "marker_line",
    [
        "乡镇工会工作总结【第一篇】",
        "乡镇工会工作总结 篇一",
        "乡镇工会工作总结1",
        "【第1篇】乡镇工会工作总结",
        "第1篇 乡镇工会工作总结 1800字",
    ],
)
def test_the_piece_number_of_a_collection_page_is_not_part_of_the_title(marker_line):
    text = "\n".join(["乡镇工会工作总结（通用6篇）", marker_line, *BODY])
    docs = parse_text(text)
    doc = docs[default_piece(docs) - 1]
    assert doc.title == "乡镇工会工作总结" and doc.sections[0].title == "加强组织建设"


def test_a_title_naming_the_review_and_the_plans_is_one_title():
    for sep in ("\n", ""):
        text = sep.join(["白沙街道总工会2024年上半年工作总结及下半年工作思路", *BODY])
        (doc,) = parse_text(text)
        assert doc.title == "白沙街道总工会2024年上半年工作总结及下半年工作思路"
        assert doc.unit_name == "白沙街道总工会"


def test_the_title_right_above_the_text_is_the_pieces_own():
    text = "\n".join(["2023年某镇总工会年度工作总结", "青禾镇总工会2022年度工作总结", *BODY])
    (doc,) = parse_text(text)
    assert doc.title == "青禾镇总工会2022年度工作总结" and doc.year == 2022


def test_a_union_the_text_names_only_generically_keeps_that_name():
    # 「我镇工会」: the text never gives the place; its name as written is 镇工会 (never None, never a superior's)
    (doc,) = parse_text("\n".join(["乡镇工会上半年工作总结", *BODY]))
    assert doc.unit_name == "镇工会"
    (doc,) = parse_text("\n".join(["市总工会工作总结", BODY[0].replace("我镇工会", "市总工会"), *BODY[1:]]))
    assert doc.unit_name == "市总工会"


def test_document_sharing_boilerplate_before_a_run_on_title_goes():
    text = "文本为Word版本，下载可任意编辑白沙街道总工会2024年工作总结" + "".join(BODY).replace(
        "我镇工会", "街道总工会"
    )
    (doc,) = parse_text(text)
    assert doc.title == "白沙街道总工会2024年工作总结"


@pytest.mark.parametrize(
    "title,unit",
    [
        ("2020青禾商务局工会工作总结", "青禾商务局工会"),  # a year glued in front of the name is the title's
        ("医院工会年度工作总结", "医院工会"),  # a generic name as the title gives it, whole
    ],
)
def test_unit_names_from_titles(title, unit):
    (doc,) = parse_text("\n".join([title, *BODY[1:]]))
    assert doc.unit_name == unit


def test_a_possessive_opens_the_writers_own_name():
    opening = "为了促进我镇工会组织建设，镇工会在镇党委的领导下，围绕中心、服务大局开展工作，现总结如下："
    (doc,) = parse_text("\n".join(["工作总结", opening, *BODY[1:]]))
    assert doc.unit_name == "镇工会"
