"""The command line of issue 23 items 1, 2: `zongjie ingest --review FILE` prints what would be stored (its sidecar
corrections applied, those not found named) and stores nothing; `zongjie draft --base FILE|DOC_ID` continues that
summary and says so, and without one says why none was followed. Invented texts."""

import yaml
from typer.testing import CliRunner

from past_summaries import ONE_PARAGRAPH, TWO_PIECES
from zongjie.cli import app
from zongjie.corpus.parsing import parse_text
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.factsheets.next_year import use_for_next_year
from zongjie.stages.extract import extract_document


def test_ingest_review_prints_the_tree_with_the_sidecars_corrections_and_stores_nothing(
    settings, monkeypatch, tmp_path
):
    monkeypatch.setenv("ZONGJIE_DATA_DIR", str(settings.data_dir))
    past = tmp_path / "往年.txt"
    past.write_text(ONE_PARAGRAPH, encoding="utf-8")
    r = CliRunner().invoke(app, ["ingest", "--review", str(past)])
    assert r.exit_code == 0, r.output
    assert "第 1 篇：zz乡工会2024年工作总结" in r.output and "落款：zz乡工会 2024年12月26日" in r.output
    assert "五、接续奋斗再出发2025年  [1级 · 正文]" in r.output  # as the parser reads it
    (tmp_path / "往年.txt.yaml").write_text(
        "unit_name: 松岭镇工会\n"
        "fixes:\n"
        "  - heading: 五、接续奋斗再出发\n"
        "    title: 接续奋斗再出发\n"
        "  - heading: 五、接续奋斗再出发\n"
        "    role: plans\n"
        "  - heading: 六、没有这个标题\n"
        "    role: plans\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(app, ["ingest", "--review", str(past)])
    assert "单位：松岭镇工会" in r.output
    assert "五、接续奋斗再出发  [1级 · 工作打算]  正文从：「2025年，乡工会将新建企业工会3个" in r.output
    assert "✗ 旁注的更正没有找到对应文字：标题「六、没有这个标题」" in r.output
    assert not (settings.data_dir / "chroma").exists()  # nothing stored
    pieces = tmp_path / "汇编.txt"
    pieces.write_text(TWO_PIECES, encoding="utf-8")
    r = CliRunner().invoke(app, ["ingest", "--review", str(pieces)])
    assert "汇编.txt：2 篇" in r.output and "第 2 篇：石岗镇工会2024年工作总结" in r.output


def _next_year_sheet(tmp_path):
    doc = parse_text(ONE_PARAGRAPH)[0]
    data = extract_document(doc).data
    data["unit"]["name"] = "松岭镇工会"
    data = use_for_next_year(parse_fact_sheet(data).model_dump(mode="json"))
    for m in data["metrics"]:
        m["value"] = (m["prior"] or 5) + 2
    path = tmp_path / "松岭镇2025.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_draft_base_file_is_followed_and_said(tmp_path):
    sheet = _next_year_sheet(tmp_path)
    past = tmp_path / "往年.txt"
    past.write_text(ONE_PARAGRAPH, encoding="utf-8")
    out = tmp_path / "d.json"
    r = CliRunner().invoke(app, ["draft", str(sheet), "-o", str(out), "--no-kb", "--base", str(past)])
    assert r.exit_code in (0, 1), r.output
    assert "底稿：续写指定的往年总结「zz乡工会2024年工作总结」" in r.output
    import json

    draft = json.loads(out.read_text(encoding="utf-8"))
    assert draft["outline_source"] == "own" and draft["base"]["how"] == "linked"
    assert [s["heading"] for s in draft["sections"]][:2] == ["建会入会扎实推进", "困难帮扶精准到户"]
    r = CliRunner().invoke(app, ["draft", str(sheet), "-o", str(out), "--no-kb"])
    assert "底稿：未找到本单位往年的总结：没有使用资料库" in r.output
    r = CliRunner().invoke(app, ["draft", str(sheet), "-o", str(out), "--no-kb", "--base", str(past), "--doc", "2"])
    assert r.exit_code == 2 and "只有 1 篇总结" in r.output
    r = CliRunner().invoke(app, ["draft", str(sheet), "-o", str(out), "--no-kb", "--base", "d0000"])
    assert r.exit_code == 2 and "需要资料库" in r.output
