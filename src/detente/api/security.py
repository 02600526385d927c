"""Access rules: the token for writing, the folders files may be ingested from, and the response headers.

- Without a configured token the API is read-only: ``POST /api/ingest`` answers 403.
- With a token, ingest needs ``Authorization: Bearer <token>`` (401 otherwise), compared in constant time.
- A path given to the API must resolve (symlinks followed) to a file inside one of the allowed
  folders (403 otherwise), so ``..`` or a link cannot reach the rest of the disk.
- Every response carries a Content-Security-Policy with no inline script, ``nosniff`` and
  ``no-referrer``; pages may load scripts only from the app itself. The exception is FastAPI's own
  ``/docs`` and ``/redoc`` pages, which load Swagger UI / ReDoc from their CDN with an inline script
  (the OpenAPI document itself, ``/openapi.json``, needs nothing).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

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
    if settings.token is None:
        raise HTTPException(
            403, "the API is read-only: no token is configured (set DETENTE_API_TOKEN to enable ingest)"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.token.get_secret_value()
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


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the security headers to every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if request.url.path not in DOC_PAGES:
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response
