"""Extraction from past summaries: the eval gates (seeds and our corpus), the CLI, and the shapes it proposes."""

import yaml
from typer.testing import CliRunner

from conftest import CORPUS, ROOT
from zongjie.cli import app
from zongjie.evaluation.extraction import corpus_scores, seed_scores, totals
from zongjie.extraction.figures import figures_in
from zongjie.extraction.notes import notes_from
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.stages.extract import extract_text


def test_extraction_meets_the_targets_on_the_seeds(seeds):
    t = totals(seed_scores(seeds, ROOT / "eval" / "seeds"))
    assert t.precision >= 0.95 and t.recall >= 0.95, t
    assert t.section_accuracy >= 0.95 and t.label_agreement >= 0.6, t


def test_extraction_meets_the_targets_on_our_corpus():
    t = totals(corpus_scores(CORPUS, ROOT / "eval" / "extraction" / "corpus"))
    assert t.precision >= 0.95 and t.recall >= 0.95 and t.section_accuracy >= 0.95, t


def _figures(text):
    return [(f.label, f.value, f.unit, f.approximate) for f in figures_in(text)]


def test_figures_carry_unit_as_written_approximation_and_label():
    assert _figures("走访慰问困难职工43户，发放慰问金8.6万元，参与职工1100余人次。") == [
        ("走访慰问困难职工", 43, "户", False),
        ("发放慰问金", 8.6, "万元", False),
        ("参与职工", 1100, "人次", True),
    ]
    # the noun after the count names it; a tally written with 一/二 counts
    assert _figures("上半年共召开一次会员代表大会、二次临时职工代表会议。")[1][:3] == ("临时职工代表会议", 2, "次")
    assert _figures("评选“优秀医师”“优秀护士”各10名。") == [
        ("优秀医师", 10, "名", False),
        ("优秀护士", 10, "名", False),
    ]


def test_what_is_not_a_claim_is_left_out():
    for text in (
        "主要做法有三条：一是围绕发展，二是围绕稳定。",  # an enumeration of what follows
        "召开市九次工代会精神传达会。",  # a meeting number
        "会员在25人以下的学校设工会组长。",  # a size threshold
        "每组负责走访2个村。",  # an assignment
        "近五年来，工会坚持开展文化活动；建院55周年。",  # durations and anniversaries
        "狠抓了“三个规范”建设。",  # a name in quotes
        "1-8月份全镇信访稳定。",  # a date range
    ):
        assert figures_in(text) == [], text


def test_placeholders_become_blank_metrics_to_fill():
    (f,) = figures_in("表彰“工人先锋号”XX个班组。")
    assert f.value is None and f.unit == "个"


def test_notes_condense_measures_and_drop_rhetoric():
    text = (
        "维权是工会重中之重的工作。一是推行集体合同制度，对职工进行劳动法培训，使职工的劳动报酬得到保障；"
        "二是设立公开栏和意见箱，收到了很好的效果。"
    )
    notes = [n for n, _ in notes_from(text)]
    assert notes == ["推行集体合同制度，对职工进行劳动法培训", "设立公开栏和意见箱"]


def test_a_proposed_sheet_links_every_item_to_its_sentence():
    text = (CORPUS / "baishi_town_2024.txt").read_text(encoding="utf-8")
    (ex,) = extract_text(text)
    sheet = parse_fact_sheet(ex.data)
    assert sheet.unit.name == "白石镇工会" and sheet.period.year == 2024 and sheet.leadership == "镇党委和县总工会"
    assert [s.title for s in sheet.sections][0] == "一、抓组建扩覆盖，企业建会取得新突破"
    assert len(sheet.problems) == 2 and len(sheet.plans) == 3
    for fid in sheet.all_ids():
        assert fid in sheet.sources and sheet.sources[fid] in text.replace("\n", "") or sheet.sources[fid] in text
    m = next(m for m in sheet.metrics if m.value == 8.6)
    assert "8.6万元" in sheet.sources[m.id]


def test_cli_extract_writes_a_sheet(tmp_path):
    out = tmp_path / "sheet.yaml"
    r = CliRunner().invoke(app, ["extract", str(CORPUS / "linxi_peoples_hospital_2024.txt"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    sheet = parse_fact_sheet(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert len(sheet.metrics) >= 17 and sheet.unit.type == "hospital"
    assert "指标" in r.output


PIECES = "\n".join(
    [
        "关于报送年度工作总结的说明",
        "请各基层工会于12月31日前将年度工作总结报送县总工会办公室，逾期未报的将在全县通报，谢谢配合。",
        "青禾镇工会2024年工作总结 篇1",
        "2024年，青禾镇工会在镇党委的领导下，围绕中心开展工作，现总结如下：",
        "一、夯实基层组织",
        "全年新建企业工会7家，发展会员412名。",
        "青禾镇工会2023年工作总结 篇2",
        "2023年，青禾镇工会在镇党委的领导下，围绕中心开展工作，现总结如下：",
        "一、做实帮扶服务",
        "走访慰问困难职工36户，发放慰问金5.4万元。",
    ]
)


def test_cli_extract_takes_the_summary_by_default_lists_every_piece_and_honours_doc(tmp_path):
    src, out = tmp_path / "青禾镇.txt", tmp_path / "sheet.yaml"
    src.write_text(PIECES, encoding="utf-8")

    def values(*args):
        r = CliRunner().invoke(app, ["extract", str(src), "-o", str(out), *args])
        assert r.exit_code == 0, r.output
        return r.output, [m["value"] for m in yaml.safe_load(out.read_text(encoding="utf-8"))["metrics"]]

    output, found = values()  # not chosen: the summary, not the note in front of it
    assert "文件里有 3 篇总结，取第 2 篇" in output and "（无标题）关于报送年度工作总结的说明" in output
    assert 412 in found and 5.4 not in found
    output, found = values("--doc", "3")
    assert "取第 3 篇" in output and 5.4 in found and 412 not in found
    r = CliRunner().invoke(app, ["extract", str(src), "--doc", "9"])
    assert r.exit_code == 2 and "3 篇总结" in r.output
