"""``serve``: the REST API and the dashboard on one local port (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from ._options import command_app

__all__ = ["app", "serve"]

app = command_app()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on (keep 127.0.0.1 unless you mean it)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port")] = 8000,
) -> None:
    """Serve the dashboard at http://HOST:PORT/ and the REST API under /api (OpenAPI at /docs).

    Read-only unless DETENTE_API_TOKEN is set; ingest through the API reads only DETENTE_API_INGEST_DIRS.
    """
    from .._extras import require
    from ..api.app import create_app

    uvicorn = require("uvicorn")

    typer.echo(f"Détente dashboard: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)", err=True)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
