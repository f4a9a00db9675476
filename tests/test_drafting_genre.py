"""Notes become full 公文 prose: a topic sentence from the heading and a theme, measures linked or enumerated, a 成效
sentence where figures support it — varied, never repeated filler, never a figure the sheet does not give. Also:
a figure entered twice is written once, a section's own notes open it before its subsections,
and the eval's repetition metric and length gate."""

import re

from zongjie.drafting.pipeline import run_draft
from zongjie.evaluation import text_metrics as tm
from zongjie.evaluation.gold import GoldResult, copied_runs, gate_failures
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.numbers import find_numbers
from zongjie.settings import Settings
from zongjie.stages.plan import plan
from zongjie.writers import genre


def _sheet(sections, metrics=(), activities=(), themes=("构建和谐劳动关系", "服务职工群众")):
    return parse_fact_sheet(
        {
            "unit": {"name": "青石镇工会", "type": "township"},
            "period": {"year": 2025, "kind": "annual"},
            "leadership": "镇党委和县总工会",
            "themes": list(themes),
            "metrics": list(metrics),
            "sections": sections,
            "activities": list(activities),
        }
    )


SECTIONS = [
    {
        "title": "一、加强组织建设，扩大工会覆盖面",
        "notes": ["对辖区非公企业逐一摸底", "上门动员企业主建会", "规范基层工会换届选举"],
    },
    {
        "title": "二、强化民主管理，落实职工知情权",
        "notes": ["指导企业召开职代会", "推行厂务公开，公开栏按季更新", "收集职工提案并督办"],
    },
    {"title": "三、丰富文体活动，营造和谐氛围", "notes": ["组织职工篮球联赛", "春节前举办职工书画展"]},
    {"title": "四、维护职工权益，做好帮扶救助", "notes": ["建立困难职工档案", "协调解决欠薪问题"]},
]
METRICS = [
    {"label": "新建企业工会", "value": 7, "unit": "家", "section": "加强组织建设，扩大工会覆盖面"},
    {"label": "新发展会员", "value": 412, "unit": "名", "section": "加强组织建设，扩大工会覆盖面"},
    {"label": "帮扶困难职工", "value": 36, "unit": "户", "section": "维护职工权益，做好帮扶救助"},
]


def _draft(sheet):
    return run_draft(sheet, Settings(environment="test"), kb=None, llm=None)


def test_a_section_opens_with_its_aim_links_its_measures_and_closes_with_results():
    draft = _draft(_sheet(SECTIONS, METRICS))
    first = draft.sections[0].text
    # the topic sentence: the unit as subject and the heading's object in new words, not the heading again
    assert first.startswith("镇工会") and "组织建设" in first.split("。")[0]
    assert "加强组织建设" not in first and "扩大工会覆盖面" not in first
    assert "7家" in first and "412名" in first
    assert re.search(r"(通过这些举措|通过以上工作|经过努力|一系列工作扎实推进|由此)，组织建设得到切实加强。", first)
    texts = [s.text for s in draft.sections if s.role == "body"]
    # measures are linked (connectives) or enumerated (一是…二是…) — not a bare list of the clerk's notes
    assert all(re.search(r"同时|此外|在此基础上|与此同时|另外|另一方面|一是", t) for t in texts)
    # no figure the sheet does not give, nothing wrong, every fact stated
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0
    figures = {m.text for m in find_numbers(draft.text()) if m.kind == "quantity"}
    assert figures <= {"7家", "412名", "36户"}


def test_framing_varies_between_sections_and_is_never_repeated_filler():
    draft = _draft(_sheet(SECTIONS, METRICS))
    openers = [s.text.split("。")[0].split("，")[0] for s in draft.sections if s.role == "body"]
    skeletons = [re.sub(r"组织建设|民主管理|文体活动|职工权益|帮扶救助", "X", o) for o in openers]
    assert len(set(skeletons)) == len(skeletons)  # each section opens its own way
    text = draft.text()
    assert tm.repetition(text) <= 0.05 and tm.distinct4(text) >= 0.8
    assert text.count("紧紧围绕") <= 1  # the themes' verb is the opening's; the body names a theme otherwise
    # the same sheet always gives the same words
    assert _draft(_sheet(SECTIONS, METRICS)).text() == text


def test_topic_sentence_pattern_is_learned_from_the_exemplars():
    peers = ["院工会始终把职工利益作为工作的出发点。", "把帮扶工作作为重点，把维权作为基本职能。"]
    assert genre.pattern_order(peers)[0] == "作为"
    sentence, _ = genre.topic_sentence("加强组织建设", "", "镇工会", 0, peers)
    assert sentence == "镇工会把组织建设作为工会工作的重要内容。"
    # a heading that reports (figures, 了) or has no verb–object aim gets no invented aim
    assert genre.topic_sentence("评选表彰了2024年度先进集体", "", "镇工会", 0)[0] == ""
    assert genre.topic_sentence("以人为本，亲切关怀", "", "镇工会", 0)[0] == ""


def test_repetition_metric_catches_padding():
    measures = ["走访困难职工20户", "举办技能培训班3期", "调解劳动争议9起", "新建职工书屋2个", "组织职工体检"]
    padded = "".join(f"{m}，进一步增强了工会组织的凝聚力和向心力。" for m in measures)
    plain = (
        "镇工会深入企业走访困难职工20户。同时举办技能培训班3期，调解劳动争议9起。此外新建职工书屋2个，组织职工体检。"
    )
    assert tm.repetition(padded) > 0.5 and tm.repetition(plain) == 0.0
    assert tm.distinct4(padded) < tm.distinct4(plain)


def _result(kind, length, **over):
    base = dict(
        name="c", kind=kind, backend="offline", rg_precision=1.0, coverage=1.0, stale=0, cs_precision=1.0,
        cs_recall=1.0, content_ordering=1.0, bleu4=30.0, rouge_l=50.0, length_ratio=length, chars=1, gold_chars=1,
        has_notes=True, seconds=0.0,
    )  # fmt: skip
    base.update(over)
    return GoldResult(**base)


def test_length_and_repetition_are_gated_on_every_case_with_notes():
    failures, _ = gate_failures([_result("reconstruction", 0.5)], None)
    assert any("篇幅比 0.5" in f for f in failures)
    assert gate_failures([_result("update", 0.5)], None)[0]
    assert any("篇幅比 1.4" in f for f in gate_failures([_result("reconstruction", 1.4)], None)[0])
    # a case that states why it cannot reach the floor is reported, not failed — and never for the upper bound
    stated = _result("reconstruction", 0.3, short="全文过半是下一年度的要点")
    assert not gate_failures([stated], None)[0] and stated.reported
    assert gate_failures([_result("reconstruction", 1.4, short="…")], None)[0]
    assert not gate_failures([_result("reconstruction", 0.9)], None)[0]
    assert not gate_failures([_result("reconstruction", 0.5, has_notes=False)], None)[0]
    assert any("重复" in f for f in gate_failures([_result("update", 1.0, repetition=0.2)], None)[0])
    assert any("四字组" in f for f in gate_failures([_result("update", 1.0, distinct4=0.5)], None)[0])


def test_a_figure_entered_as_metric_and_as_outcome_is_written_once():
    sheet = _sheet(
        [{"title": "一、丰富文体活动，营造和谐氛围", "notes": ["组织职工篮球联赛", "春节前举办职工书画展"]}],
        metrics=[{"label": "参加运动会的职工", "value": 318, "unit": "人", "section": "丰富文体活动，营造和谐氛围"}],
        activities=[
            {
                "title": "全镇职工运动会",
                "date": "2025-05-01",
                "section": "丰富文体活动，营造和谐氛围",
                "outcomes": [{"label": "参加运动会的职工", "value": 318, "unit": "人"}],
            }
        ],
    )
    draft = _draft(sheet)
    assert draft.text().count("318人") == 1
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0


def test_a_sections_own_notes_open_it_before_its_subsections():
    sheet = _sheet(
        [
            {"title": "一、维护职工权益", "notes": ["把维权作为工会的基本职责", "年初与企业签订维权责任书"]},
            {"title": "（一）关心困难职工", "notes": ["春节慰问困难职工"]},
            {"title": "（二）参与执法检查", "notes": ["参加人大劳动法执法检查"]},
            {"title": "二、加强自身建设", "notes": ["坚持每周学习制度", "工会干部参加培训"]},
        ]
    )
    p = plan(sheet)
    top = p.sections[0]
    assert len(top.fact_ids) == 2 and [len(c.fact_ids) for c in top.children] == [1, 1]
    draft = _draft(sheet)
    text = draft.text()
    own = draft.sections[0].text
    assert "维权" in own and "责任书" in own
    assert text.index("一、维护职工权益") < text.index(own) < text.index("（一）关心困难职工")
    assert "维权" not in draft.sections[0].children[0].text
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0


def test_copied_runs_of_a_gold_sheet_are_found_names_and_figures_allowed():
    gold = "镇工会坚持把维护职工合法权益作为工作的出发点。在各村开展“职工与法人代表同学法”活动，共有120名职工参加。"
    sheet = _sheet(
        [
            {"title": "一、维权", "notes": ["坚持把维护职工合法权益作为出发点"]},  # 13 characters of the gold
            {"title": "二、普法", "notes": ["各村开展“职工与法人代表同学法”，有120名职工参加"]},  # a name, a figure
        ]
    )
    assert copied_runs(sheet, gold) == ["坚持把维护职工合法权益作为"]


def test_a_long_section_links_its_measures_without_repeating_a_connective():
    notes = [f"第{n}项措施落实到位" for n in "一二三四五六七八九十"] + [f"做法{c}推进" for c in "甲乙丙丁戊己庚辛"]
    text = genre.join_measures([n + "。" for n in notes], 0, False)
    used = re.findall(r"(同时|此外|在此基础上|与此同时|另外|另一方面)，", text)
    assert len(used) == len(set(used)) and all(n in text for n in notes)
