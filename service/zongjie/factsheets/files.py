"""Fact sheets in and out of files: YAML, JSON and Excel (.xlsx), plus the Excel template users download.

Excel layout (one workbook, sheets named in Chinese; the first row of each sheet is the header, columns are found
by their header so they may be reordered; 编号 columns may be left blank — ids are generated):
- 单位: rows of 项目 / 内容 — 单位名称, 单位类型 (县总工会/乡镇工会/医院工会/企业工会/机关工会/学校工会/其他 or
  the English codes), 上级单位, 年度, 时段 (全年/上半年/下半年), 领导机关, 年度主题 (several separated by 、),
  落款单位, 落款日期
- 指标: 指标名称 | 本年数值 | 单位 | 上年同期 | 目标 | 章节 | 约数 (是/否) | 编号 | 出处 | 指标代码 (the key of the
  superior's indicator the row was started from, issue 26)
- 工作要点: 章节 | 要点 | 编号 (one row per note; a row with a 章节 and no 要点 keeps an empty section)
- 活动: 活动名称 | 日期 | 参加对象 | 章节 | 活动情况 | 编号
- 活动成果: 活动名称 | 成果名称 | 数值 | 单位 | 约数 | 编号 (linked to the 活动 row with that name)
- 荣誉: 荣誉名称 | 授予单位 | 日期 | 编号      - 问题: 内容 | 编号      - 打算: 内容 | 编号
Sheets written before these columns existed (数值 instead of 本年数值, outcomes written 「名称:数值:单位; …」 in a
成果 column of 活动) still load. Numbers are read as clerks type them (``numbers.typed``); a cell formatted as a
percentage (95% is stored as 0.95) is scaled to 95. Problems name the sheet, row and column as Excel shows them
(「指标」表 第3行 C列) and everything else is still read, so the form can open with it (``UploadError.data``).
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..numbers.typed import TypedNumberError, parse_typed
from .bounded import TooComplex, parse_structured
from .model import FactSheet, FactSheetError, Problem, parse_fact_sheet

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
MAX_XLSX_SHEETS, MAX_XLSX_ROWS, MAX_XLSX_COLUMNS, MAX_XLSX_CELLS = 20, 2000, 30, 100_000  # per workbook / sheet
YES = ("是", "true", "True", "TRUE", "1", "约", "Y", "y", "yes")

# header text → field, per sheet (first header listed is the one the template writes)
COLUMNS = {
    "指标": {
        "指标名称": "label",
        "本年数值": "value",
        "数值": "value",
        "本期数值": "value",
        "单位": "unit",
        "上年同期": "prior",
        "上年数值": "prior",
        "目标": "target",
        "目标值": "target",
        "章节": "section",
        "约数": "approximate",
        "编号": "id",
        "出处": "source",
        "指标代码": "indicator",
    },
    "工作要点": {"章节": "section", "要点": "text", "工作要点": "text", "编号": "id", "出处": "source"},
    "活动": {
        "活动名称": "title",
        "日期": "date",
        "参加对象": "participants",
        "章节": "section",
        "活动情况": "description",
        "成果": "outcomes",
        "编号": "id",
        "出处": "source",
    },
    "活动成果": {
        "活动名称": "activity",
        "成果名称": "label",
        "数值": "value",
        "单位": "unit",
        "约数": "approximate",
        "编号": "id",
    },
    "荣誉": {"荣誉名称": "title", "授予单位": "awarded_by", "日期": "date", "编号": "id", "出处": "source"},
    "问题": {"内容": "text", "编号": "id", "出处": "source"},
    "打算": {"内容": "text", "编号": "id", "出处": "source"},
}
TEMPLATE_HEADERS = {
    "指标": ["指标名称", "本年数值", "单位", "上年同期", "目标", "章节", "约数", "编号", "出处", "指标代码"],
    "工作要点": ["章节", "要点", "编号", "出处"],
    "活动": ["活动名称", "日期", "参加对象", "章节", "活动情况", "编号", "出处"],
    "活动成果": ["活动名称", "成果名称", "数值", "单位", "约数", "编号"],
    "荣誉": ["荣誉名称", "授予单位", "日期", "编号", "出处"],
    "问题": ["内容", "编号", "出处"],
    "打算": ["内容", "编号", "出处"],
}
HELP = {
    "本年数值": "本期（本年度或半年）的数字；还没有就留空，不要填 0。可以写 1,200、36.5万、一千二百、95%",
    "上年同期": "去年同一时期的数字，用于同比和发现沿用去年的数字（可不填）",
    "目标": "年初定的目标值（可不填）",
    "章节": "这项内容写进总结的哪一部分，如“帮扶”“组织建设”或标题原文",
    "约数": "“是”表示约数，总结里可写“余/多/近”",
    "编号": "系统自动生成，可留空",
    "活动名称": "与“活动”表中的活动名称一致",
    "出处": "从往年总结提取时记录的原文句子，供核对（可留空）",
    "指标代码": "上级指标清单中的指标代码，汇总时按它合并，请勿修改（自己加的指标留空）",
}


class UploadError(FactSheetError):
    """A fact sheet file with problems; ``data`` is everything that could be read (to open in the form)."""

    def __init__(self, problems: list[Problem], data: dict[str, Any] | None = None, source: str = ""):
        super().__init__(problems, source)
        self.data = data


def _problem(msg_zh: str, msg_en: str) -> FactSheetError:
    return FactSheetError([Problem(path="(file)", path_zh="整个文件", message_zh=msg_zh, message_en=msg_en)])


def parse_outcomes(text: str) -> list[dict[str, Any]]:
    """Old layout: '参赛队伍:10:支; 观众:300:人' → outcome metrics (values kept as text for validation)."""
    out = []
    for part in filter(None, (p.strip() for p in re.split(r"[;；\n]", text or ""))):
        bits = [b.strip() for b in re.split(r"[:：]", part)]
        if len(bits) == 4:
            out.append({"id": bits[0], "label": bits[1], "value": bits[2], "unit": bits[3]})
        elif len(bits) == 3:
            out.append({"label": bits[0], "value": bits[1], "unit": bits[2]})
        else:
            raise ValueError(f"活动成果「{part}」应写成 名称:数值:单位")
    return out


def load_bytes(data: bytes, filename: str) -> FactSheet:
    """Parse an uploaded fact sheet (.yaml/.yml/.json/.xlsx); raises FactSheetError (UploadError for Excel)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        book = read_xlsx(data)
        try:
            sheet = parse_fact_sheet(book.data, filename)
        except FactSheetError as exc:
            raise UploadError(book.problems + book.locate(exc.problems), book.data, filename) from None
        if book.problems:
            raise UploadError(book.problems, book.data, filename)
        return sheet
    if name.endswith((".yaml", ".yml", ".json")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _problem("文件不是 UTF-8 编码的文本", "not UTF-8 text") from None
        try:
            raw = parse_structured(text, "json" if name.endswith(".json") else "yaml")
        except TooComplex as exc:
            raise _problem(str(exc), "beyond the parsing limits") from None
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise _problem("文件格式有误，无法解析", f"cannot parse: {exc}") from None
    else:
        raise _problem("只接受 .yaml、.yml、.json 或 .xlsx 文件", f"unsupported file type: {filename}")
    if not isinstance(raw, dict):
        raise _problem("文件内容应是一份事实表（若干字段组成的对象）", "top level must be a mapping")
    return parse_fact_sheet(raw, filename)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    if hasattr(v, "isoformat"):
        return str(v.isoformat()[:10])
    return str(v).strip()


_Cell = tuple[Any, bool, str]  # a cell's value, whether it is percent-formatted, 「指标」表 第3行 C列


@dataclass
class Workbook:
    """What ``read_xlsx`` read: the FactSheet-shaped ``data``, cell-located ``problems`` and where each field was."""

    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)  # model path → 「指标」表 第3行 C列

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Validation problems with the cell they came from (the closest located path wins)."""
        out = []
        for p in problems:
            path = p.path
            while path and path not in self.where:
                path = path.rsplit(".", 1)[0] if "." in path else ""
            here = self.where.get(path)
            out.append(p.model_copy(update={"path_zh": f"{here}（{p.path_zh}）"}) if here else p)
        return out


def read_xlsx(data: bytes) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise _problem("Excel 文件解压后过大，拒绝处理", "xlsx expands too much (zip bomb?)")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FactSheetError:
        raise
    except Exception:
        raise _problem("无法读取这个 Excel 文件，请使用下载的模板", "not a readable .xlsx") from None
    if len(wb.sheetnames) > MAX_XLSX_SHEETS:
        why = f"Excel 文件有 {len(wb.sheetnames)} 个工作表，最多 {MAX_XLSX_SHEETS} 个：请使用下载的模板"
        raise _problem(why, "too many sheets")
    book = Workbook(data={})
    read = [0]  # cells read so far

    @functools.cache
    def rows(sheet_name: str) -> list[dict[str, _Cell]]:
        """Each non-empty row as {field: (value, percent-formatted, 'sheet row col')}; at most MAX_XLSX_ROWS rows
        of MAX_XLSX_COLUMNS columns are read (columns further right are ignored)."""
        if sheet_name not in wb.sheetnames:
            return []
        out: list[dict[str, _Cell]] = []
        fields: dict[int, str | None] = {}
        sheet = wb[sheet_name].iter_rows(max_row=MAX_XLSX_ROWS + 1, max_col=MAX_XLSX_COLUMNS)
        for r, row in enumerate(sheet, start=1):
            cells = list(row)
            read[0] += len(cells)
            if r > MAX_XLSX_ROWS and any(_cell(c.value) for c in cells):
                why = f"「{sheet_name}」表超过 {MAX_XLSX_ROWS} 行：事实表用不了这么多行，请删去多余的行"
                raise _problem(why, "too many rows")
            if read[0] > MAX_XLSX_CELLS:
                raise _problem(f"Excel 文件的单元格太多（最多 {MAX_XLSX_CELLS:,} 个）", "too many cells")
            if r == 1:
                names = COLUMNS.get(sheet_name, {})
                fields = {c: names.get(_cell(cell.value)) for c, cell in enumerate(cells)}
                if sheet_name == "单位":
                    fields = {0: "key", 1: "value"}
                continue
            item: dict[str, _Cell] = {}
            for c, cell in enumerate(cells):
                name = fields.get(c)
                if name and cell.value is not None and _cell(cell.value) != "":
                    percent = "%" in (getattr(cell, "number_format", "") or "")
                    item[name] = (cell.value, percent, f"「{sheet_name}」表 第{r}行 {get_column_letter(c + 1)}列")
            if item:
                out.append(item)
        return out

    def text(item: dict[str, _Cell], name: str) -> str:
        return _cell(item[name][0]) if name in item else ""

    def number(item: dict[str, _Cell], name: str, unit: str, path: str) -> float | None:
        if name not in item:
            return None
        value, percent, where = item[name]
        book.where[path] = where
        if percent and isinstance(value, int | float):
            return round(float(value) * 100, 6)  # 95% stored as 0.95
        try:
            return parse_typed(value, unit)
        except TypedNumberError as exc:
            book.problems.append(
                Problem(path=path, path_zh=where, message_zh=str(exc), message_en=f"bad number {value!r}")
            )
            return None

    def note_where(item: dict[str, _Cell], path: str) -> None:
        for name, (_, _, where) in item.items():
            book.where.setdefault(f"{path}.{name}", where)
        if item:
            book.where.setdefault(path, next(iter(item.values()))[2])

    info = {text(r, "key"): r for r in rows("单位") if "key" in r}

    def info_text(key: str) -> str:
        return text(info[key], "value") if key in info and "value" in info[key] else ""

    for key, path in (
        ("单位名称", "unit.name"),
        ("单位类型", "unit.type"),
        ("上级单位", "unit.superior"),
        ("年度", "period.year"),
        ("时段", "period.kind"),
        ("领导机关", "leadership"),
        ("年度主题", "themes"),
        ("落款单位", "signature.unit"),
        ("落款日期", "signature.date"),
    ):
        if key in info and "value" in info[key]:
            book.where[path] = info[key]["value"][2]
    unit_type, period = info_text("单位类型"), info_text("时段") or "全年"
    metrics = []
    for i, r in enumerate(rows("指标")):
        path, unit = f"metrics[{i}]", text(r, "unit")
        note_where(r, path)
        metrics.append(
            {
                "id": text(r, "id"),
                "label": text(r, "label"),
                "value": number(r, "value", unit, f"{path}.value"),
                "unit": "%" if not unit and "value" in r and r["value"][1] else unit,
                "prior": number(r, "prior", unit, f"{path}.prior"),
                "target": number(r, "target", unit, f"{path}.target"),
                "section": text(r, "section") or None,
                "approximate": text(r, "approximate") in YES,
                **({"indicator": text(r, "indicator")} if text(r, "indicator") else {}),
            }
        )
    sections: list[dict[str, Any]] = []  # in order of first appearance; a blank 章节 continues the previous row's
    for r in rows("工作要点"):
        title = text(r, "section") or (sections[-1]["title"] if sections else "")
        k = next((k for k, sec in enumerate(sections) if sec["title"] == title), None)
        if k is None:
            sections.append({"title": title, "notes": []})
            k = len(sections) - 1
            book.where[f"sections[{k}].title"] = (r.get("section") or r.get("text") or next(iter(r.values())))[2]
        if text(r, "text"):
            book.where[f"sections[{k}].notes[{len(sections[k]['notes'])}]"] = r["text"][2]
            sections[k]["notes"].append({"id": text(r, "id"), "text": text(r, "text")})
    activities: list[dict[str, Any]] = []
    for i, r in enumerate(rows("活动")):
        path = f"activities[{i}]"
        note_where(r, path)
        outcomes = []
        if "outcomes" in r:
            try:
                outcomes = parse_outcomes(text(r, "outcomes"))
            except ValueError as exc:
                book.problems.append(
                    Problem(
                        path=f"{path}.outcomes",
                        path_zh=r["outcomes"][2],
                        message_zh=str(exc),
                        message_en="bad outcomes",
                    )
                )
        activities.append(
            {
                "id": text(r, "id"),
                "title": text(r, "title"),
                "date": text(r, "date") or None,
                "participants": text(r, "participants") or None,
                "section": text(r, "section") or None,
                "description": text(r, "description") or None,
                "outcomes": outcomes,
            }
        )
    for r in rows("活动成果"):
        name = text(r, "activity")
        k = next((k for k, a in enumerate(activities) if a["title"] == name), None)
        if k is None:
            where = r.get("activity", next(iter(r.values())))[2]
            book.problems.append(
                Problem(
                    path="activities",
                    path_zh=where,
                    message_zh=f"“活动”表里没有名为「{name}」的活动，请核对活动名称",
                    message_en=f"no activity named {name!r}",
                )
            )
            continue
        path, unit = f"activities[{k}].outcomes[{len(activities[k]['outcomes'])}]", text(r, "unit")
        note_where(r, path)
        activities[k]["outcomes"].append(
            {
                "id": text(r, "id"),
                "label": text(r, "label"),
                "value": number(r, "value", unit, f"{path}.value"),
                "unit": unit,
                "approximate": text(r, "approximate") in YES,
            }
        )

    def simple(sheet_name: str, key: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        out = []
        for i, r in enumerate(rows(sheet_name)):
            note_where(r, f"{key}[{i}]")
            out.append({f: (text(r, f) or (None if f in ("awarded_by", "date") else "")) for f in ("id",) + fields})
        return out

    signature = {"unit": info_text("落款单位") or None, "date": info_text("落款日期") or None}
    sources = {
        text(r, "id"): text(r, "source")
        for name in ("指标", "工作要点", "活动", "荣誉", "问题", "打算")
        for r in rows(name)
        if text(r, "id") and text(r, "source")
    }
    book.data = {
        "unit": {
            "name": info_text("单位名称"),
            "type": UNIT_TYPE_ZH.get(unit_type, unit_type),
            "superior": info_text("上级单位") or None,
        },
        "period": {"year": info_text("年度"), "kind": PERIOD_ZH.get(period, period)},
        "leadership": info_text("领导机关") or None,
        "themes": [t for t in re.split(r"[、,，;；]", info_text("年度主题")) if t.strip()],
        "metrics": metrics,
        "sections": sections,
        "activities": activities,
        "honours": simple("荣誉", "honours", ("title", "awarded_by", "date")),
        "problems": simple("问题", "problems", ("text",)),
        "plans": simple("打算", "plans", ("text",)),
        "signature": signature if any(signature.values()) else None,
        "sources": sources,
    }
    return book


def xlsx_template(sheet: FactSheet | None = None) -> bytes:
    """The Excel template (filled with ``sheet`` when given): the layout ``read_xlsx`` reads, with column help."""
    from openpyxl import Workbook as XlsxBook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = XlsxBook()
    ws = wb.worksheets[0]  # a new workbook's one (active) sheet
    ws.title = "单位"
    type_zh = {v: k for k, v in UNIT_TYPE_ZH.items() if "（" not in k and k != "街道工会"}
    period_zh = {v: k for k, v in PERIOD_ZH.items()}
    s = sheet
    sig = s.signature if s else None
    ws.append(["项目", "内容"])
    for row in (
        ["单位名称", s.unit.name if s else "青山镇工会"],
        ["单位类型", type_zh.get(s.unit.type, "其他") if s else "乡镇工会"],
        ["上级单位", (s.unit.superior or "") if s else "临溪县总工会"],
        ["年度", s.period.year if s else 2025],
        ["时段", period_zh[s.period.kind] if s else "全年"],
        ["领导机关", (s.leadership or "") if s else "镇党委和县总工会"],
        ["年度主题", "、".join(s.themes) if s else "服务园区企业发展"],
        ["落款单位", (sig.unit or "") if sig else ("" if s else "青山镇工会")],
        ["落款日期", (sig.date or "") if sig else ("" if s else "2025-12-20")],
    ):
        ws.append(row)

    def v(x: float | None) -> float | str:
        return "" if x is None else x

    yn = {True: "是", False: "否"}

    def src(fid: str) -> str:
        return s.sources.get(fid, "") if s else ""

    bodies: dict[str, list[list[Any]]] = {
        "指标": [
            [
                m.label,
                v(m.value),
                m.unit,
                v(m.prior),
                v(m.target),
                m.section or "",
                yn[m.approximate],
                m.id,
                src(m.id),
                m.indicator or "",
            ]
            for m in s.metrics
        ]
        if s
        else [
            ["新建企业工会", 9, "家", 7, 10, "组织建设", "否", ""],
            ["企业建会率", 0.95, "%", 0.9, "", "组织建设", "否", ""],
        ],
        "工作要点": [
            row
            for sec in s.sections
            for row in ([[sec.title, n.text, n.id, src(n.id)] for n in sec.notes] or [[sec.title]])
        ]
        if s
        else [["帮扶", "坚持每月走访困难职工，建立动态档案", ""]],
        "活动": [
            [a.title, a.date or "", a.participants or "", a.section or "", a.description or "", a.id, src(a.id)]
            for a in s.activities
        ]
        if s
        else [["全镇职工篮球赛", "2025-05-01", "镇机关、企业职工", "文体", "10支队伍参赛，历时3天", ""]],
        "活动成果": [
            [a.title, o.label, o.value, o.unit, yn[o.approximate], o.id] for a in s.activities for o in a.outcomes
        ]
        if s
        else [["全镇职工篮球赛", "参赛队伍", 10, "支", "否", ""]],
        "荣誉": [[h.title, h.awarded_by or "", h.date or "", h.id, src(h.id)] for h in s.honours]
        if s
        else [["县级模范职工之家", "临溪县总工会", "2025-12", ""]],
        "问题": [[p.text, p.id, src(p.id)] for p in s.problems] if s else [["专职干部少，工作力量薄弱", ""]],
        "打算": [[p.text, p.id, src(p.id)] for p in s.plans] if s else [["推进园区小微企业联合建会", ""]],
    }
    for title, header in TEMPLATE_HEADERS.items():
        w = wb.create_sheet(title)
        w.append(header)
        for row in bodies[title]:
            w.append(row)
        for cell in w[1]:
            if cell.value in HELP:
                cell.comment = Comment(HELP[cell.value], "总结起草助手")
    if not s:  # the example rate is stored as a fraction and shown as a percentage, as clerks' sheets do
        wb["指标"]["B3"].number_format = "0%"
        wb["指标"]["D3"].number_format = "0%"
    for w in wb.worksheets:
        for c in w[1]:
            c.font = Font(bold=True)
        for col in "ABCDEFGH":
            w.column_dimensions[col].width = 22
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
