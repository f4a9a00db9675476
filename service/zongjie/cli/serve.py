"""``zongjie serve``: run the web service."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from .settings import load_settings

console = Console()


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Run the web service (loads the sample knowledge base on first start).

    Examples:

        zongjie serve

        ZONGJIE_VECTOR_STORE=chroma-server ZONGJIE_CHROMA_PORT=8001 zongjie serve --host 0.0.0.0 --port 8080

        ZONGJIE_TRUSTED_PROXIES=127.0.0.1 zongjie serve      # behind a reverse proxy on this host
    """
    import uvicorn

    from ..web.main import create_app

    settings = load_settings(console)
    if "public_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"public_url": f"http://{host}:{port}"})
    proxies = settings.trusted_proxy_list  # X-Forwarded-For/-Proto believed only from these (default: nobody)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=",".join(proxies) if proxies else None,
    )
