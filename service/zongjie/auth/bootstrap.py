"""First run: when no user exists, create the top unit and the first admin.

Contract: ``first_admin(accounts, settings)`` does nothing when any user exists; otherwise it creates the root unit
(``settings.root_unit``) and the admin ``settings.admin_username`` with ``settings.admin_password`` — or a random
password when that is empty — and returns ``(username, password, generated)`` so the caller can print how to sign
in (``sign_in_banner`` shows a generated password once, never one that came from the environment). ``accounts``
is a ``storage.accounts.AccountStore`` (passed in; this module does not import storage).
"""

from __future__ import annotations

import secrets

from .policy import Role


def first_admin(accounts, settings) -> tuple[str, str, bool] | None:
    if accounts.user_count() > 0:
        return None
    root = accounts.ensure_root_unit(settings.root_unit)
    password = settings.admin_password.get_secret_value()
    generated = not password
    if generated:
        password = secrets.token_urlsafe(9)
    try:
        accounts.create_user(settings.admin_username, password, Role.admin, root, "管理员")
    except ValueError:  # another process starting on the same database created it first
        return None
    return settings.admin_username, password, generated


def sign_in_banner(username: str, password: str, generated: bool, url: str) -> str:
    lines = [
        "=" * 64,
        "首次启动：已创建管理员账户",
        f"  登录地址：{url}/login",
        f"  用户名：{username}",
        f"  密码：{password}（随机生成，只显示这一次）"
        if generated
        else "  密码：ZONGJIE_ADMIN_PASSWORD 所设（不显示）",
        "登录后请在「我的账户」修改密码，并在「单位与用户」中建立下级单位和账户。",
        "忘记密码：zongjie users set-password " + username,
        "=" * 64,
    ]
    return "\n".join(lines)
