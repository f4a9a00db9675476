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
    from zongjie.factsheets.model import parse_fact_sheet

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
    from zongjie.backends.knowledge_base import KnowledgeBase
    from zongjie.backends.vectorstore import MemoryStore
    from zongjie.drafting.pipeline import run_draft
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


# --- 「用作下一年度」: carried notes marked and flagged, last year's plans a checklist ----------------------------------

LAST_YEAR = {
    "unit": {"name": "桃源镇工会", "type": "township", "superior": "临溪县总工会"},
    "period": {"year": 2024, "kind": "annual"},
    "metrics": [{"id": "m1", "label": "新建企业工会", "value": 11, "unit": "家", "section": "组织建设"}],
    "sections": [
        {
            "title": "一、加强组织建设",
            "notes": [
                {"id": "w1", "text": "坚持每季度召开基层工会主席例会"},
                {"id": "w2", "text": "20xx年zz乡工会组织职工开展读书活动"},
                {"id": "w3", "text": "2024年配合白石镇工会开展园区联合建会"},
                {"id": "w4", "text": "新建企业工会11家"},
            ],
        }
    ],
    "problems": [{"id": "p1", "text": "镇工会专职干部少，力量薄弱"}],
    "plans": [{"id": "n1", "text": "建成户外劳动者驿站3个"}, {"id": "n2", "text": "推进园区企业联合建会"}],
    "sources": {"w1": "全年坚持每季度召开一次基层工会主席例会。", "n1": "明年建成户外劳动者驿站3个。"},
}


def test_next_year_marks_carried_notes_and_offers_last_years_plans_as_a_checklist():
    from zongjie.factsheets.carried import note_flags, unreviewed
    from zongjie.factsheets.model import parse_fact_sheet
    from zongjie.factsheets.next_year import use_for_next_year

    data = use_for_next_year(LAST_YEAR)
    sheet = parse_fact_sheet(data)
    assert [(n.id, n.carried) for _, n in sheet.all_notes()] == [("w1", True), ("w2", True), ("w3", True)]
    assert sheet.problems == [] and sheet.plans == []  # this year's come from the clerk
    assert [(y.id, y.kind) for y in sheet.last_year_plans] == [("n1", "plan"), ("n2", "plan"), ("p1", "problem")]
    assert sheet.sources == {"w1": LAST_YEAR["sources"]["w1"], "n1": LAST_YEAR["sources"]["n1"]}
    assert len(unreviewed(sheet)) == 3
    flags = note_flags(data)
    assert "w1" not in flags
    assert flags["w2"] == ["含占位符：20xx、zz"]
    assert flags["w3"] == ["含往年年份：2024年", "含其他单位名称：白石镇工会"]


def test_last_years_plans_are_never_drafted():
    from zongjie.drafting.pipeline import run_draft
    from zongjie.factsheets.model import parse_fact_sheet
    from zongjie.factsheets.next_year import use_for_next_year
    from zongjie.settings import Settings

    data = use_for_next_year(LAST_YEAR)
    data["metrics"][0]["value"] = 9
    draft = run_draft(parse_fact_sheet(data), Settings(environment="test"), kb=None, llm=None)
    text = draft.text()
    assert "驿站" not in text and "联合建会" not in text.replace("配合白石镇工会开展园区联合建会", "")
    assert "专职干部少" not in text
    assert "每季度召开基层工会主席例会" in text  # a carried note is drafted (and listed, below)


def _form_fields(client, rows: dict) -> dict:
    fields = {
        "csrf_token": client.cookies.get("zj_csrf"),
        "unit_name": rows["unit"]["name"],
        "unit_type": rows["unit"]["type"],
        "unit_superior": rows["unit"]["superior"],
        "year": rows["period"]["year"],
        "kind": rows["period"]["kind"],
        "leadership": rows["leadership"],
        "themes": rows["themes"],
        "action": "save",
    }
    for f in ("id", "label", "value", "unit", "prior", "target", "section", "approximate", "confirm", "source"):
        fields[f"m_{f}"] = [m[f] for m in rows["metrics"]]
    fields["s_key"] = [s["key"] for s in rows["sections"]]
    fields["s_title"] = [s["title"] for s in rows["sections"]]
    notes = [n for s in rows["sections"] for n in s["notes"]]
    for f in ("parent", "id", "text", "source", "carried", "review"):
        fields[f"w_{f}"] = [n[f] for n in notes]
    for f in ("id", "kind", "text", "source", "outcome", "section"):
        fields[f"y_{f}"] = [y[f] for y in rows["last_year_plans"]]
    return fields


def test_the_form_shows_carried_notes_and_the_checklist_and_saves_the_clerks_review(client):
    from zongjie.web.forms import data_to_rows

    fid = client.post("/api/factsheets", json=LAST_YEAR).json()["id"]
    r = client.post(f"/facts/{fid}/next-year", data={"csrf_token": client.cookies.get("zj_csrf")})
    new_id = r.url.path.split("/")[-1]
    html = client.get(f"/facts/{new_id}").text
    assert html.count("沿用去年（待核对）") == 3 and "含占位符：20xx、zz" in html
    assert "含往年年份：2024年" in html and "含其他单位名称：白石镇工会" in html
    assert 'id="last-year-plans"' in html and "建成户外劳动者驿站3个" in html and "去年的问题" in html

    rows = data_to_rows(client.get(f"/api/factsheets/{new_id}").json())
    rows["metrics"][0]["value"] = "9"
    notes = rows["sections"][0]["notes"]
    notes[0]["review"] = "keep"  # kept as this year's
    notes[1]["text"] = "镇工会组织职工开展读书活动"  # edited
    by_id = {y["id"]: y for y in rows["last_year_plans"]}
    by_id["n1"]["outcome"], by_id["n1"]["section"] = "done", "一、加强组织建设"
    by_id["p1"]["outcome"] = "problem"
    r = client.post(f"/facts/{new_id}", data=_form_fields(client, rows), follow_redirects=False)
    assert r.status_code == 303, r.text[-2000:]
    saved = client.get(f"/api/factsheets/{new_id}").json()
    notes = {n["id"]: n for n in saved["sections"][0]["notes"]}
    assert notes["w1"]["carried"] is False and notes["w2"]["carried"] is False  # kept, edited
    assert notes["w3"]["carried"] is True  # not looked at yet
    assert (notes["n1"]["text"], notes["n1"]["carried"]) == ("建成户外劳动者驿站3个", False)  # done: a note now
    assert [p["text"] for p in saved["problems"]] == ["镇工会专职干部少，力量薄弱"]
    assert [y["id"] for y in saved["last_year_plans"]] == ["n2"]  # still offered
    assert saved["sources"]["n1"] == LAST_YEAR["sources"]["n1"]

    job = client.post(f"/api/factsheets/{new_id}/drafts").json()
    client.app.state.runner.wait(job["id"], timeout=60)
    draft_id = client.get(f"/api/jobs/{job['id']}").json()["draft_id"]
    page = client.get(f"/drafts/{draft_id}").text
    assert 'id="carried-notice"' in page and "2024年配合白石镇工会开展园区联合建会" in page
    assert "坚持每季度召开基层工会主席例会</li>" not in page  # kept: no longer listed
