"""The settings a command runs with: ``Settings()`` from the environment, or each bad setting named and exit 2."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.console import Console

from ..settings import Settings


def load_settings(console: Console) -> Settings:
    """``Settings()``; on a bad value prints 「配置有误 <setting>: <why>」 per problem and exits with code 2."""
    try:
        return Settings()
    except ValidationError as exc:
        for err in exc.errors():
            console.print(f"[red]配置有误 {'.'.join(str(x) for x in err['loc']) or ''}: {err['msg']}")
        raise typer.Exit(2) from None
