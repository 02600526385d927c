"""REST endpoints (FastAPI, read-only): theatres, one theatre, the lessons views, the chart and the brief section.

``make_router()`` returns an ``APIRouter`` for the project's app to include; the store comes from
the ``store`` dependency (``Store()`` by default; tests and the app may override it with
``app.dependency_overrides[store] = ...``).

    GET /theatres                       list (JSON records)
    GET /theatres/{dyad}                one theatre (JSON object, as ``detente theatre -f json``)
    GET /lessons?view=&sample=&outcome=&dyad=&provision=&top=      a lessons view (JSON records)
    GET /lessons/chart.svg?sample=&outcome=&dyad=&provision=       Kaplan-Meier chart (SVG)
    GET /lessons/brief                  the brief's section (Markdown)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import PlainTextResponse, Response

from ..output import to_json
from ..store import Store
from .chart import survival_chart
from .views import View, lessons_brief, lessons_table, theatre_json, theatres_table

__all__ = ["make_router", "store"]


def store() -> Iterator[Store]:
    """The store the endpoints read (``DETENTE_HOME``); closed after the request."""
    s = Store()
    try:
        yield s
    finally:
        s.close()


StoreDep = Annotated[Store, Depends(store)]


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _json(text: str) -> Response:
    return Response(content=text, media_type="application/json")


def _bad_request(exc: Exception) -> HTTPException:
    message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    return HTTPException(status_code=400, detail=message)


def make_router() -> APIRouter:
    """The router with the theatre and lessons endpoints."""
    router = APIRouter(tags=["theatres"])

    @router.get("/theatres")
    def list_theatres(s: StoreDep, min_mid_disputes: Annotated[int, Query(ge=1)] = 3) -> Response:
        return _json(to_json(theatres_table(s, min_mid_disputes)))

    @router.get("/theatres/{dyad}")
    def one_theatre(s: StoreDep, dyad: str) -> Response:
        try:
            detail = theatre_json(s, dyad)
        except ValueError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        return _json(json.dumps(detail, default=_default, ensure_ascii=False))

    @router.get("/lessons")
    def lessons_view(
        s: StoreDep,
        view: View = View.groups,
        sample: Annotated[str, Query(pattern="^(interstate|territorial)$")] = "interstate",
        outcome: Annotated[str, Query(pattern="^(ucdp|mid)$")] = "ucdp",
        dyad: str | None = None,
        provision: str | None = None,
        top: Annotated[int, Query(ge=1, le=50)] = 5,
    ) -> Response:
        if view is View.brief:
            raise HTTPException(status_code=400, detail="the brief is Markdown: GET /lessons/brief")
        try:
            table, _ = lessons_table(s, view, sample, outcome, dyad, provision, top)  # type: ignore[arg-type]
        except (KeyError, ValueError) as exc:
            raise _bad_request(exc) from None
        return _json(to_json(table))

    @router.get("/lessons/chart.svg")
    def lessons_chart(
        s: StoreDep,
        sample: Annotated[str, Query(pattern="^(interstate|territorial)$")] = "interstate",
        outcome: Annotated[str, Query(pattern="^(ucdp|mid)$")] = "ucdp",
        dyad: str | None = None,
        provision: str | None = None,
    ) -> Response:
        import vl_convert as vlc

        try:
            _, les = lessons_table(s, View.curves, sample, outcome, dyad, provision)  # type: ignore[arg-type]
        except (KeyError, ValueError) as exc:
            raise _bad_request(exc) from None
        if les.curves.empty:
            raise HTTPException(status_code=404, detail="no signing with follow-up in this selection")
        spec = survival_chart(les.curves, f"No relapse after signing ({sample}, {outcome})").to_dict()
        return Response(content=vlc.vegalite_to_svg(spec), media_type="image/svg+xml")

    @router.get("/lessons/brief", response_class=PlainTextResponse)
    def brief(s: StoreDep) -> PlainTextResponse:
        return PlainTextResponse(lessons_brief(s), media_type="text/markdown")

    return router
