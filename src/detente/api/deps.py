"""Request dependencies shared by the routes: the service, the settings, and validated parameters."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request

from ..dyad import Dyad
from .service import StoreService
from .settings import ApiSettings

__all__ = [
    "DyadParam",
    "EndParam",
    "Freq",
    "ServiceDep",
    "SettingsDep",
    "StartParam",
    "check_span",
    "client_of",
    "parse_dyad",
]

Freq = Literal["day", "week", "month", "year"]


def _service(request: Request) -> StoreService:
    return request.app.state.service


def client_of(request: Request) -> str:
    """Who is asking, for the per-client job limit: the peer's address."""
    return request.client.host if request.client else "unknown"


def _settings(request: Request) -> ApiSettings:
    return request.app.state.settings


ServiceDep = Annotated[StoreService, Depends(_service)]
SettingsDep = Annotated[ApiSettings, Depends(_settings)]
StartParam = Annotated[date | None, Query(description="first day, YYYY-MM-DD")]
EndParam = Annotated[date | None, Query(description="last day, YYYY-MM-DD")]


def parse_dyad(
    dyad: Annotated[str, Query(max_length=12, description="A-B (either direction) or A>B (A acting on B)")] = "PRK-KOR",
) -> Dyad:
    """The ``dyad`` query parameter as a :class:`~detente.dyad.Dyad` (422 with the expected syntax otherwise)."""
    try:
        return Dyad.parse(dyad)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


DyadParam = Annotated[Dyad, Depends(parse_dyad)]


def check_span(start: date | None, end: date | None) -> None:
    """422 when ``start`` is after ``end``."""
    if start is not None and end is not None and start > end:
        raise HTTPException(422, f"start {start} is after end {end}")
