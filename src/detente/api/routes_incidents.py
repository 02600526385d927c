"""``/api/incidents``: the linked incidents (one per real-world event, whatever its sources), as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

import pyarrow as pa
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from ..indicators.listing import FilterError, incident_list
from ..store import Store
from .deps import EndParam, ServiceDep, StartParam
from .responses import csv_response, records_response

__all__ = ["router"]

router = APIRouter(tags=["events"])


@router.get("/incidents")
def incidents(
    service: ServiceDep,
    actor: Annotated[str | None, Query(max_length=40, description="ISO3 code on either side, e.g. PRK")] = None,
    dyad: Annotated[
        str | None, Query(max_length=12, description="A>B or A-B: its events and its sides' untargeted ones")
    ] = None,
    start: StartParam = None,
    end: EndParam = None,
    category: Annotated[
        str | None, Query(max_length=40, description="a category or a family: launch, clash, propaganda")
    ] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json (a list) or csv")] = "json",
) -> Response:
    """Every linked incident the filters select, oldest first (``detente incidents``; no page cut).

    A filter that names nothing that exists is a 422 whose ``detail`` suggests the nearest values.
    """

    def query(store: Store) -> pa.Table:
        frame = incident_list(store, actor=actor, dyad=dyad, start=start, end=end, category=category)
        return pa.Table.from_pandas(frame.assign(date=frame["date"].dt.date), preserve_index=False)

    try:
        rows = service.run(query)
    except FilterError as exc:
        raise HTTPException(422, str(exc)) from None
    return csv_response(rows) if format == "csv" else records_response(rows)
