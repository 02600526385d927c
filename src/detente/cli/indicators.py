"""``series``, ``index``, ``military`` and ``phases``: the indicators of a dyad over time.

The dyad is given as an argument or with ``--dyad`` (``PRK-KOR`` either direction, ``PRK>KOR``
directed; default ``PRK-KOR``), or for ``index``, ``military`` and ``phases`` with ``--theatre`` (a
registry theatre: id, name or alias, e.g. ``IND-PAK`` or ``India-Pakistan``); ``--freq`` takes
day/week/month/year or D/W/M/Y. All take ``--format`` and ``--output``; ``--chart FILE.png|.svg|.json``
also draws the table. ``phases`` is also ``detente analyze phases`` (the same command, listed in
:mod:`detente.cli.analyze`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..indicators.military import military_elements
from ..indicators.phases import find_phases
from ..indicators.series import dyadic_series
from ..indicators.tension import tension_frame
from ._options import (
    ChartOpt,
    DyadArg,
    DyadOpt,
    EndOpt,
    Format,
    FormatOpt,
    FreqOpt,
    OutputOpt,
    StartOpt,
    TheatreOpt,
    arrow_table,
    command_app,
    emit,
    frequency_and_span,
    open_store,
    parse_dyad,
    theatre_dyad,
)

__all__ = ["app", "index", "military", "phases", "series"]

app = command_app()

IdsOpt = Annotated[bool, typer.Option("--ids", help="add the event ids behind each row")]


@app.command()
def series(
    ctx: typer.Context,
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    weight: Annotated[
        str, typer.Option(help="weight of the weighted Goldstein: mentions, sources, articles, none")
    ] = "mentions",
    sources: Annotated[str | None, typer.Option(help="comma-separated event sources, e.g. gdelt2,icews")] = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Dyadic series: QuadClass counts, Goldstein sums and means, cooperation, conflict (each direction and both)."""
    d = parse_dyad(dyad_arg, dyad)
    f, first, last = frequency_and_span(freq, start, end)
    if weight not in ("mentions", "sources", "articles", "none"):
        raise typer.BadParameter(f"unknown weight {weight!r}", param_hint="--weight")
    chosen = [s.strip() for s in sources.split(",")] if sources else None
    frame = dyadic_series(
        open_store(ctx),
        d,
        f,
        start=first,
        end=last,
        sources=chosen,
        weight=weight,  # type: ignore[arg-type]
        event_ids=ids,
    )
    brief = [
        "period",
        "direction",
        "events",
        "material_conflict",
        "verbal_conflict",
        "goldstein_mean",
        "net_cooperation",
        "conflict_share",
    ] + (["event_ids"] if ids else [])
    emit(arrow_table(frame, fmt, brief), fmt, output, title=f"{d} series by {f}")
    if chart:
        from ..indicators.charts import save_chart, series_chart

        save_chart(series_chart(frame, f"{d}: net cooperation by {f}"), chart)


@app.command()
def index(
    ctx: typer.Context,
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    theatre: TheatreOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Tension index (0-100) with its components: conflict counts, hostility, cooperation, severity, drills."""
    d = theatre_dyad(dyad_arg, dyad, theatre)
    f, first, last = frequency_and_span(freq, start, end)
    frame = tension_frame(open_store(ctx), d, f, start=first, end=last, event_ids=ids)
    brief = [
        "period",
        "tension",
        "material_conflict",
        "verbal_conflict",
        "hostility",
        "cooperation",
        "severity",
        "drills",
        "events",
        "incidents",
        "sources_active",
    ] + (["event_ids"] if ids else [])
    emit(arrow_table(frame.round(4), fmt, brief), fmt, output, title=f"{d} tension index by {f}")
    if chart:
        from ..indicators.charts import index_chart, save_chart

        save_chart(index_chart(frame, f"{d} tension index by {f}"), chart)


@app.command()
def military(
    ctx: typer.Context,
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    theatre: TheatreOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    ids: IdsOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """The four military-tension elements: drills, troop movements, border incidents, new capabilities."""
    d = theatre_dyad(dyad_arg, dyad, theatre)
    f, first, last = frequency_and_span(freq, start, end)
    frame = military_elements(open_store(ctx), d, f, start=first, end=last, event_ids=ids)
    brief = [
        "period",
        "drill_days",
        "named_exercises",
        "suspensions",
        "troop_movements",
        "border_incidents",
        "border_lethal",
        "launches_icbm",
        "launches_irbm",
        "launches_srbm",
        "nuclear_tests",
        "satellite_launches",
    ]
    emit(arrow_table(frame, fmt, brief), fmt, output, title=f"{d} military-tension elements by {f}")
    if chart:
        from ..indicators.charts import military_chart, save_chart

        save_chart(military_chart(frame, f"{d} military-tension elements by {f}"), chart)


@app.command()
def phases(
    ctx: typer.Context,
    dyad_arg: DyadArg = None,
    dyad: DyadOpt = None,
    theatre: TheatreOpt = None,
    freq: FreqOpt = "month",
    start: StartOpt = None,
    end: EndOpt = None,
    min_size: Annotated[int, typer.Option(min=2, help="shortest phase, in periods")] = 6,
    threshold: Annotated[float, typer.Option(help="index points of change that make a thaw or a freeze")] = 5.0,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    chart: ChartOpt = None,
) -> None:
    """Phases of the tension index (change points), labelled thaw / freeze / stable, with their opening events."""
    d = theatre_dyad(dyad_arg, dyad, theatre)
    f, first, last = frequency_and_span(freq, start, end)
    store = open_store(ctx)
    idx = tension_frame(store, d, f, start=first, end=last)
    frame = find_phases(store, d, f, min_size=min_size, threshold=threshold, index=idx)
    emit(arrow_table(frame, fmt), fmt, output, title=f"{d} phases by {f}")
    if chart:
        from ..indicators.charts import index_chart, save_chart

        save_chart(index_chart(idx, f"{d} tension index and phases by {f}", frame), chart)
