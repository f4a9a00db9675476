from zongjie.corpus.parsing import parse_text
from zongjie.corpus.sections import parse_sections


def outline(sections):
    out = []
    for s in sections:
        for _path, sec in s.walk():
            out.append((sec.level, sec.marker, sec.title))
    return out


def test_ladder_with_four_levels_and_opening():
    paras = [
        "今年，县总工会在县委领导下开展工作。现将工作总结如下：",
        "一、建功立业",
        "（一）劳动竞赛",
        "1.技能比武。全年举办比武8场。",
        "（1）电工比武",
        "参赛职工120人。",
        "2.合理化建议",
        "（二）职工创新",
        "二、维权服务",
    ]
    opening, secs, closing = parse_sections(paras)
    assert opening.startswith("今年")
    assert outline(secs) == [
        (1, "一、", "建功立业"),
        (2, "（一）", "劳动竞赛"),
        (3, "1.", "技能比武"),
        (4, "（1）", "电工比武"),
        (3, "2.", "合理化建议"),
        (2, "（二）", "职工创新"),
        (1, "二、", "维权服务"),
    ]
    assert secs[0].children[0].children[0].text == "全年举办比武8场。"
    assert secs[0].children[0].children[0].children[0].text == "参赛职工120人。"


def test_arabic_top_level_and_numbers_beyond_ten():
    paras = ["上半年工作如下："] + [f"{n}、第{n}项工作" for n in range(1, 13)]
    _, secs, _ = parse_sections(paras)
    assert [s.number for s in secs] == list(range(1, 13)) and all(s.level == 1 for s in secs)
    paras = ["开头。"] + [f"{c}、工作{c}" for c in "一二三四五六七八九十"] + ["十一、工作十一", "十二、工作十二"]
    _, secs, _ = parse_sections(paras)
    assert [s.number for s in secs] == list(range(1, 13))


def test_inline_headings_inside_a_long_paragraph():
    paras = [
        "总的思路是抓好以下工作。（一）深化劳动竞赛，推动建功立业",
        "全年开展竞赛10项。（二）做好帮扶工作。慰问职工50户。",
    ]
    _, secs, _ = parse_sections(["开头一段。", "一、明年工作要点"] + paras)
    top = secs[0]
    assert [c.title for c in top.children] == ["深化劳动竞赛，推动建功立业", "做好帮扶工作"]
    assert top.text == "总的思路是抓好以下工作。"
    assert top.children[1].text == "慰问职工50户。"


def test_di_style_and_dot_style_headings():
    _, secs, _ = parse_sections(["开头。", "一.组织建设", "第一、规范会员队伍", "内容。", "第二、完善机制", "二.维权"])
    assert outline(secs) == [
        (1, "一.", "组织建设"),
        (2, "第一、", "规范会员队伍"),
        (2, "第二、", "完善机制"),
        (1, "二.", "维权"),
    ]


def test_closing_paragraph_and_roles():
    paras = [
        "开头。",
        "一、组织建设",
        "新建工会5家。",
        "二、存在的问题",
        "经费不足。",
        "三、下一步工作打算",
        "（一）扩大覆盖。",
        "总之，我们将继续努力，把工会建设成职工之家。",
    ]
    _, secs, closing = parse_sections(paras)
    assert [s.role for s in secs] == ["body", "problems", "plans"]
    assert secs[2].children[0].role == "plans"
    assert closing.startswith("总之")


def test_plain_heading_without_marker_starts_a_top_level_section():
    paras = ["开头。", "（一）组建工作", "新建工会。", "2025年工作思路和要点", "（一）深化改革", "内容。"]
    _, secs, _ = parse_sections(paras)
    assert [s.title for s in secs] == ["组建工作", "2025年工作思路和要点"]
    assert secs[1].role == "plans" and secs[1].children[0].title == "深化改革"


def test_documents_get_metadata_and_content_hash_ids():
    text = "白沙镇工会2024年上半年工作总结\n上半年，镇工会在镇党委的领导下开展工作。\n一、建会\n新建工会3家，发展会员120名，全面完成目标任务。"
    docs = parse_text(text, source="x.txt")
    assert len(docs) == 1
    d = docs[0]
    assert (d.unit_name, d.unit_type, d.period, d.year) == ("白沙镇工会", "township", "first_half", 2024)
    assert d.id == parse_text(text, source="x.txt")[0].id
    assert d.id != parse_text(text.replace("3家", "4家"), source="x.txt")[0].id
