"""``/api/theatres``, ``/api/lessons``: theatres, one theatre, the lessons views, the survival chart, the brief section.

    GET /api/theatres                  list (JSON records)
    GET /api/theatres/{dyad}           one theatre (JSON object, as ``detente theatre -f json``)
    GET /api/lessons?view=&sample=&outcome=&dyad=&provision=&top=      a lessons view (JSON records)
    GET /api/lessons/chart.svg?sample=&outcome=&dyad=&provision=       Kaplan-Meier chart (SVG)
    GET /api/lessons/brief             the brief's section (Markdown)

Every endpoint reads the app's store through the same service as the other routes (a reader store
of its own, results cached by store version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import PlainTextResponse, Response

from ..theatres.views import View
from .deps import ServiceDep
from .responses import json_response, records_response

if TYPE_CHECKING:
    import pyarrow as pa

    from ..store import Store
    from ..theatres.lessons import Lessons

__all__ = ["router"]

router = APIRouter(tags=["theatres"])

SampleParam = Annotated[str, Query(pattern="^(interstate|territorial)$")]
OutcomeParam = Annotated[str, Query(pattern="^(ucdp|mid)$")]


def _bad_request(exc: Exception) -> HTTPException:
    message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
    return HTTPException(status_code=400, detail=message)


@router.get("/theatres")
def list_theatres(service: ServiceDep, min_mid_disputes: Annotated[int, Query(ge=1)] = 3) -> Response:
    """Pairs of states with a territorial conflict in UCDP, PA-X or COW MID."""
    from ..theatres.views import theatres_table

    key = ("theatres", min_mid_disputes)
    return records_response(service.cached(key, lambda s: theatres_table(s, min_mid_disputes)))


@router.get("/theatres/{dyad}")
def one_theatre(service: ServiceDep, dyad: Annotated[str, Path(max_length=12)]) -> Response:
    """One theatre (``ECU-PER``, ``PRK-KOR`` ...): coverage, conflict years, agreements, disputes, a years panel."""
    from ..theatres.views import theatre_json

    try:
        return json_response(service.cached(("theatre", dyad), lambda s: theatre_json(s, dyad)))
    except ValueError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None


@router.get("/lessons")
def lessons_view(
    service: ServiceDep,
    view: View = View.groups,
    sample: SampleParam = "interstate",
    outcome: OutcomeParam = "ucdp",
    dyad: str | None = None,
    provision: str | None = None,
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> Response:
    """One view of what followed agreements (``groups``, ``agreements``, ``signings``, ``cox``, ``curves`` ...)."""
    from ..theatres.views import lessons_table

    if view is View.brief:
        raise HTTPException(status_code=400, detail="the brief is Markdown: GET /api/lessons/brief")

    def table(store: Store) -> pa.Table:
        return lessons_table(store, view, sample, outcome, dyad, provision, top)[0]  # type: ignore[arg-type]

    try:
        result = service.cached(("lessons", view, sample, outcome, dyad, provision, top), table)
    except (KeyError, ValueError) as exc:
        raise _bad_request(exc) from None
    return records_response(result)


@router.get("/lessons/chart.svg")
def lessons_chart(
    service: ServiceDep,
    sample: SampleParam = "interstate",
    outcome: OutcomeParam = "ucdp",
    dyad: str | None = None,
    provision: str | None = None,
) -> Response:
    """Kaplan-Meier curves of the signings with against without ``provision`` (SVG)."""
    from ..report.charts import render_svg
    from ..theatres.chart import survival_chart
    from ..theatres.views import lessons_table

    def curves(store: Store) -> Lessons:
        return lessons_table(store, View.curves, sample, outcome, dyad, provision)[1]  # type: ignore[arg-type]

    try:
        les = service.run(curves)
    except (KeyError, ValueError) as exc:
        raise _bad_request(exc) from None
    if les.curves.empty:
        raise HTTPException(status_code=404, detail="no signing with follow-up in this selection")
    spec = survival_chart(les.curves, f"No relapse after signing ({sample}, {outcome})").to_dict()
    return Response(content=render_svg(spec), media_type="image/svg+xml")


@router.get("/lessons/brief", response_class=PlainTextResponse)
def lessons_brief(service: ServiceDep) -> PlainTextResponse:
    """The brief's section "Lessons from other border conflicts" as Markdown with its footnotes."""
    from ..theatres.views import lessons_brief as section

    return PlainTextResponse(service.cached(("lessons-brief",), section), media_type="text/markdown")
