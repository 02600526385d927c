"""Access rules: the token for writing, the folders files may be ingested from, and the response headers.

- Without a configured token the API is read-only: ``POST /api/ingest`` answers 403. An empty or
  blank ``DETENTE_API_TOKEN`` is no token (``Authorization: Bearer`` with nothing after it enables nothing).
- With a token, ingest needs ``Authorization: Bearer <token>`` (401 otherwise), compared in constant time.
- A path given to the API must resolve (symlinks followed) to a file inside one of the allowed
  folders (403 otherwise), so ``..`` or a link cannot reach the rest of the disk.
- Every response carries a Content-Security-Policy with no inline script, ``nosniff`` and
  ``no-referrer``; pages may load scripts only from the app itself. The exception is FastAPI's own
  ``/docs`` and ``/redoc`` pages, which load Swagger UI / ReDoc from their CDN with an inline script
  (the OpenAPI document itself, ``/openapi.json``, needs nothing).
- An exception no route handles becomes a JSON 500 (``{"detail": "internal server error"}``, the
  traceback goes to the log), with the same headers: no error is ever plain text.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import ApiSettings

__all__ = ["CSP", "DOC_PAGES", "SecurityHeaders", "check_token", "confine"]

#: vega compiles its expressions with ``new Function``, hence 'unsafe-eval'; no inline script is allowed
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'none'"
)


#: FastAPI's interactive documentation pages (served without the CSP, see the module docstring)
DOC_PAGES = ("/docs", "/docs/oauth2-redirect", "/redoc")


def check_token(request: Request, settings: ApiSettings) -> None:
    """Raise 403 when no token is configured, 401 when the request's bearer token is missing or wrong."""
    expected = settings.token.get_secret_value() if settings.token is not None else ""
    if not expected.strip():
        raise HTTPException(
            403, "the API is read-only: no token is configured (set DETENTE_API_TOKEN to enable ingest)"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


def confine(path: str, settings: ApiSettings) -> Path:
    """``path`` resolved, if it is a file inside an allowed folder; 403 or 404 otherwise."""
    allowed = settings.allowed_dirs()
    if not allowed:
        raise HTTPException(403, "no ingest folder is configured (set DETENTE_API_INGEST_DIRS)")
    if "\x00" in path:
        raise HTTPException(400, "the path contains a NUL character")
    resolved = Path(path).expanduser().resolve()
    if not any(resolved.is_relative_to(d) for d in allowed):
        raise HTTPException(403, "the path is outside the folders the API may read")
    if not resolved.is_file():
        raise HTTPException(404, "no such file in the allowed folders")
    return resolved


_log = logging.getLogger(__name__)

#: headers every response gets (the CSP is added where a route did not set its own)
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, and a JSON 500 for an unhandled exception."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                if scope["path"] not in DOC_PAGES:
                    headers.setdefault("Content-Security-Policy", CSP)
                headers.update(HEADERS)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            _log.exception("unhandled error serving %s", scope["path"])
            if started:
                raise
            await JSONResponse({"detail": "internal server error"}, 500)(scope, receive, send_with_headers)
