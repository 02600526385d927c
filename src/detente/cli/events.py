"""``events``: the stored events, filtered by actor, dyad, period, category and source; newest first."""

from __future__ import annotations

from typing import Annotated

import typer

from ._options import Format, FormatOpt, OutputOpt, command_app, emit, first_day, last_day, open_store, parse_dyad

__all__ = ["app", "events"]

app = command_app()

#: the columns the terminal table shows (CSV, JSON and Parquet get every column)
_BRIEF = [
    "event_id", "date", "actor1_country", "actor2_country", "event_code", "quad_class", "goldstein", "category",
    "description",
]  # fmt: skip


@app.command()
def events(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option(help="ISO3 code on either side, e.g. PRK")] = None,
    dyad: Annotated[str | None, typer.Option(help="A>B (directed) or A-B (either direction)")] = None,
    start: Annotated[str | None, typer.Option(help="first date, YYYY[-MM[-DD]]")] = None,
    end: Annotated[str | None, typer.Option(help="last date, YYYY[-MM[-DD]]")] = None,
    category: Annotated[str | None, typer.Option(help="e.g. missile_test, summit")] = None,
    source: Annotated[str | None, typer.Option(help="e.g. gdelt2, icews, cns, kb")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Events from the store, filtered; newest first."""
    pair = parse_dyad(dyad, hint="--dyad") if dyad else None
    first, last = first_day(start, "--start"), last_day(end, "--end")
    t = open_store(ctx).events()
    preds = []
    if pair:
        preds.append(pair.filter(t))
    if actor:
        code = actor.upper()
        preds.append((t.actor1_country == code) | (t.actor2_country == code))
    if first is not None:
        preds.append(t.date >= first)
    if last is not None:
        preds.append(t.date <= last)
    if category:
        preds.append(t.category == category)
    if source:
        preds.append(t.source == source)
    if preds:
        t = t.filter(*preds)
    result = t.order_by([t.date.desc(), t.event_id]).limit(limit).to_pyarrow()
    emit(result.select(_BRIEF) if fmt is Format.table else result, fmt, output, title="events")
