"""Fact sheets in files and in the form: every field round-trips (YAML, JSON, Excel), clerks' numbers are read or
questioned, Excel errors name the cell and load everything else into the form."""

import io
import json

import openpyxl
import pytest
import yaml

from zongjie.factsheets.files import UploadError, load_bytes, read_xlsx, xlsx_template
from zongjie.factsheets.model import FactSheetError, parse_fact_sheet
from zongjie.numbers.typed import TypedNumberError, parse_typed, question

FULL = {
    "unit": {"name": "柳岸街道工会", "type": "township", "superior": "临溪县总工会"},
    "period": {"year": 2025, "kind": "annual"},
    "leadership": "街道党工委和县总工会",
    "themes": ["服务新就业形态劳动者", "建会入会"],
    "metrics": [
        {
            "id": "m_members",
            "label": "新发展会员",
            "value": 520,
            "unit": "名",
            "prior": 480,
            "target": 500,
            "section": "组织建设",
            "approximate": False,
        },
        {"id": "m_rate", "label": "企业建会率", "value": 95.5, "unit": "%", "prior": 91, "section": "组织建设"},
        {"id": "m_fund", "label": "发放慰问金", "value": 7.2, "unit": "万元", "prior": None, "approximate": True},
        {"id": "m_blank", "label": "调解劳动纠纷", "value": None, "unit": "起", "prior": 11},
    ],
    "sections": [
        {"title": "一、加强组织建设", "notes": [{"id": "w_a", "text": "为快递员建服务站点3个"}, "每月走访园区企业"]},
        {"title": "二、维权帮扶", "notes": []},
    ],
    "activities": [
        {
            "id": "a_ball",
            "title": "全街道职工篮球赛",
            "date": "2025-05",
            "participants": "企业职工",
            "section": "文体",
            "description": "10支队伍参赛，历时3天",
            "outcomes": [
                {"id": "o_teams", "label": "参赛队伍", "value": 10, "unit": "支"},
                {"label": "观众", "value": 300, "unit": "人次", "approximate": True},
            ],
        },
    ],
    "honours": [{"id": "h1", "title": "县级模范职工之家", "awarded_by": "临溪县总工会", "date": "2025-12"}],
    "problems": [{"id": "p1", "text": "专职干部少"}],
    "plans": [{"id": "n1", "text": "推进联合建会"}],
    "signature": {"unit": "柳岸街道工会", "date": "2025-12-20"},
    "sources": {"m_members": "全年新发展会员480名。", "w_a": "建成快递员服务站点3个。"},
}


def _full():
    return parse_fact_sheet(json.loads(json.dumps(FULL)))


def test_yaml_json_and_excel_keep_every_field():
    sheet = _full()
    dumped = sheet.model_dump(mode="json")
    assert parse_fact_sheet(yaml.safe_load(yaml.safe_dump(dumped, allow_unicode=True))) == sheet
    assert parse_fact_sheet(json.loads(json.dumps(dumped, ensure_ascii=False))) == sheet
    assert load_bytes(xlsx_template(sheet), "f.xlsx") == sheet


def test_the_empty_template_loads_and_scales_its_percent_cell():
    sheet = load_bytes(xlsx_template(), "template.xlsx")
    rate = next(m for m in sheet.metrics if m.unit == "%")
    assert (rate.value, rate.prior) == (95, 90)  # stored as 0.95 in a cell formatted 0%
    assert sheet.sections[0].notes and sheet.activities[0].outcomes[0].value == 10
    assert sheet.signature.date == "2025-12-20"


def _book(sheets: dict) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


UNIT_ROWS = [["项目", "内容"], ["单位名称", "青山镇工会"], ["单位类型", "乡镇工会"], ["年度", 2025], ["时段", "全年"]]


def test_sheets_in_the_old_layout_still_load():
    data = _book(
        {
            "单位": UNIT_ROWS,
            "指标": [
                ["编号", "指标名称", "数值", "单位", "章节", "约数"],
                ["m1", "新建企业工会", 9, "家", "组织建设", "否"],
            ],
            "活动": [
                ["编号", "活动名称", "日期", "参加对象", "章节", "成果"],
                ["a1", "篮球赛", "2025-05-01", "职工", "文体", "参赛队伍:10:支; o9:观众:300:人"],
            ],
        }
    )
    sheet = load_bytes(data, "old.xlsx")
    assert sheet.metrics[0].value == 9 and [o.value for o in sheet.activities[0].outcomes] == [10, 300]
    assert sheet.activities[0].outcomes[1].id == "o9"


def test_excel_numbers_as_clerks_type_them_and_errors_naming_the_cell():
    data = _book(
        {
            "单位": UNIT_ROWS,
            "指标": [
                ["指标名称", "本年数值", "单位", "上年同期"],
                ["新发展会员", "1,200", "名", "１１００"],
                ["发放慰问金", "36.5万", "元", "三十万"],
                ["调解纠纷", "十几起", "起", None],
                ["走访困难职工", "很多", "户", 30],
            ],
        }
    )
    with pytest.raises(UploadError) as exc:
        load_bytes(data, "f.xlsx")
    where = [p.path_zh for p in exc.value.problems]
    assert where == ["「指标」表 第4行 B列", "「指标」表 第5行 B列"]
    assert "约数" in exc.value.problems[0].message_zh and "不是数字" in exc.value.problems[1].message_zh
    rows = exc.value.data["metrics"]  # everything else was read
    assert (rows[0]["value"], rows[0]["prior"], rows[1]["value"], rows[1]["prior"]) == (1200, 1100, 365000, 300000)
    assert rows[3]["prior"] == 30


def test_validation_problems_are_located_in_the_workbook():
    data = _book({"单位": UNIT_ROWS, "指标": [["指标名称", "本年数值", "单位"], ["新发展会员", 12, ""]]})
    with pytest.raises(UploadError) as exc:
        load_bytes(data, "f.xlsx")
    (p,) = exc.value.problems
    assert p.path == "metrics[0].unit" and p.path_zh.startswith("「指标」表 第2行")


@pytest.mark.parametrize(
    "typed, unit, value",
    [
        ("1,200", "人", 1200),
        ("1，200", "人", 1200),
        ("１２００", "人", 1200),
        ("一千二百", "人", 1200),
        ("36.5万", "元", 365000),
        ("36.5万元", "元", 365000),
        ("36.5", "万元", 36.5),
        ("36.5万元", "万元", 36.5),
        ("365000元", "万元", 36.5),
        ("95%", "%", 95),
        ("百分之九十五", "%", 95),
        ("36户", "户", 36),
        ("1.2万", "人次", 12000),
        ("", "人", None),
        (7, "家", 7),
    ],
)
def test_typed_numbers_are_normalised(typed, unit, value):
    assert parse_typed(typed, unit) == value


@pytest.mark.parametrize(
    "typed, unit", [("约300", "人"), ("300余", "人"), ("95%", "人"), ("很多", "户"), ("1.2.3", "人")]
)
def test_typed_numbers_that_cannot_be_read_say_why(typed, unit):
    with pytest.raises(TypedNumberError):
        parse_typed(typed, unit)


def test_implausible_rates_are_questioned():
    assert "是否为 95%" in question("入会率", 0.95, "%")
    assert question("入会率", 95, "%") is None
    assert question("同比增长", 0.5, "%") is None
    assert "超过 100%" in question("企业建会率", 120, "%")


def _post(client, **over):
    data = {
        "csrf_token": client.cookies.get("zj_csrf"),
        "unit_name": "柳岸街道工会",
        "unit_type": "township",
        "unit_superior": "",
        "year": "2025",
        "kind": "annual",
        "leadership": "",
        "themes": "",
        "sig_unit": "柳岸街道工会",
        "sig_date": "2025年12月20日",
        "m_id": ["", ""],
        "m_source": ["", ""],
        "m_label": ["新发展会员", "企业建会率"],
        "m_value": ["1,200", "0.95"],
        "m_unit": ["名", "%"],
        "m_prior": ["一千一百", ""],
        "m_target": ["", ""],
        "m_section": ["组织建设", ""],
        "m_approximate": ["0", "0"],
        "m_confirm": ["0", "0"],
        "s_key": ["s0"],
        "s_title": ["一、加强组织建设"],
        "w_parent": ["s0", "s0"],
        "w_id": ["", ""],
        "w_source": ["", ""],
        "w_text": ["为快递员建站点3个", "每月走访企业"],
        "a_key": ["k1"],
        "a_id": [""],
        "a_source": [""],
        "a_title": ["篮球赛"],
        "a_date": ["2025-05"],
        "a_participants": [""],
        "a_section": ["文体"],
        "a_description": ["10支队伍参赛"],
        "o_parent": ["k1", "k1"],
        "o_id": ["", ""],
        "o_label": ["参赛队伍", "观众"],
        "o_value": ["10", "300"],
        "o_unit": ["支", "人次"],
        "o_approximate": ["0", "1"],
        "action": "save",
    }
    data.update(over)
    return client.post("/facts", data=data, follow_redirects=False)


def test_form_reads_clerks_numbers_questions_a_rate_and_keeps_everything(client):
    r = _post(client)
    assert r.status_code == 422 and "是否为 95%" in r.text
    assert 'name="m_value" value="0.95"' in r.text and 'class="invalid"' in r.text  # kept as typed, outlined
    assert 'value="一千一百"' in r.text and "为快递员建站点3个" in r.text and "参赛队伍" in r.text
    r = _post(client, m_value=["1,200", "95"])
    assert r.status_code == 303, r.text
    data = client.get("/api/factsheets/" + r.headers["location"].split("/")[2].split("?")[0]).json()
    assert [(m["value"], m["prior"]) for m in data["metrics"]] == [(1200, 1100), (95, None)]
    assert [n["text"] for n in data["sections"][0]["notes"]] == ["为快递员建站点3个", "每月走访企业"]
    assert [(o["label"], o["value"], o["approximate"]) for o in data["activities"][0]["outcomes"]] == [
        ("参赛队伍", 10, False),
        ("观众", 300, True),
    ]
    assert data["signature"] == {"unit": "柳岸街道工会", "date": "2025-12-20"}
    assert all(m["id"] for m in data["metrics"])


def test_form_accepts_a_confirmed_question_and_hides_ids(client):
    r = _post(client, m_confirm=["0", "1"])
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert 'type="hidden" name="m_id" value="m1"' in page and "编号" not in page
    assert 'list="section-suggestions"' in page and "加强组织建设，扩大工会工作覆盖面" in page  # the outline offered


def test_blank_values_stay_blank_and_block_drafting_from_the_form(client):
    r = _post(client, m_value=["", "95"], action="draft")
    assert r.status_code == 422 and "本年数值还没有填" in r.text and "已保存" in r.text
    sheet_id = client.get("/api/factsheets").json()[0]["id"]
    assert client.get(f"/api/factsheets/{sheet_id}").json()["metrics"][0]["value"] is None


def test_excel_upload_with_errors_opens_the_form_with_the_rest(client):
    data = _book(
        {
            "单位": UNIT_ROWS,
            "指标": [["指标名称", "本年数值", "单位"], ["新发展会员", 12, "名"], ["走访户数", "很多", "户"]],
        }
    )
    r = client.post(
        "/facts-upload", data={"csrf_token": client.cookies.get("zj_csrf")}, files={"file": ("f.xlsx", data)}
    )
    assert r.status_code == 422 and "「指标」表 第3行 B列" in r.text
    assert 'value="新发展会员"' in r.text and 'value="青山镇工会"' in r.text


def test_read_xlsx_reports_a_missing_activity_for_an_outcome():
    data = _book(
        {"单位": UNIT_ROWS, "活动成果": [["活动名称", "成果名称", "数值", "单位"], ["不存在的活动", "人数", 3, "人"]]}
    )
    book = read_xlsx(data)
    assert book.problems[0].path_zh == "「活动成果」表 第2行 A列" and "不存在的活动" in book.problems[0].message_zh


def test_errors_state_the_limit():
    with pytest.raises(FactSheetError) as exc:
        parse_fact_sheet({**FULL, "leadership": "长" * 200})
    assert "120" in exc.value.problems[0].message_zh


def test_json_schema_carries_the_new_fields(client):
    schema = client.get("/api/factsheets/schema").json()
    assert {"sections", "signature", "sources"} <= set(schema["properties"])
    metric = schema["$defs"]["Metric"]["properties"]
    assert {"prior", "target"} <= set(metric) and {"type": "null"} in metric["value"]["anyOf"]
    assert "description" in schema["$defs"]["Activity"]["properties"]
