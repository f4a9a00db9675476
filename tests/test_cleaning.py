from zongjie.corpus.cleaning import clean_text, remove_glued_page_numbers


def test_web_boilerplate_lines_are_removed():
    raw = """范本网工作总结内容页

某镇工会工作总结范文（推荐3篇）

2023-07-31 01:49:01工作总结

小编已经为大家整理了几篇，希望能够为您提供帮助。

今年，镇工会在镇党委领导下开展工作，取得成效。
预览阅读已结束，若您需要全文请点击下载。
请点击👉 某某 👈联系老师
这一行在尾部，也要去掉。
"""
    lines = clean_text(raw)
    assert lines == ["今年，镇工会在镇党委领导下开展工作，取得成效。"]


def test_guess_you_like_drops_the_link_list_until_next_piece():
    raw = "正文第一段，讲了很多事情。\n猜你喜欢\n某某工作总结\n另一篇链接\n机关工会工作总结 篇2\n第二篇正文。"
    lines = clean_text(raw)
    assert "猜你喜欢" not in "".join(lines) and "另一篇链接" not in lines
    assert lines[-2:] == ["机关工会工作总结篇2", "第二篇正文。"]


def test_a_long_paragraph_mentioning_wechat_is_kept():
    para = "通过微信公众号、职工群等渠道宣传工会政策，全年推送信息120条，覆盖职工3000余人，职工满意度明显提升。"
    assert clean_text(para) == [para]


def test_glued_page_numbers_are_removed_but_quantities_stay():
    assert remove_glued_page_numbers("促进3构建和谐劳动关系") == "促进构建和谐劳动关系"
    assert remove_glued_page_numbers("解决职工燃眉5之急") == "解决职工燃眉之急"
    assert remove_glued_page_numbers("72011年工作总体安排") == "2011年工作总体安排"
    for kept in ("慰问困难职工43户", "共召开3次会议", "4月12日举行", "配齐11个单位", "市委51号文件", "有8人获奖"):
        assert remove_glued_page_numbers(kept) == kept


def test_page_number_lines_are_dropped_and_broken_lines_joined():
    raw = "一、加强组织建设\n全年新建工会组织12家，新发展会员\n- 3 -\n500名，入会率提高到\n第 4 页\n95%。\n二、维护职工权益"
    assert clean_text(raw) == [
        "一、加强组织建设",
        "全年新建工会组织12家，新发展会员500名，入会率提高到95%。",
        "二、维护职工权益",
    ]


def test_stray_spaces_and_half_width_punctuation():
    assert clean_text("三、参与经济建设 , 切实为职工 群众办好事") == ["三、参与经济建设，切实为职工群众办好事"]
    assert clean_text("(一)提升职工技能:共 35 人参加") == ["（一）提升职工技能：共35人参加"]
    assert clean_text("发放1,234元,时间01:49") == ["发放1,234元，时间01:49"]


def test_full_width_digits_are_normalised():
    assert clean_text("慰问２８４８户困难职工。") == ["慰问2848户困难职工。"]


def test_page_numbers_that_split_a_word_or_follow_a_footer_sequence_go_and_figures_stay():
    # a glued number inside a word is no figure, even before a measure character (「以2人为本」)
    assert remove_glued_page_numbers("维护职工合法权6益") == "维护职工合法权益"
    assert remove_glued_page_numbers("坚持以2人为本的理念") == "坚持以人为本的理念"
    assert remove_glued_page_numbers("大力开展献爱心活动。一3年来") == "大力开展献爱心活动。一年来"
    for kept in ("检查企业188家", "征集提案28件", "气温高达摄氏42度", "近3年来"):
        assert remove_glued_page_numbers(kept) == kept
    # footer lines anchor the page sequence: the 3 between page 2 and page 4 goes, the quantity 3期 stays
    filler = "工会组织职工开展活动，" * 30
    body = [f"{filler}出刊了3期简报。", f"{filler}工会3大力推进。", f"{filler}", f"{filler}"]
    text = "\n".join(clean_text("\n".join([body[0], "— 2 —", body[1], body[2], "第4页 共5页", body[3]])))
    assert "出刊了3期" in text and "工会大力推进" in text and "— 2 —" not in text
    # without the footers nothing proves that 3 is a page: it is kept
    assert "工会3大力推进" in "\n".join(clean_text("\n".join(body)))
