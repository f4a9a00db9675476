"""``zongjie users``: create the first admin, reset a password, list accounts — on the configured database."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console

from ..settings import Settings

users_app = typer.Typer(help="Accounts: create an admin, set a password, list users.", no_args_is_help=True)
console = Console()


def _accounts():
    from ..storage.accounts import AccountStore
    from ..storage.sql_store import SQLDraftStore
    from ..storage.store import make_store

    settings = Settings()
    store = make_store(settings)
    if not isinstance(store, SQLDraftStore):
        console.print(f"[red]账户保存在数据库中，当前的存储方式 {settings.storage} 不支持")
        raise typer.Exit(2)
    return settings, AccountStore(store.engine)


def _password(given: str | None) -> str:
    from ..auth.secrets import password_problem

    password = given or getpass.getpass("新密码：")
    if not given and getpass.getpass("再输一次：") != password:
        console.print("[red]两次输入的密码不一致")
        raise typer.Exit(2)
    problem = password_problem(password)
    if problem:
        console.print(f"[red]{problem}")
        raise typer.Exit(2)
    return password


@users_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Argument(help="User name")] = "admin",
    password: Annotated[str | None, typer.Option(help="Password (asked for when omitted)")] = None,
    name: Annotated[str, typer.Option(help="Display name")] = "管理员",
) -> None:
    """Create an admin in the top unit (the unit is created on an empty database).

    Examples:

        zongjie users create-admin            # asks for the password

        zongjie users create-admin li --password 'a-long-password'
    """
    from ..auth.policy import Role
    from ..storage.accounts import Conflict

    settings, accounts = _accounts()
    root = accounts.ensure_root_unit(settings.root_unit)
    try:
        accounts.create_user(username, _password(password), Role.admin, root, name)
    except Conflict as exc:
        console.print(f"[red]{exc}（改密码用 zongjie users set-password {username}）")
        raise typer.Exit(1) from None
    console.print(f"已创建管理员 {username}；用它登录 {settings.public_url}/login")


@users_app.command("set-password")
def set_password(
    username: Annotated[str, typer.Argument(help="User name")],
    password: Annotated[str | None, typer.Option(help="Password (asked for when omitted)")] = None,
) -> None:
    """Set a user's password (their sessions end). Example: zongjie users set-password admin"""
    _, accounts = _accounts()
    user = next((u for u in accounts.users() if u.username.lower() == username.lower()), None)
    if user is None:
        console.print(f"[red]没有用户 {username}")
        raise typer.Exit(1)
    accounts.set_password(user.id, _password(password))
    accounts.audit(None, "password", "user", user.id, "命令行重设密码")
    console.print(f"已为 {user.username} 设置新密码")


@users_app.command("list")
def list_users() -> None:
    """Every user with role, unit and status."""
    from ..auth.policy import ROLE_LABELS

    _, accounts = _accounts()
    names = {u.id: u.name for u in accounts.units()}
    for u in accounts.users():
        state = "" if u.active else "（已停用）"
        console.print(f"{u.username}\t{u.display_name}\t{ROLE_LABELS[u.role]}\t{names.get(u.unit_id, '?')}{state}")
