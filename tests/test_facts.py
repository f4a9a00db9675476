import json

import pytest

from conftest import ROOT
from zongjie.factsheets.model import FactSheet, FactSheetError, load_fact_sheet, parse_fact_sheet

FACTS = ROOT / "knowledge" / "facts"


@pytest.mark.parametrize("name", ["qingshan_town_2025.yaml", "linxi_hospital_2025_h1.json"])
def test_example_fact_sheets_load(name):
    fs = load_fact_sheet(FACTS / name)
    assert fs.unit.name.endswith("工会") and fs.metrics and fs.plans
    assert len(fs.all_ids()) == len(set(fs.all_ids()))
    assert {m.id for m in fs.all_metrics()} >= {m.id for m in fs.metrics}


def test_json_schema_is_exported():
    schema = FactSheet.model_json_schema()
    assert {"unit", "period", "metrics", "activities", "honours", "problems", "plans"} <= set(schema["properties"])
    json.dumps(schema)


def test_errors_name_the_field_path_in_chinese_and_english():
    data = {
        "unit": {"name": "青山镇工会", "type": "village"},
        "period": {"year": 2025},
        "metrics": [
            {"id": "m1", "label": "会员", "value": "很多", "unit": "名"},
            {"id": "m1", "label": "x", "value": 1, "unit": "个"},
        ],
        "activities": [{"id": "a1", "title": "培训", "date": "2025-13-01"}],
    }
    with pytest.raises(FactSheetError) as e:
        parse_fact_sheet(data)
    by_path = {p.path: p for p in e.value.problems}
    assert by_path["unit.type"].message_zh == "取值不在可选范围内" and by_path["unit.type"].path_zh == "单位 › 单位类型"
    assert by_path["metrics[0].value"].message_zh == "应填写数字"
    assert by_path["metrics[0].value"].path_zh == "指标 › 第1项 › 数值"
    assert "日期" in by_path["activities[0].date"].message_zh


def test_duplicate_ids_are_refused():
    data = {
        "unit": {"name": "青山镇工会", "type": "township"},
        "period": {"year": 2025},
        "metrics": [{"id": "m1", "label": "a", "value": 1, "unit": "个"}],
        "plans": [{"id": "m1", "text": "继续努力工作"}],
    }
    with pytest.raises(FactSheetError) as e:
        parse_fact_sheet(data)
    assert "编号重复" in e.value.problems[0].message_zh


def test_unparseable_file_is_one_clear_problem(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("unit: [unclosed", encoding="utf-8")
    with pytest.raises(FactSheetError) as e:
        load_fact_sheet(p)
    assert e.value.problems[0].message_zh == "文件格式有误，无法解析"
