"""Framework messages said in Chinese, naming the field and the limit (issue 25): web/messages.py."""

from pydantic import BaseModel, Field, ValidationError

from zongjie.web.messages import http_detail, validation_problems


class _Edit(BaseModel):
    text: str = Field(max_length=20000)
    base_version: int = Field(ge=1)
    username: str = Field(min_length=2)


def _problems(data: dict) -> list[dict]:
    try:
        _Edit.model_validate(data)
    except ValidationError as exc:
        return validation_problems([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
    raise AssertionError("should not validate")


def test_pydantic_errors_name_the_field_and_the_limit():
    by_path = {p["path"]: p for p in _problems({"text": "字" * 20001, "base_version": 0, "username": "a"})}
    assert by_path["body.text"]["message"] == "「文本」太长：最多 20000 字"
    assert by_path["body.base_version"]["message"] == "「所基于的版本」太小：不能小于 1"
    assert by_path["body.username"]["message"] == "「用户名」太短：至少 2 字"
    missing = _problems({})
    assert {p["message"] for p in missing} == {"「文本」必须填写", "「所基于的版本」必须填写", "「用户名」必须填写"}
    wrong = {p["path"]: p["message"] for p in _problems({"text": 3, "base_version": "x", "username": "ab"})}
    assert wrong == {"body.text": "「文本」应为文字", "body.base_version": "「所基于的版本」应为整数"}


def test_starlette_and_http_messages_in_chinese():
    assert (
        http_detail(400, "Field exceeded maximum size of 1024KB.")
        == "填写的某一项超过了 1024 KB 的上限，请缩短后再提交"
    )
    assert http_detail(400, "Too many fields. Maximum number of fields is 1000.") == "提交的项目太多：最多 1000 项"
    assert http_detail(400, "There was an error parsing the body") == "提交的内容无法解析，请检查后重试"
    assert http_detail(404, "Not Found") == "页面不存在"
    assert http_detail(415, "Unsupported Media Type") == "不支持这种内容类型"
    assert http_detail(418, None) == "请求没有完成"
    assert http_detail(409, "草稿正在审核中") == "草稿正在审核中"  # the app's own words are kept
