"""Continuing is honest (issue 23 item 3): notes are whole statements; carried notes are marked 「沿用去年」 and
flagged when they hold a past year, a placeholder or another unit's name; last year's problems and plans are a
checklist, never this year's body; an update draft moves every year on. Texts and figures are invented."""

from __future__ import annotations

import re

import pytest

from zongjie.extraction.notes import notes_from


@pytest.mark.parametrize(
    "text, whole",
    [
        # a 「；」 whose part has no verb of its own runs on into the next part: one statement
        (
            "各村的文体活动，每年由镇工会根据群众的意愿和形势的需要；统一组织安排，所需经费由镇工会统筹解决。",
            "各村的文体活动，每年由镇工会根据群众的意愿和形势的需要，统一组织安排，所需经费由镇工会统筹解决",
        ),
        (
            "镇工会按照县总工会的部署；对辖区企业开展了工资集体协商情况检查，覆盖企业14家。",
            "镇工会按照县总工会的部署，对辖区企业开展了工资集体协商情况检查，覆盖企业14家",
        ),
        # a leading purpose clause is the drafter's to write; the statement after it is kept whole
        (
            "为进一步活跃职工的业余生活，增强队伍的凝聚力，镇工会在元旦、五一、中秋等节日先后组织了拔河、象棋、"
            "广场舞等一系列文体比赛，参与职工达900余人次。",
            "镇工会在元旦、五一、中秋等节日先后组织了拔河、象棋、广场舞等一系列文体比赛，参与职工达900余人次",
        ),
        # 「，进一步落实…」 does something: it is not an appraisal tail
        (
            "院工会根据市总工会的通知要求，进一步落实女职工特殊保护，开展了夏季高温慰问。",
            "院工会根据市总工会的通知要求，进一步落实女职工特殊保护，开展了夏季高温慰问",
        ),
    ],
)
def test_a_note_is_a_whole_statement(text, whole):
    notes = [n for n, _ in notes_from(text)]
    assert notes == [whole]


def test_self_contained_parts_and_items_stay_separate_notes_and_tails_go():
    text = "全年共调解劳动争议9起；为职工追回欠薪12.4万元；开展送法进企业活动6场次。"
    assert [n for n, _ in notes_from(text)] == [
        "共调解劳动争议9起",
        "为职工追回欠薪12.4万元",
        "开展送法进企业活动6场次",
    ]
    text = "一是开展金秋助学，资助困难职工子女21名，使他们安心入学；二是举办职工运动会，受到职工好评。"
    assert [n for n, _ in notes_from(text)] == ["开展金秋助学，资助困难职工子女21名", "举办职工运动会"]


def test_the_source_of_a_joined_statement_is_the_text_as_written():
    text = "每年由镇工会根据形势的需要；统一组织送温暖活动。"
    ((note, source),) = notes_from(text)
    assert source in text and "；" in source and "；" not in note


def test_no_note_of_the_real_summaries_ends_on_an_open_frame(seeds):
    """On the real summaries (../shared) no note ends inside a statement: on a 「；」 part with no verb of its own
    (「…根据形势的需要」) or on a leading frame clause alone."""
    from zongjie.stages.extract import extract_file

    notes = [
        n["text"]
        for f in sorted(seeds.glob("*.txt"))
        for ex in extract_file(f)
        for s in ex.data["sections"]
        for n in s["notes"]
    ]
    assert len(notes) > 300
    open_end = re.compile(r"(?:的需要|的要求|的部署|和|及|(?<!参)与)$")
    assert [n for n in notes if open_end.search(n)] == []
