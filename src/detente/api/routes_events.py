"""``/api/events``: stored events, filtered and paginated, as JSON or CSV; ``/api/events/{id}``; sources, dyads."""

from __future__ import annotations

from typing import Annotated, Literal

import ibis
import pyarrow as pa
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from .._json import to_json
from ..indicators.listing import FilterError, actor_codes, event_query, list_events
from ..store import Store
from .deps import EndParam, ServiceDep, SettingsDep, StartParam
from .responses import csv_response, json_response, records_response

__all__ = ["EVENT_ID", "router"]

router = APIRouter(tags=["events"])

#: every stored id is ``<source>:<key>`` (``gdelt2:881990836``, ``cow_mid:4001017:811:800``,
#: ``kb:2010-03-26-5e380030b5``, ``csis:1958-02-16:hijacking-of-south-korean-plane:72cd20a3``):
#: a lower-case source name, a colon, then ASCII letters and digits joined by ``-``, ``_``, ``.`` or ``:``
EVENT_ID = r"^[a-z][a-z0-9_]{0,31}:[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$"
#: a filter's whole (sorted) result is kept in the cache when it has at most this many rows; pages
#: of a bigger one are queried one by one
KEEP_ROWS = 100_000


@router.get("/events")
def events(
    service: ServiceDep,
    settings: SettingsDep,
    dyad: Annotated[
        str | None, Query(max_length=12, description="A>B or A-B, e.g. PRK>KOR: the events its index counts")
    ] = None,
    actor: Annotated[str | None, Query(max_length=40, description="ISO3 code on either side, e.g. PRK")] = None,
    start: StartParam = None,
    end: EndParam = None,
    category: Annotated[str | None, Query(max_length=40, description="e.g. missile_test, summit")] = None,
    source: Annotated[str | None, Query(max_length=40, description="e.g. gdelt2, cns, kb")] = None,
    limit: Annotated[int, Query(ge=1, description="page size")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")] = 0,
    format: Annotated[Literal["json", "csv"], Query(description="json (with total) or csv")] = "json",
) -> Response:
    """Events, newest first: ``{total, limit, offset, items}`` (JSON) or CSV with an ``X-Total-Count`` header.

    A filter's result is read once per store version and its pages cut from it (up to ``KEEP_ROWS`` rows).

    A filter that names nothing that exists is a 422 whose ``detail`` suggests the nearest values.
    """
    if limit > settings.max_limit:
        raise HTTPException(422, f"limit must be at most {settings.max_limit}")

    def listing(store: Store) -> ibis.Table:
        checked = event_query(
            actor=actor, dyad=dyad, start=start, end=end, category=category, source=source,
            stored=lambda: actor_codes(store),
        )  # fmt: skip
        return list_events(store, checked)

    def whole(store: Store) -> pa.Table | None:
        rows = listing(store).limit(KEEP_ROWS + 1).to_pyarrow()
        return rows if rows.num_rows <= KEEP_ROWS else None

    def one_page(store: Store) -> tuple[int, pa.Table]:
        t = listing(store)
        return int(t.count().to_pyarrow().as_py()), t.limit(limit, offset=offset).to_pyarrow()

    try:
        kept = service.cached(("events", dyad, actor, start, end, category, source), whole)
        total, page = (kept.num_rows, kept.slice(offset, limit)) if kept is not None else service.run(one_page)
    except FilterError as exc:
        raise HTTPException(422, str(exc)) from None
    if format == "csv":
        return csv_response(page, headers={"X-Total-Count": str(total)})
    body = to_json(page)
    return Response(
        f'{{"total": {total}, "limit": {limit}, "offset": {offset}, "items": {body}}}', media_type="application/json"
    )


@router.get("/events/{event_id}")
def event(
    service: ServiceDep, event_id: Annotated[str, Path(pattern=EVENT_ID, description="<source>:<key>, e.g. cns:87")]
) -> Response:
    """One stored event by id: 422 if the id cannot be one (see ``EVENT_ID``), 404 if the store does not hold it."""

    rows = service.run(lambda store: store.event(event_id))
    if not rows.num_rows:
        raise HTTPException(404, "no stored event has this id")
    return records_response(rows.slice(0, 1))


@router.get("/sources")
def sources(service: ServiceDep) -> Response:
    """The ingest manifest: one row per ingested file with its counts and dates."""

    def query(store: Store) -> pa.Table:
        t = store.ingests()
        cols = ["source", "format", "table_name", "file_name", "rows_read", "rows_stored", "rows_quarantined",
                "date_min", "date_max", "ingested_at"]  # fmt: skip
        return t.order_by(["source", "file_name"]).select(cols).to_pyarrow()

    return records_response(service.run(query))


@router.get("/dyads")
def dyads(service: ServiceDep, top: Annotated[int, Query(ge=1, le=200, description="how many pairs")] = 25) -> Response:
    """Pairs of countries with the most stored events (either direction), PRK-KOR first: the dashboard's choices."""

    def query(store: Store) -> list[dict[str, object]]:
        t = store.events()
        t = t.filter(t.actor1_country.notnull(), t.actor2_country.notnull(), t.actor1_country != t.actor2_country,
                     t.actor1_country.length() == 3, t.actor2_country.length() == 3)  # fmt: skip
        a = ibis.least(t.actor1_country, t.actor2_country)
        b = ibis.greatest(t.actor1_country, t.actor2_country)
        g = t.mutate(a=a, b=b).group_by(["a", "b"]).aggregate(events=lambda x: x.count())
        rows = g.order_by([ibis.desc("events"), "a", "b"]).limit(top).to_pyarrow().to_pylist()
        return [{"dyad": f"{r['a']}-{r['b']}", "events": r["events"]} for r in rows]

    rows = service.cached(("dyads", top), query)
    korea = [r for r in rows if r["dyad"] == "KOR-PRK"]
    rest = [r for r in rows if r["dyad"] != "KOR-PRK"]
    first = [{"dyad": "PRK-KOR", "events": korea[0]["events"] if korea else 0}]
    return json_response(first + rest)
