"""``/api/claims``, ``/api/forecasts``, ``/api/bargaining``: the models' results, each computed as a bounded job."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from ..store import Store
from .deps import ServiceDep, client_of
from .responses import json_response, records_response
from .service import StoreService

__all__ = ["bargaining_solution", "claims_table", "forecast_payload", "forecasts_of", "router", "solution"]

router = APIRouter(tags=["models"])

RunsParam = Annotated[int, Query(ge=0, le=5000, description="Monte Carlo runs")]


def claims_table(store: Store, ids: tuple[str, ...], perm: int, seed: int) -> pd.DataFrame:
    """The claims ``ids`` tested (what a job process runs)."""
    from ..analysis.claims import default_claims, run_claims

    return run_claims(store, [c for c in default_claims() if c.id in ids], n_perm=perm, seed=seed)


@router.get("/claims")
async def claims(
    request: Request,
    service: ServiceDep,
    claim: Annotated[list[str] | None, Query(description="only these claim ids")] = None,
    perm: Annotated[int, Query(ge=100, le=10_000, description="placebo permutations")] = 2000,
    seed: int = 0,
) -> Response:
    """The registered claims: effect, interval, p-value, coverage and a plain verdict for each."""
    from ..analysis.claims import default_claims

    known = [c.id for c in default_claims()]
    if claim:
        unknown = sorted(set(claim) - set(known))
        if unknown:
            raise HTTPException(422, f"unknown claim(s) {', '.join(unknown)}; known: {', '.join(known)}")
    ids = tuple(c for c in known if not claim or c in claim)
    table = await service.job(client_of(request), ("claims", ids, perm, seed), claims_table, ids, perm, seed)
    return records_response(table)


def forecast_payload(store: Store, as_of: date | None, recent: int = 36) -> dict[str, Any]:
    """The forecast panel as a JSON-ready dict (``available``, ``reason``, ``forecasts``, ``skill``)."""
    from ..kb.freshness import data_date
    from ..report.context import latest_date
    from ..report.forecasts import forecast_panel

    day = as_of or latest_date(store) or data_date()
    ev = store.events()
    panel = forecast_panel(ev.filter(ev.date <= day), day, recent=recent)
    return {
        "as_of": day,
        "available": panel.available,
        "reason": panel.reason,
        "forecasts": panel.forecasts.astype(object).where(panel.forecasts.notna(), None).to_dict("records"),
        "skill": panel.skill.astype(object).where(panel.skill.notna(), None).to_dict("records"),
        "event_ids": list(panel.event_ids),
    }


async def forecasts_of(request: Request, service: StoreService, as_of: date | None, recent: int) -> dict[str, Any]:
    """:func:`forecast_payload` as a job of the queue (a backtest per ``as_of``)."""
    return await service.job(client_of(request), ("forecasts", as_of, recent), forecast_payload, as_of, recent)


@router.get("/forecasts")
async def forecasts(
    request: Request,
    service: ServiceDep,
    as_of: Annotated[date | None, Query(description="issue date (default: latest data)")] = None,
    recent: Annotated[int, Query(ge=12, le=240, description="realised origins of the backtest skill")] = 36,
) -> Response:
    """Every model's forecasts with their backtest skill, or ``available: false`` and the reason."""
    return json_response(await forecasts_of(request, service, as_of, recent))


def solution(_store: Store, runs: int, seed: int) -> Any:
    """Every model on the shipped Korean issue set (:func:`detente.bargaining.solve`; what a job process runs)."""
    from ..bargaining import korea, solve

    return solve(korea(), runs=runs, seed=seed)


async def bargaining_solution(request: Request, service: StoreService, runs: int, seed: int) -> Any:
    """:func:`solution` as a job of the queue."""
    return await service.job(client_of(request), ("bargaining", runs, seed), solution, runs, seed)


@router.get("/bargaining")
async def bargaining(
    request: Request,
    service: ServiceDep,
    view: Literal["summary", "inputs", "influence", "rounds"] = "summary",
    runs: RunsParam = 1000,
    seed: int = 0,
) -> Response:
    """Bargaining predictions on the Korean issue set: outcomes with 80% intervals, inputs, influence or rounds."""
    sol = await bargaining_solution(request, service, runs, seed)
    table = {
        "summary": sol.summary_table,
        "inputs": sol.issue_set.inputs_table,
        "influence": sol.influence_table,
        "rounds": sol.rounds_table,
    }[view]()
    return records_response(table)
