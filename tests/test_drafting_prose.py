"""The offline drafter writes the genre: notes as sentences with their figures, related figures in one clause,
activities by date, an opening and closing that read right whatever is missing, 落款; own voice first (update mode)."""

import re

import yaml

from conftest import ROOT
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.settings import Settings
from zongjie.stages.export import to_docx
from zongjie.stages.plan import plan
from zongjie.writers import phrasing
from zongjie.writers.frame import write_closing, write_opening

UPDATE = ROOT / "eval" / "drafting" / "update"


def _sheet(**over):
    data = {
        "unit": {"name": "东湖街道工会", "type": "township"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"id": "m_visit", "label": "走访慰问困难职工", "value": 39, "unit": "户", "section": "帮扶"},
            {"id": "m_fund", "label": "发放慰问金", "value": 8.2, "unit": "万元", "section": "帮扶"},
            {"id": "m_files", "label": "困难职工档案", "value": 41, "unit": "户", "section": "帮扶"},
        ],
        "sections": [{"title": "帮扶", "notes": ["春节期间走访慰问困难职工", "困难职工档案实行动态管理"]}],
        "activities": [
            {"id": "a2", "title": "中秋职工游园会", "date": "2025-09", "section": "文体"},
            {
                "id": "a1",
                "title": "“三八”节健步走",
                "date": "2025-03-08",
                "section": "文体",
                "description": "辖区企业女职工踊跃参加",
            },
        ],
        "problems": [{"id": "p1", "text": "专职干部不足"}],
        "plans": [{"id": "n1", "text": "推进联合建会"}],
        "signature": {"unit": "东湖街道工会", "date": "2025-12-26"},
    }
    data.update(over)
    return parse_fact_sheet(data)


def test_opening_and_closing_read_right_whatever_is_missing():
    bare = _sheet()
    assert write_opening(bare) == (
        "2025年，东湖街道工会团结带领广大职工，扎实推进各项工作，较好地完成了目标任务。现将全年工作总结如下："
    )
    full = _sheet(leadership="街道党工委和区总工会", themes=["服务新就业形态劳动者"])
    opening = write_opening(full)
    assert opening.startswith("2025年，东湖街道工会在街道党工委和区总工会的领导下，紧紧围绕服务新就业形态劳动者，")
    half = _sheet(period={"year": 2025, "kind": "first_half"}, themes=["服务新就业形态劳动者"])
    assert write_opening(half).startswith("2025年上半年，东湖街道工会紧紧围绕服务新就业形态劳动者，")
    assert write_closing(half).startswith("下半年，街道工会将继续团结带领广大职工")
    for text in (opening, write_opening(bare), write_closing(bare), write_closing(full)):
        assert "，，" not in text and "，团结" not in text.split("工会", 1)[1][:1]


def test_a_theme_written_with_its_verb_is_not_doubled():
    sheet = _sheet(themes=["围绕医疗卫生中心工作。", "紧扣创建学习型医院"])
    opening, closing = write_opening(sheet), write_closing(sheet)
    assert "紧紧围绕医疗卫生中心工作、创建学习型医院，" in opening
    assert "始终围绕医疗卫生中心工作，" in closing  # the closing does not repeat the opening's words
    assert not re.search(r"围绕(?:围绕|紧扣)", opening + closing)


def test_notes_carry_their_figures_related_figures_share_a_sentence_activities_by_date():
    draft = run_draft(_sheet(), Settings(environment="test"), kb=None, llm=None)
    welfare = next(s for s in draft.walk() if s.key == "welfare").text
    assert welfare.startswith("街道工会")  # a topic sentence with the unit as subject opens the section
    assert (
        "春节期间走访慰问困难职工39户，发放慰问金8.2万元。" in welfare
    )  # the note names the figure; a related one follows
    assert "困难职工档案41户，实行动态管理。" in welfare  # the note names it too: it stays with that note
    culture = next(s for s in draft.walk() if s.key == "culture").text
    assert culture.index("3月8日") < culture.index("9月") and "辖区企业女职工踊跃参加" in culture
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0
    text = draft.text()
    assert not re.search(r"^全年，.+，.+，.+。$", welfare)  # not a fact list
    assert text.rstrip().endswith("东湖街道工会\n2025年12月26日")
    assert draft.closing and draft.closing in text and "作出新的更大贡献" in draft.closing


def test_verbs_are_learned_from_past_summaries():
    texts = ["建立困难职工档案43户，实行动态管理。", "为企业建立困难职工档案12户。", "指导9家企业开展工资集体协商"]
    assert phrasing.verb_for("困难职工档案", texts) == "建立"
    assert phrasing.verb_for("走访慰问困难职工", texts) is None  # already an action
    assert phrasing.verb_for("职工书屋", texts) is None  # no text uses it
    assert phrasing.clause(_sheet().metrics[2], "建立") == "建立困难职工档案41户"


def _update_case(name):
    spec = yaml.safe_load((UPDATE / f"{name}.yaml").read_text(encoding="utf-8"))
    return parse_fact_sheet(spec["facts"]), (ROOT / spec["prior"]).read_text(encoding="utf-8")


def test_own_last_summary_is_the_model_and_is_updated(sample_kb):
    sheet, prior = _update_case("baishi_town_2025")
    p = plan(sheet, sample_kb)
    assert p.outline_source == "own" and p.learned_from == ["白石镇工会2024年工作总结"]
    own_headings = re.findall(r"^[一二三四五六]、(.+)$", prior, re.M)
    assert [s.heading for s in p.sections][:4] == own_headings[:4]
    assert p.sections[-1].heading == "2026年工作打算"  # the year moves on
    draft = run_draft(sheet, Settings(environment="test"), kb=sample_kb, llm=None)
    text = draft.text()
    # kept words, this year's values
    assert (
        "全年新建企业工会9家，其中民营企业7家" in text
        and "镇工会联合镇劳动保障所开展劳动法律法规宣传进企业活动8次" in text
    )
    # last year's figures never survive; a sentence whose figure has no fact this year is dropped
    for old in ("新建企业工会11家", "640名", "8.6万元", "1100余人次", "建会率达到96%"):
        assert old not in text
    assert "因病致困" not in text
    assert "在工业园区设立劳动争议调解工作室" in text  # a note last year's text does not cover is added
    assert draft.report.summary.errors == 0 and draft.report.summary.coverage == 1.0
    assert draft.outline_source == "own"
    # copying the unit's own text is not a copy error
    assert not draft.report.copies


def test_without_own_summary_peers_give_outline_and_length(sample_kb):
    sheet, _ = _update_case("baishi_town_2025")
    other = sheet.model_copy(update={"unit": sheet.unit.model_copy(update={"name": "红岩镇工会"})})
    p = plan(other, sample_kb)
    assert p.outline_source in ("learned", "fallback") and p.opening_prior is None
    assert all(leaf.prior is None for leaf in p.leaves())
    if p.outline_source == "learned":
        assert any(leaf.target_chars for leaf in p.leaves())


def test_docx_carries_closing_and_signature(tmp_path):
    from docx import Document

    draft = run_draft(_sheet(), Settings(environment="test"), kb=None, llm=None)
    doc = Document(str(to_docx(draft, tmp_path / "d.docx")))
    pars = [p for p in doc.paragraphs if p.text.strip()]
    assert pars[-3].text == draft.closing and "辖区经济社会发展" in draft.closing
    assert [p.text for p in pars[-2:]] == ["东湖街道工会", "2025年12月26日"]
    assert all(p.alignment == 2 for p in pars[-2:])  # right-aligned (WD_ALIGN_PARAGRAPH.RIGHT)


def test_docx_names_fallback_fonts(tmp_path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    draft = run_draft(_sheet(), Settings(environment="test"), kb=None, llm=None)
    doc = Document(str(to_docx(draft, tmp_path / "d.docx")))
    table = doc.part.part_related_by(RT.FONT_TABLE).blob.decode("utf-8")
    for font, alt in (("仿宋_GB2312", "仿宋,FangSong"), ("楷体_GB2312", "楷体,KaiTi"), ("黑体", "SimHei")):
        assert f'w:name="{font}"' in table and f'w:val="{alt}"' in table
    assert 'w:name="方正小标宋简体"' in table and 'w:val="宋体,SimSun"' in table


def test_whole_draft_check_marks_what_the_section_loop_let_through():
    from zongjie.stages.assemble import assemble
    from zongjie.stages.draft import UNVERIFIED, SectionResult

    sheet = _sheet()
    p = plan(sheet)
    leaves = p.leaves()
    results = [
        SectionResult(leaf.key, leaf.heading, leaf.role, "另有志愿者88人参加。" if i == 0 else "工作有序推进。", [], [])
        for i, leaf in enumerate(leaves)
    ]
    draft = assemble(sheet, p, "2025年，东湖街道工会扎实推进各项工作。", results, "offline", [])
    assert f"88人{UNVERIFIED}" in draft.text()
    first = next(s for s in draft.walk() if s.key == leaves[0].key)
    assert first.unverified == 1
    assert all(draft.text().startswith(UNVERIFIED, f.end) for f in draft.report.errors)


def test_a_metric_a_note_already_states_is_not_written_twice():
    sheet = _sheet(
        metrics=[
            {"id": "m_a", "label": "上半年召开全体职代会代表会议", "value": 1, "unit": "次", "section": "民主管理"},
            {"id": "m_b", "label": "上半年召开临时职工代表会议", "value": 2, "unit": "次", "section": "民主管理"},
            {"id": "m_c", "label": "形成书面决议", "value": 3, "unit": "项", "section": "民主管理"},
        ],
        sections=[{"title": "民主管理", "notes": ["上半年开全体职代会代表会议1次、临时职工代表会议2次"]}],
        activities=[],
    )
    draft = run_draft(sheet, Settings(environment="test", embedder="hashing", vector_store="memory"), llm=None)
    text = draft.text()
    assert text.count("代表会议1次") == 1 and text.count("代表会议2次") == 1
    assert "3项" in text  # a metric the note does not state is still written
    assert draft.report.summary.errors == 0


def test_a_note_stating_an_approximate_figure_or_a_figure_between_words_is_not_written_twice():
    assert phrasing.states("一月慰问30多名特困职工，又会同市总慰问10多名", _metric("一月慰问特困职工", 30, "名"))
    assert phrasing.states("10月下旬分3个片召开工会主席会议", _metric("分片召开工会主席会议的片区", 3, "个"))
    assert not phrasing.states("一月慰问30多名特困职工", _metric("发放慰问金", 30, "万元"))
    assert not phrasing.states("一月慰问30多名特困职工", _metric("建立职工书屋", 30, "个"))


def _metric(label, value, unit):
    from zongjie.factsheets.model import Metric

    return Metric(id="m", label=label, value=value, unit=unit)


def test_a_clerks_ladder_that_skips_a_rung_keeps_its_subsections():
    """一、 followed by 1、 2、 (no （一）): each 1、 is a second-level section, not folded into the first."""
    sheet = _sheet(
        metrics=[],
        activities=[],
        sections=[
            {"title": "一、维护职工权益", "notes": ["把维权作为基本职能"]},
            {"title": "1、关心特困职工", "notes": ["春节慰问特困职工"]},
            {"title": "2、参与执法检查", "notes": ["参加人大执法检查"]},
            {"title": "二、加强宣传", "notes": []},
            {"title": "1、宣传工会法", "notes": ["用板报宣传工会法"]},
            {"title": "（1）板报", "notes": ["各单位出板报"]},
        ],
    )
    p = plan(sheet)
    first, second = p.sections[0], p.sections[1]
    assert [c.heading for c in first.children] == ["关心特困职工", "参与执法检查"]
    assert [c.heading for c in second.children] == ["宣传工会法"]  # （1） folds into the level above it
    assert len(second.children[0].fact_ids) == 2


def test_the_offline_opening_names_the_areas_of_work_from_the_outline():
    sheet = _sheet(leadership="街道党工委", themes=[])
    opening = write_opening(sheet, outline=["加强组织建设，扩大覆盖面", "依法维护职工权益", "做好帮扶救助"])
    # the areas are the headings' objects: the headings printed below are not repeated word for word
    assert "在组织建设、职工权益和帮扶救助等方面扎实开展工作" in opening
    assert write_opening(sheet, outline=["加强组织建设"]) == write_opening(sheet)  # one heading names nothing


def test_a_clerks_note_gets_the_unit_as_its_subject_where_it_opens_with_an_action():
    assert phrasing.with_subject("把维权作为基本职能。", "镇工会") == "镇工会把维权作为基本职能。"
    assert phrasing.with_subject("3月27日参加执法检查。", "镇工会") == "3月27日，镇工会参加执法检查。"
    assert phrasing.with_subject("五一前后检查3家企业。", "镇工会") == "五一前后，镇工会检查3家企业。"
    assert phrasing.with_subject("外来民工多，强调入会。", "镇工会") == "外来民工多，强调入会。"  # a noun first
    assert phrasing.with_subject("镇工会召开座谈会。", "镇工会") == "镇工会召开座谈会。"
