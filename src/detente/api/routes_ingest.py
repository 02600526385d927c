"""``POST /api/ingest``: ingest a file from an allowed folder; needs the configured bearer token."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from .deps import ServiceDep, SettingsDep
from .responses import json_response
from .security import check_token, confine

__all__ = ["IngestRequest", "router"]

router = APIRouter(tags=["ingest"])


class IngestRequest(BaseModel):
    """A file to ingest: an absolute path, or one relative to the server's working folder."""

    path: str = Field(min_length=1, max_length=4096)


@router.post("/ingest")
def ingest(body: IngestRequest, request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    """Ingest one file (format auto-detected). 403 without a (non-empty) token or outside the allowed folders."""
    check_token(request, settings)
    path = confine(body.path, settings)
    report = service.ingest(path)
    payload = asdict(report)
    payload["path"] = path.name  # never echo server paths
    if report.status == "failed":
        raise HTTPException(422, f"could not ingest {path.name}: {report.error}")
    return json_response(payload)
