"""The FastAPI application: the REST API under ``/api`` (OpenAPI at ``/docs``) and the dashboard at ``/``.

``create_app(home)`` opens the store at ``home`` (default ``DETENTE_HOME``) when the app starts and
closes it when it stops. The API is read-only unless ``DETENTE_API_TOKEN`` is set to a non-empty
token; see :mod:`.security` and ``docs/api.md``. Reads run concurrently (:mod:`.service`), repeated
reads are answered from :mod:`.cache`, expensive results are bounded jobs (:mod:`.jobs`), and
every error is JSON with the security headers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from .._extras import MissingExtraError
from . import (
    dashboard,
    routes_agreements,
    routes_brief,
    routes_charts,
    routes_events,
    routes_indicators,
    routes_ingest,
    routes_models,
    routes_theatres,
)
from .cache import ResponseCache
from .jobs import Jobs
from .routes_incidents import router as incidents_router
from .security import SecurityHeaders
from .service import StoreService
from .settings import ApiSettings

__all__ = ["create_app"]


def create_app(home: str | Path | None = None, settings: ApiSettings | None = None) -> FastAPI:
    """The app over the store at ``home`` with ``settings`` (default: from ``DETENTE_API_*``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        s = app.state.settings
        app.state.service = StoreService(
            Path(home) if home is not None else None, readers=s.readers, job_wait=s.job_wait,
            jobs=Jobs(workers=s.job_workers, limit=s.job_queue, per_client=s.job_per_client),
        )  # fmt: skip
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(
        title="Détente",
        summary="Peace-process observatory: events, indicators, agreements, claims, forecasts, bargaining, brief.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings or ApiSettings()
    app.add_middleware(ResponseCache)
    app.add_middleware(SecurityHeaders)  # outermost: every answer, cached or an error, gets the headers

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(MissingExtraError)
    async def missing_extra(_request: Request, exc: MissingExtraError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=501)

    api = APIRouter(prefix="/api")

    @api.get("/health", tags=["meta"])
    async def health(request: Request) -> dict[str, object]:
        """Liveness and the store's version (ingested files, last ingest); answers at once, never waits for a store."""
        files, last = request.app.state.service.version()
        return {"status": "ok", "files": files, "last_ingest": last}

    for module in (routes_events, routes_indicators, routes_agreements, routes_models, routes_charts, routes_brief,
                   routes_ingest, routes_theatres):  # fmt: skip
        api.include_router(module.router)
    api.include_router(incidents_router)
    app.include_router(api)
    app.include_router(dashboard.router)
    return app
