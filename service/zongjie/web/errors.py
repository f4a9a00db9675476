"""The one error model every failing request answers with, and ``errors(...)`` to declare it in OpenAPI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

DESCRIPTIONS = {
    400: "请求有误",
    401: "未登录，或 API 令牌无效",
    403: "没有权限，或跨站提交被拒绝",
    404: "没有找到（或无权查看）",
    405: "不支持这个方法（响应头 Allow 列出支持的方法）",
    409: "与当前状态冲突（例如草稿正在审核或已锁定）",
    413: "上传内容太大",
    415: "不支持的文件类型",
    422: "请求内容有误（problems 逐项说明）",
    429: "尝试次数过多，请稍后再试（Retry-After）",
    503: "依赖的服务不可用",
}


class ProblemOut(BaseModel):
    """One problem: where (``path``, e.g. ``metrics.0.value``; ``path_zh`` in Chinese) and what is wrong."""

    model_config = ConfigDict(extra="allow")
    path: str
    message: str


class ErrorOut(BaseModel):
    """Every error: a Chinese ``detail`` and the problems item by item (may be empty)."""

    detail: str
    problems: list[ProblemOut] = []


def errors(*codes: int) -> dict:
    """``responses=`` for a route: each status with the error model."""
    return {code: {"model": ErrorOut, "description": DESCRIPTIONS.get(code, "错误")} for code in codes}


SIGNED_IN = errors(401, 422)
