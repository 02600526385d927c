"""The agreement tracker at any date, over four routes.

``/api/agreements``, ``/api/agreements/{id}``, ``/api/provisions``, ``/api/implementation``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from .responses import records_response

__all__ = ["router"]

router = APIRouter(tags=["agreements"])

AsOfParam = Annotated[
    date | None, Query(description="the day to score, YYYY-MM-DD (default: the tracker data's latest date)")
]


def _day(as_of: date | None) -> date:
    from ..kb.freshness import TRACKER_TABLES, data_date

    return as_of or data_date(TRACKER_TABLES)


@router.get("/agreements")
def agreements(as_of: AsOfParam = None) -> Response:
    """Agreements signed by ``as_of`` with their implementation score (null where provisions are not coded)."""
    from ..kb.tracker import agreements_overview

    return records_response(agreements_overview(_day(as_of)))


@router.get("/agreements/{agreement_id}")
def agreement(agreement_id: Annotated[str, Path(pattern="^[A-Za-z0-9-]{1,40}$")], as_of: AsOfParam = None) -> Response:
    """Provision-by-provision status of one agreement on ``as_of``, with the events behind each status."""
    from ..kb.tracker import agreement_detail

    try:
        return records_response(agreement_detail(agreement_id, _day(as_of)))
    except KeyError as exc:
        raise HTTPException(404, exc.args[0] if exc.args else str(exc)) from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/provisions")
def provisions(as_of: AsOfParam = None) -> Response:
    """Status of every coded provision on ``as_of`` (PAM scale plus reversed) with the transition in force."""
    from ..kb.tracker import provision_status

    return records_response(provision_status(_day(as_of)))


@router.get("/implementation")
def implementation(as_of: AsOfParam = None) -> Response:
    """Status of every coded provision at each year-end since signing and on ``as_of`` (the heat map's data)."""
    from ..report.sections.initiatives import implementation_frame

    return records_response(implementation_frame(_day(as_of)))
