"""`rasid serve`: the browser workspace and the JSON API over a store (read-only), on 127.0.0.1 by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from rasid.commands._common import DbOpt, console, err_console, fail
from rasid.errors import RasidError
from rasid.report import motives_table
from rasid.web import create_app
from rasid.web.app import LOOPBACK_HOSTS


def register(app: typer.Typer) -> None:
    """Add `rasid serve`."""
    app.command("serve")(serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind (default loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    news: Annotated[list[Path] | None, typer.Option("--news", help="News files/folders whose stated motives the "
                                                    "explanation and the brief quote (repeatable).")] = None,
) -> None:
    """Serve the analyst workspace (Arabic, /?lang=en for English) and the JSON API (/openapi.json)."""
    try:
        motives = None
        if news:
            with err_console.status("reading stated motives from the news…"):
                motives = motives_table(news)
        hosts = LOOPBACK_HOSTS if _is_loopback(host) else ["*"]
        app = create_app(db, motives=motives, allowed_hosts=hosts)
    except RasidError as exc:
        raise fail(exc) from exc
    if not _is_loopback(host):
        err_console.print(f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this address can read "
                          "the store", highlight=False)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    console.print(f"rasid workspace: {url} (English: {url}?lang=en); store {app.state.workspace.path} (read-only)",
                  highlight=False, soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
