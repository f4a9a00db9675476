"""Nothing is dropped silently (issue 23, item 4): web furniture goes from inside a line, never the line around it;
every span left out is recorded with its place in the source and its class; the share kept is reported; a piece
that is only a header, a notice or a table of contents is no document. All texts invented for these tests."""

import re

from zongjie.corpus.choice import default_piece
from zongjie.corpus.furniture import RULES
from zongjie.corpus.parsing import REVIEW_BELOW, parse_source, parse_text

HEADER = [
    "当前位置：某某文库 > 公文写作 > 工作总结 > 青禾镇工会2024年工作总结",
    "发布时间：2024-12-30 10:21:07 来源：网友投稿",
    "下面是小编为大家整理的青禾镇工会2024年工作总结，供大家参考。",
]
SUMMARY = [
    "青禾镇工会2024年工作总结",
    "2024年，青禾镇工会在镇党委和县总工会的领导下，围绕全镇中心工作，扎实开展各项工作，现总结如下：",
    "一、夯实基层组织",
    "全年新建企业工会7家，发展会员412名，完成县总工会下达的目标任务。",
    "二、做实帮扶服务",
    "走访慰问困难职工36户，发放慰问金5.4万元。",
    "三、2025年工作打算",
    "继续推进新就业形态劳动者入会，力争新发展会员300名。办好职工书屋和职工之家，让职工在家门口享受服务。",
]


def _norm(s: str) -> str:
    return re.sub(r"[^\w]", "", s)


def _check(parsed, text):
    (doc,) = parsed.documents
    assert doc.title == "青禾镇工会2024年工作总结"
    assert doc.unit_name == "青禾镇工会" and doc.year == 2024
    assert [s.title for s in doc.sections] == ["夯实基层组织", "做实帮扶服务", "2025年工作打算"]
    assert doc.sections[2].role == "plans"
    assert doc.opening.startswith("2024年，青禾镇工会在镇党委")
    rules = {d.rule for d in parsed.dropped}
    assert {"breadcrumb", "posting", "site_intro"} <= rules, parsed.dropped
    assert rules <= set(RULES)
    for span in parsed.dropped:  # every span stands where it says, in the text as read
        assert span.start is not None and span.end is not None
        assert _norm(text[span.start : span.end]) == _norm(span.text)
    for _, sec in doc.walk():  # every heading is placed: marker and title, then its body
        assert _norm(text[sec.start : sec.title_end]) == _norm(sec.marker + sec.title)
        assert text[sec.body_start :].startswith(sec.text[:6])


def test_furniture_lines_go_with_the_summary_intact():
    text = "\n".join(HEADER + SUMMARY)
    parsed = parse_source(text)
    _check(parsed, text)


def test_a_flat_page_keeps_its_summary_when_the_furniture_stood_in_the_same_line():
    # a page saved without line breaks is one line: a rule that drops the whole line around 小编 loses the summary
    for sep in ("", " "):
        text = sep.join(HEADER + SUMMARY)
        parsed = parse_source(text)
        _check(parsed, text)


def test_the_share_kept_is_reported_and_a_page_mostly_furniture_is_flagged():
    clean = parse_source("\n".join(SUMMARY))
    assert clean.kept_share >= 0.97 and not clean.needs_review
    assert clean.kept_label == f"保留原文 {clean.kept_share:.0%}"
    assert clean.documents[0].kept_share == clean.kept_share
    noisy = "\n".join(HEADER * 4 + SUMMARY[:4])
    parsed = parse_source(noisy)
    assert parsed.kept_share < REVIEW_BELOW and parsed.needs_review
    assert len(parsed.documents) == 1 and parsed.documents[0].dropped == parsed.dropped


def test_a_site_header_and_a_download_notice_are_not_documents():
    text = "\n".join(
        [
            "青禾镇工会2024年工作总结（通用5篇）",
            "温馨提示：本文档由用户上传，如需下载请联系客服。",
            "青禾镇工会2024年工作总结",
            "青禾镇工会2024年工作总结 篇1",
            *SUMMARY[1:],
            "青禾镇工会2024年工作总结 篇2",
            "今年，镇工会围绕中心、服务大局，做了大量工作，全年开展职工文体活动12场，参与职工1500余人次。",
        ]
    )
    parsed = parse_source(text)
    assert [d.sections[0].title if d.sections else "" for d in parsed.documents] == ["夯实基层组织", ""]
    assert default_piece(parsed.documents) == 1
    assert {"collection_title", "notice"} <= {d.rule for d in parsed.dropped}


def test_the_default_piece_is_the_summary_not_a_short_note_in_front():
    text = "\n".join(
        [
            "关于征集工作总结的说明",
            "请各基层工会于12月31日前将年度工作总结报送县总工会办公室，逾期未报的将在全县通报，谢谢配合。",
            "青禾镇工会2024年工作总结 篇1",
            *SUMMARY[1:],
        ]
    )
    docs = parse_text(text)
    assert len(docs) == 2
    assert default_piece(docs) == 2 and docs[1].sections[0].title == "夯实基层组织"


def test_a_table_of_contents_is_not_read_as_headings():
    text = "\n".join(
        [SUMMARY[0], "目录", "一、夯实基层组织……1", "二、做实帮扶服务……2", "三、2025年工作打算……3", *SUMMARY[1:]]
    )
    parsed = parse_source(text)
    (doc,) = parsed.documents
    assert [s.title for s in doc.sections] == ["夯实基层组织", "做实帮扶服务", "2025年工作打算"]
    assert all(s.text for s in doc.sections)
    assert [d.rule for d in parsed.dropped].count("toc") == 4


def test_related_links_above_the_text_are_a_menu_not_the_page_tail():
    # 「相关推荐」 opens the tail of a page after its text; above the text it is a menu item and the summary stays
    text = "\n".join(["- 相关推荐", *SUMMARY])
    parsed = parse_source(text)
    assert len(parsed.documents) == 1 and len(parsed.documents[0].sections) == 3
    assert [d.rule for d in parsed.dropped] == ["menu"]


def test_a_count_of_reports_in_a_sentence_is_not_a_collection_title():
    text = "\n".join([*SUMMARY[:4], "全年形成调研报告12篇，撰写工作总结3篇，编发简报20期。"])
    (doc,) = parse_text(text)
    assert "调研报告12篇" in doc.full_text() and "工作总结3篇" in doc.full_text()


def test_document_sharing_page_labels_and_embedded_images_are_furniture():
    text = "\n".join(
        [
            "青禾镇工会总结.docx_第1页",
            '<image>data:image/png;base64,AAAA" alt="得分"</image>',
            *SUMMARY,
            "青禾镇工会总结.docx_第2页",
        ]
    )
    parsed = parse_source(text)
    assert {"page_number", "markup"} <= {d.rule for d in parsed.dropped}
    assert parsed.documents[0].title == "青禾镇工会2024年工作总结"


def test_import_reports_say_how_much_was_kept_and_flag_a_file_under_90_percent():
    from zongjie.stages.ingest_events import FileDone, FileStarted, IngestProgress, Listed

    progress = IngestProgress()
    for event in (
        Listed(files=["a.txt", "b.txt"]),
        FileStarted(n=1, name="a.txt"),
        FileDone(n=1, name="a.txt", outcome="added", documents=1, sections=3, kept_share=0.964),
        FileStarted(n=2, name="b.txt"),
        FileDone(n=2, name="b.txt", outcome="added", documents=1, sections=2, kept_share=0.62),
    ):
        progress.apply(event)
    assert [f.message for f in progress.files] == ["保留原文 96%", "保留原文 62%，请核对"]


def test_title_lines_above_the_pieces_own_title_are_reported_not_lost():
    text = "\n".join(["2023年青禾镇总工会年度工作总结", "青禾镇总工会2022年度工作总结", *SUMMARY[1:]])
    parsed = parse_source(text)
    assert parsed.documents[0].title == "青禾镇总工会2022年度工作总结"
    (repeat,) = [d for d in parsed.dropped if d.rule == "title_repeat"]
    assert (repeat.text, repeat.start) == ("2023年青禾镇总工会年度工作总结", 0)
