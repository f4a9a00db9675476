"""``zongjie rollup`` (issue 26): the eval case's sheets as files rolled up offline — parts on every rolled metric,
the ``rollup`` block with included / missing / conflicts, near-matches confirmed with --same, an Excel file read."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from conftest import ROOT
from zongjie.cli import app
from zongjie.factsheets.files import xlsx_template
from zongjie.factsheets.model import load_fact_sheet, parse_fact_sheet

CASE = ROOT / "eval" / "rollup" / "county_songxi_2025.yaml"


def _files(tmp_path):
    spec = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    paths = []
    for i, s in enumerate(spec["sheets"]):
        if s.get("source") == "file":  # the enterprise that sent Excel
            path = tmp_path / f"unit{i}.xlsx"
            path.write_bytes(xlsx_template(parse_fact_sheet(s["facts"])))
        else:
            path = tmp_path / f"unit{i}.yaml"
            path.write_text(yaml.safe_dump(s["facts"], allow_unicode=True), encoding="utf-8")
        paths.append(str(path))
    (tmp_path / "list.yaml").write_text(yaml.safe_dump(spec["indicators"], allow_unicode=True), encoding="utf-8")
    (tmp_path / "tree.yaml").write_text(yaml.safe_dump(spec["tree"], allow_unicode=True), encoding="utf-8")
    return spec, paths


def test_rollup_from_files(tmp_path):
    spec, paths = _files(tmp_path)
    out = tmp_path / "county.yaml"
    args = [
        "rollup", *paths, "--unit", "松溪县总工会", "--type", "county_federation", "--year", "2025",
        "--indicators", str(tmp_path / "list.yaml"), "--units", str(tmp_path / "tree.yaml"), "-o", str(out),
    ]  # fmt: skip
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stdout
    assert "相近指标" in first.stdout and "--same '新发展会员人数=新发展会员'" in first.stdout
    assert "缺报：白沙镇工会（未报送）" in first.stdout
    result = CliRunner().invoke(app, [*args, "--same", "新发展会员人数=新发展会员", "--pick", "东坪镇工会:w_park"])
    assert result.exit_code == 0, result.stdout
    sheet = load_fact_sheet(out)
    by_id = {m.id: m for m in sheet.metrics}
    for key, value in spec["expect"]["totals"].items():
        assert by_id[key].value == value, key
        assert sum(p.value for p in by_id[key].parts) == value
    assert by_id["relief_funds"].parts[-1].reported is None or any(
        p.reported == "6.8万元" for p in by_id["relief_funds"].parts
    )
    assert by_id["membership_rate"].value == 92.8 and by_id["membership_rate"].formula is not None
    raw = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert {"included", "missing", "conflicts"} <= raw["rollup"].keys()
    assert raw["rollup"]["missing"] == [{"unit": "白沙镇工会", "reason": "未报送"}]
    assert raw["metrics"][0]["parts"][0].keys() >= {"unit", "value"}
    assert [n.unit for _, n in sheet.all_notes()] == ["东坪镇工会"]


def test_rollup_says_what_is_wrong_with_an_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "unit: {name: 某镇工会, type: township}\nperiod: {year: 2025}\nmetrics: [{label: 新建工会, value: 多, unit: 个}]\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(
        app,
        [
            "rollup",
            str(bad),
            "--unit",
            "某县总工会",
            "--type",
            "county_federation",
            "--year",
            "2025",
            "-o",
            str(tmp_path / "o.yaml"),
        ],
    )
    assert r.exit_code == 2 and "数值" in r.stdout
