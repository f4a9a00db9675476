"""Fact sheets in and out of files: YAML, JSON and Excel (.xlsx), plus the Excel template users download.

Excel layout (one workbook, sheets named in Chinese; the first row of each sheet is the header):
- 单位: rows of 项目 / 内容 — 单位名称, 单位类型 (县总工会/乡镇工会/医院工会/企业工会/机关工会/学校工会/其他 or
  the English codes), 上级单位, 年度, 时段 (全年/上半年/下半年), 领导机关, 年度主题 (several separated by 、)
- 指标: 编号 | 指标名称 | 数值 | 单位 | 章节 | 约数 (是/否)
- 活动: 编号 | 活动名称 | 日期 (2025-05-01, 2025-05 or 2025) | 参加对象 | 章节 | 成果 ([编号:]名称:数值:单位; …)
- 荣誉: 编号 | 荣誉名称 | 授予单位 | 日期
- 问题: 编号 | 内容        - 打算: 编号 | 内容
Blank 编号 cells are filled in (m1, a1, h1, p1, n1…).
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import yaml

from .facts import FactSheet, FactSheetError, Problem, fill_ids, parse_fact_sheet

UNIT_TYPE_ZH = {
    "县总工会": "county_federation",
    "县（市、区）总工会": "county_federation",
    "乡镇工会": "township",
    "乡镇（街道）工会": "township",
    "街道工会": "township",
    "医院工会": "hospital",
    "企业工会": "enterprise",
    "机关工会": "bureau",
    "机关（局）工会": "bureau",
    "学校工会": "school",
    "学校（教育）工会": "school",
    "其他": "other",
}
PERIOD_ZH = {"全年": "annual", "上半年": "first_half", "下半年": "second_half"}
MAX_XLSX_UNCOMPRESSED = 30 * 1024 * 1024


def _problem(msg_zh: str, msg_en: str) -> FactSheetError:
    return FactSheetError([Problem(path="(file)", path_zh="整个文件", message_zh=msg_zh, message_en=msg_en)])


def parse_outcomes(text: str) -> list[dict]:
    """'参赛队伍:10:支; 观众:300:人' → outcome metrics (value kept as text so validation can explain errors)."""
    out = []
    for part in filter(None, (p.strip() for p in re.split(r"[;；\n]", text or ""))):
        bits = [b.strip() for b in re.split(r"[:：]", part)]
        if len(bits) == 4:
            out.append({"id": bits[0], "label": bits[1], "value": bits[2], "unit": bits[3]})
        elif len(bits) == 3:
            out.append({"label": bits[0], "value": bits[1], "unit": bits[2]})
        else:
            raise _problem(f"活动成果「{part}」应写成 名称:数值:单位", f"outcome {part!r} must be label:value:unit")
    return out


def load_bytes(data: bytes, filename: str) -> FactSheet:
    """Parse an uploaded fact sheet (.yaml/.yml/.json/.xlsx); raises FactSheetError with readable problems."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw = read_xlsx(data)
    elif name.endswith((".yaml", ".yml", ".json")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _problem("文件不是 UTF-8 编码的文本", "not UTF-8 text") from None
        try:
            raw = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise _problem("文件格式有误，无法解析", f"cannot parse: {exc}") from None
    else:
        raise _problem("只接受 .yaml、.yml、.json 或 .xlsx 文件", f"unsupported file type: {filename}")
    if not isinstance(raw, dict):
        raise _problem("文件内容应是一份事实表（若干字段组成的对象）", "top level must be a mapping")
    return parse_fact_sheet(fill_ids(raw), filename)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return str(v).strip()


def read_xlsx(data: bytes) -> dict:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise _problem("Excel 文件解压后过大，拒绝处理", "xlsx expands too much (zip bomb?)")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FactSheetError:
        raise
    except Exception:
        raise _problem("无法读取这个 Excel 文件，请使用下载的模板", "not a readable .xlsx") from None

    def rows(sheet_name):
        if sheet_name not in wb.sheetnames:
            return []
        out = []
        for i, row in enumerate(wb[sheet_name].iter_rows(values_only=True)):
            if i == 0:
                continue
            cells = [_cell(c) for c in row]
            if any(cells):
                out.append(cells + [""] * 8)
        return out

    info = {r[0]: r[1] for r in rows("单位")}
    unit_type = info.get("单位类型", "")
    period = info.get("时段", "全年")
    data: dict = {
        "unit": {
            "name": info.get("单位名称", ""),
            "type": UNIT_TYPE_ZH.get(unit_type, unit_type),
            "superior": info.get("上级单位") or None,
        },
        "period": {"year": info.get("年度", ""), "kind": PERIOD_ZH.get(period, period)},
        "leadership": info.get("领导机关") or None,
        "themes": [t for t in re.split(r"[、,，;；]", info.get("年度主题", "")) if t.strip()],
        "metrics": [
            {
                "id": r[0],
                "label": r[1],
                "value": r[2],
                "unit": r[3],
                "section": r[4] or None,
                "approximate": r[5] in ("是", "true", "True", "1", "约"),
            }
            for r in rows("指标")
        ],
        "activities": [
            {
                "id": r[0],
                "title": r[1],
                "date": r[2] or None,
                "participants": r[3] or None,
                "section": r[4] or None,
                "outcomes": parse_outcomes(r[5]),
            }
            for r in rows("活动")
        ],
        "honours": [
            {"id": r[0], "title": r[1], "awarded_by": r[2] or None, "date": r[3] or None} for r in rows("荣誉")
        ],
        "problems": [{"id": r[0], "text": r[1]} for r in rows("问题")],
        "plans": [{"id": r[0], "text": r[1]} for r in rows("打算")],
    }
    return data


def xlsx_template(sheet: FactSheet | None = None) -> bytes:
    """The Excel template (filled with ``sheet`` when given): the layout ``read_xlsx`` reads."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位"
    type_zh = {v: k for k, v in UNIT_TYPE_ZH.items() if "（" not in k and k != "街道工会"}
    period_zh = {v: k for k, v in PERIOD_ZH.items()}
    ws.append(["项目", "内容"])
    s = sheet
    ws.append(["单位名称", s.unit.name if s else "青山镇工会"])
    ws.append(["单位类型", type_zh.get(s.unit.type, "其他") if s else "乡镇工会"])
    ws.append(["上级单位", (s.unit.superior or "") if s else "临溪县总工会"])
    ws.append(["年度", s.period.year if s else 2025])
    ws.append(["时段", period_zh[s.period.kind] if s else "全年"])
    ws.append(["领导机关", (s.leadership or "") if s else "镇党委和县总工会"])
    ws.append(["年度主题", "、".join(s.themes) if s else "服务园区企业发展"])
    sheets = {
        "指标": (
            ["编号", "指标名称", "数值", "单位", "章节", "约数"],
            [[m.id, m.label, m.value, m.unit, m.section or "", "是" if m.approximate else "否"] for m in s.metrics]
            if s
            else [["m1", "新建企业工会", 9, "家", "组织建设", "否"]],
        ),
        "活动": (
            ["编号", "活动名称", "日期", "参加对象", "章节", "成果"],
            [
                [
                    a.id,
                    a.title,
                    a.date or "",
                    a.participants or "",
                    a.section or "",
                    "; ".join(f"{o.id}:{o.label}:{o.value:g}:{o.unit}" for o in a.outcomes),
                ]
                for a in s.activities
            ]
            if s
            else [["a1", "全镇职工篮球赛", "2025-05-01", "镇机关、企业职工", "文体", "参赛队伍:10:支"]],
        ),
        "荣誉": (
            ["编号", "荣誉名称", "授予单位", "日期"],
            [[h.id, h.title, h.awarded_by or "", h.date or ""] for h in s.honours]
            if s
            else [["h1", "县级模范职工之家", "临溪县总工会", "2025-12"]],
        ),
        "问题": (["编号", "内容"], [[p.id, p.text] for p in s.problems] if s else [["p1", "专职干部少，工作力量薄弱"]]),
        "打算": (["编号", "内容"], [[p.id, p.text] for p in s.plans] if s else [["n1", "推进园区小微企业联合建会"]]),
    }
    for title, (header, body) in sheets.items():
        w = wb.create_sheet(title)
        w.append(header)
        for row in body:
            w.append(row)
    for w in wb.worksheets:
        for c in w[1]:
            c.font = Font(bold=True)
        for col in "ABCDEF":
            w.column_dimensions[col].width = 22
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def use_for_next_year(data: dict) -> dict:
    """「用作下一年度」: the sheet for the next period, to be filled in — never a sheet of zeros.

    Same unit, year + 1, same indicators with last period's value moved to ``prior`` (上年同期) and this period's
    ``value`` left blank (drafting refuses a sheet until every blank is filled); targets are cleared. Each section
    keeps its title and the notes that hold no figure (recurring measures); notes with figures, activities,
    honours, plans and the 落款 date are last year's and are dropped; problems are kept as a reminder.
    """
    from .numbers import find_numbers

    def carry(m: dict) -> dict:
        return {**m, "prior": m.get("value"), "value": None, "target": None}

    def figureless(note) -> bool:
        text = note if isinstance(note, str) else note.get("text", "")
        return not any(x.kind == "quantity" for x in find_numbers(text))

    signature = data.get("signature") or None
    return {
        "unit": data["unit"],
        "period": {"year": int(data["period"]["year"]) + 1, "kind": data["period"].get("kind", "annual")},
        "leadership": data.get("leadership"),
        "themes": [],
        "metrics": [carry(m) for m in data.get("metrics", [])],
        "sections": [
            {"title": s["title"], "notes": [n for n in s.get("notes", []) if figureless(n)]}
            for s in data.get("sections", [])
        ],
        "activities": [],
        "honours": [],
        "problems": data.get("problems", []),
        "plans": [],
        "signature": {"unit": signature.get("unit"), "date": None} if signature else None,
    }
