"""The dashboard: one static page and its script, shipped in the package, plus the Vega bundle from vl-convert.

No CDN: ``/static/vendor/vega-bundle.js`` is ``vl_convert.javascript_bundle()`` (Vega, Vega-Lite and
vega-embed), served from the installed package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, Response

from .._extras import require

__all__ = ["STATIC", "router", "static_dir"]

router = APIRouter(include_in_schema=False)

#: files of the dashboard, by URL name
STATIC = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}


def static_dir() -> Path:
    """The folder holding ``index.html``, ``dashboard.js`` and ``dashboard.css``."""
    return Path(str(resources.files(__package__).joinpath("static")))


@router.get("/")
def index() -> FileResponse:
    """The dashboard page."""
    return FileResponse(static_dir() / "index.html", media_type="text/html; charset=utf-8")


@router.get("/static/vendor/vega-bundle.js")
def vega_bundle() -> Response:
    """Vega, Vega-Lite and vega-embed as one classic script (sets ``window.vegaEmbed``)."""
    vlc = require("vl_convert")

    bundle = vlc.javascript_bundle()
    return Response(
        bundle, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/static/{name}")
def static(name: str) -> Response:
    """``dashboard.js`` or ``dashboard.css`` (nothing else is served from the folder)."""
    if name not in STATIC:
        raise HTTPException(404, "not found: the dashboard serves dashboard.js and dashboard.css")
    return FileResponse(static_dir() / name, media_type=STATIC[name])
