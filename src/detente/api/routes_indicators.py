"""``/api/indicators/*``: the tension index with its components, the military elements, phases, dyadic series."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from ..dyad import Dyad
from ..store import Store
from .deps import DyadParam, EndParam, Freq, ServiceDep, StartParam, check_span
from .responses import records_json, records_response

__all__ = ["index_frame", "military_frame", "phases_frame", "router"]

router = APIRouter(prefix="/indicators", tags=["indicators"])

IdsParam = Annotated[bool, Query(description="add the event ids behind each period")]


def index_frame(store: Store, dyad: Dyad, freq: str, start: date | None, end: date | None, ids: bool) -> pd.DataFrame:
    """:func:`~detente.indicators.tension.tension_frame` (every period of the dyad's data, cut to start/end)."""
    from ..indicators.tension import tension_frame

    try:
        return tension_frame(store, dyad, freq, start=start, end=end, event_ids=ids)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def military_frame(
    store: Store, dyad: Dyad, freq: str, start: date | None, end: date | None, ids: bool
) -> pd.DataFrame:
    """:func:`~detente.indicators.military.military_elements`."""
    from ..indicators.military import military_elements

    return military_elements(store, dyad, freq, start=start, end=end, event_ids=ids)


def phases_frame(store: Store, dyad: Dyad, freq: str) -> pd.DataFrame:
    """:func:`~detente.indicators.phases.find_phases` on the whole index."""
    from ..indicators.phases import find_phases

    return find_phases(store, dyad, freq)


@router.get("/tension")
def tension(
    service: ServiceDep, dyad: DyadParam, freq: Freq = "month", start: StartParam = None, end: EndParam = None,
    ids: IdsParam = False,
) -> Response:  # fmt: skip
    """The tension index (0-100) per period with its six raw components, their z-scores and the counts."""
    check_span(start, end)
    key = ("tension", str(dyad), freq, start, end, ids)
    return records_response(service.cached(key, lambda s: records_json(index_frame(s, dyad, freq, start, end, ids))))


@router.get("/military")
def military(
    service: ServiceDep, dyad: DyadParam, freq: Freq = "month", start: StartParam = None, end: EndParam = None,
    ids: IdsParam = False,
) -> Response:  # fmt: skip
    """The four military-tension elements per period (drills, troop movements, border incidents, capabilities)."""
    check_span(start, end)
    key = ("military", str(dyad), freq, start, end, ids)
    return records_response(service.cached(key, lambda s: records_json(military_frame(s, dyad, freq, start, end, ids))))


@router.get("/phases")
def phases(service: ServiceDep, dyad: DyadParam, freq: Freq = "month") -> Response:
    """Phases of the index (change points), labelled thaw / freeze / stable, with their opening events."""
    return records_response(
        service.cached(("phases", str(dyad), freq), lambda s: records_json(phases_frame(s, dyad, freq)))
    )


@router.get("/series")
def series(
    service: ServiceDep, dyad: DyadParam, freq: Freq = "month", start: StartParam = None, end: EndParam = None
) -> Response:
    """The dyadic series: counts by QuadClass, Goldstein sums and means, cooperation and conflict, per direction."""
    from ..indicators.series import dyadic_series

    check_span(start, end)
    key = ("series", str(dyad), freq, start, end)
    return records_response(
        service.cached(key, lambda s: records_json(dyadic_series(s, dyad, freq, start=start, end=end)))
    )
