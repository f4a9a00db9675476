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


# --- an update draft keeps the base's words, moves every year on, and never carries last year's plans -------------

BASE_2024 = """桃源镇工会2024年工作总结

2024年，桃源镇工会在镇党委和县总工会的领导下，团结带领全镇职工扎实开展工作。现将全年工作总结如下：

一、加强组织建设
2019年以来，镇工会坚持每年开展建会入会集中行动。2024年，新建企业工会11家，新发展会员480名。镇工会成立于2008年，会员之家建设逐年推进。

二、做好帮扶慰问
走访慰问困难职工42户，发放慰问金6.5万元。明年，镇工会将力争建成职工驿站3个。

三、存在的问题
镇工会专职干部少，力量薄弱。

四、2025年工作打算
一是推进园区企业联合建会；二是建成户外劳动者驿站3个。
"""


def _sheet_2025(**extra):
    from zongjie.facts import parse_fact_sheet

    return parse_fact_sheet(
        {
            "unit": {"name": "桃源镇工会", "type": "township"},
            "period": {"year": 2025, "kind": "annual"},
            "leadership": "镇党委和县总工会",
            "metrics": [
                {"id": "m1", "label": "新建企业工会", "value": 9, "unit": "家", "prior": 11, "section": "组织建设"},
                {"id": "m2", "label": "新发展会员", "value": 520, "unit": "名", "prior": 480, "section": "组织建设"},
                {"id": "m3", "label": "走访慰问困难职工", "value": 36, "unit": "户", "prior": 42, "section": "帮扶"},
                {"id": "m4", "label": "发放慰问金", "value": 7.2, "unit": "万元", "prior": 6.5, "section": "帮扶"},
            ],
            "problems": [{"id": "p1", "text": "小微企业工会活动开展不经常"}],
            "plans": [{"id": "n1", "text": "为快递员建设服务站点"}],
            **extra,
        }
    )


def test_an_update_draft_moves_years_on_and_keeps_history(tmp_path):
    from zongjie.backends.embeddings import make_embedder
    from zongjie.backends.vectorstore import MemoryStore
    from zongjie.knowledge_base import KnowledgeBase
    from zongjie.pipeline import run_draft
    from zongjie.settings import Settings
    from zongjie.stages.ingest import ingest

    (tmp_path / "桃源镇2024.txt").write_text(BASE_2024, encoding="utf-8")
    s = Settings(embedder="hashing", vector_store="memory", environment="test")
    kb = KnowledgeBase(MemoryStore(s), make_embedder(s), "hybrid")
    ingest([tmp_path], kb)
    draft = run_draft(_sheet_2025(), s, kb=kb, llm=None)
    text = draft.text()
    assert draft.outline_source == "own"
    assert "2025年，新建企业工会9家" in text and "2024年" not in text  # the base's own year moves on
    # history never moves (and without a fact stating that year its sentence goes, as any figure without a fact)
    assert "2020年以来" not in text and "2009年" not in text
    assert any(s.heading == "2026年工作打算" for s in draft.walk())
    # last year's plans — its plans part and a forward sentence in its body — are not this year's
    assert "联合建会" not in text and "驿站" not in text and "力争" not in text
    assert "为快递员建设服务站点" in text and "小微企业工会活动开展不经常" in text
    assert draft.report.ok, [f for f in draft.report.errors]


@pytest.mark.parametrize(
    "text, moved",
    [
        ("2024年，镇工会新建企业工会11家，2025年将继续推进。", "2025年，镇工会新建企业工会11家，2026年将继续推进。"),
        ("2023年底至2024年初开展集中行动。", "2024年底至2025年初开展集中行动。"),
        ("2019年以来坚持每年建会；自2024年起实行月报。", "2019年以来坚持每年建会；自2024年起实行月报。"),
        ("镇工会成立于2008年，2016年挂牌成立职工服务中心。", "镇工会成立于2008年，2016年挂牌成立职工服务中心。"),
        ("落实2021—2025年发展规划。", "落实2021—2025年发展规划。"),
    ],
)
def test_years_move_on_and_history_stays(text, moved):
    from zongjie.numbers.years import move_years

    assert move_years(text, 1, 2024) == moved


def test_past_years_of_a_carried_note():
    from zongjie.numbers.years import past_years

    assert past_years("2024年为职工办理互助保险", 2025) == ["2024年"]
    assert past_years("2023年底开展了建会集中行动", 2025) == ["2023年"]
    assert past_years("2019年以来坚持每年走访；镇工会成立于2008年", 2025) == []
