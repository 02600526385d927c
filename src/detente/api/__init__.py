"""REST API and dashboard (FastAPI): ``create_app`` builds the app; ``detente serve`` runs it.

- :mod:`.app`: the application; :mod:`.service`: reader stores side by side, the version, a result cache;
  :mod:`.jobs`: expensive results in worker processes, bounded per client; :mod:`.cache`: answers per version.
- ``routes_*``: events, indicators, agreements, models (claims, forecasts, bargaining), charts, brief, ingest,
  theatres and lessons.
- :mod:`.security`: token, allowed folders, headers; :mod:`.settings`: ``DETENTE_API_*``.
- :mod:`.dashboard` and ``static/``: the dashboard; ``detente serve``: :mod:`detente.cli.serve`;
  :mod:`.loadtest`: the bounded load test behind BENCHMARKS.md.

FastAPI (the ``api`` extra) is imported on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from .settings import ApiSettings

__all__ = ["create_app"]


def create_app(home: Any = None, settings: ApiSettings | None = None) -> FastAPI:
    """The Détente app (see :func:`detente.api.app.create_app`); needs the ``api`` extra."""
    from .._extras import require

    require("fastapi")
    from .app import create_app as make

    return make(home, settings)
