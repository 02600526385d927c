"""``/api/brief``: the status brief as HTML, Markdown or PDF; ``/api/brief/assets/...``: its charts and footnotes.

The brief is built as a job of the service's queue (:mod:`.jobs`: bounded, one pending job per
client, 202 while it builds past the wait); rendering runs on a worker thread, never on the event
loop. An asset name that no brief can have is a 404 at once, without building anything.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..report.model import Brief
from ..store import Store
from .deps import ServiceDep, client_of
from .responses import arrow_of, csv_response, json_response
from .routes_charts import ChartName

__all__ = ["build", "router"]

router = APIRouter(prefix="/brief", tags=["brief"])

AsOf = Annotated[date | None, Query(description="use data up to this day (default: latest)")]
Runs = Annotated[int, Query(ge=0, le=5000, description="Monte Carlo runs of the bargaining models")]
Recent = Annotated[int, Query(ge=12, le=240, description="realised origins of the forecasts' backtest skill")]
_ASSET = re.compile(r"^([a-z_]+)\.(svg|png|csv|vl\.json)$")
#: the brief's HTML may embed images only (no script, no network); same as the page's own meta tag
BRIEF_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


def build(store: Store, as_of: date | None, runs: int, recent: int) -> Brief:
    """The brief (what a job process runs)."""
    from ..report.builder import build_brief

    return build_brief(store, as_of, runs=runs, forecast_origins=recent)


async def _brief(request: Request, service: ServiceDep, as_of: date | None, runs: int, recent: int) -> Brief:
    from ..report.builder import EmptyStoreError

    try:
        return await service.job(client_of(request), ("brief", as_of, runs, recent), build, as_of, runs, recent)
    except EmptyStoreError as exc:
        raise HTTPException(409, str(exc)) from None


def _assets(as_of: date | None, runs: int, recent: int) -> str:
    """Where the brief's charts and footnotes are served (the brief links them)."""
    return f"/api/brief/assets/{as_of or 'latest'}/{runs}/{recent}"


@router.get("")
async def brief(
    request: Request,
    service: ServiceDep,
    as_of: AsOf = None,
    format: Literal["html", "md", "pdf"] = "html",
    runs: Runs = 1000,
    recent: Recent = 36,
) -> Response:
    """The status brief built from the store; charts and footnotes are served under ``/api/brief/assets``.

    429 when this client already waits for another job, 503 when the queue is full, 202 while it builds.
    """
    result = await _brief(request, service, as_of, runs, recent)
    return await run_in_threadpool(_render, result, format, _assets(as_of, runs, recent))


def _render(result: Brief, format: str, assets: str) -> Response:
    from ..report.render import render_html, render_markdown, render_pdf

    if format == "md":
        return Response(render_markdown(result, assets), media_type="text/markdown; charset=utf-8")
    if format == "pdf":
        headers = {"Content-Disposition": f'attachment; filename="brief-{result.as_of}.pdf"'}
        return Response(render_pdf(result, assets), media_type="application/pdf", headers=headers)
    html = render_html(result, assets=assets)
    return Response(html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": BRIEF_CSP})


@router.get("/assets/{day}/{runs}/{recent}/{name}")
async def asset(
    request: Request,
    service: ServiceDep,
    day: Annotated[str, Path(pattern=r"^(latest|\d{4}-\d{2}-\d{2})$", description="the brief's as-of date or latest")],
    runs: Annotated[int, Path(ge=0, le=5000)],
    recent: Annotated[int, Path(ge=12, le=240)],
    name: Annotated[str, Path(max_length=60, description="<chart>.svg|png|csv|vl.json or footnotes.json")],
) -> Response:
    """A chart of the brief (picture, spec or data) or all its footnotes with every event id."""
    try:
        as_of = None if day == "latest" else date.fromisoformat(day)
    except ValueError:
        raise HTTPException(422, f"{day!r} is not a date") from None
    m = _ASSET.match(name)
    if name != "footnotes.json" and not (m and m.group(1) in get_args(ChartName)):
        raise HTTPException(404, f"no such asset; charts: {', '.join(get_args(ChartName))}, or footnotes.json")
    result = await _brief(request, service, as_of, runs, recent)
    return await run_in_threadpool(_asset, result, name)


def _asset(result: Brief, name: str) -> Response:
    from ..report import charts
    from ..report.model import Chart
    from ..report.render import footnotes_json

    if name == "footnotes.json":
        return Response(footnotes_json(result.footnotes), media_type="application/json")
    chart, kind = name.split(".", 1)
    found = {b.name: b for s in result.sections for b in s.blocks if isinstance(b, Chart)}
    if chart not in found:
        raise HTTPException(404, f"this brief has no {chart} chart; charts: {', '.join(sorted(found))}")
    c = found[chart]
    if kind == "svg":
        return Response(charts.render_svg(c.spec), media_type="image/svg+xml")
    if kind == "png":
        return Response(charts.render_png(c.spec), media_type="image/png")
    if kind == "csv":
        return csv_response(arrow_of(c.data))
    return json_response(c.spec)
