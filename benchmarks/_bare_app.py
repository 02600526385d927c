"""The baseline of ``api_load.py``: a bare Starlette app answering ``GET /b/<name>`` with fixed bytes.

``BARE_DIR`` holds the answers the benchmark saved (``<name>.body``, one per endpoint); each is read
once and then sent as ``application/json`` from memory: the cost of HTTP, uvicorn and the client
alone, with no routing by parameters, validation, middleware or store.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def create_app() -> Starlette:
    """The app (a uvicorn factory)."""
    folder = Path(os.environ["BARE_DIR"])
    bodies: dict[str, bytes] = {}

    async def answer(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in bodies:
            bodies[name] = (folder / f"{name}.body").read_bytes()
        return Response(bodies[name], media_type="application/json")

    async def health(_request: Request) -> Response:
        return Response(b'{"status": "ok"}', media_type="application/json")

    return Starlette(routes=[Route("/api/health", health), Route("/b/{name}", answer)])
