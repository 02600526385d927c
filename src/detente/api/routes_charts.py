"""``/api/charts/{name}``: the brief's charts as Vega-Lite specs (the dashboard renders them), SVG, PNG or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..dyad import Dyad
from ..report import charts
from ..report.forecasts import LEAD_MODEL
from ..report.sections._common import window
from ..store import Store
from .deps import DyadParam, EndParam, ServiceDep, StartParam, check_span
from .responses import arrow_of, csv_response, json_response
from .routes_indicators import index_frame, military_frame, phases_frame
from .routes_models import bargaining_solution, forecasts_of

__all__ = ["chart_of", "router"]

router = APIRouter(prefix="/charts", tags=["charts"])

ChartName = Literal["tension", "components", "military", "implementation", "bargaining", "forecasts"]
#: default window of each time chart, in months before the last period
_MONTHS = {"tension": 180, "components": 36, "military": 60}


def _cut(frame: pd.DataFrame, name: str, start: date | None, end: date | None) -> pd.DataFrame:
    if frame.empty:
        return frame
    last = end or frame["period"].max()
    first = start or window(last, _MONTHS[name])
    return frame[(frame["period"] >= first) & (frame["period"] <= last)].reset_index(drop=True)


def chart_of(
    store: Store, name: str, dyad: Dyad, start: date | None, end: date | None, as_of: date | None
) -> tuple[dict[str, Any], pd.DataFrame]:
    """(Vega-Lite spec, data) of a store-based chart; HTTP 404 when there is nothing to draw."""
    from ..indicators.tension import TensionWeights

    if name in ("tension", "components"):
        whole = index_frame(store, dyad, "month", None, end, False)
        if whole.empty or not (whole["events"].sum() + whole["incidents"].sum()):
            raise HTTPException(404, f"no stored event involves {dyad}")
        idx = _cut(whole, name, start, end)
        if name == "tension":
            return charts.tension_chart(idx, phases_frame(store, dyad, "month"), idx["period"].min(),
                                        f"Tension index {dyad}, monthly, with phases")  # fmt: skip
        return charts.components_chart(idx, TensionWeights().component_weights(), f"What drives the index ({dyad})")
    if name == "military":
        m = _cut(military_frame(store, dyad, "month", None, end, False), name, start, end)
        if m.empty:
            raise HTTPException(404, f"no stored event involves {dyad}")
        return charts.military_chart(m, f"The four military-tension elements ({dyad})")
    if name == "implementation":
        from ..kb.freshness import TRACKER_TABLES, data_date
        from ..report.sections.initiatives import implementation_frame

        frame = implementation_frame(as_of or data_date(TRACKER_TABLES))
        if frame.empty:
            raise HTTPException(404, "no coded agreement was signed by this date")
        return charts.implementation_chart(frame, "Implementation status of each provision")
    raise HTTPException(404, f"no chart called {name!r}")


@router.get("/{name}")
async def chart(
    request: Request,
    service: ServiceDep,
    name: ChartName,
    dyad: DyadParam,
    start: StartParam = None,
    end: EndParam = None,
    as_of: Annotated[date | None, Query(description="date of the implementation heat map or the forecasts")] = None,
    runs: Annotated[int, Query(ge=0, le=5000, description="Monte Carlo runs (bargaining)")] = 1000,
    format: Annotated[Literal["json", "svg", "png", "csv"], Query(description="spec, picture or data")] = "json",
) -> Response:
    """A chart as its Vega-Lite spec (data inline), as SVG or PNG, or its data as CSV.

    ``bargaining`` and ``forecasts`` are computed as jobs of the queue (429/503/202 as ``/api/brief``).
    """
    check_span(start, end)
    key = ("chart", name, str(dyad), start, end, as_of, runs)
    if name == "bargaining":
        summary = (await bargaining_solution(request, service, runs, 0)).summary_table().to_pandas()
        spec, data = charts.bargaining_chart(summary, "Bargaining predictions with 80% Monte Carlo intervals")
    elif name == "forecasts":
        payload = await forecasts_of(request, service, as_of, 36)
        if not payload["available"]:
            raise HTTPException(404, payload["reason"])
        lead = pd.DataFrame(payload["forecasts"])
        spec, data = charts.forecast_chart(lead[lead["model"] == LEAD_MODEL], f"Forecast probabilities ({LEAD_MODEL})")
    else:
        spec, data = await run_in_threadpool(service.cached, key, lambda s: chart_of(s, name, dyad, start, end, as_of))
    return await run_in_threadpool(_picture, spec, data, format)


def _picture(spec: dict[str, Any], data: pd.DataFrame, format: str) -> Response:
    if format == "svg":
        return Response(charts.render_svg(spec), media_type="image/svg+xml")
    if format == "png":
        return Response(charts.render_png(spec), media_type="image/png")
    if format == "csv":
        return csv_response(arrow_of(data))
    return json_response(spec)
