"""Every error a user reads is Chinese and names what it is about.

Frameworks answer in English: pydantic's validation of request bodies, queries and form fields («String should
have at most 20000 characters»), Starlette's form parser («Field exceeded maximum size of 1024KB.») and HTTP reason
phrases («Not Found»). ``validation_problems`` turns pydantic errors into problems that name the field in Chinese and
state the limit crossed (「文本」太长：最多 20000 字，现有 20001 字 is worded by the caller when it knows the length);
``http_detail`` replaces any detail without a Chinese character by a Chinese sentence for its status.
"""

from __future__ import annotations

import re

# Field names of the API bodies, queries and forms (the last element of an error's location).
FIELD_ZH = {
    "text": "文本",
    "base_version": "所基于的版本",
    "body": "内容",
    "comment": "审核意见",
    "section_key": "部分",
    "figure": "批注的数字",
    "version": "版本",
    "name": "名称",
    "unit_name": "单位名称",
    "unit_type": "单位类型",
    "unit_id": "单位",
    "parent_id": "上级单位",
    "username": "用户名",
    "display_name": "姓名",
    "password": "密码",
    "current_password": "当前密码",
    "new_password": "新密码",
    "new_password2": "再输一次新密码",
    "role": "角色",
    "active": "状态",
    "q": "检索词",
    "k": "条数",
    "period": "时段",
    "year": "年度",
    "kind": "类别",
    "limit": "条数",
    "offset": "起始位置",
    "page": "页码",
    "fmt": "格式",
    "confirm": "确认",
    "v": "版本",
    "a": "比较的版本",
    "b": "比较的版本",
    "file": "文件",
    "files": "文件",
    "doc": "第几篇",
    "next": "登录后要去的页面",
    "unit": "单位",
    "object_id": "对象",
}

_LIMITS = {
    "string_too_long": ("max_length", "太长：最多 {} 字"),
    "string_too_short": ("min_length", "太短：至少 {} 字"),
    "too_long": ("max_length", "太多：最多 {} 项"),
    "too_short": ("min_length", "太少：至少 {} 项"),
    "greater_than_equal": ("ge", "太小：不能小于 {}"),
    "greater_than": ("gt", "太小：应大于 {}"),
    "less_than_equal": ("le", "太大：不能大于 {}"),
    "less_than": ("lt", "太大：应小于 {}"),
}
_KINDS = {
    "missing": "必须填写",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "literal_error": "不在可选范围内",
    "enum": "不在可选范围内",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "dict_type": "应为若干字段组成的对象",
    "model_type": "应为若干字段组成的对象",
    "model_attributes_type": "应为若干字段组成的对象",
    "list_type": "应为列表",
    "extra_forbidden": "是不认识的字段",
    "string_pattern_mismatch": "格式不对",
    "date_parsing": "日期格式应为 年-月-日",
    "date_from_datetime_parsing": "日期格式应为 年-月-日",
    "value_error": "填写有误",
    "url_parsing": "不是有效的网址",
}
_WHERE = {"body": "", "query": "网址参数", "path": "网址", "header": "请求头", "cookie": "Cookie"}


def field_zh(loc: tuple | list) -> str:
    """The field an error's location points at, as a user reads it: 「文本」, 「指标第3项 › 名称」."""
    parts = list(loc)
    where = _WHERE.get(str(parts[0]), None) if parts else None
    if where is not None:
        parts = parts[1:]
    names = []
    for p in parts:
        if isinstance(p, int):
            names.append(f"第{p + 1}项")
        else:
            names.append(FIELD_ZH.get(str(p), str(p)))
    name = " › ".join(names) or (where or "请求内容")
    return f"「{name}」" if names else name


def problem_message(err: dict) -> str:
    """One pydantic error as a Chinese sentence naming the field and, when one was crossed, the limit."""
    field = field_zh(err.get("loc") or ())
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind in _LIMITS and _LIMITS[kind][0] in ctx:
        key, text = _LIMITS[kind]
        return field + text.format(ctx[key])
    if kind == "missing":
        return f"{field}必须填写"
    if kind == "literal_error" and "expected" in ctx:
        return f"{field}不在可选范围内（可选：{ctx['expected']}）"
    return field + _KINDS.get(kind, "填写有误")


def validation_problems(errors: list) -> list[dict]:
    """The error model's problems for pydantic ``errors()``: path (as before), path_zh and a Chinese message."""
    return [
        {
            "path": ".".join(str(x) for x in e.get("loc", ())),
            "path_zh": field_zh(e.get("loc") or ()),
            "message": problem_message(e),
        }
        for e in errors
    ]


_CJK = re.compile(r"[\u3400-\u9fff]")
_STATUS_ZH = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限进行这个操作",
    404: "页面不存在",
    405: "不支持这个请求方法",
    406: "无法按要求的格式回答",
    408: "请求超时，请重试",
    409: "与现有内容冲突",
    410: "内容已不存在",
    411: "缺少内容长度",
    413: "提交的内容太大",
    414: "网址太长",
    415: "不支持这种内容类型",
    416: "请求的范围无效",
    422: "提交的内容有误",
    429: "请求太频繁，请稍后再试",
    500: "服务器出错了，请稍后再试",
    502: "服务暂时不可用，请稍后再试",
    503: "服务暂时不可用，请稍后再试",
    504: "服务响应超时，请稍后再试",
}
# Starlette's form parser (multipart and urlencoded forms)
_PARSER = (
    (re.compile(r"Field exceeded maximum size of (\d+)KB"), "填写的某一项超过了 {} KB 的上限，请缩短后再提交"),
    (re.compile(r"Part exceeded maximum size of (\d+)KB"), "填写的某一项超过了 {} KB 的上限，请缩短后再提交"),
    (re.compile(r"Too many fields\. Maximum number of fields is (\d+)"), "提交的项目太多：最多 {} 项"),
    (re.compile(r"Too many files\. Maximum number of files is (\d+)"), "一次上传的文件太多：最多 {} 个"),
    (re.compile(r"error parsing the body", re.I), "提交的内容无法解析，请检查后重试"),
    (re.compile(r"boundary", re.I), "上传的内容不完整，请重新选择文件后再试"),
)


def http_detail(status: int, detail: object) -> str:
    """A Chinese detail for an HTTP error: a detail the app wrote (it has Chinese) as it is; a framework's English
    one translated, or the status said in Chinese."""
    text = detail if isinstance(detail, str) else ""
    if text and _CJK.search(text):
        return text
    for pattern, zh in _PARSER:
        m = pattern.search(text)
        if m:
            return zh.format(*m.groups())
    return _STATUS_ZH.get(status, "请求没有完成" if status < 500 else "服务器出错了，请稍后再试")
